//! `xiezhi report` end to end on the `xiezhi init` example project: every report in both
//! languages with the example answers file and no missing item; the generations recorded in
//! the audit chain with their inputs' digests (and the chain still verifies); evidence read
//! from the service database (a filed rights request shows in the art. 44 report); --strict
//! without answers; the art. 33 report as a PDF whose text (pdftotext) is Chinese, with PNG
//! pages (pdftoppm) kept as artifacts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const ANSWERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/project-answers.yaml"
);

const KINDS: [&str; 7] = [
    "important-data-annual",
    "platform-pi-annual",
    "pipia",
    "art31",
    "compliance-audit",
    "inspection-pack",
    "xborder",
];

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("XIEZHI_DATABASE")
        .output()
        .expect("run the xiezhi binary")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "xiezhi failed ({:?}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    ok(&xiezhi(&["init", p.to_str().unwrap()]));
    (dir, p)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn every_report_in_both_languages_recorded_in_the_audit_chain() {
    let (_tmp, proj) = project();
    // Evidence: the processing rules published, one rights request filed and refused.
    ok(&xiezhi(&["rules", "publish", s(&proj)]));
    let out = ok(&xiezhi(&[
        "rights",
        "file",
        s(&proj),
        "--subject",
        "u-1",
        "--kind",
        "access",
        "--json",
    ]));
    let req: Value = serde_json::from_str(&out).unwrap();
    let id = req["id"].as_str().unwrap().to_owned();
    ok(&xiezhi(&[
        "rights",
        "refuse",
        &id,
        s(&proj),
        "--reasons",
        "无法核验申请人身份，且未按要求补充材料",
    ]));

    for (lang, title) in [
        ("zh-CN", "重要数据处理活动年度风险评估报告"),
        (
            "en",
            "Annual risk assessment report on important-data processing",
        ),
    ] {
        for (fmt, ext) in [("html", "html"), ("markdown", "md"), ("json", "json")] {
            let out = proj.join(format!("out-{lang}-{fmt}"));
            let o = xiezhi(&[
                "report",
                "all",
                s(&proj),
                "--answers",
                ANSWERS,
                "--year",
                "2025",
                "--format",
                fmt,
                "--lang",
                lang,
                "--output",
                s(&out),
                "--strict",
            ]);
            ok(&o);
            for k in KINDS {
                let f = out.join(format!("{k}.{ext}"));
                let body =
                    std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                assert!(body.len() > 500, "{} is too short", f.display());
                if fmt == "json" {
                    let v: Value = serde_json::from_str(&body).unwrap();
                    assert_eq!(v["missing"], serde_json::json!([]), "{k} {lang}");
                    assert!(!v["sources"].as_array().unwrap().is_empty(), "{k}");
                }
            }
            let art33 =
                std::fs::read_to_string(out.join(format!("important-data-annual.{ext}"))).unwrap();
            if fmt != "json" {
                assert!(art33.contains(title), "{lang} {fmt}");
            }
            if fmt == "html" {
                assert!(art33.contains("<svg"), "charts are inline SVG");
            }
        }
    }

    // The art. 44 report counts the refused request read from the service database.
    let o = ok(&xiezhi(&[
        "report",
        "platform-pi-annual",
        s(&proj),
        "--answers",
        ANSWERS,
        "--year",
        &current_year().to_string(),
        "--format",
        "json",
        "--no-record",
    ]));
    let v: Value = serde_json::from_str(&o).unwrap();
    let text = v.to_string();
    assert!(
        text.contains("已拒绝"),
        "the refused request is counted: {text}"
    );
    assert!(!v["evidence_source"].as_str().unwrap().is_empty());

    // 2 languages × 3 formats × 7 kinds recorded; the chain verifies.
    let audit = proj.join("audit.ndjson");
    ok(&xiezhi(&[
        "audit",
        "export",
        s(&proj),
        "--output",
        s(&audit),
    ]));
    let events = std::fs::read_to_string(&audit).unwrap();
    let generated: Vec<Value> = events
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.to_string().contains("report.generated"))
        .collect();
    assert_eq!(generated.len(), 42, "one event per generated document");
    ok(&xiezhi(&["audit", "verify", s(&proj)]));
}

#[test]
fn without_answers_strict_fails_and_lists_what_is_missing() {
    let (_tmp, proj) = project();
    let o = xiezhi(&[
        "report",
        "important-data-annual",
        s(&proj),
        "--year",
        "2025",
        "--format",
        "markdown",
        "--strict",
        "--no-record",
        "--no-evidence",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("仍缺"), "{err}");
    // The template names every open question.
    let t = ok(&xiezhi(&[
        "report",
        "important-data-annual",
        s(&proj),
        "--template",
    ]));
    assert!(t.contains("important-data-annual"), "{t}");
    // An unknown kind is a clear error.
    let o = xiezhi(&["report", "annual", s(&proj)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("important-data-annual"));
}

fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Days since the epoch to the year (civil calendar), good for 1970..2100.
    let days = secs / 86_400 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let y = yoe + era * 400;
    (if mp >= 10 { y + 1 } else { y }) as i32
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

#[test]
fn art33_pdf_shows_chinese_text() {
    let required = std::env::var("XIEZHI_REQUIRE_CHROMIUM").as_deref() == Ok("1");
    let have_chromium = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|c| Command::new(c).arg("--version").output().is_ok())
        || std::env::var_os("XIEZHI_CHROMIUM").is_some();
    if !(have_chromium && tool("pdftotext") && tool("pdftoppm")) {
        assert!(
            !required,
            "XIEZHI_REQUIRE_CHROMIUM=1 but chromium or poppler-utils is missing"
        );
        eprintln!("SKIPPED: chromium or poppler-utils (pdftotext, pdftoppm) not installed");
        return;
    }
    let (_tmp, proj) = project();
    let pdf = proj.join("art33.pdf");
    ok(&xiezhi(&[
        "report",
        "important-data-annual",
        s(&proj),
        "--answers",
        ANSWERS,
        "--year",
        "2025",
        "--format",
        "pdf",
        "--output",
        s(&pdf),
    ]));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .args([s(&pdf), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for want in ["重要数据处理活动年度风险评估报告", "第三十三条"] {
        assert!(
            text.contains(want),
            "pdftotext does not show {want}: the Chinese text did not survive printing\n{text}"
        );
    }
    // PNG pages kept as artifacts for a person to look at.
    let artifacts = std::env::var_os("XIEZHI_ARTIFACTS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("artifacts"))
        })
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/artifacts"
            ))
        })
        .join("report-art33");
    std::fs::create_dir_all(&artifacts).unwrap();
    let o = Command::new("pdftoppm")
        .args(["-png", "-r", "60", s(&pdf), s(&artifacts.join("page"))])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = std::fs::read_dir(&artifacts)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    assert!(pages >= 1, "no PNG page in {}", artifacts.display());
}
