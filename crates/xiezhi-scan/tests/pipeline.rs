//! End-to-end tests of the scan pipeline: walk rules, warnings, encodings and offsets, chunk
//! edges, huge lines and structured files. Values are synthetic (valid check digits, allocated
//! segments), not real people's data.

// Test code: helpers outside `#[test]` may fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use xiezhi_model::{Finding, MatchFinding, PiType};
use xiezhi_scan::summary::Summary;
use xiezhi_scan::{CollectingSink, ScanOptions, WalkOptions, scan};

#[path = "support/zip.rs"]
mod zip;
use zip::stored_zip;

const ID: &str = "11010519491231002X";
const MOBILE: &str = "13812345678";

fn options(paths: &[&Path]) -> ScanOptions {
    ScanOptions {
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        threads: 2,
        show_values: true,
        ..ScanOptions::default()
    }
}

fn run(options: &ScanOptions) -> (Summary, CollectingSink) {
    let mut sink = CollectingSink::default();
    let summary = scan(options, &mut sink, &mut |_| {}).expect("scan runs");
    (summary, sink)
}

fn matches(sink: &CollectingSink) -> Vec<&MatchFinding> {
    sink.findings
        .iter()
        .filter_map(|f| match f {
            Finding::Match(m) => Some(m),
            Finding::Column(_) => None,
        })
        .collect()
}

fn of_type(sink: &CollectingSink, t: PiType) -> Vec<&MatchFinding> {
    let mut v: Vec<_> = matches(sink)
        .into_iter()
        .filter(|m| m.pi_type == t)
        .collect();
    v.sort_by_key(|m| (m.path.clone(), m.start));
    v
}

fn file_names(sink: &CollectingSink) -> Vec<String> {
    let mut names: Vec<String> = matches(sink)
        .iter()
        .map(|m| {
            Path::new(&m.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, content).unwrap();
    path
}

fn pi_line() -> String {
    format!("客户身份证号{ID}，手机{MOBILE}\n")
}

#[test]
fn finds_pi_in_plain_text_with_exact_positions() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("first line\n备注：{}", pi_line());
    let path = write(dir.path(), "a.log", &text);
    let (summary, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1, "{:?}", sink.findings);
    let id = ids[0];
    let start = text.find(ID).unwrap() as u64;
    assert_eq!(
        (id.start, id.end),
        (Some(start), Some(start + ID.len() as u64))
    );
    assert_eq!(id.line, 2);
    // "备注：客户身份证号" is 9 characters.
    assert_eq!(id.column, 10);
    assert_eq!(id.value.as_deref(), Some(ID));
    assert!(
        id.sensitive,
        "identity numbers are sensitive under GB/T 35273-2020"
    );
    assert_eq!(id.rule, "cn_resident_id");
    assert_eq!(id.encoding, None);
    assert_eq!(of_type(&sink, PiType::CnMobile).len(), 1);
    assert_eq!(summary.files_scanned, 1);
    assert_eq!(summary.files_with_findings, 1);
    assert_eq!(summary.bytes_scanned, text.len() as u64);
    assert_eq!(summary.by_type[&PiType::CnResidentId].values, 1);
    assert_eq!(summary.by_type[&PiType::CnResidentId].files, 1);
    assert!(summary.match_findings >= 2);
}

#[test]
fn values_are_absent_without_show_values() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", pi_line());
    let mut opts = options(&[dir.path()]);
    opts.show_values = false;
    let (_, sink) = run(&opts);
    assert!(!matches(&sink).is_empty());
    for m in matches(&sink) {
        assert_eq!(m.value, None);
        assert!(!m.masked.contains(ID));
    }
}

#[test]
fn walk_honours_ignore_files_globs_and_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = pi_line();
    write(d, "keep.log", &line);
    write(d, ".env", &line); // hidden files are scanned
    write(d, "sub/deep/keep.txt", &line);
    write(d, "ignored_by_git.log", &line);
    write(d, ".gitignore", "ignored_by_git.log\n");
    write(d, "sub/ignored_dir/x.txt", &line);
    write(d, "sub/.ignore", "ignored_dir/\n");
    write(d, "private.txt", &line);
    write(d, ".xiezhiignore", "private.txt\n");
    write(d, ".git/objects/aa.txt", &line); // VCS internals are skipped
    write(d, "vendor/lib.txt", &line);
    write(d, "notes.md", &line);

    let mut opts = options(&[d]);
    opts.walk.exclude = vec!["vendor".into(), "*.md".into()];
    let (_, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec![".env", "keep.log", "keep.txt"]);

    // --include keeps only matching files; excludes still win.
    opts.walk.include = vec!["*.log".into(), "sub/**/*.txt".into()];
    let (_, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec!["keep.log", "keep.txt"]);

    // --no-ignore: .gitignore and .ignore are not honoured, .xiezhiignore still is.
    let opts = ScanOptions {
        walk: WalkOptions {
            no_ignore: true,
            ..WalkOptions::default()
        },
        ..options(&[d])
    };
    let (_, sink) = run(&opts);
    let names = file_names(&sink);
    assert!(
        names.contains(&"ignored_by_git.log".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"x.txt".to_owned()), "{names:?}");
    assert!(!names.contains(&"private.txt".to_owned()), "{names:?}");
    assert!(!names.contains(&"aa.txt".to_owned()), "{names:?}");
}

#[test]
fn explicit_files_bypass_ignore_rules_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".gitignore", "*.log\n");
    let path = write(d, "secret.log", pi_line());
    let mut opts = options(&[&path]);
    opts.walk.exclude = vec!["*.log".into()];
    let (_, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec!["secret.log"]);
    // Through the directory, the same file is ignored.
    let (_, sink) = run(&ScanOptions {
        paths: vec![d.to_path_buf()],
        ..opts
    });
    assert!(file_names(&sink).is_empty());
}

#[test]
fn symlinks_are_not_followed_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "target.txt", pi_line());
    let root = dir.path().join("root");
    fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
    let (_, sink) = run(&options(&[&root]));
    assert!(sink.findings.is_empty());
    let mut opts = options(&[&root]);
    opts.walk.follow_links = true;
    let (_, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec!["target.txt"]);
}

#[test]
fn bad_files_become_warnings_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "empty.txt", "");
    write(d, "image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(d, "blob.dat", b"\0\x01\x02\x03binary\0\0\0");
    write(d, "good.txt", pi_line());
    let big = write(d, "big.txt", format!("{}{}", "x".repeat(5000), pi_line()));
    let dangling = d.join("dangling");
    std::os::unix::fs::symlink(d.join("does-not-exist"), &dangling).unwrap();

    let mut opts = options(&[d, &dangling]);
    opts.walk.max_file_size = Some(4096);
    let (summary, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec!["good.txt"]);
    let mut reasons: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for w in &sink.warnings {
        let name = Path::new(&w.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        reasons.entry(w.reason.id()).or_default().push(name);
        assert!(!w.message.contains(ID), "warnings never hold values");
    }
    assert_eq!(reasons["empty"], vec!["empty.txt"]);
    let mut binary = reasons["binary"].clone();
    binary.sort();
    assert_eq!(binary, vec!["blob.dat", "image.png"]);
    assert_eq!(reasons["too_large"], vec!["big.txt"]);
    assert_eq!(reasons["unreadable"], vec!["dangling"]);
    assert_eq!(summary.files_scanned, 1);
    assert_eq!(summary.files_binary, 2);
    assert_eq!(summary.files_empty, 1);
    assert_eq!(summary.files_unreadable, 1);
    assert_eq!(summary.warnings["too_large"], 1);
    assert_eq!(summary.warnings["binary"], 2);
    // The big file alone is scanned when the limit allows it.
    let (_, sink) = run(&options(&[&big]));
    assert_eq!(of_type(&sink, PiType::CnResidentId).len(), 1);
}

#[test]
fn missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let mut sink = CollectingSink::default();
    let err = scan(&options(&[&missing]), &mut sink, &mut |_| {}).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("nope") && msg.contains("does not exist"),
        "{msg}"
    );
    let mut opts = options(&[dir.path()]);
    opts.walk.exclude = vec!["[".into()];
    let err = scan(&opts, &mut sink, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("invalid glob"), "{err}");
}

/// Checks that every match's `start..end` in the original bytes decodes to its value.
fn check_spans(bytes: &[u8], decode: impl Fn(&[u8]) -> String, found: &[&MatchFinding]) {
    for m in found {
        let (s, e) = (m.start.unwrap() as usize, m.end.unwrap() as usize);
        assert_eq!(
            decode(&bytes[s..e]),
            m.value.clone().unwrap(),
            "{:?} at {s}..{e}",
            m.pi_type
        );
    }
}

#[test]
fn gbk_offsets_point_into_the_original_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "第一行：没有个人信息\n{}姓名：张伟，{}",
        pi_line(),
        pi_line()
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = write(dir.path(), "gbk.txt", &gbk);
    let (_, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 2, "{:?}", sink.findings);
    assert_eq!(ids[0].encoding.as_deref(), Some("GB18030"));
    assert_eq!((ids[0].line, ids[1].line), (2, 3));
    assert_eq!(ids[0].column, 7);
    let gbk_decode = |b: &[u8]| encoding_rs::GB18030.decode(b).0.into_owned();
    check_spans(&gbk, gbk_decode, &matches(&sink));
    // The first ID starts after 10 CJK characters + newline + 6 CJK characters, 2 bytes each.
    assert_eq!(ids[0].start, Some(10 * 2 + 1 + 6 * 2));
}

#[test]
fn utf16_offsets_point_into_the_original_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("header\r\n{}", pi_line());
    for (name, big_endian) in [("le.txt", false), ("be.txt", true)] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        let path = write(dir.path(), name, &bytes);
        let (_, sink) = run(&options(&[&path]));
        let ids = of_type(&sink, PiType::CnResidentId);
        assert_eq!(ids.len(), 1, "{name}: {:?}", sink.findings);
        assert_eq!(ids[0].line, 2);
        // BOM + "header\r\n" + 6 characters, 2 bytes each.
        assert_eq!(ids[0].start, Some(2 + 8 * 2 + 6 * 2));
        let decode = |b: &[u8]| {
            let enc = if big_endian {
                encoding_rs::UTF_16BE
            } else {
                encoding_rs::UTF_16LE
            };
            enc.decode_without_bom_handling(b).0.into_owned()
        };
        check_spans(&bytes, decode, &matches(&sink));
    }
}

#[test]
fn utf8_bom_counts_in_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(ID.as_bytes());
    let path = write(dir.path(), "bom.txt", &bytes);
    let (_, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1);
    assert_eq!(
        (ids[0].start, ids[0].end, ids[0].column),
        (Some(3), Some(21), 1)
    );
}

#[test]
fn invalid_utf8_is_repaired_in_place_and_warned() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "日志 ".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xFF\xFE\xFA ");
    let at = bytes.len();
    bytes.extend_from_slice(pi_line().as_bytes());
    let path = write(dir.path(), "bad.log", &bytes);
    let (summary, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].start, Some((at + "客户身份证号".len()) as u64));
    assert!(
        summary.warnings.contains_key("decode_errors"),
        "{:?}",
        summary.warnings
    );
}

/// A text of `n` lines where line `k` holds an ID at a varying column, so that with small chunks
/// many values straddle piece and batch edges.
fn many_ids(n: usize) -> (String, Vec<(u64, u64, u64)>) {
    let mut text = String::new();
    let mut starts = Vec::new();
    for k in 0..n {
        text.push_str(&"填".repeat(k % 7));
        text.push_str(&"x".repeat(k % 13));
        text.push_str(" 身份证号");
        starts.push(text.len());
        text.push_str(ID);
        // Every third value shares its line with the next one.
        text.push_str(if k % 3 == 2 { "；" } else { "；\n" });
    }
    let expected = starts
        .iter()
        .map(|&start| {
            let before = &text[..start];
            let line = before.matches('\n').count() as u64 + 1;
            let col = before.rsplit('\n').next().unwrap().chars().count() as u64 + 1;
            (start as u64, line, col)
        })
        .collect();
    (text, expected)
}

fn check_many(sink: &CollectingSink, expected: &[(u64, u64, u64)]) {
    let ids = of_type(sink, PiType::CnResidentId);
    let got: Vec<(u64, u64, u64)> = ids
        .iter()
        .map(|m| (m.start.unwrap(), m.line, m.column))
        .collect();
    assert_eq!(got.len(), expected.len(), "every value exactly once");
    assert_eq!(got, expected);
    for m in ids {
        assert_eq!(m.end.unwrap() - m.start.unwrap(), ID.len() as u64);
    }
}

#[test]
fn values_straddling_chunk_edges_are_found_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (text, expected) = many_ids(300);
    let path = write(dir.path(), "many.txt", &text);
    for threads in [1, 2, 3] {
        for chunk in [192, 257, 1000] {
            let mut opts = options(&[&path]);
            opts.threads = threads;
            opts.chunk_size = chunk;
            opts.overlap = 64;
            let (summary, sink) = run(&opts);
            check_many(&sink, &expected);
            assert_eq!(
                summary.bytes_scanned,
                text.len() as u64,
                "{threads} {chunk}"
            );
        }
    }
}

#[test]
fn gbk_chunk_edges_keep_exact_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = many_ids(120);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = write(dir.path(), "many_gbk.txt", &gbk);
    let (_, whole) = run(&options(&[&path]));
    let reference: Vec<(Option<u64>, u64, u64)> = of_type(&whole, PiType::CnResidentId)
        .iter()
        .map(|m| (m.start, m.line, m.column))
        .collect();
    assert_eq!(reference.len(), 120);
    for threads in [1, 2] {
        let mut opts = options(&[&path]);
        opts.threads = threads;
        opts.chunk_size = 200;
        opts.overlap = 48;
        let (_, sink) = run(&opts);
        let got: Vec<(Option<u64>, u64, u64)> = of_type(&sink, PiType::CnResidentId)
            .iter()
            .map(|m| (m.start, m.line, m.column))
            .collect();
        assert_eq!(got, reference, "threads {threads}");
        let gbk_decode = |b: &[u8]| encoding_rs::GB18030.decode(b).0.into_owned();
        check_spans(&gbk, gbk_decode, &matches(&sink));
    }
}

#[test]
fn huge_single_line_is_scanned_in_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut expected = Vec::new();
    for k in 0..400 {
        text.push_str(&"a".repeat(97 + k % 31));
        text.push_str(" 身份证号");
        expected.push((text.len() as u64, 1u64, text.chars().count() as u64 + 1));
        text.push_str(ID);
        text.push(' ');
    }
    let path = write(dir.path(), "oneline.txt", &text);
    for threads in [1, 2] {
        let mut opts = options(&[&path]);
        opts.threads = threads;
        opts.chunk_size = 1024;
        opts.overlap = 128;
        let (_, sink) = run(&opts);
        check_many(&sink, &expected);
    }
}

#[test]
fn csv_cells_carry_field_and_offsets_and_columns_are_classified() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("name,sfzh,mobile\r\n");
    for k in 0..5 {
        csv.push_str(&format!("user{k},{ID},\"{MOBILE}\"\r\n"));
    }
    let path = write(dir.path(), "users.csv", &csv);
    let (_, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 5, "{:?}", sink.findings);
    for (k, m) in ids.iter().enumerate() {
        assert_eq!(m.field.as_deref(), Some("sfzh"));
        assert_eq!(m.line, k as u64 + 2);
        assert_eq!(m.column, 7);
        let s = m.start.unwrap() as usize;
        assert_eq!(&csv[s..m.end.unwrap() as usize], ID);
    }
    let mobiles = of_type(&sink, PiType::CnMobile);
    assert_eq!(mobiles.len(), 5);
    let s = mobiles[0].start.unwrap() as usize;
    assert_eq!(
        &csv[s..s + MOBILE.len()],
        MOBILE,
        "quotes are not part of the span"
    );
    // The ID and mobile columns are classified, named by their header and index.
    let columns: Vec<_> = sink
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::Column(c) => Some((c.column.as_str(), c.index, c.pi_type)),
            Finding::Match(_) => None,
        })
        .collect();
    assert!(
        columns.contains(&("sfzh", Some(1), PiType::CnResidentId)),
        "{columns:?}"
    );
    assert!(
        columns.contains(&("mobile", Some(2), PiType::CnMobile)),
        "{columns:?}"
    );
}

#[test]
fn json_numbers_and_strings_are_values_with_key_paths() {
    let dir = tempfile::tempdir().unwrap();
    let json = format!(
        "{{\"data\": {{\"records\": [{{\"user\": {{\"mobile\": {MOBILE}, \"idcard\": \"{ID}\"}}}}]}}}}"
    );
    let path = write(dir.path(), "api.json", &json);
    let (_, sink) = run(&options(&[&path]));
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1, "{:?}", sink.findings);
    assert_eq!(ids[0].field.as_deref(), Some("data.records[].user.idcard"));
    let s = ids[0].start.unwrap() as usize;
    assert_eq!(&json[s..ids[0].end.unwrap() as usize], ID);
    let mobiles = of_type(&sink, PiType::CnMobile);
    assert_eq!(mobiles.len(), 1, "numbers are values too");
    assert_eq!(
        mobiles[0].field.as_deref(),
        Some("data.records[].user.mobile")
    );
}

#[test]
fn broken_json_is_finished_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let json = format!("{{\"a\": \"{MOBILE}\", oops }} 身份证号{ID}\n");
    let path = write(dir.path(), "broken.json", &json);
    let (summary, sink) = run(&options(&[&path]));
    assert_eq!(of_type(&sink, PiType::CnMobile).len(), 1);
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1, "{:?}", sink.findings);
    assert_eq!(ids[0].start, Some(json.find(ID).unwrap() as u64));
    assert!(summary.warnings.contains_key("malformed_json"));
}

#[test]
fn type_filter_and_pack_are_applied() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.txt", pi_line());
    let mut opts = options(&[&path]);
    opts.engine.types = xiezhi_detect::TypeSet::of(&[PiType::CnMobile]);
    opts.pack = xiezhi_model::SensitivityPack::Gbt45574_2025;
    let (summary, sink) = run(&opts);
    assert!(of_type(&sink, PiType::CnResidentId).is_empty());
    assert_eq!(of_type(&sink, PiType::CnMobile).len(), 1);
    assert_eq!(summary.pack, "gbt45574-2025");
    opts.engine.types = xiezhi_detect::TypeSet::of(&[PiType::CnResidentId]);
    let (_, sink) = run(&opts);
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 1);
    assert!(
        !ids[0].sensitive,
        "not sensitive by itself under GB/T 45574-2025"
    );
}

#[test]
fn many_files_in_parallel_are_all_counted() {
    let dir = tempfile::tempdir().unwrap();
    for k in 0..60 {
        write(dir.path(), &format!("d{}/f{k}.txt", k % 5), pi_line());
    }
    let mut calls = 0;
    let mut sink = CollectingSink::default();
    let mut opts = options(&[dir.path()]);
    opts.threads = 4;
    let summary = scan(&opts, &mut sink, &mut |_| calls += 1).unwrap();
    assert!(calls >= 1);
    assert_eq!(summary.files_scanned, 60);
    assert_eq!(summary.files_with_findings, 60);
    assert_eq!(summary.by_type[&PiType::CnResidentId].files, 60);
    assert_eq!(of_type(&sink, PiType::CnResidentId).len(), 60);
    assert_eq!(summary.threads, 4);
    assert!(summary.files.len() <= xiezhi_scan::pipeline::TOP_FILES);
}

#[test]
fn output_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", pi_line());
    let out = write(dir.path(), "out.json", pi_line());
    let mut opts = options(&[dir.path()]);
    opts.walk.skip_paths = vec![out];
    let (_, sink) = run(&opts);
    assert_eq!(file_names(&sink), vec!["a.txt"]);
}

#[test]
fn sink_errors_stop_the_scan() {
    struct Failing;
    impl xiezhi_scan::FindingSink for Failing {
        fn finding(&mut self, _: &Finding) -> std::io::Result<()> {
            Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "closed",
            ))
        }
        fn warning(&mut self, _: &xiezhi_model::Warning) -> std::io::Result<()> {
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for k in 0..20 {
        write(dir.path(), &format!("f{k}.txt"), pi_line());
    }
    let err = scan(&options(&[dir.path()]), &mut Failing, &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().contains("cannot write the findings"),
        "{err}"
    );
}

/// Mixed text of many PI kinds, built deterministically.
fn mixed_text(lines: usize) -> String {
    const SNIPPETS: &[&str] = &[
        "客户身份证号11010519491231002X，",
        "手机 138-1234-5678 ",
        "邮箱 zhang.san@qq.com；",
        "卡号6222021234567890128 ",
        "收件人：张伟，电话13912345678，地址广东省深圳市南山区科技园南路15号3栋1201室。",
        "ip=58.23.4.5 mac=3C:22:FB:12:34:56 ",
        "password=Xz9#kq2!mw ",
        "order 2026112812345678901234 amount ¥1,234.56 ",
        "Tel: +1 415-736-2671, ",
        "定位坐标：22.46089, 113.93921，",
        "车牌京A12345，VIN LSVAU218XN2183294 ",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text = String::new();
    for _ in 0..lines {
        for _ in 0..1 + next(4) {
            text.push_str(SNIPPETS[next(SNIPPETS.len())]);
            text.push_str(&"·".repeat(next(3)));
        }
        text.push('\n');
    }
    text
}

type Key = (Option<u64>, Option<u64>, u64, u64, PiType);

fn keys(sink: &CollectingSink) -> Vec<Key> {
    let mut v: Vec<Key> = matches(sink)
        .iter()
        .map(|m| (m.start, m.end, m.line, m.column, m.pi_type))
        .collect();
    v.sort();
    v
}

#[test]
fn chunked_scans_equal_whole_file_scans_in_every_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let text = mixed_text(400);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let files = [
        ("utf8.txt", text.as_bytes().to_vec()),
        ("gbk.txt", encoding_rs::GB18030.encode(&text).0.into_owned()),
        ("utf16.txt", utf16),
    ];
    let mut per_encoding = Vec::new();
    for (name, bytes) in &files {
        let path = write(dir.path(), name, bytes);
        let mut whole = options(&[&path]);
        whole.threads = 1;
        let (_, reference) = run(&whole);
        let reference = keys(&reference);
        assert!(reference.len() > 400, "{name}: {}", reference.len());
        for (threads, chunk, overlap) in [(2, 300, 100), (3, 1000, 200), (1, 700, 128)] {
            let mut opts = options(&[&path]);
            opts.threads = threads;
            opts.chunk_size = chunk;
            opts.overlap = overlap;
            let (_, sink) = run(&opts);
            assert_eq!(keys(&sink), reference, "{name} {threads} {chunk} {overlap}");
        }
        per_encoding.push(
            reference
                .iter()
                .map(|k| (k.2, k.3, k.4))
                .collect::<Vec<_>>(),
        );
    }
    // Lines, columns and types do not depend on the encoding.
    assert_eq!(per_encoding[0], per_encoding[1]);
    assert_eq!(per_encoding[0], per_encoding[2]);
}

fn workbook(rows: &str) -> Vec<u8> {
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let pkg = "http://schemas.openxmlformats.org/package/2006";
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    stored_zip(&[
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>{rows}</sheetData></worksheet>"#
            ),
        ),
    ])
}

#[test]
fn xlsx_cells_carry_sheet_and_cell_references() {
    let dir = tempfile::tempdir().unwrap();
    let s = |r: &str, v: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#);
    let mut rows = format!(
        r#"<row r="1">{}{}{}</row>"#,
        s("A1", "姓名"),
        s("B1", "手机号"),
        s("C1", "身份证号")
    );
    for k in 2..6 {
        rows.push_str(&format!(
            r#"<row r="{k}">{}<c r="B{k}"><v>{MOBILE}</v></c>{}</row>"#,
            s(&format!("A{k}"), "张伟"),
            s(&format!("C{k}"), ID)
        ));
    }
    let path = write(dir.path(), "客户.xlsx", workbook(&rows));
    let (summary, sink) = run(&options(&[&path]));
    assert_eq!(summary.files_scanned, 1, "{:?}", sink.warnings);
    let ids = of_type(&sink, PiType::CnResidentId);
    assert_eq!(ids.len(), 4, "{:?}", sink.findings);
    assert_eq!(ids[0].sheet.as_deref(), Some("客户"));
    assert_eq!(ids[0].field.as_deref(), Some("身份证号"));
    assert_eq!((ids[0].start, ids[0].end), (None, None));
    let mut cells: Vec<_> = ids.iter().map(|m| m.cell.clone().unwrap()).collect();
    cells.sort();
    assert_eq!(cells, vec!["C2", "C3", "C4", "C5"]);
    assert_eq!(
        of_type(&sink, PiType::CnMobile).len(),
        4,
        "numbers are values"
    );
    for f in &sink.findings {
        if let Finding::Column(c) = f {
            assert_eq!(c.sheet.as_deref(), Some("客户"));
        }
    }
    // A broken workbook is a warning, not an error.
    write(dir.path(), "broken.xlsx", b"PK\x03\x04 not really a zip");
    let (summary, _) = run(&options(&[dir.path()]));
    assert_eq!(summary.warnings["malformed_spreadsheet"], 1);
}
