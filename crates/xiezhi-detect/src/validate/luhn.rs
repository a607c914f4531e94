//! Luhn (ISO/IEC 7812-1 Annex B, "mod 10") check digit.
//!
//! Used by payment card numbers (PAN) and IMEI. The check digit is the rightmost digit; counting
//! from it, every second digit is doubled (subtracting 9 when the result exceeds 9) and the sum of
//! all digits must be a multiple of 10.

/// Sum (mod 10) of the Luhn-weighted digits of `digits`, where `double_first` says whether the rightmost
/// digit of `digits` is doubled. `None` when a byte is not an ASCII digit.
fn weighted_sum(digits: &[u8], double_first: bool) -> Option<u32> {
    let mut sum: u32 = 0;
    let mut double = double_first;
    for &b in digits.iter().rev() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        let x = if double {
            let x = d * 2;
            if x > 9 { x - 9 } else { x }
        } else {
            d
        };
        // Kept reduced so that arbitrarily long input cannot overflow.
        sum = (sum + x) % 10;
        double = !double;
    }
    Some(sum)
}

/// True when `digits` is at least two ASCII digits long and passes the Luhn check (its last digit
/// is the check digit). Any non-digit byte makes it false.
#[must_use]
pub fn is_valid(digits: &[u8]) -> bool {
    digits.len() >= 2 && weighted_sum(digits, false).is_some_and(|s| s % 10 == 0)
}

/// The ASCII check digit that, appended to `body`, makes a Luhn-valid number. `None` when `body`
/// is empty or holds a non-digit byte.
#[must_use]
pub fn check_digit(body: &[u8]) -> Option<u8> {
    if body.is_empty() {
        return None;
    }
    let sum = weighted_sum(body, true)?;
    // `sum % 10` is below 10, so the result fits in a digit.
    let c = u8::try_from((10 - sum % 10) % 10).ok()?;
    Some(b'0' + c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_numbers() {
        // Standard test PANs published by card networks / payment processors.
        assert!(is_valid(b"4111111111111111"));
        assert!(is_valid(b"5555555555554444"));
        assert!(is_valid(b"378282246310005"));
        assert!(is_valid(b"6011111111111117"));
        // The worked example of the Luhn article: 7992739871 + check digit 3.
        assert!(is_valid(b"79927398713"));
        // IMEI example from 3GPP TS 23.003 style: 49015420323751 + check digit 8.
        assert!(is_valid(b"490154203237518"));
        assert!(is_valid(b"00"));
        assert!(is_valid(b"18"));
        assert!(is_valid(b"59"));
    }

    #[test]
    fn invalid_numbers() {
        assert!(!is_valid(b"4111111111111112"));
        assert!(!is_valid(b"79927398710"));
        assert!(!is_valid(b"79927398719"));
        assert!(!is_valid(b""));
        assert!(!is_valid(b"0"));
        assert!(!is_valid(b"4111 1111 1111 1111"));
        assert!(!is_valid(b"4111-1111-1111-1111"));
        assert!(!is_valid(b"411111111111111a"));
        assert!(!is_valid("４１１１".as_bytes()));
    }

    #[test]
    fn check_digit_examples() {
        assert_eq!(check_digit(b"7992739871"), Some(b'3'));
        assert_eq!(check_digit(b"411111111111111"), Some(b'1'));
        assert_eq!(check_digit(b"49015420323751"), Some(b'8'));
        assert_eq!(check_digit(b"0"), Some(b'0'));
        assert_eq!(check_digit(b"1"), Some(b'8'));
        assert_eq!(check_digit(b""), None);
        assert_eq!(check_digit(b"12a"), None);
    }

    proptest! {
        #[test]
        fn appended_check_digit_validates(body in "[0-9]{1,30}") {
            let mut v = body.into_bytes();
            let c = check_digit(&v).unwrap();
            v.push(c);
            prop_assert!(is_valid(&v));
        }

        #[test]
        fn single_digit_change_invalidates(body in "[0-9]{1,30}", pos in any::<prop::sample::Index>(), delta in 1u8..10) {
            let mut v = body.into_bytes();
            let c = check_digit(&v).unwrap();
            v.push(c);
            let i = pos.index(v.len());
            v[i] = b'0' + (v[i] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&v));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = is_valid(&bytes);
            let _ = check_digit(&bytes);
        }
    }
}
