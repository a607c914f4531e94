//! Byte-level helpers over UTF-8 text that may contain invalid bytes. Nothing here panics: every
//! access past the end yields `None` or a neutral value.

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
    // Hand decoding (hot in the name and address detectors): the same checks as
    // `str::from_utf8` on one character — continuation bytes, overlong forms, surrogates and
    // the U+10FFFF limit — without a call per character.
    let cont = |k: usize| bytes.get(k).copied().filter(|b| b & 0xC0 == 0x80);
    let decoded = match len {
        2 => cont(1).map(|b1| (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F)),
        3 => match (cont(1), cont(2)) {
            (Some(b1), Some(b2)) => Some(
                (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F),
            )
            .filter(|&cp| cp >= 0x800),
            _ => None,
        },
        _ => match (cont(1), cont(2), cont(3)) {
            (Some(b1), Some(b2), Some(b3)) => Some(
                (u32::from(b0 & 0x07) << 18)
                    | (u32::from(b1 & 0x3F) << 12)
                    | (u32::from(b2 & 0x3F) << 6)
                    | u32::from(b3 & 0x3F),
            )
            .filter(|&cp| cp >= 0x10000),
            _ => None,
        },
    };
    match decoded.and_then(char::from_u32) {
        Some(c) => Some((c, len)),
        None => Some(('\u{FFFD}', 1)),
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

/// Whether the character is a CJK ideograph (basic block and extension A).
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Skips ASCII spaces/tabs and the separators that sit between a label and its value
/// (`:`, `：`, `=`, `"`, `'`, `是`, `为`) — at most `max` bytes. Returns the new position.
pub(crate) fn skip_label_separators(text: &[u8], mut i: usize, max: usize) -> usize {
    let limit = i.saturating_add(max).min(text.len());
    while i < limit {
        match at(text, i) {
            b' ' | b'\t' | b':' | b'=' | b'"' | b'\'' | b'>' | b'|' | b'\\' => i += 1,
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
    fn hand_decoding_agrees_with_std() {
        // Every lead byte with a spread of continuation bytes, including invalid ones.
        let tails = [
            0x00u8, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF,
        ];
        for b0 in 0u8..=255 {
            for &b1 in &tails {
                for &b2 in &tails {
                    for &b3 in &tails {
                        let bytes = [b0, b1, b2, b3];
                        let expected = match b0 {
                            0..=0x7F => Some((b0 as char, 1)),
                            0xC2..=0xF4 => {
                                let len = match b0 {
                                    0xC2..=0xDF => 2,
                                    0xE0..=0xEF => 3,
                                    _ => 4,
                                };
                                match std::str::from_utf8(&bytes[..len]) {
                                    Ok(s) => s.chars().next().map(|c| (c, len)),
                                    Err(_) => Some(('\u{FFFD}', 1)),
                                }
                            }
                            _ => Some(('\u{FFFD}', 1)),
                        };
                        assert_eq!(char_at(&bytes, 0), expected, "{bytes:02X?}");
                    }
                }
            }
        }
    }

    #[test]
    fn separators_are_skipped() {
        let t = "姓名：张三".as_bytes();
        assert_eq!(skip_label_separators(t, 6, 12), 9);
        let t = b"name = \"x\"";
        assert_eq!(skip_label_separators(t, 4, 12), 8);
    }
}
