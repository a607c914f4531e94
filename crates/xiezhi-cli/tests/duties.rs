//! `xiezhi duties`: the table (snapshot for the `xiezhi init` example at a fixed --as-of),
//! JSON, iCalendar, --within, --past-reports and exit statuses.
//!
//! Regenerate the snapshots with `XIEZHI_BLESS=1 cargo test -p xiezhi --test duties` and review
//! the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn project(tmp: &Path) -> PathBuf {
    let dir = tmp.join("proj");
    let o = xiezhi(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    dir
}

fn snapshot(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    if std::env::var_os("XIEZHI_BLESS").is_some() {
        fs::write(&path, got).unwrap();
        return;
    }
    let want = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); run with XIEZHI_BLESS=1",
            path.display()
        )
    });
    assert_eq!(
        got,
        want,
        "{} differs (regenerate with XIEZHI_BLESS=1 and review the diff)",
        path.display()
    );
}

#[test]
fn table_snapshot_of_the_example_project() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    for (lang, file) in [
        ("zh-CN", "duties_example.zh-CN.txt"),
        ("en", "duties_example.en.txt"),
    ] {
        let o = xiezhi(&["duties", d, "--as-of", "2026-11-28", "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        let text = out(&o);
        snapshot(file, &text);
    }
    let zh = out(&xiezhi(&["duties", d, "--as-of", "2026-11-28"]));
    assert!(zh.contains("即将到期"));
    assert!(zh.contains("xiezhi report important-data-annual"));
    assert!(zh.contains("[UNCONFIRMED]"));
    assert!(zh.contains("工作日历覆盖 2025–2026"));
}

#[test]
fn json_within_and_past_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    let o = xiezhi(&["duties", d, "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-11-28");
    assert_eq!(v["within_days"], 30);
    let duties = v["duties"].as_array().unwrap();
    let art33 = duties.iter().find(|x| x["id"] == "art33-annual").unwrap();
    assert_eq!(art33["status"], "due_soon");
    assert_eq!(art33["due"], "2026-12-15");
    assert_eq!(art33["days_left"], 17);
    assert_eq!(art33["confidence"], "C2");
    assert_eq!(art33["command"], "xiezhi report important-data-annual");
    assert_eq!(art33["derived_from"][1]["source"], "data_map");
    assert_eq!(art33["derived_from"][1]["file"], "datamap/assessments.yaml");

    // Due in 17 days: not due soon within 10 days.
    let o = xiezhi(&[
        "duties",
        d,
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "--within",
        "10",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let art33 = v["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "art33-annual")
        .unwrap()
        .clone();
    assert_eq!(art33["status"], "done");

    // A report generated after the last assessment moves the next due date.
    let past = tmp.path().join("past.json");
    fs::write(
        &past,
        r#"[{"kind":"important-data-annual","period_year":2026,"generated_on":"2026-11-20"},
            {"kind":"pipia","generated_on":"2026-01-05"}]"#,
    )
    .unwrap();
    let o = xiezhi(&[
        "duties",
        d,
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "--past-reports",
        past.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let duties = v["duties"].as_array().unwrap();
    let art33 = duties.iter().find(|x| x["id"] == "art33-annual").unwrap();
    assert_eq!(art33["due"], "2027-11-20");
    assert_eq!(art33["derived_from"][1]["source"], "past_report");
    let kept = duties
        .iter()
        .find(|x| x["id"] == "retention-report:pipia:2026-01-05")
        .unwrap();
    assert_eq!(kept["due"], "2029-01-05");

    // A malformed register is an error naming the file and the expected shape.
    fs::write(&past, "{}").unwrap();
    let o = xiezhi(&["duties", d, "--past-reports", past.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("generated_on"));
}

#[test]
fn ics_output_is_folded_crlf() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    let o = xiezhi(&["duties", d, "--as-of", "2026-11-28", "--format", "ics"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = out(&o);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for l in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
        assert!(!l.contains('\n'));
    }
    // 9 dated, applicable duties → 9 events.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 9);
    assert!(text.contains("DTSTART;VALUE=DATE:20261215\r\n"));
    assert!(text.contains("TRIGGER:-P60D\r\n"));
    // Same input, same output (stable UIDs and DTSTAMP from --as-of).
    let again = out(&xiezhi(&[
        "duties",
        d,
        "--as-of",
        "2026-11-28",
        "--format",
        "ics",
    ]));
    assert_eq!(text, again);
}

#[test]
fn exit_status_follows_fail_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    // 2027-04-02: the art. 33 report and the minors' audit are overdue.
    let o = xiezhi(&["duties", d, "--as-of", "2027-04-02", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(out(&o).contains("2 overdue"));
    let o = xiezhi(&["duties", d, "--as-of", "2027-04-02", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
    // 2026-11-28: one duty due soon, none overdue.
    let o = xiezhi(&["duties", d, "--as-of", "2026-11-28"]);
    assert_eq!(o.status.code(), Some(0));
    let o = xiezhi(&[
        "duties",
        d,
        "--as-of",
        "2026-11-28",
        "--fail-on",
        "due-soon",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // Errors: 2.
    let o = xiezhi(&["duties", d, "--as-of", "2026-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    let o = xiezhi(&["duties", tmp.path().join("nope").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
