//! International Mobile Equipment Identity (IMEI), 3GPP TS 23.003 clause 6.2.1.
//!
//! 15 digits: an 8-digit Type Allocation Code (TAC) whose first two digits are the Reporting
//! Body Identifier (RBI), a 6-digit serial number and a Luhn check digit.

use super::luhn;

/// Reporting Body Identifiers allocated by the GSMA (GSMA PRD TS.06 "IMEI Allocation and
/// Approval Process", Appendix A, version 25.0 of 2024-05-01, as tabulated by the Wikipedia
/// article "Reporting Body Identifier", checked 2026-11-28). Current bodies: 01 CTIA/PTCRB (US),
/// 35 BABT/TÜV SÜD (UK), 86 TAF (China), 98 (reserved; a few TACs 98000100–98007800 were
/// issued), 99 GHA (multi-RAT 3GPP2/3GPP). Bodies that no longer allocate but whose TACs are in
/// use: 10 DECT, 30 Iridium, 33 DGPT (France), 44 BABT, 45 NTA (Denmark), 49 BZT/BAPT,
/// 50 BZT ETS, 51 Cetecom ICT, 52 Cetecom, 53 TÜV, 54 Phoenix Test Lab (Germany), 91 MSAI
/// (India). 00 and 02–09 are test IMEIs and are not accepted.
pub const REPORTING_BODIES: [u8; 17] = [
    1, 10, 30, 33, 35, 44, 45, 49, 50, 51, 52, 53, 54, 86, 91, 98, 99,
];

/// True when `rbi` is a GSMA-allocated Reporting Body Identifier (see [`REPORTING_BODIES`]).
#[must_use]
pub fn is_reporting_body(rbi: u8) -> bool {
    REPORTING_BODIES.contains(&rbi)
}

/// True when `d15` is a 15-digit IMEI: ASCII digits only, a Reporting Body Identifier from
/// [`REPORTING_BODIES`] in the first two digits, a valid Luhn check digit, and not all zeros.
/// (IMEISV, the 16-digit variant without check digit, is not accepted.)
#[must_use]
pub fn is_valid(d15: &[u8]) -> bool {
    let [a, b, ..] = *d15 else {
        return false;
    };
    if d15.len() != 15 || !a.is_ascii_digit() || !b.is_ascii_digit() {
        return false;
    }
    if d15.iter().all(|&c| c == b'0') {
        return false;
    }
    is_reporting_body((a - b'0') * 10 + (b - b'0')) && luhn::is_valid(d15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_imeis() {
        // The example of 3GPP TS 23.003 Annex B / the IMEI Wikipedia article.
        assert!(is_valid(b"490154203237518"));
        // Real-shaped TACs from each kind of body.
        assert!(is_valid(b"353918057959310")); // 35: BABT
        assert!(is_valid(b"013977000272744")); // 01: PTCRB
        assert!(is_valid(b"867686030079410")); // 86: TAF (China)
        assert!(is_valid(b"990000862471853")); // 99: GHA
    }

    #[test]
    fn invalid_imeis() {
        assert!(!is_valid(b"490154203237519")); // check digit
        assert!(!is_valid(b"49015420323751")); // 14 digits
        assert!(!is_valid(b"4901542032375180")); // 16 digits (IMEISV length)
        assert!(!is_valid(b"49015420323751X"));
        assert!(!is_valid(b"49-015420-323751-8"));
        assert!(!is_valid(b"000000000000000")); // Luhn-valid but all zero
        assert!(!is_valid(b"001234567890128")); // test IMEI range 00
        assert!(!is_valid(b""));
    }

    #[test]
    fn reporting_bodies() {
        for rbi in REPORTING_BODIES {
            assert!(is_reporting_body(rbi));
        }
        for rbi in [0, 2, 9, 11, 20, 34, 36, 46, 55, 85, 87, 90, 92, 97] {
            assert!(!is_reporting_body(rbi), "{rbi}");
        }
    }

    proptest! {
        #[test]
        fn luhn_completed_with_known_body_validates(
            rbi in prop::sample::select(REPORTING_BODIES.to_vec()),
            rest in "[0-9]{12}",
        ) {
            let mut v = format!("{rbi:02}{rest}").into_bytes();
            v.push(luhn::check_digit(&v).unwrap());
            prop_assert!(is_valid(&v));
            // Any digit change breaks it.
            for i in 2..15 {
                let mut w = v.clone();
                w[i] = b'0' + (w[i] - b'0' + 1) % 10;
                prop_assert!(!is_valid(&w));
            }
        }

        #[test]
        fn unknown_body_rejected(rbi in 0u8..100, rest in "[0-9]{12}") {
            prop_assume!(!REPORTING_BODIES.contains(&rbi));
            let mut v = format!("{rbi:02}{rest}").into_bytes();
            v.push(luhn::check_digit(&v).unwrap());
            prop_assert!(!is_valid(&v));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = is_valid(&bytes);
        }
    }
}
