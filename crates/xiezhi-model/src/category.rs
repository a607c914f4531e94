//! GB/T 35273 personal-information categories (Annex A), plus one bucket for organisation
//! identifiers that are reported only as context.

use serde::{Deserialize, Serialize};

/// A GB/T 35273-2020 Annex A category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiCategory {
    /// 个人基本资料: name, birthday, gender, ethnicity, address, phone, e-mail.
    BasicProfile,
    /// 个人身份信息: identity card, passport, permits, social-security card.
    IdentityDocument,
    /// 个人生物识别信息: face, fingerprint, voiceprint, iris, genes.
    Biometric,
    /// 网络身份标识信息: accounts, IP addresses, credentials.
    NetworkIdentifier,
    /// 个人健康生理信息.
    Health,
    /// 个人教育工作信息.
    EducationWork,
    /// 个人财产信息: bank accounts, credit, vehicles.
    Property,
    /// 个人通信信息.
    Communication,
    /// 联系人信息.
    Contacts,
    /// 个人上网记录.
    OnlineRecords,
    /// 个人常用设备信息: IMEI, MAC, IDFA, OAID, Android ID.
    Device,
    /// 个人位置信息.
    Location,
    /// 个人其他信息: religion, marriage, sexual orientation.
    Other,
    /// Not personal information: organisation identifiers.
    Organisation,
}

impl PiCategory {
    /// The stable snake_case id used in findings.
    pub const fn id(self) -> &'static str {
        match self {
            PiCategory::BasicProfile => "basic_profile",
            PiCategory::IdentityDocument => "identity_document",
            PiCategory::Biometric => "biometric",
            PiCategory::NetworkIdentifier => "network_identifier",
            PiCategory::Health => "health",
            PiCategory::EducationWork => "education_work",
            PiCategory::Property => "property",
            PiCategory::Communication => "communication",
            PiCategory::Contacts => "contacts",
            PiCategory::OnlineRecords => "online_records",
            PiCategory::Device => "device",
            PiCategory::Location => "location",
            PiCategory::Other => "other",
            PiCategory::Organisation => "organisation",
        }
    }

    /// Name in Simplified Chinese, as GB/T 35273 words it.
    pub const fn name_zh(self) -> &'static str {
        match self {
            PiCategory::BasicProfile => "个人基本资料",
            PiCategory::IdentityDocument => "个人身份信息",
            PiCategory::Biometric => "个人生物识别信息",
            PiCategory::NetworkIdentifier => "网络身份标识信息",
            PiCategory::Health => "个人健康生理信息",
            PiCategory::EducationWork => "个人教育工作信息",
            PiCategory::Property => "个人财产信息",
            PiCategory::Communication => "个人通信信息",
            PiCategory::Contacts => "联系人信息",
            PiCategory::OnlineRecords => "个人上网记录",
            PiCategory::Device => "个人常用设备信息",
            PiCategory::Location => "个人位置信息",
            PiCategory::Other => "个人其他信息",
            PiCategory::Organisation => "组织机构信息（非个人信息）",
        }
    }

    /// Name in English.
    pub const fn name_en(self) -> &'static str {
        match self {
            PiCategory::BasicProfile => "basic personal profile",
            PiCategory::IdentityDocument => "personal identity information",
            PiCategory::Biometric => "biometric information",
            PiCategory::NetworkIdentifier => "network identity information",
            PiCategory::Health => "health and physiological information",
            PiCategory::EducationWork => "education and work information",
            PiCategory::Property => "property information",
            PiCategory::Communication => "communication information",
            PiCategory::Contacts => "contacts information",
            PiCategory::OnlineRecords => "online records",
            PiCategory::Device => "common device information",
            PiCategory::Location => "location information",
            PiCategory::Other => "other personal information",
            PiCategory::Organisation => "organisation information (not PI)",
        }
    }
}
