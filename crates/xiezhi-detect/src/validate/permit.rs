//! Travel permits between the mainland, Hong Kong, Macao and Taiwan (shape checks).
//!
//! | kind | document | shape |
//! |------|----------|-------|
//! | [`PermitKind::HomeReturn`] | 港澳居民来往内地通行证 (Home Return Permit) | `H` (Hong Kong) or `M` (Macao) + 8 digits (card, since 2013); older booklets `H`/`M` + 10 digits (8-digit lifetime number + 2-digit issue count) |
//! | [`PermitKind::MainlandToHkMacau`] | 往来港澳通行证 (Exit-Entry Permit for Travelling to and from HK and Macao) | `C` + 8 digits (card, since 2014); `C` + letter (not `I`/`O`) + 7 digits |
//! | [`PermitKind::TaiwanCompatriot`] | 台湾居民来往大陆通行证 (台胞证, Mainland Travel Permit for Taiwan Residents) | 8 digits (lifetime number; the only number since 2008-09-25, and on the card since 2015); older 10 digits (8-digit lifetime number + 2-digit issue count), optionally followed by the issuing-office code in brackets, e.g. `0561682001(D)` |
//!
//! None of these numbers has a check digit, and 8 or 10 bare digits are everywhere in text.
//! **Detectors must require a context word** (回乡证, 港澳通行证, 台胞证, 通行证, permit …)
//! before reporting any of them, `tw_permit` above all. Input is upper-case ASCII with nothing
//! around it.

/// Which permit a number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermitKind {
    /// Home Return Permit of a Hong Kong (`H`) or Macao (`M`) resident.
    HomeReturn,
    /// Exit-entry permit of a mainland resident travelling to Hong Kong and Macao (`C`).
    MainlandToHkMacau,
    /// Mainland travel permit of a Taiwan resident (台胞证).
    TaiwanCompatriot,
}

/// All ASCII digits, and exactly `n` of them.
fn digits(s: &[u8], n: usize) -> bool {
    s.len() == n && s.iter().all(u8::is_ascii_digit)
}

/// Home Return Permit (`H`/`M` + 8 or 10 digits) or mainland exit-entry permit for Hong Kong
/// and Macao (`C` + 8 digits, or `C` + letter + 7 digits). Shape only: require context.
pub fn hk_macau_permit(s: &[u8]) -> Option<PermitKind> {
    let (&first, rest) = s.split_first()?;
    match first {
        b'H' | b'M' => (digits(rest, 8) || digits(rest, 10)).then_some(PermitKind::HomeReturn),
        b'C' => {
            if digits(rest, 8) {
                return Some(PermitKind::MainlandToHkMacau);
            }
            let (&letter, tail) = rest.split_first()?;
            (letter.is_ascii_uppercase() && letter != b'I' && letter != b'O' && digits(tail, 7))
                .then_some(PermitKind::MainlandToHkMacau)
        }
        _ => None,
    }
}

/// Taiwan residents' mainland travel permit (台胞证): 8 digits, or the pre-2008 form of
/// 10 digits optionally followed by a bracketed issuing-office code of one letter or digit
/// (`1234567801(B)`). Shape only: require context.
pub fn tw_permit(s: &[u8]) -> Option<PermitKind> {
    let ok = match s.len() {
        8 | 10 => s.iter().all(u8::is_ascii_digit),
        13 => match s.split_at_checked(10) {
            Some((num, [b'(', code, b')'])) => {
                num.iter().all(u8::is_ascii_digit)
                    && (code.is_ascii_uppercase() || code.is_ascii_digit())
            }
            _ => false,
        },
        _ => false,
    };
    ok.then_some(PermitKind::TaiwanCompatriot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hk_macau_valid() {
        use PermitKind::*;
        for (s, k) in [
            ("H12345678", HomeReturn),
            ("M87654321", HomeReturn),
            ("H1234567801", HomeReturn),
            ("M0123456702", HomeReturn),
            ("C12345678", MainlandToHkMacau),
            ("CA1234567", MainlandToHkMacau),
            ("CZ7654321", MainlandToHkMacau),
        ] {
            assert_eq!(hk_macau_permit(s.as_bytes()), Some(k), "{s}");
        }
    }

    #[test]
    fn hk_macau_invalid() {
        for s in [
            "",
            "H",
            "H1234567",
            "H123456789",
            "H123456789012",
            "h12345678",
            "K12345678",
            "W12345678",
            "C1234567",
            "C123456789",
            "CI1234567",
            "CO1234567",
            "CA123456",
            "CA12345678",
            "Ca1234567",
            "12345678",
            "H1234567A",
            "H12345678 ",
            "H-12345678",
        ] {
            assert_eq!(hk_macau_permit(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn taiwan_valid() {
        for s in [
            "12345678",
            "01234567",
            "0561682001",
            "0561682001(D)",
            "1234567801(B)",
            "1234567802(1)",
        ] {
            assert_eq!(
                tw_permit(s.as_bytes()),
                Some(PermitKind::TaiwanCompatriot),
                "{s}"
            );
        }
    }

    #[test]
    fn taiwan_invalid() {
        for s in [
            "",
            "1234567",
            "123456789",
            "12345678901",
            "1234567A",
            "T12345678",
            "0561682001(d)",
            "0561682001(DD)",
            "0561682001[D]",
            "0561682001(D",
            "056168200(D)",
            "12345678(B)",
            "0561682001（D）",
            " 12345678",
        ] {
            assert_eq!(tw_permit(s.as_bytes()), None, "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = hk_macau_permit(&bytes);
            let _ = tw_permit(&bytes);
        }
    }
}
