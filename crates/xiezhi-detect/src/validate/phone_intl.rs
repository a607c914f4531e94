//! International telephone numbers: ITU-T E.164 country calling codes with national number
//! lengths, and North American Numbering Plan (NANP) checks.
//!
//! Country codes: ITU-T E.164 "List of ITU-T Recommendation E.164 assigned country codes"
//! (Annex to the ITU Operational Bulletin; state as of 2024, including +383 Kosovo, and without
//! the spare codes 210, 214, 215, 217, 219, 259, 28x, 292–296, 384, 388, 422, 424–429, 671,
//! 684, 693–699, 801–807, 809, 83x, 851, 854, 857–859, 871–879, 884, 885, 887, 889, 89x, 969,
//! 978, 990, 997, 999). Non-geographic codes (international freephone 800, shared-cost 808,
//! Inmarsat 870, satellite and international networks 881–883, 888, premium rate 979, trial
//! 991) are included with `iso` "001", as libphonenumber does. Codes are prefix-free, so at most
//! one matches the start of a number.
//!
//! National significant number (NSN) lengths: for about 80 major countries, the range of the
//! national numbering plan (compiled by hand from the plans the regulators notify to the ITU;
//! ranges are kept generous, e.g. Germany 6–13, Austria 4–13); every other code gets 6–12.
//! They are meant for plausibility checks, not for validating individual numbers.

/// One assigned E.164 country calling code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryCode {
    /// The country calling code, e.g. `44`.
    pub code: u16,
    /// Number of digits in `code` (1–3).
    pub len: u8,
    /// Shortest national significant number (digits after the country code).
    pub nsn_min: u8,
    /// Longest national significant number.
    pub nsn_max: u8,
    /// ISO 3166-1 alpha-2 code of the main country using it (`"US"` for +1, `"RU"` for +7,
    /// `"GB"` for +44 …), `"XK"` for Kosovo, `"AC"` for Ascension, `"001"` for non-geographic
    /// codes.
    pub iso: &'static str,
}

/// Shorthand for the table below.
const fn cc(code: u16, len: u8, nsn_min: u8, nsn_max: u8, iso: &'static str) -> CountryCode {
    CountryCode {
        code,
        len,
        nsn_min,
        nsn_max,
        iso,
    }
}

/// All assigned country calling codes, sorted by `code`.
static COUNTRY_CODES: &[CountryCode] = &[
    cc(1, 1, 10, 10, "US"),
    cc(7, 1, 10, 10, "RU"),
    cc(20, 2, 8, 10, "EG"),
    cc(27, 2, 9, 9, "ZA"),
    cc(30, 2, 10, 10, "GR"),
    cc(31, 2, 9, 9, "NL"),
    cc(32, 2, 8, 9, "BE"),
    cc(33, 2, 9, 9, "FR"),
    cc(34, 2, 9, 9, "ES"),
    cc(36, 2, 8, 9, "HU"),
    cc(39, 2, 6, 11, "IT"),
    cc(40, 2, 9, 9, "RO"),
    cc(41, 2, 9, 9, "CH"),
    cc(43, 2, 4, 13, "AT"),
    cc(44, 2, 9, 10, "GB"),
    cc(45, 2, 8, 8, "DK"),
    cc(46, 2, 7, 10, "SE"),
    cc(47, 2, 8, 8, "NO"),
    cc(48, 2, 9, 9, "PL"),
    cc(49, 2, 6, 13, "DE"),
    cc(51, 2, 8, 9, "PE"),
    cc(52, 2, 10, 10, "MX"),
    cc(53, 2, 6, 8, "CU"),
    cc(54, 2, 10, 11, "AR"),
    cc(55, 2, 10, 11, "BR"),
    cc(56, 2, 9, 9, "CL"),
    cc(57, 2, 8, 10, "CO"),
    cc(58, 2, 10, 10, "VE"),
    cc(60, 2, 8, 10, "MY"),
    cc(61, 2, 9, 9, "AU"),
    cc(62, 2, 8, 12, "ID"),
    cc(63, 2, 8, 10, "PH"),
    cc(64, 2, 8, 10, "NZ"),
    cc(65, 2, 8, 8, "SG"),
    cc(66, 2, 8, 9, "TH"),
    cc(81, 2, 9, 10, "JP"),
    cc(82, 2, 8, 10, "KR"),
    cc(84, 2, 9, 10, "VN"),
    cc(86, 2, 10, 11, "CN"),
    cc(90, 2, 10, 10, "TR"),
    cc(91, 2, 10, 10, "IN"),
    cc(92, 2, 9, 10, "PK"),
    cc(93, 2, 9, 9, "AF"),
    cc(94, 2, 9, 9, "LK"),
    cc(95, 2, 7, 10, "MM"),
    cc(98, 2, 10, 10, "IR"),
    cc(211, 3, 6, 12, "SS"),
    cc(212, 3, 9, 9, "MA"),
    cc(213, 3, 8, 9, "DZ"),
    cc(216, 3, 8, 8, "TN"),
    cc(218, 3, 6, 12, "LY"),
    cc(220, 3, 6, 12, "GM"),
    cc(221, 3, 6, 12, "SN"),
    cc(222, 3, 6, 12, "MR"),
    cc(223, 3, 6, 12, "ML"),
    cc(224, 3, 6, 12, "GN"),
    cc(225, 3, 6, 12, "CI"),
    cc(226, 3, 6, 12, "BF"),
    cc(227, 3, 6, 12, "NE"),
    cc(228, 3, 6, 12, "TG"),
    cc(229, 3, 6, 12, "BJ"),
    cc(230, 3, 6, 12, "MU"),
    cc(231, 3, 6, 12, "LR"),
    cc(232, 3, 6, 12, "SL"),
    cc(233, 3, 6, 12, "GH"),
    cc(234, 3, 8, 10, "NG"),
    cc(235, 3, 6, 12, "TD"),
    cc(236, 3, 6, 12, "CF"),
    cc(237, 3, 6, 12, "CM"),
    cc(238, 3, 6, 12, "CV"),
    cc(239, 3, 6, 12, "ST"),
    cc(240, 3, 6, 12, "GQ"),
    cc(241, 3, 6, 12, "GA"),
    cc(242, 3, 6, 12, "CG"),
    cc(243, 3, 6, 12, "CD"),
    cc(244, 3, 6, 12, "AO"),
    cc(245, 3, 6, 12, "GW"),
    cc(246, 3, 6, 12, "IO"),
    cc(247, 3, 6, 12, "AC"),
    cc(248, 3, 6, 12, "SC"),
    cc(249, 3, 6, 12, "SD"),
    cc(250, 3, 6, 12, "RW"),
    cc(251, 3, 6, 12, "ET"),
    cc(252, 3, 6, 12, "SO"),
    cc(253, 3, 6, 12, "DJ"),
    cc(254, 3, 9, 9, "KE"),
    cc(255, 3, 6, 12, "TZ"),
    cc(256, 3, 6, 12, "UG"),
    cc(257, 3, 6, 12, "BI"),
    cc(258, 3, 6, 12, "MZ"),
    cc(260, 3, 6, 12, "ZM"),
    cc(261, 3, 6, 12, "MG"),
    cc(262, 3, 6, 12, "RE"),
    cc(263, 3, 6, 12, "ZW"),
    cc(264, 3, 6, 12, "NA"),
    cc(265, 3, 6, 12, "MW"),
    cc(266, 3, 6, 12, "LS"),
    cc(267, 3, 6, 12, "BW"),
    cc(268, 3, 6, 12, "SZ"),
    cc(269, 3, 6, 12, "KM"),
    cc(290, 3, 6, 12, "SH"),
    cc(291, 3, 6, 12, "ER"),
    cc(297, 3, 6, 12, "AW"),
    cc(298, 3, 6, 12, "FO"),
    cc(299, 3, 6, 12, "GL"),
    cc(350, 3, 6, 12, "GI"),
    cc(351, 3, 9, 9, "PT"),
    cc(352, 3, 4, 11, "LU"),
    cc(353, 3, 7, 9, "IE"),
    cc(354, 3, 7, 9, "IS"),
    cc(355, 3, 6, 12, "AL"),
    cc(356, 3, 6, 12, "MT"),
    cc(357, 3, 6, 12, "CY"),
    cc(358, 3, 5, 12, "FI"),
    cc(359, 3, 8, 9, "BG"),
    cc(370, 3, 6, 12, "LT"),
    cc(371, 3, 6, 12, "LV"),
    cc(372, 3, 6, 12, "EE"),
    cc(373, 3, 6, 12, "MD"),
    cc(374, 3, 6, 12, "AM"),
    cc(375, 3, 6, 12, "BY"),
    cc(376, 3, 6, 12, "AD"),
    cc(377, 3, 6, 12, "MC"),
    cc(378, 3, 6, 12, "SM"),
    cc(379, 3, 6, 12, "VA"),
    cc(380, 3, 9, 9, "UA"),
    cc(381, 3, 6, 12, "RS"),
    cc(382, 3, 6, 12, "ME"),
    cc(383, 3, 6, 12, "XK"),
    cc(385, 3, 6, 12, "HR"),
    cc(386, 3, 6, 12, "SI"),
    cc(387, 3, 6, 12, "BA"),
    cc(389, 3, 6, 12, "MK"),
    cc(420, 3, 9, 9, "CZ"),
    cc(421, 3, 9, 9, "SK"),
    cc(423, 3, 6, 12, "LI"),
    cc(500, 3, 6, 12, "FK"),
    cc(501, 3, 6, 12, "BZ"),
    cc(502, 3, 6, 12, "GT"),
    cc(503, 3, 6, 12, "SV"),
    cc(504, 3, 6, 12, "HN"),
    cc(505, 3, 6, 12, "NI"),
    cc(506, 3, 6, 12, "CR"),
    cc(507, 3, 6, 12, "PA"),
    cc(508, 3, 6, 12, "PM"),
    cc(509, 3, 6, 12, "HT"),
    cc(590, 3, 6, 12, "GP"),
    cc(591, 3, 6, 12, "BO"),
    cc(592, 3, 6, 12, "GY"),
    cc(593, 3, 6, 12, "EC"),
    cc(594, 3, 6, 12, "GF"),
    cc(595, 3, 6, 12, "PY"),
    cc(596, 3, 6, 12, "MQ"),
    cc(597, 3, 6, 12, "SR"),
    cc(598, 3, 6, 12, "UY"),
    cc(599, 3, 6, 12, "CW"),
    cc(670, 3, 6, 12, "TL"),
    cc(672, 3, 6, 12, "NF"),
    cc(673, 3, 6, 12, "BN"),
    cc(674, 3, 6, 12, "NR"),
    cc(675, 3, 6, 12, "PG"),
    cc(676, 3, 6, 12, "TO"),
    cc(677, 3, 6, 12, "SB"),
    cc(678, 3, 6, 12, "VU"),
    cc(679, 3, 6, 12, "FJ"),
    cc(680, 3, 6, 12, "PW"),
    cc(681, 3, 6, 12, "WF"),
    cc(682, 3, 6, 12, "CK"),
    cc(683, 3, 6, 12, "NU"),
    cc(685, 3, 6, 12, "WS"),
    cc(686, 3, 6, 12, "KI"),
    cc(687, 3, 6, 12, "NC"),
    cc(688, 3, 6, 12, "TV"),
    cc(689, 3, 6, 12, "PF"),
    cc(690, 3, 6, 12, "TK"),
    cc(691, 3, 6, 12, "FM"),
    cc(692, 3, 6, 12, "MH"),
    cc(800, 3, 6, 12, "001"),
    cc(808, 3, 6, 12, "001"),
    cc(850, 3, 6, 12, "KP"),
    cc(852, 3, 8, 8, "HK"),
    cc(853, 3, 8, 8, "MO"),
    cc(855, 3, 8, 9, "KH"),
    cc(856, 3, 8, 10, "LA"),
    cc(870, 3, 6, 12, "001"),
    cc(880, 3, 8, 10, "BD"),
    cc(881, 3, 6, 12, "001"),
    cc(882, 3, 6, 12, "001"),
    cc(883, 3, 6, 12, "001"),
    cc(886, 3, 8, 9, "TW"),
    cc(888, 3, 6, 12, "001"),
    cc(960, 3, 7, 7, "MV"),
    cc(961, 3, 7, 8, "LB"),
    cc(962, 3, 8, 9, "JO"),
    cc(963, 3, 6, 12, "SY"),
    cc(964, 3, 6, 12, "IQ"),
    cc(965, 3, 8, 8, "KW"),
    cc(966, 3, 8, 9, "SA"),
    cc(967, 3, 6, 12, "YE"),
    cc(968, 3, 6, 12, "OM"),
    cc(970, 3, 6, 12, "PS"),
    cc(971, 3, 8, 9, "AE"),
    cc(972, 3, 8, 9, "IL"),
    cc(973, 3, 8, 8, "BH"),
    cc(974, 3, 8, 8, "QA"),
    cc(975, 3, 6, 12, "BT"),
    cc(976, 3, 8, 8, "MN"),
    cc(977, 3, 8, 10, "NP"),
    cc(979, 3, 6, 12, "001"),
    cc(991, 3, 6, 12, "001"),
    cc(992, 3, 6, 12, "TJ"),
    cc(993, 3, 6, 12, "TM"),
    cc(994, 3, 6, 12, "AZ"),
    cc(995, 3, 6, 12, "GE"),
    cc(996, 3, 6, 12, "KG"),
    cc(998, 3, 6, 12, "UZ"),
];

/// The assigned country calling code at the start of `digits` (the digits after `+` or `00`),
/// with its national number length range; `None` if the first digits form no assigned code or
/// are not ASCII digits. The code for China (86) is included: callers exclude it themselves.
///
/// Only the code is checked, not that the rest of `digits` has a fitting length.
pub fn country_code(digits: &[u8]) -> Option<CountryCode> {
    let mut value: u16 = 0;
    for (i, &b) in digits.iter().take(3).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u16::from(b - b'0');
        if let Ok(at) = COUNTRY_CODES.binary_search_by_key(&value, |c| c.code) {
            // E.164 codes form a prefix code: the first match is the only one.
            return COUNTRY_CODES
                .get(at)
                .copied()
                .filter(|c| usize::from(c.len) == i + 1);
        }
    }
    None
}

/// ASCII digit value, or `None`.
fn digit(b: Option<&u8>) -> Option<u8> {
    b.filter(|b| b.is_ascii_digit()).map(|b| b - b'0')
}

/// Whether `d10` is a valid 10-digit NANP number `NXX-NXX-XXXX` (no `+1`, no separators): the
/// area code and the exchange both start with 2–9, and neither is an N11 service code (211,
/// 311, …, 911).
pub fn nanp_valid(d10: &[u8]) -> bool {
    if d10.len() != 10 || !d10.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let ok_nxx = |at: usize| -> bool {
        match (
            digit(d10.get(at)),
            digit(d10.get(at + 1)),
            digit(d10.get(at + 2)),
        ) {
            (Some(n), Some(x1), Some(x2)) => n >= 2 && !(x1 == 1 && x2 == 1),
            _ => false,
        }
    };
    ok_nxx(0) && ok_nxx(3)
}

/// Whether `d10` is a valid NANP number in the range reserved for fiction and examples:
/// exchange 555 with line numbers 0100–0199 (e.g. 212-555-0123).
pub fn nanp_is_fictional(d10: &[u8]) -> bool {
    nanp_valid(d10) && d10.get(3..7) == Some(b"5550".as_slice()) && d10.get(7) == Some(&b'1')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code_of(s: &str) -> Option<(u16, &'static str)> {
        country_code(s.as_bytes()).map(|c| (c.code, c.iso))
    }

    #[test]
    fn table_is_sorted_prefix_free_and_consistent() {
        for w in COUNTRY_CODES.windows(2) {
            assert!(w[0].code < w[1].code);
        }
        for c in COUNTRY_CODES {
            assert_eq!(usize::from(c.len), c.code.to_string().len(), "{}", c.code);
            assert!(c.nsn_min <= c.nsn_max && c.nsn_max <= 14, "{}", c.code);
            assert!(c.iso == "001" || c.iso.len() == 2, "{}", c.code);
            let s = c.code.to_string();
            for d in COUNTRY_CODES {
                let t = d.code.to_string();
                assert!(s == t || !t.starts_with(&s), "{s} is a prefix of {t}");
            }
        }
        assert!(COUNTRY_CODES.len() > 200);
    }

    #[test]
    fn finds_codes() {
        assert_eq!(code_of("12125550123"), Some((1, "US")));
        assert_eq!(code_of("74951234567"), Some((7, "RU")));
        assert_eq!(code_of("442071838750"), Some((44, "GB")));
        assert_eq!(code_of("4930123456"), Some((49, "DE")));
        assert_eq!(code_of("33142685300"), Some((33, "FR")));
        assert_eq!(code_of("81312345678"), Some((81, "JP")));
        assert_eq!(code_of("821012345678"), Some((82, "KR")));
        assert_eq!(code_of("6561234567"), Some((65, "SG")));
        assert_eq!(code_of("85291234567"), Some((852, "HK")));
        assert_eq!(code_of("85366123456"), Some((853, "MO")));
        assert_eq!(code_of("886912345678"), Some((886, "TW")));
        assert_eq!(code_of("8613812345678"), Some((86, "CN")));
        assert_eq!(code_of("61412345678"), Some((61, "AU")));
        assert_eq!(code_of("919876543210"), Some((91, "IN")));
        assert_eq!(code_of("971501234567"), Some((971, "AE")));
        assert_eq!(code_of("38344123456"), Some((383, "XK")));
        assert_eq!(code_of("80012345678"), Some((800, "001")));
        assert_eq!(code_of("20"), Some((20, "EG")));
        assert_eq!(code_of("1"), Some((1, "US")));
    }

    #[test]
    fn lengths() {
        let us = country_code(b"1").map(|c| (c.nsn_min, c.nsn_max));
        assert_eq!(us, Some((10, 10)));
        let gb = country_code(b"44").map(|c| (c.nsn_min, c.nsn_max));
        assert_eq!(gb, Some((9, 10)));
        let de = country_code(b"49").map(|c| (c.nsn_min, c.nsn_max));
        assert_eq!(de, Some((6, 13)));
        let tw = country_code(b"886").map(|c| (c.nsn_min, c.nsn_max));
        assert_eq!(tw, Some((8, 9)));
        let hk = country_code(b"852").map(|c| (c.nsn_min, c.nsn_max, c.len));
        assert_eq!(hk, Some((8, 8, 3)));
        let other = country_code(b"2281234567").map(|c| (c.nsn_min, c.nsn_max));
        assert_eq!(other, Some((6, 12)));
    }

    #[test]
    fn unassigned_or_malformed() {
        for s in [
            "", "0", "0086", "210", "2141234", "259", "28", "2801234", "296", "384", "388", "422",
            "671", "684", "693", "8012345", "83", "851", "854", "871", "89", "969", "978", "990",
            "997", "999", "+86", "a1", " 1", "3x", "35",
        ] {
            assert_eq!(country_code(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn nanp() {
        for s in [
            "2125550123",
            "4155552671",
            "6502530000",
            "9175551234",
            "2025550199",
            "8005551212",
        ] {
            assert!(nanp_valid(s.as_bytes()), "{s}");
        }
        for s in [
            "",
            "212555012",
            "21255501234",
            "1125550123",
            "0125550123",
            "2121550123",
            "2120550123",
            "9115550123",
            "2124110123",
            "212555012a",
            "+212555012",
        ] {
            assert!(!nanp_valid(s.as_bytes()), "{s:?}");
        }
        for s in ["2125550100", "3105550123", "2025550199"] {
            assert!(nanp_is_fictional(s.as_bytes()), "{s}");
        }
        for s in [
            "2125550200",
            "2125550099",
            "2125551234",
            "2125560123",
            "1125550123",
        ] {
            assert!(!nanp_is_fictional(s.as_bytes()), "{s}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = country_code(&bytes);
            let _ = nanp_valid(&bytes);
            let _ = nanp_is_fictional(&bytes);
        }

        #[test]
        fn every_code_is_found(i in 0..COUNTRY_CODES.len(), rest in "[0-9]{0,12}") {
            let c = COUNTRY_CODES[i];
            let s = format!("{}{rest}", c.code);
            prop_assert_eq!(country_code(s.as_bytes()), Some(c));
        }
    }
}
