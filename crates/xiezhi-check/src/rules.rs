//! Article-level rules evaluated on a loaded data map (`xiezhi check`, catalog 6.3 SR-RULE-02).
//!
//! Each [`Rule`] names its catalog SR item, the articles it enforces, the dates it is in force
//! and its penalty group; [`evaluate`] runs every rule in force on a date and returns
//! [`Finding`]s with file:line:column and penalty exposure.

use std::path::{Path, PathBuf};

use serde::Serialize;
use xiezhi_map::model::{
    ConsentKind, LegalBasis, Relationship, SubjectKind, TransferMechanism, TransferScenario,
};
use xiezhi_map::{At, PROFILE_FILE, Project};

use crate::Lang;
use crate::date::Date;
use crate::penalty::{Exposure, GroupId, exposure};
use crate::xborder::{self, Compliance, Exporter, InPlace, Scenario};

/// Art. 28: processors of the PI of 10,000,000 individuals or more (以上, inclusive).
pub const ART28_PI_SUBJECTS: u64 = 10_000_000;
/// Art. 62(8): large platform by registered users (inclusive).
pub const ART62_REGISTERED_USERS: u64 = 50_000_000;
/// Art. 62(8): large platform by monthly active users (inclusive).
pub const ART62_MONTHLY_ACTIVE_USERS: u64 = 10_000_000;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A record or declaration is incomplete.
    Medium,
    /// A legal precondition of processing is missing.
    High,
}

/// One violation found by a rule, before the rule's metadata is attached.
struct Hit {
    file: PathBuf,
    line: u64,
    column: u64,
    zh: String,
    en: String,
}

impl Hit {
    fn at<T>(file: &Path, at: &At<T>, zh: String, en: String) -> Hit {
        Hit {
            file: file.to_path_buf(),
            line: at.line,
            column: at.column,
            zh,
            en,
        }
    }

    fn profile(zh: String, en: String) -> Hit {
        Hit {
            file: PathBuf::from(PROFILE_FILE),
            line: 0,
            column: 0,
            zh,
            en,
        }
    }
}

type CheckFn = fn(&Project, Date) -> Vec<Hit>;

/// A rule of the catalog.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable id, e.g. `NDSR-12-provision-contract`.
    pub id: &'static str,
    /// Catalog requirement (section 6), e.g. `SR-MAP-01`.
    pub sr: &'static str,
    /// Articles enforced, e.g. `Reg. 12`, `PIPL 29`.
    pub articles: &'static [&'static str],
    /// First day in force (year, month, day).
    pub effective_from: (i32, u32, u32),
    /// Last day in force, if repealed or superseded.
    pub effective_to: Option<(i32, u32, u32)>,
    /// Penalty group of catalog section 3.
    pub penalty: GroupId,
    /// Severity of its findings.
    pub severity: Severity,
    /// Title in Simplified Chinese.
    pub title_zh: &'static str,
    /// Title in English.
    pub title_en: &'static str,
    check: CheckFn,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish()
    }
}

impl Rule {
    /// Whether the rule is in force on `as_of`.
    pub fn in_force(&self, as_of: Date) -> bool {
        let date = |(y, m, d): (i32, u32, u32)| Date::new(y, m, d).ok();
        let from_ok = date(self.effective_from).is_some_and(|f| f <= as_of);
        let to_ok = match self.effective_to {
            None => true,
            Some(t) => date(t).is_some_and(|t| as_of <= t),
        };
        from_ok && to_ok
    }

    /// Title in `lang`.
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.title_zh,
            Lang::En => self.title_en,
        }
    }
}

/// A finding: a rule violated at a place in the data map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Catalog requirement.
    pub sr: &'static str,
    /// Articles enforced.
    pub articles: Vec<&'static str>,
    /// Severity.
    pub severity: Severity,
    /// Message in Simplified Chinese.
    pub message_zh: String,
    /// Message in English.
    pub message_en: String,
    /// File, relative to the project directory.
    pub file: PathBuf,
    /// 1-based line (0 when the finding concerns the file as a whole).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// Penalty exposure of the rule's group (turnover cap from the profile's prior-year turnover).
    pub exposure: Exposure,
}

impl Finding {
    /// Message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }

    /// `file:line:column` (or just the file when the position is unknown).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.display().to_string()
        } else {
            format!("{}:{}:{}", self.file.display(), self.line, self.column)
        }
    }
}

/// Every rule of the catalog.
pub fn catalog() -> &'static [Rule] {
    &RULES
}

/// Runs every rule in force on `as_of`; findings are in catalog order, then map order.
pub fn evaluate(project: &Project, as_of: Date) -> Vec<Finding> {
    let revenue = project.profile.scale.prior_year_turnover_cny;
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| r.in_force(as_of)) {
        for hit in (rule.check)(project, as_of) {
            out.push(Finding {
                rule: rule.id,
                sr: rule.sr,
                articles: rule.articles.to_vec(),
                severity: rule.severity,
                message_zh: hit.zh,
                message_en: hit.en,
                file: hit.file,
                line: hit.line,
                column: hit.column,
                exposure: exposure(rule.penalty, revenue),
            });
        }
    }
    out
}

const REG_790: (i32, u32, u32) = (2025, 1, 1);
const PIPL: (i32, u32, u32) = (2021, 11, 1);
const CBDF: (i32, u32, u32) = (2024, 3, 22);

static RULES: [Rule; 9] = [
    Rule {
        id: "NDSR-12-provision-contract",
        sr: "SR-MAP-01",
        articles: &["Reg. 12", "PIPL 21", "PIPL 23"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "提供或委托处理个人信息须约定目的、方式、范围和安全保护义务",
        title_en: "Provision or entrustment needs a contract fixing purpose, method, scope and security duties",
        check: check_provision_contract,
    },
    Rule {
        id: "NDSR-12-joint-allocation",
        sr: "SR-MAP-04",
        articles: &["Reg. 12 para 3", "PIPL 20"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::Medium,
        title_zh: "共同处理须约定各自的权利和义务",
        title_en: "Joint processing needs an agreed allocation of rights and duties",
        check: check_joint_allocation,
    },
    Rule {
        id: "PIPL-14-consent-recorded",
        sr: "SR-RULE-03",
        articles: &["PIPL 13(1)", "PIPL 14"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "以同意为合法性基础的处理活动须记录所取得的同意",
        title_en: "An activity based on consent must record the consent obtained",
        check: check_consent_recorded,
    },
    Rule {
        id: "PIPL-29-separate-consent",
        sr: "SR-RULE-03",
        articles: &["PIPL 29", "Reg. 22"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "基于同意处理敏感个人信息须取得单独同意",
        title_en: "Sensitive PI processed on consent needs separate consent",
        check: check_separate_consent,
    },
    Rule {
        id: "PIPL-31-guardian-consent",
        sr: "SR-RULE-03",
        articles: &["PIPL 31", "Reg. 22"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "处理不满十四周岁未成年人个人信息须取得监护人同意",
        title_en: "PI of children under 14 needs the consent of a parent or guardian",
        check: check_guardian_consent,
    },
    Rule {
        id: "CBDF-transfer-mechanism",
        sr: "SR-MAP-05",
        articles: &["Reg. 35", "PIPL 38", "CBDF 3-8"],
        effective_from: CBDF,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "出境传输须具备所要求的出境机制",
        title_en: "A cross-border transfer needs the mechanism the rules require",
        check: check_transfer_mechanism,
    },
    Rule {
        id: "NDSR-28-ten-million",
        sr: "SR-RULE-02",
        articles: &["Reg. 28", "Reg. 30"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg57,
        severity: Severity::High,
        title_zh: "处理1000万人以上个人信息须明确网络数据安全负责人和管理机构",
        title_en: "PI of 10 million or more people: name a data security officer and body",
        check: check_ten_million,
    },
    Rule {
        id: "NDSR-62-large-platform",
        sr: "SR-RULE-08",
        articles: &["Reg. 62(8)", "Reg. 44-46"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "用户规模达到大型网络平台标准须按大型平台履行义务",
        title_en: "User counts at the art. 62(8) threshold make a large network platform",
        check: check_large_platform,
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
        check: check_retention,
    },
];

fn check_provision_contract(p: &Project, _: Date) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, r) in p.each(|m| &m.recipients) {
        if !matches!(
            r.relationship,
            Relationship::Entrusted | Relationship::Provided
        ) {
            continue;
        }
        let Some(c) = &r.contract else {
            hits.push(Hit::at(
                file,
                &r.id,
                format!("接收方 {} 无合同（第十二条）", r.id),
                format!("recipient {} has no contract (art. 12)", r.id),
            ));
            continue;
        };
        let missing: Vec<&str> = [
            ("purpose", c.purpose.is_none()),
            ("method", c.method.is_none()),
            ("scope", c.scope.is_none()),
            ("security_obligations", c.security_obligations.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(n, _)| *n)
        .collect();
        if !missing.is_empty() {
            let list = missing.join(", ");
            hits.push(Hit::at(
                file,
                &r.id,
                format!(
                    "接收方 {} 的合同 {} 未约定：{list}（第十二条）",
                    r.id, c.reference
                ),
                format!(
                    "contract {} with recipient {} does not fix: {list} (art. 12)",
                    c.reference, r.id
                ),
            ));
        }
    }
    hits
}

fn check_joint_allocation(p: &Project, _: Date) -> Vec<Hit> {
    p.each(|m| &m.recipients)
        .filter(|(_, r)| r.relationship == Relationship::Joint)
        .filter(|(_, r)| {
            r.contract
                .as_ref()
                .is_none_or(|c| c.allocation_of_duties.is_none())
        })
        .map(|(file, r)| {
            Hit::at(
                file,
                &r.id,
                format!("共同处理方 {} 未约定权利义务分配（第十二条第三款）", r.id),
                format!(
                    "joint processor {} has no allocation of rights and duties (art. 12 para 3)",
                    r.id
                ),
            )
        })
        .collect()
}

fn check_consent_recorded(p: &Project, _: Date) -> Vec<Hit> {
    p.each(|m| &m.activities)
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

/// Datasets of the project by id.
fn dataset<'a>(p: &'a Project, id: &str) -> Option<&'a xiezhi_map::model::Dataset> {
    p.each(|m| &m.datasets)
        .map(|(_, d)| d)
        .find(|d| d.id.value == id)
}

fn check_separate_consent(p: &Project, _: Date) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, a) in p.each(|m| &m.activities) {
        if a.legal_basis != LegalBasis::Consent
            || a.consent
                .iter()
                .any(|c| matches!(c, ConsentKind::Separate | ConsentKind::Written))
        {
            continue;
        }
        let sensitive: Vec<String> = a
            .datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
            .flat_map(|d| {
                d.fields
                    .iter()
                    .filter(|f| f.sensitive)
                    .map(move |f| format!("{}.{}", d.id.value, f.name.value))
            })
            .collect();
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

fn check_guardian_consent(p: &Project, _: Date) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, a) in p.each(|m| &m.activities) {
        if a.consent.contains(&ConsentKind::Guardian) {
            continue;
        }
        let children = a
            .datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
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

fn to_date(d: Option<xiezhi_map::Date>) -> Option<Date> {
    d.and_then(|d| {
        Date::new(
            i32::from(d.year()),
            u32::from(d.month()),
            u32::from(d.day()),
        )
        .ok()
    })
}

fn check_transfer_mechanism(p: &Project, as_of: Date) -> Vec<Hit> {
    let mut hits = Vec::new();
    let exporter = Exporter {
        id: p.profile.organisation.name.clone(),
        ciio: p.profile.roles.cii_operator,
    };
    for (file, t) in p.each(|m| &m.transfers) {
        let year = as_of.year();
        let counts = t
            .subjects_by_year
            .iter()
            .find(|y| i32::from(y.year) == year);
        let scenario = match t.scenario {
            TransferScenario::General | TransferScenario::CollectedAbroad => Scenario::General,
            TransferScenario::NonPersonalBusiness => Scenario::NoPiNoImportantData,
            TransferScenario::ContractNecessity => Scenario::ContractWithIndividual,
            TransferScenario::HrManagement => Scenario::HrManagement,
            TransferScenario::Emergency => Scenario::Emergency,
            TransferScenario::FreeTradeZone => Scenario::FtzOutsideNegativeList,
        };
        let start = to_date(t.valid_from);
        let in_place = match (t.mechanism, start) {
            (TransferMechanism::SecurityAssessment, Some(passed_on)) => {
                Some(InPlace::SecurityAssessment {
                    passed_on,
                    extended: false,
                })
            }
            (TransferMechanism::StandardContract, Some(effective_on)) => {
                Some(InPlace::StandardContract {
                    effective_on,
                    filed_on: to_date(t.filed),
                })
            }
            (TransferMechanism::Certification, Some(certified_on)) => {
                Some(InPlace::Certification {
                    certified_on,
                    valid_until: to_date(t.valid_until),
                })
            }
            _ => None,
        };
        let x = xborder::Transfer {
            id: t.id.value.clone(),
            exporter: exporter.clone(),
            year,
            scenario,
            destination: t.destination.clone(),
            recipient: t.recipient.value.clone(),
            general_pi_individuals: counts.map_or(0, |c| c.general),
            sensitive_pi_individuals: counts.map_or(0, |c| c.sensitive),
            important_data: if t.important_data {
                xborder::ImportantData::NotifiedOrPublished
            } else {
                xborder::ImportantData::None
            },
            in_place,
        };
        let d = xborder::decide(&x, as_of, None);
        let bad = matches!(
            d.compliance,
            Compliance::Missing
                | Compliance::Insufficient
                | Compliance::Expired
                | Compliance::FilingOverdue
        );
        if bad {
            let (zh, en) = match d.compliance {
                Compliance::Missing => ("缺少出境机制", "no mechanism in place"),
                Compliance::Insufficient => ("现有机制不足", "mechanism in place is too weak"),
                Compliance::Expired => ("出境机制已过期", "mechanism has expired"),
                _ => ("标准合同备案逾期", "standard-contract filing overdue"),
            };
            hits.push(Hit::at(
                file,
                &t.id,
                format!(
                    "出境传输 {}：{zh}；要求：{}",
                    t.id,
                    d.required.label(Lang::ZhCn)
                ),
                format!(
                    "transfer {}: {en}; required: {}",
                    t.id,
                    d.required.label(Lang::En)
                ),
            ));
        }
    }
    hits
}

fn check_ten_million(p: &Project, _: Date) -> Vec<Hit> {
    let Some(n) = p.profile.scale.pi_subjects else {
        return Vec::new();
    };
    if n < ART28_PI_SUBJECTS {
        return Vec::new();
    }
    let o = &p.profile.officers;
    let mut missing = Vec::new();
    if o.data_security_officer.is_none() {
        missing.push("officers.data_security_officer");
    }
    if o.data_security_organisation.is_none() {
        missing.push("officers.data_security_organisation");
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let list = missing.join(", ");
    vec![Hit::profile(
        format!("处理 {n} 人个人信息（第二十八条：1000万人以上），缺少：{list}（第三十条）"),
        format!("PI of {n} people (art. 28: 10,000,000 or more) but missing: {list} (art. 30)"),
    )]
}

fn check_large_platform(p: &Project, _: Date) -> Vec<Hit> {
    let s = &p.profile.scale;
    let reg = s
        .registered_users
        .is_some_and(|n| n >= ART62_REGISTERED_USERS);
    let mau = s
        .monthly_active_users
        .is_some_and(|n| n >= ART62_MONTHLY_ACTIVE_USERS);
    if !(reg || mau) || p.profile.roles.large_platform {
        return Vec::new();
    }
    vec![Hit::profile(
        "用户规模达到第六十二条第八项的大型网络平台标准（注册用户5000万以上或月活1000万以上），但 roles.large_platform 为 false".to_string(),
        "user counts meet art. 62(8) (50,000,000+ registered or 10,000,000+ monthly active users) but roles.large_platform is false".to_string(),
    )]
}

fn check_retention(p: &Project, _: Date) -> Vec<Hit> {
    p.each(|m| &m.activities)
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn example(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("xiezhi-rules-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        xiezhi_map::init_project(&dir).unwrap();
        let p = xiezhi_map::load_project(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        p
    }

    fn ids(p: &Project, as_of: &str) -> Vec<&'static str> {
        evaluate(p, Date::parse(as_of).unwrap())
            .iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn art28_boundary() {
        let mut p = example("art28");
        p.profile.officers.data_security_officer = None;
        p.profile.scale.pi_subjects = Some(9_999_999);
        assert!(!ids(&p, "2025-06-30").contains(&"NDSR-28-ten-million"));
        p.profile.scale.pi_subjects = Some(10_000_000);
        assert!(ids(&p, "2025-06-30").contains(&"NDSR-28-ten-million"));
        // Not in force before 2025-01-01.
        assert!(!ids(&p, "2024-12-31").contains(&"NDSR-28-ten-million"));
    }

    #[test]
    fn art62_boundaries() {
        let mut p = example("art62");
        p.profile.roles.large_platform = false;
        p.profile.scale.registered_users = Some(49_999_999);
        p.profile.scale.monthly_active_users = Some(9_999_999);
        assert!(!ids(&p, "2025-06-30").contains(&"NDSR-62-large-platform"));
        p.profile.scale.registered_users = Some(50_000_000);
        assert!(ids(&p, "2025-06-30").contains(&"NDSR-62-large-platform"));
        p.profile.scale.registered_users = Some(1);
        p.profile.scale.monthly_active_users = Some(10_000_000);
        assert!(ids(&p, "2025-06-30").contains(&"NDSR-62-large-platform"));
        p.profile.roles.large_platform = true;
        assert!(!ids(&p, "2025-06-30").contains(&"NDSR-62-large-platform"));
    }

    #[test]
    fn example_findings_and_recipient_rules() {
        let mut p = example("recipients");
        let got = ids(&p, "2025-06-30");
        assert!(got.contains(&"NDSR-12-provision-contract"), "{got:?}");
        assert!(got.contains(&"PIPL-29-separate-consent"), "{got:?}");
        assert!(!got.contains(&"NDSR-12-joint-allocation"), "{got:?}");
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if let Some(c) = &mut r.contract {
                    c.purpose.get_or_insert_with(|| "x".into());
                    c.method.get_or_insert_with(|| "x".into());
                    c.scope.get_or_insert_with(|| "x".into());
                    c.security_obligations.get_or_insert_with(|| "x".into());
                    c.allocation_of_duties = None;
                }
            }
        }
        let got = ids(&p, "2025-06-30");
        assert!(!got.contains(&"NDSR-12-provision-contract"), "{got:?}");
        assert!(got.contains(&"NDSR-12-joint-allocation"), "{got:?}");
        let f = evaluate(&p, Date::parse("2025-06-30").unwrap());
        assert!(
            f.iter()
                .all(|f| f.line > 0 || f.file.ends_with(PROFILE_FILE))
        );
    }

    #[test]
    fn consent_rules() {
        let mut p = example("consent");
        for f in &mut p.files {
            for a in &mut f.map.activities {
                if a.legal_basis == LegalBasis::Consent {
                    a.consent = vec![ConsentKind::Separate];
                }
            }
        }
        let got = ids(&p, "2025-06-30");
        assert!(!got.contains(&"PIPL-29-separate-consent"), "{got:?}");
        assert!(!got.contains(&"PIPL-14-consent-recorded"), "{got:?}");
        assert!(!got.contains(&"PIPL-31-guardian-consent"), "{got:?}");
        for f in &mut p.files {
            for a in &mut f.map.activities {
                a.consent.clear();
                a.retention = None;
            }
            for d in &mut f.map.datasets {
                d.subjects.push(SubjectKind::ChildrenUnder14);
            }
        }
        let got = ids(&p, "2025-06-30");
        assert!(got.contains(&"PIPL-14-consent-recorded"), "{got:?}");
        assert!(got.contains(&"PIPL-31-guardian-consent"), "{got:?}");
        assert!(got.contains(&"NDSR-21-retention"), "{got:?}");
    }

    #[test]
    fn transfer_without_mechanism() {
        let mut p = example("xborder");
        assert!(!ids(&p, "2025-06-30").contains(&"CBDF-transfer-mechanism"));
        for f in &mut p.files {
            for t in &mut f.map.transfers {
                t.mechanism = TransferMechanism::None;
            }
        }
        let got = ids(&p, "2025-06-30");
        let has_counts = p
            .each(|m| &m.transfers)
            .any(|(_, t)| t.subjects_by_year.iter().any(|y| y.year == 2025));
        assert_eq!(
            got.contains(&"CBDF-transfer-mechanism"),
            has_counts,
            "{got:?}"
        );
        assert!(catalog().len() >= 6);
    }
}
