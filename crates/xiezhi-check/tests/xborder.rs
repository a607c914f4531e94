//! Cross-border decision: every threshold at its exact boundary (catalog section 5), each
//! exemption, ledger aggregation, clocks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use xiezhi_check::date::WeekendsOnly;
use xiezhi_check::xborder::*;
use xiezhi_check::{Confidence, Date, Lang};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn t(id: &str, general: u64, sensitive: u64) -> Transfer {
    Transfer {
        id: id.into(),
        exporter: Exporter {
            id: "acme".into(),
            ciio: false,
        },
        year: 2025,
        destination: "SG".into(),
        recipient: "Acme Pte".into(),
        general_pi_individuals: general,
        sensitive_pi_individuals: sensitive,
        ..Transfer::default()
    }
}

fn req(tr: &Transfer) -> Mechanism {
    decide(tr, d("2025-06-30"), None).required
}

fn last_row(tr: &Transfer) -> &'static str {
    let dec = decide(tr, d("2025-06-30"), None);
    dec.path.last().unwrap().row
}

#[test]
fn general_pi_boundaries() {
    // 不满 100,000 → exempt (art. 5(4)).
    assert_eq!(req(&t("a", 99_999, 0)), Mechanism::Exempt);
    assert_eq!(last_row(&t("a", 99_999, 0)), "E7");
    // 100,000 以上 → SCC or certification (art. 8).
    assert_eq!(
        req(&t("a", 100_000, 0)),
        Mechanism::StandardContractOrCertification
    );
    assert_eq!(last_row(&t("a", 100_000, 0)), "S1");
    assert_eq!(
        req(&t("a", 999_999, 0)),
        Mechanism::StandardContractOrCertification
    );
    // 1,000,000 以上 → assessment (art. 7(2)).
    assert_eq!(req(&t("a", 1_000_000, 0)), Mechanism::SecurityAssessment);
    assert_eq!(last_row(&t("a", 1_000_000, 0)), "A3");
    assert_eq!(req(&t("a", 1_000_001, 0)), Mechanism::SecurityAssessment);
}

#[test]
fn sensitive_pi_boundaries() {
    // Any sensitive PI removes the art. 5(4) exemption: 1 → SCC.
    assert_eq!(
        req(&t("a", 0, 1)),
        Mechanism::StandardContractOrCertification
    );
    assert_eq!(last_row(&t("a", 0, 1)), "S2");
    assert_eq!(
        req(&t("a", 50, 1)),
        Mechanism::StandardContractOrCertification
    );
    assert_eq!(
        req(&t("a", 0, 9_999)),
        Mechanism::StandardContractOrCertification
    );
    // 10,000 以上 → assessment.
    assert_eq!(req(&t("a", 0, 10_000)), Mechanism::SecurityAssessment);
    assert_eq!(last_row(&t("a", 0, 10_000)), "A4");
    // Sensitive below 10,000 with general at 1,000,000 is still an assessment.
    assert_eq!(
        req(&t("a", 1_000_000, 9_999)),
        Mechanism::SecurityAssessment
    );
    // General below 100,000 with some sensitive PI → SCC, not exempt.
    assert_eq!(
        req(&t("a", 99_999, 9_999)),
        Mechanism::StandardContractOrCertification
    );
}

#[test]
fn nothing_provided() {
    assert_eq!(req(&t("a", 0, 0)), Mechanism::None);
}

#[test]
fn ciio_any_pi_or_important_data() {
    let mut tr = t("a", 1, 0);
    tr.exporter.ciio = true;
    assert_eq!(req(&tr), Mechanism::SecurityAssessment);
    assert_eq!(last_row(&tr), "A1");
    let mut tr = t("a", 0, 0);
    tr.exporter.ciio = true;
    assert_eq!(req(&tr), Mechanism::None);
    tr.important_data = ImportantData::NotifiedOrPublished;
    assert_eq!(req(&tr), Mechanism::SecurityAssessment);
}

#[test]
fn important_data_and_e1() {
    let mut tr = t("a", 10, 0);
    tr.important_data = ImportantData::NotifiedOrPublished;
    assert_eq!(req(&tr), Mechanism::SecurityAssessment);
    assert_eq!(last_row(&tr), "A2");
    // E1: identified but not notified/published → not declared as important data.
    tr.important_data = ImportantData::IdentifiedNotNotified;
    let dec = decide(&tr, d("2025-06-30"), None);
    assert_eq!(dec.required, Mechanism::Exempt);
    assert_eq!(dec.path[0].row, "E1");
}

#[test]
fn scenario_exemptions() {
    for (s, row) in [
        (Scenario::ContractWithIndividual, "E4"),
        (Scenario::HrManagement, "E5"),
        (Scenario::Emergency, "E6"),
        (Scenario::TransitOnly, "E3"),
        (Scenario::FtzOutsideNegativeList, "E8"),
    ] {
        let mut tr = t("a", 5_000_000, 50_000);
        tr.scenario = s;
        let dec = decide(&tr, d("2025-06-30"), None);
        assert_eq!(dec.required, Mechanism::Exempt, "{s:?}");
        assert_eq!(dec.path[0].row, row);
        assert_eq!(dec.confidence, Confidence::C2);
        assert!(dec.pipl_duties_remain, "PIPL duties remain under {s:?}");
        // Exemption holds for a CIIO too.
        tr.exporter.ciio = true;
        assert_eq!(req(&tr), Mechanism::Exempt, "CIIO {s:?}");
    }
    // E2: no PI and no important data.
    let mut tr = t("a", 0, 0);
    tr.scenario = Scenario::NoPiNoImportantData;
    assert_eq!(req(&tr), Mechanism::Exempt);
    assert_eq!(last_row(&tr), "E2");
    assert!(!decide(&tr, d("2025-06-30"), None).pipl_duties_remain);
}

#[test]
fn e2_contradicted_by_counts_falls_through() {
    let mut tr = t("a", 1_000_000, 0);
    tr.scenario = Scenario::NoPiNoImportantData;
    let dec = decide(&tr, d("2025-06-30"), None);
    assert_eq!(dec.required, Mechanism::SecurityAssessment);
    assert_eq!(dec.path[0].row, "E2");
    assert_eq!(dec.path[0].outcome, None);
}

#[test]
fn pi_exemption_does_not_cover_important_data() {
    let mut tr = t("a", 10, 0);
    tr.scenario = Scenario::ContractWithIndividual;
    tr.important_data = ImportantData::NotifiedOrPublished;
    let dec = decide(&tr, d("2025-06-30"), None);
    assert_eq!(dec.required, Mechanism::SecurityAssessment);
    assert_eq!(dec.path.last().unwrap().row, "A2");
}

#[test]
fn statutory_duty_carries_unconfirmed_mark() {
    let mut tr = t("a", 10, 0);
    tr.scenario = Scenario::StatutoryDuty;
    let dec = decide(&tr, d("2025-06-30"), None);
    assert_eq!(dec.required, Mechanism::Exempt);
    assert_eq!(dec.confidence, Confidence::Unconfirmed);
    assert!(render_decision(&dec, Lang::En).contains("[UNCONFIRMED]"));
}

#[test]
fn ledger_sums_against_splitting() {
    // Three transfers of 60,000 each: each alone is exempt, together 180,000 → SCC.
    let ledger = vec![t("a", 60_000, 0), t("b", 60_000, 0), t("c", 60_000, 0)];
    for tr in &ledger {
        assert_eq!(req(tr), Mechanism::Exempt);
    }
    let out = decide_ledger(&ledger, d("2025-06-30"), None);
    assert_eq!(out.len(), 1);
    let g = &out[0];
    assert_eq!(g.general_pi_individuals, 180_000);
    assert_eq!(g.required, Mechanism::StandardContractOrCertification);
    assert!(
        g.transfers
            .iter()
            .all(|x| x.required == Mechanism::StandardContractOrCertification)
    );
    let line = g.transfers[0].path_text(Lang::En).join("\n");
    assert!(line.contains("summed over 3 transfers"), "{line}");
    let zh = g.transfers[0].path_text(Lang::ZhCn).join("\n");
    assert!(zh.contains("3项传输合计"), "{zh}");
}

#[test]
fn ledger_boundary_exact_sum() {
    // 999,999 + 1 = 1,000,000 → assessment; 999,998 + 1 → SCC.
    let out = decide_ledger(&[t("a", 999_999, 0), t("b", 1, 0)], d("2025-06-30"), None);
    assert_eq!(out[0].required, Mechanism::SecurityAssessment);
    let out = decide_ledger(&[t("a", 999_998, 0), t("b", 1, 0)], d("2025-06-30"), None);
    assert_eq!(out[0].required, Mechanism::StandardContractOrCertification);
    // Sensitive: 9,999 + 1 = 10,000 → assessment.
    let out = decide_ledger(&[t("a", 0, 9_999), t("b", 0, 1)], d("2025-06-30"), None);
    assert_eq!(out[0].required, Mechanism::SecurityAssessment);
    // General: 99,999 + 1 = 100,000 → SCC.
    let out = decide_ledger(&[t("a", 99_999, 0), t("b", 1, 0)], d("2025-06-30"), None);
    assert_eq!(out[0].required, Mechanism::StandardContractOrCertification);
}

#[test]
fn ledger_separates_exporters_years_and_exempt_scenarios() {
    let mut other = t("x", 60_000, 0);
    other.exporter.id = "other".into();
    let mut last_year = t("y", 60_000, 0);
    last_year.year = 2024;
    let mut hr = t("hr", 900_000, 0);
    hr.scenario = Scenario::HrManagement;
    let ledger = vec![t("a", 60_000, 0), other, last_year, hr, t("b", 30_000, 0)];
    let out = decide_ledger(&ledger, d("2025-06-30"), None);
    assert_eq!(out.len(), 3);
    let acme25 = out
        .iter()
        .find(|g| g.exporter == "acme" && g.year == 2025)
        .unwrap();
    assert_eq!(acme25.general_pi_individuals, 90_000);
    assert_eq!(acme25.counted, vec!["a".to_string(), "b".to_string()]);
    assert_eq!(acme25.excluded, vec!["hr".to_string()]);
    assert_eq!(acme25.required, Mechanism::Exempt);
    let hr_dec = acme25
        .transfers
        .iter()
        .find(|x| x.transfer_id == "hr")
        .unwrap();
    assert_eq!(hr_dec.path[0].row, "E5");
}

#[test]
fn ledger_ciio_flag_propagates() {
    let mut a = t("a", 10, 0);
    a.exporter.ciio = true;
    let out = decide_ledger(&[a, t("b", 10, 0)], d("2025-06-30"), None);
    assert!(out[0].ciio);
    assert!(
        out[0]
            .transfers
            .iter()
            .all(|x| x.required == Mechanism::SecurityAssessment)
    );
}

#[test]
fn assessment_clock_validity_and_window() {
    let [exp, open] = assessment_clocks(d("2024-03-22"), false, None);
    assert_eq!(exp.date, d("2027-03-22"));
    assert_eq!(open.date, d("2027-01-21"));
    assert_eq!(
        open.basis,
        DayBasis::CalendarDaysApprox { working_days: 60 }
    );
    // Leap day: no 29 Feb in 2027 → month end.
    let [exp, _] = assessment_clocks(d("2024-02-29"), false, None);
    assert_eq!(exp.date, d("2027-02-28"));
    // Extension adds 3 years.
    let [exp, _] = assessment_clocks(d("2024-02-29"), true, None);
    assert_eq!(exp.date, d("2030-02-28"));
    // With a working-day calendar (weekends only): 60 working days = 12 weeks back.
    let [exp, open] = assessment_clocks(d("2024-03-22"), false, Some(&WeekendsOnly));
    assert_eq!(exp.date, d("2027-03-22")); // Monday
    assert_eq!(open.date, d("2026-12-28")); // Monday, 12 weeks earlier
    assert_eq!(open.basis, DayBasis::WorkingDays);
    // Window opening across a year end, calendar approximation.
    let [exp, open] = assessment_clocks(d("2025-02-15"), false, None);
    assert_eq!(exp.date, d("2028-02-15"));
    assert_eq!(open.date, d("2027-12-17"));
}

#[test]
fn scc_filing_clock_across_month_year_and_leap() {
    let c = scc_filing_clock(d("2024-02-25"), None);
    assert_eq!(c.date, d("2024-03-06")); // leap February
    assert_eq!(c.confidence, Confidence::Unconfirmed);
    assert_eq!(
        scc_filing_clock(d("2023-02-25"), None).date,
        d("2023-03-07")
    );
    assert_eq!(
        scc_filing_clock(d("2025-12-28"), None).date,
        d("2026-01-07")
    );
    // Weekends-only: Friday 2025-12-26 + 10 working days = Friday 2026-01-09.
    let c = scc_filing_clock(d("2025-12-26"), Some(&WeekendsOnly));
    assert_eq!(c.date, d("2026-01-09"));
    assert_eq!(c.basis, DayBasis::WorkingDays);
}

#[test]
fn compliance_against_mechanism_in_place() {
    let mut tr = t("a", 1_000_000, 0);
    assert_eq!(
        decide(&tr, d("2025-06-30"), None).compliance,
        Compliance::Missing
    );
    tr.in_place = Some(InPlace::StandardContract {
        effective_on: d("2025-01-10"),
        filed_on: Some(d("2025-01-15")),
    });
    assert_eq!(
        decide(&tr, d("2025-06-30"), None).compliance,
        Compliance::Insufficient
    );
    tr.in_place = Some(InPlace::SecurityAssessment {
        passed_on: d("2024-03-22"),
        extended: false,
    });
    assert_eq!(
        decide(&tr, d("2025-06-30"), None).compliance,
        Compliance::Satisfied
    );
    assert_eq!(
        decide(&tr, d("2027-01-21"), None).compliance,
        Compliance::ExtensionWindowOpen
    );
    assert_eq!(
        decide(&tr, d("2027-03-22"), None).compliance,
        Compliance::ExtensionWindowOpen
    );
    assert_eq!(
        decide(&tr, d("2027-03-23"), None).compliance,
        Compliance::Expired
    );

    // SCC requirement: filing clock.
    let mut tr = t("a", 100_000, 0);
    tr.in_place = Some(InPlace::StandardContract {
        effective_on: d("2025-12-28"),
        filed_on: None,
    });
    assert_eq!(
        decide(&tr, d("2026-01-07"), None).compliance,
        Compliance::FilingPending
    );
    assert_eq!(
        decide(&tr, d("2026-01-08"), None).compliance,
        Compliance::FilingOverdue
    );
    tr.in_place = Some(InPlace::StandardContract {
        effective_on: d("2025-12-28"),
        filed_on: Some(d("2026-01-07")),
    });
    assert_eq!(
        decide(&tr, d("2026-06-01"), None).compliance,
        Compliance::Satisfied
    );
    // A passed assessment also satisfies an SCC requirement.
    tr.in_place = Some(InPlace::SecurityAssessment {
        passed_on: d("2025-01-01"),
        extended: false,
    });
    assert_eq!(
        decide(&tr, d("2026-06-01"), None).compliance,
        Compliance::Satisfied
    );
    // Exempt: nothing required.
    assert_eq!(
        decide(&t("a", 5, 0), d("2026-06-01"), None).compliance,
        Compliance::NotRequired
    );
}

#[test]
fn path_text_bilingual_with_drafting_words() {
    let dec = decide(&t("a", 1_000_000, 0), d("2025-06-30"), None);
    let en = dec.path_text(Lang::En).join("\n");
    assert!(
        en.contains("general PI individuals (excl. sensitive) 1,000,000 ≥ 1,000,000 (以上, at or above) → CAC data export security assessment [C2]"),
        "{en}"
    );
    assert!(en.contains("CBDF art. 7(2)"), "{en}");
    let zh = dec.path_text(Lang::ZhCn).join("\n");
    assert!(
        zh.contains(
            "个人信息（不含敏感个人信息）人数 1,000,000 ≥ 1,000,000（以上） → 申报数据出境安全评估"
        ),
        "{zh}"
    );
    let dec = decide(&t("a", 99_999, 0), d("2025-06-30"), None);
    let zh = dec.path_text(Lang::ZhCn).join("\n");
    assert!(zh.contains("99,999 < 100,000（不满） → 免予"), "{zh}");
    let en = dec.path_text(Lang::En).join("\n");
    assert!(
        en.contains("99,999 < 100,000 (不满, less than) → exempt"),
        "{en}"
    );
    // The failing comparison is shown with its negation.
    let dec = decide(&t("a", 999_999, 0), d("2025-06-30"), None);
    let en = dec.path_text(Lang::En).join("\n");
    assert!(
        en.contains("999,999 < 1,000,000 (以上, at or above) ✗"),
        "{en}"
    );
}

#[test]
fn render_decision_shows_clocks_and_approximation() {
    let mut tr = t("a", 200_000, 0);
    tr.in_place = Some(InPlace::StandardContract {
        effective_on: d("2025-12-28"),
        filed_on: None,
    });
    let dec = decide(&tr, d("2026-01-02"), None);
    let en = render_decision(&dec, Lang::En);
    assert!(
        en.contains("standard contract filing due by 2026-01-07"),
        "{en}"
    );
    assert!(en.contains("no PRC holiday calendar supplied"), "{en}");
    assert!(en.contains("[UNCONFIRMED]"), "{en}");
    assert!(en.contains("PIPL duties still apply"), "{en}");
    let zh = render_decision(&dec, Lang::ZhCn);
    assert!(zh.contains("标准合同备案截止 2026-01-07"), "{zh}");
    assert!(zh.contains("按10个自然日近似计算"), "{zh}");
}

#[test]
fn transfer_deserializes_from_json() {
    let tr: Transfer = serde_json::from_str(
        r#"{"id":"t1","exporter":{"id":"acme","ciio":false},"year":2025,
            "scenario":"hr_management","general_pi_individuals":10,
            "in_place":{"kind":"standard_contract","effective_on":"2025-02-28"}}"#,
    )
    .unwrap();
    assert_eq!(tr.scenario, Scenario::HrManagement);
    let json = serde_json::to_string(&decide(&tr, d("2025-06-30"), None)).unwrap();
    assert!(json.contains("\"required\":\"exempt\""), "{json}");
}

#[test]
fn contradicted_e2_is_counted_in_the_ledger() {
    let mut bad = t("bad", 60_000, 0);
    bad.scenario = Scenario::NoPiNoImportantData;
    let out = decide_ledger(&[bad, t("a", 60_000, 0)], d("2025-06-30"), None);
    assert_eq!(out[0].general_pi_individuals, 120_000);
    assert!(out[0].excluded.is_empty());
    assert_eq!(out[0].required, Mechanism::StandardContractOrCertification);
}

#[test]
fn certification_clock() {
    let mut tr = t("a", 200_000, 0);
    tr.in_place = Some(InPlace::Certification {
        certified_on: d("2025-01-01"),
        valid_until: Some(d("2027-12-31")),
    });
    assert_eq!(
        decide(&tr, d("2027-12-31"), None).compliance,
        Compliance::Satisfied
    );
    let dec = decide(&tr, d("2028-01-01"), None);
    assert_eq!(dec.compliance, Compliance::Expired);
    assert_eq!(dec.clocks[0].kind, ClockKind::CertificationExpires);
    // Certification does not satisfy an assessment requirement.
    tr.general_pi_individuals = 1_000_000;
    assert_eq!(
        decide(&tr, d("2026-01-01"), None).compliance,
        Compliance::Insufficient
    );
}

#[test]
fn render_ledger_bilingual() {
    let out = decide_ledger(
        &[t("a", 60_000, 0), t("b", 60_000, 0)],
        d("2025-06-30"),
        None,
    );
    let en = render_ledger(&out[0], Lang::En);
    assert!(en.contains("general PI 120,000 individuals"), "{en}");
    assert!(en.contains("Transfer a:"), "{en}");
    let zh = render_ledger(&out[0], Lang::ZhCn);
    assert!(
        zh.contains("个人信息（不含敏感个人信息）120,000 人"),
        "{zh}"
    );
    assert!(zh.contains("[UNCONFIRMED]"), "{zh}");
}

#[test]
fn approximation_direction_is_stated() {
    let mut tr = t("a", 1_000_000, 0);
    tr.in_place = Some(InPlace::SecurityAssessment {
        passed_on: d("2024-02-29"),
        extended: false,
    });
    let dec = decide(&tr, d("2027-01-05"), None);
    let en = render_decision(&dec, Lang::En);
    assert!(
        en.contains("extension may be applied for from 2026-12-30"),
        "{en}"
    );
    assert!(en.contains("the true window opens earlier"), "{en}");
    assert!(en.contains("valid until 2027-02-28"), "{en}");
    let zh = render_decision(&dec, Lang::ZhCn);
    assert!(zh.contains("实际申请期开始得更早"), "{zh}");
}
