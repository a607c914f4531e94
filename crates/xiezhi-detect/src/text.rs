//! Byte-level helpers over UTF-8 text that may contain invalid bytes. Nothing here panics: every
//! access past the end yields `None` or a neutral value.

/// Byte classes of the candidate pass.
pub(crate) const BORING: u8 = 0;
pub(crate) const DIGIT: u8 = 1;
pub(crate) const LETTER: u8 = 2;
pub(crate) const AT: u8 = 3;
pub(crate) const LEAD3: u8 = 4;
pub(crate) const DASH: u8 = 5;

/// Class of every byte value, so the hot loop does one table load per byte.
pub(crate) static CLASS: [u8; 256] = build_class();

const fn build_class() -> [u8; 256] {
    let mut t = [BORING; 256];
    let mut b = b'0';
    while b <= b'9' {
        t[b as usize] = DIGIT;
        b += 1;
    }
    let mut b = b'A';
    while b <= b'Z' {
        t[b as usize] = LETTER;
        t[(b + 32) as usize] = LETTER;
        b += 1;
    }
    t[b'@' as usize] = AT;
    t[b'-' as usize] = DASH;
    let mut b = 0xE0u8;
    while b <= 0xEF {
        t[b as usize] = LEAD3;
        b += 1;
    }
    t
}

/// The byte at `i`, or 0 past the end.
#[inline]
pub(crate) fn at(text: &[u8], i: usize) -> u8 {
    text.get(i).copied().unwrap_or(0)
}

/// The byte before `i`, or 0 at the start.
#[inline]
pub(crate) fn before(text: &[u8], i: usize) -> u8 {
    if i == 0 { 0 } else { at(text, i - 1) }
}

/// Decodes the 3-byte UTF-8 character starting at `i` (lead byte 0xE0..=0xEF).
#[inline]
pub(crate) fn char3(text: &[u8], i: usize) -> Option<char> {
    let b0 = *text.get(i)?;
    let b1 = *text.get(i + 1)?;
    let b2 = *text.get(i + 2)?;
    if b0 & 0xF0 != 0xE0 || b1 & 0xC0 != 0x80 || b2 & 0xC0 != 0x80 {
        return None;
    }
    let cp = ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
    if cp < 0x800 {
        return None;
    }
    char::from_u32(cp)
}

/// Decodes the character starting at `i` and its byte length; invalid bytes decode as
/// U+FFFD with length 1.
#[inline]
pub(crate) fn char_at(text: &[u8], i: usize) -> Option<(char, usize)> {
    let b0 = *text.get(i)?;
    if b0 < 0x80 {
        return Some((b0 as char, 1));
    }
    let len = match b0 {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return Some(('\u{FFFD}', 1)),
    };
    let bytes = text.get(i..i + len)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().next().map(|c| (c, len)),
        Err(_) => Some(('\u{FFFD}', 1)),
    }
}

/// Decodes the character that ends just before `i` and its byte length.
#[inline]
pub(crate) fn char_before(text: &[u8], i: usize) -> Option<(char, usize)> {
    if i == 0 {
        return None;
    }
    let mut start = i - 1;
    let lowest = i.saturating_sub(4);
    while start > lowest && at(text, start) & 0xC0 == 0x80 {
        start -= 1;
    }
    match char_at(text, start) {
        Some((c, len)) if start + len == i => Some((c, len)),
        _ => Some(('\u{FFFD}', 1)),
    }
}

/// The value of a full-width digit `０`..`９` (EF BC 90..99) at `i`.
#[inline]
pub(crate) fn fullwidth_digit(text: &[u8], i: usize) -> Option<u8> {
    if at(text, i) == 0xEF && at(text, i + 1) == 0xBC {
        let b2 = at(text, i + 2);
        if (0x90..=0x99).contains(&b2) {
            return Some(b'0' + (b2 - 0x90));
        }
    }
    None
}

/// An ASCII or full-width digit at `i`: its ASCII value and byte length.
#[inline]
pub(crate) fn any_digit(text: &[u8], i: usize) -> Option<(u8, usize)> {
    let b = at(text, i);
    if b.is_ascii_digit() {
        Some((b, 1))
    } else if b == 0xEF {
        fullwidth_digit(text, i).map(|d| (d, 3))
    } else {
        None
    }
}

/// Whether the character is a CJK ideograph (basic block and extension A).
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Whether `b` is an ASCII letter or digit.
#[inline]
pub(crate) fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Byte offset of the start of the line containing `i` (0 or just after a `\n`).
#[inline]
pub(crate) fn line_start(text: &[u8], i: usize, floor: usize) -> usize {
    let from = floor.min(i);
    match text.get(from..i).and_then(|s| memchr::memrchr(b'\n', s)) {
        Some(p) => from + p + 1,
        None => from,
    }
}

/// The largest char boundary `<= i` (never more than 3 bytes back).
#[inline]
pub(crate) fn floor_boundary(text: &[u8], mut i: usize) -> usize {
    let lowest = i.saturating_sub(3);
    while i > lowest && i < text.len() && text.get(i).is_some_and(|b| b & 0xC0 == 0x80) {
        i -= 1;
    }
    i.min(text.len())
}

/// `text[from..to]` as `&str` when it is valid UTF-8.
#[inline]
pub(crate) fn str_slice(text: &[u8], from: usize, to: usize) -> Option<&str> {
    text.get(from..to).and_then(|s| std::str::from_utf8(s).ok())
}

/// Skips ASCII spaces/tabs and the separators that sit between a label and its value
/// (`:`, `：`, `=`, `"`, `'`, `是`, `为`) — at most `max` bytes. Returns the new position.
pub(crate) fn skip_label_separators(text: &[u8], mut i: usize, max: usize) -> usize {
    let limit = i.saturating_add(max).min(text.len());
    while i < limit {
        match at(text, i) {
            b' ' | b'\t' | b':' | b'=' | b'"' | b'\'' | b'>' | b'|' => i += 1,
            0xEF if at(text, i + 1) == 0xBC && matches!(at(text, i + 2), 0x9A | 0x9D) => i += 3, // ： ＝
            0xE3 if at(text, i + 1) == 0x80 && at(text, i + 2) == 0x80 => i += 3, // ideographic space
            0xE2 if at(text, i + 1) == 0x80 && matches!(at(text, i + 2), 0x9C | 0x98) => i += 3, // “ ‘
            0xE3 if at(text, i + 1) == 0x80 && matches!(at(text, i + 2), 0x8C | 0x8E) => i += 3, // 「 『
            _ => match char3(text, i) {
                Some('是' | '为' | '為') => i += 3,
                _ => break,
            },
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_chars_both_ways() {
        let t = "a身1".as_bytes();
        assert_eq!(char_at(t, 1), Some(('身', 3)));
        assert_eq!(char3(t, 1), Some('身'));
        assert_eq!(char_before(t, 4), Some(('身', 3)));
        assert_eq!(char_before(t, 1), Some(('a', 1)));
        assert_eq!(char_before(t, 0), None);
        assert_eq!(char_at(&[0xFF], 0), Some(('\u{FFFD}', 1)));
        assert_eq!(char3(&[0xE8, 0xBA], 0), None);
    }

    #[test]
    fn fullwidth_digits() {
        let t = "１３8".as_bytes();
        assert_eq!(any_digit(t, 0), Some((b'1', 3)));
        assert_eq!(any_digit(t, 3), Some((b'3', 3)));
        assert_eq!(any_digit(t, 6), Some((b'8', 1)));
        assert_eq!(any_digit(t, 7), None);
    }

    #[test]
    fn separators_are_skipped() {
        let t = "姓名：张三".as_bytes();
        assert_eq!(skip_label_separators(t, 6, 12), 9);
        let t = b"name = \"x\"";
        assert_eq!(skip_label_separators(t, 4, 12), 8);
    }

    #[test]
    fn line_start_finds_newline() {
        let t = b"ab\ncd";
        assert_eq!(line_start(t, 4, 0), 3);
        assert_eq!(line_start(t, 1, 0), 0);
    }
}
