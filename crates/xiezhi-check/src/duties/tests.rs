//! Boundary tests of every duty (catalog 0.2: "以上" includes the figure, "超过" excludes it),
//! on the example project of `xiezhi init` with its deliberate violations fixed.

use super::*;
use crate::date::PrcWorkdays;
use crate::rules::evaluate_with;
use crate::rules::testkit::{clean, date, map_date};
use xiezhi_map::model::{Records, TransferMechanism};

const AS_OF: &str = "2026-11-28";

fn all(p: &Project, as_of: &str) -> Vec<Duty> {
    duties(p, date(as_of), &[], &DutyOptions::default())
}

fn get(p: &Project, id: &str, as_of: &str) -> Duty {
    get_with(p, id, as_of, &[], DutyOptions::default())
}

fn get_with(p: &Project, id: &str, as_of: &str, past: &[PastReport], opts: DutyOptions) -> Duty {
    duties(p, date(as_of), past, &opts)
        .into_iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no duty {id} on {as_of}"))
}

fn status(p: &Project, id: &str, as_of: &str) -> Status {
    get(p, id, as_of).status
}

/// Whether `xiezhi check` (with the PRC calendar) reports `rule` on `as_of`.
fn check_flags(p: &Project, rule: &str, as_of: &str) -> bool {
    let cal = PrcWorkdays::new().unwrap();
    evaluate_with(p, date(as_of), Some(&cal))
        .iter()
        .any(|f| f.rule == rule)
}

fn assessment(p: &mut Project, id: &str, f: impl Fn(&mut Assessment)) {
    for file in &mut p.files {
        for a in &mut file.map.assessments {
            if a.id.value == id {
                f(a);
            }
        }
    }
}

fn report(kind: &str, year: Option<i32>, on: &str) -> PastReport {
    PastReport {
        kind: kind.into(),
        period_year: year,
        generated_on: date(on),
    }
}

#[test]
fn example_project_calendar() {
    let p = clean();
    let d = all(&p, AS_OF);
    let ids: Vec<(&str, Status)> = d.iter().map(|d| (d.id.as_str(), d.status)).collect();
    assert_eq!(
        ids,
        vec![
            ("art33-annual", Status::DueSoon),
            ("xborder-scc-filing:xb-sg-analytics", Status::Done),
            ("pipo-filing", Status::Done),
            ("audit-minors-annual", Status::Done),
            ("retention:pipia-account-delivery", Status::Done),
            ("retention:pipia-recommend", Status::Done),
            ("audit-biennial", Status::Done),
            ("retention:risk-2025", Status::Done),
            ("retention:pipia-xb-sg", Status::Done),
            ("platform-pi-annual", Status::NotApplicable),
        ],
    );
    let art33 = &d[0];
    assert_eq!(art33.due, Some(date("2026-12-15")));
    assert_eq!(art33.days_left, Some(17));
    assert_eq!(art33.last_done, Some(date("2025-12-15")));
    assert_eq!(art33.confidence, Confidence::C2);
    assert_eq!(art33.remind_days_before, ART33_REMINDER_DAYS);
    assert!(art33.articles.contains(&"Reg. 33"));
    assert!(
        art33
            .articles
            .contains(&"Risk Assessment Measures (Order 24)")
    );
    assert_eq!(
        art33.command.as_deref(),
        Some("xiezhi report important-data-annual")
    );
    assert!(art33.derived_from.iter().any(|s| matches!(s,
        Source::DataMap { file, field, line } if file == "datamap/assessments.yaml"
            && field == "assessments[risk-2025].next_due" && *line > 0)));
    assert!(art33.note_en.contains("[UNCONFIRMED]"), "{}", art33.note_en);
    // The minors' audit of 2026-03-31 is the latest compliance audit: the biennial one counts
    // from it, as `xiezhi check` does.
    assert_eq!(
        get(&p, "audit-biennial", AS_OF).due,
        Some(date("2028-03-31"))
    );
    assert_eq!(
        get(&p, "audit-minors-annual", AS_OF).due,
        Some(date("2027-03-31"))
    );
    let pipo = get(&p, "pipo-filing", AS_OF);
    // Officer appointed 2025-01-02 (a change after 1,000,000 was reached in 2021): 30 working
    // days end in February, but not before the transition date.
    assert_eq!(pipo.due, Some(date("2025-08-29")));
    assert_eq!(pipo.last_done, Some(date("2025-02-10")));
    let scc = get(&p, "xborder-scc-filing:xb-sg-analytics", AS_OF);
    // In effect Friday 2025-06-20; 10 working days → Friday 2025-07-04.
    assert_eq!(scc.due, Some(date("2025-07-04")));
    assert_eq!(scc.confidence, Confidence::Unconfirmed);
    let r = get(&p, "retention:risk-2025", AS_OF);
    assert_eq!(r.confidence, Confidence::Unconfirmed);
    assert_eq!(r.due, Some(date("2028-12-15")));
    assert!(r.note_en.contains("no record keeping"), "{}", r.note_en);
    assert_eq!(
        get(&p, "retention:pipia-xb-sg", AS_OF).due,
        Some(date("2030-05-30")),
        "records kept 5 years"
    );
}

#[test]
fn due_soon_horizon_includes_its_last_day() {
    let p = clean();
    // art. 33 next due 2026-12-15.
    assert_eq!(status(&p, "art33-annual", "2026-11-15"), Status::DueSoon); // 30 days
    assert_eq!(status(&p, "art33-annual", "2026-11-14"), Status::Done); // 31 days
    assert_eq!(status(&p, "art33-annual", "2026-12-15"), Status::DueSoon); // due today
    assert_eq!(status(&p, "art33-annual", "2026-12-16"), Status::Overdue);
    let seven = DutyOptions { within_days: 7 };
    let at = |d: &str| get_with(&p, "art33-annual", d, &[], seven).status;
    assert_eq!(at("2026-12-08"), Status::DueSoon);
    assert_eq!(at("2026-12-07"), Status::Done);
    assert_eq!(DutyOptions::default().within_days, 30);
}

#[test]
fn art33_yearly_and_unreported_and_past_reports() {
    let mut p = clean();
    // Without next_due: one year after completion, as `xiezhi check` counts.
    assessment(&mut p, "risk-2025", |a| a.next_due = None);
    for (d, overdue) in [("2026-12-15", false), ("2026-12-16", true)] {
        assert_eq!(status(&p, "art33-annual", d) == Status::Overdue, overdue);
        assert_eq!(check_flags(&p, "NDSR-33-annual-report", d), overdue, "{d}");
    }
    // Not reported: a separate overdue duty.
    assessment(&mut p, "risk-2025", |a| a.reported = None);
    let s = get(&p, "art33-submit:risk-2025", AS_OF);
    assert_eq!(s.status, Status::Overdue);
    assert!(s.derived_from.iter().any(|x| matches!(x,
        Source::DataMap { field, .. } if field == "assessments[risk-2025].reported")));
    // A report generated after the last assessment counts as the latest cycle.
    let past = [report("important-data-annual", Some(2026), "2026-11-20")];
    let d = get_with(&p, "art33-annual", AS_OF, &past, DutyOptions::default());
    assert_eq!(d.due, Some(date("2027-11-20")));
    assert_eq!(d.status, Status::Done);
    assert!(matches!(
        &d.derived_from[1],
        Source::PastReport {
            period_year: Some(2026),
            ..
        }
    ));
    // Reports generated after the decision date are ignored.
    let future = [report("important-data-annual", Some(2026), "2026-11-29")];
    let d = get_with(&p, "art33-annual", AS_OF, &future, DutyOptions::default());
    assert_eq!(d.due, Some(date("2026-12-15")));
    // Not an important-data processor: declared false and nothing confirmed.
    p.profile.roles.important_data_processor = false;
    for f in &mut p.files {
        for ds in &mut f.map.datasets {
            ds.important_data = None;
        }
    }
    let na = get(&p, "art33-annual", AS_OF);
    assert_eq!(na.status, Status::NotApplicable);
    assert!(na.due.is_none() && na.days_left.is_none());
    assert!(na.note_en.contains("not an important-data processor"));
}

#[test]
fn art33_first_due_without_any_record() {
    let mut p = clean();
    for f in &mut p.files {
        f.map
            .assessments
            .retain(|a| a.kind != AssessmentKind::Art33AnnualRiskAssessment);
    }
    let d = get(&p, "art33-annual", "2025-12-31");
    assert_eq!(d.due, Some(date("2026-01-01")));
    assert_eq!(d.status, Status::DueSoon);
    assert_eq!(status(&p, "art33-annual", "2025-12-01"), Status::Upcoming);
    assert_eq!(status(&p, "art33-annual", "2026-01-02"), Status::Overdue);
    assert_eq!(
        status(&p, "art33-annual", "2024-12-31"),
        Status::NotApplicable
    );
}

#[test]
fn biennial_audit_exactly_two_years_and_more_than_ten_million() {
    let mut p = clean();
    assessment(&mut p, "audit-2025", |a| {
        a.completed = map_date("2025-06-30")
    });
    assessment(&mut p, "audit-minors-2026", |a| {
        a.completed = map_date("2025-01-01")
    });
    let d = get(&p, "audit-biennial", "2027-06-30");
    assert_eq!(d.due, Some(date("2027-06-30")));
    assert_eq!(d.status, Status::DueSoon);
    assert_eq!(status(&p, "audit-biennial", "2027-07-01"), Status::Overdue);
    for day in ["2027-06-30", "2027-07-01"] {
        assert_eq!(
            status(&p, "audit-biennial", day) == Status::Overdue,
            check_flags(&p, "PIPL-54-audit-biennial", day),
            "{day}"
        );
    }
    // 超过 excludes the figure.
    p.profile.scale.pi_subjects = Some(10_000_000);
    let na = get(&p, "audit-biennial", "2027-07-01");
    assert_eq!(na.status, Status::NotApplicable);
    assert!(na.note_en.contains("10,000,000"), "{}", na.note_en);
    assert!(na.note_zh.contains("超过"), "{}", na.note_zh);
    p.profile.scale.pi_subjects = Some(10_000_001);
    assert_eq!(status(&p, "audit-biennial", "2027-07-01"), Status::Overdue);
    p.profile.scale.pi_subjects = None;
    assert_eq!(
        status(&p, "audit-biennial", "2027-07-01"),
        Status::NotApplicable
    );
    // Not in force before the Audit Measures.
    p.profile.scale.pi_subjects = Some(10_000_001);
    assert_eq!(
        status(&p, "audit-biennial", "2025-04-30"),
        Status::NotApplicable
    );
    // A compliance-audit report generated later counts as the latest audit.
    let past = [report("compliance-audit", None, "2027-06-01")];
    let d = get_with(
        &p,
        "audit-biennial",
        "2027-07-01",
        &past,
        DutyOptions::default(),
    );
    assert_eq!(d.due, Some(date("2029-06-01")));
    assert_eq!(d.status, Status::Done);
}

#[test]
fn first_biennial_audit_two_years_after_the_measures() {
    let mut p = clean();
    for f in &mut p.files {
        f.map
            .assessments
            .retain(|a| a.kind != AssessmentKind::ComplianceAudit);
    }
    let d = get(&p, "audit-biennial", "2027-05-01");
    assert_eq!(d.due, Some(date("2027-05-01")));
    assert_eq!(d.status, Status::DueSoon);
    assert!(d.last_done.is_none());
    assert_eq!(status(&p, "audit-biennial", "2027-05-02"), Status::Overdue);
    assert_eq!(status(&p, "audit-biennial", "2026-11-28"), Status::Upcoming);
    // Minors: first due 2025-01-01.
    assert_eq!(
        status(&p, "audit-minors-annual", "2025-01-02"),
        Status::Overdue
    );
}

#[test]
fn minors_audit_yearly() {
    let mut p = clean();
    // audit-minors-2026 completed 2026-03-31.
    assert_eq!(
        status(&p, "audit-minors-annual", "2027-03-31"),
        Status::DueSoon
    );
    assert_eq!(
        status(&p, "audit-minors-annual", "2027-04-01"),
        Status::Overdue
    );
    assert!(check_flags(&p, "MINORS-37-annual-audit", "2027-04-01"));
    assert!(!check_flags(&p, "MINORS-37-annual-audit", "2027-03-31"));
    let d = get(&p, "audit-minors-annual", AS_OF);
    assert_eq!(d.confidence, Confidence::Off1);
    p.profile.roles.processes_minors_pi = false;
    p.profile.scale.minor_subjects = Some(0);
    for f in &mut p.files {
        for ds in &mut f.map.datasets {
            ds.subjects.clear();
        }
    }
    assert_eq!(
        status(&p, "audit-minors-annual", AS_OF),
        Status::NotApplicable
    );
    p.profile.scale.minor_subjects = Some(1);
    assert_eq!(status(&p, "audit-minors-annual", AS_OF), Status::Done);
}

#[test]
fn pipo_filing_thirtieth_working_day_on_the_prc_calendar() {
    let mut p = clean();
    p.profile.scale.pi_subjects = Some(1_000_000);
    // Reached Monday 2025-09-01. Working days: 2–30 Sep incl. Sunday 28 Sep (adjusted) = 22;
    // 1–8 Oct off; 9, 10, Saturday 11 Oct (adjusted) = 25; 13–17 Oct = 30 → Friday 2025-10-17.
    p.profile.scale.pi_1m_reached = Some(map_date("2025-09-01"));
    {
        let o = p.profile.officers.pipo.as_mut().unwrap();
        o.appointed = Some(map_date("2025-08-01"));
        o.filed = None;
    }
    let d = get(&p, "pipo-filing", "2025-10-17");
    assert_eq!(d.due, Some(date("2025-10-17")));
    assert_eq!(d.status, Status::DueSoon);
    assert_eq!(d.days_left, Some(0));
    assert_eq!(d.confidence, Confidence::C2);
    assert_eq!(status(&p, "pipo-filing", "2025-10-18"), Status::Overdue);
    assert_eq!(status(&p, "pipo-filing", "2025-09-17"), Status::DueSoon); // 30 days
    assert_eq!(status(&p, "pipo-filing", "2025-09-16"), Status::Upcoming); // 31 days
    // `xiezhi check` with the same calendar agrees on the edge.
    assert!(!check_flags(&p, "PIPO-notice-filing", "2025-10-17"));
    assert!(check_flags(&p, "PIPO-notice-filing", "2025-10-18"));
    // Filed (even late) → done, with the filing date.
    p.profile.officers.pipo.as_mut().unwrap().filed = Some(map_date("2025-10-20"));
    let d = get(&p, "pipo-filing", "2025-11-01");
    assert_eq!(d.status, Status::Done);
    assert_eq!(d.last_done, Some(date("2025-10-20")));
    assert!(d.note_en.contains("after the deadline"));
    // 以上 includes the figure: 999,999 people need no filing.
    p.profile.scale.pi_subjects = Some(999_999);
    let na = get(&p, "pipo-filing", "2025-11-01");
    assert_eq!(na.status, Status::NotApplicable);
    assert!(na.note_en.contains("999,999"));
}

#[test]
fn pipo_filing_transition_date_and_change_of_officer() {
    let mut p = clean();
    // Above 1,000,000 since 2021, officer appointed before: file by 2025-08-29.
    p.profile.scale.pi_1m_reached = Some(map_date("2021-03-01"));
    {
        let o = p.profile.officers.pipo.as_mut().unwrap();
        o.appointed = Some(map_date("2020-01-01"));
        o.filed = None;
    }
    assert_eq!(
        get(&p, "pipo-filing", "2025-08-29").due,
        Some(date("2025-08-29"))
    );
    assert_eq!(status(&p, "pipo-filing", "2025-08-29"), Status::DueSoon);
    assert_eq!(status(&p, "pipo-filing", "2025-08-30"), Status::Overdue);
    assert_eq!(
        status(&p, "pipo-filing", "2025-07-17"),
        Status::NotApplicable
    );
    // A new officer on Monday 2026-03-02: 30 working days (Qingming 4–6 Apr off) → 2026-04-14.
    {
        let o = p.profile.officers.pipo.as_mut().unwrap();
        o.appointed = Some(map_date("2026-03-02"));
        o.filed = Some(map_date("2025-08-01"));
    }
    let d = get(&p, "pipo-filing", "2026-04-14");
    assert_eq!(d.due, Some(date("2026-04-14")));
    assert_eq!(
        d.status,
        Status::DueSoon,
        "the filing for the old officer does not count"
    );
    assert_eq!(status(&p, "pipo-filing", "2026-04-15"), Status::Overdue);
}

#[test]
fn pipo_filing_outside_the_calendar_is_not_guessed() {
    let mut p = clean();
    p.profile.scale.pi_1m_reached = Some(map_date("2026-12-01"));
    {
        let o = p.profile.officers.pipo.as_mut().unwrap();
        o.appointed = Some(map_date("2026-01-01"));
        o.filed = None;
    }
    let d = get(&p, "pipo-filing", "2026-12-02");
    assert_eq!(d.status, Status::Undetermined);
    assert!(d.due.is_none());
    assert!(d.note_en.contains("2027-01-01"), "{}", d.note_en);
    assert!(d.note_en.contains("2025–2026"), "{}", d.note_en);
    assert!(d.note_zh.contains("不作推测"), "{}", d.note_zh);
    // 30 working days have certainly passed 42 + 21 = 63 calendar days later (2027-02-02).
    assert_eq!(
        status(&p, "pipo-filing", "2027-02-02"),
        Status::Undetermined
    );
    assert_eq!(status(&p, "pipo-filing", "2027-02-03"), Status::Overdue);
    p.profile.officers.pipo.as_mut().unwrap().filed = Some(map_date("2026-12-02"));
    assert_eq!(status(&p, "pipo-filing", "2026-12-02"), Status::Done);
}

#[test]
fn platform_report_yearly() {
    let mut p = clean();
    p.profile.roles.large_platform = true;
    // Published 2026-06-30.
    let d = get(&p, "platform-pi-annual", AS_OF);
    assert_eq!(d.due, Some(date("2027-06-30")));
    assert_eq!(d.status, Status::Done);
    assert_eq!(
        status(&p, "platform-pi-annual", "2027-06-30"),
        Status::DueSoon
    );
    assert_eq!(
        status(&p, "platform-pi-annual", "2027-07-01"),
        Status::Overdue
    );
    assert!(check_flags(
        &p,
        "NDSR-44-social-responsibility-report",
        "2027-07-01"
    ));
    assert!(!check_flags(
        &p,
        "NDSR-44-social-responsibility-report",
        "2027-06-30"
    ));
    p.profile.platform.social_responsibility_report = None;
    let d = get(&p, "platform-pi-annual", "2025-12-15");
    assert_eq!(d.due, Some(date("2026-01-01")));
    assert_eq!(d.status, Status::DueSoon);
    let past = [report("platform-pi-annual", Some(2025), "2025-12-20")];
    let d = get_with(
        &p,
        "platform-pi-annual",
        AS_OF,
        &past,
        DutyOptions::default(),
    );
    assert_eq!(d.due, Some(date("2026-12-20")));
    assert_eq!(d.status, Status::DueSoon);
    // Counts that make a candidate, undeclared: not applicable, with the reason.
    p.profile.roles.large_platform = false;
    p.profile.scale.registered_users = Some(50_000_000);
    let na = get(&p, "platform-pi-annual", AS_OF);
    assert_eq!(na.status, Status::NotApplicable);
    assert!(na.note_en.contains("art. 62(8)"));
}

#[test]
fn retention_three_years() {
    let mut p = clean();
    // pipia-account-delivery completed 2024-12-10, kept 3 years → until 2027-12-10.
    let id = "retention:pipia-account-delivery";
    let d = get(&p, id, AS_OF);
    assert_eq!(d.due, Some(date("2027-12-10")));
    assert_eq!(d.kind, DutyKind::KeepUntil);
    assert_eq!(d.confidence, Confidence::C2);
    assessment(&mut p, "pipia-account-delivery", |a| {
        a.records = Some(Records {
            location: "档案".into(),
            retention_years: 3,
            deleted: Some(map_date("2027-12-09")),
        })
    });
    assert_eq!(status(&p, id, "2027-12-09"), Status::Overdue);
    assessment(&mut p, "pipia-account-delivery", |a| {
        a.records.as_mut().unwrap().deleted = Some(map_date("2027-12-10"))
    });
    assert_eq!(status(&p, id, "2027-12-10"), Status::Done);
    // Fewer years written than the minimum: the minimum applies.
    assessment(&mut p, "pipia-account-delivery", |a| {
        let r = a.records.as_mut().unwrap();
        r.retention_years = 2;
        r.deleted = None;
    });
    assert_eq!(get(&p, id, AS_OF).due, Some(date("2027-12-10")));
    // A PIPIA report in the register is kept 3 years too; 29 Feb counts per the Civil Code.
    let past = [report("pipia", None, "2024-02-29")];
    let d = get_with(
        &p,
        "retention-report:pipia:2024-02-29",
        AS_OF,
        &past,
        DutyOptions::default(),
    );
    assert_eq!(d.due, Some(date("2027-02-28")));
    // Risk-assessment record retention only from the Risk Assessment Measures (2026-08-20).
    assert_eq!(
        status(&p, "retention:risk-2025", "2026-08-19"),
        Status::NotApplicable
    );
    assert_eq!(
        status(&p, "retention:risk-2025", "2026-08-20"),
        Status::Done
    );
}

fn set_transfer(p: &mut Project, f: impl Fn(&mut xiezhi_map::model::Transfer)) {
    for file in &mut p.files {
        for t in &mut file.map.transfers {
            f(t);
        }
    }
}

#[test]
fn security_assessment_validity_and_extension_window() {
    let mut p = clean();
    // Passed 2023-12-31 → valid until 2026-12-31. 60 working days before: Dec 2026 has 22,
    // Nov 21 (43), 26–30 Oct 5 (48), 19–23 (53), 12–16 (58), Saturday 10 Oct (adjusted, 59),
    // Friday 9 Oct (60) → the window opens 2026-10-09.
    set_transfer(&mut p, |t| {
        t.mechanism = TransferMechanism::SecurityAssessment;
        t.valid_from = Some(map_date("2023-12-31"));
        t.filed = None;
    });
    let id = "xborder-assessment:xb-sg-analytics";
    let d = get(&p, id, "2026-10-09");
    assert_eq!(d.due, Some(date("2026-12-31")));
    assert_eq!(d.window_opens, Some(date("2026-10-09")));
    assert_eq!(d.status, Status::DueSoon);
    assert!(d.note_en.contains("apply now"));
    assert_eq!(status(&p, id, "2026-10-08"), Status::Done);
    assert_eq!(status(&p, id, "2026-12-31"), Status::DueSoon);
    assert_eq!(status(&p, id, "2027-01-01"), Status::Overdue);
    // Extended: +3 years; the window then lies outside the calendar: not guessed.
    set_transfer(&mut p, |t| t.extended = true);
    let d = get(&p, id, AS_OF);
    assert_eq!(d.due, Some(date("2029-12-31")));
    assert!(d.window_opens.is_none());
    assert!(d.note_en.contains("2025–2026"), "{}", d.note_en);
    // From expiry − 60 calendar days the window is open whatever the holidays.
    assert_eq!(status(&p, id, "2029-11-01"), Status::DueSoon);
    assert_eq!(status(&p, id, "2029-10-31"), Status::Done);
}

#[test]
fn standard_contract_filing_ten_working_days() {
    let mut p = clean();
    // In effect Friday 2026-02-13: 10 working days over the Spring Festival → 2026-03-05.
    set_transfer(&mut p, |t| {
        t.valid_from = Some(map_date("2026-02-13"));
        t.filed = None;
    });
    let id = "xborder-scc-filing:xb-sg-analytics";
    assert_eq!(get(&p, id, "2026-03-05").due, Some(date("2026-03-05")));
    assert_eq!(status(&p, id, "2026-03-05"), Status::DueSoon);
    assert_eq!(status(&p, id, "2026-03-06"), Status::Overdue);
    set_transfer(&mut p, |t| t.filed = Some(map_date("2026-03-05")));
    assert_eq!(status(&p, id, "2026-03-06"), Status::Done);
    // In effect 2026-12-25: the deadline runs into 2027, outside the calendar.
    set_transfer(&mut p, |t| {
        t.valid_from = Some(map_date("2026-12-25"));
        t.filed = None;
    });
    let d = get(&p, id, "2026-12-26");
    assert_eq!(d.status, Status::Undetermined);
    assert!(d.due.is_none());
    // 10 working days have certainly passed 14 + 21 = 35 calendar days later (2027-01-29):
    // overdue from the day after, whatever the 2027 holidays.
    assert!(
        d.note_en.contains("2027-01-29 at the latest"),
        "{}",
        d.note_en
    );
    assert_eq!(status(&p, id, "2027-01-29"), Status::Undetermined);
    assert_eq!(status(&p, id, "2027-01-30"), Status::Overdue);
    // A contract from 2024 (before the calendar's years), never filed: overdue.
    set_transfer(&mut p, |t| t.valid_from = Some(map_date("2024-06-03")));
    assert_eq!(status(&p, id, AS_OF), Status::Overdue);
    set_transfer(&mut p, |t| t.filed = Some(map_date("2024-06-10")));
    assert_eq!(status(&p, id, AS_OF), Status::Done);
}

#[test]
fn missing_mechanism_and_certification_validity() {
    let mut p = clean();
    set_transfer(&mut p, |t| {
        t.mechanism = TransferMechanism::None;
        t.valid_from = None;
    });
    let d = get(&p, "xborder-mechanism:xb-sg-analytics", AS_OF);
    assert_eq!(d.status, Status::Overdue);
    assert_eq!(d.command.as_deref(), Some("xiezhi xborder"));
    // 2026: 180,000 individuals → SCC or certification. A certification valid to 2026-12-31.
    set_transfer(&mut p, |t| {
        t.mechanism = TransferMechanism::Certification;
        t.valid_from = Some(map_date("2024-01-01"));
        t.valid_until = Some(map_date("2026-12-31"));
    });
    assert!(
        !all(&p, AS_OF)
            .iter()
            .any(|d| d.id.starts_with("xborder-mechanism"))
    );
    let id = "xborder-certification:xb-sg-analytics";
    assert_eq!(get(&p, id, AS_OF).confidence, Confidence::Unconfirmed);
    assert_eq!(status(&p, id, "2026-12-01"), Status::DueSoon);
    assert_eq!(status(&p, id, "2026-11-30"), Status::Done);
    assert_eq!(status(&p, id, "2027-01-01"), Status::Overdue);
}

#[test]
fn order_and_serialisation() {
    let mut p = clean();
    assessment(&mut p, "risk-2025", |a| a.reported = None);
    let d = all(&p, "2027-04-01");
    let statuses: Vec<Status> = d.iter().map(|d| d.status).collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    assert_eq!(statuses, sorted, "most urgent first");
    let v = serde_json::to_value(&d[0]).unwrap();
    assert_eq!(v["status"], "overdue");
    assert!(v["due"].is_string());
    assert!(v["confidence"].is_string());
    let cal = calendar(&p, date(AS_OF), &[], &DutyOptions::default());
    assert_eq!(cal.working_day_calendar.as_deref(), Some("2025–2026"));
    assert_eq!(cal.count(Status::Overdue), 1);
    let pr: PastReport =
        serde_json::from_str(r#"{"kind":"pipia","generated_on":"2026-01-05"}"#).unwrap();
    assert_eq!(pr.period_year, None);
}
