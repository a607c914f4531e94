//! `xiezhi rules render`: output equals the golden files of `xiezhi-report`, missing facts exit 2
//! with every fact listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("crates/xiezhi-report/tests/golden").join(name)).unwrap()
}

#[test]
fn renders_the_example_like_the_golden_files() {
    let out = bin()
        .args(["rules", "render"])
        .arg(root().join("examples/project"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        golden("rules.zh-CN.html")
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("rules.md");
    let out = bin()
        .args([
            "rules", "render", "--lang", "en", "--format", "markdown", "-o",
        ])
        .arg(&file)
        .arg(root().join("examples/project"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        golden("rules.en.md")
    );

    let out = bin()
        .args(["rules", "render", "-f", "json"])
        .arg(root().join("examples/project"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        golden("rules.zh-CN.json")
    );
}

#[test]
fn missing_facts_exit_2_and_are_all_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let out = bin().arg("init").arg(&dir).output().unwrap();
    assert!(out.status.success());
    let profile = dir.join("xiezhi.yaml");
    let text = std::fs::read_to_string(&profile).unwrap();
    let text = text
        .replace("    cancel_account: App「设置-注销账号」\n", "")
        .replace("    restrict: privacy@legou.example\n", "");
    std::fs::write(&profile, text).unwrap();
    let file = tmp.path().join("out.html");
    let out = bin()
        .args(["rules", "render", "--lang", "en", "-o"])
        .arg(&file)
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!file.exists(), "nothing written on error");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("lacks 2 fact(s)"), "{err}");
    assert!(err.contains("notice.rights_channels.restrict"), "{err}");
    assert!(
        err.contains("notice.rights_channels.cancel_account"),
        "{err}"
    );
    assert!(err.contains("xiezhi.yaml:"), "{err}");
}

#[test]
fn children_rules_need_children_data() {
    let out = bin()
        .args(["rules", "render", "--children"])
        .arg(root().join("examples/project"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("roles.processes_under14_pi"), "{err}");
}
