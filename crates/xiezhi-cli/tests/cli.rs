//! The `xiezhi` binary: exit codes, output formats, and that raw values never appear without
//! `--show-values`. Values are synthetic (valid check digits, allocated segments).

// Test code: helpers outside `#[test]` may fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const ID: &str = "11010519491231002X";
const MOBILE: &str = "13812345678";
const EMAIL: &str = "zhang.san@qq.com";

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// A directory with a log holding an ID number, a mobile number and an e-mail address, a CSV
/// table, an empty file and a PNG.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("app.log"),
        format!("2026-01-01 INFO 客户身份证号{ID}，手机{MOBILE}\nmail={EMAIL}\n"),
    )
    .unwrap();
    fs::write(
        d.join("users.csv"),
        format!("name,sfzh,mobile\n张伟,{ID},{MOBILE}\n李娜,440308199901010012,13912345678\n"),
    )
    .unwrap();
    fs::write(d.join("empty.txt"), "").unwrap();
    fs::write(d.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    dir
}

fn only_mobile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), format!("联系电话 {MOBILE}\n")).unwrap();
    dir
}

fn only_id() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), format!("身份证号 {ID}\n")).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn assert_no_raw_values(text: &str, what: &str) {
    for raw in [ID, MOBILE, EMAIL, "440308199901010012"] {
        assert!(!text.contains(raw), "{what} contains a raw value:\n{text}");
    }
}

#[test]
fn clean_directory_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "nothing personal here\n").unwrap();
    let o = xiezhi(&["scan", s(dir.path())]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("未发现个人信息"), "{}", stdout(&o));
    let o = xiezhi(&["scan", "--lang", "en", s(dir.path())]);
    assert!(stdout(&o).contains("No personal information found"));
}

#[test]
fn findings_exit_1_and_table_shows_masked_examples() {
    let dir = corpus();
    let o = xiezhi(&["scan", s(dir.path())]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("居民身份证号码"), "{out}");
    assert!(out.contains("cn_resident_id"));
    assert!(out.contains("1101"), "masked example keeps a prefix: {out}");
    assert!(out.contains("empty"), "warnings are listed: {out}");
    assert!(out.contains("binary"), "warnings are listed: {out}");
    assert_no_raw_values(&out, "table");
    assert_no_raw_values(&stderr(&o), "stderr");
}

#[test]
fn fail_on_levels() {
    let mobile = only_mobile();
    let id = only_id();
    let run = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["scan", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(s(dir));
        code(&xiezhi(&args))
    };
    assert_eq!(run(mobile.path(), &[]), 1);
    assert_eq!(run(mobile.path(), &["--fail-on", "any"]), 1);
    assert_eq!(run(mobile.path(), &["--fail-on", "never"]), 0);
    assert_eq!(run(mobile.path(), &["--fail-on", "sensitive"]), 0);
    assert_eq!(run(id.path(), &["--fail-on", "sensitive"]), 1);
    assert_eq!(
        run(
            id.path(),
            &["--fail-on", "sensitive", "--pack", "gbt45574-2025"]
        ),
        0,
        "an ID number alone is not sensitive under GB/T 45574-2025"
    );
    assert_eq!(run(id.path(), &["--fail-on", "0.5"]), 1);
    assert_eq!(run(mobile.path(), &["--types", "email"]), 0);
    assert_eq!(run(mobile.path(), &["--exclude-types", "cn_mobile"]), 0);
    assert_eq!(run(mobile.path(), &["--types", "cn_mobile,email"]), 1);
}

#[test]
fn errors_exit_2() {
    let dir = only_mobile();
    for args in [
        vec!["scan", "--no-such-flag"],
        vec!["scan", "/definitely/not/here"],
        vec!["scan", "--types", "no_such_type", "."],
        vec!["scan", "--min-confidence", "2", "."],
        vec!["scan", "--fail-on", "often", "."],
        vec!["scan", "--format", "xml", "."],
        vec!["scan", "--max-file-size", "lots", "."],
        vec!["scan", "--exclude", "[", s(dir.path())],
        vec!["nonsense"],
        vec![],
    ] {
        let o = xiezhi(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?} explains itself");
    }
    let o = xiezhi(&["scan", "/definitely/not/here"]);
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    let o = xiezhi(&["scan", "--types", "no_such_type", "."]);
    assert!(stderr(&o).contains("xiezhi types"), "{}", stderr(&o));
    let o = xiezhi(&["scan", "-o", "/definitely/not/here/out.json", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("output file"), "{}", stderr(&o));
}

#[test]
fn help_and_version_exit_0() {
    let o = xiezhi(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("Exit status"));
    let o = xiezhi(&["scan", "--help"]);
    assert_eq!(code(&o), 0);
    for flag in [
        "--format",
        "--output",
        "--pack",
        "--show-values",
        "--fail-on",
        "--min-confidence",
        "--types",
        "--exclude-types",
        "--include",
        "--exclude",
        "--threads",
        "--lang",
        "--no-progress",
        "--max-file-size",
    ] {
        assert!(stdout(&o).contains(flag), "scan --help lacks {flag}");
    }
    let o = xiezhi(&["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn json_output_parses_and_holds_no_raw_values() {
    let dir = corpus();
    let o = xiezhi(&["scan", "--format", "json", s(dir.path())]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert_no_raw_values(&out, "json");
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let findings = v["findings"].as_array().unwrap();
    let id = findings
        .iter()
        .find(|f| f["type"] == "cn_resident_id" && f["path"].as_str().unwrap().ends_with("app.log"))
        .expect("the ID in the log");
    assert_eq!(id["kind"], "match");
    assert_eq!(id["line"], 1);
    let log = format!("2026-01-01 INFO 客户身份证号{ID}");
    assert_eq!(id["start"], (log.len() - ID.len()) as u64);
    assert_eq!(id["end"], log.len() as u64);
    assert!(id.get("value").is_none());
    assert!(id["masked"].as_str().unwrap().contains('*'));
    assert_eq!(v["summary"]["files_scanned"], 2);
    assert_eq!(v["summary"]["files_binary"], 1);
    assert_eq!(v["summary"]["files_empty"], 1);
    assert!(v["warnings"].as_array().unwrap().len() >= 2);
}

#[test]
fn every_format_is_free_of_raw_values_without_show_values() {
    let dir = corpus();
    for format in ["table", "json", "ndjson", "csv", "sarif"] {
        let o = xiezhi(&["scan", "--format", format, s(dir.path())]);
        assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
        assert_no_raw_values(&stdout(&o), format);
        assert_no_raw_values(&stderr(&o), format);
        match format {
            "ndjson" => {
                let lines: Vec<Value> = stdout(&o)
                    .lines()
                    .map(|l| serde_json::from_str(l).expect("NDJSON line"))
                    .collect();
                assert!(lines.iter().any(|l| l["kind"] == "match"));
                assert_eq!(lines.last().unwrap()["kind"], "summary");
            }
            "sarif" => {
                let v: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is JSON");
                assert_eq!(v["version"], "2.1.0");
            }
            "csv" => {
                assert!(stdout(&o).lines().count() > 1);
                assert!(stderr(&o).contains("binary"), "CSV warnings go to stderr");
            }
            _ => {}
        }
    }
}

#[test]
fn show_values_prints_raw_values_and_warns() {
    let dir = only_id();
    let o = xiezhi(&["scan", "--show-values", "--format", "json", s(dir.path())]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains(ID));
    assert!(stderr(&o).contains("--show-values"), "{}", stderr(&o));
    let o = xiezhi(&["scan", "--show-values", s(dir.path())]);
    assert!(stdout(&o).contains(ID), "table shows raw examples");
}

#[test]
fn output_file_is_written_and_not_scanned() {
    let dir = only_id();
    let out = dir.path().join("report.ndjson");
    for _ in 0..2 {
        let o = xiezhi(&[
            "scan",
            "--format",
            "ndjson",
            "--show-values",
            "-o",
            s(&out),
            s(dir.path()),
        ]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    let text = fs::read_to_string(&out).unwrap();
    let matches = text
        .lines()
        .filter(|l| l.contains("\"kind\":\"match\""))
        .count();
    assert_eq!(matches, 1, "the report itself was not scanned:\n{text}");
}

#[test]
fn walk_flags_reach_the_scan() {
    let dir = corpus();
    let o = xiezhi(&[
        "scan",
        "--format",
        "json",
        "--exclude",
        "*.csv",
        "--include",
        "*.log",
        s(dir.path()),
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for f in v["findings"].as_array().unwrap() {
        assert!(f["path"].as_str().unwrap().ends_with("app.log"), "{f}");
    }
    let o = xiezhi(&[
        "scan",
        "--format",
        "json",
        "--max-file-size",
        "10",
        "--fail-on",
        "never",
        s(dir.path()),
    ]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert!(stdout(&o).contains("too_large"));
}

#[test]
fn types_lists_every_type() {
    let o = xiezhi(&["types", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), xiezhi_model::PiType::ALL.len());
    let id = rows.iter().find(|r| r["id"] == "cn_resident_id").unwrap();
    assert_eq!(id["sensitive"][0]["sensitive"], true);
    assert_eq!(id["sensitive"][1]["sensitive"], false);
    let o = xiezhi(&["types"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("手机号码"));
    let o = xiezhi(&["types", "--lang", "en"]);
    assert!(stdout(&o).contains("sensitive gbt45574-2025"));
}

#[test]
fn eval_on_a_tiny_hand_made_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!("身份证号{ID}\n");
    fs::write(d.join("a.txt"), &text).unwrap();
    let start = text.find(ID).unwrap();
    fs::write(
        d.join("labels.ndjson"),
        format!(
            "{{\"path\": \"a.txt\", \"start\": {start}, \"end\": {}, \"type\": \"cn_resident_id\"}}\n",
            start + ID.len()
        ),
    )
    .unwrap();
    let o = xiezhi(&["eval", "--corpus", s(d), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let row = v["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "cn_resident_id")
        .unwrap();
    assert_eq!(row["true_positives"], 1);
    assert_eq!(
        v["unscored"]["outside_corpus"], 0,
        "label files are not scanned"
    );
    // A label the engine cannot find fails the floor: exit 1.
    fs::write(d.join("b.txt"), "nothing here\n").unwrap();
    fs::write(
        d.join("labels.ndjson"),
        format!(
            "{{\"path\": \"a.txt\", \"start\": {start}, \"end\": {}, \"type\": \"cn_resident_id\"}}\n{{\"path\": \"b.txt\", \"start\": 0, \"end\": 7, \"type\": \"cn_resident_id\"}}\n",
            start + ID.len()
        ),
    )
    .unwrap();
    let o = xiezhi(&["eval", "--corpus", s(d)]);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let o = xiezhi(&["eval", "--corpus", "/definitely/not/here"]);
    assert_eq!(code(&o), 2);
}
