//! Rules on small projects written as YAML into temp dirs and loaded with the real loader.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;

use xiezhi_check::Date;
use xiezhi_check::penalty::GroupId;
use xiezhi_check::rules::{Finding, Severity, catalog, evaluate};

/// A compliant profile for a small processor (below every scale threshold).
const PROFILE: &str = r#"
organisation:
  name: 小型示例公司
  contacts:
    - { role: privacy, email: privacy@small.example }
    - { role: complaints, email: complaints@small.example }
roles:
  network_data_processor: true
  public_facing: true
scale:
  pi_subjects: 50000
  prior_year_turnover_cny: 20000000
controls:
  management_system: true
  mlps_level: 2
  mlps_filed: 2024-05-01
  encryption: true
  backup: true
  access_control: true
  authentication: true
  incident_plan: true
  log_retention_months: 6
notice:
  rights_channels:
    access: app
    copy: app
    port: mail
    correct: app
    supplement: app
    delete: app
    restrict: mail
    cancel_account: app
    withdraw_consent: app
"#;

const MAP: &str = r#"
systems:
  - { id: crm, name: CRM }
datasets:
  - id: customers
    name: 客户
    system: crm
    storage: { location: pg://crm/customers, region: CN }
    subjects: [users]
    fields:
      - { name: phone, pi_type: cn_mobile }
activities:
  - id: service
    name: 客户服务
    purpose: 售后服务
    method: 电话回访
    legal_basis: contract
    pi_types: [cn_mobile]
    datasets: [customers]
    retention: { days: 730, on_expiry: delete }
"#;

fn run(profile: &str, map: &str, as_of: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("xiezhi.yaml"), profile).unwrap();
    fs::create_dir(dir.path().join("datamap")).unwrap();
    fs::write(dir.path().join("datamap/main.yaml"), map).unwrap();
    let p = xiezhi_map::load_project(dir.path()).unwrap_or_else(|e| panic!("{:#?}", e.0));
    evaluate(&p, Date::parse(as_of).unwrap())
}

fn rules(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.rule).collect()
}

#[test]
fn small_compliant_project_has_no_findings() {
    let f = run(PROFILE, MAP, "2026-06-30");
    assert!(f.is_empty(), "{:#?}", rules(&f));
}

#[test]
fn ten_million_people_switch_on_art28_and_pipo() {
    let profile = PROFILE.replace("pi_subjects: 50000", "pi_subjects: 10000000");
    let f = run(&profile, MAP, "2026-06-30");
    let got = rules(&f);
    for want in [
        "NDSR-28-security-officer",
        "PIPL-52-pipo",
        "PIPO-notice-filing",
    ] {
        assert!(got.contains(&want), "{want}: {got:?}");
    }
    // Exactly 10,000,000 is not "more than 10,000,000": no biennial audit rule.
    let got = rules(&run(&profile, MAP, "2027-05-02"));
    assert!(!got.contains(&"PIPL-54-audit-biennial"), "{got:?}");
    let art28 = f
        .iter()
        .find(|f| f.rule == "NDSR-28-security-officer")
        .unwrap();
    assert_eq!(art28.severity, Severity::High);
    assert_eq!(art28.exposure.group, GroupId::Dsl45);
    assert!(art28.message_en.contains("10,000,000 or more"));
    let profile = PROFILE.replace("pi_subjects: 50000", "pi_subjects: 10000001");
    // With no audit on record the first is due two years after the Audit Measures (2025-05-01).
    let got_strict = rules(&run(&profile, MAP, "2027-05-02"));
    assert!(
        got_strict.contains(&"PIPL-54-audit-biennial"),
        "{got_strict:?}"
    );
}

#[test]
fn a_missing_profile_key_is_a_finding_at_its_section() {
    let profile = PROFILE.replace("  log_retention_months: 6\n", "");
    let f = run(&profile, MAP, "2026-06-30");
    assert_eq!(rules(&f), ["CSL-21-log-retention"]);
    // The key is not written: the finding points at its section.
    let controls = profile.lines().position(|l| l == "controls:").unwrap() as u64 + 1;
    assert_eq!((f[0].line, f[0].column), (controls, 1));
    assert!(f[0].file.ends_with("xiezhi.yaml"));
}

#[test]
fn entrusted_recipient_without_contract_points_at_its_line() {
    let map = format!(
        "{MAP}recipients:\n  - id: call-centre\n    name: 外包呼叫中心\n    relationship: entrusted\n    contact: {{ email: a@b.example }}\n    pi_types: [cn_mobile]\n    records: {{ location: archive, retention_years: 3 }}\n"
    );
    let map = map.replace(
        "    datasets: [customers]\n    retention",
        "    datasets: [customers]\n    recipients: [call-centre]\n    retention",
    );
    let f = run(PROFILE, &map, "2026-06-30");
    let got = rules(&f);
    // No contract (art. 12) and entrusting needs a PIPIA and processing records (PIPL 55, 56).
    assert!(got.contains(&"NDSR-12-provision-contract"), "{got:?}");
    assert!(got.contains(&"PIPL-55-pipia"), "{got:?}");
    let c = f
        .iter()
        .find(|f| f.rule == "NDSR-12-provision-contract")
        .unwrap();
    let line = map
        .lines()
        .position(|l| l.contains("id: call-centre"))
        .unwrap() as u64
        + 1;
    assert_eq!((c.line, c.column), (line, 9));
    assert!(c.file.ends_with("datamap/main.yaml"));
}

#[test]
fn every_rule_carries_its_metadata() {
    assert!(catalog().len() >= 40);
    for r in catalog() {
        assert!(r.id.contains('-'), "{}", r.id);
        assert!(!r.group.is_empty(), "{}", r.id);
    }
}
