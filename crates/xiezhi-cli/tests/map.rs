//! `xiezhi init`, `xiezhi map check` and `xiezhi schema`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::process::{Command, Output};

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn init_then_check_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proj");
    let d = dir.to_str().unwrap();
    let o = xiezhi(&["init", d]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(dir.join("xiezhi.yaml").is_file());
    assert!(dir.join("datamap/transfers.yaml").is_file());
    let o = xiezhi(&["map", "check", d]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(out(&o).contains("数据地图有效"), "{o:?}");
    let o = xiezhi(&["map", "validate", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(out(&o).contains("data map is valid"), "{o:?}");
    // A second init refuses and leaves the files alone.
    let o = xiezhi(&["init", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
}

#[test]
fn check_reports_errors_with_positions_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    assert_eq!(xiezhi(&["init", d]).status.code(), Some(0));
    let p = tmp.path().join("datamap/activities.yaml");
    let text = fs::read_to_string(&p).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l == "    purpose: 商品推荐")
        .unwrap();
    fs::write(
        &p,
        text.replacen("    purpose: 商品推荐", "    purpsoe: 商品推荐", 1),
    )
    .unwrap();
    let o = xiezhi(&["map", "check", d, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let s = out(&o);
    assert!(
        s.contains(&format!(
            "activities.yaml:{line}:5: error[unknown-key]: unknown key `purpsoe`"
        )),
        "{s}"
    );
    assert!(s.contains("hint: did you mean `purpose`?"), "{s}");
    let o = xiezhi(&["map", "check", d, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["line"], line);
    assert_eq!(v[0]["kind"], "unknown-key");
}

#[test]
fn check_without_profile_says_run_init() {
    let tmp = tempfile::tempdir().unwrap();
    let o = xiezhi(&["map", "check", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("xiezhi init"), "{o:?}");
}

#[test]
fn schema_prints_json() {
    let o = xiezhi(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["$defs"]["Profile"].is_object(), "{v}");
    assert!(v["$defs"]["DataMapFile"]["properties"]["transfers"].is_object());
}

#[test]
fn init_then_rules_check_reports_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("proj");
    let d = dir.to_str().unwrap();
    assert_eq!(xiezhi(&["init", d]).status.code(), Some(0));
    let o = xiezhi(&["check", d, "--as-of", "2025-06-30"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let s = out(&o);
    assert!(s.contains("Reg. 12") && s.contains("PIPL 29"), "{s}");
    assert!(s.contains("datamap/recipients.yaml:"), "{s}");
    let o = xiezhi(&["check", d, "--as-of", "2025-06-30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(!v.as_array().unwrap().is_empty());
    let o = xiezhi(&["check", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

#[test]
fn example_check_shows_only_its_deliberate_violations() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    assert_eq!(xiezhi(&["init", d]).status.code(), Some(0));
    let o = xiezhi(&["check", d, "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut rules: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "CSL-21-log-retention",
            "NDSR-12-provision-contract",
            "NDSR-18-crawler-governance",
            "NDSR-40-third-party-obligations",
            "PIPL-29-separate-consent",
        ]
    );
    for f in v.as_array().unwrap() {
        assert!(f["exposure"]["group"].is_string(), "{f}");
        assert!(f["confidence"].is_string(), "{f}");
        assert!(!f["articles"].as_array().unwrap().is_empty(), "{f}");
    }
    let log = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CSL-21-log-retention")
        .unwrap();
    assert_eq!(log["exposure"]["mitigation"][0], "first_minor_corrected");
}
