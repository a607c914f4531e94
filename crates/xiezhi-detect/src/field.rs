//! Field (column header, JSON key) names as context: English, Chinese and the pinyin abbreviations
//! of Chinese schemas (`sfzh`, `sjhm`, `xm`, `dz`).

use crate::typeset::TypeSet;

/// What a field name says about the values under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldHint {
    /// Types the name suggests (`phone` → mobile and landline). Empty when the name says nothing.
    pub types: TypeSet,
    /// The name says the values are not PI (`order_no`, `amount`, `trace_id`, `订单号`).
    pub not_pi: bool,
    /// Evidence for findings, such as `name:pinyin sfzh` or `name:身份证号`. Empty when no hint.
    pub evidence: String,
}

/// Classifies a field name. `name` may be a CSV header, a JSON key or a JSON key path
/// (`data.records[].user.mobile`); for paths the last segment counts most.
pub fn field_hint(name: &str) -> FieldHint {
    let _ = name;
    FieldHint::default()
}
