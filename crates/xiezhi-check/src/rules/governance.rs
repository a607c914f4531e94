//! Governance: baseline controls (Reg. art. 9; CSL (2016) 21) and compliance audits (Reg. 27;
//! PIPL 54; Audit Measures; Minors Regulation 37).

use xiezhi_map::model::AssessmentKind;

use super::entity::classify;
use super::{CSL, Ctx, Hit, REG_790, Rule, Severity, first_due, join, to_date};
use crate::Confidence;
use crate::date::Date;
use crate::penalty::GroupId;

/// CSL (2016) art. 21(3): network logs kept at least 6 months.
pub const LOG_RETENTION_MONTHS_MIN: u32 = 6;
/// Audit Measures: at least once every 2 years for PI of more than 10,000,000 people.
pub const AUDIT_PERIOD_YEARS: i32 = 2;
/// Audit Measures in force.
const AUDIT_MEASURES: (i32, u32, u32) = (2025, 5, 1);
/// Regulation on Minors' Online Protection in force.
const MINORS_REG: (i32, u32, u32) = (2024, 1, 1);

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-9-baseline-controls",
        sr: "SR-RULE-09",
        articles: &["Reg. 9", "DSL 27", "CSL (2016) 21"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl45,
        severity: Severity::High,
        title_zh: "在等级保护基础上落实数据安全管理制度、加密、备份、访问控制、安全认证",
        title_en: "On top of MLPS: management system, encryption, backup, access control, authentication",
        confidence: Confidence::C2,
        group: "governance",
        check: check_baseline,
    },
    Rule {
        id: "CSL-21-log-retention",
        sr: "SR-RULE-09",
        articles: &["CSL (2016) 21(3)", "Reg. 9"],
        effective_from: CSL,
        effective_to: None,
        penalty: GroupId::Dsl45,
        severity: Severity::Medium,
        title_zh: "网络日志留存不少于六个月",
        title_en: "Network logs are kept for at least 6 months",
        confidence: Confidence::Off1,
        group: "governance",
        check: check_logs,
    },
    Rule {
        id: "PIPL-54-audit-biennial",
        sr: "SR-AUDIT-02",
        articles: &["Reg. 27", "PIPL 54", "Audit Measures"],
        effective_from: AUDIT_MEASURES,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "处理超过1000万人个人信息的，每两年至少开展一次合规审计",
        title_en: "PI of more than 10,000,000 people: a compliance audit at least every 2 years",
        confidence: Confidence::C2,
        group: "governance",
        check: check_biennial_audit,
    },
    Rule {
        id: "AUDIT-auditor-rotation",
        sr: "SR-AUDIT-02",
        articles: &["Audit Measures"],
        effective_from: AUDIT_MEASURES,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "同一专业机构不得连续三次对同一处理者开展合规审计",
        title_en: "The same firm may not audit the same processor three times in a row",
        confidence: Confidence::Unconfirmed,
        group: "governance",
        check: check_rotation,
    },
    Rule {
        id: "MINORS-37-annual-audit",
        sr: "SR-AUDIT-02",
        articles: &["Minors Reg. 37", "Reg. 27"],
        effective_from: MINORS_REG,
        effective_to: None,
        penalty: GroupId::Minors54To56,
        severity: Severity::High,
        title_zh: "处理未成年人个人信息的，每年开展合规审计",
        title_en: "Minors' PI: a compliance audit every year",
        confidence: Confidence::Off1,
        group: "governance",
        check: check_minors_audit,
    },
];

fn check_baseline(c: &Ctx<'_>) -> Vec<Hit> {
    let k = &c.p.profile.controls;
    let missing: Vec<&str> = [
        ("management_system", !k.management_system),
        ("mlps_level", k.mlps_level.is_none()),
        ("mlps_filed", k.mlps_filed.is_none()),
        ("encryption", !k.encryption),
        ("backup", !k.backup),
        ("access_control", !k.access_control),
        ("authentication", !k.authentication),
        ("incident_plan", !k.incident_plan),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| *n)
    .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let list = join(&missing);
    vec![Hit::profile(
        c.p,
        "controls",
        format!("基础安全措施缺失：controls.{list}（第九条）"),
        format!("baseline controls missing: controls.{list} (art. 9)"),
    )]
}

fn check_logs(c: &Ctx<'_>) -> Vec<Hit> {
    match c.p.profile.controls.log_retention_months {
        Some(m) if m >= LOG_RETENTION_MONTHS_MIN => Vec::new(),
        Some(m) => vec![Hit::profile(
            c.p,
            "controls.log_retention_months",
            format!("网络日志仅留存 {m} 个月，少于六个月（controls.log_retention_months）"),
            format!("network logs kept {m} month(s), fewer than 6 (controls.log_retention_months)"),
        )],
        None => vec![Hit::profile(
            c.p,
            "controls.log_retention_months",
            "未记录网络日志留存期限（controls.log_retention_months，至少六个月）".into(),
            "log retention not stated (controls.log_retention_months, at least 6)".into(),
        )],
    }
}

/// Latest compliance audit completed on or before `as_of` (minors-only audits count too).
fn latest_audit(c: &Ctx<'_>, minors: bool) -> Option<Date> {
    c.p.each(|m| &m.assessments)
        .filter(|(_, a)| a.kind == AssessmentKind::ComplianceAudit && (!minors || a.minors_pi))
        .filter_map(|(_, a)| to_date(Some(a.completed)))
        .filter(|d| *d <= c.as_of)
        .max()
}

fn check_biennial_audit(c: &Ctx<'_>) -> Vec<Hit> {
    if !classify(c.p).pi_over_10m_strict {
        return Vec::new();
    }
    let n = c.p.profile.scale.pi_subjects.unwrap_or(0);
    match latest_audit(c, false) {
        None => {
            let due = first_due(AUDIT_MEASURES, AUDIT_PERIOD_YEARS);
            if c.as_of <= due {
                return Vec::new();
            }
            vec![Hit::profile(
                c.p,
                "scale.pi_subjects",
                format!(
                    "处理 {n} 人个人信息（超过1000万人），无合规审计记录；首次审计应于 {due} 前完成"
                ),
                format!(
                    "PI of {n} people (more than 10,000,000) and no compliance audit on record; the first was due by {due}"
                ),
            )]
        }
        Some(last) => {
            let due = last.add_years(AUDIT_PERIOD_YEARS);
            if c.as_of > due {
                vec![Hit::profile(
                    c.p,
                    "scale.pi_subjects",
                    format!("上次合规审计于 {last}，超过两年（应于 {due} 前再次审计）"),
                    format!(
                        "last compliance audit on {last}; more than 2 years ago (next was due by {due})"
                    ),
                )]
            } else {
                Vec::new()
            }
        }
    }
}

/// Consecutive audits by the same professional institution that trigger the rotation rule.
pub const SAME_AUDITOR_MAX_IN_A_ROW: usize = 2;

fn check_rotation(c: &Ctx<'_>) -> Vec<Hit> {
    let mut audits: Vec<(Date, &str, &xiezhi_map::model::Id, &std::path::Path)> =
        c.p.each(|m| &m.assessments)
            .filter(|(_, a)| a.kind == AssessmentKind::ComplianceAudit)
            .filter_map(|(file, a)| {
                let d = to_date(Some(a.completed))?;
                let by = a.performed_by.as_deref()?;
                (d <= c.as_of).then_some((d, by, &a.id, file))
            })
            .collect();
    audits.sort_by_key(|(d, ..)| *d);
    let n = SAME_AUDITOR_MAX_IN_A_ROW + 1;
    let last = audits
        .get(audits.len().saturating_sub(n)..)
        .unwrap_or_default();
    let (Some(first), Some(&(_, _, id, file))) = (last.first(), last.last()) else {
        return Vec::new();
    };
    let firm = first.1;
    if last.len() < n || !last.iter().all(|(_, by, ..)| by.trim() == firm.trim()) {
        return Vec::new();
    }
    vec![Hit::at(
        file,
        id,
        format!("最近连续 {n} 次合规审计均由 {firm} 开展"),
        format!("the last {n} compliance audits in a row were all performed by {firm}"),
    )]
}

fn check_minors_audit(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !(p.profile.roles.processes_minors_pi || classify(p).processes_minors_pi) {
        return Vec::new();
    }
    match latest_audit(c, true) {
        None => {
            let due = first_due(MINORS_REG, 1);
            if c.as_of <= due {
                return Vec::new();
            }
            vec![Hit::profile(
                c.p,
                "roles.processes_minors_pi",
                format!(
                    "处理未成年人个人信息，无覆盖未成年人个人信息的合规审计（minors_pi: true），首次应于 {due} 前完成"
                ),
                format!(
                    "minors' PI is processed and no compliance audit covers it (minors_pi: true); the first was due by {due}"
                ),
            )]
        }
        Some(last) => {
            let due = last.add_years(1);
            if c.as_of > due {
                vec![Hit::profile(
                    c.p,
                    "roles.processes_minors_pi",
                    format!("未成年人个人信息合规审计上次于 {last}，应于 {due} 前再次审计"),
                    format!(
                        "last minors' PI compliance audit on {last}; the next was due by {due}"
                    ),
                )]
            } else {
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn set_audit(p: &mut xiezhi_map::Project, completed: &str) {
        for f in &mut p.files {
            for a in &mut f.map.assessments {
                if a.kind == AssessmentKind::ComplianceAudit && !a.minors_pi {
                    a.completed = map_date(completed);
                }
            }
        }
    }

    #[test]
    fn baseline_controls() {
        let rule = "NDSR-9-baseline-controls";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.controls.mlps_filed = None;
        p.profile.controls.encryption = false;
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn log_retention_six_months() {
        let rule = "CSL-21-log-retention";
        let mut p = clean();
        p.profile.controls.log_retention_months = Some(6);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.controls.log_retention_months = Some(5);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        p.profile.controls.log_retention_months = None;
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn biennial_audit_more_than_ten_million() {
        let rule = "PIPL-54-audit-biennial";
        let mut p = clean();
        set_audit(&mut p, "2025-06-30");
        // Two-year edges: 2027-06-30 in time, 2027-07-01 overdue.
        let minors_fresh = |p: &mut xiezhi_map::Project, d: &str| {
            for f in &mut p.files {
                for a in &mut f.map.assessments {
                    if a.minors_pi {
                        a.completed = map_date(d);
                    }
                }
            }
        };
        // Audits of minors' PI count too: keep that one older than the general audit.
        minors_fresh(&mut p, "2025-01-01");
        assert_eq!(hits(&p, rule, "2027-06-30"), 0);
        assert_eq!(hits(&p, rule, "2027-07-01"), 1);
        // 超过: exactly 10,000,000 is not "more than".
        p.profile.scale.pi_subjects = Some(10_000_000);
        assert_eq!(hits(&p, rule, "2027-07-01"), 0);
        p.profile.scale.pi_subjects = Some(10_000_001);
        assert_eq!(hits(&p, rule, "2027-07-01"), 1);
        // Not in force before the Audit Measures.
        assert_eq!(hits(&p, rule, "2025-04-30"), 0);
    }

    #[test]
    fn auditor_rotation_third_in_a_row() {
        let rule = "AUDIT-auditor-rotation";
        let mut p = clean();
        let audit = |id: &str, by: &str, completed: &str| xiezhi_map::model::Assessment {
            id: xiezhi_map::model::Id {
                value: id.into(),
                line: 1,
                column: 1,
            },
            kind: AssessmentKind::ComplianceAudit,
            covers: Vec::new(),
            completed: map_date(completed),
            next_due: None,
            reported: None,
            performed_by: Some(by.into()),
            report_ref: None,
            minors_pi: false,
            records: None,
        };
        for f in &mut p.files {
            f.map
                .assessments
                .retain(|a| a.kind != AssessmentKind::ComplianceAudit);
        }
        p.files[0]
            .map
            .assessments
            .push(audit("a1", "甲所", "2025-06-01"));
        p.files[0]
            .map
            .assessments
            .push(audit("a2", "甲所", "2026-06-01"));
        assert_eq!(hits(&p, rule, "2026-06-02"), 0, "two in a row is allowed");
        p.files[0]
            .map
            .assessments
            .push(audit("a3", "甲所", "2026-09-01"));
        assert_eq!(hits(&p, rule, "2026-09-01"), 1);
        p.files[0]
            .map
            .assessments
            .push(audit("a4", "乙所", "2026-10-01"));
        assert_eq!(hits(&p, rule, "2026-10-01"), 0);
    }

    #[test]
    fn first_audits_due_one_period_after_the_rules() {
        let mut p = clean();
        for f in &mut p.files {
            f.map
                .assessments
                .retain(|a| a.kind != AssessmentKind::ComplianceAudit);
        }
        // Audit Measures in force 2025-05-01: first biennial audit due by 2027-05-01.
        assert_eq!(hits(&p, "PIPL-54-audit-biennial", "2027-05-01"), 0);
        assert_eq!(hits(&p, "PIPL-54-audit-biennial", "2027-05-02"), 1);
        // Minors Regulation in force 2024-01-01: first yearly audit due by 2025-01-01.
        assert_eq!(hits(&p, "MINORS-37-annual-audit", "2025-01-01"), 0);
        assert_eq!(hits(&p, "MINORS-37-annual-audit", "2025-01-02"), 1);
    }

    #[test]
    fn minors_yearly_audit() {
        let rule = "MINORS-37-annual-audit";
        let mut p = clean();
        // audit-minors-2026 completed 2026-03-31.
        assert_eq!(hits(&p, rule, "2027-03-31"), 0);
        assert_eq!(hits(&p, rule, "2027-04-01"), 1);
        p.profile.roles.processes_minors_pi = false;
        p.profile.scale.minor_subjects = Some(0);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                d.subjects.clear();
            }
        }
        assert_eq!(hits(&p, rule, "2027-04-01"), 0);
        p.profile.scale.minor_subjects = Some(1);
        assert_eq!(hits(&p, rule, "2027-04-01"), 1);
    }
}
