//! `docs/rules.md` is generated from the rule catalog; this test fails when the checked-in file
//! is stale (CI runs `cargo test --workspace`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use xiezhi_check::report::{RULES_DOC_COMMAND, rules_markdown};

#[test]
fn docs_rules_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let expected = rules_markdown();
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    if found != expected {
        let line = found
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || found.lines().count().min(expected.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "docs/rules.md is not current with the rule catalog (first difference at line {line}).\nRegenerate it from the workspace root:\n\n    {RULES_DOC_COMMAND}\n"
        );
    }
}
