//! Personal information (Reg. ch. III, arts. 20–24; PIPL 13–31, 52–56): consent, retention,
//! the facts the processing rules need, PIPIA, processing records and the PIPO.

use xiezhi_map::Project;
use xiezhi_map::model::{
    Activity, AssessmentKind, ConsentKind, ExpiryAction, LegalBasis, SubjectKind,
};

use super::entity::classify;
use super::{
    Ctx, Hit, PIPL, REG_790, Rule, Severity, covering, dataset, join, records_problem,
    sensitive_fields, to_date,
};
use crate::Confidence;
use crate::date::Date;
use crate::penalty::GroupId;

/// PIPO notice (CAC, 18 Jul 2025): new filings within 30 working days of reaching 1,000,000.
pub const PIPO_FILING_WORKING_DAYS: u32 = 30;
/// PIPO notice: processors already above 1,000,000 file by this date.
pub const PIPO_FILING_TRANSITION: (i32, u32, u32) = (2025, 8, 29);
/// PIPO notice in force.
const PIPO_NOTICE: (i32, u32, u32) = (2025, 7, 18);

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "PIPL-14-consent-recorded",
        sr: "SR-RULE-03",
        articles: &["PIPL 13(1)", "PIPL 14", "Reg. 22"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "以同意为合法性基础的处理活动须记录所取得的同意",
        title_en: "An activity based on consent must record the consent obtained",
        confidence: Confidence::Off1,
        group: "pi",
        check: check_consent_recorded,
    },
    Rule {
        id: "PIPL-29-separate-consent",
        sr: "SR-RULE-03",
        articles: &["PIPL 29", "Reg. 22(2)"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "基于同意处理敏感个人信息须取得单独同意",
        title_en: "Sensitive PI processed on consent needs separate consent",
        confidence: Confidence::C2,
        group: "pi",
        check: check_separate_consent,
    },
    Rule {
        id: "PIPL-31-guardian-consent",
        sr: "SR-RULE-03",
        articles: &["PIPL 31", "Reg. 22(3)"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "处理不满十四周岁未成年人个人信息须取得监护人同意",
        title_en: "PI of children under 14 needs the consent of a parent or guardian",
        confidence: Confidence::C2,
        group: "pi",
        check: check_guardian_consent,
    },
    Rule {
        id: "PIPL-23-consent-scope",
        sr: "SR-RULE-03",
        articles: &["Reg. 22(4)", "PIPL 14", "PIPL 23"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "不得超出同意的个人信息种类向接收方提供",
        title_en: "PI provided to recipients stays within the types the consent covers",
        confidence: Confidence::C2,
        group: "pi",
        check: check_consent_scope,
    },
    Rule {
        id: "NDSR-21-retention",
        sr: "SR-NOTICE-01",
        articles: &["Reg. 21(3)", "PIPL 17", "PIPL 19"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "处理规则须写明保存期限或其确定方法",
        title_en: "Processing rules must state the retention period or how it is set",
        confidence: Confidence::C2,
        group: "pi",
        check: check_retention,
    },
    Rule {
        id: "NDSR-21-notice-contents",
        sr: "SR-NOTICE-01",
        articles: &["Reg. 21", "PIPL 17", "PIPL 30"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "数据地图须具备处理规则各项内容（联系方式、目的方式种类、敏感个人信息必要性与影响、权利渠道）",
        title_en: "The data map must hold every art. 21 fact (contact; purposes, methods, types; sensitive-PI necessity and impact; rights channels)",
        confidence: Confidence::C2,
        group: "pi",
        check: check_notice_contents,
    },
    Rule {
        id: "NDSR-20-complaint-channel",
        sr: "SR-RULE-02",
        articles: &["Reg. 20"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::Medium,
        title_zh: "面向社会提供产品或服务须设置投诉举报渠道",
        title_en: "Public-facing processors need a published complaint and report channel",
        confidence: Confidence::C2,
        group: "pi",
        check: check_complaint_channel,
    },
    Rule {
        id: "NDSR-24-retention-expiry",
        sr: "SR-RULE-04",
        articles: &["Reg. 21(3)", "Reg. 24", "PIPL 19", "PIPL 47"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "保存期限届满须删除、匿名化或仅存储（须有法定保存理由）",
        title_en: "At the end of retention PI is deleted, anonymised or kept storage-only with a legal reason",
        confidence: Confidence::C2,
        group: "pi",
        check: check_retention_expiry,
    },
    Rule {
        id: "PIPL-55-pipia",
        sr: "SR-RISK-01",
        articles: &["PIPL 55", "PIPL 56"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "处理敏感个人信息、自动化决策、委托或向他人提供个人信息前须进行个人信息保护影响评估",
        title_en: "Sensitive PI, automated decisions, entrusting or providing PI need a prior PIPIA",
        confidence: Confidence::Off1,
        group: "pi",
        check: check_pipia,
    },
    Rule {
        id: "PIPL-56-pipia-retention",
        sr: "SR-RISK-01",
        articles: &["PIPL 56"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "个人信息保护影响评估报告至少保存三年",
        title_en: "PIPIA reports are kept for at least 3 years",
        confidence: Confidence::C2,
        group: "pi",
        check: check_pipia_retention,
    },
    Rule {
        id: "PIPL-56-processing-records",
        sr: "SR-MAP-03",
        articles: &["PIPL 55", "PIPL 56"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "须评估的处理活动应有处理情况记录并至少保存三年",
        title_en: "Activities that need a PIPIA keep processing records for at least 3 years",
        confidence: Confidence::C2,
        group: "pi",
        check: check_processing_records,
    },
    Rule {
        id: "PIPL-52-pipo",
        sr: "SR-AUDIT-03",
        articles: &["PIPL 52"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "处理100万人以上个人信息须指定个人信息保护负责人并公开联系方式",
        title_en: "PI of 1,000,000 or more people: designate a PI protection officer with a public contact",
        confidence: Confidence::C2,
        group: "pi",
        check: check_pipo,
    },
    Rule {
        id: "PIPO-notice-filing",
        sr: "SR-AUDIT-03",
        articles: &["PIPL 52", "PIPO notice (2025)"],
        effective_from: PIPO_NOTICE,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "个人信息保护负责人须在达到100万人或发生变更后30个工作日内报送",
        title_en: "File the PIPO within 30 working days of reaching 1,000,000 people or of a change",
        confidence: Confidence::C2,
        group: "pi",
        check: check_pipo_filing,
    },
];

fn check_consent_recorded(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.activities)
        .filter(|(_, a)| a.legal_basis == LegalBasis::Consent && a.consent.is_empty())
        .map(|(file, a)| {
            Hit::at(
                file,
                &a.id,
                format!("处理活动 {} 以同意为基础但未记录同意类型", a.id),
                format!("activity {} relies on consent but records none", a.id),
            )
        })
        .collect()
}

fn has_separate(consent: &[ConsentKind]) -> bool {
    consent
        .iter()
        .any(|c| matches!(c, ConsentKind::Separate | ConsentKind::Written))
}

fn check_separate_consent(c: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, a) in c.p.each(|m| &m.activities) {
        if a.legal_basis != LegalBasis::Consent || has_separate(&a.consent) {
            continue;
        }
        let sensitive = sensitive_fields(c.p, &a.datasets);
        if !sensitive.is_empty() {
            let list = sensitive.join(", ");
            hits.push(Hit::at(
                file,
                &a.id,
                format!("处理活动 {} 处理敏感个人信息（{list}）但无单独同意", a.id),
                format!(
                    "activity {} processes sensitive PI ({list}) without separate consent",
                    a.id
                ),
            ));
        }
    }
    hits
}

fn check_guardian_consent(c: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, a) in c.p.each(|m| &m.activities) {
        if a.consent.contains(&ConsentKind::Guardian) {
            continue;
        }
        let children = a
            .datasets
            .iter()
            .filter_map(|d| dataset(c.p, &d.value))
            .any(|d| d.subjects.contains(&SubjectKind::ChildrenUnder14));
        if children {
            hits.push(Hit::at(
                file,
                &a.id,
                format!("处理活动 {} 涉及不满十四周岁儿童但无监护人同意", a.id),
                format!(
                    "activity {} covers children under 14 without guardian consent",
                    a.id
                ),
            ));
        }
    }
    hits
}

fn check_consent_scope(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    let mut hits = Vec::new();
    for (file, a) in p.each(|m| &m.activities) {
        if a.legal_basis != LegalBasis::Consent {
            continue;
        }
        for rid in &a.recipients {
            let Some((_, r)) = p
                .each(|m| &m.recipients)
                .find(|(_, r)| r.id.value == rid.value)
            else {
                continue;
            };
            let beyond: Vec<&str> = r
                .pi_types
                .iter()
                .filter(|t| !a.pi_types.iter().any(|x| x.value == t.value))
                .map(|t| t.value.0.id())
                .collect();
            if beyond.is_empty() {
                continue;
            }
            let list = join(&beyond);
            hits.push(Hit::at(
                file,
                &a.id,
                format!(
                    "处理活动 {} 以同意为基础，但向接收方 {} 提供了同意范围外的个人信息种类：{list}（第二十二条第四项）",
                    a.id, r.id
                ),
                format!(
                    "activity {} relies on consent but gives recipient {} PI types beyond it: {list} (art. 22(4))",
                    a.id, r.id
                ),
            ));
        }
    }
    hits
}

fn check_retention(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.activities)
        .filter(|(_, a)| {
            a.retention
                .as_ref()
                .is_none_or(|r| r.days.is_none() && r.basis.is_none())
        })
        .map(|(file, a)| {
            Hit::at(
                file,
                &a.id,
                format!("处理活动 {} 未写明保存期限或其确定方法", a.id),
                format!(
                    "activity {} states no retention period or how it is set",
                    a.id
                ),
            )
        })
        .collect()
}

/// The activity handles PI: PI types listed or a dataset with PI fields.
fn handles_pi(p: &Project, a: &Activity) -> bool {
    !a.pi_types.is_empty()
        || a.datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
            .any(|d| d.fields.iter().any(|f| f.pi_type.is_some() || f.sensitive))
}

fn check_notice_contents(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    let mut hits = Vec::new();
    let contact = p
        .profile
        .organisation
        .contacts
        .iter()
        .any(|k| k.email.is_some() || k.phone.is_some() || k.address.is_some());
    if !contact {
        hits.push(Hit::profile(c.p, "organisation.contacts", 
            "organisation.contacts 无任何联系方式（处理规则须写明处理者名称和联系方式，第二十一条第一项）".into(),
            "organisation.contacts has no contact details (the processing rules name the processor and its contact, art. 21(1))".into(),
        ));
    }
    let ch = &p.profile.notice.rights_channels;
    let missing: Vec<&str> = [
        ("access", ch.access.is_none()),
        ("copy", ch.copy.is_none()),
        ("port", ch.port.is_none()),
        ("correct", ch.correct.is_none()),
        ("supplement", ch.supplement.is_none()),
        ("delete", ch.delete.is_none()),
        ("restrict", ch.restrict.is_none()),
        ("cancel_account", ch.cancel_account.is_none()),
        ("withdraw_consent", ch.withdraw_consent.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        let list = join(&missing);
        hits.push(Hit::profile(
            c.p,
            "notice.rights_channels",
            format!("notice.rights_channels 缺少：{list}（第二十一条第四项）"),
            format!("notice.rights_channels lacks: {list} (art. 21(4))"),
        ));
    }
    let under14 = p.profile.roles.processes_under14_pi || classify(p).processes_under14_pi;
    if under14 && p.profile.notice.children_rules.is_none() {
        hits.push(Hit::profile(c.p, "notice.children_rules", 
            "处理不满十四周岁儿童个人信息，但 notice.children_rules 未指明专门的处理规则（第二十一条第三款）".into(),
            "PI of children under 14 is processed but notice.children_rules names no dedicated rules (art. 21 para 3)".into(),
        ));
    }
    for (file, a) in p.each(|m| &m.activities) {
        if !handles_pi(p, a) {
            continue;
        }
        let mut missing = Vec::new();
        if a.method.is_none() {
            missing.push("method");
        }
        if a.pi_types.is_empty() {
            missing.push("pi_types");
        }
        if !sensitive_fields(p, &a.datasets).is_empty() {
            if a.sensitive_necessity.is_none() {
                missing.push("sensitive_necessity");
            }
            if a.sensitive_impact.is_none() {
                missing.push("sensitive_impact");
            }
        }
        if !missing.is_empty() {
            let list = join(&missing);
            hits.push(Hit::at(
                file,
                &a.id,
                format!(
                    "处理活动 {} 缺少处理规则所需：{list}（第二十一条第二项）",
                    a.id
                ),
                format!(
                    "activity {} lacks what the processing rules need: {list} (art. 21(2))",
                    a.id
                ),
            ));
        }
    }
    hits
}

fn check_complaint_channel(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !p.profile.roles.public_facing {
        return Vec::new();
    }
    let ok = p.profile.organisation.contacts.iter().any(|k| {
        k.role.as_deref().is_some_and(|r| {
            let r = r.to_lowercase();
            r.contains("complaint") || r.contains("投诉") || r.contains("举报")
        }) && (k.email.is_some() || k.phone.is_some() || k.address.is_some())
    });
    if ok {
        return Vec::new();
    }
    vec![Hit::profile(
        c.p,
        "organisation.contacts",
        "面向社会提供服务，但 organisation.contacts 中没有投诉举报渠道（role: complaints）".into(),
        "public-facing, but organisation.contacts has no complaint channel (role: complaints)"
            .into(),
    )]
}

fn check_retention_expiry(c: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, a) in c.p.each(|m| &m.activities) {
        let Some(r) = &a.retention else { continue };
        if r.on_expiry == ExpiryAction::Restrict && r.basis.is_none() {
            hits.push(Hit::at(
                file,
                &a.id,
                format!("处理活动 {} 到期后仅存储，但未写明法定保存理由（retention.basis）", a.id),
                format!(
                    "activity {} keeps PI storage-only at expiry without a legal reason (retention.basis)",
                    a.id
                ),
            ));
        }
        let (Some(ended), Some(days)) = (to_date(a.ended), r.days) else {
            continue;
        };
        let due = ended.add_days(i64::from(days));
        let done = to_date(r.purged).is_some_and(|d| d >= ended);
        if c.as_of > due && !done {
            hits.push(Hit::at(
                file,
                &a.id,
                format!(
                    "处理活动 {} 于 {ended} 结束，保存期 {days} 天已于 {due} 届满，未记录到期处理（retention.purged）",
                    a.id
                ),
                format!(
                    "activity {} ended {ended}; its {days}-day retention ran out on {due} and no expiry action is recorded (retention.purged)",
                    a.id
                ),
            ));
        }
    }
    hits
}

/// Why an activity needs a PIPIA (PIPL 55), if it does.
fn pipia_triggers(p: &Project, a: &Activity) -> Vec<&'static str> {
    let mut t = Vec::new();
    if !sensitive_fields(p, &a.datasets).is_empty() {
        t.push("sensitive PI");
    }
    if a.automated_decision {
        t.push("automated decision-making");
    }
    if !a.recipients.is_empty() {
        t.push("entrusting/providing PI");
    }
    t
}

fn check_pipia(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    p.each(|m| &m.activities)
        .filter_map(|(file, a)| {
            let why = pipia_triggers(p, a);
            if why.is_empty()
                || !covering(p, AssessmentKind::Pipia, &a.id.value, c.as_of).is_empty()
            {
                return None;
            }
            let list = join(&why);
            Some(Hit::at(
                file,
                &a.id,
                format!(
                    "处理活动 {} 须事前进行个人信息保护影响评估（{list}），但无覆盖它的 PIPIA",
                    a.id
                ),
                format!(
                    "activity {} needs a prior PIPIA ({list}) but no PIPIA covers it",
                    a.id
                ),
            ))
        })
        .collect()
}

fn check_pipia_retention(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.assessments)
        .filter(|(_, a)| a.kind == AssessmentKind::Pipia)
        .filter_map(|(file, a)| {
            let (zh, en) = records_problem(
                &format!("影响评估 {}", a.id),
                &format!("PIPIA {}", a.id),
                a.records.as_ref(),
                to_date(Some(a.completed)),
            )?;
            Some(Hit::at(
                file,
                &a.id,
                format!("{zh}（个人信息保护法第五十六条）"),
                format!("{en} (PIPL 56)"),
            ))
        })
        .collect()
}

fn check_processing_records(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    p.each(|m| &m.activities)
        .filter(|(_, a)| !pipia_triggers(p, a).is_empty())
        .filter_map(|(file, a)| {
            let (zh, en) = records_problem(
                &format!("处理活动 {}", a.id),
                &format!("activity {}", a.id),
                a.records.as_ref(),
                to_date(a.ended),
            )?;
            Some(Hit::at(
                file,
                &a.id,
                format!("{zh}（个人信息保护法第五十六条）"),
                format!("{en} (PIPL 56)"),
            ))
        })
        .collect()
}

fn check_pipo(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !classify(p).pi_over_1m {
        return Vec::new();
    }
    let n = p.profile.scale.pi_subjects.unwrap_or(0);
    match &p.profile.officers.pipo {
        None => vec![Hit::profile(
            c.p,
            "officers.pipo",
            format!(
                "处理 {n} 人个人信息（100万人以上），未指定个人信息保护负责人（officers.pipo）"
            ),
            format!(
                "PI of {n} people (1,000,000 or more) but no PI protection officer (officers.pipo)"
            ),
        )],
        Some(o) => {
            let reachable = o
                .contact
                .as_ref()
                .is_some_and(|k| k.email.is_some() || k.phone.is_some() || k.address.is_some());
            if reachable {
                Vec::new()
            } else {
                vec![Hit::profile(
                    c.p,
                    "officers.pipo.contact",
                    "个人信息保护负责人未写明公开的联系方式（officers.pipo.contact）".into(),
                    "the PI protection officer has no public contact (officers.pipo.contact)"
                        .into(),
                )]
            }
        }
    }
}

/// Last day to file the PIPO: 30 working days after reaching 1,000,000 people, and not before
/// the transition date of the notice. Without a calendar 30 calendar days are counted (earlier
/// than or equal to the true deadline).
pub fn pipo_filing_due(
    reached: Option<Date>,
    cal: Option<&dyn crate::date::WorkdayCalendar>,
) -> Date {
    let (y, m, d) = PIPO_FILING_TRANSITION;
    let transition = Date::new(y, m, d).unwrap_or_else(|_| Date::from_days(0));
    match reached {
        None => transition,
        Some(r) => {
            let due = match cal {
                Some(cal) => r.add_working_days(PIPO_FILING_WORKING_DAYS, cal),
                None => r.add_days(i64::from(PIPO_FILING_WORKING_DAYS)),
            };
            due.max(transition)
        }
    }
}

fn check_pipo_filing(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !classify(p).pi_over_1m {
        return Vec::new();
    }
    let reached = to_date(p.profile.scale.pi_1m_reached);
    let pipo = p.profile.officers.pipo.as_ref();
    // A new appointment after the threshold was reached is a change: re-file within 30
    // working days of it, and a filing from before the change does not count.
    let change = pipo
        .and_then(|o| to_date(o.appointed))
        .filter(|a| reached.is_some_and(|r| *a > r));
    let due = pipo_filing_due(change.or(reached), c.cal);
    let approx = if c.cal.is_some() {
        ""
    } else {
        " (30 calendar days counted: no working-day calendar)"
    };
    let filed = pipo
        .and_then(|o| to_date(o.filed))
        .filter(|f| change.is_none_or(|a| *f >= a));
    match filed {
        Some(f) if f <= due => Vec::new(),
        Some(f) => vec![Hit::profile(
            c.p,
            "officers.pipo.filed",
            format!("个人信息保护负责人于 {f} 报送，晚于截止日 {due}"),
            format!("the PIPO was filed on {f}, after the deadline {due}{approx}"),
        )],
        None if c.as_of <= due => Vec::new(),
        None => vec![Hit::profile(
            c.p,
            "officers.pipo.filed",
            format!("个人信息保护负责人未向网信部门报送（officers.pipo.filed），截止日 {due} 已过"),
            format!(
                "the PIPO was not filed (officers.pipo.filed); the deadline {due} has passed{approx}"
            ),
        )],
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::evaluate_with;
    use super::super::testkit::*;
    use super::*;
    use crate::date::WeekendsOnly;
    use xiezhi_map::model::Records;

    fn activity(p: &mut Project, id: &str, f: impl Fn(&mut Activity)) {
        for file in &mut p.files {
            for a in &mut file.map.activities {
                if a.id.value == id {
                    f(a);
                }
            }
        }
    }

    #[test]
    fn consent_rules() {
        let mut p = clean();
        for r in [
            "PIPL-29-separate-consent",
            "PIPL-14-consent-recorded",
            "PIPL-31-guardian-consent",
        ] {
            assert_eq!(hits(&p, r, AS_OF), 0, "{r}");
        }
        activity(&mut p, "recommend", |a| {
            a.consent = vec![ConsentKind::General]
        });
        assert_eq!(hits(&p, "PIPL-29-separate-consent", AS_OF), 1);
        activity(&mut p, "recommend", |a| {
            a.consent = vec![ConsentKind::Written]
        });
        assert_eq!(hits(&p, "PIPL-29-separate-consent", AS_OF), 0);
        activity(&mut p, "campaign-2023", |a| a.consent.clear());
        assert_eq!(hits(&p, "PIPL-14-consent-recorded", AS_OF), 1);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if d.id.value == "users" {
                    d.subjects.push(SubjectKind::ChildrenUnder14);
                }
            }
        }
        // account and recommend use `users`.
        assert_eq!(hits(&p, "PIPL-31-guardian-consent", AS_OF), 2);
        activity(&mut p, "account", |a| {
            a.consent = vec![ConsentKind::Guardian]
        });
        assert_eq!(hits(&p, "PIPL-31-guardian-consent", AS_OF), 1);
    }

    #[test]
    fn consent_scope() {
        let rule = "PIPL-23-consent-scope";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        // push-sdk receives device_id, which recommend's consent covers; add one it does not.
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if r.id.value == "push-sdk" {
                    let mut t = r.pi_types[0].clone();
                    t.value = xiezhi_map::PiTypeId(xiezhi_model::PiType::CnMobile);
                    r.pi_types.push(t);
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        activity(&mut p, "recommend", |a| {
            let mut t = a.pi_types[0].clone();
            t.value = xiezhi_map::PiTypeId(xiezhi_model::PiType::CnMobile);
            a.pi_types.push(t);
        });
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }

    #[test]
    fn retention_stated() {
        let mut p = clean();
        assert_eq!(hits(&p, "NDSR-21-retention", AS_OF), 0);
        activity(&mut p, "delivery", |a| {
            a.retention.as_mut().unwrap().days = None
        });
        assert_eq!(hits(&p, "NDSR-21-retention", AS_OF), 1);
        activity(&mut p, "delivery", |a| {
            a.retention.as_mut().unwrap().basis = Some("签收后三年".into())
        });
        assert_eq!(hits(&p, "NDSR-21-retention", AS_OF), 0);
    }

    #[test]
    fn retention_expiry_edges() {
        let rule = "NDSR-24-retention-expiry";
        let mut p = clean();
        // campaign-2023 ended 2023-11-30, 365 days → due 2024-11-29.
        activity(&mut p, "campaign-2023", |a| {
            a.retention.as_mut().unwrap().purged = None
        });
        assert_eq!(hits(&p, rule, "2025-01-01"), 1);
        activity(&mut p, "campaign-2023", |a| {
            a.ended = Some(map_date("2024-06-30"))
        });
        // 2024-06-30 + 365 days = 2025-06-30.
        assert_eq!(hits(&p, rule, "2025-06-30"), 0);
        assert_eq!(hits(&p, rule, "2025-07-01"), 1);
        activity(&mut p, "campaign-2023", |a| {
            a.retention.as_mut().unwrap().purged = Some(map_date("2025-07-01"))
        });
        assert_eq!(hits(&p, rule, "2025-07-02"), 0);
        activity(&mut p, "campaign-2023", |a| {
            a.retention.as_mut().unwrap().on_expiry = ExpiryAction::Restrict
        });
        assert_eq!(hits(&p, rule, "2025-07-02"), 1);
    }

    #[test]
    fn notice_contents() {
        let rule = "NDSR-21-notice-contents";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.notice.rights_channels.withdraw_consent = None;
        assert_eq!(hits(&p, rule, AS_OF), 1);
        let mut p = clean();
        activity(&mut p, "account", |a| a.sensitive_impact = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        // Without sensitive PI the impact statement is not needed.
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                for fl in &mut d.fields {
                    if d.id.value == "users" {
                        fl.sensitive = false;
                    }
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 0);
        let mut p = clean();
        p.profile.organisation.contacts.clear();
        // No contact at all: art. 21(1) and (public-facing) art. 20.
        assert_eq!(hits(&p, rule, AS_OF), 1);
        assert_eq!(hits(&p, "NDSR-20-complaint-channel", AS_OF), 1);
        p.profile.roles.public_facing = false;
        assert_eq!(hits(&p, "NDSR-20-complaint-channel", AS_OF), 0);
        let mut p = clean();
        p.profile.scale.under14_subjects = Some(1);
        p.profile.roles.processes_under14_pi = true;
        assert_eq!(hits(&p, rule, AS_OF), 1);
        p.profile.notice.children_rules = Some("儿童个人信息保护规则".into());
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }

    #[test]
    fn pipia_present_and_kept_three_years() {
        let mut p = clean();
        assert_eq!(hits(&p, "PIPL-55-pipia", AS_OF), 0);
        // pipia-account-delivery was completed 2024-12-10: not yet done on 2024-12-09.
        // account, delivery and recommend (pipia-recommend dates from 2025-03-20).
        assert_eq!(hits(&p, "PIPL-55-pipia", "2024-12-09"), 3);
        assert_eq!(hits(&p, "PIPL-55-pipia", "2024-12-10"), 1);
        for f in &mut p.files {
            for a in &mut f.map.assessments {
                if a.id.value == "pipia-account-delivery" {
                    a.records = Some(Records {
                        location: "archive".into(),
                        retention_years: 3,
                        deleted: Some(map_date("2027-12-10")),
                    });
                }
            }
        }
        assert_eq!(hits(&p, "PIPL-56-pipia-retention", AS_OF), 0);
        for f in &mut p.files {
            for a in &mut f.map.assessments {
                if a.id.value == "pipia-account-delivery" {
                    a.records.as_mut().unwrap().deleted = Some(map_date("2027-12-09"));
                }
            }
        }
        assert_eq!(hits(&p, "PIPL-56-pipia-retention", AS_OF), 1);
    }

    #[test]
    fn processing_records() {
        let rule = "PIPL-56-processing-records";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        activity(&mut p, "recommend", |a| {
            a.records.as_mut().unwrap().retention_years = 2
        });
        assert_eq!(hits(&p, rule, AS_OF), 1);
        activity(&mut p, "recommend", |a| {
            a.records.as_mut().unwrap().retention_years = 3
        });
        assert_eq!(hits(&p, rule, AS_OF), 0);
        activity(&mut p, "recommend", |a| a.records = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn pipo_threshold() {
        let rule = "PIPL-52-pipo";
        let mut p = clean();
        p.profile.officers.pipo = None;
        p.profile.scale.pi_subjects = Some(999_999);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.scale.pi_subjects = Some(1_000_000);
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn pipo_filing_thirty_working_days() {
        let rule = "PIPO-notice-filing";
        let mut p = clean();
        p.profile.scale.pi_subjects = Some(1_000_000);
        // Reached Monday 2025-09-01; 30 working days (weekends only) → Monday 2025-10-13.
        p.profile.scale.pi_1m_reached = Some(map_date("2025-09-01"));
        let due = pipo_filing_due(Some(date("2025-09-01")), Some(&WeekendsOnly));
        assert_eq!(due, date("2025-10-13"));
        let pipo = p.profile.officers.pipo.as_mut().unwrap();
        pipo.filed = None;
        let n = |p: &Project, d: &str| {
            evaluate_with(p, date(d), Some(&WeekendsOnly))
                .iter()
                .filter(|f| f.rule == rule)
                .count()
        };
        assert_eq!(n(&p, "2025-10-13"), 0);
        assert_eq!(n(&p, "2025-10-14"), 1);
        p.profile.officers.pipo.as_mut().unwrap().filed = Some(map_date("2025-10-13"));
        assert_eq!(n(&p, "2025-12-01"), 0);
        p.profile.officers.pipo.as_mut().unwrap().filed = Some(map_date("2025-10-14"));
        assert_eq!(n(&p, "2025-12-01"), 1);
        // Above 1M before the notice: the transition date 2025-08-29 applies.
        p.profile.scale.pi_1m_reached = Some(map_date("2021-03-01"));
        p.profile.officers.pipo.as_mut().unwrap().filed = None;
        assert_eq!(n(&p, "2025-08-29"), 0);
        assert_eq!(n(&p, "2025-08-30"), 1);
        // Not in force before the notice.
        assert_eq!(n(&p, "2025-07-17"), 0);
        // A new PIPO appointed on Monday 2025-09-01 must be filed by 2025-10-13; the filing
        // for the previous officer does not count.
        let pipo = p.profile.officers.pipo.as_mut().unwrap();
        pipo.appointed = Some(map_date("2025-09-01"));
        pipo.filed = Some(map_date("2025-02-10"));
        assert_eq!(n(&p, "2025-10-13"), 0);
        assert_eq!(n(&p, "2025-10-14"), 1);
        p.profile.officers.pipo.as_mut().unwrap().filed = Some(map_date("2025-10-13"));
        assert_eq!(n(&p, "2025-10-14"), 0);
        // Below 1,000,000: nothing to file.
        p.profile.scale.pi_subjects = Some(999_999);
        assert_eq!(n(&p, "2025-12-01"), 0);
    }
}
