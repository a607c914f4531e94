//! People's Republic of China passport numbers (shape check).
//!
//! | kind | shape | example |
//! |------|-------|---------|
//! | [`PassportKind::Ordinary`] | `E` + 8 digits (ordinary e-passport, issued since 2012) | `E12345678` |
//! | [`PassportKind::OrdinaryLetter`] | `E` + letter (not `I`/`O`) + 7 digits (the series after `E` + 8 digits ran out) | `EA1234567` |
//! | [`PassportKind::OldOrdinary`] | `G` + 8 digits (ordinary passport before the e-passport) | `G12345678` |
//! | [`PassportKind::Official`] | `D`, `S` or `P` + 7–8 digits; or `DE`, `SE`, `PE` + 7 digits (diplomatic, service, public-affairs) | `D1234567`, `SE1234567` |
//!
//! Input must be upper case ASCII with nothing around it. Passport numbers carry no check digit,
//! so a `G`/`E` + 8 digits shape also matches many unrelated codes: detectors must require a
//! context word (护照, passport, 证件号 …) before reporting one.

/// Which passport series a number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassportKind {
    /// Ordinary e-passport: `E` + 8 digits.
    Ordinary,
    /// Ordinary e-passport, letter series: `E` + letter + 7 digits.
    OrdinaryLetter,
    /// Ordinary passport of the pre-2012 booklet series: `G` + 8 digits.
    OldOrdinary,
    /// Diplomatic, service or public-affairs passport: `D`/`S`/`P` (+ `E`) + digits.
    Official,
}

/// All ASCII digits, and exactly `n` of them.
fn digits(s: &[u8], n: usize) -> bool {
    s.len() == n && s.iter().all(u8::is_ascii_digit)
}

/// Classifies a PRC passport number by shape; `None` if it fits no series.
pub fn cn_passport(s: &[u8]) -> Option<PassportKind> {
    let (&first, rest) = s.split_first()?;
    match first {
        b'E' => {
            if digits(rest, 8) {
                return Some(PassportKind::Ordinary);
            }
            let (&letter, tail) = rest.split_first()?;
            (letter.is_ascii_uppercase() && letter != b'I' && letter != b'O' && digits(tail, 7))
                .then_some(PassportKind::OrdinaryLetter)
        }
        b'G' => digits(rest, 8).then_some(PassportKind::OldOrdinary),
        b'D' | b'S' | b'P' => {
            if digits(rest, 7) || digits(rest, 8) {
                return Some(PassportKind::Official);
            }
            match rest.split_first() {
                Some((b'E', tail)) if digits(tail, 7) => Some(PassportKind::Official),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid() {
        use PassportKind::*;
        for (s, k) in [
            ("E12345678", Ordinary),
            ("E00000001", Ordinary),
            ("EA1234567", OrdinaryLetter),
            ("EH9876543", OrdinaryLetter),
            ("G12345678", OldOrdinary),
            ("G56789012", OldOrdinary),
            ("D1234567", Official),
            ("D12345678", Official),
            ("S7654321", Official),
            ("P12345678", Official),
            ("DE1234567", Official),
            ("SE1234567", Official),
            ("PE1234567", Official),
        ] {
            assert_eq!(cn_passport(s.as_bytes()), Some(k), "{s}");
        }
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "E",
            "E1234567",
            "E123456789",
            "e12345678",
            "EI1234567",
            "EO1234567",
            "EA123456",
            "EA12345678",
            "G1234567",
            "G123456789",
            "K12345678",
            "H12345678",
            "D123456",
            "D123456789",
            "DE123456",
            "DE12345678",
            "DA1234567",
            "12345678",
            "E1234567X",
            "E 12345678",
            "E12345678 ",
            "ＥA1234567",
        ] {
            assert_eq!(cn_passport(s.as_bytes()), None, "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = cn_passport(&bytes);
        }

        #[test]
        fn e_series(d in "[0-9]{8}") {
            let s = format!("E{d}");
            prop_assert_eq!(cn_passport(s.as_bytes()), Some(PassportKind::Ordinary));
        }
    }
}
