//! PDF printing with headless Chromium: the processing rules of `examples/project` (zh-CN) are
//! printed, `pdftotext` must give back the Chinese text (no tofu), `pdffonts` must show every
//! font embedded and the font descriptors must name Noto Sans/Serif CJK, and `pdftoppm -png -r 60` renders the pages kept as artifacts under
//! `$XIEZHI_ARTIFACTS_DIR` or `target/artifacts/pdf/`.
//!
//! Needs Debian `chromium`, `fonts-noto-cjk` and `poppler-utils`. Without them the tests print
//! SKIPPED and pass, unless `XIEZHI_REQUIRE_CHROMIUM=1` (set in `.ci/run`): then they fail.
//! The error-path tests (timeout, invalid output) use small shell scripts in place of the
//! browser and always run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use xiezhi_model::Lang;
use xiezhi_report::pdf::{PdfError, PdfOptions, find_chromium, html_to_pdf};
use xiezhi_report::rules::{Format, Scope, render};

fn example() -> xiezhi_map::Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/project");
    xiezhi_map::load_project(&dir).unwrap_or_else(|e| panic!("example loads: {:?}", e.0))
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// `Some(reason)` when the tools are missing; panics instead under XIEZHI_REQUIRE_CHROMIUM=1.
fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    if let Err(e) = find_chromium(None) {
        missing.push(e.to_string());
    }
    for t in ["pdftotext", "pdftoppm", "pdffonts"] {
        if !have(t) {
            missing.push(format!("{t} (apt-get install poppler-utils)"));
        }
    }
    if missing.is_empty() {
        return None;
    }
    let why = missing.join("; ");
    if std::env::var("XIEZHI_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
        panic!("XIEZHI_REQUIRE_CHROMIUM=1 but: {why}");
    }
    Some(why)
}

fn artifacts_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XIEZHI_ARTIFACTS_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("artifacts/pdf")
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{cmd:?}: {o:?}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn processing_rules_print_with_chinese_text_and_an_embedded_cjk_font() {
    if let Some(why) = missing_tools() {
        println!("SKIPPED: PDF printing test needs Chromium and poppler-utils: {why}");
        return;
    }
    let html = render(&example(), Lang::ZhCn, Format::Html, Scope::General).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("out/rules.zh-CN.pdf");
    html_to_pdf(&html, &pdf, &PdfOptions::default()).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    // The text layer gives the Chinese back (tofu would have no glyphs and no mapping).
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"));
    for needle in [
        "个人信息处理规则",
        "示例乐购网络科技有限公司",
        "已收集个人信息清单",
        "注销账号",
        "privacy@legou.example",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the PDF text");
    }
    assert!(
        !text.contains('\u{FFFD}'),
        "replacement characters in the PDF text"
    );
    let han = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    assert!(han > 500, "only {han} Chinese characters in the PDF text");

    // Every font is embedded (`pdffonts`: the `emb` column is `yes`), and the Chinese is set in
    // Noto Sans/Serif CJK. Chromium (Skia) embeds the CFF-based Noto CJK fonts as Type 3 fonts,
    // which `pdffonts` lists without a name (`[none]`); their font descriptors carry the
    // subset's font name (`AAAAAA+NotoSansCJKsc-Regular`).
    let fonts = run(Command::new("pdffonts").arg(&pdf));
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts in the PDF:\n{fonts}");
    for row in &rows {
        // name type… encoding emb sub uni object ID: `emb` is the 5th field from the end.
        assert_eq!(
            row.split_whitespace().rev().nth(4),
            Some("yes"),
            "a font is not embedded:\n{fonts}"
        );
    }
    let names = font_names(&bytes);
    assert!(
        names
            .iter()
            .any(|n| n.contains("NotoSansCJK") || n.contains("NotoSerifCJK")),
        "no Noto CJK font among the PDF's fonts {names:?}:\n{fonts}"
    );

    // PNG pages as artifacts.
    let dir = artifacts_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for old in std::fs::read_dir(&dir).unwrap().flatten() {
        if old.file_name().to_string_lossy().starts_with("rules.zh-CN") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    std::fs::copy(&pdf, dir.join("rules.zh-CN.pdf")).unwrap();
    run(Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&pdf)
        .arg(dir.join("rules.zh-CN")));
    let pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "png")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("rules.zh-CN"))
        })
        .collect();
    assert!(!pages.is_empty());
    for p in &pages {
        let png = std::fs::read(p).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
    println!(
        "PDF artifacts: {} page(s) in {}",
        pages.len(),
        dir.display()
    );
}

/// The `/FontName` values of the PDF's font descriptors (Chromium writes them uncompressed).
fn font_names(pdf: &[u8]) -> Vec<String> {
    let key = b"/FontName";
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = pdf[i..].windows(key.len()).position(|w| w == key) {
        let start = i + at + key.len();
        let rest = &pdf[start..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if let Some(name) = rest.strip_prefix(b"/") {
            let end = name
                .iter()
                .position(|b| b.is_ascii_whitespace() || b"/<>[]()".contains(b))
                .unwrap_or(name.len());
            out.push(String::from_utf8_lossy(&name[..end]).into_owned());
        }
        i = start;
    }
    out
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn a_browser_that_hangs_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let hang = script(tmp.path(), "hang", "sleep 30");
    let started = std::time::Instant::now();
    let e = html_to_pdf(
        "<p>x</p>",
        &tmp.path().join("x.pdf"),
        &PdfOptions {
            chromium: Some(hang),
            timeout: Duration::from_millis(500),
            require_cjk_font: false,
        },
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::Timeout { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(!tmp.path().join("x.pdf").exists());
}

#[test]
fn output_that_is_not_a_pdf_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // Writes HTML where the PDF should be (the --print-to-pdf= argument).
    let fake = script(
        tmp.path(),
        "fake",
        "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) echo '<html>' > \"${a#--print-to-pdf=}\";; esac; done",
    );
    let out = tmp.path().join("x.pdf");
    let e = html_to_pdf(
        "<p>x</p>",
        &out,
        &PdfOptions {
            chromium: Some(fake),
            ..PdfOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::NotPdf { .. }), "{e}");
    assert!(e.to_string().contains("%PDF-"), "{e}");
    assert!(!out.exists());
    // A failing browser reports its exit status and output.
    let fail = script(tmp.path(), "fail", "echo 'no display' >&2; exit 3");
    let e = html_to_pdf(
        "<p>x</p>",
        &out,
        &PdfOptions {
            chromium: Some(fail),
            ..PdfOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, PdfError::Failed { .. }), "{e}");
    assert!(e.to_string().contains("no display"), "{e}");
}
