//! Helpers shared by the fuzz targets: the engine's output contract, a reader that returns short
//! reads (so the streaming readers see block boundaries anywhere), and a [`CellSink`] that checks
//! the cell contract of `xiezhi_scan::cells` and runs the engine on every cell; and the input
//! layout and differential read shared by the reader targets ([`split_input`], [`pick_encoding`],
//! [`read_twice`]).
//!
//! Every check here is a documented contract of the code under test; a failed `assert!` is a
//! finding, not noise.

use std::fmt::Debug;
use std::io::Read;
use std::sync::OnceLock;

use xiezhi_detect::{Engine, EngineConfig, FieldHint, Match, Scratch, field_hint};
use xiezhi_model::WarningReason;
use xiezhi_scan::cells::{Cell, CellSink, Field};
use xiezhi_scan::decode::{Sniffed, TextEncoding, sniff_encoding};

/// The engine, built once per process (building it may be expensive).
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(EngineConfig::default()))
}

/// Checks what `Engine::scan` / `Engine::scan_field` promise about `out` for `text`: offsets in
/// range and on character boundaries, non-empty, sorted by start and non-overlapping, confidence
/// in `min_confidence..=1.0`.
pub fn check_matches(text: &str, out: &[Match], min_confidence: f32) {
    let mut prev_end = 0usize;
    for (i, m) in out.iter().enumerate() {
        assert!(m.start < m.end, "match {i} is empty or reversed: {m:?}");
        assert!(
            m.end <= text.len(),
            "match {i} ends past the text ({}): {m:?}",
            text.len()
        );
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "match {i} is not on character boundaries: {m:?}"
        );
        assert!(
            m.start >= prev_end,
            "match {i} overlaps or is out of order: {out:?}"
        );
        assert!(
            m.confidence.is_finite() && m.confidence >= min_confidence && m.confidence <= 1.0,
            "match {i} confidence out of range: {m:?}"
        );
        prev_end = m.end;
    }
}

/// A reader over `data` that returns reads of the sizes in `sizes` (cycled; 0 is read as 1).
#[derive(Debug)]
pub struct ChunkedReader<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl<'a> ChunkedReader<'a> {
    /// Short reads of `sizes`; an empty `sizes` gives one read of everything.
    pub fn new(data: &'a [u8], sizes: &[u8]) -> Self {
        let sizes = if sizes.is_empty() {
            vec![usize::MAX]
        } else {
            sizes.iter().map(|s| usize::from(*s).max(1)).collect()
        };
        ChunkedReader {
            data,
            sizes,
            next: 0,
        }
    }
}

impl Read for ChunkedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// An owned copy of a [`Cell`], for comparing two reads of the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedCell {
    /// Column index or key path.
    pub field: String,
    /// Record number.
    pub record: u64,
    /// Line.
    pub line: u64,
    /// Column.
    pub column: u64,
    /// The value.
    pub value: Vec<u8>,
    /// Its original offsets.
    pub origin: Vec<u64>,
}

/// Checks the cell contract, runs the engine on every cell with the hint of its column or key
/// path, and records everything.
#[derive(Debug)]
pub struct EngineSink {
    /// Length of the original input: no origin offset may pass it.
    pub input_len: u64,
    /// Run the engine on cells (off for the second, differential read).
    pub run_engine: bool,
    /// Hints of the current header's columns.
    pub hints: Vec<FieldHint>,
    /// Headers seen.
    pub headers: Vec<Vec<String>>,
    /// Cells seen.
    pub cells: Vec<OwnedCell>,
    /// Warnings seen (reason and line; messages are free text).
    pub warnings: Vec<(WarningReason, Option<u64>)>,
    scratch: Scratch,
    out: Vec<Match>,
}

impl EngineSink {
    /// A sink for an input of `input_len` bytes.
    pub fn new(input_len: usize, run_engine: bool) -> Self {
        EngineSink {
            input_len: input_len as u64,
            run_engine,
            hints: Vec::new(),
            headers: Vec::new(),
            cells: Vec::new(),
            warnings: Vec::new(),
            scratch: Scratch::default(),
            out: Vec::new(),
        }
    }

    /// Whether a `DecodeErrors` warning was seen (the text then depends on block boundaries).
    pub fn had_decode_errors(&self) -> bool {
        self.warnings
            .iter()
            .any(|(r, _)| *r == WarningReason::DecodeErrors)
    }
}

impl CellSink for EngineSink {
    fn header(&mut self, _sheet: Option<&str>, names: &[String]) {
        self.hints = names.iter().map(|n| field_hint(n)).collect();
        self.headers.push(names.to_vec());
    }

    fn cell(&mut self, cell: &Cell<'_>) {
        assert!(!cell.value.is_empty(), "empty cell delivered: {cell:?}");
        assert!(
            cell.origin.len() == cell.value.len() + 1,
            "origin has {} entries for a {}-byte value: {cell:?}",
            cell.origin.len(),
            cell.value.len()
        );
        assert!(
            cell.origin.windows(2).all(|w| w[0] <= w[1]),
            "origin not monotonic: {cell:?}"
        );
        if let Some(last) = cell.origin.last() {
            assert!(
                *last <= self.input_len,
                "origin past the end of the input: {cell:?}"
            );
        }
        assert!(cell.line >= 1, "line is 1-based: {cell:?}");
        assert!(cell.column >= 1, "column is 1-based: {cell:?}");
        let field = match cell.field {
            Field::Index(i) => format!("#{i}"),
            Field::Path(p) => p.to_owned(),
        };
        if self.run_engine {
            let text = String::from_utf8_lossy(cell.value);
            let hint = match cell.field {
                Field::Index(i) => self.hints.get(i as usize).cloned().unwrap_or_default(),
                Field::Path(p) => field_hint(p),
            };
            self.out.clear();
            let engine = engine();
            engine.scan_field(&text, &hint, &mut self.scratch, &mut self.out);
            check_matches(&text, &self.out, engine.config().min_confidence);
        }
        self.cells.push(OwnedCell {
            field,
            record: cell.record,
            line: cell.line,
            column: cell.column,
            value: cell.value.to_vec(),
            origin: cell.origin.to_vec(),
        });
    }

    fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String) {
        assert!(
            !message.is_empty(),
            "warning without a message ({reason:?})"
        );
        self.warnings.push((reason, line));
    }
}

/// Splits a reader target's input into its control byte, up to three read sizes and the file;
/// `None` for an empty input.
pub fn split_input(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&control, rest) = data.split_first()?;
    let (sizes, file) = rest.split_at(rest.len().min(3));
    Some((control, sizes, file))
}

/// Non-UTF-8 encodings a reader target may force.
const FORCED_ENCODINGS: [TextEncoding; 4] = [
    TextEncoding::Gb18030,
    TextEncoding::Utf16Le,
    TextEncoding::Utf16Be,
    TextEncoding::Big5,
];

/// The encoding to read `file` in: sniffed (as the scanner does) when `selector` is below
/// `first_forced`, else forced GB18030, UTF-16LE, UTF-16BE or Big5 for `selector - first_forced`
/// = 0, 1, 2, 3.
pub fn pick_encoding(file: &[u8], selector: u8, first_forced: u8) -> Sniffed {
    if selector < first_forced {
        sniff_encoding(file)
    } else {
        Sniffed {
            encoding: FORCED_ENCODINGS[usize::from(selector - first_forced)],
            bom_len: 0,
        }
    }
}

/// Reads `file` with `read` twice: at once, with the engine running on every cell, then through
/// short reads of `sizes` without it. Unless the text had decode errors (whose replacement may
/// depend on where blocks end), both reads must deliver the same headers, cells, warnings and
/// stats. Returns the first read's sink and stats.
pub fn read_twice<S: PartialEq + Debug>(
    file: &[u8],
    sizes: &[u8],
    read: impl Fn(&mut dyn Read, &mut EngineSink) -> S,
) -> (EngineSink, S) {
    let mut whole = EngineSink::new(file.len(), true);
    let stats = read(&mut { file }, &mut whole);

    let mut short = EngineSink::new(file.len(), false);
    let stats2 = read(&mut ChunkedReader::new(file, sizes), &mut short);
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
    (whole, stats)
}
