//! Unified social credit code (统一社会信用代码) of legal persons and other organisations,
//! GB 32100-2015.
//!
//! 18 characters over 31 symbols (digits and uppercase letters without I, O, Z, S, V):
//!
//! | position | meaning |
//! |---|---|
//! | 1 | registration authority (登记管理部门): 1–9, A, N, Y |
//! | 2 | organisation category (机构类别), depending on position 1 |
//! | 3–8 | administrative division of the registering office (GB/T 2260; 100000 = national) |
//! | 9–17 | organisation code (主体标识码, GB 11714) |
//! | 18 | check character: `31 − (Σ value·3^(i−1) mod 31)`, 31 written as `0` (GB/T 17710 style) |
//!
//! Lowercase letters are not accepted: the standard writes the code in uppercase only.

use super::region::province_name;

/// The code alphabet in value order (GB 32100-2015 table 2).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights `3^(i-1) mod 31` of positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The value (0–30) of a code character, `None` outside the alphabet.
fn value(c: u8) -> Option<u32> {
    let i = ALPHABET.iter().position(|&a| a == c)?;
    u32::try_from(i).ok()
}

/// The check character of the first 17 characters. `None` when `body17` is not 17 characters of
/// the code alphabet (uppercase only).
#[must_use]
pub fn check_char(body17: &[u8]) -> Option<u8> {
    if body17.len() != WEIGHTS.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in body17.iter().zip(WEIGHTS.iter()) {
        sum += value(c)? * w;
    }
    let r = usize::try_from((31 - sum % 31) % 31).ok()?;
    ALPHABET.get(r).copied()
}

/// True when the registration-authority character `authority` and the category character
/// `category` form a combination listed in GB 32100-2015 table 1 (as amended: 2 外交, 3 司法行政,
/// 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室, N 农业 were added to the original
/// 1 机构编制, 5 民政, 9 工商, Y 其他).
#[must_use]
pub const fn is_known_category(authority: u8, category: u8) -> bool {
    matches!(
        (authority, category),
        // 机构编制: 机关, 事业单位, 群众团体, 其他
        (b'1', b'1' | b'2' | b'3' | b'9')
        // 外交: 外国常住新闻机构, 其他
        | (b'2', b'1' | b'9')
        // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
        | (b'3', b'1' | b'2' | b'3' | b'4' | b'5' | b'9')
        // 文化: 外国在华文化中心, 其他
        | (b'4', b'1' | b'9')
        // 民政: 社会团体, 民办非企业单位, 基金会, 其他
        | (b'5', b'1' | b'2' | b'3' | b'9')
        // 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻代表机构, 其他
        | (b'6', b'1' | b'2' | b'9')
        // 宗教: 宗教活动场所, 宗教院校, 其他
        | (b'7', b'1' | b'2' | b'9')
        // 工会: 基层工会, 其他
        | (b'8', b'1' | b'9')
        // 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
        | (b'9', b'1' | b'2' | b'3')
        // 中央军委改革和编制办公室: 军队事业单位, 其他
        | (b'A', b'1' | b'9')
        // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
        | (b'N', b'1' | b'2' | b'3' | b'9')
        // 其他: always 1
        | (b'Y', b'1')
    )
}

/// True when `code` is a well-formed unified social credit code: 18 uppercase characters of the
/// code alphabet, a known registration authority and category (positions 1–2), six digits at
/// positions 3–8 whose first two are an allocated province code (or exactly `100000`, used by
/// organisations registered at the national level), and a matching check character.
/// The county part of positions 3–8 is not checked (registering offices keep retired codes).
#[must_use]
pub fn is_valid(code: &[u8]) -> bool {
    let [authority, category, p1, p2, d3, d4, d5, d6, ..] = *code else {
        return false;
    };
    if code.len() != 18 || !is_known_category(authority, category) {
        return false;
    }
    if ![p1, p2, d3, d4, d5, d6].iter().all(u8::is_ascii_digit) {
        return false;
    }
    // Organisations registered by a central (national) authority carry 100000 (全国).
    let national = [p1, p2, d3, d4, d5, d6] == *b"100000";
    if !national && province_name((p1 - b'0') * 10 + (p2 - b'0')).is_none() {
        return false;
    }
    let Some((&last, body)) = code.split_last() else {
        return false;
    };
    check_char(body) == Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Codes of well-known companies, as shown on their business licences and in the National
    // Enterprise Credit Information Publicity System (public registry data).
    const REAL: [&[u8]; 6] = [
        b"914403001922038216", // 华为技术有限公司 (Shenzhen)
        b"91440300708461136T", // 深圳市腾讯计算机系统有限公司
        b"91110108551385082Q", // 小米科技有限责任公司 (Beijing Haidian)
        b"911100007109250324", // 中国移动通信集团有限公司
        b"91110000802100433B", // 北京百度网讯科技有限公司
        b"91330100716105852F", // 阿里巴巴(中国)有限公司 (Hangzhou)
    ];

    #[test]
    fn weights_are_powers_of_three() {
        let mut w = 1u32;
        for &x in &WEIGHTS {
            assert_eq!(x, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn real_codes_validate() {
        for code in REAL {
            assert!(is_valid(code), "{}", String::from_utf8_lossy(code));
            assert_eq!(check_char(&code[..17]), Some(code[17]));
        }
    }

    #[test]
    fn mutated_codes_fail() {
        for code in REAL {
            let mut v = code.to_vec();
            // Wrong check character.
            v[17] = if v[17] == b'0' { b'1' } else { b'0' };
            assert!(!is_valid(&v));
            // Lowercase.
            let lower = code.to_ascii_lowercase();
            if lower != code {
                assert!(!is_valid(&lower));
            }
            // Too short / too long.
            assert!(!is_valid(&code[..17]));
            let mut longer = code.to_vec();
            longer.push(b'0');
            assert!(!is_valid(&longer));
        }
        assert!(!is_valid(b"91440300708461136t"));
        assert!(!is_valid(b"9144030070846113 T"));
        assert!(!is_valid(b""));
    }

    #[test]
    fn forbidden_letters_fail() {
        for bad in [b'I', b'O', b'Z', b'S', b'V'] {
            let mut v = *b"91440300708461136T";
            v[10] = bad;
            assert!(!is_valid(&v));
            assert_eq!(check_char(&v[..17]), None);
        }
    }

    #[test]
    fn structure_checks() {
        // A check character computed for each body so only the structure rule can fail.
        let with_check = |body: &[u8; 17]| {
            let mut v = body.to_vec();
            v.push(check_char(body).unwrap());
            v
        };
        assert!(is_valid(&with_check(b"91440300708461136")));
        // Unknown registration authority B.
        assert!(!is_valid(&with_check(b"B1440300708461136")));
        // Authority 9 with category 9 is not in the table.
        assert!(!is_valid(&with_check(b"99440300708461136")));
        // Y with category 2.
        assert!(!is_valid(&with_check(b"Y2440300708461136")));
        assert!(is_valid(&with_check(b"Y1440300708461136")));
        // Province 99 and 00 do not exist.
        assert!(!is_valid(&with_check(b"91990300708461136")));
        assert!(!is_valid(&with_check(b"91000000708461136")));
        // Letters inside the division code.
        assert!(!is_valid(&with_check(b"9144A300708461136")));
        // National-level registration (division 100000) is accepted, other 10xxxx codes are not.
        assert!(is_valid(&with_check(b"12100000400010398")));
        assert!(is_valid(&with_check(b"11100000000013127")));
        assert!(!is_valid(&with_check(b"12100100400010398")));
        // Other authorities.
        assert!(is_valid(&with_check(b"52110000500021676")));
        assert!(is_valid(&with_check(b"N2330102MA2H12345")));
    }

    #[test]
    fn categories() {
        assert!(is_known_category(b'9', b'1'));
        assert!(is_known_category(b'9', b'3'));
        assert!(!is_known_category(b'9', b'4'));
        assert!(is_known_category(b'A', b'9'));
        assert!(!is_known_category(b'0', b'1'));
        assert!(!is_known_category(b'a', b'1'));
    }

    proptest! {
        #[test]
        fn computed_check_validates(
            auth in prop::sample::select(vec![*b"91", *b"92", *b"93", *b"11", *b"12", *b"51", *b"52", *b"Y1", *b"N3"]),
            div in prop::sample::select(vec![*b"110108", *b"440300", *b"330106", *b"650100"]),
            org in "[0-9A-HJ-NP-RTUWXY]{9}",
        ) {
            let mut v = Vec::new();
            v.extend_from_slice(&auth);
            v.extend_from_slice(&div);
            v.extend_from_slice(org.as_bytes());
            let c = check_char(&v).unwrap();
            v.push(c);
            prop_assert!(is_valid(&v));
            // Any single-character substitution in positions 9-17 is caught (MOD 31 with
            // weights coprime to 31).
            for i in 8..17 {
                let mut w = v.clone();
                let cur = ALPHABET.iter().position(|&a| a == w[i]).unwrap();
                w[i] = ALPHABET[(cur + 1) % 31];
                prop_assert!(!is_valid(&w));
            }
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = is_valid(&bytes);
            let _ = check_char(&bytes);
        }
    }
}
