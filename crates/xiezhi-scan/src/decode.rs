//! Text encodings: sniffing (BOM, UTF-8 validity, GB18030/Big5 detection), binary-file sniffing,
//! and a streaming decoder to UTF-8 that keeps an exact map back to original file offsets.
//!
//! # Offset map
//!
//! [`Decoded`] stores the map as run-length segments: each segment covers a run of consecutive
//! decoded characters that all have the same UTF-8 width (`out_w`) and the same width in the
//! original encoding (`in_w`), starting at a known original offset. A lookup is a binary search
//! over segments plus one division, so it is `O(log segments)`; [`Decoded::extend_offsets`]
//! walks segments forward in `O(1)` per byte. Runs of ASCII, runs of CJK characters and runs of
//! UTF-16 text each collapse into one segment, so typical text costs a few segments per line;
//! the worst case (the width changing at every character, e.g. `a张b李…`) costs one 24-byte
//! segment per character of the block, which callers bound by clearing [`Decoded`] after each
//! block.
//!
//! To get widths right, the decoder never lets `encoding_rs` hold a partial character across
//! calls: each block is split at the last complete character (by a per-encoding character-length
//! function), the complete part is decoded with a fresh decoder, and the few bytes of an
//! incomplete trailing character are carried over to the next block. Malformed sequences are
//! replaced with U+FFFD mapped to the first malformed byte; mapping stays monotonic for any input
//! and is exact for valid input.

use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};
use thiserror::Error;
use xiezhi_model::WarningReason;

/// A text encoding the readers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (also pure ASCII). Invalid bytes are scanned as they are.
    Utf8,
    /// UTF-16 little endian.
    Utf16Le,
    /// UTF-16 big endian.
    Utf16Be,
    /// GB18030, which also decodes GBK and GB2312 files.
    Gb18030,
    /// Big5 (with the HKSCS extensions of the WHATWG Encoding Standard).
    Big5,
}

impl TextEncoding {
    /// The label used in findings (`GB18030`, `UTF-16LE`...).
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
            TextEncoding::Big5 => "Big5",
        }
    }

    /// The `encoding_rs` encoding used to decode it (`None` for UTF-8, which is not decoded).
    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            TextEncoding::Utf8 => None,
            TextEncoding::Utf16Le => Some(UTF_16LE),
            TextEncoding::Utf16Be => Some(UTF_16BE),
            TextEncoding::Gb18030 => Some(GB18030),
            TextEncoding::Big5 => Some(BIG5),
        }
    }

    fn is_utf16(self) -> bool {
        matches!(self, TextEncoding::Utf16Le | TextEncoding::Utf16Be)
    }
}

/// Result of [`sniff_encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding of the file.
    pub encoding: TextEncoding,
    /// Length of the byte order mark at the start of the file (0 when there is none).
    pub bom_len: usize,
}

impl Sniffed {
    /// Plain UTF-8 without a BOM.
    pub const UTF8: Sniffed = Sniffed {
        encoding: TextEncoding::Utf8,
        bom_len: 0,
    };
}

/// Errors of the structured readers. Bad content is never an error (it is a warning through
/// [`crate::cells::CellSink::warning`]); these stop the reading of one file.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error(
        "I/O error while reading at byte offset {offset}: {source}; check that the file is readable and not being modified during the scan"
    )]
    Io {
        /// File offset where the failed read started.
        offset: u64,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A spreadsheet could not be opened at all.
    #[error("cannot open the spreadsheet: {reason}")]
    Spreadsheet {
        /// What is wrong and what to do (never file content).
        reason: &'static str,
    },
}

impl ReadError {
    /// The warning reason to report this error under.
    pub fn reason(&self) -> WarningReason {
        match self {
            ReadError::Io { .. } => WarningReason::Unreadable,
            ReadError::Spreadsheet { .. } => WarningReason::MalformedSpreadsheet,
        }
    }
}

/// Guesses the encoding of a file from its first bytes (a few KiB are enough).
///
/// Order: a BOM (UTF-8, UTF-16LE, UTF-16BE); ASCII text in BOM-less UTF-16 (every other byte
/// zero); valid UTF-8 (a character cut at the end of the sample is allowed); otherwise
/// `chardetng` decides between GB18030 (GBK, GB2312) and Big5, and anything else becomes
/// GB18030 when the sample decodes as GB18030 without errors, or UTF-8 (scanned as is).
pub fn sniff_encoding(head: &[u8]) -> Sniffed {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Sniffed {
            encoding: TextEncoding::Utf8,
            bom_len: 3,
        };
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return Sniffed {
            encoding: TextEncoding::Utf16Le,
            bom_len: 2,
        };
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Sniffed {
            encoding: TextEncoding::Utf16Be,
            bom_len: 2,
        };
    }
    if let Some(encoding) = bomless_utf16(head) {
        return Sniffed {
            encoding,
            bom_len: 0,
        };
    }
    if is_utf8_prefix(head) {
        return Sniffed::UTF8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, false);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    let encoding = if guess == GB18030 || guess == encoding_rs::GBK {
        TextEncoding::Gb18030
    } else if guess == BIG5 {
        TextEncoding::Big5
    } else if decodes_cleanly(GB18030, head) {
        TextEncoding::Gb18030
    } else {
        TextEncoding::Utf8
    };
    Sniffed {
        encoding,
        bom_len: 0,
    }
}

/// Valid UTF-8, allowing a character cut off at the end.
fn is_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Whether `bytes` decode without malformed sequences (a cut character at the end is allowed).
fn decodes_cleanly(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = vec![0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        let (result, read, _) = decoder.decode_to_utf8_without_replacement(rest, &mut out, false);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            DecoderResult::InputEmpty => return true,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) => return false,
        }
    }
}

/// ASCII-heavy UTF-16 without a BOM: most code units have one zero byte on the same side.
fn bomless_utf16(head: &[u8]) -> Option<TextEncoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut le, mut be, mut both_zero) = (0usize, 0usize, 0usize);
    for unit in head.chunks_exact(2) {
        if let [a, b] = unit {
            match (*a == 0, *b == 0) {
                (false, true) => le += 1,
                (true, false) => be += 1,
                (true, true) => both_zero += 1,
                (false, false) => {}
            }
        }
    }
    if both_zero * 20 > pairs {
        return None;
    }
    if le * 2 >= pairs && be * 20 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if be * 2 >= pairs && le * 20 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Whether a sample looks like binary data rather than text in the sniffed encoding: NUL bytes
/// (except in UTF-16), or more than 10% control characters other than tab, line feed, form feed,
/// carriage return and escape.
pub fn is_probably_binary(head: &[u8], sniffed: Sniffed) -> bool {
    let body = head.get(sniffed.bom_len..).unwrap_or_default();
    if sniffed.encoding.is_utf16() {
        let big_endian = sniffed.encoding == TextEncoding::Utf16Be;
        let mut units = 0usize;
        let mut control = 0usize;
        for unit in body.chunks_exact(2) {
            let (hi, lo) = match unit {
                [a, b] if big_endian => (*a, *b),
                [a, b] => (*b, *a),
                _ => continue,
            };
            units += 1;
            if hi == 0 && is_control_byte(lo) {
                control += 1;
            }
        }
        return units > 0 && control * 10 > units;
    }
    if memchr::memchr(0, body).is_some() {
        return true;
    }
    let control = body.iter().filter(|b| is_control_byte(**b)).count();
    !body.is_empty() && control * 10 > body.len()
}

fn is_control_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | 0x1B)) || b == 0x7F
}

/// Names the binary format of a file from its magic number, for the common formats that are
/// never text (images, archives, executables, databases, media).
pub fn binary_magic(head: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"PK\x07\x08", "ZIP archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\x28\xB5\x2F\xFD", "zstd archive"),
        (b"BZh", "bzip2 archive"),
        (b"\xFD7zXZ\x00", "xz archive"),
        (b"7z\xBC\xAF\x27\x1C", "7z archive"),
        (b"Rar!\x1A\x07", "RAR archive"),
        (b"\x7FELF", "ELF executable"),
        (b"\xFE\xED\xFA\xCE", "Mach-O executable"),
        (b"\xFE\xED\xFA\xCF", "Mach-O executable"),
        (b"\xCE\xFA\xED\xFE", "Mach-O executable"),
        (b"\xCF\xFA\xED\xFE", "Mach-O executable"),
        (
            b"\xCA\xFE\xBA\xBE",
            "Java class file or Mach-O universal binary",
        ),
        (b"MZ", "Windows executable"),
        (b"SQLite format 3\x00", "SQLite database"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "OLE compound file (legacy Office)",
        ),
        (b"\x00asm", "WebAssembly module"),
        (b"OggS", "Ogg media"),
        (b"fLaC", "FLAC audio"),
        (b"ID3", "MP3 audio"),
        (b"\x1A\x45\xDF\xA3", "Matroska/WebM media"),
        (b"wOFF", "WOFF font"),
        (b"wOF2", "WOFF2 font"),
        (b"\x00\x01\x00\x00\x00", "TrueType font"),
        (b"OTTO", "OpenType font"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"\x00\x00\x01\x00", "ICO image"),
        (b"PAR1", "Parquet file"),
        (b"ORC", "ORC file"),
        (b"Obj\x01", "Avro file"),
        (b"ustar", "tar archive"),
    ];
    for (magic, name) in MAGICS {
        if head.starts_with(magic) {
            return Some(name);
        }
    }
    if let (Some(riff), Some(kind)) = (head.get(..4), head.get(8..12))
        && riff == b"RIFF"
    {
        return Some(match kind {
            b"WEBP" => "WebP image",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "RIFF media",
        });
    }
    if let Some(ftyp) = head.get(4..8)
        && ftyp == b"ftyp"
    {
        return Some("MP4/QuickTime media");
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some("tar archive");
    }
    None
}

/// One run of characters with equal widths. See the module documentation.
#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Decoded position of the run's first byte.
    text_start: usize,
    /// Original offset of the run's first character.
    orig_start: u64,
    /// UTF-8 width of each character (1 to 4).
    out_w: u8,
    /// Original width of each character (0 when several decoded characters come from one
    /// original character, as with four Big5 codes).
    in_w: u8,
}

/// Decoded UTF-8 text with the way back to original file offsets. See the module documentation
/// for the representation and its cost.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    text: Vec<u8>,
    segs: Vec<Seg>,
    /// Bytes of `text` covered by `segs`.
    mapped: usize,
    /// Original offset just after the last decoded character.
    end_offset: u64,
    errors: u64,
    /// Holds UTF-8 input passed through as is (possibly invalid).
    passthrough: bool,
}

impl Decoded {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The decoded text. Valid UTF-8, except for UTF-8 input, whose bytes are passed through as
    /// they are.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Forgets the text and its map (not where the next text starts), and resets
    /// [`Decoded::errors`].
    pub fn clear(&mut self) {
        self.text.clear();
        self.segs.clear();
        self.mapped = 0;
        self.errors = 0;
        self.passthrough = false;
    }

    /// Length of the decoded text in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether no text has been decoded since the last [`Decoded::clear`].
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Malformed sequences met since the last [`Decoded::clear`]: replaced with U+FFFD, except
    /// in UTF-8 input, where they are counted but kept as they are.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Original file offset of the character that produced decoded byte `pos`; for
    /// `pos >= len()`, the offset just after the last decoded character.
    pub fn original_offset(&self, pos: usize) -> u64 {
        if pos >= self.mapped {
            return self.end_offset;
        }
        let pos = self.char_start(pos);
        let index = self.segs.partition_point(|s| s.text_start <= pos);
        match index.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some(seg) => seg_offset(seg, pos),
            None => self.end_offset,
        }
    }

    /// Appends [`Decoded::original_offset`] of every position in `start..end` to `out`, in
    /// `O(1)` per position after one binary search.
    pub fn extend_offsets(&self, start: usize, end: usize, out: &mut Vec<u64>) {
        if start >= end {
            return;
        }
        out.reserve(end - start);
        if self.passthrough {
            // UTF-8 input may hold invalid bytes: find character starts byte by byte.
            out.extend((start..end).map(|pos| self.original_offset(pos)));
            return;
        }
        let mut index = self
            .segs
            .partition_point(|s| s.text_start <= start)
            .saturating_sub(1);
        let mut pos = start;
        while pos < end {
            let Some(seg) = self
                .segs
                .get(index)
                .filter(|s| pos < self.mapped && s.text_start <= pos)
            else {
                out.extend(std::iter::repeat_n(self.end_offset, end - pos));
                return;
            };
            let seg_end = self
                .segs
                .get(index + 1)
                .map_or(self.mapped, |n| n.text_start);
            let stop = end.min(seg_end);
            let width = usize::from(seg.out_w.max(1));
            let rel = pos - seg.text_start;
            let mut offset = seg
                .orig_start
                .saturating_add(((rel / width) as u64).saturating_mul(u64::from(seg.in_w)));
            let mut run = width - rel % width;
            while pos < stop {
                let n = run.min(stop - pos);
                out.extend(std::iter::repeat_n(offset, n));
                pos += n;
                offset = offset.saturating_add(u64::from(seg.in_w));
                run = width;
            }
            index += 1;
        }
    }

    /// Start of the character that contains `pos` (for UTF-8 input with invalid bytes, `pos`
    /// itself unless the bytes before it form the beginning of a well-formed character).
    fn char_start(&self, pos: usize) -> usize {
        let is_cont = |p: usize| self.text.get(p).is_some_and(|b| b & 0xC0 == 0x80);
        if !is_cont(pos) {
            return pos;
        }
        for back in 1..=3 {
            let Some(q) = pos.checked_sub(back) else {
                return pos;
            };
            if !is_cont(q) {
                let lead = self.text.get(q).copied().unwrap_or(0);
                return if utf8_len(lead) > back { q } else { pos };
            }
        }
        pos
    }

    /// Maps the next `count` characters of `out_w` bytes each (already in `text`) to original
    /// offsets `orig, orig + in_w, …`.
    fn push_run(&mut self, out_w: u8, in_w: u8, count: usize, orig: u64) {
        if count == 0 {
            return;
        }
        let merge = self.segs.last().is_some_and(|last| {
            last.out_w == out_w
                && last.in_w == in_w
                && seg_offset(last, self.mapped) == orig
                && (self.mapped - last.text_start).is_multiple_of(usize::from(out_w.max(1)))
        });
        if !merge {
            self.segs.push(Seg {
                text_start: self.mapped,
                orig_start: orig,
                out_w,
                in_w,
            });
        }
        self.mapped = self
            .mapped
            .saturating_add(count.saturating_mul(usize::from(out_w)));
        self.end_offset = orig.saturating_add((count as u64).saturating_mul(u64::from(in_w)));
    }
}

fn seg_offset(seg: &Seg, pos: usize) -> u64 {
    let chars = (pos.saturating_sub(seg.text_start)) / usize::from(seg.out_w.max(1));
    seg.orig_start
        .saturating_add((chars as u64).saturating_mul(u64::from(seg.in_w)))
}

/// UTF-8 length announced by a lead byte (1 for ASCII, continuation and invalid bytes).
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// Length in the original encoding of the character starting at `bytes[0]`, or `None` when
/// `bytes` ends before the character does. Malformed sequences get the length the lead byte
/// announces; the decoder sorts them out.
fn char_width(encoding: TextEncoding, bytes: &[u8]) -> Option<usize> {
    match encoding {
        TextEncoding::Utf8 => {
            let lead = *bytes.first()?;
            let want = utf8_len(lead);
            for i in 1..want {
                let b = *bytes.get(i)?;
                if b & 0xC0 != 0x80 {
                    return Some(i);
                }
            }
            Some(want)
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let unit = utf16_unit(encoding, bytes, 0)?;
            if (0xD800..0xDC00).contains(&unit) {
                let next = utf16_unit(encoding, bytes, 2)?;
                if (0xDC00..0xE000).contains(&next) {
                    return Some(4);
                }
            }
            Some(2)
        }
        TextEncoding::Gb18030 => {
            let lead = *bytes.first()?;
            if lead <= 0x80 || lead == 0xFF {
                return Some(1);
            }
            let second = *bytes.get(1)?;
            if (0x30..=0x39).contains(&second) {
                if bytes.len() < 4 {
                    return None;
                }
                return Some(4);
            }
            Some(2)
        }
        TextEncoding::Big5 => {
            let lead = *bytes.first()?;
            if lead <= 0x80 || lead == 0xFF {
                return Some(1);
            }
            bytes.get(1)?;
            Some(2)
        }
    }
}

fn utf16_unit(encoding: TextEncoding, bytes: &[u8], at: usize) -> Option<u16> {
    let a = *bytes.get(at)?;
    let b = *bytes.get(at + 1)?;
    Some(if encoding == TextEncoding::Utf16Be {
        u16::from_be_bytes([a, b])
    } else {
        u16::from_le_bytes([a, b])
    })
}

/// Length of the longest prefix of `bytes` made of complete characters.
fn complete_prefix(encoding: TextEncoding, bytes: &[u8]) -> usize {
    match encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let even = bytes.len() & !1;
            // Only a high surrogate in the last unit can be incomplete.
            match even
                .checked_sub(2)
                .and_then(|at| utf16_unit(encoding, bytes, at))
            {
                // A high surrogate in the last unit waits for its low half.
                Some(unit) if (0xD800..0xDC00).contains(&unit) => even - 2,
                _ => even,
            }
        }
        _ => {
            let mut pos = 0;
            while let Some(rest) = bytes.get(pos..) {
                // Fast path over ASCII.
                let ascii = rest.iter().take_while(|b| **b < 0x80).count();
                pos += ascii;
                let Some(rest) = bytes.get(pos..) else { break };
                if rest.is_empty() {
                    break;
                }
                match char_width(encoding, rest) {
                    Some(w) => pos += w,
                    None => break,
                }
            }
            pos.min(bytes.len())
        }
    }
}

/// The four Big5 codes that decode to two characters.
fn is_big5_pair(bytes: &[u8]) -> bool {
    matches!(bytes, [0x88, 0x62 | 0x64 | 0xA3 | 0xA5, ..])
}

/// Streaming decoder of one file into [`Decoded`] UTF-8 text. See the module documentation.
#[derive(Debug)]
pub struct StreamDecoder {
    encoding: TextEncoding,
    /// BOM bytes still to skip.
    bom_left: usize,
    /// Bytes of an incomplete character carried to the next block (at most 4).
    pending: Vec<u8>,
    /// Original offset of `pending[0]`.
    pending_offset: u64,
}

impl StreamDecoder {
    /// A decoder for a file sniffed as `sniffed`.
    pub fn new(sniffed: Sniffed) -> Self {
        StreamDecoder {
            encoding: sniffed.encoding,
            bom_left: sniffed.bom_len,
            pending: Vec::with_capacity(8),
            pending_offset: 0,
        }
    }

    /// The encoding being decoded.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Decodes the next block of the original file (`input`, which starts at file offset
    /// `input_offset`; the first block still contains the BOM) and appends the text to `out`.
    /// `last` flushes a character cut off at the end of the file as U+FFFD.
    pub fn decode(&mut self, input: &[u8], input_offset: u64, last: bool, out: &mut Decoded) {
        let skip = self.bom_left.min(input.len());
        self.bom_left -= skip;
        let mut input = input.get(skip..).unwrap_or_default();
        let mut offset = input_offset.saturating_add(skip as u64);
        if self.pending.is_empty() && out.is_empty() {
            out.end_offset = offset;
        }

        // Complete the character carried over from the previous block.
        while !self.pending.is_empty() {
            let done = complete_prefix(self.encoding, &self.pending);
            if done > 0 {
                let chunk: Vec<u8> = self.pending.drain(..done).collect();
                self.decode_complete(&chunk, self.pending_offset, out);
                self.pending_offset = self.pending_offset.saturating_add(done as u64);
                continue;
            }
            match input.split_first() {
                Some((b, rest)) => {
                    self.pending.push(*b);
                    input = rest;
                    offset = offset.saturating_add(1);
                }
                None => break,
            }
        }
        if !self.pending.is_empty() {
            // Input exhausted inside the carried character.
            if last {
                let chunk = std::mem::take(&mut self.pending);
                self.decode_complete(&chunk, self.pending_offset, out);
            }
            return;
        }

        let done = if last {
            input.len()
        } else {
            complete_prefix(self.encoding, input)
        };
        let (complete, rest) = input.split_at(done.min(input.len()));
        self.decode_complete(complete, offset, out);
        if !rest.is_empty() {
            self.pending.extend_from_slice(rest);
            self.pending_offset = offset.saturating_add(complete.len() as u64);
        }
    }

    /// Decodes bytes that end at a character boundary (or at the end of the file).
    fn decode_complete(&self, bytes: &[u8], base: u64, out: &mut Decoded) {
        if bytes.is_empty() {
            return;
        }
        let Some(encoding) = self.encoding.encoding() else {
            decode_utf8_passthrough(bytes, base, out);
            return;
        };
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut read_total = 0usize;
        let mut run_in = 0usize;
        let mut run_out = out.text.len();
        loop {
            let rest = bytes.get(read_total..).unwrap_or_default();
            let room = decoder
                .max_utf8_buffer_length_without_replacement(rest.len())
                .unwrap_or(rest.len().saturating_mul(3))
                .saturating_add(16);
            let old = out.text.len();
            out.text.resize(old.saturating_add(room), 0);
            let dst = out.text.get_mut(old..).unwrap_or_default();
            let (result, read, written) =
                decoder.decode_to_utf8_without_replacement(rest, dst, true);
            out.text.truncate(old.saturating_add(written));
            read_total = read_total.saturating_add(read).min(bytes.len());
            match result {
                DecoderResult::InputEmpty => {
                    let input = bytes.get(run_in..).unwrap_or_default();
                    attribute(self.encoding, out, run_out, input, base + run_in as u64);
                    return;
                }
                DecoderResult::OutputFull => {
                    if read == 0 && written == 0 {
                        // Cannot happen with the room reserved above; never loop forever.
                        let input = bytes.get(run_in..).unwrap_or_default();
                        attribute(self.encoding, out, run_out, input, base + run_in as u64);
                        return;
                    }
                }
                DecoderResult::Malformed(bad, extra) => {
                    let bad_end = read_total.saturating_sub(usize::from(extra)).max(run_in);
                    let bad_start = bad_end.saturating_sub(usize::from(bad)).max(run_in);
                    let input = bytes.get(run_in..bad_start).unwrap_or_default();
                    attribute(self.encoding, out, run_out, input, base + run_in as u64);
                    out.text.extend_from_slice("\u{FFFD}".as_bytes());
                    let width = u8::try_from(bad_end - bad_start).unwrap_or(u8::MAX);
                    out.push_run(3, width, 1, base + bad_start as u64);
                    out.end_offset = base + bad_end as u64;
                    out.errors += 1;
                    run_in = bad_end;
                    run_out = out.text.len();
                }
            }
        }
    }
}

/// UTF-8 input: the text is the input itself; count malformed sequences.
fn decode_utf8_passthrough(bytes: &[u8], base: u64, out: &mut Decoded) {
    out.passthrough = true;
    out.text.extend_from_slice(bytes);
    out.push_run(1, 1, bytes.len(), base);
    let mut rest = bytes;
    while !rest.is_empty() {
        // SIMD validation (simdutf8's `compat` errors carry the same positions as std's).
        match simdutf8::compat::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => {
                out.errors += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len());
                rest = rest.get(skip.max(1)..).unwrap_or_default();
            }
        }
    }
}

/// Maps the decoded text `out.text[out_from..]` (produced from valid `input` starting at
/// original offset `base`) to original offsets, character by character.
fn attribute(encoding: TextEncoding, out: &mut Decoded, out_from: usize, input: &[u8], base: u64) {
    let end = out.text.len();
    let mut op = out_from.max(out.mapped);
    let mut ip = 0usize;
    while op < end {
        let Some(&lead) = out.text.get(op) else { break };
        let rest_in = input.get(ip..).unwrap_or_default();
        if rest_in.is_empty() {
            // Decoder and width function disagree (never for valid input): map what is left
            // to the end of the input, which keeps the map monotonic.
            out.push_run(1, 0, end - op, base + input.len() as u64);
            break;
        }
        if lead < 0x80 && !encoding.is_utf16() {
            let out_rest = out.text.get(op..end).unwrap_or_default();
            let n = out_rest
                .iter()
                .zip(rest_in)
                .take_while(|(o, i)| **o < 0x80 && o == i)
                .count();
            if n > 0 {
                out.push_run(1, 1, n, base + ip as u64);
                op += n;
                ip += n;
                continue;
            }
        }
        let out_w = utf8_len(lead).min(end - op);
        let in_w = char_width(encoding, rest_in).unwrap_or(rest_in.len());
        if encoding == TextEncoding::Big5 && is_big5_pair(rest_in) {
            let second = out.text.get(op + out_w).map_or(1, |b| utf8_len(*b));
            let second = second.min(end - op - out_w);
            out.push_run(out_w as u8, 0, 1, base + ip as u64);
            if second > 0 {
                out.push_run(second as u8, 0, 1, base + ip as u64);
            }
            op += out_w + second;
        } else {
            out.push_run(out_w as u8, in_w as u8, 1, base + ip as u64);
            op += out_w;
        }
        ip += in_w;
    }
    out.end_offset = base + input.len() as u64;
}

/// How a block of text maps back to file offsets: the identity for UTF-8 files read without
/// decoding, or a [`Decoded`] map.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OffsetMap<'a> {
    /// `text[pos]` is at file offset `base + pos`.
    Identity(u64),
    /// Decoded text.
    Decoded(&'a Decoded),
}

impl OffsetMap<'_> {
    /// File offset of text position `pos`.
    pub(crate) fn offset(&self, pos: usize) -> u64 {
        match self {
            OffsetMap::Identity(base) => base.saturating_add(pos as u64),
            OffsetMap::Decoded(d) => d.original_offset(pos),
        }
    }

    /// Appends the file offsets of text positions `start..end` to `out`.
    pub(crate) fn extend(&self, start: usize, end: usize, out: &mut Vec<u64>) {
        match self {
            OffsetMap::Identity(base) => {
                out.extend((start..end).map(|p| base.saturating_add(p as u64)));
            }
            OffsetMap::Decoded(d) => d.extend_offsets(start, end, out),
        }
    }
}

/// Size of the blocks the readers read.
pub(crate) const BLOCK_SIZE: usize = 1 << 20;

/// Reads a file in blocks and hands out UTF-8 text with its offset map: UTF-8 files without
/// copying or decoding, other encodings through [`StreamDecoder`].
#[derive(Debug)]
pub(crate) struct TextBlocks<R> {
    reader: R,
    buf: Vec<u8>,
    decoder: Option<StreamDecoder>,
    decoded: Decoded,
    bom_left: usize,
    file_offset: u64,
    finished: bool,
    /// Malformed sequences replaced so far (decoded encodings only).
    pub(crate) decode_errors: u64,
}

/// One block of text.
#[derive(Debug)]
pub(crate) struct Block<'a> {
    pub(crate) text: &'a [u8],
    pub(crate) map: OffsetMap<'a>,
    /// No text follows.
    pub(crate) last: bool,
}

impl<R: std::io::Read> TextBlocks<R> {
    pub(crate) fn new(reader: R, sniffed: Sniffed, block_size: usize) -> Self {
        let decoder = (sniffed.encoding != TextEncoding::Utf8).then(|| StreamDecoder::new(sniffed));
        TextBlocks {
            reader,
            buf: vec![0; block_size.max(16)],
            decoder,
            decoded: Decoded::new(),
            bom_left: if sniffed.encoding == TextEncoding::Utf8 {
                sniffed.bom_len
            } else {
                0
            },
            file_offset: 0,
            finished: false,
            decode_errors: 0,
        }
    }

    /// Warns about an empty file or replaced byte sequences, once reading is over.
    pub(crate) fn report(&self, encoding: TextEncoding, sink: &mut dyn crate::cells::CellSink) {
        if self.file_offset == 0 {
            sink.warning(WarningReason::Empty, None, "the file is empty".to_owned());
        }
        if self.decode_errors > 0 {
            sink.warning(
                WarningReason::DecodeErrors,
                None,
                format!(
                    "{} byte sequences are invalid in {} and were replaced with U+FFFD; values around them may be missed",
                    self.decode_errors,
                    encoding.label()
                ),
            );
        }
    }

    /// The next block; the last one has `last` set (and may be empty); `None` after it.
    pub(crate) fn next_block(&mut self) -> Result<Option<Block<'_>>, ReadError> {
        if self.finished {
            return Ok(None);
        }
        let n = loop {
            match self.reader.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(ReadError::Io {
                        offset: self.file_offset,
                        source,
                    });
                }
            }
        };
        let n = n.min(self.buf.len());
        let offset = self.file_offset;
        self.file_offset = self.file_offset.saturating_add(n as u64);
        let last = n == 0;
        self.finished = last;
        let input = self.buf.get(..n).unwrap_or_default();
        match &mut self.decoder {
            None => {
                let skip = self.bom_left.min(input.len());
                self.bom_left -= skip;
                Ok(Some(Block {
                    text: input.get(skip..).unwrap_or_default(),
                    map: OffsetMap::Identity(offset.saturating_add(skip as u64)),
                    last,
                }))
            }
            Some(decoder) => {
                self.decoded.clear();
                decoder.decode(input, offset, last, &mut self.decoded);
                self.decode_errors = self.decode_errors.saturating_add(self.decoded.errors());
                Ok(Some(Block {
                    text: self.decoded.text(),
                    map: OffsetMap::Decoded(&self.decoded),
                    last,
                }))
            }
        }
    }
}

/// Running 1-based line and 0-based count of characters before the current position on the
/// line, over UTF-8 text (`\n` ends a line).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineCol {
    pub(crate) line: u64,
    pub(crate) col: u64,
}

impl Default for LineCol {
    fn default() -> Self {
        LineCol { line: 1, col: 0 }
    }
}

impl LineCol {
    /// Moves over `bytes`.
    pub(crate) fn advance(&mut self, bytes: &[u8]) {
        match memchr::memrchr(b'\n', bytes) {
            Some(last_nl) => {
                self.line = self
                    .line
                    .saturating_add(memchr::memchr_iter(b'\n', bytes).count() as u64);
                let tail = bytes.get(last_nl + 1..).unwrap_or_default();
                self.col = count_chars(tail);
            }
            None => self.col = self.col.saturating_add(count_chars(bytes)),
        }
    }

    /// Moves over one byte.
    pub(crate) fn advance_byte(&mut self, b: u8) {
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
            self.col = 0;
        } else if b & 0xC0 != 0x80 {
            self.col = self.col.saturating_add(1);
        }
    }
}

fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b & 0xC0 != 0x80).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encode(encoding: TextEncoding, s: &str) -> (Vec<u8>, Vec<u64>) {
        // Returns the bytes and the original offset of every char.
        let mut bytes = Vec::new();
        let mut offsets = Vec::new();
        for c in s.chars() {
            offsets.push(bytes.len() as u64);
            let mut tmp = [0u8; 4];
            let cs = c.encode_utf8(&mut tmp);
            match encoding {
                TextEncoding::Utf8 => bytes.extend_from_slice(cs.as_bytes()),
                TextEncoding::Utf16Le => {
                    for u in c.encode_utf16(&mut [0u16; 2]) {
                        bytes.extend_from_slice(&u.to_le_bytes());
                    }
                }
                TextEncoding::Utf16Be => {
                    for u in c.encode_utf16(&mut [0u16; 2]) {
                        bytes.extend_from_slice(&u.to_be_bytes());
                    }
                }
                TextEncoding::Gb18030 | TextEncoding::Big5 => {
                    let enc = encoding.encoding().unwrap();
                    let (out, _, had_errors) = enc.encode(cs);
                    assert!(!had_errors);
                    bytes.extend_from_slice(&out);
                }
            }
        }
        (bytes, offsets)
    }

    fn decode_in_blocks(sniffed: Sniffed, bytes: &[u8], cuts: &[usize]) -> (Decoded, Vec<u64>) {
        let mut decoder = StreamDecoder::new(sniffed);
        let mut out = Decoded::new();
        let mut start = 0;
        let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        points.sort_unstable();
        points.push(bytes.len());
        for p in points {
            if p < start {
                continue;
            }
            decoder.decode(&bytes[start..p], start as u64, false, &mut out);
            start = p;
        }
        decoder.decode(&[], bytes.len() as u64, true, &mut out);
        let mut all = Vec::new();
        out.extend_offsets(0, out.len(), &mut all);
        (out, all)
    }

    fn check_roundtrip(encoding: TextEncoding, s: &str, cuts: &[usize]) {
        let (bytes, offsets) = encode(encoding, s);
        let sniffed = Sniffed {
            encoding,
            bom_len: 0,
        };
        let (out, all) = decode_in_blocks(sniffed, &bytes, cuts);
        assert_eq!(out.text(), s.as_bytes());
        assert_eq!(out.errors(), 0);
        let mut pos = 0;
        for (c, want) in s.chars().zip(&offsets) {
            for i in 0..c.len_utf8() {
                assert_eq!(out.original_offset(pos + i), *want, "char {c:?} byte {i}");
                assert_eq!(all[pos + i], *want);
            }
            pos += c.len_utf8();
        }
        assert_eq!(out.original_offset(out.len()), bytes.len() as u64);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn utf16le_roundtrip(s in "\\PC{0,60}", cuts in prop::collection::vec(any::<usize>(), 0..6)) {
            check_roundtrip(TextEncoding::Utf16Le, &s, &cuts);
        }

        #[test]
        fn utf16be_roundtrip(s in "\\PC{0,60}", cuts in prop::collection::vec(any::<usize>(), 0..6)) {
            check_roundtrip(TextEncoding::Utf16Be, &s, &cuts);
        }

        #[test]
        fn gb18030_roundtrip(s in "\\PC{0,60}", cuts in prop::collection::vec(any::<usize>(), 0..6)) {
            check_roundtrip(TextEncoding::Gb18030, &s, &cuts);
        }

        #[test]
        fn gb18030_cjk_roundtrip(s in "[a-z0-9,张王李赵北京市朝阳区路号€]{0,40}", cuts in prop::collection::vec(any::<usize>(), 0..8)) {
            check_roundtrip(TextEncoding::Gb18030, &s, &cuts);
        }

        #[test]
        fn utf8_roundtrip(s in "\\PC{0,60}", cuts in prop::collection::vec(any::<usize>(), 0..6)) {
            check_roundtrip(TextEncoding::Utf8, &s, &cuts);
        }

        #[test]
        fn garbage_is_monotonic(
            bytes in prop::collection::vec(any::<u8>(), 0..200),
            cuts in prop::collection::vec(any::<usize>(), 0..6),
            which in 0usize..5,
        ) {
            let encoding = [TextEncoding::Utf8, TextEncoding::Utf16Le, TextEncoding::Utf16Be,
                TextEncoding::Gb18030, TextEncoding::Big5][which];
            let (out, all) = decode_in_blocks(Sniffed { encoding, bom_len: 0 }, &bytes, &cuts);
            if encoding != TextEncoding::Utf8 {
                prop_assert!(std::str::from_utf8(out.text()).is_ok());
            }
            for w in all.windows(2) {
                prop_assert!(w[0] <= w[1]);
            }
            for (p, o) in all.iter().enumerate() {
                prop_assert_eq!(*o, out.original_offset(p));
                prop_assert!(*o <= bytes.len() as u64);
            }
            prop_assert_eq!(out.original_offset(out.len()), bytes.len() as u64);
        }
    }

    #[test]
    fn big5_roundtrip_and_pairs() {
        check_roundtrip(TextEncoding::Big5, "abc中文字，台北市", &[3, 4, 7]);
        // 0x8862 decodes to two characters, both mapped to the pair's first byte.
        let bytes = [b'a', 0x88, 0x62, b'b'];
        let (out, all) = decode_in_blocks(
            Sniffed {
                encoding: TextEncoding::Big5,
                bom_len: 0,
            },
            &bytes,
            &[2],
        );
        assert_eq!(out.text(), "aÊ̄b".as_bytes());
        assert_eq!(all, vec![0, 1, 1, 1, 1, 3]);
        assert_eq!(out.original_offset(out.len()), 4);
    }

    #[test]
    fn malformed_gb18030_maps_replacement_to_bad_byte() {
        // "张" then a lone lead byte followed by ASCII, then "三".
        let mut bytes = GB18030.encode("张").0.into_owned();
        bytes.extend_from_slice(&[0x81, b' ']);
        bytes.extend_from_slice(&GB18030.encode("三").0);
        let sniffed = Sniffed {
            encoding: TextEncoding::Gb18030,
            bom_len: 0,
        };
        let (out, _) = decode_in_blocks(sniffed, &bytes, &[3]);
        assert_eq!(out.text(), "张\u{FFFD} 三".as_bytes());
        assert_eq!(out.errors(), 1);
        assert_eq!(out.original_offset(3), 2);
        assert_eq!(out.original_offset(6), 3);
        assert_eq!(out.original_offset(7), 4);
    }

    #[test]
    fn bom_is_skipped() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(encode(TextEncoding::Utf16Le, "hi").0);
        let sniffed = sniff_encoding(&bytes);
        assert_eq!(
            sniffed,
            Sniffed {
                encoding: TextEncoding::Utf16Le,
                bom_len: 2
            }
        );
        let mut decoder = StreamDecoder::new(sniffed);
        let mut out = Decoded::new();
        decoder.decode(&bytes[..1], 0, false, &mut out);
        decoder.decode(&bytes[1..], 1, true, &mut out);
        assert_eq!(out.text(), b"hi");
        assert_eq!(out.original_offset(0), 2);
        assert_eq!(out.original_offset(1), 4);
        assert_eq!(out.original_offset(2), 6);
    }

    #[test]
    fn truncated_char_at_eof_is_replaced() {
        let bytes = [b'a', 0xD5];
        let sniffed = Sniffed {
            encoding: TextEncoding::Gb18030,
            bom_len: 0,
        };
        let (out, _) = decode_in_blocks(sniffed, &bytes, &[]);
        assert_eq!(out.text(), "a\u{FFFD}".as_bytes());
        assert_eq!(out.errors(), 1);
        assert_eq!(out.original_offset(1), 1);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_encoding(b"").encoding, TextEncoding::Utf8);
        assert_eq!(sniff_encoding(b"plain ascii").encoding, TextEncoding::Utf8);
        assert_eq!(
            sniff_encoding("中文内容".as_bytes()).encoding,
            TextEncoding::Utf8
        );
        // Truncated UTF-8 char at the end of the sample.
        let s = "姓名,电话".as_bytes();
        assert_eq!(
            sniff_encoding(&s[..s.len() - 1]).encoding,
            TextEncoding::Utf8
        );
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFabc"),
            Sniffed {
                encoding: TextEncoding::Utf8,
                bom_len: 3
            }
        );
        assert_eq!(
            sniff_encoding(b"\xFE\xFF\x00a").encoding,
            TextEncoding::Utf16Be
        );
        let gbk = GB18030
            .encode("姓名,手机号码,住址\n张三,13800000000,北京市朝阳区某某路一号\n")
            .0;
        assert_eq!(sniff_encoding(&gbk).encoding, TextEncoding::Gb18030);
        let big5 = BIG5
            .encode("姓名,電話,地址\n陳大文,0912000000,臺北市中正區某某路一號\n")
            .0;
        assert_eq!(sniff_encoding(&big5).encoding, TextEncoding::Big5);
        let (utf16, _) = encode(TextEncoding::Utf16Le, "name,phone\nabc,123\n");
        assert_eq!(
            sniff_encoding(&utf16),
            Sniffed {
                encoding: TextEncoding::Utf16Le,
                bom_len: 0
            }
        );
    }

    #[test]
    fn binary_checks() {
        assert!(is_probably_binary(b"abc\0def", Sniffed::UTF8));
        assert!(!is_probably_binary(
            b"line one\r\nline two\t\x1b[0m\n",
            Sniffed::UTF8
        ));
        assert!(is_probably_binary(&[1, 2, 3, 4, b'a', 5, 6], Sniffed::UTF8));
        let (utf16, _) = encode(TextEncoding::Utf16Le, "hello world");
        let sniffed = Sniffed {
            encoding: TextEncoding::Utf16Le,
            bom_len: 0,
        };
        assert!(!is_probably_binary(&utf16, sniffed));
        assert!(!is_probably_binary(b"", Sniffed::UTF8));
        assert_eq!(binary_magic(b"\x89PNG\r\n\x1a\nxxxx"), Some("PNG image"));
        assert_eq!(binary_magic(b"PK\x03\x04rest"), Some("ZIP archive"));
        assert_eq!(binary_magic(b"RIFF\0\0\0\0WEBPVP8 "), Some("WebP image"));
        assert_eq!(
            binary_magic(b"\0\0\0\x18ftypmp42"),
            Some("MP4/QuickTime media")
        );
        assert_eq!(
            binary_magic(b"SQLite format 3\0..."),
            Some("SQLite database")
        );
        assert_eq!(binary_magic(b"hello"), None);
        assert_eq!(binary_magic(b""), None);
    }

    #[test]
    fn line_col() {
        let mut lc = LineCol::default();
        lc.advance("ab张\ncd".as_bytes());
        assert_eq!((lc.line, lc.col), (2, 2));
        lc.advance_byte(b'\n');
        assert_eq!((lc.line, lc.col), (3, 0));
    }
}

/// A [`CellSink`](crate::cells::CellSink) that records everything, for the readers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::cells::{Cell, CellSink, Field};
    use xiezhi_model::WarningReason;

    /// An owned copy of a [`Cell`].
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct OwnedCell {
        pub(crate) index: Option<u32>,
        pub(crate) path: Option<String>,
        pub(crate) record: u64,
        pub(crate) line: u64,
        pub(crate) column: u64,
        pub(crate) value: String,
        pub(crate) origin: Vec<u64>,
        pub(crate) sheet: Option<String>,
        pub(crate) cell_ref: Option<String>,
    }

    #[derive(Debug, Default)]
    pub(crate) struct Recorder {
        pub(crate) headers: Vec<(Option<String>, Vec<String>)>,
        pub(crate) cells: Vec<OwnedCell>,
        pub(crate) warnings: Vec<(WarningReason, Option<u64>, String)>,
    }

    impl Recorder {
        pub(crate) fn values(&self) -> Vec<&str> {
            self.cells.iter().map(|c| c.value.as_str()).collect()
        }

        pub(crate) fn reasons(&self) -> Vec<WarningReason> {
            self.warnings.iter().map(|w| w.0).collect()
        }
    }

    impl CellSink for Recorder {
        fn header(&mut self, sheet: Option<&str>, names: &[String]) {
            self.headers
                .push((sheet.map(str::to_owned), names.to_vec()));
        }

        fn cell(&mut self, cell: &Cell<'_>) {
            assert!(cell.origin.is_empty() || cell.origin.len() == cell.value.len() + 1);
            assert!(
                cell.origin.windows(2).all(|w| w[0] <= w[1]),
                "origin not monotonic"
            );
            assert!(!cell.value.is_empty());
            let (index, path) = match cell.field {
                Field::Index(i) => (Some(i), None),
                Field::Path(p) => (None, Some(p.to_owned())),
            };
            self.cells.push(OwnedCell {
                index,
                path,
                record: cell.record,
                line: cell.line,
                column: cell.column,
                value: String::from_utf8_lossy(cell.value).into_owned(),
                origin: cell.origin.to_vec(),
                sheet: cell.sheet.map(str::to_owned),
                cell_ref: cell.cell_ref.map(str::to_owned),
            });
        }

        fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String) {
            self.warnings.push((reason, line, message));
        }
    }
}
