//! Values that remember where they were written, and PI type ids.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use xiezhi_model::{PiCategory, PiType};

/// Marker that starts the serde error of an unknown PI type id.
pub(crate) const UNKNOWN_PI_TYPE: &str = "xiezhi:unknown_pi_type";
/// Marker that starts the serde error of an unknown GB/T 35273 category.
pub(crate) const UNKNOWN_CATEGORY: &str = "xiezhi:unknown_category";

/// A value with the 1-based line and column where it was written in its YAML file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
}

impl<T> At<T> {
    /// A value without a known position (line and column 0).
    pub fn unplaced(value: T) -> At<T> {
        At {
            value,
            line: 0,
            column: 0,
        }
    }
}

impl<T: fmt::Display> fmt::Display for At<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(At {
            value: s.value,
            line: s.referenced.line(),
            column: s.referenced.column(),
        })
    }
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
}

/// A PI type id of `xiezhi-model` (`xiezhi types` lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PiTypeId(pub PiType);

impl<'de> Deserialize<'de> for PiTypeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<PiType>()
            .map(PiTypeId)
            .map_err(|_| serde::de::Error::custom(UNKNOWN_PI_TYPE))
    }
}

impl JsonSchema for PiTypeId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PiType".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = PiType::ALL.iter().map(|t| t.id()).collect();
        schemars::json_schema!({
            "type": "string",
            "enum": ids,
            "description": "PI type id (see `xiezhi types`)"
        })
    }
}

/// All GB/T 35273 category ids, in the order of `PiCategory`.
pub const CATEGORY_IDS: &[&str] = &[
    "basic_profile",
    "identity_document",
    "biometric",
    "network_identifier",
    "health",
    "education_work",
    "property",
    "communication",
    "contacts",
    "online_records",
    "device",
    "location",
    "other",
    "organisation",
];

/// A GB/T 35273 Annex A category id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoryId(pub PiCategory);

impl<'de> Deserialize<'de> for CategoryId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        let s = String::deserialize(d)?;
        let inner: Result<PiCategory, serde::de::value::Error> =
            PiCategory::deserialize(s.as_str().into_deserializer());
        inner
            .map(CategoryId)
            .map_err(|_| serde::de::Error::custom(UNKNOWN_CATEGORY))
    }
}

impl JsonSchema for CategoryId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PiCategory".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": CATEGORY_IDS,
            "description": "GB/T 35273-2020 Annex A category"
        })
    }
}
