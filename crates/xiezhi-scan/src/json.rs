//! Streaming JSON and NDJSON reader with exact spans, written by hand (serde_json reports no
//! positions). Every string and number scalar becomes a cell whose field is the key path with
//! array indices folded (`users[].idcard`, `[].phone`, `a.b.c`; keys with `.`, `[`, `]`, `"` or
//! no characters are written `["a.b"]`). Object keys are part of the path, not cells; `true`,
//! `false` and `null` are not cells.
//!
//! The reader is a byte-level state machine fed block by block, so memory is bounded by the
//! nesting limit ([`JsonOptions::max_depth`]; deeper subtrees are skipped with a warning), the
//! key-length cap in paths (1 KiB per key) and the longest value held at once (16 MiB; longer
//! values are delivered in pieces with a `HugeLine` warning).
//!
//! Invalid input: in NDJSON the line is reported (`MalformedJson`) and skipped; in a single
//! document reading stops and [`JsonStats::malformed_at`] tells the caller where, so that the
//! rest can be scanned as text. The reader never panics, whatever the bytes.

use std::io::Read;

use xiezhi_model::WarningReason;

use crate::cells::{Cell, CellSink, Field};
use crate::decode::{BLOCK_SIZE, LineCol, OffsetMap, ReadError, Sniffed, TextBlocks};
use crate::value_buf::ValueBuf;

/// How to read a JSON file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonOptions {
    /// One JSON value per line (NDJSON, JSON Lines).
    pub ndjson: bool,
    /// Deepest nesting of objects and arrays read; deeper subtrees are skipped with a warning.
    pub max_depth: usize,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            ndjson: false,
            max_depth: 128,
        }
    }
}

/// What [`read_json`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonStats {
    /// Records: NDJSON values, elements of a top-level array, or other top-level values.
    pub records: u64,
    /// Cells delivered (pieces of huge values count one each).
    pub cells: u64,
    /// NDJSON lines that were not valid JSON.
    pub malformed_lines: u64,
    /// For a single document that is not valid JSON: the file offset where parsing failed (the
    /// end of the file when it is truncated). The caller may scan the rest as text.
    pub malformed_at: Option<u64>,
}

/// Longest value delivered in one piece.
const MAX_VALUE_BYTES: usize = 16 << 20;
/// Longest key kept in a path.
const MAX_KEY_BYTES: usize = 1024;
/// Warnings of one kind reported one by one before the rest are only counted.
const WARNING_CAP: u64 = 20;

/// Reads a JSON document or an NDJSON file and hands every string and number to `sink`.
///
/// `sniffed` is the file's encoding (see [`crate::decode::sniff_encoding`]). Only I/O errors are
/// errors; invalid JSON is reported through `sink` and in the returned [`JsonStats`].
pub fn read_json<R: Read>(
    reader: R,
    sniffed: Sniffed,
    options: &JsonOptions,
    sink: &mut dyn CellSink,
) -> Result<JsonStats, ReadError> {
    read_json_blocks(reader, sniffed, options, sink, BLOCK_SIZE, MAX_VALUE_BYTES)
}

fn read_json_blocks<R: Read>(
    reader: R,
    sniffed: Sniffed,
    options: &JsonOptions,
    sink: &mut dyn CellSink,
    block_size: usize,
    max_value: usize,
) -> Result<JsonStats, ReadError> {
    let mut blocks = TextBlocks::new(reader, sniffed, block_size);
    let mut parser = Parser::new(options, max_value);
    while let Some(block) = blocks.next_block()? {
        parser.feed(block.text, block.map, sink);
        if block.last {
            parser.finish(block.map.offset(block.text.len()), sink);
        }
        if parser.lex == Lex::Failed {
            break;
        }
    }
    blocks.report(sniffed.encoding, sink);
    Ok(parser.stats)
}

/// Number of NDJSON values in `text` (whole lines only: anything after the last `\n` is
/// ignored), or `None` when a line is not exactly one valid JSON value.
pub(crate) fn ndjson_values(text: &[u8]) -> Option<u64> {
    let end = memchr::memrchr(b'\n', text)?;
    let lines = text.get(..=end)?;
    let options = JsonOptions {
        ndjson: true,
        max_depth: 64,
    };
    let mut parser = Parser::new(&options, MAX_VALUE_BYTES);
    let mut sink = NullSink;
    parser.feed(lines, OffsetMap::Identity(0), &mut sink);
    (parser.stats.malformed_lines == 0).then_some(parser.stats.records)
}

/// Whether `text` is the beginning of valid JSON (a value may be cut off at the end).
pub(crate) fn is_json_prefix(text: &[u8]) -> bool {
    let mut parser = Parser::new(&JsonOptions::default(), MAX_VALUE_BYTES);
    let mut sink = NullSink;
    parser.feed(text, OffsetMap::Identity(0), &mut sink);
    parser.lex != Lex::Failed && parser.started
}

#[derive(Debug, Default)]
struct NullSink;

impl CellSink for NullSink {
    fn header(&mut self, _: Option<&str>, _: &[String]) {}
    fn cell(&mut self, _: &Cell<'_>) {}
    fn warning(&mut self, _: WarningReason, _: Option<u64>, _: String) {}
}

/// What the grammar expects next (outside tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (top level, after `:` or after `,` in an array).
    Value,
    /// After `[`: a value or `]`.
    ValueOrEnd,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in an object.
    Key,
    /// After a key.
    Colon,
    /// After a value inside a container.
    CommaOrEnd,
    /// After a complete top-level value.
    TopAfter,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    array: bool,
    /// Path length before this container's own part.
    base_len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    Start,
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

impl Num {
    fn next(self, b: u8) -> Option<Num> {
        Some(match (self, b) {
            (Num::Start, b'-') => Num::Minus,
            (Num::Start | Num::Minus, b'0') => Num::Zero,
            (Num::Start | Num::Minus, b'1'..=b'9') => Num::Int,
            (Num::Int, b'0'..=b'9') => Num::Int,
            (Num::Zero | Num::Int, b'.') => Num::Dot,
            (Num::Dot | Num::Frac, b'0'..=b'9') => Num::Frac,
            (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Num::Exp,
            (Num::Exp, b'+' | b'-') => Num::ExpSign,
            (Num::Exp | Num::ExpSign | Num::ExpDigits, b'0'..=b'9') => Num::ExpDigits,
            _ => return None,
        })
    }

    fn complete(self) -> bool {
        matches!(self, Num::Zero | Num::Int | Num::Frac | Num::ExpDigits)
    }
}

/// Where an escape sequence started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mark {
    offset: u64,
    line: u64,
    col: u64,
}

/// Token-level state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    Between,
    Str {
        key: bool,
    },
    /// After `\`.
    Esc {
        key: bool,
    },
    /// Inside `\uXXXX`.
    Hex {
        key: bool,
        digits: u8,
        acc: u32,
    },
    /// After a high surrogate escape: expecting `\`.
    AfterHigh {
        key: bool,
    },
    /// After a high surrogate escape and `\`: expecting `u`.
    AfterHighEsc {
        key: bool,
    },
    Number(Num),
    Literal {
        word: &'static [u8],
        matched: usize,
    },
    /// NDJSON: skipping the rest of a bad line.
    SkipLine,
    /// Single document: invalid, reading stopped.
    Failed,
}

impl Lex {
    /// Just after `\u`.
    fn hex_start(key: bool) -> Lex {
        Lex::Hex {
            key,
            digits: 0,
            acc: 0,
        }
    }
}

#[derive(Debug)]
struct Parser {
    ndjson: bool,
    max_depth: usize,
    lex: Lex,
    expect: Expect,
    stack: Vec<Frame>,
    /// Nesting depth inside a skipped (too deep) subtree; 0 when not skipping.
    skip_depth: usize,
    path: String,
    key: Vec<u8>,
    /// The current scalar (or piece of a long one).
    value: ValueBuf,
    value_is_huge: bool,
    pos: LineCol,
    esc: Mark,
    high: Option<(u32, Mark)>,
    record: u64,
    next_record: u64,
    top_is_array: bool,
    started: bool,
    depth_warnings: u64,
    huge_warnings: u64,
    stats: JsonStats,
}

impl Parser {
    fn new(options: &JsonOptions, max_value: usize) -> Self {
        Parser {
            ndjson: options.ndjson,
            max_depth: options.max_depth,
            lex: Lex::Between,
            expect: Expect::Value,
            stack: Vec::new(),
            skip_depth: 0,
            path: String::new(),
            key: Vec::new(),
            value: ValueBuf::new(max_value.max(16)),
            value_is_huge: false,
            pos: LineCol::default(),
            esc: Mark::default(),
            high: None,
            record: 0,
            next_record: 0,
            top_is_array: false,
            started: false,
            depth_warnings: 0,
            huge_warnings: 0,
            stats: JsonStats::default(),
        }
    }

    fn mark(&self, map: OffsetMap<'_>, p: usize) -> Mark {
        Mark {
            offset: map.offset(p),
            line: self.pos.line,
            col: self.pos.col + 1,
        }
    }

    fn feed(&mut self, text: &[u8], map: OffsetMap<'_>, sink: &mut dyn CellSink) {
        let len = text.len();
        let mut p = 0usize;
        while let Some(&b) = text.get(p) {
            match self.lex {
                Lex::Failed => return,
                Lex::SkipLine => {
                    let rest = text.get(p..).unwrap_or_default();
                    match memchr::memchr(b'\n', rest) {
                        Some(i) => {
                            self.pos.advance(rest.get(..i).unwrap_or_default());
                            p += i;
                            self.lex = Lex::Between;
                        }
                        None => {
                            self.pos.advance(rest);
                            p = len;
                        }
                    }
                }
                Lex::Between => p = self.between(b, p, map, sink),
                Lex::Str { key } => {
                    let rest = text.get(p..).unwrap_or_default();
                    let n = if self.ndjson {
                        memchr::memchr3(b'"', b'\\', b'\n', rest)
                    } else {
                        memchr::memchr2(b'"', b'\\', rest)
                    }
                    .unwrap_or(rest.len());
                    self.push_raw(text, map, p, p + n, key, sink);
                    p += n;
                    match text.get(p) {
                        Some(b'"') => {
                            self.pos.advance_byte(b'"');
                            p += 1;
                            self.end_string(key, sink);
                        }
                        Some(b'\\') => {
                            self.esc = self.mark(map, p);
                            self.pos.advance_byte(b'\\');
                            p += 1;
                            self.lex = Lex::Esc { key };
                        }
                        Some(_) => self.error(p, map, "the line ends inside a string", sink),
                        None => {}
                    }
                }
                Lex::Esc { key } => {
                    let produced: Option<u8> = match b {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(0x08),
                        b'f' => Some(0x0C),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        _ => None,
                    };
                    if let Some(c) = produced {
                        self.pos.advance_byte(b);
                        p += 1;
                        let mark = self.esc;
                        self.push_escaped(&[c], mark, map.offset(p), key, sink);
                        self.lex = Lex::Str { key };
                    } else if b == b'u' {
                        self.pos.advance_byte(b);
                        p += 1;
                        self.lex = Lex::hex_start(key);
                    } else {
                        self.error(p, map, "invalid escape sequence in a string", sink);
                    }
                }
                Lex::Hex { key, digits, acc } => {
                    let Some(digit) = (b as char).to_digit(16) else {
                        self.error(p, map, "invalid \\u escape in a string", sink);
                        continue;
                    };
                    self.pos.advance_byte(b);
                    p += 1;
                    let acc = acc * 16 + digit;
                    if digits + 1 < 4 {
                        self.lex = Lex::Hex {
                            key,
                            digits: digits + 1,
                            acc,
                        };
                    } else {
                        self.code_unit(acc, key, map.offset(p), sink);
                    }
                }
                Lex::AfterHigh { key } => {
                    if b == b'\\' {
                        self.esc = self.mark(map, p);
                        self.pos.advance_byte(b);
                        p += 1;
                        self.lex = Lex::AfterHighEsc { key };
                    } else {
                        self.lone_high(map.offset(p), key, sink);
                        self.lex = Lex::Str { key };
                    }
                }
                Lex::AfterHighEsc { key } => {
                    if b == b'u' {
                        self.pos.advance_byte(b);
                        p += 1;
                        self.lex = Lex::hex_start(key);
                    } else {
                        let second = self.esc;
                        self.lone_high(second.offset, key, sink);
                        self.esc = second;
                        self.lex = Lex::Esc { key };
                    }
                }
                Lex::Number(mut num) => {
                    let start = p;
                    while let Some(next) = text.get(p).and_then(|c| num.next(*c)) {
                        num = next;
                        p += 1;
                    }
                    self.push_raw(text, map, start, p, false, sink);
                    if p < len {
                        if num.complete() {
                            self.emit_value(sink);
                            self.end_value();
                            self.lex = Lex::Between;
                        } else {
                            self.error(p, map, "invalid number", sink);
                        }
                    } else {
                        self.lex = Lex::Number(num);
                    }
                }
                Lex::Literal { word, matched } => {
                    if word.get(matched) == Some(&b) {
                        self.pos.advance_byte(b);
                        p += 1;
                        if matched + 1 == word.len() {
                            self.lex = Lex::Between;
                            self.end_value();
                        } else {
                            self.lex = Lex::Literal {
                                word,
                                matched: matched + 1,
                            };
                        }
                    } else {
                        self.error(p, map, "invalid literal", sink);
                    }
                }
            }
        }
    }

    /// One byte between tokens; returns the next position.
    fn between(&mut self, b: u8, p: usize, map: OffsetMap<'_>, sink: &mut dyn CellSink) -> usize {
        match b {
            b' ' | b'\t' | b'\r' => {
                self.pos.advance_byte(b);
                return p + 1;
            }
            b'\n' => {
                if self.ndjson
                    && (!self.stack.is_empty()
                        || self.skip_depth > 0
                        || !matches!(self.expect, Expect::Value | Expect::TopAfter))
                {
                    self.error(p, map, "the line ends inside a value", sink);
                    return p;
                }
                self.pos.advance_byte(b);
                if self.ndjson {
                    self.expect = Expect::Value;
                }
                return p + 1;
            }
            _ => {}
        }
        if self.skip_depth > 0 {
            match b {
                b'"' => self.lex = Lex::Str { key: false },
                b'{' | b'[' => self.skip_depth = self.skip_depth.saturating_add(1),
                b'}' | b']' => {
                    self.skip_depth -= 1;
                    if self.skip_depth == 0 {
                        self.end_value();
                    }
                }
                _ => {}
            }
            self.pos.advance_byte(b);
            return p + 1;
        }
        let wants_value = match self.expect {
            Expect::Value | Expect::ValueOrEnd => true,
            Expect::TopAfter => !self.ndjson && self.stack.is_empty(),
            _ => false,
        };
        match b {
            b'{' | b'[' if wants_value => {
                let array = b == b'[';
                self.begin_value(array);
                if self.stack.len() >= self.max_depth {
                    self.depth_warnings += 1;
                    if self.depth_warnings <= WARNING_CAP {
                        sink.warning(
                            WarningReason::MalformedJson,
                            Some(self.pos.line),
                            format!(
                                "JSON at line {} is nested deeper than {} levels; that part was skipped",
                                self.pos.line, self.max_depth
                            ),
                        );
                    }
                    self.skip_depth = 1;
                } else {
                    self.stack.push(Frame {
                        array,
                        base_len: self.path.len(),
                    });
                    if array {
                        self.path.push_str("[]");
                        self.expect = Expect::ValueOrEnd;
                    } else {
                        self.expect = Expect::KeyOrEnd;
                    }
                }
            }
            b'}' | b']' => {
                let array = b == b']';
                let closes = match self.stack.last() {
                    Some(frame) if frame.array == array => {
                        if array {
                            matches!(self.expect, Expect::ValueOrEnd | Expect::CommaOrEnd)
                        } else {
                            matches!(self.expect, Expect::KeyOrEnd | Expect::CommaOrEnd)
                        }
                    }
                    _ => false,
                };
                if !closes {
                    self.error(p, map, "unexpected closing bracket", sink);
                    return p;
                }
                if let Some(frame) = self.stack.pop() {
                    self.path.truncate(frame.base_len);
                }
                self.end_value();
            }
            b',' if self.expect == Expect::CommaOrEnd => {
                self.expect = match self.stack.last() {
                    Some(frame) if frame.array => Expect::Value,
                    _ => Expect::Key,
                };
            }
            b':' if self.expect == Expect::Colon => self.expect = Expect::Value,
            b'"' if matches!(self.expect, Expect::Key | Expect::KeyOrEnd) => {
                self.key.clear();
                self.lex = Lex::Str { key: true };
            }
            b'"' if wants_value => {
                self.begin_value(false);
                self.lex = Lex::Str { key: false };
            }
            b'-' | b'0'..=b'9' if wants_value => {
                self.begin_value(false);
                self.lex = Lex::Number(Num::Start);
                return p;
            }
            b't' | b'f' | b'n' if wants_value => {
                self.begin_value(false);
                let word: &'static [u8] = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                self.lex = Lex::Literal { word, matched: 0 };
                return p;
            }
            _ => {
                let what = if self.ndjson && self.expect == Expect::TopAfter {
                    "more than one value on the line"
                } else {
                    "unexpected character"
                };
                self.error(p, map, what, sink);
                return p;
            }
        }
        self.pos.advance_byte(b);
        p + 1
    }

    /// A value starts: settle its record number.
    fn begin_value(&mut self, opens_array: bool) {
        self.started = true;
        if self.stack.is_empty() {
            if self.ndjson {
                self.record = self.pos.line.saturating_sub(1);
                self.stats.records += 1;
            } else if opens_array {
                self.top_is_array = true;
            } else {
                self.top_is_array = false;
                self.record = self.next_record;
                self.next_record += 1;
                self.stats.records += 1;
            }
        } else if !self.ndjson
            && self.top_is_array
            && self.stack.len() == 1
            && self.stack.first().is_some_and(|f| f.array)
        {
            self.record = self.next_record;
            self.next_record += 1;
            self.stats.records += 1;
        }
    }

    /// A value (scalar, container or skipped subtree) is complete.
    fn end_value(&mut self) {
        self.expect = if self.stack.is_empty() {
            Expect::TopAfter
        } else {
            Expect::CommaOrEnd
        };
    }

    fn end_string(&mut self, key: bool, sink: &mut dyn CellSink) {
        self.lex = Lex::Between;
        if self.skip_depth > 0 {
            return;
        }
        if key {
            let base = self.stack.last().map_or(0, |f| f.base_len);
            self.path.truncate(base);
            let name = String::from_utf8_lossy(&self.key);
            let plain = !name.is_empty()
                && !name
                    .chars()
                    .any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_control());
            if plain {
                if base > 0 {
                    self.path.push('.');
                }
                self.path.push_str(&name);
            } else {
                self.path.push_str("[\"");
                for c in name.chars() {
                    match c {
                        '"' => self.path.push_str("\\\""),
                        '\\' => self.path.push_str("\\\\"),
                        c if c.is_control() => self.path.push_str(&c.escape_default().to_string()),
                        c => self.path.push(c),
                    }
                }
                self.path.push_str("\"]");
            }
            self.key.clear();
            self.expect = Expect::Colon;
        } else {
            self.emit_value(sink);
            self.end_value();
        }
    }

    /// A complete `\uXXXX` unit; `end` is the offset just after it.
    fn code_unit(&mut self, unit: u32, key: bool, end: u64, sink: &mut dyn CellSink) {
        self.lex = Lex::Str { key };
        if let Some((high, mark)) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))
                    .unwrap_or('\u{FFFD}');
                self.push_char(c, mark, end, key, sink);
                return;
            }
            let second = self.esc;
            self.push_char('\u{FFFD}', mark, second.offset, key, sink);
        }
        let mark = self.esc;
        if (0xD800..0xDC00).contains(&unit) {
            self.high = Some((unit, mark));
            self.lex = Lex::AfterHigh { key };
        } else {
            let c = char::from_u32(unit).unwrap_or('\u{FFFD}');
            self.push_char(c, mark, end, key, sink);
        }
    }

    /// A high surrogate escape not followed by a low one becomes U+FFFD.
    fn lone_high(&mut self, end: u64, key: bool, sink: &mut dyn CellSink) {
        if let Some((_, mark)) = self.high.take() {
            self.push_char('\u{FFFD}', mark, end, key, sink);
        }
    }

    fn push_char(&mut self, c: char, mark: Mark, end: u64, key: bool, sink: &mut dyn CellSink) {
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        self.push_escaped(bytes, mark, end, key, sink);
    }

    /// Bytes produced by one escape sequence, all mapped to its first byte.
    fn push_escaped(
        &mut self,
        bytes: &[u8],
        mark: Mark,
        end: u64,
        key: bool,
        sink: &mut dyn CellSink,
    ) {
        if self.skip_depth > 0 {
            return;
        }
        if key {
            if self.key.len() + bytes.len() <= MAX_KEY_BYTES {
                self.key.extend_from_slice(bytes);
            }
            return;
        }
        self.value
            .push_mapped(bytes, mark.line, mark.col, mark.offset, end);
        if self.value.is_full() {
            self.emit_piece(sink);
        }
    }

    /// Raw text `text[a..b]` of a string or number.
    fn push_raw(
        &mut self,
        text: &[u8],
        map: OffsetMap<'_>,
        mut a: usize,
        b: usize,
        key: bool,
        sink: &mut dyn CellSink,
    ) {
        if self.skip_depth > 0 || key {
            let chunk = text.get(a..b).unwrap_or_default();
            if key && self.skip_depth == 0 {
                let room = MAX_KEY_BYTES.saturating_sub(self.key.len());
                let mut take = chunk.len().min(room);
                // Keep whole characters.
                while take > 0
                    && take < chunk.len()
                    && chunk.get(take).is_some_and(|c| c & 0xC0 == 0x80)
                {
                    take -= 1;
                }
                self.key
                    .extend_from_slice(chunk.get(..take).unwrap_or_default());
            }
            self.pos.advance(chunk);
            return;
        }
        while a < b {
            a = self.value.push_text(text, map, a, b, &mut self.pos);
            if self.value.is_full() {
                self.emit_piece(sink);
            }
        }
    }

    /// Delivers the held part of a value too long to hold whole (an incomplete trailing
    /// character stays for the next piece).
    fn emit_piece(&mut self, sink: &mut dyn CellSink) {
        let cut = self.value.piece_len();
        if !self.value_is_huge {
            self.value_is_huge = true;
            self.huge_warnings += 1;
            if self.huge_warnings <= WARNING_CAP {
                sink.warning(
                    WarningReason::HugeLine,
                    Some(self.value.line),
                    format!(
                        "a JSON value at line {} is longer than {} bytes; it was scanned in pieces",
                        self.value.line,
                        self.value.max()
                    ),
                );
            }
        }
        self.deliver(cut, sink);
        self.value.consume(cut, &self.pos);
    }

    /// Delivers `value[..len]` with `origin[..=len]`.
    fn deliver(&mut self, len: usize, sink: &mut dyn CellSink) {
        let (Some(value), Some(origin)) =
            (self.value.bytes.get(..len), self.value.origin.get(..=len))
        else {
            return;
        };
        if value.is_empty() {
            return;
        }
        sink.cell(&Cell {
            field: Field::Path(&self.path),
            record: self.record,
            line: self.value.line,
            column: self.value.col,
            value,
            origin,
            sheet: None,
            cell_ref: None,
        });
        self.stats.cells += 1;
    }

    /// The current scalar is complete.
    fn emit_value(&mut self, sink: &mut dyn CellSink) {
        if self.skip_depth == 0 {
            self.deliver(self.value.bytes.len(), sink);
        }
        self.value.clear();
        self.value_is_huge = false;
    }

    /// Invalid JSON at text position `p`.
    fn error(&mut self, p: usize, map: OffsetMap<'_>, what: &str, sink: &mut dyn CellSink) {
        self.value_is_huge = false;
        self.high = None;
        if self.ndjson {
            self.stack.clear();
            self.path.clear();
            self.key.clear();
            self.skip_depth = 0;
            self.expect = Expect::Value;
        }
        self.malformed(map.offset(p), what, false, sink);
    }

    /// Reports invalid JSON at file offset `at` (`at_end`: the input ends there): an NDJSON
    /// line is counted and the rest of it skipped; reading a single document stops.
    fn malformed(&mut self, at: u64, what: &str, at_end: bool, sink: &mut dyn CellSink) {
        let line = self.pos.line;
        self.value.clear();
        if self.ndjson {
            self.stats.malformed_lines += 1;
            if self.stats.malformed_lines <= WARNING_CAP {
                let message = if at_end {
                    format!("line {line} is not valid JSON ({what})")
                } else {
                    format!(
                        "line {line} is not valid JSON ({what}); the rest of the line was skipped"
                    )
                };
                sink.warning(WarningReason::MalformedJson, Some(line), message);
            }
            self.lex = Lex::SkipLine;
        } else {
            self.stats.malformed_at = Some(at);
            let message = if at_end {
                format!("the JSON document is truncated: {what} at line {line}")
            } else {
                format!(
                    "invalid JSON at line {line} ({what}); the rest of the file is not read as JSON"
                )
            };
            sink.warning(WarningReason::MalformedJson, Some(line), message);
            self.lex = Lex::Failed;
        }
    }

    /// End of input at file offset `end`.
    fn finish(&mut self, end: u64, sink: &mut dyn CellSink) {
        let end_map_value = end;
        let what = match self.lex {
            Lex::Str { .. }
            | Lex::Esc { .. }
            | Lex::Hex { .. }
            | Lex::AfterHigh { .. }
            | Lex::AfterHighEsc { .. } => Some("unterminated string"),
            Lex::Number(num) => {
                if num.complete() {
                    self.emit_value(sink);
                    self.end_value();
                    self.lex = Lex::Between;
                    None
                } else {
                    Some("invalid number")
                }
            }
            Lex::Literal { .. } => Some("invalid literal"),
            Lex::Between => None,
            Lex::SkipLine | Lex::Failed => None,
        };
        let what = what.or_else(|| {
            (self.lex == Lex::Between
                && (!self.stack.is_empty()
                    || self.skip_depth > 0
                    || !matches!(self.expect, Expect::Value | Expect::TopAfter)))
            .then_some("the input ends inside an object or array")
        });
        if let Some(what) = what {
            self.malformed(end_map_value, what, true, sink);
        }
        if self.ndjson && self.stats.malformed_lines > WARNING_CAP {
            sink.warning(
                WarningReason::MalformedJson,
                None,
                format!(
                    "{} more lines were not valid JSON and were skipped",
                    self.stats.malformed_lines - WARNING_CAP
                ),
            );
        }
        if self.huge_warnings > WARNING_CAP {
            sink.warning(
                WarningReason::HugeLine,
                None,
                format!(
                    "{} more JSON values were longer than {} bytes and were scanned in pieces",
                    self.huge_warnings - WARNING_CAP,
                    self.value.max()
                ),
            );
        }
        if self.depth_warnings > WARNING_CAP {
            sink.warning(
                WarningReason::MalformedJson,
                None,
                format!(
                    "{} more parts nested deeper than {} levels were skipped",
                    self.depth_warnings - WARNING_CAP,
                    self.max_depth
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::testing::{OwnedCell, Recorder};
    use crate::decode::{TextEncoding, sniff_encoding};
    use proptest::prelude::*;

    fn run_with(
        data: &[u8],
        options: &JsonOptions,
        block: usize,
        max: usize,
    ) -> (Recorder, JsonStats) {
        let mut sink = Recorder::default();
        let sniffed = sniff_encoding(data);
        let stats = read_json_blocks(data, sniffed, options, &mut sink, block, max).unwrap();
        (sink, stats)
    }

    fn run(data: &str, ndjson: bool, block: usize) -> (Recorder, JsonStats) {
        let options = JsonOptions {
            ndjson,
            ..JsonOptions::default()
        };
        run_with(data.as_bytes(), &options, block, MAX_VALUE_BYTES)
    }

    fn paths(sink: &Recorder) -> Vec<(String, u64, String)> {
        sink.cells
            .iter()
            .map(|c| (c.path.clone().unwrap(), c.record, c.value.clone()))
            .collect()
    }

    /// Checks the origin of a cell against a UTF-8 source: the span is the JSON text of the
    /// value, and line/column point at its first character.
    fn check_span(data: &str, cell: &OwnedCell) {
        let start = cell.origin[0] as usize;
        let end = *cell.origin.last().unwrap() as usize;
        let raw = &data[start..end];
        if !raw.contains('\\') {
            assert_eq!(raw, cell.value);
        }
        let before = &data[..start];
        let line = 1 + before.matches('\n').count() as u64;
        let col = 1 + before.rsplit('\n').next().unwrap().chars().count() as u64;
        assert_eq!((cell.line, cell.column), (line, col), "{}", cell.value);
    }

    #[test]
    fn paths_records_and_spans() {
        let data = r#"{"users": [{"name": "张三", "idcard": "11010119900101000X", "age": 30, "ok": true},
  {"name": "Li", "tags": ["a", null, 1.5e3], "a.b": {"c[0]": "x"}, "": "e", "q\"k": "y"}],
 "meta": {"count": -2}}"#;
        for block in [1, 3, 1 << 20] {
            let (sink, stats) = run(data, false, block);
            assert_eq!(
                paths(&sink),
                vec![
                    ("users[].name".to_owned(), 0, "张三".to_owned()),
                    ("users[].idcard".into(), 0, "11010119900101000X".into()),
                    ("users[].age".into(), 0, "30".into()),
                    ("users[].name".into(), 0, "Li".into()),
                    ("users[].tags[]".into(), 0, "a".into()),
                    ("users[].tags[]".into(), 0, "1.5e3".into()),
                    ("users[][\"a.b\"][\"c[0]\"]".into(), 0, "x".into()),
                    ("users[][\"\"]".into(), 0, "e".into()),
                    ("users[][\"q\\\"k\"]".into(), 0, "y".into()),
                    ("meta.count".into(), 0, "-2".into()),
                ],
                "block {block}"
            );
            assert_eq!(stats.records, 1);
            assert_eq!(stats.malformed_at, None);
            assert!(sink.warnings.is_empty());
            for cell in &sink.cells {
                check_span(data, cell);
            }
        }
    }

    #[test]
    fn top_level_array_records() {
        let data = r#"[{"phone": "13800000000"}, {"phone": "13900000000"}, "x"]"#;
        let (sink, stats) = run(data, false, 4);
        assert_eq!(
            paths(&sink),
            vec![
                ("[].phone".to_owned(), 0, "13800000000".to_owned()),
                ("[].phone".into(), 1, "13900000000".into()),
                ("[]".into(), 2, "x".into()),
            ]
        );
        assert_eq!(stats.records, 3);
    }

    #[test]
    fn escapes_map_to_their_first_byte() {
        let data = r#"{"k": "a\n\u5F20\uD83D\uDE00\"b\uD800x"}"#;
        let (sink, _) = run(data, false, 2);
        let cell = &sink.cells[0];
        assert_eq!(cell.value, "a\n张😀\"b\u{FFFD}x");
        let base = data.find("a\\n").unwrap() as u64;
        let expect: Vec<u64> = [
            vec![base],         // a
            vec![base + 1],     // \n
            vec![base + 3; 3],  // \u5F20
            vec![base + 9; 4],  // surrogate pair
            vec![base + 21],    // \"
            vec![base + 23],    // b
            vec![base + 24; 3], // lone \uD800
            vec![base + 30],    // x
            vec![base + 31],    // end (closing quote)
        ]
        .concat();
        assert_eq!(cell.origin, expect);
        assert_eq!((cell.line, cell.column), (1, 8));
    }

    #[test]
    fn ndjson_records_and_bad_lines() {
        let data = "{\"a\": \"x1\"}\n\n{\"a\": \"x2\", bad}\n[\"y\", 2]\n{\"a\":\n\"z\"}\n{\"a\": \"w\"} 5\n\"top\"";
        for block in [1, 5, 1 << 20] {
            let (sink, stats) = run(data, true, block);
            assert_eq!(
                paths(&sink),
                vec![
                    ("a".to_owned(), 0, "x1".to_owned()),
                    ("a".into(), 2, "x2".into()),
                    ("[]".into(), 3, "y".into()),
                    ("[]".into(), 3, "2".into()),
                    ("".into(), 5, "z".into()),
                    ("a".into(), 6, "w".into()),
                    ("".into(), 7, "top".into()),
                ],
                "block {block}"
            );
            assert_eq!(stats.malformed_lines, 4);
            let lines: Vec<Option<u64>> = sink.warnings.iter().map(|w| w.1).collect();
            assert_eq!(lines, vec![Some(3), Some(5), Some(6), Some(7)]);
            assert!(
                sink.reasons()
                    .iter()
                    .all(|r| *r == WarningReason::MalformedJson)
            );
            for cell in &sink.cells {
                check_span(data, cell);
            }
        }
    }

    #[test]
    fn invalid_document_reports_offset() {
        let data = "{\"a\": \"ok\",\n \"b\": tru }";
        let (sink, stats) = run(data, false, 3);
        assert_eq!(sink.values(), vec!["ok"]);
        assert_eq!(stats.malformed_at, Some(data.find(" }").unwrap() as u64));
        assert_eq!(sink.warnings.len(), 1);
        assert_eq!(sink.warnings[0].1, Some(2));
        assert!(!sink.warnings[0].2.contains("tru"));

        let (_, stats) = run("[\"a\", \"b", false, 3);
        assert_eq!(stats.malformed_at, Some(8));
        let (_, stats) = run("{\"a\": 1", false, 3);
        assert_eq!(stats.malformed_at, Some(7));
        let (sink, stats) = run("{\"a\": 12}", false, 3);
        assert_eq!(stats.malformed_at, None);
        assert_eq!(sink.values(), vec!["12"]);
        let (sink, stats) = run("  \n ", false, 3);
        assert_eq!((stats.malformed_at, sink.warnings.len()), (None, 0));
        let (sink, stats) = run("", true, 3);
        assert_eq!(sink.reasons(), vec![WarningReason::Empty]);
        assert_eq!(stats, JsonStats::default());
        let (_, stats) = run("{\"a\": 01}", false, 3);
        assert!(stats.malformed_at.is_some());
    }

    #[test]
    fn depth_limit_skips_subtree() {
        let data = r#"{"a": {"b": {"c": "deep", "d": ["}"]}}, "e": "shallow"}"#;
        let options = JsonOptions {
            ndjson: false,
            max_depth: 2,
        };
        let (sink, stats) = run_with(data.as_bytes(), &options, 4, MAX_VALUE_BYTES);
        assert_eq!(
            paths(&sink),
            vec![("e".to_owned(), 0, "shallow".to_owned())]
        );
        assert_eq!(stats.malformed_at, None);
        assert_eq!(sink.warnings.len(), 1);
    }

    #[test]
    fn huge_string_in_pieces() {
        let long = "王".repeat(30);
        let data = format!("{{\"k\": \"{long}\", \"n\": 1}}");
        let options = JsonOptions::default();
        let (sink, _) = run_with(data.as_bytes(), &options, 7, 16);
        let pieces: Vec<&str> = sink
            .cells
            .iter()
            .filter(|c| c.path.as_deref() == Some("k"))
            .map(|c| c.value.as_str())
            .collect();
        assert!(pieces.len() > 2);
        assert!(pieces.iter().all(|p| p.len() <= 16));
        assert_eq!(pieces.concat(), long);
        assert_eq!(sink.reasons(), vec![WarningReason::HugeLine]);
        for cell in &sink.cells {
            check_span(&data, cell);
        }
    }

    #[test]
    fn utf16le_with_bom() {
        let json = "{\"姓名\": \"张三\", \"phone\": \"13800000000\"}";
        let mut bytes = vec![0xFF, 0xFE];
        for u in json.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let sniffed = sniff_encoding(&bytes);
        assert_eq!(sniffed.encoding, TextEncoding::Utf16Le);
        for block in [1, 3, 1 << 20] {
            let mut sink = Recorder::default();
            read_json_blocks(
                &bytes[..],
                sniffed,
                &JsonOptions::default(),
                &mut sink,
                block,
                MAX_VALUE_BYTES,
            )
            .unwrap();
            assert_eq!(
                paths(&sink),
                vec![
                    ("姓名".to_owned(), 0, "张三".to_owned()),
                    ("phone".into(), 0, "13800000000".into()),
                ]
            );
            // 张三 starts after the BOM and `{"姓名": "` (8 code units).
            let name = &sink.cells[0];
            assert_eq!(name.origin, vec![18, 18, 18, 20, 20, 20, 22]);
            assert_eq!(name.column, 9);
            let phone = &sink.cells[1];
            let start = phone.origin[0] as usize;
            let end = *phone.origin.last().unwrap() as usize;
            let units: Vec<u16> = bytes[start..end]
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(String::from_utf16(&units).unwrap(), "13800000000");
        }
    }

    #[test]
    fn sniff_helpers() {
        assert_eq!(ndjson_values(b"{\"a\":1}\n{\"a\":2}\n{\"a\""), Some(2));
        assert_eq!(ndjson_values(b"{\n\"a\": 1\n}\n"), None);
        assert_eq!(ndjson_values(b"{\"a\":1}"), None);
        assert!(is_json_prefix(b"{\"a\": [1, 2, {\"b\": \"cut"));
        assert!(!is_json_prefix(b"[2024-01-01 12:00:00] INFO start"));
        assert!(!is_json_prefix(b"[INFO] start"));
        assert!(!is_json_prefix(b"   "));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..300), block in 1usize..40, ndjson in any::<bool>()) {
            let options = JsonOptions { ndjson, max_depth: 4 };
            let mut sink = Recorder::default();
            let stats = read_json_blocks(&data[..], sniff_encoding(&data), &options, &mut sink, block, 16).unwrap();
            if let Some(at) = stats.malformed_at {
                prop_assert!(at <= data.len() as u64);
            }
            for cell in &sink.cells {
                prop_assert!(*cell.origin.last().unwrap() <= data.len() as u64);
            }
        }

        #[test]
        fn mutated_json_never_panics(pos in any::<usize>(), byte in any::<u8>(), block in 1usize..20, ndjson in any::<bool>()) {
            let mut data = br#"{"a": [1, -2.5e-3, "x\u00e9\"y", {"b": null, "c": [true, false]}], "d": "\ud83d\ude00"}"#.to_vec();
            data.push(b'\n');
            let at = pos % data.len();
            data[at] = byte;
            let options = JsonOptions { ndjson, max_depth: 3 };
            let mut sink = Recorder::default();
            read_json_blocks(&data[..], sniff_encoding(&data), &options, &mut sink, block, 16).unwrap();
        }

        #[test]
        fn block_size_does_not_matter(data in "[\\[\\]{}:,\"\\\\u0-9a-f.eE+\n \\-张]{0,80}", block in 1usize..16, ndjson in any::<bool>()) {
            let options = JsonOptions { ndjson, max_depth: 3 };
            let (a, sa) = run_with(data.as_bytes(), &options, block, 16);
            let (b, sb) = run_with(data.as_bytes(), &options, 1 << 20, 16);
            prop_assert_eq!(&a.cells, &b.cells);
            prop_assert_eq!(&a.warnings, &b.warnings);
            prop_assert_eq!(sa, sb);
        }

        #[test]
        fn generated_strings_roundtrip(values in prop::collection::vec("\\PC{0,12}", 1..5), block in 1usize..16) {
            let mut data = String::from("[");
            for (i, v) in values.iter().enumerate() {
                if i > 0 { data.push(','); }
                data.push('"');
                for c in v.chars() {
                    match c {
                        '"' => data.push_str("\\\""),
                        '\\' => data.push_str("\\\\"),
                        c if (c as u32) < 0x20 || c == '\u{2028}' => data.push_str(&format!("\\u{:04x}", c as u32)),
                        c => data.push(c),
                    }
                }
                data.push('"');
            }
            data.push(']');
            let (sink, stats) = run(&data, false, block);
            let want: Vec<&str> = values.iter().map(String::as_str).filter(|v| !v.is_empty()).collect();
            prop_assert_eq!(sink.values(), want);
            prop_assert_eq!(stats.malformed_at, None);
        }
    }
}
