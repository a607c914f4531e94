//! Vehicle identification number (VIN, 车辆识别代号), ISO 3779 / GB 16735.
//!
//! 17 characters over digits and uppercase letters except I, O and Q. Position 9 is a check
//! character: letters are transliterated (A–H → 1–8, J–N → 1–5, P → 7, R → 9, S–Z → 2–9),
//! the values weighted 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 and the sum taken
//! modulo 11, 10 being written `X` (49 CFR 565.15 in North America, GB 16735-2019 clause 5 in
//! China, where the check character is mandatory).
//!
//! ISO 3779 itself does not require the check character, and many European-market VINs carry
//! an ordinary character in position 9: such VINs fail here and are missed by design (the check
//! is what keeps 17-character random strings out).

/// Transliterated value of a VIN character, `None` outside the VIN alphabet.
const fn value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    })
}

/// Position weights (position 9, the check character itself, weighs 0).
const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check character (`0`–`9` or `X`) that position 9 of `vin` should hold, computed from the
/// other 16 characters. `None` when `vin` is not 17 characters of the VIN alphabet (the current
/// position 9 may be any VIN character; it is ignored).
#[must_use]
pub fn check_char(vin: &[u8]) -> Option<u8> {
    if vin.len() != WEIGHTS.len() {
        return None;
    }
    let mut sum = 0;
    for (&c, &w) in vin.iter().zip(WEIGHTS.iter()) {
        sum += value(c)? * w;
    }
    Some(match sum % 11 {
        10 => b'X',
        r => b'0' + u8::try_from(r).ok()?,
    })
}

/// True when `vin` is 17 uppercase VIN characters (no I, O, Q), not all the same character, whose
/// position 9 holds the correct check character.
#[must_use]
pub fn is_valid(vin: &[u8]) -> bool {
    let Some((&first, _)) = vin.split_first() else {
        return false;
    };
    if vin.iter().all(|&c| c == first) {
        return false;
    }
    match (check_char(vin), vin.get(8)) {
        (Some(c), Some(&actual)) => c == actual,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_vins() {
        // Example of 49 CFR 565 / the Wikipedia VIN article.
        assert!(is_valid(b"1M8GDM9AXKP042788"));
        // Examples used in NHTSA's VIN decoder documentation and common test vectors.
        assert!(is_valid(b"1HGCM82633A004352"));
        assert!(is_valid(b"5YJSA1DG9DFP14705"));
        assert!(is_valid(b"JH4KA7561PC008269"));
        // Chinese-market VINs (WMI L…).
        assert!(is_valid(b"LSVAM4187C2184847"));
        assert!(is_valid(b"LVSHCAMB1CE054249"));
    }

    #[test]
    fn invalid_vins() {
        assert!(!is_valid(b"1M8GDM9A1KP042788")); // wrong check
        assert!(!is_valid(b"1M8GDM9AxKP042788")); // lowercase check
        assert!(!is_valid(b"1m8gdm9axkp042788")); // lowercase
        assert!(!is_valid(b"1M8GDM9AXKP04278")); // 16 chars
        assert!(!is_valid(b"1M8GDM9AXKP0427888")); // 18 chars
        assert!(!is_valid(b"1M8GDM9AXKP04278O")); // letter O
        assert!(!is_valid(b"IM8GDM9AXKP042788")); // letter I
        assert!(!is_valid(b"1M8GDM9AXKQ042788")); // letter Q
        assert!(!is_valid(b"1M8GDM9AXKP04278-"));
        assert!(!is_valid(b""));
        // A European-market VIN with no check character (position 9 is `Z`): missed by design.
        assert!(!is_valid(b"WP0ZZZ99ZTS392124"));
        // All-same strings whose check happens to hold.
        assert!(!is_valid(b"11111111111111111"));
        assert!(!is_valid(b"00000000000000000"));
        assert_eq!(check_char(b"11111111111111111"), Some(b'1'));
    }

    #[test]
    fn check_char_examples() {
        assert_eq!(check_char(b"1M8GDM9A_KP042788"), None);
        assert_eq!(check_char(b"1M8GDM9A0KP042788"), Some(b'X'));
        assert_eq!(check_char(b"1HGCM82613A004352"), Some(b'3'));
    }

    proptest! {
        #[test]
        fn computed_check_validates(
            a in "[A-HJ-NPR-Z0-9]{8}", b in "[A-HJ-NPR-Z0-9]{8}",
        ) {
            let mut v = format!("{a}0{b}").into_bytes();
            let c = check_char(&v).unwrap();
            v[8] = c;
            let all_same = v.iter().all(|&x| x == v[0]);
            prop_assert_eq!(is_valid(&v), !all_same);
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = is_valid(&bytes);
            let _ = check_char(&bytes);
        }
    }
}
