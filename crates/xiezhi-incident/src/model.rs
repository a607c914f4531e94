//! The incident record: what happened, who reports it, how many people and which PI types are
//! affected, the other grading criteria, and the free-text content of the authority report.
//!
//! Loaded from YAML or JSON with `deny_unknown_fields` (a misspelt key is an error, not a silent
//! default). **The record holds no personal-information values**: only counts of people and PI
//! *types*. Free-text fields are written by the operator and must not quote leaked data.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xiezhi_model::{Lang, PiType};

use crate::time::Timestamp;

/// Operator-written text in Simplified Chinese, optionally with an English version.
///
/// In YAML/JSON either a plain string (Chinese only) or `{zh: ..., en: ...}`. English output
/// falls back to the Chinese text when no English version is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English, if written.
    pub en: Option<String>,
}

impl Text {
    /// A Chinese-only text.
    pub fn zh(s: impl Into<String>) -> Text {
        Text {
            zh: s.into(),
            en: None,
        }
    }

    /// A text in both languages.
    pub fn both(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: Some(en.into()),
        }
    }

    /// The text in `lang` (English falls back to Chinese).
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => &self.zh,
        }
    }

    /// `true` when the Chinese text is blank.
    pub fn is_blank(&self) -> bool {
        self.zh.trim().is_empty()
    }
}

#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum TextRepr {
    Plain(String),
    Both(TextBoth),
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TextBoth {
    zh: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    en: Option<String>,
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.en {
            None => TextRepr::Plain(self.zh.clone()),
            Some(en) => TextRepr::Both(TextBoth {
                zh: self.zh.clone(),
                en: Some(en.clone()),
            }),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match TextRepr::deserialize(d)? {
            TextRepr::Plain(zh) => Text { zh, en: None },
            TextRepr::Both(b) => Text { zh: b.zh, en: b.en },
        })
    }
}

/// Who reports, which fixes the initial-report deadline and recipient (Incident Measures art. 4,
/// catalog 4.9 table, \[C2\]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReporterType {
    /// The incident involves critical information infrastructure (关键信息基础设施); its operator
    /// reports to the protection working department **and** public security within 1 hour.
    CiiOperator,
    /// Central and state organs and their units (中央和国家机关各部门及其所属单位): own cyber-affairs
    /// body within 2 hours.
    CentralStateOrgan,
    /// Every other network operator: the provincial CAC where it is located within 4 hours.
    Other,
}

impl ReporterType {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReporterType::CiiOperator, Lang::ZhCn) => "关键信息基础设施运营者",
            (ReporterType::CiiOperator, Lang::En) => "critical information infrastructure operator",
            (ReporterType::CentralStateOrgan, Lang::ZhCn) => "中央和国家机关各部门及其所属单位",
            (ReporterType::CentralStateOrgan, Lang::En) => {
                "central or state organ (or a unit under it)"
            }
            (ReporterType::Other, Lang::ZhCn) => "其他网络运营者",
            (ReporterType::Other, Lang::En) => "other network operator",
        }
    }
}

/// Type of incident (事件类型), as entered in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// 数据泄露 — data (incl. PI) leaked or stolen.
    DataLeak,
    /// 数据篡改 — data tampered with.
    DataTampering,
    /// 数据丢失 — data lost.
    DataLoss,
    /// 勒索软件攻击 — ransomware (the report then asks for the ransom demand).
    Ransomware,
    /// 恶意程序 — other malicious programs.
    Malware,
    /// 网络攻击 — network attack (DDoS, intrusion, …).
    NetworkAttack,
    /// 安全漏洞 — a security defect or vulnerability (Reg. art. 10).
    Vulnerability,
    /// 设备设施故障 / 服务中断 — equipment or facility failure, service outage.
    Outage,
    /// 信息内容安全 — information-content security incident.
    Content,
    /// 其他 — other.
    Other,
}

impl IncidentKind {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            IncidentKind::DataLeak => ("数据泄露", "data leak"),
            IncidentKind::DataTampering => ("数据篡改", "data tampering"),
            IncidentKind::DataLoss => ("数据丢失", "data loss"),
            IncidentKind::Ransomware => ("勒索软件攻击", "ransomware attack"),
            IncidentKind::Malware => ("恶意程序事件", "malicious program"),
            IncidentKind::NetworkAttack => ("网络攻击", "network attack"),
            IncidentKind::Vulnerability => ("安全漏洞", "security vulnerability"),
            IncidentKind::Outage => (
                "设备设施故障或服务中断",
                "equipment failure or service outage",
            ),
            IncidentKind::Content => ("信息内容安全事件", "information-content security incident"),
            IncidentKind::Other => ("其他网络安全事件", "other cybersecurity incident"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// Grade of an incident (网络安全事件分级指南), lowest first so that `max` is the grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 一般 — general; not reportable under the Incident Measures.
    General,
    /// 较大 — relatively large; the lowest reportable grade.
    RelativelyLarge,
    /// 重大 — major.
    Major,
    /// 特别重大 — especially major.
    EspeciallyMajor,
}

impl Level {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::General, Lang::ZhCn) => "一般",
            (Level::General, Lang::En) => "general",
            (Level::RelativelyLarge, Lang::ZhCn) => "较大",
            (Level::RelativelyLarge, Lang::En) => "relatively large",
            (Level::Major, Lang::ZhCn) => "重大",
            (Level::Major, Lang::En) => "major",
            (Level::EspeciallyMajor, Lang::ZhCn) => "特别重大",
            (Level::EspeciallyMajor, Lang::En) => "especially major",
        }
    }

    /// "Relatively large" and above must be reported under the Incident Measures \[C2\].
    pub fn is_reportable(self) -> bool {
        self >= Level::RelativelyLarge
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::ZhCn))
    }
}

/// Personal information affected by the incident: counts and types only, never values.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiImpact {
    /// People whose PI leaked (or was stolen, tampered with or lost): the count the grading
    /// guide's "N 人以上个人信息泄露" thresholds use. Every person counted once.
    pub people: u64,
    /// Of `people`, those whose **sensitive** PI is affected (PIPL 28). Reported, not graded on.
    #[serde(default)]
    pub sensitive_people: u64,
    /// PI types involved (ids of `xiezhi types`).
    #[serde(default)]
    pub types: Vec<PiType>,
    /// The counts are estimates (e.g. from the data map), not yet confirmed.
    #[serde(default)]
    pub estimated: bool,
    /// Minors (under 18) are among the people (Regulation on Minors' Online Protection art. 35).
    #[serde(default)]
    pub involves_minors: bool,
}

/// A grading criterion of the guide that the catalog gives **without a number** (e.g. outage of
/// CII, threat to national security); the operator assesses the level and says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherCriterion {
    /// 重要数据或个人信息丢失、被窃取、篡改，对国家安全造成威胁 — loss or theft of (relatively
    /// large amounts of) important data or PI threatening national security.
    NationalSecurityThreat,
    /// 关键信息基础设施或重要网络和信息系统中断运行 — interruption of CII or important systems.
    SystemOutage,
    /// 对社会秩序、公众生产生活造成影响 — impact on public order or daily life of the public.
    PublicImpact,
    /// Another criterion of the guide (say which in `reason`).
    Other,
}

impl OtherCriterion {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (OtherCriterion::NationalSecurityThreat, Lang::ZhCn) => {
                "重要数据或个人信息丢失、被窃取、篡改，对国家安全造成威胁"
            }
            (OtherCriterion::NationalSecurityThreat, Lang::En) => {
                "loss, theft or tampering of important data or PI threatening national security"
            }
            (OtherCriterion::SystemOutage, Lang::ZhCn) => {
                "关键信息基础设施或重要网络和信息系统中断运行"
            }
            (OtherCriterion::SystemOutage, Lang::En) => {
                "interruption of CII or important networks and information systems"
            }
            (OtherCriterion::PublicImpact, Lang::ZhCn) => "对社会秩序和公众生产生活造成影响",
            (OtherCriterion::PublicImpact, Lang::En) => {
                "impact on public order and the daily life of the public"
            }
            (OtherCriterion::Other, Lang::ZhCn) => "分级指南的其他情形",
            (OtherCriterion::Other, Lang::En) => "another criterion of the grading guide",
        }
    }
}

/// The operator's assessment of a criterion without a number in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessedCriterion {
    /// Which criterion.
    pub criterion: OtherCriterion,
    /// The level the operator assesses it reaches.
    pub level: Level,
    /// Why (required, non-blank).
    pub reason: Text,
}

/// The free-text content of the authority report beyond the structured fields (Incident
/// Measures art. 7 as listed in catalog 4.9; the list is \[UNCONFIRMED\] as exhaustive).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDetails {
    /// 已造成的影响和危害 — impact and harm caused (beyond counts and loss).
    #[serde(default)]
    pub impact: Option<Text>,
    /// 已采取的应急处置措施及效果 — emergency measures taken and their effect.
    #[serde(default)]
    pub measures_taken: Option<Text>,
    /// 勒索软件事件的勒索信息 — the ransom demand (ransomware only).
    #[serde(default)]
    pub ransom_demand: Option<Text>,
    /// 事件发展态势及可能造成的进一步影响 — trend and possible further impact.
    #[serde(default)]
    pub trend: Option<Text>,
    /// 初步分析的事件原因 — preliminary cause analysis.
    #[serde(default)]
    pub preliminary_cause: Option<Text>,
    /// 进一步调查分析所需的线索 — clues for tracing and investigation.
    #[serde(default)]
    pub tracing_clues: Option<Text>,
    /// 拟进一步采取的应对措施及需要的支援 — further measures planned and support requested.
    #[serde(default)]
    pub further_measures: Option<Text>,
    /// 事件现场保护情况 — on-site preservation status.
    #[serde(default)]
    pub site_preservation: Option<Text>,
}

/// The content of the post-incident summary report (within 30 days after handling ends,
/// Incident Measures art. 8, \[C2\]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryDetails {
    /// 事件原因 — cause.
    #[serde(default)]
    pub cause: Option<Text>,
    /// 应急处置措施 — measures taken.
    #[serde(default)]
    pub measures: Option<Text>,
    /// 危害 — harm.
    #[serde(default)]
    pub harm: Option<Text>,
    /// 责任处理 — accountability.
    #[serde(default)]
    pub accountability: Option<Text>,
    /// 整改情况 — rectification.
    #[serde(default)]
    pub rectification: Option<Text>,
    /// 经验教训 — lessons learned.
    #[serde(default)]
    pub lessons: Option<Text>,
}

/// One cybersecurity / data-security incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// Stable id, e.g. `INC-2026-007`.
    pub id: String,
    /// Short title (no PI values).
    pub title: Text,
    /// Type of incident.
    pub kind: IncidentKind,
    /// Reporter type (fixes the initial-report deadline).
    pub reporter: ReporterType,
    /// When the operator discovered the incident: every hour-based clock starts here.
    pub detected_at: Timestamp,
    /// When it happened, if known.
    #[serde(default)]
    pub occurred_at: Option<Timestamp>,
    /// 事发单位 — the reporting unit (organisation name).
    #[serde(default)]
    pub reporting_unit: Option<String>,
    /// Organisational contact point (desk, hotline, mailbox) for the authority and for the
    /// notices; not a private person's data.
    #[serde(default)]
    pub contact: Option<String>,
    /// 地点 — where it happened (site, data centre, region).
    #[serde(default)]
    pub location: Option<Text>,
    /// 发生事件的设施、系统、平台 — affected facilities, systems and platforms (names).
    #[serde(default)]
    pub affected_systems: Vec<String>,
    /// Personal information affected (counts and types).
    #[serde(default)]
    pub pi: Option<PiImpact>,
    /// 直接经济损失 in yuan (CNY).
    #[serde(default)]
    pub direct_economic_loss_cny: Option<u64>,
    /// Total service outage so far, in minutes (recorded; the catalog has no outage threshold,
    /// see [`AssessedCriterion`]).
    #[serde(default)]
    pub outage_minutes: Option<u64>,
    /// A vulnerability or security defect that endangers national security or the public
    /// interest (Reg. art. 10: report within 24 hours).
    #[serde(default)]
    pub endangers_national_security_or_public_interest: bool,
    /// The incident harms individuals or organisations (Reg. art. 11: notify them promptly).
    /// Implied when PI of at least one person is affected.
    #[serde(default)]
    pub harms_individuals_or_organisations: bool,
    /// Clues of a crime were found (Reg. art. 11: report to public security / state security).
    #[serde(default)]
    pub suspected_crime: bool,
    /// Criteria without a number in the catalog, as assessed by the operator.
    #[serde(default)]
    pub assessed: Vec<AssessedCriterion>,
    /// Free-text content of the authority report.
    #[serde(default)]
    pub details: ReportDetails,
    /// Content of the summary report.
    #[serde(default)]
    pub summary: Option<SummaryDetails>,
}

/// Errors loading or checking an incident record. Messages name fields, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncidentError {
    /// The JSON does not match the incident schema.
    #[error("incident record is not valid JSON for the incident schema: {0}")]
    Syntax(String),
    /// A required text field is blank.
    #[error("incident field `{0}` is blank; fill it in")]
    Blank(&'static str),
    /// More people with sensitive PI than people in total.
    #[error(
        "incident field `pi.sensitive_people` exceeds `pi.people`; count every person once in `people` and the subset with sensitive PI in `sensitive_people`"
    )]
    SensitiveExceedsTotal,
    /// An assessed criterion has no reason.
    #[error(
        "incident field `assessed[{0}].reason` is blank; say why the criterion reaches the level"
    )]
    AssessedWithoutReason(usize),
    /// Occurrence after detection.
    #[error("incident field `occurred_at` is after `detected_at`")]
    OccurredAfterDetected,
}

impl Incident {
    /// Parses a JSON record and [`validate`](Incident::validate)s it.
    pub fn from_json(text: &str) -> Result<Incident, IncidentError> {
        let inc: Incident =
            serde_json::from_str(text).map_err(|e| IncidentError::Syntax(e.to_string()))?;
        inc.validate()?;
        Ok(inc)
    }

    /// Checks what the schema cannot: non-blank id and title, consistent counts, reasons.
    pub fn validate(&self) -> Result<(), IncidentError> {
        if self.id.trim().is_empty() {
            return Err(IncidentError::Blank("id"));
        }
        if self.title.is_blank() {
            return Err(IncidentError::Blank("title"));
        }
        if let Some(pi) = &self.pi
            && pi.sensitive_people > pi.people
        {
            return Err(IncidentError::SensitiveExceedsTotal);
        }
        for (i, a) in self.assessed.iter().enumerate() {
            if a.reason.is_blank() {
                return Err(IncidentError::AssessedWithoutReason(i));
            }
        }
        if let Some(o) = self.occurred_at
            && o > self.detected_at
        {
            return Err(IncidentError::OccurredAfterDetected);
        }
        Ok(())
    }

    /// People whose PI is affected (0 when none recorded).
    pub fn pi_people(&self) -> u64 {
        self.pi.as_ref().map_or(0, |p| p.people)
    }

    /// `true` when personal information is involved (people counted or PI types named).
    pub fn involves_pi(&self) -> bool {
        self.pi
            .as_ref()
            .is_some_and(|p| p.people > 0 || !p.types.is_empty())
    }

    /// A minimal record: the fields every incident has, everything else empty.
    pub fn new(
        id: impl Into<String>,
        title: Text,
        kind: IncidentKind,
        reporter: ReporterType,
        detected_at: Timestamp,
    ) -> Incident {
        Incident {
            id: id.into(),
            title,
            kind,
            reporter,
            detected_at,
            occurred_at: None,
            reporting_unit: None,
            contact: None,
            location: None,
            affected_systems: Vec::new(),
            pi: None,
            direct_economic_loss_cny: None,
            outage_minutes: None,
            endangers_national_security_or_public_interest: false,
            harms_individuals_or_organisations: false,
            suspected_crime: false,
            assessed: Vec::new(),
            details: ReportDetails::default(),
            summary: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
        "id": "INC-1", "title": "订单库泄露", "kind": "data_leak", "reporter": "other",
        "detected_at": "2026-03-01T10:00:00+08:00",
        "pi": {"people": 1000000, "sensitive_people": 20, "types": ["cn_mobile", "person_name"]},
        "details": {"measures_taken": {"zh": "已封堵", "en": "Blocked"}}
    }"#;

    #[test]
    fn loads_json_and_text_forms() -> Result<(), IncidentError> {
        let inc = Incident::from_json(JSON)?;
        assert_eq!(inc.pi_people(), 1_000_000);
        assert_eq!(inc.title.get(Lang::En), "订单库泄露");
        let m = inc.details.measures_taken.clone().unwrap_or_default();
        assert_eq!(m.get(Lang::En), "Blocked");
        let back = serde_json::to_string(&inc).map_err(|e| IncidentError::Syntax(e.to_string()))?;
        assert_eq!(Incident::from_json(&back)?, inc);
        Ok(())
    }

    #[test]
    fn unknown_fields_and_bad_counts_are_errors() {
        let typo = JSON.replace("\"kind\"", "\"kidn\"");
        assert!(matches!(
            Incident::from_json(&typo),
            Err(IncidentError::Syntax(_))
        ));
        let bad = JSON.replace("\"sensitive_people\": 20", "\"sensitive_people\": 1000001");
        assert_eq!(
            Incident::from_json(&bad),
            Err(IncidentError::SensitiveExceedsTotal)
        );
        let nested = JSON
            .replace("\"estimated\"", "x")
            .replace("\"types\"", "\"typs\"");
        assert!(Incident::from_json(&nested).is_err());
    }
}
