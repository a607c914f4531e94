//! Streaming scan of plain text (logs, documents, dumps, anything without structure) with bounded
//! memory, exact original byte offsets, and 1-based line and character column of every match.
//!
//! # Batches, pieces and overlap
//!
//! The file is read in *batches* of `pieces × chunk_size` bytes (4 MiB chunks by default). A
//! batch is turned into UTF-8 text: UTF-8 files are scanned in place (invalid byte sequences are
//! overwritten, byte for byte, with U+001A so offsets do not move, and counted as decode errors),
//! other encodings are decoded with [`StreamDecoder`], whose map gives back the original offset
//! of every decoded byte.
//!
//! Each batch *owns* a range of the text: from where the previous batch stopped to `overlap`
//! bytes before the end of what was read (to the end of the text in the last batch). The owned
//! range is split into `pieces` pieces, preferably at line ends, and each piece is scanned in a
//! *window* that extends it by up to `overlap` bytes on both sides (on the left only back to the
//! start of its line, because context words never reach across lines; on the right to the end of
//! the line). Only matches that *start* inside the piece are kept, so a value that straddles a
//! piece or batch edge is found exactly once and in full (as long as it is shorter than
//! `overlap`, 4 KiB by default), with its left context. The tail that the batch did not own is
//! carried, with `overlap` bytes of left context, to the front of the next batch; decoded files
//! carry the *original* bytes of that tail and decode them again, which keeps one offset map per
//! batch.
//!
//! # Lines and columns
//!
//! Pieces are scanned in parallel, each counting newlines and characters only from its start to
//! its matches (one forward pass with `memchr`, never a rescan per match) and to its end. The
//! batch then walks the pieces in order, adding each piece's line and column to a running
//! position, so lines are exact without a separate counting pass over the file. A line with no
//! newline for gigabytes is simply a column that keeps growing.
//!
//! # Memory and parallelism
//!
//! While the pieces of a batch are scanned (in parallel on the rayon pool), the next batch is
//! read into a second buffer (`rayon::join`), so reading overlaps scanning. Peak memory for one
//! file is therefore about two raw batches plus the decoded text of one batch (1.5× the raw size
//! for GB18030 or UTF-16 Chinese text) plus the matches of one batch. With 2 pieces of 4 MiB:
//! 16 MiB of raw buffers and about 12 MiB of decoded text, independent of the file size, so a
//! 2 GB log stays far below 200 MB. (A pathological file made of nothing but PI values yields at
//! most one match per ~10 bytes; one batch of 8 MiB then holds under 100 MB of matches.)

use std::io::Read;

use xiezhi_detect::{Engine, Match, Scratch};

use crate::decode::{Decoded, LineCol, OffsetMap, ReadError, Sniffed, StreamDecoder, TextEncoding};

/// Default size of one piece of text scanned at once.
pub const DEFAULT_CHUNK_SIZE: usize = 4 << 20;
/// Default overlap between pieces: the longest value found across a piece edge and the context
/// looked at before a value.
pub const DEFAULT_OVERLAP: usize = 4 << 10;
/// Replacement byte for invalid UTF-8 (SUBSTITUTE): one byte per invalid byte keeps offsets.
const SUBSTITUTE: u8 = 0x1A;

/// How a text file is scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextScanConfig {
    /// Bytes per piece.
    pub(crate) chunk_size: usize,
    /// Overlap on each side of a piece.
    pub(crate) overlap: usize,
    /// Pieces per batch (scanned in parallel when more than one).
    pub(crate) pieces: usize,
    /// Matches starting before this file offset are not reported (the JSON reader already read
    /// that part).
    pub(crate) report_from: u64,
}

impl TextScanConfig {
    /// The sizes actually used: at least 16 bytes of overlap, and pieces long enough that every
    /// batch makes progress.
    fn normalised(&self) -> (usize, usize, usize) {
        let overlap = self.overlap.max(16);
        let chunk = self
            .chunk_size
            .max(overlap.saturating_mul(2).saturating_add(64));
        (chunk, overlap, self.pieces.max(1))
    }
}

/// What a text scan read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TextStats {
    /// Bytes read from the file.
    pub(crate) bytes: u64,
    /// Invalid byte sequences (replaced).
    pub(crate) decode_errors: u64,
    /// Lines (1 for a file without newline).
    pub(crate) lines: u64,
}

/// One match, ready to become a finding.
#[derive(Debug)]
pub(crate) struct TextHit<'a> {
    /// Original byte offset of the value.
    pub(crate) start: u64,
    /// Original byte offset just past the value.
    pub(crate) end: u64,
    /// 1-based line.
    pub(crate) line: u64,
    /// 1-based column in characters.
    pub(crate) column: u64,
    /// What the engine found.
    pub(crate) found: &'a Match,
    /// The value as decoded text.
    pub(crate) value: &'a str,
}

/// A match of one piece, with its position relative to the piece start.
#[derive(Debug)]
struct PieceHit {
    /// The match, with offsets into the batch text.
    found: Match,
    /// Newlines between the piece start and the match.
    line_delta: u64,
    /// Characters since the last newline (since the piece start when `line_delta == 0`).
    col: u64,
}

/// What the scan of one piece returns.
#[derive(Debug, Default)]
struct PieceResult {
    hits: Vec<PieceHit>,
    /// Newlines in the piece.
    newlines: u64,
    /// Characters after the piece's last newline (all of them when there is none).
    tail_chars: u64,
}

/// Receives what a text scan finds.
pub(crate) trait TextSink {
    /// One match; matches arrive in file order.
    fn hit(&mut self, hit: &TextHit<'_>);
    /// `bytes` more bytes of the file were read.
    fn progress(&mut self, bytes: u64);
    /// Whether the scan should stop early (the run was cancelled).
    fn stop(&self) -> bool;
}

/// Scans a text file. `sniffed` is its encoding; `sink` receives the matches in file order.
/// Only I/O errors stop the scan.
pub(crate) fn scan_text<R: Read + Send>(
    mut reader: R,
    sniffed: Sniffed,
    engine: &Engine,
    config: &TextScanConfig,
    sink: &mut dyn TextSink,
) -> Result<TextStats, ReadError> {
    let (chunk, overlap, pieces) = config.normalised();
    let batch_bytes = chunk.saturating_mul(pieces);
    let utf8 = sniffed.encoding == TextEncoding::Utf8;
    let mut stats = TextStats::default();

    let mut raw: Vec<u8> = Vec::with_capacity(batch_bytes.saturating_add(4 * overlap));
    let mut next_raw: Vec<u8> = Vec::new();
    let mut decoded = Decoded::new();
    // File offset of raw[0].
    let mut base: u64 = 0;
    // File offset where the owned range of the current batch starts.
    let mut owned_from: u64 = 0;
    // Bytes at the front of `raw` carried from the previous batch.
    let mut carried = 0usize;
    // For UTF-8: bytes of `raw` already checked (and repaired).
    let mut checked = 0usize;
    let mut position = LineCol::default();
    let mut first = true;
    let mut reported = 0u64;

    let mut eof = fill(&mut reader, &mut raw, batch_bytes, base, &mut stats)?;
    if utf8 && sniffed.bom_len > 0 && raw.starts_with(&[0xEF, 0xBB, 0xBF]) {
        raw.drain(..3);
        base = 3;
        owned_from = 3;
    }

    loop {
        sink.progress(stats.bytes.saturating_sub(reported));
        reported = stats.bytes;
        if sink.stop() {
            break;
        }
        // 1. The batch as UTF-8 text with its offset map.
        let (text, map): (&[u8], OffsetMap<'_>) = if utf8 {
            let (valid, errors) = repair_utf8(&mut raw, checked, eof);
            stats.decode_errors = stats.decode_errors.saturating_add(errors);
            checked = valid;
            (
                raw.get(..valid).unwrap_or_default(),
                OffsetMap::Identity(base),
            )
        } else {
            decoded.clear();
            let mut decoder = StreamDecoder::new(Sniffed {
                encoding: sniffed.encoding,
                bom_len: if first { sniffed.bom_len } else { 0 },
            });
            let (old, new) = raw.split_at(carried.min(raw.len()));
            decoder.decode(old, base, false, &mut decoded);
            let before = decoded.errors();
            decoder.decode(
                new,
                base.saturating_add(old.len() as u64),
                eof,
                &mut decoded,
            );
            stats.decode_errors = stats
                .decode_errors
                .saturating_add(decoded.errors().saturating_sub(before));
            (decoded.text(), OffsetMap::Decoded(&decoded))
        };
        first = false;

        // 2. The owned range and its pieces.
        let owned_start = if owned_from <= map.offset(0) {
            0
        } else {
            partition(text.len(), |p| map.offset(p) < owned_from)
        };
        let owned_end = if eof {
            text.len()
        } else {
            let target = text.len().saturating_sub(overlap);
            if target <= owned_start {
                owned_start
            } else {
                boundary(text, owned_start, target, chunk / 4)
            }
        };
        let ranges = split(text, owned_start, owned_end, pieces, chunk / 4);

        // 3. What the next batch starts with: the unowned tail plus left context.
        let carry_from = if eof {
            text.len()
        } else {
            window_start(text, owned_end, overlap)
        };
        let carry_offset = map.offset(carry_from);
        let next_owned_from = map.offset(owned_end);
        next_raw.clear();
        if !eof {
            let at = usize::try_from(carry_offset.saturating_sub(base)).unwrap_or(usize::MAX);
            next_raw.extend_from_slice(raw.get(at..).unwrap_or_default());
        }
        let next_carried = next_raw.len();

        // 4. Scan the pieces while the next batch is read.
        let report_from = config.report_from;
        let scan_all = || -> Vec<PieceResult> {
            if ranges.len() <= 1 {
                ranges
                    .iter()
                    .map(|&(s, e)| scan_piece(engine, text, s, e, overlap, &map, report_from))
                    .collect()
            } else {
                use rayon::prelude::*;
                ranges
                    .par_iter()
                    .map(|&(s, e)| scan_piece(engine, text, s, e, overlap, &map, report_from))
                    .collect()
            }
        };
        let next_base = carry_offset;
        let (results, read) = if eof {
            (scan_all(), Ok(true))
        } else if ranges.len() > 1 {
            let reader = &mut reader;
            let next = &mut next_raw;
            let mut read_stats = TextStats::default();
            let (results, read) = rayon::join(scan_all, || {
                fill(reader, next, batch_bytes, next_base, &mut read_stats)
            });
            stats.bytes = stats.bytes.saturating_add(read_stats.bytes);
            (results, read)
        } else {
            let results = scan_all();
            let read = fill(
                &mut reader,
                &mut next_raw,
                batch_bytes,
                next_base,
                &mut stats,
            );
            (results, read)
        };

        // 5. Emit in order, with absolute lines and columns.
        for result in &results {
            for hit in &result.hits {
                let (line, col) = if hit.line_delta == 0 {
                    (position.line, position.col.saturating_add(hit.col))
                } else {
                    (position.line.saturating_add(hit.line_delta), hit.col)
                };
                let bytes = text.get(hit.found.start..hit.found.end).unwrap_or_default();
                let value = std::str::from_utf8(bytes).unwrap_or_default();
                sink.hit(&TextHit {
                    start: map.offset(hit.found.start),
                    end: map.offset(hit.found.end),
                    line,
                    column: col.saturating_add(1),
                    found: &hit.found,
                    value,
                });
            }
            if result.newlines > 0 {
                position.line = position.line.saturating_add(result.newlines);
                position.col = result.tail_chars;
            } else {
                position.col = position.col.saturating_add(result.tail_chars);
            }
        }

        if eof {
            break;
        }
        eof = read?;
        // For UTF-8, the carried bytes were already checked except an incomplete character at
        // the end of the old batch, which the carry always includes.
        checked = if utf8 {
            let old_checked_end = checked;
            let carried_from = usize::try_from(next_base.saturating_sub(base)).unwrap_or(0);
            old_checked_end
                .saturating_sub(carried_from)
                .min(next_carried)
        } else {
            0
        };
        std::mem::swap(&mut raw, &mut next_raw);
        base = next_base;
        owned_from = next_owned_from;
        carried = next_carried;
    }
    stats.lines = position.line;
    Ok(stats)
}

/// Reads until `buf` holds `want` more bytes or the file ends; returns whether it ended.
fn fill<R: Read>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    want: usize,
    buf_offset: u64,
    stats: &mut TextStats,
) -> Result<bool, ReadError> {
    let target = buf.len().saturating_add(want);
    let mut filled = buf.len();
    buf.resize(target, 0);
    let result = loop {
        if filled >= target {
            break Ok(false);
        }
        let Some(dst) = buf.get_mut(filled..target) else {
            break Ok(false);
        };
        match reader.read(dst) {
            Ok(0) => break Ok(true),
            Ok(n) => {
                filled = filled.saturating_add(n).min(target);
                stats.bytes = stats.bytes.saturating_add(n as u64);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => {
                break Err(ReadError::Io {
                    offset: buf_offset.saturating_add(filled as u64),
                    source,
                });
            }
        }
    };
    buf.truncate(filled);
    result
}

/// Overwrites invalid UTF-8 in `buf[from..]` with [`SUBSTITUTE`], byte for byte. An incomplete
/// character at the very end is left alone unless `eof`. Returns the length of the valid prefix
/// and the number of invalid sequences repaired.
fn repair_utf8(buf: &mut [u8], from: usize, eof: bool) -> (usize, u64) {
    let mut pos = from.min(buf.len());
    let mut errors = 0u64;
    loop {
        let rest = buf.get(pos..).unwrap_or_default();
        // SIMD validation (simdutf8's `compat` errors carry the same positions as std's).
        match simdutf8::compat::from_utf8(rest) {
            Ok(_) => return (buf.len(), errors),
            Err(e) => {
                let bad_start = pos.saturating_add(e.valid_up_to());
                let bad_len = match e.error_len() {
                    Some(n) => n,
                    None if eof => buf.len().saturating_sub(bad_start),
                    None => return (bad_start, errors),
                };
                let bad_end = bad_start.saturating_add(bad_len).min(buf.len());
                if let Some(bad) = buf.get_mut(bad_start..bad_end) {
                    bad.fill(SUBSTITUTE);
                }
                errors = errors.saturating_add(1);
                pos = bad_end.max(pos.saturating_add(1));
            }
        }
    }
}

/// Overwrites every invalid UTF-8 sequence of `buf` with [`SUBSTITUTE`] bytes (same length);
/// returns how many there were.
pub(crate) fn repair_in_place(buf: &mut [u8]) -> u64 {
    repair_utf8(buf, 0, true).1
}

/// Smallest `p` in `0..len` for which `before(p)` is false (`before` is monotonic).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0usize, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

fn is_continuation(text: &[u8], pos: usize) -> bool {
    text.get(pos).is_some_and(|b| b & 0xC0 == 0x80)
}

/// A cut point at or before `target` (and after `floor`): just after a newline within
/// `search` bytes before `target` when there is one, otherwise the character boundary at or
/// before `target`.
fn boundary(text: &[u8], floor: usize, target: usize, search: usize) -> usize {
    let target = target.min(text.len());
    if target <= floor {
        return floor;
    }
    let lo = target.saturating_sub(search.max(1)).max(floor);
    if let Some(nl) = text.get(lo..target).and_then(|s| memchr::memrchr(b'\n', s)) {
        return lo + nl + 1;
    }
    let mut cut = target;
    while cut > floor && is_continuation(text, cut) {
        cut -= 1;
    }
    cut
}

/// Splits `start..end` into at most `n` non-empty ranges cut at [`boundary`] points.
fn split(text: &[u8], start: usize, end: usize, n: usize, search: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(n);
    if end <= start {
        return out;
    }
    let step = (end - start).div_ceil(n.max(1));
    let mut from = start;
    for k in 1..=n {
        let cut = if k == n {
            end
        } else {
            boundary(
                text,
                from,
                start.saturating_add(step.saturating_mul(k)).min(end),
                search,
            )
        };
        if cut > from {
            out.push((from, cut));
            from = cut;
        }
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// Where the window of a piece starting at `pos` starts: `overlap` bytes before it, but not
/// before the start of its line, at a character boundary.
fn window_start(text: &[u8], pos: usize, overlap: usize) -> usize {
    let lo = pos.saturating_sub(overlap);
    if let Some(nl) = text.get(lo..pos).and_then(|s| memchr::memrchr(b'\n', s)) {
        return lo + nl + 1;
    }
    let mut start = lo;
    while start < pos && is_continuation(text, start) {
        start += 1;
    }
    start
}

/// Where the window of a piece ending at `pos` ends: the end of its line, at most `overlap`
/// bytes further, at a character boundary.
fn window_end(text: &[u8], pos: usize, overlap: usize) -> usize {
    if pos >= text.len() || (pos > 0 && text.get(pos - 1) == Some(&b'\n')) {
        return pos.min(text.len());
    }
    let hi = pos.saturating_add(overlap).min(text.len());
    if let Some(nl) = text.get(pos..hi).and_then(|s| memchr::memchr(b'\n', s)) {
        return pos + nl;
    }
    let mut end = hi;
    while end > pos && is_continuation(text, end) {
        end -= 1;
    }
    end
}

/// Characters in UTF-8 text.
fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b & 0xC0 != 0x80).count() as u64
}

thread_local! {
    /// The engine's working memory for this thread.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Scans the piece `start..end` of `text` in its window and locates its matches.
fn scan_piece(
    engine: &Engine,
    text: &[u8],
    start: usize,
    end: usize,
    overlap: usize,
    map: &OffsetMap<'_>,
    report_from: u64,
) -> PieceResult {
    let mut result = PieceResult::default();
    let skip = report_from > 0 && map.offset(end) <= report_from;
    if !skip {
        let w0 = window_start(text, start, overlap);
        let w1 = window_end(text, end, overlap);
        if let Some(window) = text
            .get(w0..w1)
            .and_then(|w| simdutf8::basic::from_utf8(w).ok())
        {
            let mut found = Vec::new();
            // One scratch per worker thread, reused across pieces (its word cache included).
            SCRATCH.with(|cell| match cell.try_borrow_mut() {
                Ok(mut scratch) => engine.scan(window, &mut scratch, &mut found),
                Err(_) => engine.scan(window, &mut Scratch::default(), &mut found),
            });
            let mut cursor = start;
            let mut line_delta = 0u64;
            let mut col = 0u64;
            for mut m in found {
                m.start = m.start.saturating_add(w0);
                m.end = m.end.saturating_add(w0);
                if m.start < start || m.start >= end {
                    continue;
                }
                if report_from > 0 && map.offset(m.start) < report_from {
                    continue;
                }
                let between = text.get(cursor..m.start).unwrap_or_default();
                advance(between, &mut line_delta, &mut col);
                cursor = m.start;
                result.hits.push(PieceHit {
                    found: m,
                    line_delta,
                    col,
                });
            }
            let rest = text.get(cursor..end).unwrap_or_default();
            advance(rest, &mut line_delta, &mut col);
            result.newlines = line_delta;
            result.tail_chars = col;
            return result;
        }
    }
    let mut line_delta = 0u64;
    let mut col = 0u64;
    advance(
        text.get(start..end).unwrap_or_default(),
        &mut line_delta,
        &mut col,
    );
    result.newlines = line_delta;
    result.tail_chars = col;
    result
}

/// Moves a (newlines, characters since the last newline) position over `bytes`.
fn advance(bytes: &[u8], line_delta: &mut u64, col: &mut u64) {
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
            *line_delta = line_delta.saturating_add(newlines);
            *col = count_chars(bytes.get(last + 1..).unwrap_or_default());
        }
        None => *col = col.saturating_add(count_chars(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_keeps_length_and_counts() {
        let mut b = b"ab\xFFcd\xE4\xB8".to_vec();
        let (valid, errors) = repair_utf8(&mut b, 0, false);
        assert_eq!(valid, 5);
        assert_eq!(errors, 1);
        assert_eq!(&b[..5], b"ab\x1Acd");
        let (valid, errors) = repair_utf8(&mut b, 5, true);
        assert_eq!(valid, 7);
        assert_eq!(errors, 1);
        assert!(std::str::from_utf8(&b).is_ok());
    }

    #[test]
    fn split_prefers_line_ends_and_covers_everything() {
        let text = b"aaaa\nbbbb\ncccc\ndddd\n";
        let r = split(text, 0, text.len(), 3, 8);
        assert_eq!(r.first().map(|x| x.0), Some(0));
        assert_eq!(r.last().map(|x| x.1), Some(text.len()));
        for w in r.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert_eq!(text[w[0].1 - 1], b'\n');
        }
        let cjk = "张三李四王五".as_bytes();
        for (s, e) in split(cjk, 0, cjk.len(), 4, 2) {
            assert!(std::str::from_utf8(&cjk[s..e]).is_ok());
        }
    }

    #[test]
    fn windows_stop_at_lines() {
        let text = b"one\ntwo three\nfour";
        assert_eq!(window_start(text, 8, 100), 4);
        assert_eq!(window_end(text, 8, 100), 13);
        assert_eq!(window_end(text, 4, 100), 4);
        assert_eq!(window_start(text, 8, 2), 6);
    }

    #[test]
    fn advance_counts() {
        let (mut l, mut c) = (0, 0);
        advance("ab张".as_bytes(), &mut l, &mut c);
        assert_eq!((l, c), (0, 3));
        advance("x\ny\nzz".as_bytes(), &mut l, &mut c);
        assert_eq!((l, c), (2, 2));
    }
}
