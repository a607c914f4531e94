//! Mainland China motor-vehicle licence plates (号牌), after GA 36-2018 《中华人民共和国机动车号牌》.
//!
//! A plate reads: province abbreviation (one Chinese character, [`is_province_abbr`]) + issuing
//! authority letter + serial, optionally followed by one special character. Printed plates put
//! a separator dot after the authority letter (`京A·12345`); text often has `•`, a space, `-` or
//! nothing. [`classify`] takes the ASCII part after the province character with separators
//! removed and letters upper-cased.
//!
//! Rules implemented (letters `I` and `O` are never used, to avoid confusion with 1 and 0):
//!
//! | kind | `rest` (authority letter + serial) | example |
//! |------|------------------------------------|---------|
//! | [`PlateKind::Regular`] | letter + 5 of digits/letters, at most 2 letters | `京A·12345`, `粤B·AB123` |
//! | [`PlateKind::NewEnergySmall`] | letter + energy letter + digit/letter + 4 digits | `京A·D12345`, `沪A·DF1234` |
//! | [`PlateKind::NewEnergyLarge`] | letter + 5 digits + energy letter | `粤B·12345D` |
//! | [`PlateKind::Special`] | letter + 4 of digits/letters (at most 2 letters) + suffix | `京A·1234学`, `粤Z·1234港` |
//!
//! Energy letters: `D` (pure electric) and `F` (other new energy) are the letters issued since
//! the new-energy series started; GA 36-2018 also reserves `A B C E` (pure electric) and
//! `G H J K` (other) for when a series runs out, and these are accepted too. The suffix
//! characters are 学 (driving school), 警 (police), 挂 (trailer), 港/澳 (cross-boundary vehicles
//! from Hong Kong/Macao), 使/领 (embassy/consulate), 试 (test drive) and 超 (over-limit).
//!
//! This is a shape check: the 5-character regular serial also matches many product and order
//! codes, so detectors should require the province character and, ideally, a context word.

/// Whether `c` is one of the 31 province-level abbreviations used on mainland plates:
/// 京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼.
pub fn is_province_abbr(c: char) -> bool {
    matches!(
        c,
        '京' | '津'
            | '沪'
            | '渝'
            | '冀'
            | '豫'
            | '云'
            | '辽'
            | '黑'
            | '湘'
            | '皖'
            | '鲁'
            | '新'
            | '苏'
            | '浙'
            | '赣'
            | '鄂'
            | '桂'
            | '甘'
            | '晋'
            | '蒙'
            | '陕'
            | '吉'
            | '闽'
            | '贵'
            | '粤'
            | '青'
            | '藏'
            | '川'
            | '宁'
            | '琼'
    )
}

/// Which series a plate number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlateKind {
    /// Ordinary plate: authority letter + 5-character serial (blue or yellow plate).
    Regular,
    /// Small new-energy vehicle: energy letter first in a 6-character serial (green plate).
    NewEnergySmall,
    /// Large new-energy vehicle: 5 digits then the energy letter (yellow-green plate).
    NewEnergyLarge,
    /// Plate with a special trailing character (学 警 挂 港 澳 使 领 试 超).
    Special,
}

/// Upper-case letter other than `I` and `O`.
fn is_plate_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && b != b'I' && b != b'O'
}

/// Digit or plate letter.
fn is_serial_char(b: u8) -> bool {
    b.is_ascii_digit() || is_plate_letter(b)
}

/// New-energy letters: D/F in use, A B C E / G H J K reserved by GA 36-2018.
fn is_energy_letter(b: u8) -> bool {
    matches!(
        b,
        b'D' | b'F' | b'A' | b'B' | b'C' | b'E' | b'G' | b'H' | b'J' | b'K'
    )
}

/// Characters that may follow a plate number.
fn is_special_suffix(c: char) -> bool {
    matches!(
        c,
        '学' | '警' | '挂' | '港' | '澳' | '使' | '领' | '试' | '超'
    )
}

/// Serial of digits and letters with at most two letters.
fn is_mixed_serial(serial: &[u8]) -> bool {
    serial.iter().all(|&b| is_serial_char(b))
        && serial.iter().filter(|b| b.is_ascii_uppercase()).count() <= 2
}

/// Classifies the part of a plate after the province character.
///
/// `rest` is the authority letter followed by the serial, upper case, separators removed;
/// `suffix` is the special character after the serial, if any. Returns `None` when the shape
/// matches no series (see the module documentation for the exact rules).
pub fn classify(rest: &[u8], suffix: Option<char>) -> Option<PlateKind> {
    let (&authority, serial) = rest.split_first()?;
    if !is_plate_letter(authority) {
        return None;
    }
    if let Some(c) = suffix {
        return (is_special_suffix(c) && serial.len() == 4 && is_mixed_serial(serial))
            .then_some(PlateKind::Special);
    }
    match serial {
        [_, _, _, _, _] if is_mixed_serial(serial) => Some(PlateKind::Regular),
        [e, second, d @ ..]
            if d.len() == 4
                && is_energy_letter(*e)
                && is_serial_char(*second)
                && d.iter().all(u8::is_ascii_digit) =>
        {
            Some(PlateKind::NewEnergySmall)
        }
        [d @ .., e] if d.len() == 5 && is_energy_letter(*e) && d.iter().all(u8::is_ascii_digit) => {
            Some(PlateKind::NewEnergyLarge)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn provinces() {
        let all = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
        assert_eq!(all.chars().count(), 31);
        for c in all.chars() {
            assert!(is_province_abbr(c), "{c}");
        }
        for c in [
            '港', '澳', '台', '使', '领', '警', '学', 'A', '中', '北', '广', '海',
        ] {
            assert!(!is_province_abbr(c), "{c}");
        }
    }

    #[test]
    fn regular() {
        for r in [
            "A12345", "B88888", "AAB123", "BA1B23", "Z12AB3", "Y9999Z", "A0000A", "N12345",
        ] {
            assert_eq!(
                classify(r.as_bytes(), None),
                Some(PlateKind::Regular),
                "{r}"
            );
        }
    }

    #[test]
    fn new_energy() {
        for r in [
            "AD12345", "BF12345", "ADF1234", "BDA1234", "AA12345", "CK12345",
        ] {
            assert_eq!(
                classify(r.as_bytes(), None),
                Some(PlateKind::NewEnergySmall),
                "{r}"
            );
        }
        for r in ["A12345D", "B12345F", "C00001D"] {
            assert_eq!(
                classify(r.as_bytes(), None),
                Some(PlateKind::NewEnergyLarge),
                "{r}"
            );
        }
    }

    #[test]
    fn special() {
        for (r, c) in [
            ("A1234", '学'),
            ("A0001", '警'),
            ("B1234", '挂'),
            ("Z1234", '港'),
            ("Z5678", '澳'),
            ("A1234", '领'),
            ("A12B4", '试'),
            ("E1234", '超'),
        ] {
            assert_eq!(
                classify(r.as_bytes(), Some(c)),
                Some(PlateKind::Special),
                "{r}{c}"
            );
        }
    }

    #[test]
    fn rejects() {
        for r in [
            "",
            "A",
            "A1234",
            "A123456",
            "A12345678",
            "I12345",
            "O12345",
            "a12345",
            "112345",
            "AI2345",
            "AO2345",
            "AABC12",
            "ABCDEF",
            "A12 45",
            "A1234·",
            "AX12345",
            "AD1234X",
            "ADI1234",
            "A12345X",
            "A1234DD",
            "A1D345F",
            "AM12345",
        ] {
            assert_eq!(classify(r.as_bytes(), None), None, "{r:?}");
        }
        assert_eq!(classify(b"A12345", Some('学')), None);
        assert_eq!(classify(b"A1234", Some('省')), None);
        assert_eq!(classify(b"I1234", Some('警')), None);
        assert_eq!(classify(b"A123", Some('警')), None);
        assert_eq!(classify(b"AABC1", Some('挂')), None);
        assert_eq!(classify("A１234".as_bytes(), None), None);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..16),
            suffix in proptest::option::of(any::<char>()),
        ) {
            let _ = classify(&bytes, suffix);
        }

        #[test]
        fn all_digit_regular(authority in "[A-HJ-NP-Z]", digits in "[0-9]{5}") {
            let rest = format!("{authority}{digits}");
            prop_assert_eq!(classify(rest.as_bytes(), None), Some(PlateKind::Regular));
        }
    }
}
