//! `xiezhi check` output formats and exit codes, `xiezhi xborder`.
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
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn project(tmp: &Path) -> PathBuf {
    let dir = tmp.join("proj");
    let o = xiezhi(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let s = fs::read_to_string(&p).unwrap();
    assert!(s.contains(from), "{from} not in {file}");
    fs::write(&p, s.replace(from, to)).unwrap();
}

#[test]
fn check_formats_and_fail_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    let asof = ["--as-of", "2025-06-30"];

    let o = xiezhi(&[&["check", d, "--format", "sarif"][..], &asof].concat());
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = xiezhi(&["check", "--list-rules", "--format", "json"]);
    assert_eq!(rules.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        rules.as_array().unwrap().len()
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("datamap/") || uri == "xiezhi.yaml", "{uri}");
        let line = loc["region"]["startLine"].as_u64().unwrap();
        let col = loc["region"]["startColumn"].as_u64().unwrap();
        // The line points into the YAML file at the entity's id (data map) or at the key the
        // finding is about (profile), and the column at its first character.
        let text = fs::read_to_string(dir.join(uri)).unwrap();
        let l = text.lines().nth(line as usize - 1).unwrap();
        let at = &l[col as usize - 1..];
        if uri == "xiezhi.yaml" {
            assert!(
                at.split(':')
                    .next()
                    .unwrap()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{uri}:{line}: {l}"
            );
        } else {
            assert!(l.contains("id:"), "{uri}:{line}: {l}");
        }
    }
    assert!(
        run["originalUriBaseIds"]["PROJECTROOT"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );

    let o = xiezhi(
        &[
            &["check", d, "--format", "markdown", "--lang", "en"][..],
            &asof,
        ]
        .concat(),
    );
    let md = out(&o);
    assert!(
        md.contains("# Xiezhi compliance check") && md.contains("\n## Reg. 12\n"),
        "{md}"
    );
    assert!(md.contains("Exposure **reg-55**"), "{md}");

    let o = xiezhi(&[&["check", d, "--fail-on", "never"][..], &asof].concat());
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(out(&o).contains("项发现"));
    // The example's findings are high: --fail-on high still fails.
    let o = xiezhi(
        &[
            &["check", d, "--fail-on", "high", "--lang", "en"][..],
            &asof,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(out(&o).contains("[high]"), "{}", out(&o));

    let file = tmp.path().join("out.sarif");
    let o = xiezhi(
        &[
            &["check", d, "-f", "sarif", "-o", file.to_str().unwrap()][..],
            &asof,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(fs::read_to_string(&file).unwrap().contains("\"2.1.0\""));

    let o = xiezhi(&["check", "--list-rules", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let o = xiezhi(&["check", d, "--fail-on", "low"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

#[test]
fn list_rules_markdown_is_docs_rules_md() {
    let o = xiezhi(&["check", "--list-rules", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md"))
        .unwrap();
    assert_eq!(out(&o), doc, "regenerate docs/rules.md");
    let o = xiezhi(&["check", "--list-rules", "--lang", "en"]);
    assert!(out(&o).contains("NDSR-28-security-officer") && out(&o).contains("reg-57"));
}

#[test]
fn xborder_example_then_missing_mechanism() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    let o = xiezhi(&["xborder", d, "--as-of", "2025-06-30", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let s = out(&o);
    assert!(
        s.contains("[S1 ") && s.contains("datamap/transfers.yaml:"),
        "{s}"
    );
    assert!(s.contains("general PI 250,000 individuals"), "{s}");
    assert!(
        s.contains("standard contract filing due by 2025-07-04"),
        "{s}"
    );

    let o = xiezhi(&["xborder", d, "--transfer", "nope"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("xb-sg-analytics"));

    edit(
        &dir,
        "datamap/transfers.yaml",
        "mechanism: standard_contract",
        "mechanism: none",
    );
    let o = xiezhi(&[
        "xborder",
        d,
        "--transfer",
        "xb-sg-analytics",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["year"], 2026);
    assert_eq!(v["needs_action"][0], "xb-sg-analytics");
    let dec = &v["ledgers"][0]["transfers"][0];
    assert_eq!(dec["compliance"], "missing");
    assert_eq!(dec["general_pi_individuals"], 180_000);
    assert_eq!(v["locations"][0]["file"], "datamap/transfers.yaml");

    let o = xiezhi(&[
        "xborder",
        d,
        "--year",
        "2025",
        "--as-of",
        "2026-06-30",
        "-f",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let md = out(&o);
    assert!(
        md.contains("### xb-sg-analytics") && md.contains("250,000"),
        "{md}"
    );
}

#[test]
fn xborder_filing_clock_counts_the_spring_festival() {
    // Standard contract in effect Friday 13 Feb 2026, not filed: 10 PRC working days (14 Feb
    // and 28 Feb are worked, 15–23 Feb are off) end on Thursday 5 Mar.
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(tmp.path());
    let d = dir.to_str().unwrap();
    edit(
        &dir,
        "datamap/transfers.yaml",
        "    filed: 2025-06-20\n    valid_from: 2025-06-20",
        "    valid_from: 2026-02-13",
    );
    let o = xiezhi(&["xborder", d, "--as-of", "2026-03-05", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(out(&o).contains("filing due by 2026-03-05"), "{}", out(&o));
    assert!(out(&o).contains("filing not yet due"), "{}", out(&o));
    let o = xiezhi(&["xborder", d, "--as-of", "2026-03-06", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        out(&o).contains("not filed within the deadline"),
        "{}",
        out(&o)
    );
}
