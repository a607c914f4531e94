//! Sensitive-PI rule packs (catalog 4.3). PIPL art. 28 defines sensitive PI; the two national
//! standards list it differently, and GB/T 45574-2025 no longer treats the identity-card number
//! on its own as "specific identity" sensitive PI. The user picks the edition.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::pi::PiType;

/// The standard whose sensitive-PI list decides the `sensitive` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SensitivityPack {
    /// GB/T 35273-2020 Annex B (the default while most audits still cite it).
    #[default]
    #[serde(rename = "gbt35273-2020")]
    Gbt35273_2020,
    /// GB/T 45574-2025 Annex A (in force 1 Nov 2025).
    #[serde(rename = "gbt45574-2025")]
    Gbt45574_2025,
}

impl SensitivityPack {
    /// Every pack.
    pub const ALL: &'static [SensitivityPack] = &[
        SensitivityPack::Gbt35273_2020,
        SensitivityPack::Gbt45574_2025,
    ];

    /// The id used on the command line (`gbt35273-2020`).
    pub const fn id(self) -> &'static str {
        match self {
            SensitivityPack::Gbt35273_2020 => "gbt35273-2020",
            SensitivityPack::Gbt45574_2025 => "gbt45574-2025",
        }
    }

    /// Whether a value of this type is sensitive PI under this pack. PI of a subject under 14 is
    /// sensitive whatever its type (PIPL art. 28); that is decided per subject, not per type.
    pub const fn is_sensitive(self, ty: PiType) -> bool {
        use PiType::*;
        match ty {
            // Financial accounts, whereabouts, biometrics, health, religion and credentials are
            // sensitive in both editions.
            BankCard | GpsCoordinate | Biometric | Health | Religion | Credential => true,
            // Identity documents: "specific identity" under GB/T 35273-2020 Annex B; GB/T
            // 45574-2025 no longer counts the document number by itself.
            CnResidentId | CnPassport | HkMacauPermit | TwPermit | HkId | MoId | TwId => {
                matches!(self, SensitivityPack::Gbt35273_2020)
            }
            CnMobile | CnLandline | Email | CnUscc | CnLicensePlate | Vin | Ipv4 | Ipv6
            | MacAddress | Imei | DeviceId | PhoneIntl | PersonName | CnAddress | StreetAddress
            | DateOfBirth | Ethnicity => false,
        }
    }

    /// Why the type is (or is not) sensitive under this pack, for reports and `xiezhi types`.
    pub const fn basis(self, ty: PiType) -> &'static str {
        use PiType::*;
        match (self, ty) {
            (_, BankCard) => "PIPL 28 金融账户 / financial account",
            (_, GpsCoordinate) => "PIPL 28 行踪轨迹 / whereabouts (precise location)",
            (_, Biometric) => "PIPL 28 生物识别 / biometrics",
            (_, Health) => "PIPL 28 医疗健康 / medical health",
            (_, Religion) => "PIPL 28 宗教信仰 / religious belief",
            (_, Credential) => "GB/T 35273 附录B 网络身份标识信息（口令） / credentials",
            (
                SensitivityPack::Gbt35273_2020,
                CnResidentId | CnPassport | HkMacauPermit | TwPermit | HkId | MoId | TwId,
            ) => "GB/T 35273-2020 附录B 个人身份信息 / identity document",
            (
                SensitivityPack::Gbt45574_2025,
                CnResidentId | CnPassport | HkMacauPermit | TwPermit | HkId | MoId | TwId,
            ) => {
                "GB/T 45574-2025: 证件号码本身不再视为特定身份 / number alone not specific identity"
            }
            _ => "一般个人信息 / general PI",
        }
    }
}

impl fmt::Display for SensitivityPack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A pack id that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sensitivity pack `{0}`; use gbt35273-2020 or gbt45574-2025")]
pub struct UnknownPack(pub String);

impl FromStr for SensitivityPack {
    type Err = UnknownPack;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "gbt35273-2020" | "gbt35273" => Ok(SensitivityPack::Gbt35273_2020),
            "gbt45574-2025" | "gbt45574" => Ok(SensitivityPack::Gbt45574_2025),
            _ => Err(UnknownPack(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_differ_on_identity_numbers_only_as_documented() {
        let a = SensitivityPack::Gbt35273_2020;
        let b = SensitivityPack::Gbt45574_2025;
        assert!(a.is_sensitive(PiType::CnResidentId));
        assert!(!b.is_sensitive(PiType::CnResidentId));
        for &t in PiType::ALL {
            let identity = t.category() == crate::PiCategory::IdentityDocument;
            if !identity {
                assert_eq!(a.is_sensitive(t), b.is_sensitive(t), "{t}");
            }
        }
        assert!(b.is_sensitive(PiType::BankCard));
        assert!(!a.is_sensitive(PiType::CnMobile));
    }

    #[test]
    fn parses_ids() {
        assert_eq!("gbt45574-2025".parse(), Ok(SensitivityPack::Gbt45574_2025));
        assert!("gbt1".parse::<SensitivityPack>().is_err());
    }
}
