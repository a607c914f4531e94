//! Article-level rules evaluated on a loaded data map (`xiezhi check`, catalog 6.3 SR-RULE-02).
//!
//! Each [`Rule`] names its catalog SR item, the articles it enforces, the dates it is in force,
//! its penalty group and the confidence mark of the catalog entry; [`evaluate`] runs every rule
//! in force on a date and returns [`Finding`]s with file:line:column, penalty exposure and the
//! Reg. art. 59 mitigation grounds the profile records for the rule.
//!
//! One module per article group:
//! [`entity`] (role flags, SR-DISC-07), `flows` (art. 12), `pi` (ch. III, PIPL consent,
//! retention, notice, PIPIA, PIPO), `important` (arts. 29–33), `xborder` (arts. 35–38, CBDF,
//! PIPL 39), `platform` (arts. 40–46), `governance` (art. 9, CSL 21, audits), `crawler_ai`
//! (arts. 18–19) and `state` (art. 16).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Serialize;
use xiezhi_map::model::{Assessment, AssessmentKind, Dataset, MitigationGround, Records};
use xiezhi_map::{At, PROFILE_FILE, Project};

use crate::date::{Date, WorkdayCalendar};
use crate::penalty::{Exposure, GroupId, Mitigation, exposure};
use crate::{Confidence, Lang};

mod crawler_ai;
pub mod entity;
mod flows;
mod governance;
mod important;
mod pi;
mod platform;
mod state;
mod xborder;

pub use entity::{
    ART28_PI_SUBJECTS, ART62_MONTHLY_ACTIVE_USERS, ART62_REGISTERED_USERS,
    AUDIT_BIENNIAL_PI_SUBJECTS, DerivedRoles, PIPO_PI_SUBJECTS, classify,
};

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

    /// A finding on `xiezhi.yaml` at the key `key` (dotted path), or its nearest written
    /// ancestor; line 0 when none of them is written.
    fn profile(p: &Project, key: &str, zh: String, en: String) -> Hit {
        let (line, column) = p
            .profile_position(key)
            .map_or((0, 0), |k| (k.line, k.column));
        Hit {
            file: PathBuf::from(PROFILE_FILE),
            line,
            column,
            zh,
            en,
        }
    }
}

/// What a check sees: the project, the decision date and the working-day calendar.
struct Ctx<'a> {
    p: &'a Project,
    as_of: Date,
    cal: Option<&'a dyn WorkdayCalendar>,
}

type CheckFn = fn(&Ctx<'_>) -> Vec<Hit>;

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
    /// Confidence mark of the catalog entry the rule encodes (catalog 0.1).
    pub confidence: Confidence,
    /// Article group (module) the rule belongs to, e.g. `flows`, `important`.
    pub group: &'static str,
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
    /// Penalty exposure of the rule's group (turnover cap from the profile's prior-year
    /// turnover; Reg. art. 59 grounds the profile records for this rule under `mitigation:`).
    pub exposure: Exposure,
    /// Confidence mark of the rule.
    pub confidence: Confidence,
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

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    [
        entity::RULES,
        flows::RULES,
        pi::RULES,
        important::RULES,
        xborder::RULES,
        platform::RULES,
        governance::RULES,
        crawler_ai::RULES,
        state::RULES,
    ]
    .concat()
});

/// Every rule of the catalog, grouped by article group.
pub fn catalog() -> &'static [Rule] {
    &RULES
}

/// Runs every rule in force on `as_of`; findings are in catalog order, then map order.
/// Working-day deadlines count calendar days (earlier than or equal to the true deadline);
/// use [`evaluate_with`] to supply the PRC working-day calendar.
pub fn evaluate(project: &Project, as_of: Date) -> Vec<Finding> {
    evaluate_with(project, as_of, None)
}

/// [`evaluate`] with a working-day calendar for the working-day deadlines (PIPO filing,
/// standard-contract filing, assessment extension window).
pub fn evaluate_with(
    project: &Project,
    as_of: Date,
    cal: Option<&dyn WorkdayCalendar>,
) -> Vec<Finding> {
    let revenue = project.profile.scale.prior_year_turnover_cny;
    let ctx = Ctx {
        p: project,
        as_of,
        cal,
    };
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| r.in_force(as_of)) {
        let mitigation = mitigation_for(project, rule.id);
        for hit in (rule.check)(&ctx) {
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
                exposure: Exposure {
                    mitigation: mitigation.clone(),
                    ..exposure(rule.penalty, revenue)
                },
                confidence: rule.confidence,
            });
        }
    }
    out
}

fn mitigation_for(p: &Project, rule: &str) -> Vec<Mitigation> {
    let mut out = Vec::new();
    for r in p.profile.mitigation.iter().filter(|m| m.rule == rule) {
        for g in &r.grounds {
            let m = match g {
                MitigationGround::EliminatedHarm => Mitigation::EliminatedHarm,
                MitigationGround::MinorCorrectedNoHarm => Mitigation::MinorCorrectedNoHarm,
                MitigationGround::FirstMinorCorrected => Mitigation::FirstMinorCorrected,
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/// Regulation (Decree 790) in force.
const REG_790: (i32, u32, u32) = (2025, 1, 1);
/// PIPL in force.
const PIPL: (i32, u32, u32) = (2021, 11, 1);
/// Cross-border provisions (CAC Order 16) in force.
const CBDF: (i32, u32, u32) = (2024, 3, 22);
/// CSL (2016) in force.
const CSL: (i32, u32, u32) = (2017, 6, 1);

/// Records of flows and PIPIAs are kept at least this long (Reg. 12; PIPL 56).
pub const RECORD_RETENTION_YEARS: u32 = 3;

use crate::date::from_map as to_date;

/// The dataset with this id.
pub(crate) fn dataset<'a>(p: &'a Project, id: &str) -> Option<&'a Dataset> {
    p.each(|m| &m.datasets)
        .map(|(_, d)| d)
        .find(|d| d.id.value == id)
}

/// `dataset.field` names of the sensitive fields of the datasets `ids`.
fn sensitive_fields(p: &Project, ids: &[xiezhi_map::model::Id]) -> Vec<String> {
    ids.iter()
        .filter_map(|d| dataset(p, &d.value))
        .flat_map(|d| {
            d.fields
                .iter()
                .filter(|f| f.sensitive)
                .map(move |f| format!("{}.{}", d.id.value, f.name.value))
        })
        .collect()
}

/// Assessments of `kind` covering `id`, completed on or before `by`, latest first.
fn covering<'a>(p: &'a Project, kind: AssessmentKind, id: &str, by: Date) -> Vec<&'a Assessment> {
    let mut v: Vec<&Assessment> = p
        .each(|m| &m.assessments)
        .map(|(_, a)| a)
        .filter(|a| a.kind == kind && a.covers.iter().any(|c| c.value == id))
        .filter(|a| to_date(Some(a.completed)).is_some_and(|c| c <= by))
        .collect();
    v.sort_by_key(|a| std::cmp::Reverse(to_date(Some(a.completed))));
    v
}

/// Problems with records that must be kept ≥3 years after `base` (end of a flow, completion of
/// an assessment); `None` when the records are adequate. `zh`/`en` name the entity.
fn records_problem(
    zh: &str,
    en: &str,
    records: Option<&Records>,
    base: Option<Date>,
) -> Option<(String, String)> {
    let Some(r) = records else {
        return Some((
            format!("{zh} 未记录留存安排（records：位置与保存年限，至少三年）"),
            format!("{en}: no record keeping stated (records: location and years, at least 3)"),
        ));
    };
    if r.retention_years < RECORD_RETENTION_YEARS {
        return Some((
            format!("{zh} 的记录仅保存 {} 年，少于三年", r.retention_years),
            format!(
                "{en}: records kept {} year(s), fewer than 3",
                r.retention_years
            ),
        ));
    }
    if let (Some(deleted), Some(base)) = (to_date(r.deleted), base) {
        let until = base.add_years(3);
        if deleted < until {
            return Some((
                format!("{zh} 的记录于 {deleted} 删除，早于 {until}（满三年）"),
                format!("{en}: records deleted on {deleted}, before {until} (3 years)"),
            ));
        }
    }
    None
}

/// First due date of a periodic duty with nothing on record: one period after the rule took
/// effect on `from`.
fn first_due((y, m, d): (i32, u32, u32), years: i32) -> Date {
    Date::new(y, m, d).map_or_else(|_| Date::from_days(0), |f| f.add_years(years))
}

/// Comma-joined list.
fn join(items: &[&str]) -> String {
    items.join(", ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod testkit {
    //! The example project with its deliberate violations fixed: the base of every boundary
    //! test (each test changes one fact and expects exactly the rule it concerns).
    use super::*;
    use xiezhi_map::model::{ConsentKind, LegalBasis};

    pub fn example() -> Project {
        let dir = std::env::temp_dir().join(format!(
            "xiezhi-rules-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        xiezhi_map::init_project(&dir).unwrap();
        let p = xiezhi_map::load_project(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        p
    }

    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    pub fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    pub fn map_date(s: &str) -> xiezhi_map::Date {
        let d = date(s);
        xiezhi_map::Date::new(d.year() as u16, d.month() as u8, d.day() as u8).unwrap()
    }

    /// The example with its deliberate violations fixed.
    pub fn clean() -> Project {
        let mut p = example();
        p.profile.controls.log_retention_months = Some(6);
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if let Some(c) = &mut r.contract {
                    c.purpose.get_or_insert_with(|| "推送".into());
                    c.method.get_or_insert_with(|| "SDK".into());
                    c.scope.get_or_insert_with(|| "设备标识".into());
                    c.security_obligations
                        .get_or_insert_with(|| "仅用于推送".into());
                }
            }
            for a in &mut f.map.activities {
                if a.legal_basis == LegalBasis::Consent && a.id.value == "recommend" {
                    a.consent = vec![ConsentKind::Separate];
                }
            }
            for c in &mut f.map.crawlers {
                c.impact_assessed = Some(map_date("2025-02-01"));
            }
        }
        p
    }

    /// Rule ids found on `as_of`.
    pub fn ids(p: &Project, as_of: &str) -> Vec<&'static str> {
        evaluate(p, date(as_of)).iter().map(|f| f.rule).collect()
    }

    /// Findings of `rule` on `as_of`.
    pub fn hits(p: &Project, rule: &str, as_of: &str) -> usize {
        ids(p, as_of).iter().filter(|r| **r == rule).count()
    }

    /// Default decision date of the tests: the example is compliant on it once cleaned.
    pub const AS_OF: &str = "2026-11-28";
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::testkit::*;
    use super::*;

    #[test]
    fn clean_example_has_no_findings() {
        let p = clean();
        let f = evaluate(&p, date(AS_OF));
        assert!(
            f.is_empty(),
            "{:#?}",
            f.iter()
                .map(|f| (f.rule, &f.message_en))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn example_has_its_deliberate_violations_with_exposure() {
        let p = example();
        let f = evaluate(&p, date(AS_OF));
        let got: Vec<&str> = f.iter().map(|f| f.rule).collect();
        for want in [
            "NDSR-12-provision-contract",
            "PIPL-29-separate-consent",
            "NDSR-40-third-party-obligations",
            "NDSR-18-crawler-governance",
            "CSL-21-log-retention",
        ] {
            assert!(got.contains(&want), "{want} missing from {got:?}");
        }
        assert_eq!(got.len(), 5, "{got:?}");
        let log = f.iter().find(|f| f.rule == "CSL-21-log-retention").unwrap();
        assert_eq!(
            log.exposure.mitigation,
            vec![Mitigation::FirstMinorCorrected]
        );
        assert!(
            log.exposure
                .describe(Lang::En)
                .contains("Regulation art. 59")
        );
        let at = p.profile_position("controls.log_retention_months").unwrap();
        assert_eq!((log.line, log.column), (at.line, at.column));
        let sep = f
            .iter()
            .find(|f| f.rule == "PIPL-29-separate-consent")
            .unwrap();
        // PIPL 66 cap: 5 % of the example's prior-year turnover of 900,000,000.
        assert_eq!(sep.exposure.turnover_cap_yuan, Some(45_000_000));
        assert!(sep.exposure.mitigation.is_empty());
        // Every finding of the example points at a line, profile findings included.
        assert!(f.iter().all(|f| f.line > 0 && f.column > 0));
    }

    #[test]
    fn catalog_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in catalog() {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(r.sr.starts_with("SR-"), "{}", r.id);
            assert!(!r.articles.is_empty(), "{}", r.id);
            assert!(!r.title_zh.is_empty() && !r.title_en.is_empty(), "{}", r.id);
            assert!(Date::new(r.effective_from.0, r.effective_from.1, r.effective_from.2).is_ok());
        }
        for sr in [
            "SR-DISC-07",
            "SR-MAP-01",
            "SR-MAP-02",
            "SR-MAP-03",
            "SR-MAP-04",
            "SR-MAP-05",
            "SR-RULE-02",
            "SR-RULE-03",
            "SR-RULE-04",
            "SR-RULE-05",
            "SR-RULE-06",
            "SR-RULE-07",
            "SR-RULE-08",
            "SR-RULE-09",
            "SR-XB-01",
            "SR-XB-02",
            "SR-XB-03",
            "SR-AUDIT-02",
            "SR-AUDIT-03",
            "SR-AUDIT-04",
            "SR-RISK-01",
            "SR-RISK-02",
            "SR-RISK-03",
            "SR-NOTICE-01",
        ] {
            assert!(catalog().iter().any(|r| r.sr == sr), "no rule for {sr}");
        }
    }

    #[test]
    fn rules_are_not_in_force_before_their_dates() {
        let mut p = clean();
        p.profile.controls.backup = false;
        assert_eq!(hits(&p, "NDSR-9-baseline-controls", "2025-01-01"), 1);
        assert_eq!(hits(&p, "NDSR-9-baseline-controls", "2024-12-31"), 0);
    }
}
