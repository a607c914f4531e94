//! The Xiezhi vocabulary shared by every other crate: personal-information types and their
//! GB/T 35273 categories, the sensitive-PI rule packs, the findings contract, the PRC working-day
//! calendar ([`calendar`]) and the SARIF pieces shared by the reporters ([`sarif`]).
//!
//! This crate depends on no other Xiezhi crate and does no IO (the calendar data is embedded).
#![deny(missing_docs)]

pub mod calendar;
pub mod category;
pub mod finding;
pub mod pack;
pub mod pi;
pub mod sarif;

pub use category::PiCategory;
pub use finding::{ColumnFinding, Finding, MatchFinding, Warning, WarningReason};
pub use pack::SensitivityPack;
pub use pi::{DetectorKind, PiType};

/// Language of user- and regulator-facing text. Simplified Chinese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 简体中文.
    #[default]
    ZhCn,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "zh-hans" => Ok(Lang::ZhCn),
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            _ => Err(format!("unknown language `{s}`; use zh-CN or en")),
        }
    }
}
