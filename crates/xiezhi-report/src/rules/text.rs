//! Fixed wording of the processing rules in Simplified Chinese and English.

use xiezhi_map::model::{
    ConsentKind, ExpiryAction, LegalBasis, RecipientKind, Relationship, TransferMechanism,
};
use xiezhi_model::Lang;

/// Picks the translation for `lang`.
pub(crate) const fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// BCP 47 tag of `lang` (`zh-CN`, `en`).
pub(crate) const fn lang_tag(lang: Lang) -> &'static str {
    t(lang, "zh-CN", "en")
}

pub(crate) const fn legal_basis_id(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::Emergency => "emergency",
        LegalBasis::PublicInterestNews => "public_interest_news",
        LegalBasis::PubliclyDisclosed => "publicly_disclosed",
        LegalBasis::OtherLaw => "other_law",
    }
}

pub(crate) const fn legal_basis(lang: Lang, b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => t(lang, "取得您的同意", "your consent"),
        LegalBasis::Contract => t(
            lang,
            "为订立、履行您作为一方当事人的合同所必需",
            "necessary to conclude or perform a contract to which you are a party",
        ),
        LegalBasis::LegalObligation => t(
            lang,
            "为履行法定职责或者法定义务所必需",
            "necessary to fulfil statutory duties or obligations",
        ),
        LegalBasis::Emergency => t(
            lang,
            "为应对突发公共卫生事件，或者紧急情况下保护自然人的生命健康和财产安全所必需",
            "necessary to respond to a public-health emergency or to protect life, health and property in an emergency",
        ),
        LegalBasis::PublicInterestNews => t(
            lang,
            "为公共利益实施新闻报道、舆论监督等行为，在合理的范围内处理",
            "news reporting and public-opinion supervision in the public interest, within a reasonable scope",
        ),
        LegalBasis::PubliclyDisclosed => t(
            lang,
            "在合理的范围内处理您自行公开或者其他已经合法公开的个人信息",
            "PI you disclosed yourself or otherwise lawfully disclosed, within a reasonable scope",
        ),
        LegalBasis::OtherLaw => t(
            lang,
            "法律、行政法规规定的其他情形",
            "other cases provided by laws and administrative regulations",
        ),
    }
}

pub(crate) const fn consent_id(c: ConsentKind) -> &'static str {
    match c {
        ConsentKind::General => "general",
        ConsentKind::Separate => "separate",
        ConsentKind::Written => "written",
        ConsentKind::Guardian => "guardian",
    }
}

pub(crate) const fn consent(lang: Lang, c: ConsentKind) -> &'static str {
    match c {
        ConsentKind::General => t(lang, "同意", "consent"),
        ConsentKind::Separate => t(lang, "单独同意", "separate consent"),
        ConsentKind::Written => t(lang, "书面同意", "written consent"),
        ConsentKind::Guardian => t(
            lang,
            "父母或者其他监护人的同意",
            "consent of a parent or other guardian",
        ),
    }
}

pub(crate) const fn expiry_id(a: ExpiryAction) -> &'static str {
    match a {
        ExpiryAction::Delete => "delete",
        ExpiryAction::Anonymise => "anonymise",
        ExpiryAction::Restrict => "restrict",
        ExpiryAction::Review => "review",
    }
}

pub(crate) const fn expiry(lang: Lang, a: ExpiryAction) -> &'static str {
    match a {
        ExpiryAction::Delete => t(lang, "删除", "deleted"),
        ExpiryAction::Anonymise => t(lang, "匿名化处理", "anonymised"),
        ExpiryAction::Restrict => t(
            lang,
            "停止除存储和采取必要的安全保护措施之外的处理",
            "no longer processed except for storage and necessary security measures",
        ),
        ExpiryAction::Review => t(
            lang,
            "经人工复核后删除或匿名化处理",
            "reviewed by a person, then deleted or anonymised",
        ),
    }
}

pub(crate) const fn relationship_id(r: Relationship) -> &'static str {
    match r {
        Relationship::Entrusted => "entrusted",
        Relationship::Provided => "provided",
        Relationship::Joint => "joint",
    }
}

pub(crate) const fn relationship(lang: Lang, r: Relationship) -> &'static str {
    match r {
        Relationship::Entrusted => t(lang, "委托处理", "entrusted processing"),
        Relationship::Provided => t(lang, "向其他处理者提供", "provision to another processor"),
        Relationship::Joint => t(lang, "共同处理", "joint processing"),
    }
}

pub(crate) const fn recipient_kind_id(k: RecipientKind) -> &'static str {
    match k {
        RecipientKind::Organisation => "organisation",
        RecipientKind::Sdk => "sdk",
    }
}

pub(crate) const fn recipient_kind(lang: Lang, k: RecipientKind) -> &'static str {
    match k {
        RecipientKind::Organisation => t(lang, "合作方", "organisation"),
        RecipientKind::Sdk => t(lang, "第三方 SDK", "third-party SDK"),
    }
}

pub(crate) const fn mechanism_id(m: TransferMechanism) -> &'static str {
    match m {
        TransferMechanism::SecurityAssessment => "security_assessment",
        TransferMechanism::StandardContract => "standard_contract",
        TransferMechanism::Certification => "certification",
        TransferMechanism::Exempt => "exempt",
        TransferMechanism::None => "none",
    }
}

pub(crate) const fn mechanism(lang: Lang, m: TransferMechanism) -> &'static str {
    match m {
        TransferMechanism::SecurityAssessment => {
            t(lang, "通过数据出境安全评估", "CAC security assessment")
        }
        TransferMechanism::StandardContract => t(
            lang,
            "订立个人信息出境标准合同并备案",
            "PI standard contract, filed",
        ),
        TransferMechanism::Certification => {
            t(lang, "个人信息保护认证", "PI protection certification")
        }
        TransferMechanism::Exempt => t(
            lang,
            "依法免予申报安全评估、订立标准合同或认证",
            "exempt from assessment, standard contract and certification",
        ),
        TransferMechanism::None => t(lang, "尚未确定", "not yet in place"),
    }
}

/// The rights of Reg. art. 21(4): id (as in `notice.rights_channels`), Chinese, English.
pub(crate) const RIGHTS: [(&str, &str, &str); 9] = [
    ("access", "查阅", "Access"),
    ("copy", "复制", "Copy"),
    ("port", "转移", "Transfer to another processor"),
    ("correct", "更正", "Correction"),
    ("supplement", "补充", "Supplement"),
    ("delete", "删除", "Deletion"),
    ("restrict", "限制处理", "Restriction of processing"),
    ("cancel_account", "注销账号", "Account cancellation"),
    ("withdraw_consent", "撤回同意", "Withdrawal of consent"),
];

/// Label of a contact role written in `organisation.contacts[].role`.
pub(crate) fn contact_role(lang: Lang, role: Option<&str>) -> String {
    match role {
        Some("privacy") => t(lang, "个人信息保护", "Privacy").to_string(),
        Some("complaints") => t(lang, "投诉举报", "Complaints").to_string(),
        Some("security") => t(lang, "安全", "Security").to_string(),
        Some("regulator") => t(lang, "监管联络", "Regulator liaison").to_string(),
        Some(other) => other.to_string(),
        None => t(lang, "联系方式", "Contact").to_string(),
    }
}

use super::doc::{ActivityRules, ContactLine, OfficerLine, PiTypeRef, RetentionText, SdkRef};

/// The section headings, unnumbered (the layout numbers the sections it shows).
pub(crate) struct Headings {
    pub controller: &'static str,
    pub activities: &'static str,
    pub retention: &'static str,
    pub collected: &'static str,
    pub sharing: &'static str,
    pub cross_border: &'static str,
    pub rights: &'static str,
    pub children: &'static str,
}

pub(crate) const fn headings(lang: Lang) -> Headings {
    Headings {
        controller: t(
            lang,
            "个人信息处理者及联系方式",
            "Who we are and how to contact us",
        ),
        activities: t(
            lang,
            "处理目的、处理方式和个人信息种类",
            "Purposes, methods and types of personal information",
        ),
        retention: t(
            lang,
            "保存期限及到期处理",
            "Retention and what happens at expiry",
        ),
        collected: t(
            lang,
            "已收集个人信息清单",
            "List of personal information collected",
        ),
        sharing: t(
            lang,
            "与第三方共享个人信息清单（含第三方 SDK）",
            "List of personal information shared with third parties (SDKs included)",
        ),
        cross_border: t(lang, "个人信息出境", "Transfers outside mainland China"),
        rights: t(
            lang,
            "您的权利及行使方式",
            "Your rights and how to exercise them",
        ),
        children: t(
            lang,
            "不满十四周岁儿童的个人信息",
            "Personal information of children under 14",
        ),
    }
}

/// Comma-joined PI type names without markers.
pub(crate) fn pi_names(lang: Lang, types: &[PiTypeRef]) -> String {
    types
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(t(lang, "、", ", "))
}

/// Comma-joined PI type names, sensitive ones marked.
pub(crate) fn pi_list(lang: Lang, types: &[PiTypeRef]) -> String {
    types
        .iter()
        .map(|p| {
            if p.sensitive {
                format!("{}{}", p.name, t(lang, "（敏感）", " (sensitive)"))
            } else {
                p.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(t(lang, "、", ", "))
}

/// The retention period, or how it is determined.
pub(crate) fn period(lang: Lang, r: &RetentionText) -> String {
    match (r.days, &r.basis) {
        (Some(d), Some(b)) => match lang {
            Lang::ZhCn => format!("{d} 天（{b}）"),
            Lang::En => format!("{d} days ({b})"),
        },
        (Some(d), None) => match lang {
            Lang::ZhCn => format!("{d} 天"),
            Lang::En => format!("{d} days"),
        },
        (None, Some(b)) => match lang {
            Lang::ZhCn => format!("期限确定方法：{b}"),
            Lang::En => format!("determined as follows: {b}"),
        },
        (None, None) => String::new(),
    }
}

/// Legal basis, with the consent kinds when there are any.
pub(crate) fn basis(lang: Lang, a: &ActivityRules) -> String {
    if a.consent.is_empty() {
        a.legal_basis.label.clone()
    } else {
        let kinds = a
            .consent
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(t(lang, "、", ", "));
        match lang {
            Lang::ZhCn => format!("{}（{kinds}）", a.legal_basis.label),
            Lang::En => format!("{} ({kinds})", a.legal_basis.label),
        }
    }
}

/// Recommendation, push and automated decisions with the controls offered, or `None`.
pub(crate) fn automation(lang: Lang, a: &ActivityRules) -> Option<String> {
    let mut uses = Vec::new();
    if a.recommendation {
        uses.push(t(lang, "个性化推荐", "personalised recommendation"));
    }
    if a.push {
        uses.push(t(lang, "信息推送", "push of information"));
    }
    if a.automated_decision {
        uses.push(t(lang, "自动化决策", "automated decision-making"));
    }
    if uses.is_empty() {
        return None;
    }
    let mut controls = Vec::new();
    if let Some(c) = &a.push_controls {
        if c.off_switch {
            controls.push(t(
                lang,
                "随时关闭个性化推荐",
                "switch personalised recommendation off at any time",
            ));
        }
        if c.refuse_push {
            controls.push(t(lang, "拒绝接收推送信息", "refuse pushed information"));
        }
        if c.delete_tags {
            controls.push(t(
                lang,
                "删除针对您个人特征的用户标签",
                "delete the user tags about your personal characteristics",
            ));
        }
    }
    let sep = t(lang, "、", ", ");
    let uses = uses.join(sep);
    Some(if controls.is_empty() {
        match lang {
            Lang::ZhCn => format!("本活动涉及{uses}。"),
            Lang::En => format!("This activity involves {uses}."),
        }
    } else {
        let controls = controls.join(t(lang, "，", "; "));
        match lang {
            Lang::ZhCn => format!("本活动涉及{uses}；您可以{controls}。"),
            Lang::En => format!("This activity involves {uses}; you can {controls}."),
        }
    })
}

/// An officer as one line: name, title, contact.
pub(crate) fn officer(lang: Lang, o: &OfficerLine) -> String {
    let mut s = o.name.clone();
    if let Some(title) = &o.title {
        s.push_str(&match lang {
            Lang::ZhCn => format!("（{title}）"),
            Lang::En => format!(" ({title})"),
        });
    }
    if let Some(c) = &o.contact {
        let c = c.summary();
        if !c.is_empty() {
            s.push_str(t(lang, "，联系方式：", ", contact: "));
            s.push_str(&c);
        }
    }
    s
}

/// A contact as `role: details`.
pub(crate) fn contact(lang: Lang, c: &ContactLine) -> String {
    format!("{}{}{}", c.role, t(lang, "：", ": "), c.summary())
}

/// The kind cell of a sharing row: kind, and the SDK package, version and platforms.
pub(crate) fn sdk(lang: Lang, kind: &str, s: Option<&SdkRef>) -> String {
    match s {
        None => kind.to_string(),
        Some(s) => {
            let mut out = format!("{kind}{}{}", t(lang, "：", ": "), s.package);
            if let Some(v) = &s.version {
                out.push(' ');
                out.push_str(v);
            }
            if !s.platforms.is_empty() {
                out.push_str(&match lang {
                    Lang::ZhCn => format!("（{}）", s.platforms.join("、")),
                    Lang::En => format!(" ({})", s.platforms.join(", ")),
                });
            }
            if let Some(u) = &s.privacy_policy_url {
                out.push_str(t(lang, "，隐私政策：", ", privacy policy: "));
                out.push_str(u);
            }
            out
        }
    }
}

/// Storage locations of a collected-PI row.
pub(crate) fn storage(lang: Lang, s: &[super::doc::StorageRef]) -> String {
    s.iter()
        .map(|s| {
            let place = if s.offshore {
                t(lang, "境外", "outside mainland China")
            } else {
                t(lang, "境内", "mainland China")
            };
            match lang {
                Lang::ZhCn => format!("{}（{}，{}，{place}）", s.name, s.location, s.region),
                Lang::En => format!("{} ({}, {}, {place})", s.name, s.location, s.region),
            }
        })
        .collect::<Vec<_>>()
        .join(t(lang, "；", "; "))
}

/// Section number `n` (1-based) as a heading prefix: `一、` in Chinese, `1. ` in English.
pub(crate) fn section_number(lang: Lang, n: usize) -> String {
    const ZH: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match lang {
        Lang::ZhCn => match ZH.get(n.wrapping_sub(1)) {
            Some(z) => format!("{z}、"),
            None => format!("{n}、"),
        },
        Lang::En => format!("{n}. "),
    }
}
