//! Arbitrary bytes through `xiezhi_scan::csv::read_csv`, with a sink that checks the cell
//! contract and runs the engine on every cell (with the hint of its column's header).
//!
//! Input layout: byte 0 picks the delimiter, the header mode and the encoding; bytes 1..4 are
//! read sizes for a second, differential read through short reads, which must deliver the same
//! cells, headers, warnings and stats as one big read (unless the text had decode errors, whose
//! replacement may depend on where blocks end). The rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_fuzz::{pick_encoding, read_twice, split_input};
use xiezhi_scan::csv::{CsvOptions, read_csv};

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
const HEADER: [Option<bool>; 3] = [None, Some(true), Some(false)];

fuzz_target!(|data: &[u8]| {
    let Some((control, sizes, file)) = split_input(data) else {
        return;
    };
    let options = CsvOptions {
        delimiter: DELIMITERS[usize::from(control & 3)],
        has_header: HEADER[usize::from((control >> 2) & 3) % 3],
        ..CsvOptions::default()
    };
    // Mostly sniffed (as the scanner does), sometimes a forced encoding.
    let sniffed = pick_encoding(file, control >> 4, 12);
    read_twice(file, sizes, |reader, sink| {
        read_csv(reader, sniffed, &options, sink).expect("reading a slice cannot fail")
    });
});
