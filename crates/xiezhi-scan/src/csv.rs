//! Streaming CSV/TSV reader: RFC 4180 quoting (`""` inside quoted fields), LF, CRLF or CR line
//! ends, any one-byte delimiter; every non-empty field goes to a [`CellSink`] with its exact
//! position in the original file.
//!
//! The tokenizer is written by hand rather than with `csv_core` because `csv_core` does not say
//! which input byte produced each output byte, and the scanner needs an exact file offset for
//! every byte of a value (quoted fields with escaped quotes included). Its behaviour follows
//! `csv_core`'s defaults: a field is quoted only when its first byte is `"`; text after a closing
//! quote is appended to the field; quotes inside unquoted fields are ordinary characters; blank
//! lines are skipped. Lines are counted at `\n` (a lone `\r` ends a record but not a line).
//!
//! Memory stays bounded: the file is read in blocks; a field longer than
//! [`CsvOptions::max_field_bytes`] is delivered in pieces (cut at character boundaries) with a
//! `HugeLine` warning; only the first two rows are held back, up to 1 MiB, to decide whether the
//! first one is a header ([`is_header_row`]).

use std::io::Read;

use xiezhi_model::WarningReason;

use crate::cells::{Cell, CellSink, Field};
use crate::decode::{BLOCK_SIZE, LineCol, OffsetMap, ReadError, Sniffed, TextBlocks};
use crate::value_buf::ValueBuf;

/// How to read a CSV/TSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Field delimiter: `,`, `;`, `|`, `\t`...
    pub delimiter: u8,
    /// Whether the first row is a header; `None` detects it with [`is_header_row`].
    pub has_header: Option<bool>,
    /// Longest field delivered in one piece; longer ones are cut with a `HugeLine` warning.
    pub max_field_bytes: usize,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            has_header: None,
            max_field_bytes: 16 << 20,
        }
    }
}

/// What [`read_csv`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvStats {
    /// Data rows (the header row is not counted; blank lines are not rows).
    pub records: u64,
    /// Fields of the data rows, empty ones included.
    pub fields: u64,
    /// Rows whose field count differs from the first row's.
    pub malformed_rows: u64,
}

/// Rows reported one by one before the rest are only counted.
const MALFORMED_WARNING_CAP: u64 = 20;
/// Bytes of the first two rows held back while deciding about the header.
const HEADER_BUFFER_LIMIT: usize = 1 << 20;
/// Longest header name in bytes; a longer first field means the first row is data.
const MAX_HEADER_NAME: usize = 256;

/// Reads a CSV/TSV file and hands its non-empty fields to `sink`.
///
/// `sniffed` is the file's encoding (see [`crate::decode::sniff_encoding`]); UTF-8 files are
/// tokenised in place, others are decoded block by block. Malformed content produces warnings
/// (`MalformedCsv`, `HugeLine`, `DecodeErrors`) and reading goes on; only I/O errors stop it.
pub fn read_csv<R: Read>(
    reader: R,
    sniffed: Sniffed,
    options: &CsvOptions,
    sink: &mut dyn CellSink,
) -> Result<CsvStats, ReadError> {
    read_csv_blocks(reader, sniffed, options, sink, BLOCK_SIZE)
}

fn read_csv_blocks<R: Read>(
    reader: R,
    sniffed: Sniffed,
    options: &CsvOptions,
    sink: &mut dyn CellSink,
    block_size: usize,
) -> Result<CsvStats, ReadError> {
    let mut blocks = TextBlocks::new(reader, sniffed, block_size);
    let mut parser = Parser::new(options);
    while let Some(block) = blocks.next_block()? {
        parser.feed(block.text, block.map, sink);
        if block.last {
            parser.finish(sink);
        }
    }
    blocks.report(sniffed.encoding, sink);
    Ok(parser.stats)
}

/// Whether the first row of a table is a header, given its fields and those of the second row
/// (`None` when there is no second row).
///
/// The rule: the first row is a header when
/// 1. every field is non-empty (after trimming ASCII whitespace) and at most 256 bytes long,
/// 2. fewer than half of its fields look numeric (digits with `+ - . , / : ( )` or spaces),
/// 3. its fields are distinct, and
/// 4. there is a second row and at least one field differs in *shape* from the field below it.
///    Shapes are: empty, numeric, letters and digits mixed, ASCII text, other text (e.g. CJK).
///
/// A single-row table is not taken as a header, so its values are scanned as data. A table of
/// text columns only (e.g. `name,city` over `Zhang,Beijing`) is not recognised either; its
/// values are still delivered, only without column names.
pub fn is_header_row(first: &[&[u8]], second: Option<&[&[u8]]>) -> bool {
    let Some(second) = second else {
        return false;
    };
    header_candidate(first)
        && first.iter().enumerate().any(|(i, field)| {
            let below = second.get(i).copied().unwrap_or_default();
            shape(field.trim_ascii()) != shape(below.trim_ascii())
        })
}

/// Rules 1–3 of [`is_header_row`].
fn header_candidate(first: &[&[u8]]) -> bool {
    if first.is_empty() {
        return false;
    }
    let mut numeric = 0usize;
    for (i, field) in first.iter().enumerate() {
        let trimmed = field.trim_ascii();
        if trimmed.is_empty() || trimmed.len() > MAX_HEADER_NAME {
            return false;
        }
        if shape(trimmed) == Shape::Numeric {
            numeric += 1;
        }
        if first
            .iter()
            .take(i)
            .any(|other| other.trim_ascii() == trimmed)
        {
            return false;
        }
    }
    numeric * 2 < first.len()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Empty,
    Numeric,
    Mixed,
    AsciiText,
    OtherText,
}

fn shape(value: &[u8]) -> Shape {
    if value.is_empty() {
        return Shape::Empty;
    }
    let (mut digits, mut letters, mut non_ascii, mut other) = (false, false, false, false);
    for b in value {
        match b {
            b'0'..=b'9' => digits = true,
            b'a'..=b'z' | b'A'..=b'Z' => letters = true,
            0x80.. => non_ascii = true,
            b'+' | b'-' | b'.' | b',' | b'/' | b':' | b'(' | b')' | b' ' => {}
            _ => other = true,
        }
    }
    match (digits, letters || non_ascii || other) {
        (true, false) => Shape::Numeric,
        (true, true) => Shape::Mixed,
        (false, _) if non_ascii => Shape::OtherText,
        (false, _) => Shape::AsciiText,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (or of a record, when `record_started` is false).
    StartField,
    /// Inside an unquoted field, or after the closing quote of a quoted one.
    Unquoted,
    /// The next byte is the delimiter or a line end that closes the field.
    EndField,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: `"` makes an escaped quote, anything else
    /// closes the field.
    QuoteInQuoted,
    /// After a `\r` that ended a record: a following `\n` belongs to it.
    AfterCr,
}

/// A delivered piece of a field held back while the header is undecided.
#[derive(Debug)]
struct HeldCell {
    row: u64,
    field: usize,
    line: u64,
    column: u64,
    value: Vec<u8>,
    origin: Vec<u64>,
    /// Part of a field longer than the limit.
    piece: bool,
}

#[derive(Debug)]
enum Header {
    /// Rows 0 and 1 are held back.
    Undecided {
        held: Vec<HeldCell>,
        held_bytes: usize,
        /// Field count and first line of the complete rows held.
        row_fields: Vec<(usize, u64)>,
    },
    Decided(bool),
}

#[derive(Debug)]
struct Parser {
    delimiter: u8,
    has_header: Option<bool>,
    state: State,
    pos: LineCol,
    record_started: bool,
    /// Index of the current field in its row.
    field: usize,
    /// 0-based row of the file (blank lines excluded, header included).
    row: u64,
    row_line: u64,
    /// The current value (or piece of a long one).
    value: ValueBuf,
    field_is_huge: bool,
    /// Line, column and offset of the last quote met inside a quoted field.
    quote_mark: (u64, u64, u64),
    open_quote_line: u64,
    header: Header,
    expected_fields: Option<usize>,
    stats: CsvStats,
}

impl Parser {
    fn new(options: &CsvOptions) -> Self {
        Parser {
            delimiter: options.delimiter,
            has_header: options.has_header,
            state: State::StartField,
            pos: LineCol::default(),
            record_started: false,
            field: 0,
            row: 0,
            row_line: 1,
            value: ValueBuf::new(options.max_field_bytes.max(16)),
            field_is_huge: false,
            quote_mark: (1, 1, 0),
            open_quote_line: 1,
            header: if options.has_header == Some(false) {
                Header::Decided(false)
            } else {
                Header::Undecided {
                    held: Vec::new(),
                    held_bytes: 0,
                    row_fields: Vec::new(),
                }
            },
            expected_fields: None,
            stats: CsvStats::default(),
        }
    }

    fn feed(&mut self, text: &[u8], map: OffsetMap<'_>, sink: &mut dyn CellSink) {
        let len = text.len();
        let mut p = 0usize;
        while let Some(&b) = text.get(p) {
            match self.state {
                State::AfterCr => {
                    self.state = State::StartField;
                    if b == b'\n' {
                        self.pos.advance_byte(b);
                        p += 1;
                    }
                }
                State::StartField => {
                    if !self.record_started {
                        if b == b'\n' || b == b'\r' {
                            // Blank line.
                            self.pos.advance_byte(b);
                            p += 1;
                            if b == b'\r' {
                                self.state = State::AfterCr;
                            }
                            continue;
                        }
                        self.record_started = true;
                        self.row_line = self.pos.line;
                    }
                    if b == b'"' {
                        self.open_quote_line = self.pos.line;
                        self.pos.advance_byte(b);
                        p += 1;
                        self.state = State::Quoted;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
                State::Unquoted => {
                    let rest = text.get(p..).unwrap_or_default();
                    let n =
                        memchr::memchr3(self.delimiter, b'\n', b'\r', rest).unwrap_or(rest.len());
                    self.push_text(text, map, p, p + n, sink);
                    p += n;
                    if p < len {
                        self.state = State::EndField;
                    }
                }
                State::EndField => {
                    self.pos.advance_byte(b);
                    p += 1;
                    self.end_field(sink);
                    if b == self.delimiter {
                        self.state = State::StartField;
                    } else {
                        self.end_record(sink);
                        self.state = if b == b'\r' {
                            State::AfterCr
                        } else {
                            State::StartField
                        };
                    }
                }
                State::Quoted => {
                    let rest = text.get(p..).unwrap_or_default();
                    let n = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                    self.push_text(text, map, p, p + n, sink);
                    p += n;
                    if p < len {
                        self.quote_mark = (self.pos.line, self.pos.col + 1, map.offset(p));
                        self.pos.advance_byte(b'"');
                        p += 1;
                        self.state = State::QuoteInQuoted;
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        self.pos.advance_byte(b);
                        p += 1;
                        self.push_escaped_quote(map.offset(p), sink);
                        self.state = State::Quoted;
                    } else {
                        self.state = State::Unquoted;
                    }
                }
            }
        }
    }

    /// End of file (`end` is the length of the last block's text).
    fn finish(&mut self, sink: &mut dyn CellSink) {
        match self.state {
            State::Quoted => {
                sink.warning(
                    WarningReason::MalformedCsv,
                    Some(self.open_quote_line),
                    format!(
                        "unterminated quoted field starting at line {}: the rest of the file was read as one field; check the quoting",
                        self.open_quote_line
                    ),
                );
                self.end_field(sink);
                self.end_record(sink);
            }
            State::QuoteInQuoted | State::Unquoted | State::EndField => {
                self.end_field(sink);
                self.end_record(sink);
            }
            State::StartField => {
                if self.record_started {
                    self.end_field(sink);
                    self.end_record(sink);
                }
            }
            State::AfterCr => {}
        }
        self.state = State::StartField;
        if matches!(self.header, Header::Undecided { .. }) {
            self.decide(None, sink);
        }
        if self.stats.malformed_rows > MALFORMED_WARNING_CAP {
            sink.warning(
                WarningReason::MalformedCsv,
                None,
                format!(
                    "{} more rows had a different number of fields than the first row; their values were still scanned",
                    self.stats.malformed_rows - MALFORMED_WARNING_CAP
                ),
            );
        }
    }

    /// Appends `text[a..b]` to the current value, delivering pieces when it grows too large.
    fn push_text(
        &mut self,
        text: &[u8],
        map: OffsetMap<'_>,
        mut a: usize,
        b: usize,
        sink: &mut dyn CellSink,
    ) {
        while a < b {
            a = self.value.push_text(text, map, a, b, &mut self.pos);
            if self.value.is_full() {
                self.emit_piece(sink);
            }
        }
    }

    /// Appends the `"` of an escaped `""` whose first quote is `self.quote_mark`; `end` is the
    /// offset just after the second quote.
    fn push_escaped_quote(&mut self, end: u64, sink: &mut dyn CellSink) {
        let (line, col, offset) = self.quote_mark;
        self.value.push_mapped(b"\"", line, col, offset, end);
        if self.value.is_full() {
            self.emit_piece(sink);
        }
    }

    /// Delivers the full buffer but an incomplete trailing character as one piece.
    fn emit_piece(&mut self, sink: &mut dyn CellSink) {
        let cut = self.value.piece_len();
        if !self.field_is_huge {
            self.field_is_huge = true;
            sink.warning(
                WarningReason::HugeLine,
                Some(self.value.line),
                format!(
                    "field {} of the row at line {} is longer than {} bytes; it was scanned in pieces",
                    self.field + 1,
                    self.row_line,
                    self.value.max()
                ),
            );
        }
        let value = std::mem::take(&mut self.value.bytes);
        let origin = std::mem::take(&mut self.value.origin);
        self.deliver(
            value.get(..cut).unwrap_or_default(),
            origin.get(..=cut).unwrap_or_default(),
            true,
            sink,
        );
        self.value.bytes = value;
        self.value.origin = origin;
        self.value.consume(cut, &self.pos);
    }

    fn end_field(&mut self, sink: &mut dyn CellSink) {
        if !self.value.bytes.is_empty() {
            let value = std::mem::take(&mut self.value.bytes);
            let origin = std::mem::take(&mut self.value.origin);
            let piece = self.field_is_huge;
            self.deliver(&value, &origin, piece, sink);
            self.value.bytes = value;
            self.value.origin = origin;
        }
        self.value.clear();
        self.field_is_huge = false;
        self.field = self.field.saturating_add(1);
    }

    fn end_record(&mut self, sink: &mut dyn CellSink) {
        let fields = self.field;
        let row = self.row;
        self.field = 0;
        self.record_started = false;
        self.row = self.row.saturating_add(1);
        match &mut self.header {
            Header::Undecided { row_fields, .. } => {
                row_fields.push((fields, self.row_line));
                if row == 0 {
                    if self.has_header == Some(true) {
                        self.decide(Some(true), sink);
                    } else if !self.first_row_plausible() {
                        self.decide(Some(false), sink);
                    }
                } else {
                    self.decide(None, sink);
                }
            }
            Header::Decided(_) => self.count_row(fields, row, self.row_line, sink),
        }
    }

    /// Counts a data row and checks its width.
    fn count_row(&mut self, fields: usize, row: u64, line: u64, sink: &mut dyn CellSink) {
        let is_header = matches!(self.header, Header::Decided(true)) && row == 0;
        match self.expected_fields {
            None => self.expected_fields = Some(fields),
            Some(expected) if expected != fields => {
                self.stats.malformed_rows += 1;
                if self.stats.malformed_rows <= MALFORMED_WARNING_CAP {
                    sink.warning(
                        WarningReason::MalformedCsv,
                        Some(line),
                        format!(
                            "the row at line {line} has {fields} fields where the first row has {expected}; its values were still scanned"
                        ),
                    );
                }
            }
            Some(_) => {}
        }
        if !is_header {
            self.stats.records += 1;
            self.stats.fields += fields as u64;
        }
    }

    /// Whether row 0, complete and held, can still be a header (rules 1–3 of [`is_header_row`]).
    fn first_row_plausible(&self) -> bool {
        let Header::Undecided {
            held, row_fields, ..
        } = &self.header
        else {
            return false;
        };
        if held.iter().any(|c| c.row == 0 && c.piece) {
            return false;
        }
        let len = row_fields.first().map_or(0, |r| r.0);
        header_candidate(&row_values(held, 0, len))
    }

    /// Settles the header question (`forced`, or by [`is_header_row`] on the held rows) and
    /// delivers what was held.
    fn decide(&mut self, forced: Option<bool>, sink: &mut dyn CellSink) {
        let header = std::mem::replace(&mut self.header, Header::Decided(false));
        let Header::Undecided {
            held, row_fields, ..
        } = header
        else {
            self.header = header;
            return;
        };
        let first_len = row_fields.first().map(|r| r.0).unwrap_or_else(|| {
            held.iter()
                .filter(|c| c.row == 0)
                .map(|c| c.field + 1)
                .max()
                .unwrap_or(0)
        });
        let is_header = match forced {
            Some(h) => h,
            None => {
                if held.iter().any(|c| c.row == 0 && c.piece) {
                    false
                } else {
                    let first = row_values(&held, 0, first_len);
                    let second_len = row_fields.get(1).map(|r| r.0).unwrap_or_else(|| {
                        held.iter()
                            .filter(|c| c.row == 1)
                            .map(|c| c.field + 1)
                            .max()
                            .unwrap_or(0)
                    });
                    let has_second = row_fields.len() > 1 || held.iter().any(|c| c.row == 1);
                    let second = row_values(&held, 1, second_len);
                    is_header_row(&first, has_second.then_some(second.as_slice()))
                }
            }
        };
        self.header = Header::Decided(is_header);
        if is_header {
            let names: Vec<String> = row_values(&held, 0, first_len)
                .iter()
                .map(|v| {
                    let v = v.trim_ascii();
                    String::from_utf8_lossy(v.get(..MAX_HEADER_NAME * 4).unwrap_or(v)).into_owned()
                })
                .collect();
            sink.header(None, &names);
        }
        for (row, (fields, line)) in row_fields.iter().enumerate() {
            self.count_row(*fields, row as u64, *line, sink);
        }
        for cell in &held {
            if is_header && cell.row == 0 {
                continue;
            }
            emit(
                sink,
                cell.field,
                cell.row - u64::from(is_header),
                cell.line,
                cell.column,
                &cell.value,
                &cell.origin,
            );
        }
    }

    /// Hands a value (or piece) on, or holds it while the header is undecided.
    fn deliver(&mut self, value: &[u8], origin: &[u64], piece: bool, sink: &mut dyn CellSink) {
        if value.is_empty() {
            return;
        }
        if matches!(self.header, Header::Undecided { .. })
            && piece
            && self.row == 0
            && self.has_header != Some(true)
        {
            // A first row with a field this long is data.
            self.decide(Some(false), sink);
        }
        if let Header::Undecided {
            held, held_bytes, ..
        } = &mut self.header
        {
            held.push(HeldCell {
                row: self.row,
                field: self.field,
                line: self.value.line,
                column: self.value.col,
                value: value.to_vec(),
                origin: origin.to_vec(),
                piece,
            });
            *held_bytes = held_bytes.saturating_add(value.len());
            if *held_bytes > HEADER_BUFFER_LIMIT {
                let forced = self.has_header;
                self.decide(forced, sink);
            }
            return;
        }
        match self.header {
            Header::Decided(true) if self.row == 0 => {} // Part of the header row.
            Header::Decided(is_header) => emit(
                sink,
                self.field,
                self.row - u64::from(is_header),
                self.value.line,
                self.value.col,
                value,
                origin,
            ),
            Header::Undecided { .. } => {}
        }
    }
}

/// The fields `0..len` of held row `row` (missing ones empty, pieces cut).
fn row_values(held: &[HeldCell], row: u64, len: usize) -> Vec<&[u8]> {
    let mut values: Vec<&[u8]> = vec![&[]; len];
    for cell in held.iter().filter(|c| c.row == row) {
        if let Some(slot) = values.get_mut(cell.field)
            && slot.is_empty()
        {
            *slot = &cell.value;
        }
    }
    values
}

fn emit(
    sink: &mut dyn CellSink,
    field: usize,
    record: u64,
    line: u64,
    column: u64,
    value: &[u8],
    origin: &[u64],
) {
    sink.cell(&Cell {
        field: Field::Index(u32::try_from(field).unwrap_or(u32::MAX)),
        record,
        line,
        column,
        value,
        origin,
        sheet: None,
        cell_ref: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::Recorder;
    use crate::decode::{TextEncoding, sniff_encoding};
    use proptest::prelude::*;

    fn run(data: &[u8], options: &CsvOptions, block: usize) -> (Recorder, CsvStats) {
        let mut sink = Recorder::default();
        let sniffed = sniff_encoding(data);
        let stats = read_csv_blocks(data, sniffed, options, &mut sink, block).unwrap();
        (sink, stats)
    }

    /// Checks every cell's origin against the original bytes of a UTF-8 file.
    fn check_utf8_origins(data: &[u8], sink: &Recorder) {
        for cell in &sink.cells {
            let start = cell.origin[0] as usize;
            let end = *cell.origin.last().unwrap() as usize;
            let raw = &data[start..end];
            // The raw span is the value, with doubled quotes.
            let unescaped = String::from_utf8_lossy(raw).replace("\"\"", "\"");
            assert_eq!(unescaped, cell.value, "origin span of {:?}", cell.value);
            // Line and column point at the first character.
            let before = &data[..start];
            let line = 1 + before.iter().filter(|b| **b == b'\n').count() as u64;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let col = 1 + String::from_utf8_lossy(&data[line_start..start])
                .chars()
                .count() as u64;
            assert_eq!((cell.line, cell.column), (line, col), "{:?}", cell.value);
        }
    }

    #[test]
    fn header_rule() {
        let h: Vec<&[u8]> = vec![b"name", "手机号".as_bytes(), b"id"];
        let d: Vec<&[u8]> = vec![b"Zhang San", b"13800000000", b"110101199001010000"];
        assert!(is_header_row(&h, Some(&d)));
        assert!(!is_header_row(&h, None));
        assert!(!is_header_row(&d, Some(&d)));
        let dup: Vec<&[u8]> = vec![b"a", b"a"];
        assert!(!is_header_row(&dup, Some(&d)));
        let numeric: Vec<&[u8]> = vec![b"2021", b"name"];
        assert!(!is_header_row(&numeric, Some(&d)));
        let empty: Vec<&[u8]> = vec![b"name", b""];
        assert!(!is_header_row(&empty, Some(&d)));
        let text: Vec<&[u8]> = vec![b"name", b"city"];
        let text2: Vec<&[u8]> = vec![b"Zhang", b"Beijing"];
        assert!(!is_header_row(&text, Some(&text2)));
    }

    #[test]
    fn header_and_cells() {
        let data = "姓名,手机号,备注\n张三,13800000000,\n李四,13900000000,vip\n";
        let (sink, stats) = run(data.as_bytes(), &CsvOptions::default(), 7);
        assert_eq!(
            sink.headers,
            vec![(
                None,
                vec!["姓名".to_owned(), "手机号".into(), "备注".into()]
            )]
        );
        assert_eq!(
            sink.values(),
            vec!["张三", "13800000000", "李四", "13900000000", "vip"]
        );
        let c = &sink.cells[3];
        assert_eq!((c.index, c.record, c.line, c.column), (Some(1), 1, 3, 4));
        assert_eq!(
            stats,
            CsvStats {
                records: 2,
                fields: 6,
                malformed_rows: 0
            }
        );
        check_utf8_origins(data.as_bytes(), &sink);
    }

    #[test]
    fn headerless_and_forced() {
        let data = b"13800000000,a1\n13900000000,b2\n";
        let (sink, stats) = run(data, &CsvOptions::default(), 1 << 20);
        assert!(sink.headers.is_empty());
        assert_eq!(sink.cells.len(), 4);
        assert_eq!(sink.cells[2].record, 1);
        assert_eq!(stats.records, 2);
        let options = CsvOptions {
            has_header: Some(true),
            ..CsvOptions::default()
        };
        let (sink, stats) = run(data, &options, 3);
        assert_eq!(sink.headers.len(), 1);
        assert_eq!(sink.values(), vec!["13900000000", "b2"]);
        assert_eq!(sink.cells[0].record, 0);
        assert_eq!(stats.records, 1);
        let options = CsvOptions {
            has_header: Some(false),
            ..CsvOptions::default()
        };
        let (sink, _) = run(b"name,phone\nZhang,138\n", &options, 3);
        assert!(sink.headers.is_empty());
        assert_eq!(sink.cells.len(), 4);
    }

    #[test]
    fn quoted_multiline_and_escaped_quotes() {
        let data = "name,address,note\r\n\"Wang \"\"Xiao\"\" Er\",\"Line 1\r\nLine 2\",\"\"\"q\"\"\"\r\nLi,\"a,b\",x\r\n";
        for block in [1, 2, 5, 1 << 20] {
            let (sink, stats) = run(data.as_bytes(), &CsvOptions::default(), block);
            assert_eq!(
                sink.values(),
                vec![
                    "Wang \"Xiao\" Er",
                    "Line 1\r\nLine 2",
                    "\"q\"",
                    "Li",
                    "a,b",
                    "x"
                ],
                "block {block}"
            );
            assert_eq!(stats.records, 2);
            assert_eq!(stats.malformed_rows, 0);
            assert!(sink.warnings.is_empty());
            check_utf8_origins(data.as_bytes(), &sink);
            let c = &sink.cells[0];
            assert_eq!((c.line, c.column), (2, 2));
            // The escaped quote maps to its first quote.
            assert_eq!(c.origin[5], data.find("\"\"Xiao").unwrap() as u64);
            assert_eq!(sink.cells[3].line, 4);
        }
    }

    #[test]
    fn malformed_rows_and_unterminated_quote() {
        let mut data = String::from("a,b,c\n1,2,3\n4,5\n6,7,8,9\n");
        for _ in 0..30 {
            data.push_str("x\n");
        }
        data.push_str("\"open,quote\nmore");
        let (sink, stats) = run(data.as_bytes(), &CsvOptions::default(), 4);
        assert_eq!(stats.malformed_rows, 33);
        let csv_warnings = sink
            .warnings
            .iter()
            .filter(|w| w.0 == WarningReason::MalformedCsv)
            .count();
        assert_eq!(csv_warnings, 20 + 1 + 1);
        assert!(
            sink.warnings
                .iter()
                .any(|w| w.2.contains("unterminated") && w.1 == Some(35))
        );
        assert!(sink.values().contains(&"open,quote\nmore"));
        assert!(sink.values().contains(&"9"));
        for w in &sink.warnings {
            assert!(!w.2.contains("open") && !w.2.contains("quote\n"));
        }
        check_utf8_origins(data.as_bytes(), &sink);
    }

    #[test]
    fn huge_field_in_pieces() {
        let long = "张".repeat(40);
        let data = format!("id,text\n1,{long}\n2,short\n");
        let options = CsvOptions {
            max_field_bytes: 16,
            ..CsvOptions::default()
        };
        let (sink, _) = run(data.as_bytes(), &options, 5);
        let pieces: Vec<&str> = sink
            .cells
            .iter()
            .filter(|c| c.index == Some(1) && c.record == 0)
            .map(|c| c.value.as_str())
            .collect();
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| p.len() <= 16));
        assert_eq!(pieces.concat(), long);
        assert_eq!(
            sink.reasons()
                .iter()
                .filter(|r| **r == WarningReason::HugeLine)
                .count(),
            1
        );
        check_utf8_origins(data.as_bytes(), &sink);
    }

    #[test]
    fn gbk_file_offsets_match_original_bytes() {
        let text = "姓名,手机号码,地址\r\n张三,13800000000,\"北京市朝阳区某某路1号\"\r\n李四,13900000000,上海市\r\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let bytes = bytes.into_owned();
        let sniffed = sniff_encoding(&bytes);
        assert_eq!(sniffed.encoding, TextEncoding::Gb18030);
        for block in [1, 3, 16, 1 << 20] {
            let mut sink = Recorder::default();
            let stats = read_csv_blocks(
                &bytes[..],
                sniffed,
                &CsvOptions::default(),
                &mut sink,
                block,
            )
            .unwrap();
            assert_eq!(stats.records, 2);
            assert_eq!(sink.headers[0].1, vec!["姓名", "手机号码", "地址"]);
            for cell in &sink.cells {
                let start = cell.origin[0] as usize;
                let end = *cell.origin.last().unwrap() as usize;
                let (decoded, _, errors) = encoding_rs::GB18030.decode(&bytes[start..end]);
                assert!(!errors);
                assert_eq!(decoded, cell.value);
                // Every byte of a character maps to the character's first original byte.
                let mut pos = 0;
                let mut orig = start as u64;
                for ch in cell.value.chars() {
                    for i in 0..ch.len_utf8() {
                        assert_eq!(cell.origin[pos + i], orig);
                    }
                    pos += ch.len_utf8();
                    orig += if ch.is_ascii() { 1 } else { 2 };
                }
            }
            let addr = &sink.cells[2];
            assert_eq!(addr.value, "北京市朝阳区某某路1号");
            assert_eq!((addr.line, addr.column), (2, 17));
        }
    }

    #[test]
    fn tsv_bom_blank_lines_and_no_trailing_newline() {
        let data = "\u{FEFF}name\tphone\n\nZhang\t138\n\n\nLi\t139";
        let options = CsvOptions {
            delimiter: b'\t',
            ..CsvOptions::default()
        };
        let (sink, stats) = run(data.as_bytes(), &options, 2);
        assert_eq!(sink.headers[0].1, vec!["name", "phone"]);
        assert_eq!(sink.values(), vec!["Zhang", "138", "Li", "139"]);
        assert_eq!(stats.records, 2);
        assert_eq!(sink.cells[2].line, 6);
        check_utf8_origins(data.as_bytes(), &sink);
    }

    #[test]
    fn empty_file_and_decode_errors() {
        let (sink, stats) = run(b"", &CsvOptions::default(), 16);
        assert!(sink.cells.is_empty());
        assert_eq!(sink.reasons(), vec![WarningReason::Empty]);
        assert_eq!(stats, CsvStats::default());

        let mut bytes = encoding_rs::GB18030
            .encode("姓名,电话\n张三,")
            .0
            .into_owned();
        bytes.extend_from_slice(&[0xFF, b'1', b'\n']);
        let sniffed = Sniffed {
            encoding: TextEncoding::Gb18030,
            bom_len: 0,
        };
        let mut sink = Recorder::default();
        read_csv_blocks(&bytes[..], sniffed, &CsvOptions::default(), &mut sink, 4).unwrap();
        assert_eq!(sink.reasons(), vec![WarningReason::DecodeErrors]);
        let bad = sink.cells.last().unwrap();
        assert_eq!(bad.value, "\u{FFFD}1");
        assert_eq!(
            bad.origin,
            vec![bytes.len() as u64 - 3; 3]
                .into_iter()
                .chain([bytes.len() as u64 - 2, bytes.len() as u64 - 1])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn public_reader_on_a_file() {
        use std::io::Write;
        let (bytes, _, _) = encoding_rs::GBK.encode("客户,证件号\n王五,11010119900101000X\n");
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&bytes).unwrap();
        let sniffed = sniff_encoding(&bytes);
        let mut sink = Recorder::default();
        let reader = std::fs::File::open(file.path()).unwrap();
        let stats = read_csv(reader, sniffed, &CsvOptions::default(), &mut sink).unwrap();
        assert_eq!(stats.records, 1);
        assert_eq!(sink.values(), vec!["王五", "11010119900101000X"]);
        assert_eq!(sink.cells[1].origin[0], 17);
    }

    proptest! {
        #[test]
        fn never_panics_and_origins_are_sane(data in prop::collection::vec(any::<u8>(), 0..300), block in 1usize..64) {
            let options = CsvOptions { max_field_bytes: 16, ..CsvOptions::default() };
            let mut sink = Recorder::default();
            let sniffed = sniff_encoding(&data);
            read_csv_blocks(&data[..], sniffed, &options, &mut sink, block).unwrap();
            for cell in &sink.cells {
                prop_assert!(*cell.origin.last().unwrap() <= data.len() as u64);
            }
        }

        #[test]
        fn block_size_does_not_matter(data in "[a\"\r\n,张 ]{0,80}", block in 1usize..16, max in 4usize..40) {
            let options = CsvOptions { max_field_bytes: max, ..CsvOptions::default() };
            let (a, sa) = run(data.as_bytes(), &options, block);
            let (b, sb) = run(data.as_bytes(), &options, 1 << 20);
            prop_assert_eq!(&a.cells, &b.cells);
            prop_assert_eq!(&a.headers, &b.headers);
            prop_assert_eq!(&a.warnings, &b.warnings);
            prop_assert_eq!(sa, sb);
            for cell in &a.cells {
                prop_assert_eq!(cell.origin.len(), cell.value.len() + 1);
                for (i, byte) in cell.value.bytes().enumerate() {
                    // UTF-8 files map every value byte to itself (an escaped quote to the
                    // first quote of its pair).
                    prop_assert_eq!(data.as_bytes()[cell.origin[i] as usize], byte);
                }
            }
        }

        #[test]
        fn gb18030_and_utf16_blocks(data in "[a1\"\r\n,张€😀 ]{0,60}", block in 1usize..12, utf16 in any::<bool>()) {
            let (bytes, encoding) = if utf16 {
                (data.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(), TextEncoding::Utf16Le)
            } else {
                (encoding_rs::GB18030.encode(&data).0.into_owned(), TextEncoding::Gb18030)
            };
            let sniffed = Sniffed { encoding, bom_len: 0 };
            let options = CsvOptions { has_header: Some(false), max_field_bytes: 16, ..CsvOptions::default() };
            let mut a = Recorder::default();
            read_csv_blocks(&bytes[..], sniffed, &options, &mut a, block).unwrap();
            let mut b = Recorder::default();
            read_csv_blocks(&bytes[..], sniffed, &options, &mut b, 1 << 20).unwrap();
            prop_assert_eq!(&a.cells, &b.cells);
            for cell in &a.cells {
                let start = cell.origin[0] as usize;
                let end = *cell.origin.last().unwrap() as usize;
                let raw = &bytes[start..end];
                let decoded = if utf16 {
                    String::from_utf16_lossy(&raw.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<u16>>())
                } else {
                    encoding_rs::GB18030.decode_without_bom_handling(raw).0.into_owned()
                };
                // Quotes aside (text after a closing quote joins the field), the span decodes to the value.
                prop_assert_eq!(decoded.replace('"', ""), cell.value.replace('"', ""));
            }
        }

        #[test]
        fn csv_like_text_roundtrips(rows in prop::collection::vec(prop::collection::vec("[a-z张\",\n ]{0,6}", 1..4), 1..5), block in 1usize..32) {
            let mut data = String::new();
            for row in &rows {
                let fields: Vec<String> = row.iter().map(|f| format!("\"{}\"", f.replace('"', "\"\""))).collect();
                data.push_str(&fields.join(","));
                data.push('\n');
            }
            let options = CsvOptions { has_header: Some(false), ..CsvOptions::default() };
            let (sink, _) = run(data.as_bytes(), &options, block);
            let want: Vec<&str> = rows.iter().flatten().map(String::as_str).filter(|s| !s.is_empty()).collect();
            prop_assert_eq!(sink.values(), want);
            check_utf8_origins(data.as_bytes(), &sink);
        }
    }
}
