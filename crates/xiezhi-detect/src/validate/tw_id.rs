//! Taiwan national identification number (中華民國國民身分證統一編號) and the new-style resident
//! certificate number (新式外來人口統一證號, issued since 2021 with the same layout).
//!
//! Layout: an uppercase letter (place of first registration), a digit for the sex or holder type
//! (1/2 for citizens; 8/9 for the new-style resident certificate), seven serial digits and a
//! check digit. The letter maps to two digits with the Ministry of the Interior table (A=10 …
//! H=17, I=34, J=18 … N=22, O=35, P=23 … V=29, W=32, X=30, Y=31, Z=33); the eleven digits are
//! weighted 1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1 and the sum must be a multiple of 10.
//!
//! The old-style resident certificate (two letters, e.g. `AC01234567`) is not handled here.

/// Two-digit value of the leading letter.
const fn letter_value(b: u8) -> Option<u32> {
    Some(match b {
        b'A' => 10,
        b'B' => 11,
        b'C' => 12,
        b'D' => 13,
        b'E' => 14,
        b'F' => 15,
        b'G' => 16,
        b'H' => 17,
        b'I' => 34,
        b'J' => 18,
        b'K' => 19,
        b'L' => 20,
        b'M' => 21,
        b'N' => 22,
        b'O' => 35,
        b'P' => 23,
        b'Q' => 24,
        b'R' => 25,
        b'S' => 26,
        b'T' => 27,
        b'U' => 28,
        b'V' => 29,
        b'W' => 32,
        b'X' => 30,
        b'Y' => 31,
        b'Z' => 33,
        _ => return None,
    })
}

/// True when `id` is a 10-character Taiwan identification number: uppercase letter, then `1`, `2`
/// (citizens) or `8`, `9` (new-style resident certificate), then eight digits, with a valid check
/// digit. Lowercase letters are rejected.
#[must_use]
pub fn is_valid(id: &[u8]) -> bool {
    let [letter, kind, rest @ ..] = id else {
        return false;
    };
    if rest.len() != 8 || !matches!(kind, b'1' | b'2' | b'8' | b'9') {
        return false;
    }
    let Some(v) = letter_value(*letter) else {
        return false;
    };
    // Letter digits weigh 1 and 9; the sex digit 8; serial digits 7..1; the check digit 1.
    let mut sum = v / 10 + (v % 10) * 9 + u32::from(kind - b'0') * 8;
    for (&d, w) in rest.iter().zip([7u32, 6, 5, 4, 3, 2, 1, 1]) {
        if !d.is_ascii_digit() {
            return false;
        }
        sum += u32::from(d - b'0') * w;
    }
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_numbers() {
        // The sample number used in the Ministry of the Interior's explanation of the check.
        assert!(is_valid(b"A123456789"));
        assert!(is_valid(b"A223456781"));
        // Letters with out-of-order values.
        assert!(is_valid(b"I100000003"));
        assert!(is_valid(b"O100000004"));
        assert!(is_valid(b"W100000001"));
        assert!(is_valid(b"Z100000002"));
        // New-style resident certificate numbers.
        assert!(is_valid(b"A800000014"));
        assert!(is_valid(b"F900000002"));
    }

    #[test]
    fn invalid_numbers() {
        assert!(!is_valid(b"A123456788"));
        assert!(!is_valid(b"a123456789"));
        assert!(!is_valid(b"A323456787"));
        assert!(!is_valid(b"A023456780"));
        assert!(!is_valid(b"A12345678"));
        assert!(!is_valid(b"A1234567890"));
        assert!(!is_valid(b"1123456789"));
        assert!(!is_valid(b"AB23456789"));
        assert!(!is_valid(b"A12345678X"));
        assert!(!is_valid(b""));
    }

    fn complete(body: &str) -> Vec<u8> {
        (b'0'..=b'9')
            .map(|c| {
                let mut v = body.as_bytes().to_vec();
                v.push(c);
                v
            })
            .find(|v| is_valid(v))
            .unwrap()
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit(l in "[A-Z]", k in "[1289]", serial in "[0-9]{7}") {
            let body = format!("{l}{k}{serial}");
            let n = (b'0'..=b'9').filter(|&c| {
                let mut v = body.clone().into_bytes();
                v.push(c);
                is_valid(&v)
            }).count();
            prop_assert_eq!(n, 1);
        }

        #[test]
        fn digit_change_at_odd_weight_invalidates(
            l in "[A-Z]", k in "[1289]", serial in "[0-9]{7}",
            pos in prop::sample::select(vec![2usize, 6, 8, 9]), delta in 1u8..10,
        ) {
            // Only the positions weighted 7, 3, 1, 1 (coprime to 10) catch every substitution;
            // weights 6, 5, 4, 2 miss some, a known weakness of this check.
            let mut v = complete(&format!("{l}{k}{serial}"));
            v[pos] = b'0' + (v[pos] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&v));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
            let _ = is_valid(&bytes);
        }
    }
}
