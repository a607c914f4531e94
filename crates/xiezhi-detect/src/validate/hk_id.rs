//! Hong Kong identity card number (香港身份證號碼).
//!
//! Printed as `A123456(3)`: one or two uppercase letters, six digits and a check character in
//! parentheses. The check is the widely documented mod-11 scheme: the value of a letter is
//! 10 for `A` … 35 for `Z`; a one-letter number is padded on the left with a space worth 36; the
//! eight values are weighted 9, 8, …, 2; the check is `11 − (sum mod 11)`, with 10 written `A`
//! and 11 written `0`.

/// Value of a prefix letter (`A` = 10 … `Z` = 35).
fn letter_value(b: u8) -> Option<u32> {
    if b.is_ascii_uppercase() {
        Some(u32::from(b - b'A') + 10)
    } else {
        None
    }
}

/// True when `id` is a Hong Kong identity card number in normalised form, without parentheses or
/// spaces and in uppercase: one or two letters, six digits and the check character (`0`–`9` or
/// `A`), e.g. `A1234563` or `AB9876543`.
#[must_use]
pub fn is_valid(id: &[u8]) -> bool {
    let (letters, rest): (&[u8], &[u8]) = match *id {
        [a, b, ..] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => id.split_at(2),
        [a, ..] if a.is_ascii_uppercase() => id.split_at(1),
        _ => return false,
    };
    let [d1, d2, d3, d4, d5, d6, check] = *rest else {
        return false;
    };
    // A one-letter number is padded with a space worth 36 in the first (weight 9) position.
    let mut sum: u32 = if letters.len() == 1 { 36 * 9 } else { 0 };
    let mut weight: u32 = if letters.len() == 1 { 8 } else { 9 };
    for &l in letters {
        let Some(v) = letter_value(l) else {
            return false;
        };
        sum += v * weight;
        weight -= 1;
    }
    for d in [d1, d2, d3, d4, d5, d6] {
        if !d.is_ascii_digit() {
            return false;
        }
        sum += u32::from(d - b'0') * weight;
        weight = weight.saturating_sub(1);
    }
    let expected = match 11 - sum % 11 {
        10 => b'A',
        11 => b'0',
        n => b'0' + u8::try_from(n).unwrap_or(0),
    };
    check == expected
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_check(body: &str) -> Option<String> {
        (b'0'..=b'9')
            .chain([b'A'])
            .map(|c| format!("{body}{}", c as char))
            .find(|s| is_valid(s.as_bytes()))
    }

    #[test]
    fn valid_numbers() {
        // The sample number printed on the Immigration Department's specimen card: A123456(3).
        assert!(is_valid(b"A1234563"));
        // Check value 10 written as A, and 11 written as 0.
        assert!(is_valid(b"G123456A"));
        assert!(is_valid(b"K1234560"));
        assert!(is_valid(b"R123456A"));
        assert!(is_valid(b"Z6837434"));
        assert!(is_valid(b"C6688886"));
        // Two-letter prefixes.
        assert!(is_valid(b"AB9876543"));
        assert!(is_valid(b"XA0000008"));
    }

    #[test]
    fn invalid_numbers() {
        assert!(!is_valid(b"A1234564"));
        assert!(!is_valid(b"K123456A"));
        assert!(!is_valid(b"XA0000007"));
        assert!(!is_valid(b"BA9876543"));
        assert!(!is_valid(b"A123456A"));
        assert!(!is_valid(b"a1234563"));
        assert!(!is_valid(b"A123456(3)"));
        assert!(!is_valid(b"A123456 3"));
        assert!(!is_valid(b"A123456"));
        assert!(!is_valid(b"A12345633"));
        assert!(!is_valid(b"ABC1234563"));
        assert!(!is_valid(b"11234563"));
        assert!(!is_valid(b"A12345B3"));
        assert!(!is_valid(b"A123456a"));
        assert!(!is_valid(b""));
        assert!(!is_valid(b"A"));
    }

    #[test]
    fn helper_agrees() {
        assert_eq!(with_check("A123456").as_deref(), Some("A1234563"));
        assert_eq!(with_check("G123456").as_deref(), Some("G123456A"));
        assert_eq!(with_check("AB987654").as_deref(), Some("AB9876543"));
    }

    proptest! {
        #[test]
        fn exactly_one_check_char(prefix in "[A-Z]{1,2}", digits in "[0-9]{6}") {
            let body = format!("{prefix}{digits}");
            let n = (b'0'..=b'9').chain([b'A'])
                .filter(|&c| {
                    let mut v = body.clone().into_bytes();
                    v.push(c);
                    is_valid(&v)
                })
                .count();
            prop_assert_eq!(n, 1);
        }

        #[test]
        fn digit_change_invalidates(prefix in "[A-Z]{1,2}", digits in "[0-9]{6}", pos in 0usize..6, delta in 1u8..10) {
            let body = format!("{prefix}{digits}");
            let good = with_check(&body).unwrap().into_bytes();
            let mut bad = good.clone();
            let i = prefix.len() + pos;
            bad[i] = b'0' + (bad[i] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&bad));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
            let _ = is_valid(&bytes);
        }
    }
}
