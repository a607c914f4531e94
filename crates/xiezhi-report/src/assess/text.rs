//! Labels in both languages for the data-map enums and store values.

use xiezhi_map::model::{
    Grade, ImportantDataState, LegalBasis, Relationship, TransferMechanism, TransferScenario,
};
use xiezhi_model::Lang;

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

pub(crate) fn yes_no(lang: Lang, b: bool) -> &'static str {
    if b {
        pick(lang, "是", "yes")
    } else {
        pick(lang, "否", "no")
    }
}

pub(crate) fn in_place(lang: Lang, b: bool) -> &'static str {
    if b {
        pick(lang, "已落实", "in place")
    } else {
        pick(lang, "未落实", "not in place")
    }
}

pub(crate) fn grade(lang: Lang, g: Option<Grade>) -> &'static str {
    match g {
        Some(Grade::Core) => pick(lang, "核心数据", "core data"),
        Some(Grade::Important) => pick(lang, "重要数据", "important data"),
        Some(Grade::General) => pick(lang, "一般数据", "general data"),
        None => pick(lang, "未定级", "not graded"),
    }
}

pub(crate) fn important_state(lang: Lang, s: ImportantDataState) -> &'static str {
    match s {
        ImportantDataState::Identified => pick(lang, "已识别", "identified"),
        ImportantDataState::Declared => pick(lang, "已申报", "declared"),
        ImportantDataState::Confirmed => pick(
            lang,
            "已确认（告知或公布）",
            "confirmed (notified or published)",
        ),
    }
}

pub(crate) fn relationship(lang: Lang, r: Relationship) -> &'static str {
    match r {
        Relationship::Entrusted => pick(lang, "委托处理", "entrusted processing"),
        Relationship::Provided => pick(lang, "向其他处理者提供", "provision to another processor"),
        Relationship::Joint => pick(lang, "共同处理", "joint processing"),
    }
}

pub(crate) fn legal_basis(lang: Lang, b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => pick(
            lang,
            "取得个人同意（个人信息保护法第十三条第一款第一项）",
            "consent (PIPL 13(1))",
        ),
        LegalBasis::Contract => pick(
            lang,
            "订立、履行合同或人力资源管理所必需（第十三条第一款第二项）",
            "necessary for a contract or HR management (PIPL 13(2))",
        ),
        LegalBasis::LegalObligation => pick(
            lang,
            "履行法定职责或者法定义务所必需（第十三条第一款第三项）",
            "necessary for legal duties or obligations (PIPL 13(3))",
        ),
        LegalBasis::Emergency => pick(
            lang,
            "应对突发公共卫生事件或紧急情况所必需（第十三条第一款第四项）",
            "public-health emergency or protecting life and property (PIPL 13(4))",
        ),
        LegalBasis::PublicInterestNews => pick(
            lang,
            "为公共利益实施新闻报道、舆论监督（第十三条第一款第五项）",
            "news reporting in the public interest (PIPL 13(5))",
        ),
        LegalBasis::PubliclyDisclosed => pick(
            lang,
            "处理已公开的个人信息（第十三条第一款第六项）",
            "PI already disclosed (PIPL 13(6))",
        ),
        LegalBasis::OtherLaw => pick(
            lang,
            "法律、行政法规规定的其他情形（第十三条第一款第七项）",
            "other cases provided by law (PIPL 13(7))",
        ),
    }
}

pub(crate) fn mechanism(lang: Lang, m: TransferMechanism) -> &'static str {
    match m {
        TransferMechanism::SecurityAssessment => {
            pick(lang, "数据出境安全评估", "CAC security assessment")
        }
        TransferMechanism::StandardContract => {
            pick(lang, "个人信息出境标准合同", "PI standard contract")
        }
        TransferMechanism::Certification => {
            pick(lang, "个人信息保护认证", "PI protection certification")
        }
        TransferMechanism::Exempt => pick(lang, "豁免", "exempt"),
        TransferMechanism::None => pick(lang, "无", "none"),
    }
}

pub(crate) fn scenario(lang: Lang, s: TransferScenario) -> &'static str {
    match s {
        TransferScenario::General => pick(lang, "一般情形", "general"),
        TransferScenario::NonPersonalBusiness => pick(
            lang,
            "不含个人信息和重要数据的业务数据（第三条）",
            "business data without PI or important data (art. 3)",
        ),
        TransferScenario::CollectedAbroad => pick(
            lang,
            "境外收集、境内处理后出境（第四条）",
            "collected abroad, processed in China (art. 4)",
        ),
        TransferScenario::ContractNecessity => pick(
            lang,
            "订立、履行合同所必需（第五条第一项）",
            "contract with the individual (art. 5(1))",
        ),
        TransferScenario::HrManagement => pick(
            lang,
            "跨境人力资源管理（第五条第二项）",
            "cross-border HR management (art. 5(2))",
        ),
        TransferScenario::Emergency => {
            pick(lang, "紧急情况（第五条第三项）", "emergency (art. 5(3))")
        }
        TransferScenario::FreeTradeZone => pick(
            lang,
            "自贸区负面清单外数据（第六条）",
            "free-trade-zone data outside its negative list (art. 6)",
        ),
    }
}

/// A rights-request kind of the store.
pub(crate) fn rights_kind(lang: Lang, k: &str) -> String {
    let (zh, en) = match k {
        "access" => ("查阅", "access"),
        "copy" => ("复制", "copy"),
        "correct" => ("更正", "correction"),
        "supplement" => ("补充", "supplement"),
        "delete" => ("删除", "deletion"),
        "restrict" => ("限制处理", "restriction"),
        "transfer" => ("转移", "transfer"),
        "cancel_account" => ("注销账号", "account cancellation"),
        "withdraw_consent" => ("撤回同意", "consent withdrawal"),
        "explain_rules" => ("解释说明处理规则", "explanation of the rules"),
        "deceased_relative" => ("近亲属行使死者权利", "deceased person's relative"),
        other => return other.to_string(),
    };
    pick(lang, zh, en).to_string()
}

/// A rights-request state of the store.
pub(crate) fn rights_state(lang: Lang, s: &str) -> String {
    let (zh, en) = match s {
        "received" => ("已受理", "received"),
        "identity_verified" => ("已核验身份", "identity verified"),
        "in_progress" => ("处理中", "in progress"),
        "completed" => ("已完成", "completed"),
        "partly_completed" => ("部分完成", "partly completed"),
        "refused" => ("已拒绝（附理由）", "refused (with reasons)"),
        other => return other.to_string(),
    };
    pick(lang, zh, en).to_string()
}

/// A consent status of the store.
pub(crate) fn consent_status(lang: Lang, s: &str) -> String {
    let (zh, en) = match s {
        "granted" => ("同意", "granted"),
        "refused" => ("拒绝", "refused"),
        "withdrawn" => ("撤回", "withdrawn"),
        other => return other.to_string(),
    };
    pick(lang, zh, en).to_string()
}

/// Integer with thousands separators.
pub(crate) fn n(v: u64) -> String {
    xiezhi_check::group_digits(v)
}

/// Hours as days with one decimal (hours when under a day).
pub(crate) fn days(lang: Lang, hours: f64) -> String {
    if hours < 24.0 {
        return match lang {
            Lang::ZhCn => format!("{hours:.1} 小时"),
            Lang::En => format!("{hours:.1} hours"),
        };
    }
    let d = hours / 24.0;
    match lang {
        Lang::ZhCn => format!("{d:.1} 天"),
        Lang::En => format!("{d:.1} days"),
    }
}

/// List joined in the language's style.
pub(crate) fn join(lang: Lang, items: &[String]) -> String {
    match lang {
        Lang::ZhCn => items.join("、"),
        Lang::En => items.join(", "),
    }
}

/// `a（b）` in Chinese, `a (b)` in English.
pub(crate) fn paren(lang: Lang, a: &str, b: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{a}（{b}）"),
        Lang::En => format!("{a} ({b})"),
    }
}
