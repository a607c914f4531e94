//! Arbitrary bytes through `xiezhi_scan::json::read_json`, in NDJSON and single-document mode,
//! with a sink that checks the cell contract and runs the engine on every cell (with the hint of
//! its key path).
//!
//! Input layout: byte 0 picks the mode, the depth limit and the encoding; bytes 1..4 are read
//! sizes for a second, differential read through short reads, which must deliver the same cells,
//! warnings and stats as one big read (unless the text had decode errors). The rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_fuzz::{pick_encoding, read_twice, split_input};
use xiezhi_scan::json::{JsonOptions, read_json};

const DEPTHS: [usize; 4] = [128, 1, 3, 16];

fuzz_target!(|data: &[u8]| {
    let Some((control, sizes, file)) = split_input(data) else {
        return;
    };
    let options = JsonOptions {
        ndjson: control & 1 == 1,
        max_depth: DEPTHS[usize::from((control >> 1) & 3)],
    };
    let sniffed = pick_encoding(file, control >> 3, 28);
    let (whole, stats) = read_twice(file, sizes, |reader, sink| {
        read_json(reader, sniffed, &options, sink).expect("reading a slice cannot fail")
    });
    assert_eq!(
        stats.cells,
        whole.cells.len() as u64,
        "stats.cells differs from cells delivered"
    );
    if let Some(at) = stats.malformed_at {
        assert!(!options.ndjson, "malformed_at set in NDJSON mode");
        assert!(
            at <= file.len() as u64,
            "malformed_at {at} past the end ({})",
            file.len()
        );
    }
});
