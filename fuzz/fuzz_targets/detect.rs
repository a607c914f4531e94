//! Arbitrary bytes, read as lossy UTF-8, through `Engine::scan` and `Engine::scan_field`.
//!
//! Checks the output contract (see `xiezhi_fuzz::check_matches`) and that a used `Scratch`
//! gives the same result as a fresh one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_detect::{Scratch, field_hint};
use xiezhi_fuzz::{check_matches, engine};

/// Field names for `scan_field`: Chinese, pinyin, English, a not-PI name and no name. The first
/// input byte picks one; the whole input is the value.
const HINTS: [&str; 5] = ["身份证号", "sjhm", "mobile", "order_no", ""];

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let min = engine.config().min_confidence;
    let text = String::from_utf8_lossy(data);

    let mut scratch = Scratch::default();
    let mut first = Vec::new();
    engine.scan(&text, &mut scratch, &mut first);
    check_matches(&text, &first, min);

    let name = HINTS[data.first().map_or(0, |b| usize::from(*b) % HINTS.len())];
    let hint = field_hint(name);
    let mut field = Vec::new();
    engine.scan_field(&text, &hint, &mut scratch, &mut field);
    check_matches(&text, &field, min);

    // The same scratch, now used twice, must not change the result.
    let mut again = Vec::new();
    engine.scan(&text, &mut scratch, &mut again);
    assert_eq!(first, again, "scan differs with a reused Scratch");
});
