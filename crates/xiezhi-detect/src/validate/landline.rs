//! Mainland China fixed-line (landline) numbers: area code + local number.
//!
//! Area codes (长途区号) are written with the trunk prefix 0: `010` (Beijing) and `020`–`029`
//! (large cities, 3 digits) and `03xx`–`09xx` (4 digits). They are prefix-free, so the first
//! digits decide the length. The table is generated from libphonenumber's CN metadata (see
//! `landline_table.rs` and `scripts/gen-data/area_codes.py`).
//!
//! Local numbers: 8 digits after a 3-digit code; 7 or 8 digits after a 4-digit code (cities move
//! from 7 to 8 digits over time, so both lengths are accepted for every 4-digit code rather than
//! tracking which city has upgraded). The first local digit must be 2–8: numbers starting with
//! 0 (trunk), 1 (special services such as 110, 12345, 10086) and 9 (95xxx / 96xxx service
//! numbers) are not subscriber lines (电信网编号计划 2017, "首位为 2–8" subscriber numbers).
//!
//! Nationwide service numbers `400 xxx xxxx` and `800 xxx xxxx` have no area code and are never
//! accepted here.

#[path = "landline_table.rs"]
mod landline_table;

/// The length (3 or 4, the leading `0` included) of the mainland area code at the start of
/// `digits`, or `None` when `digits` does not start with `0` followed by a real area code.
/// Only the area code itself is inspected; what follows it is not.
#[must_use]
pub fn area_code_len(digits: &[u8]) -> Option<usize> {
    let [b'0', a, b, rest @ ..] = digits else {
        return None;
    };
    if !a.is_ascii_digit() || !b.is_ascii_digit() {
        return None;
    }
    let two = (a - b'0') * 10 + (b - b'0');
    if landline_table::AREA_CODES_3.binary_search(&two).is_ok() {
        return Some(3);
    }
    let c = rest.first().filter(|c| c.is_ascii_digit())?;
    let three = u16::from(two) * 10 + u16::from(c - b'0');
    landline_table::AREA_CODES_4
        .binary_search(&three)
        .is_ok()
        .then_some(4)
}

/// True when `area` is exactly a mainland area code (with its leading `0`) and `local` is a
/// subscriber number for it: 8 digits after a 3-digit code, 7 or 8 digits after a 4-digit code,
/// first digit 2–8 (see the module documentation).
#[must_use]
pub fn is_valid(area: &[u8], local: &[u8]) -> bool {
    let Some(code_len) = area_code_len(area) else {
        return false;
    };
    if code_len != area.len() {
        return false;
    }
    let Some(first) = local.first() else {
        return false;
    };
    let len_ok = match code_len {
        3 => local.len() == 8,
        _ => local.len() == 7 || local.len() == 8,
    };
    len_ok && (b'2'..=b'8').contains(first) && local.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tables_are_sorted() {
        assert!(landline_table::AREA_CODES_3.windows(2).all(|w| w[0] < w[1]));
        assert!(landline_table::AREA_CODES_4.windows(2).all(|w| w[0] < w[1]));
        assert!(landline_table::AREA_CODES_4.len() > 300);
        assert!(
            landline_table::AREA_CODES_4
                .iter()
                .all(|&c| (300..1000).contains(&c))
        );
    }

    #[test]
    fn three_digit_codes() {
        for code in [
            "010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
        ] {
            assert_eq!(area_code_len(code.as_bytes()), Some(3), "{code}");
            assert_eq!(area_code_len(format!("{code}12345678").as_bytes()), Some(3));
        }
        // 026 is reserved (Taiwan) and unused; 011–019 do not exist.
        for code in ["026", "011", "019", "000", "001"] {
            assert_eq!(
                area_code_len(format!("{code}12345678").as_bytes()),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn four_digit_codes() {
        for code in [
            "0755", "0571", "0898", "0311", "0351", "0431", "0451", "0512", "0591", "0731", "0871",
            "0891", "0931", "0951", "0971", "0991", "0999", "0335", "0349", "0701", "0580", "0769",
            "0760", "0754",
        ] {
            assert_eq!(area_code_len(code.as_bytes()), Some(4), "{code}");
        }
        for code in [
            "0300", "0320", "0400", "0800", "0600", "0978", "0390", "0397",
        ] {
            assert_eq!(area_code_len(code.as_bytes()), None, "{code}");
        }
    }

    #[test]
    fn area_code_len_edge_cases() {
        assert_eq!(area_code_len(b""), None);
        assert_eq!(area_code_len(b"0"), None);
        assert_eq!(area_code_len(b"01"), None);
        assert_eq!(area_code_len(b"075"), None);
        assert_eq!(area_code_len(b"075a"), None);
        assert_eq!(area_code_len(b"0a55"), None);
        assert_eq!(area_code_len(b"755"), None);
        assert_eq!(area_code_len(b"4001234567"), None);
        assert_eq!(area_code_len(b"8001234567"), None);
        assert_eq!(area_code_len(b"13812345678"), None);
    }

    #[test]
    fn valid_numbers() {
        assert!(is_valid(b"010", b"65529988"));
        assert!(is_valid(b"021", b"62345678"));
        assert!(is_valid(b"0755", b"86013388")); // Tencent's Shenzhen switchboard
        assert!(is_valid(b"0571", b"85022088"));
        assert!(is_valid(b"0898", b"66123456"));
        assert!(is_valid(b"0335", b"3012345"));
        assert!(is_valid(b"0991", b"2345678"));
        assert!(is_valid(b"0999", b"8023456"));
    }

    #[test]
    fn invalid_numbers() {
        assert!(!is_valid(b"010", b"6552998")); // 7 digits after a 3-digit code
        assert!(!is_valid(b"010", b"655299881")); // 9 digits
        assert!(!is_valid(b"0755", b"860133")); // 6 digits
        assert!(!is_valid(b"0755", b"860133888")); // 9 digits
        assert!(!is_valid(b"010", b"12345678")); // special-service prefix 1
        assert!(!is_valid(b"010", b"95566000")); // 9: service numbers
        assert!(!is_valid(b"010", b"05529988")); // 0
        assert!(!is_valid(b"0755", b"1234567"));
        assert!(!is_valid(b"026", b"65529988")); // no such code
        assert!(!is_valid(b"0978", b"2345678")); // dropped from the table
        assert!(!is_valid(b"400", b"1234567")); // national service number
        assert!(!is_valid(b"800", b"1234567"));
        assert!(!is_valid(b"0400", b"1234567"));
        assert!(!is_valid(b"10", b"65529988")); // missing trunk 0
        assert!(!is_valid(b"01065", b"529988")); // area is more than the code
        assert!(!is_valid(b"075", b"586013388")); // area is less than the code
        assert!(!is_valid(b"0755", b"8601338a"));
        assert!(!is_valid(b"0755", b"8601 3388"));
        assert!(!is_valid(b"0755", b""));
        assert!(!is_valid(b"", b"86013388"));
    }

    proptest! {
        #[test]
        fn table_codes_accept_subscriber_numbers(idx in any::<prop::sample::Index>(), first in 2u8..=8, rest in "[0-9]{6,7}") {
            let code = landline_table::AREA_CODES_4[idx.index(landline_table::AREA_CODES_4.len())];
            let area = format!("0{code}");
            let local = format!("{first}{rest}");
            prop_assert!(is_valid(area.as_bytes(), local.as_bytes()));
            prop_assert_eq!(area_code_len(format!("{area}{local}").as_bytes()), Some(4));
        }

        #[test]
        fn never_panics(a in proptest::collection::vec(any::<u8>(), 0..6), l in proptest::collection::vec(any::<u8>(), 0..10)) {
            let _ = area_code_len(&a);
            let _ = is_valid(&a, &l);
        }
    }
}
