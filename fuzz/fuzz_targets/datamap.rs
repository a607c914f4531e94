//! Arbitrary text through the data-map loader (`xiezhi_map::load_texts`: `xiezhi.yaml` and
//! `datamap/*.yaml`, serde-saphyr, per-item error recovery, cross-file checks), then, when it
//! loads, through the rules (`xiezhi_check::rules::evaluate`) and the cross-border ledger.
//!
//! Input layout: the input as (lossy) UTF-8, split at NUL characters. With one part, it is a
//! single data-map file next to the example `xiezhi.yaml`; with more, the first part is
//! `xiezhi.yaml` and each further part a data-map file (`f0.yaml`, `f1.yaml`, …).
//!
//! Checks: no panic; a failed load reports at least one error, each naming one of the files
//! given, with a line inside that file as YAML counts lines (0 = the file as a whole) and a column only with a line;
//! loading is deterministic; on success every entity `locate`s to a given file and line, and
//! every finding points inside its file.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use xiezhi_check::Date;
use xiezhi_check::rules::evaluate;
use xiezhi_check::transfers::{decide_ledger_prc, project_transfers};
use xiezhi_map::{PROFILE_FILE, TEMPLATE, load_texts};

fn example_profile() -> &'static str {
    TEMPLATE
        .iter()
        .find(|(p, _)| *p == PROFILE_FILE)
        .map(|(_, t)| *t)
        .expect("the template has xiezhi.yaml")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('\0').collect();
    let (profile, maps): (&str, &[&str]) = match parts.as_slice() {
        [one] => (example_profile(), std::slice::from_ref(one)),
        [first, rest @ ..] => (first, rest),
        [] => return,
    };
    let names: Vec<String> = (0..maps.len()).map(|i| format!("f{i}.yaml")).collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(String::as_str)
        .zip(maps.iter().copied())
        .collect();
    // Lines per file as YAML counts them (LF, CRLF or a lone CR end a line), keyed by the path
    // the loader reports.
    let yaml_lines = |t: &str| {
        let b = t.as_bytes();
        1 + (0..b.len())
            .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count() as u64
    };
    let mut lines: HashMap<String, u64> = HashMap::new();
    lines.insert(PROFILE_FILE.to_string(), yaml_lines(profile));
    for (n, t) in &files {
        lines.insert(format!("datamap/{n}"), yaml_lines(t));
    }
    let within = |file: &std::path::Path, line: u64, column: u64, what: &str| {
        let key = file.to_string_lossy().replace('\\', "/");
        let Some(&n) = lines.get(&key) else {
            panic!("{what} names a file that was not given: {key}");
        };
        // One past the last line: an error at the end of input.
        assert!(line <= n + 1, "{what} at {key}:{line} past the end ({n} lines)");
        assert!(line > 0 || column == 0, "{what} has a column but no line");
    };
    let first = load_texts(profile, &files);
    let second = load_texts(profile, &files);
    match (&first, &second) {
        (Err(a), Err(b)) => {
            assert!(!a.0.is_empty(), "a failed load reported no error");
            let key = |e: &xiezhi_map::LoadError| (e.file.clone(), e.line, e.column, e.kind);
            assert_eq!(
                a.0.iter().map(key).collect::<Vec<_>>(),
                b.0.iter().map(key).collect::<Vec<_>>(),
                "loading twice gave different errors"
            );
            for e in &a.0 {
                within(&e.file, e.line, e.column, "error");
                let _ = e.to_string();
            }
        }
        (Ok(p), Ok(_)) => {
            for (file, t) in p.each(|m| &m.transfers) {
                within(file, t.id.line, t.id.column, "transfer");
                let loc = p.locate(&t.id.value).expect("a loaded transfer can be located");
                within(loc.file, loc.line, loc.column, "located entity");
            }
            let as_of = Date::parse("2026-06-30").expect("a valid date");
            for f in evaluate(p, as_of) {
                within(&f.file, f.line, f.column, "finding");
                assert!(!f.message_zh.is_empty() && !f.message_en.is_empty());
            }
            let mapped = project_transfers(p, 2026);
            let inputs: Vec<_> = mapped.into_iter().map(|m| m.transfer).collect();
            let (ledgers, _) = decide_ledger_prc(&inputs, as_of);
            let decided: usize = ledgers.iter().map(|l| l.transfers.len()).sum();
            assert_eq!(decided, inputs.len(), "every transfer is decided once");
        }
        _ => panic!("loading twice gave different outcomes"),
    }
});
