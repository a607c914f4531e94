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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn diff_classifies_fresh_consent_and_notice() {
    let example = root().join("examples/project");
    let tmp = tempfile::tempdir().unwrap();
    let changed = tmp.path().join("p");
    copy_dir(&example, &changed);
    // Same rules: exit 0.
    let o = bin()
        .args(["rules", "diff"])
        .arg(&example)
        .arg(&changed)
        .args(["--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("the same"));
    // A wording change only: exit 0, a notice.
    let acts = changed.join("datamap/activities.yaml");
    let text = std::fs::read_to_string(&acts).unwrap();
    std::fs::write(
        &acts,
        text.replace("name: 个性化推荐与推送", "name: 个性化推荐服务"),
    )
    .unwrap();
    let o = bin()
        .args(["rules", "diff"])
        .arg(&example)
        .arg(&changed)
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["class"], "notice");
    // A new PI type for a consent-based activity: exit 1, fresh consent for `recommend`.
    std::fs::write(
        &acts,
        text.replace(
            "pi_types: [device_id, gps_coordinate]",
            "pi_types: [device_id, gps_coordinate, email]",
        ),
    )
    .unwrap();
    let o = bin()
        .args(["rules", "diff"])
        .arg(&example)
        .arg(&changed)
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["class"], "fresh_consent");
    assert_eq!(
        d["fresh_consent_activities"],
        serde_json::json!(["recommend"])
    );
    // A rendered JSON file works as a version too.
    let json = tmp.path().join("v1.json");
    let o = bin()
        .args(["rules", "render", "-f", "json", "-o"])
        .arg(&json)
        .arg(&example)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin()
        .args(["rules", "diff"])
        .arg(&json)
        .arg(&changed)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("需重新取得同意"));
}

#[test]
fn publish_stores_immutable_versions_and_reports_the_change() {
    let example = root().join("examples/project");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let publish = |dir: &Path| {
        let o = bin()
            .args(["rules", "publish"])
            .arg(dir)
            .arg("--data-dir")
            .arg(&data)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(publish(&example).starts_with("published version 1 (sha256:"));
    assert!(publish(&example).starts_with("unchanged: these rules are version 1"));
    let changed = tmp.path().join("p");
    copy_dir(&example, &changed);
    let acts = changed.join("datamap/activities.yaml");
    let text = std::fs::read_to_string(&acts).unwrap();
    std::fs::write(
        &acts,
        text.replace(
            "pi_types: [device_id, gps_coordinate]",
            "pi_types: [device_id, gps_coordinate, email]",
        ),
    )
    .unwrap();
    let out = publish(&changed);
    assert!(out.starts_with("published version 2"), "{out}");
    assert!(out.contains("activities[recommend].pi_types"), "{out}");
    assert!(
        out.contains("fresh consent needed (art. 22(6)) for: recommend"),
        "{out}"
    );
}
