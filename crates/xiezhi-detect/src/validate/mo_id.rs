//! Macao resident identity card number (澳門居民身份證編號).
//!
//! Printed as `1234567(8)`: seven digits and a digit in parentheses. The first digit encodes the
//! card type and is 1, 5 or 7 (1 and 5 for permanent residents, 7 for non-permanent residents;
//! stated in public descriptions of the card, not in a published standard).
//!
//! **The check digit algorithm is not public**: the Identification Services Bureau (DSI) has
//! never published it and no documented algorithm reproduces real numbers reliably. This module
//! therefore checks the shape only, which matches many unrelated 8-digit numbers; detectors must
//! require context words (澳門身份證, BIR, Macau ID…) before reporting one.

/// True when `id`, normalised to 8 ASCII digits (parentheses and spaces removed by the caller),
/// has the shape of a Macao identity card number: first digit 1, 5 or 7. No check digit is
/// verified (see the module documentation).
#[must_use]
pub fn is_plausible(id: &[u8]) -> bool {
    let [first, ..] = *id else {
        return false;
    };
    id.len() == 8 && matches!(first, b'1' | b'5' | b'7') && id.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plausible_shapes() {
        // 1234567(8) normalised; 5 and 7 prefixes.
        assert!(is_plausible(b"12345678"));
        assert!(is_plausible(b"51234567"));
        assert!(is_plausible(b"70000000"));
        assert!(is_plausible(b"19999999"));
    }

    #[test]
    fn rejected_shapes() {
        assert!(!is_plausible(b"22345678"));
        assert!(!is_plausible(b"02345678"));
        assert!(!is_plausible(b"92345678"));
        assert!(!is_plausible(b"1234567"));
        assert!(!is_plausible(b"123456789"));
        assert!(!is_plausible(b"1234567(8)"));
        assert!(!is_plausible(b"1234567 8"));
        assert!(!is_plausible(b"1234567A"));
        assert!(!is_plausible(b""));
    }

    proptest! {
        #[test]
        fn shape_is_the_rule(first in 0u8..10, rest in "[0-9]{7}") {
            let s = format!("{first}{rest}");
            prop_assert_eq!(is_plausible(s.as_bytes()), matches!(first, 1 | 5 | 7));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
            let _ = is_plausible(&bytes);
        }
    }
}
