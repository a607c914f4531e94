//! ISO 7064 MOD 11-2 check character, as used by the 18-character PRC resident identity number
//! (GB 11643-1999 "公民身份号码", clause 7 and Annex: weights `W_i = 2^(i-1) mod 11`, check
//! `a_1 = (12 - (Σ a_i·W_i mod 11)) mod 11`, where the value 10 is written `X`).

/// Weights of the 17 body digits, left to right: `2^(17 - i) mod 11` for `i` in `0..17`.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check characters indexed by `Σ a_i·W_i mod 11` (GB 11643-1999 table 1).
const CHECK: [u8; 11] = *b"10X98765432";

/// The MOD 11-2 check character (`b'0'..=b'9'` or `b'X'`) of a 17-digit body. `None` when `body17`
/// is not exactly 17 ASCII digits.
#[must_use]
pub fn mod11_2_check_char(body17: &[u8]) -> Option<u8> {
    if body17.len() != WEIGHTS.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (&b, &w) in body17.iter().zip(WEIGHTS.iter()) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    let r = usize::try_from(sum % 11).ok()?;
    CHECK.get(r).copied()
}

/// True when `id18` is 17 ASCII digits followed by the matching MOD 11-2 check character; the
/// check character `X` may also be written as lowercase `x`.
#[must_use]
pub fn is_valid_mod11_2(id18: &[u8]) -> bool {
    let Some((&last, body)) = id18.split_last() else {
        return false;
    };
    let last = last.to_ascii_uppercase();
    mod11_2_check_char(body).is_some_and(|c| c == last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_examples() {
        // The worked examples printed in GB 11643-1999 (Beijing Chaoyang 1949-12-31 and
        // Guangdong Heping 1880-01-01).
        assert!(is_valid_mod11_2(b"11010519491231002X"));
        assert!(is_valid_mod11_2(b"11010519491231002x"));
        assert!(is_valid_mod11_2(b"440524188001010014"));
        assert_eq!(mod11_2_check_char(b"11010519491231002"), Some(b'X'));
        assert_eq!(mod11_2_check_char(b"44052418800101001"), Some(b'4'));
        // Widely used sample number (Beijing Dongcheng, 1990-03-07).
        assert!(is_valid_mod11_2(b"110101199003074477"));
    }

    #[test]
    fn near_misses() {
        assert!(!is_valid_mod11_2(b"110105194912310021"));
        assert!(!is_valid_mod11_2(b"440524188001010015"));
        assert!(!is_valid_mod11_2(b"44052418800101001X"));
        assert!(!is_valid_mod11_2(b"11010519491231002"));
        assert!(!is_valid_mod11_2(b"11010519491231002XX"));
        assert!(!is_valid_mod11_2(b"1101051949123100 X"));
        assert!(!is_valid_mod11_2(b"X10105194912310021"));
        assert!(!is_valid_mod11_2(b"11010519491231002Y"));
        assert!(!is_valid_mod11_2(b""));
        assert_eq!(mod11_2_check_char(b"1101051949123100"), None);
        assert_eq!(mod11_2_check_char(b"110105194912310021"), None);
        assert_eq!(mod11_2_check_char(b"1101051949123100a"), None);
    }

    proptest! {
        #[test]
        fn appended_check_validates(body in "[0-9]{17}") {
            let mut v = body.into_bytes();
            let c = mod11_2_check_char(&v).unwrap();
            v.push(c);
            prop_assert!(is_valid_mod11_2(&v));
            if c == b'X' {
                v[17] = b'x';
                prop_assert!(is_valid_mod11_2(&v));
            }
        }

        #[test]
        fn single_digit_change_invalidates(body in "[0-9]{17}", pos in 0usize..17, delta in 1u8..10) {
            let mut v = body.into_bytes();
            let c = mod11_2_check_char(&v).unwrap();
            v.push(c);
            v[pos] = b'0' + (v[pos] - b'0' + delta) % 10;
            prop_assert!(!is_valid_mod11_2(&v));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = is_valid_mod11_2(&bytes);
            let _ = mod11_2_check_char(&bytes);
        }
    }
}
