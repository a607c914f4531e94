//! Important data (Reg. arts. 28–33): identification and declaration, the security officer and
//! organisation, the art. 31 assessment before sharing, the art. 33 yearly report.

use xiezhi_map::Project;
use xiezhi_map::model::{AssessmentKind, Dataset, Grade, ImportantDataState};

use super::entity::{classify, important_data_processor};
use super::{Ctx, Hit, REG_790, Rule, Severity, covering, dataset, first_due, join, to_date};
use crate::Confidence;
use crate::date::Date;
use crate::penalty::GroupId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-29-identify-declare",
        sr: "SR-RULE-02",
        articles: &["Reg. 29", "DSL 21"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg57,
        severity: Severity::Medium,
        title_zh: "重要数据须识别并申报",
        title_en: "Important data must be identified and declared",
        confidence: Confidence::C2,
        group: "important",
        check: check_identify_declare,
    },
    Rule {
        id: "NDSR-28-security-officer",
        sr: "SR-AUDIT-04",
        articles: &["Reg. 28", "Reg. 30"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl45,
        severity: Severity::High,
        title_zh: "处理1000万人以上个人信息须明确网络数据安全负责人和管理机构",
        title_en: "PI of 10,000,000 or more people: name a data security officer and body",
        confidence: Confidence::C2,
        group: "important",
        check: check_officer_pi_10m,
    },
    Rule {
        id: "NDSR-30-security-officer",
        sr: "SR-AUDIT-04",
        articles: &["Reg. 30", "DSL 27"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl45,
        severity: Severity::High,
        title_zh: "重要数据处理者须明确网络数据安全负责人和管理机构",
        title_en: "Important-data processors name a data security officer and body",
        confidence: Confidence::C2,
        group: "important",
        check: check_officer_important,
    },
    Rule {
        id: "NDSR-30-officer-qualification",
        sr: "SR-AUDIT-04",
        articles: &["Reg. 30 para 2", "Reg. 30 para 3"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg57,
        severity: Severity::Medium,
        title_zh: "网络数据安全负责人须为管理层成员、可直接报告，特定规模须背景审查",
        title_en: "The data security officer is in management, may report directly and, at special scale, is background-checked",
        confidence: Confidence::C2,
        group: "important",
        check: check_officer_qualification,
    },
    Rule {
        id: "NDSR-31-risk-assessment",
        sr: "SR-RISK-02",
        articles: &["Reg. 31"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg57,
        severity: Severity::High,
        title_zh: "提供、委托处理、共同处理重要数据前须进行风险评估",
        title_en: "Assess the risk before providing, entrusting or jointly processing important data",
        confidence: Confidence::C2,
        group: "important",
        check: check_art31,
    },
    Rule {
        id: "NDSR-33-annual-report",
        sr: "SR-RISK-03",
        articles: &["Reg. 33", "DSL 30"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl45,
        severity: Severity::High,
        title_zh: "重要数据处理者每年进行风险评估并报送报告",
        title_en: "Important-data processors assess risks every year and submit the report",
        confidence: Confidence::C2,
        group: "important",
        check: check_art33,
    },
];

fn is_confirmed(d: &Dataset) -> bool {
    d.important_data
        .as_ref()
        .is_some_and(|i| i.state == ImportantDataState::Confirmed)
}

fn check_identify_declare(c: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, d) in c.p.each(|m| &m.datasets) {
        let graded = d
            .fields
            .iter()
            .any(|f| matches!(f.grade, Some(Grade::Important | Grade::Core)));
        match &d.important_data {
            None if graded => hits.push(Hit::at(
                file,
                &d.id,
                format!(
                    "数据集 {} 有字段定为重要或核心数据，但未记录重要数据状态（important_data）",
                    d.id
                ),
                format!(
                    "dataset {} has fields graded important or core but no important_data status",
                    d.id
                ),
            )),
            Some(i) if i.state == ImportantDataState::Identified => hits.push(Hit::at(
                file,
                &d.id,
                format!("数据集 {} 已识别为重要数据但尚未申报（第二十九条）", d.id),
                format!(
                    "dataset {} is identified as important data but not declared (art. 29)",
                    d.id
                ),
            )),
            _ => {}
        }
    }
    hits
}

fn missing_officers(p: &Project) -> Vec<&'static str> {
    let o = &p.profile.officers;
    let mut missing = Vec::new();
    if o.data_security_officer.is_none() {
        missing.push("officers.data_security_officer");
    }
    if o.data_security_organisation.is_none() {
        missing.push("officers.data_security_organisation");
    }
    missing
}

fn check_officer_pi_10m(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !classify(p).pi_10m {
        return Vec::new();
    }
    let missing = missing_officers(p);
    if missing.is_empty() {
        return Vec::new();
    }
    let n = p.profile.scale.pi_subjects.unwrap_or(0);
    let list = join(&missing);
    vec![Hit::profile(
        c.p,
        "officers.data_security_officer",
        format!("处理 {n} 人个人信息（第二十八条：1000万人以上），缺少：{list}（第三十条）"),
        format!("PI of {n} people (art. 28: 10,000,000 or more) but missing: {list} (art. 30)"),
    )]
}

fn check_officer_important(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !important_data_processor(p) {
        return Vec::new();
    }
    let missing = missing_officers(p);
    if missing.is_empty() {
        return Vec::new();
    }
    let list = join(&missing);
    vec![Hit::profile(
        c.p,
        "officers.data_security_officer",
        format!("重要数据处理者缺少：{list}（第三十条）"),
        format!("important-data processor but missing: {list} (art. 30)"),
    )]
}

fn check_officer_qualification(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !(important_data_processor(p) || classify(p).pi_10m) {
        return Vec::new();
    }
    let Some(o) = &p.profile.officers.data_security_officer else {
        return Vec::new();
    };
    let mut missing = Vec::new();
    if !o.management_member {
        missing.push("management_member");
    }
    if !o.direct_reporting {
        missing.push("direct_reporting");
    }
    if p.profile.roles.important_data_special_scale && o.background_check.is_none() {
        missing.push("background_check");
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let list = join(&missing);
    vec![Hit::profile(
        c.p,
        "officers.data_security_officer",
        format!("网络数据安全负责人不满足：{list}（第三十条第二、三款）"),
        format!("the data security officer does not meet: {list} (art. 30 paras 2-3)"),
    )]
}

fn check_art31(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    let mut hits = Vec::new();
    for (file, r) in p.each(|m| &m.recipients) {
        if r.statutory_duty {
            continue;
        }
        let important: Vec<&str> = r
            .datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
            .filter(|d| is_confirmed(d))
            .map(|d| d.id.value.as_str())
            .collect();
        if important.is_empty() {
            continue;
        }
        // Before the flow starts (or, when the start is unknown, by the decision date).
        let by = to_date(r.started).map_or(c.as_of, |s| s.min(c.as_of));
        if !covering(p, AssessmentKind::Art31RiskAssessment, &r.id.value, by).is_empty() {
            continue;
        }
        let list = join(&important);
        hits.push(Hit::at(
            file,
            &r.id,
            format!("向接收方 {} 提供/委托/共同处理重要数据（{list}）前无第三十一条风险评估（截至 {by}）", r.id),
            format!(
                "important data ({list}) goes to recipient {} without an art. 31 risk assessment completed by {by}",
                r.id
            ),
        ));
    }
    hits
}

/// Due date of the next art. 33 report after `completed`: `next_due`, else one year later.
pub fn art33_due(completed: Date, next_due: Option<Date>) -> Date {
    next_due.unwrap_or_else(|| completed.add_years(1))
}

fn check_art33(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !important_data_processor(p) {
        return Vec::new();
    }
    let latest = p
        .each(|m| &m.assessments)
        .filter(|(_, a)| a.kind == AssessmentKind::Art33AnnualRiskAssessment)
        .filter(|(_, a)| to_date(Some(a.completed)).is_some_and(|d| d <= c.as_of))
        .max_by_key(|(_, a)| to_date(Some(a.completed)));
    let Some((file, a)) = latest else {
        let due = first_due(REG_790, 1);
        if c.as_of <= due {
            return Vec::new();
        }
        return vec![Hit::profile(
            c.p,
            "roles.important_data_processor",
            format!(
                "重要数据处理者无年度风险评估记录（kind: art33_annual_risk_assessment），首次应于 {due} 前完成"
            ),
            format!(
                "important-data processor with no yearly risk assessment on record (kind: art33_annual_risk_assessment); the first was due by {due}"
            ),
        )];
    };
    let Some(completed) = to_date(Some(a.completed)) else {
        return Vec::new();
    };
    let due = art33_due(completed, to_date(a.next_due));
    let mut hits = Vec::new();
    if c.as_of > due {
        hits.push(Hit::at(
            file,
            &a.id,
            format!("年度风险评估 {} 于 {completed} 完成，下一次应于 {due} 前完成，已逾期", a.id),
            format!(
                "yearly risk assessment {} was completed {completed}; the next was due by {due} and is overdue",
                a.id
            ),
        ));
    }
    if a.reported.is_none() {
        hits.push(Hit::at(
            file,
            &a.id,
            format!("年度风险评估 {} 未记录向省级以上主管部门报送（reported）", a.id),
            format!(
                "yearly risk assessment {} was not reported to the provincial-level authority (reported)",
                a.id
            ),
        ));
    }
    hits
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use xiezhi_map::model::{Assessment, Id};

    #[test]
    fn art28_boundary() {
        let rule = "NDSR-28-security-officer";
        let mut p = clean();
        p.profile.officers.data_security_officer = None;
        p.profile.scale.pi_subjects = Some(9_999_999);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.scale.pi_subjects = Some(10_000_000);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        assert_eq!(hits(&p, rule, "2024-12-31"), 0);
        // The important-data trigger is separate.
        assert_eq!(hits(&p, "NDSR-30-security-officer", AS_OF), 1);
        p.profile.roles.important_data_processor = false;
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                d.important_data = None;
                for fl in &mut d.fields {
                    fl.grade = None;
                }
            }
        }
        assert_eq!(hits(&p, "NDSR-30-security-officer", AS_OF), 0);
    }

    #[test]
    fn officer_qualification() {
        let rule = "NDSR-30-officer-qualification";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.roles.important_data_special_scale = true;
        assert_eq!(hits(&p, rule, AS_OF), 1);
        p.profile
            .officers
            .data_security_officer
            .as_mut()
            .unwrap()
            .background_check = Some(map_date("2025-03-01"));
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile
            .officers
            .data_security_officer
            .as_mut()
            .unwrap()
            .management_member = false;
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn identify_and_declare() {
        let rule = "NDSR-29-identify-declare";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if let Some(i) = &mut d.important_data {
                    i.state = ImportantDataState::Identified;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                d.important_data = None;
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    fn share_logistics(p: &mut Project, started: &str) {
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if r.id.value == "courier" {
                    r.datasets.push(Id {
                        value: "logistics-map".into(),
                        line: 1,
                        column: 1,
                    });
                    r.started = Some(map_date(started));
                }
            }
        }
    }

    fn add_assessment(p: &mut Project, kind: AssessmentKind, covers: &str, completed: &str) {
        let a = Assessment {
            id: Id {
                value: format!("t-{covers}-{completed}"),
                line: 1,
                column: 1,
            },
            kind,
            covers: vec![Id {
                value: covers.into(),
                line: 1,
                column: 1,
            }],
            completed: map_date(completed),
            next_due: None,
            reported: Some(map_date(completed)),
            performed_by: None,
            report_ref: None,
            minors_pi: false,
            records: None,
        };
        p.files[0].map.assessments.push(a);
    }

    #[test]
    fn art31_before_the_flow() {
        let rule = "NDSR-31-risk-assessment";
        let mut p = clean();
        share_logistics(&mut p, "2025-01-10");
        assert_eq!(hits(&p, rule, AS_OF), 1);
        add_assessment(
            &mut p,
            AssessmentKind::Art31RiskAssessment,
            "courier",
            "2025-01-11",
        );
        assert_eq!(
            hits(&p, rule, AS_OF),
            1,
            "one day after the start is too late"
        );
        add_assessment(
            &mut p,
            AssessmentKind::Art31RiskAssessment,
            "courier",
            "2025-01-10",
        );
        assert_eq!(hits(&p, rule, AS_OF), 0);
        let mut p = clean();
        share_logistics(&mut p, "2025-01-10");
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                r.statutory_duty = true;
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }

    #[test]
    fn art33_yearly() {
        let rule = "NDSR-33-annual-report";
        let mut p = clean();
        // risk-2025: completed 2025-12-15, next_due 2026-12-15.
        assert_eq!(hits(&p, rule, "2026-12-15"), 0);
        assert_eq!(hits(&p, rule, "2026-12-16"), 1);
        for f in &mut p.files {
            for a in &mut f.map.assessments {
                if a.kind == AssessmentKind::Art33AnnualRiskAssessment {
                    a.next_due = None;
                    a.reported = None;
                }
            }
        }
        // Without next_due: one year after completion; unreported is its own hit.
        assert_eq!(hits(&p, rule, "2026-12-15"), 1);
        assert_eq!(hits(&p, rule, "2026-12-16"), 2);
        for f in &mut p.files {
            f.map
                .assessments
                .retain(|a| a.kind != AssessmentKind::Art33AnnualRiskAssessment);
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        // Nothing on record: the first report was due one year after the Regulation.
        assert_eq!(hits(&p, rule, "2026-01-01"), 0);
        assert_eq!(hits(&p, rule, "2026-01-02"), 1);
        assert_eq!(
            art33_due(date("2024-02-29"), None),
            date("2025-02-28"),
            "Civil Code year end"
        );
    }
}
