//! Arbitrary bytes through `xiezhi_scan::csv::read_csv`, with a sink that checks the cell
//! contract and runs the engine on every cell (with the hint of its column's header).
//!
//! Input layout: byte 0 picks the delimiter, the header mode and the encoding; bytes 1..4 are
//! read sizes for a second, differential read through short reads, which must deliver the same
//! cells, headers, warnings and stats as one big read (unless the text had decode errors, whose
//! replacement may depend on where blocks end). The rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_fuzz::{ChunkedReader, EngineSink};
use xiezhi_scan::csv::{CsvOptions, read_csv};
use xiezhi_scan::decode::{Sniffed, TextEncoding, sniff_encoding};

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
const HEADER: [Option<bool>; 3] = [None, Some(true), Some(false)];
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
    let options = CsvOptions {
        delimiter: DELIMITERS[usize::from(control & 3)],
        has_header: HEADER[usize::from((control >> 2) & 3) % 3],
        ..CsvOptions::default()
    };
    // Mostly sniffed (as the scanner does), sometimes a forced encoding.
    let sniffed = match control >> 4 {
        0..=11 => sniff_encoding(file),
        n => Sniffed {
            encoding: ENCODINGS[usize::from(n - 12)],
            bom_len: 0,
        },
    };

    let mut whole = EngineSink::new(file.len(), true);
    let stats = read_csv(file, sniffed, &options, &mut whole).expect("reading a slice cannot fail");

    let mut short = EngineSink::new(file.len(), false);
    let stats2 = read_csv(
        ChunkedReader::new(file, sizes),
        sniffed,
        &options,
        &mut short,
    )
    .expect("reading a slice cannot fail");
    if !whole.had_decode_errors() {
        assert_eq!(
            whole.headers, short.headers,
            "headers depend on read sizes {sizes:?}"
        );
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
