//! Arbitrary bytes through `xiezhi_scan::json::read_json`, in NDJSON and single-document mode,
//! with a sink that checks the cell contract and runs the engine on every cell (with the hint of
//! its key path).
//!
//! Input layout: byte 0 picks the mode, the depth limit and the encoding; bytes 1..4 are read
//! sizes for a second, differential read through short reads, which must deliver the same cells,
//! warnings and stats as one big read (unless the text had decode errors). The rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_fuzz::{ChunkedReader, EngineSink};
use xiezhi_scan::decode::{Sniffed, TextEncoding, sniff_encoding};
use xiezhi_scan::json::{JsonOptions, read_json};

const DEPTHS: [usize; 4] = [128, 1, 3, 16];
const ENCODINGS: [TextEncoding; 4] = [
    TextEncoding::Gb18030,
    TextEncoding::Utf16Le,
    TextEncoding::Utf16Be,
    TextEncoding::Big5,
];

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let (sizes, file) = rest.split_at(rest.len().min(3));
    let options = JsonOptions {
        ndjson: control & 1 == 1,
        max_depth: DEPTHS[usize::from((control >> 1) & 3)],
    };
    let sniffed = match control >> 3 {
        0..=27 => sniff_encoding(file),
        n => Sniffed {
            encoding: ENCODINGS[usize::from(n - 28)],
            bom_len: 0,
        },
    };

    let mut whole = EngineSink::new(file.len(), true);
    let stats =
        read_json(file, sniffed, &options, &mut whole).expect("reading a slice cannot fail");
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

    let mut short = EngineSink::new(file.len(), false);
    let stats2 = read_json(
        ChunkedReader::new(file, sizes),
        sniffed,
        &options,
        &mut short,
    )
    .expect("reading a slice cannot fail");
    if !whole.had_decode_errors() {
        assert_eq!(
            whole.cells, short.cells,
            "cells depend on read sizes {sizes:?}"
        );
        assert_eq!(
            whole.warnings, short.warnings,
            "warnings depend on read sizes {sizes:?}"
        );
        assert_eq!(stats, stats2, "stats depend on read sizes {sizes:?}");
    }
});
