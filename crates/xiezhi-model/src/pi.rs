//! Personal-information type ids (DESIGN.md 3.1): stable snake_case ids used in findings, the data
//! map and tests, each mapped to a GB/T 35273 category.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::category::PiCategory;

/// How a type is found: by the shape of a value checked by a validator, or by context words and
/// dictionaries around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DetectorKind {
    /// Pattern plus validator (checksums, ranges, segments).
    Value,
    /// Dictionary and context words (names, addresses, health terms...).
    Context,
}

macro_rules! pi_types {
    ($( $variant:ident => $id:literal, $zh:literal, $en:literal, $cat:ident, $kind:ident, $personal:literal; )*) => {
        /// A personal-information (or PI-adjacent) type.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum PiType { $( #[doc = $en] $variant, )* }

        impl PiType {
            /// Every type, in catalog order.
            pub const ALL: &'static [PiType] = &[ $( PiType::$variant, )* ];

            /// The stable snake_case id (`cn_resident_id`).
            pub const fn id(self) -> &'static str {
                match self { $( PiType::$variant => $id, )* }
            }

            /// Name in Simplified Chinese.
            pub const fn name_zh(self) -> &'static str {
                match self { $( PiType::$variant => $zh, )* }
            }

            /// Name in English.
            pub const fn name_en(self) -> &'static str {
                match self { $( PiType::$variant => $en, )* }
            }

            /// The GB/T 35273 category the type belongs to.
            pub const fn category(self) -> PiCategory {
                match self { $( PiType::$variant => PiCategory::$cat, )* }
            }

            /// Whether the type is found by value shape or by context.
            pub const fn detector_kind(self) -> DetectorKind {
                match self { $( PiType::$variant => DetectorKind::$kind, )* }
            }

            /// False for identifiers of organisations (reported to give context, not as PI).
            pub const fn is_personal(self) -> bool {
                match self { $( PiType::$variant => $personal, )* }
            }
        }

        impl FromStr for PiType {
            type Err = UnknownPiType;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $id => Ok(PiType::$variant), )*
                    _ => Err(UnknownPiType(s.to_owned())),
                }
            }
        }
    };
}

pi_types! {
    CnResidentId   => "cn_resident_id",   "居民身份证号码",           "PRC resident identity card number", IdentityDocument, Value, true;
    CnMobile       => "cn_mobile",        "手机号码",                 "Mainland China mobile number",      BasicProfile,     Value, true;
    CnLandline     => "cn_landline",      "固定电话号码",             "Mainland China landline number",    BasicProfile,     Value, true;
    Email          => "email",            "电子邮件地址",             "E-mail address",                    BasicProfile,     Value, true;
    BankCard       => "bank_card",        "银行卡号",                 "Bank card number",                  Property,         Value, true;
    CnPassport     => "cn_passport",      "护照号码",                 "PRC passport number",               IdentityDocument, Value, true;
    HkMacauPermit  => "hk_macau_permit",  "港澳通行证号码",           "Hong Kong / Macao travel permit number", IdentityDocument, Value, true;
    TwPermit       => "tw_permit",        "台湾居民来往大陆通行证号码", "Mainland travel permit for Taiwan residents", IdentityDocument, Value, true;
    HkId           => "hk_id",            "香港身份证号码",           "Hong Kong identity card number",    IdentityDocument, Value, true;
    MoId           => "mo_id",            "澳门身份证号码",           "Macao identity card number",        IdentityDocument, Value, true;
    TwId           => "tw_id",            "台湾身份证号码",           "Taiwan national identification number", IdentityDocument, Value, true;
    CnUscc         => "cn_uscc",          "统一社会信用代码",         "Unified social credit code (organisation)", Organisation, Value, false;
    CnLicensePlate => "cn_license_plate", "机动车号牌",               "Mainland China vehicle licence plate", Property,      Value, true;
    Vin            => "vin",              "车辆识别代号",             "Vehicle identification number",     Property,         Value, true;
    Ipv4           => "ipv4",             "IPv4 地址",                "IPv4 address",                      NetworkIdentifier, Value, true;
    Ipv6           => "ipv6",             "IPv6 地址",                "IPv6 address",                      NetworkIdentifier, Value, true;
    MacAddress     => "mac_address",      "MAC 地址",                 "MAC address",                       Device,           Value, true;
    Imei           => "imei",             "IMEI 设备识别码",          "IMEI device identity",              Device,           Value, true;
    DeviceId       => "device_id",        "设备标识符",               "Device identifier (IDFA/OAID/Android ID)", Device,     Value, true;
    GpsCoordinate  => "gps_coordinate",   "精确位置坐标",             "GPS coordinate",                    Location,         Value, true;
    PhoneIntl      => "phone_intl",       "境外电话号码",             "Non-Chinese phone number",          BasicProfile,     Value, true;
    PersonName     => "person_name",      "姓名",                     "Person name",                       BasicProfile,     Context, true;
    CnAddress      => "cn_address",       "中国地址",                 "Chinese postal address",            BasicProfile,     Context, true;
    StreetAddress  => "street_address",   "境外地址",                 "Non-Chinese street address",        BasicProfile,     Context, true;
    DateOfBirth    => "date_of_birth",    "出生日期",                 "Date of birth",                     BasicProfile,     Context, true;
    Ethnicity      => "ethnicity",        "民族",                     "Ethnicity",                         BasicProfile,     Context, true;
    Religion       => "religion",         "宗教信仰",                 "Religious belief",                  Other,            Context, true;
    Health         => "health",           "健康生理信息",             "Health information",                Health,           Context, true;
    Biometric      => "biometric",        "生物识别信息",             "Biometric information",             Biometric,        Context, true;
    Credential     => "credential",       "口令与密钥",               "Credential (password, token, secret)", NetworkIdentifier, Context, true;
}

impl PiType {
    /// Name in the requested language.
    pub const fn name(self, lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::ZhCn => self.name_zh(),
            crate::Lang::En => self.name_en(),
        }
    }

    /// Dense index of the type (0..PiType::ALL.len()), for per-type arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Number of types.
    pub const COUNT: usize = PiType::ALL.len();
}

impl fmt::Display for PiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for PiType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for PiType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An id that names no PI type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown PI type `{0}`; run `xiezhi types` for the list of type ids")]
pub struct UnknownPiType(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &t in PiType::ALL {
            assert!(seen.insert(t.id()), "duplicate id {}", t.id());
            assert_eq!(t.id().parse::<PiType>(), Ok(t));
            assert_eq!(PiType::ALL[t.index()], t);
        }
        assert!("no_such_type".parse::<PiType>().is_err());
    }

    #[test]
    fn uscc_is_not_personal() {
        assert!(!PiType::CnUscc.is_personal());
        assert!(PiType::CnResidentId.is_personal());
    }
}
