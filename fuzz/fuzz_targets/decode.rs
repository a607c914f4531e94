//! Arbitrary bytes through `sniff_encoding` and `StreamDecoder`, fed whole and in pieces cut at
//! fuzzer-chosen points.
//!
//! Input layout: byte 0 picks the encoding (or sniffing); bytes 1..5 are cut points; the rest is
//! the file. Checks the documented contract of `xiezhi_scan::decode`: decoded text of non-UTF-8
//! encodings is valid UTF-8; UTF-8 passes through unchanged (less the BOM); the offset map is
//! monotonic, within the input and ends at the input's length; `extend_offsets` agrees with
//! `original_offset`; and for input decoded without errors, cutting it anywhere changes neither
//! the text nor the map.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xiezhi_scan::decode::{
    Decoded, Sniffed, StreamDecoder, TextEncoding, binary_magic, is_probably_binary, sniff_encoding,
};

const ENCODINGS: [TextEncoding; 5] = [
    TextEncoding::Utf8,
    TextEncoding::Utf16Le,
    TextEncoding::Utf16Be,
    TextEncoding::Gb18030,
    TextEncoding::Big5,
];

fn decode(sniffed: Sniffed, file: &[u8], cuts: &[usize]) -> Decoded {
    let mut decoder = StreamDecoder::new(sniffed);
    let mut out = Decoded::new();
    let mut start = 0;
    for &p in cuts {
        decoder.decode(&file[start..p], start as u64, false, &mut out);
        start = p;
    }
    decoder.decode(&file[start..], start as u64, false, &mut out);
    decoder.decode(&[], file.len() as u64, true, &mut out);
    out
}

/// Decodes block by block, clearing between blocks as the readers do; returns the concatenated
/// text and offsets.
fn decode_cleared(sniffed: Sniffed, file: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<u64>) {
    let mut decoder = StreamDecoder::new(sniffed);
    let mut out = Decoded::new();
    let (mut text, mut offsets) = (Vec::new(), Vec::new());
    let mut start = 0;
    let points = cuts.iter().copied().chain([file.len(), file.len()]);
    for (i, p) in points.enumerate() {
        let last = i == cuts.len() + 1;
        out.clear();
        decoder.decode(&file[start..p], start as u64, last, &mut out);
        text.extend_from_slice(out.text());
        out.extend_offsets(0, out.len(), &mut offsets);
        start = p;
    }
    (text, offsets)
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let (cut_bytes, file) = rest.split_at(rest.len().min(4));
    let sniffed = match usize::from(control) % 8 {
        n @ 0..=4 => Sniffed {
            encoding: ENCODINGS[n],
            bom_len: 0,
        },
        _ => sniff_encoding(file),
    };
    assert!(
        sniffed.bom_len <= file.len(),
        "BOM longer than the file: {sniffed:?}"
    );
    let _ = is_probably_binary(file, sniffed);
    let _ = binary_magic(file);

    let mut cuts: Vec<usize> = cut_bytes
        .iter()
        .map(|c| usize::from(*c) % (file.len() + 1))
        .collect();
    cuts.sort_unstable();

    let whole = decode(sniffed, file, &[]);
    let len = file.len() as u64;
    let mut offsets = Vec::new();
    whole.extend_offsets(0, whole.len(), &mut offsets);
    assert_eq!(offsets.len(), whole.len());
    for (p, o) in offsets.iter().enumerate() {
        assert_eq!(
            *o,
            whole.original_offset(p),
            "extend_offsets and original_offset differ at {p}"
        );
        assert!(*o <= len, "offset {o} of byte {p} past the end ({len})");
    }
    assert!(
        offsets.windows(2).all(|w| w[0] <= w[1]),
        "offsets not monotonic"
    );
    assert_eq!(
        whole.original_offset(whole.len()),
        len,
        "map does not end at the input's end"
    );
    if let Some(first) = offsets.first() {
        assert!(*first >= sniffed.bom_len as u64, "text mapped into the BOM");
    }
    if sniffed.encoding == TextEncoding::Utf8 {
        assert_eq!(
            whole.text(),
            &file[sniffed.bom_len..],
            "UTF-8 not passed through"
        );
    } else {
        assert!(
            std::str::from_utf8(whole.text()).is_ok(),
            "decoded text is not UTF-8"
        );
    }

    let cut = decode(sniffed, file, &cuts);
    let (cleared_text, cleared_offsets) = decode_cleared(sniffed, file, &cuts);
    assert_eq!(
        cut.text(),
        &cleared_text[..],
        "clearing between blocks changes the text"
    );
    let mut cut_offsets = Vec::new();
    cut.extend_offsets(0, cut.len(), &mut cut_offsets);
    assert_eq!(
        cut_offsets, cleared_offsets,
        "clearing between blocks changes the map"
    );
    assert!(
        cut_offsets.windows(2).all(|w| w[0] <= w[1]),
        "offsets not monotonic when cut at {cuts:?}"
    );
    if whole.errors() == 0 {
        assert_eq!(cut.errors(), 0, "cutting at {cuts:?} creates decode errors");
        assert_eq!(
            whole.text(),
            cut.text(),
            "cutting at {cuts:?} changes the text"
        );
        assert_eq!(offsets, cut_offsets, "cutting at {cuts:?} changes the map");
    }
});
