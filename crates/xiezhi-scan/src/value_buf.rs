//! The value a streaming reader (CSV, JSON) is gathering, with the file offset of every byte.
//! A value longer than the buffer's limit is delivered in pieces cut at character boundaries.

use crate::decode::{LineCol, OffsetMap, utf8_len};

/// A value (or the piece of it held) with its file offsets and position.
#[derive(Debug)]
pub(crate) struct ValueBuf {
    /// The bytes held.
    pub(crate) bytes: Vec<u8>,
    /// File offset of each byte, then the offset just after the last one (so one entry more
    /// than `bytes` once something is held).
    pub(crate) origin: Vec<u64>,
    /// Line of the first byte held.
    pub(crate) line: u64,
    /// Column (1-based, in characters) of the first byte held.
    pub(crate) col: u64,
    /// Length at which the reader delivers a piece.
    max: usize,
}

impl ValueBuf {
    /// An empty buffer that is full at `max` bytes.
    pub(crate) fn new(max: usize) -> Self {
        ValueBuf {
            bytes: Vec::new(),
            origin: Vec::new(),
            line: 1,
            col: 1,
            max,
        }
    }

    /// Length at which the reader delivers a piece.
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// Whether the buffer holds `max` bytes or more: time to deliver a piece.
    pub(crate) fn is_full(&self) -> bool {
        self.bytes.len() >= self.max
    }

    /// Forgets what is held.
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.origin.clear();
    }

    /// Makes room for bytes starting at `line`/`col`: they start the value when nothing is held,
    /// otherwise they replace the end offset.
    fn open(&mut self, line: u64, col: u64) {
        if self.bytes.is_empty() {
            self.line = line;
            self.col = col;
            self.origin.clear();
        } else {
            self.origin.pop();
        }
    }

    /// Appends `bytes` produced by one escape sequence at `line`/`col`, all mapped to its first
    /// byte at file offset `offset`; `end` is the offset just after the sequence.
    pub(crate) fn push_mapped(&mut self, bytes: &[u8], line: u64, col: u64, offset: u64, end: u64) {
        self.open(line, col);
        self.bytes.extend_from_slice(bytes);
        self.origin.extend(std::iter::repeat_n(offset, bytes.len()));
        self.origin.push(end);
    }

    /// Appends as much of `text[a..b]` (at `pos`, mapped by `map`) as fits below `max`, at
    /// least one byte, and moves `pos` over it; returns the end of what was appended.
    pub(crate) fn push_text(
        &mut self,
        text: &[u8],
        map: OffsetMap<'_>,
        a: usize,
        b: usize,
        pos: &mut LineCol,
    ) -> usize {
        let room = self.max.saturating_sub(self.bytes.len()).max(1);
        let end = b.min(a.saturating_add(room));
        let chunk = text.get(a..end).unwrap_or_default();
        self.open(pos.line, pos.col + 1);
        self.bytes.extend_from_slice(chunk);
        // Offsets of the bytes and of the position just after them.
        map.extend(a, end + 1, &mut self.origin);
        pos.advance(chunk);
        end
    }

    /// Length of the next piece: all that is held but an incomplete trailing character (all of
    /// it when that would leave nothing).
    pub(crate) fn piece_len(&self) -> usize {
        let len = self.bytes.len();
        let mut cut = len;
        for back in 1..=4usize.min(len) {
            let q = len - back;
            let lead = self.bytes.get(q).copied().unwrap_or(0);
            if lead & 0xC0 != 0x80 {
                if utf8_len(lead) > back {
                    cut = q;
                }
                break;
            }
        }
        if cut == 0 { len } else { cut }
    }

    /// Drops the first `len` bytes, delivered as a piece; what remains is the start of the
    /// character being read at `pos`.
    pub(crate) fn consume(&mut self, len: usize, pos: &LineCol) {
        self.bytes.drain(..len.min(self.bytes.len()));
        self.origin.drain(..len.min(self.origin.len()));
        if self.bytes.is_empty() {
            self.origin.clear();
        } else {
            self.line = pos.line;
            self.col = pos.col.max(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_whole_characters() {
        let mut buf = ValueBuf::new(4);
        let mut pos = LineCol::default();
        let text = "a张b".as_bytes();
        let end = buf.push_text(text, OffsetMap::Identity(10), 0, text.len(), &mut pos);
        assert_eq!(end, 4);
        assert!(buf.is_full());
        assert_eq!(buf.origin, vec![10, 11, 12, 13, 14]);
        assert_eq!(buf.piece_len(), 4);
        buf.consume(4, &pos);
        assert!(buf.bytes.is_empty() && buf.origin.is_empty());

        let mut buf = ValueBuf::new(3);
        let end = buf.push_text(text, OffsetMap::Identity(0), 0, text.len(), &mut pos);
        assert_eq!((end, buf.piece_len()), (3, 1));
        buf.consume(1, &pos);
        assert_eq!(buf.bytes, "张".as_bytes()[..2]);
        assert_eq!(buf.origin, vec![1, 2, 3]);

        let mut buf = ValueBuf::new(8);
        buf.push_mapped("张".as_bytes(), 2, 5, 7, 13);
        assert_eq!((buf.line, buf.col), (2, 5));
        assert_eq!(buf.origin, vec![7, 7, 7, 13]);
    }
}
