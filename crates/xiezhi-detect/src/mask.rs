//! Masking of values for findings: enough left to recognise, not enough to use.
//!
//! Characters are counted, not bytes: CJK characters and full-width digits count as one.
//! Separators (spaces, `-`, `.`, `:`, brackets, `·`) keep their place, so `138 1234 5678`
//! becomes `138 **** 5678` and `A123456(3)` becomes `A******(3)`.
//!
//! | type | kept | example |
//! | --- | --- | --- |
//! | `cn_resident_id` | first 4, last 4 | `1101**********002X` |
//! | `cn_mobile` | `+86`, first 3, last 4 | `+86 138 **** 5678` |
//! | `cn_landline` | area code, last 2 | `010-******78` |
//! | `bank_card` | first 4, last 4 | `6222 **** **** 7890` |
//! | passports, permits, HK / Macao / Taiwan IDs | first and last character | `E*******8` |
//! | `email` | first character of the local part, domain | `z***@qq.com` |
//! | `ipv4` / `ipv6` | first two groups | `10.1.*.*`, `2409:8a1e:*` |
//! | `mac_address` | the OUI (first 3 octets) | `AA:BB:CC:**:**:**` |
//! | `imei` / `device_id` | first 8 (the TAC) / first 4 | `35209900*******` |
//! | `gps_coordinate` | one decimal | `39.9,116.4` |
//! | `cn_uscc` | first 2, last 1 | `91***************3` |
//! | `cn_license_plate` | province, letter, last 1 | `京A****5` |
//! | `vin` | first 3 (the WMI) | `LSV**************` |
//! | `phone_intl` | country code, last 2 | `+44 ** **** **67` |
//! | `person_name` | surname / initials | `欧阳**`, `J*** S***` |
//! | `cn_address` / `street_address` | first 6 / 4 characters | `广东省深圳市****` |
//! | `date_of_birth` | the year | `1990-**-**`, `1990年**月**日` |
//! | `ethnicity`, `religion`, `health` | first character | `2型******` |
//! | `biometric`, `credential` | nothing | `********` |
//!
//! Guarantees:
//!
//! * Values of at most 4 characters are starred completely, except e-mail and IP addresses
//!   (whose kept parts are their structure) and person names (a Chinese name is 2–4
//!   characters; `张*` is the customary masked form and keeps only the surname).
//! * Where a rule would keep most of a short value, it keeps less: at least a third of the
//!   significant characters (after a `+86` or country-code prefix) are always hidden.
//! * The result never contains the value itself (for any non-empty value not made only of `*`):
//!   when a rule would leave it whole — an already-masked input, a coordinate with one decimal,
//!   a value without a single letter or digit — the value is starred completely. Biometric and
//!   credential values always give exactly `********`.
//! * Nothing panics, whatever the input.

use xiezhi_model::PiType;

use crate::dict::surnames::compound_surname_at;
use crate::validate::{landline, phone_intl};

/// Masks `value` (as found, original spelling) for type `ty`.
pub fn mask(ty: PiType, value: &str) -> String {
    let n = value.chars().count();
    if n == 0 {
        return String::new();
    }
    let out = match ty {
        PiType::Biometric | PiType::Credential => return "********".to_owned(),
        PiType::Email => email(value),
        PiType::Ipv4 => ipv4(value),
        PiType::Ipv6 => ipv6(value),
        PiType::PersonName => person_name(value),
        _ if n <= 4 => stars(n),
        PiType::CnResidentId | PiType::BankCard => keep_ends(value, 4, 4, 0),
        PiType::CnMobile => mobile(value),
        PiType::CnLandline => cn_landline(value),
        PiType::CnPassport
        | PiType::HkMacauPermit
        | PiType::TwPermit
        | PiType::HkId
        | PiType::MoId
        | PiType::TwId => keep_ends(value, 1, 1, 0),
        PiType::CnUscc | PiType::CnLicensePlate => keep_ends(value, 2, 1, 0),
        PiType::Vin => keep_ends(value, 3, 0, 0),
        PiType::MacAddress => keep_ends(value, 6, 0, 0),
        PiType::Imei => keep_ends(value, 8, 0, 0),
        PiType::DeviceId => keep_ends(value, 4, 0, 0),
        PiType::GpsCoordinate => gps(value),
        PiType::PhoneIntl => intl_phone(value),
        PiType::CnAddress => head(value, 6),
        PiType::StreetAddress => head(value, 4),
        PiType::DateOfBirth => date_of_birth(value),
        PiType::Ethnicity | PiType::Religion | PiType::Health => first_char(value),
    };
    if out.contains(value) { stars(n) } else { out }
}

/// `n` stars.
fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// The ASCII value of a digit, ASCII or full-width.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(c as u32 - '０' as u32).ok(),
        _ => None,
    }
}

/// Letters and digits (CJK and full-width included) are significant; the rest are separators.
fn significant(c: char) -> bool {
    c.is_alphanumeric()
}

/// Keeps the first `prefix + first` and the last `last` significant characters; stars the
/// others; keeps separators. At least a third of the significant characters after `prefix`
/// are hidden (the larger of `first` and `last` shrinks first to make room).
fn keep_ends(value: &str, first: usize, last: usize, prefix: usize) -> String {
    let total = value.chars().filter(|&c| significant(c)).count();
    let core = total.saturating_sub(prefix);
    let min_hidden = core.div_ceil(3).max(1);
    let (mut first, mut last) = (first, last);
    while core.saturating_sub(first + last) < min_hidden && (first > 0 || last > 0) {
        if last >= first {
            last -= 1;
        } else {
            first -= 1;
        }
    }
    let head = prefix + first;
    let tail_from = total.saturating_sub(last);
    let mut i = 0;
    let mut hidden = 0;
    let out: String = value
        .chars()
        .map(|c| {
            if !significant(c) {
                return c;
            }
            let keep = i < head || i >= tail_from;
            i += 1;
            if keep {
                c
            } else {
                hidden += 1;
                '*'
            }
        })
        .collect();
    if hidden == 0 {
        stars(value.chars().count())
    } else {
        out
    }
}

/// The significant characters of `value` as ASCII digits, or `None` if one is not a digit.
fn digits_of(value: &str) -> Option<Vec<u8>> {
    value
        .chars()
        .filter(|&c| significant(c))
        .map(|c| digit(c).map(|d| d + b'0'))
        .collect()
}

/// Whether the value starts with `+` (ASCII or full-width), after spaces.
fn starts_with_plus(value: &str) -> bool {
    matches!(value.trim_start().chars().next(), Some('+' | '＋'))
}

/// Length of a `+86` / `0086` / `86` prefix of a mainland number of `national` digits.
fn cn_prefix(value: &str, digits: &[u8], national: usize) -> usize {
    if digits.starts_with(b"0086") && digits.len() > national + 3 {
        4
    } else if digits.starts_with(b"86") && (starts_with_plus(value) || digits.len() == national + 2)
    {
        2
    } else {
        0
    }
}

fn mobile(value: &str) -> String {
    let digits = digits_of(value).unwrap_or_default();
    let prefix = cn_prefix(value, &digits, 11);
    keep_ends(value, 3, 4, prefix)
}

fn cn_landline(value: &str) -> String {
    let digits = digits_of(value).unwrap_or_default();
    let prefix = cn_prefix(value, &digits, 10);
    let rest = digits.get(prefix..).unwrap_or_default();
    let area = if rest.first() == Some(&b'0') {
        landline::area_code_len(rest).unwrap_or(0)
    } else if prefix > 0 {
        // `+86 755 …`: the trunk 0 is dropped after the country code.
        let mut with0 = Vec::with_capacity(rest.len() + 1);
        with0.push(b'0');
        with0.extend_from_slice(rest);
        landline::area_code_len(&with0).map_or(0, |l| l - 1)
    } else {
        0
    };
    keep_ends(value, area, 2, prefix)
}

fn intl_phone(value: &str) -> String {
    let digits = digits_of(value).unwrap_or_default();
    let prefix = if starts_with_plus(value) {
        phone_intl::country_code(&digits).map_or(0, |cc| usize::from(cc.len))
    } else if digits.starts_with(b"00") {
        digits
            .get(2..)
            .and_then(phone_intl::country_code)
            .map_or(0, |cc| 2 + usize::from(cc.len))
    } else {
        0
    };
    keep_ends(value, 0, 2, prefix)
}

fn email(value: &str) -> String {
    // The last `@` (also full-width, or URL-encoded `%40`) separates the domain.
    let at = [
        value.rfind('@').map(|i| (i, 1)),
        value.rfind('＠').map(|i| (i, '＠'.len_utf8())),
    ]
    .into_iter()
    .flatten()
    .max_by_key(|&(i, _)| i)
    .or_else(|| {
        let lower = value.to_ascii_lowercase();
        lower.rfind("%40").map(|i| (i, 3))
    });
    let Some((i, len)) = at else {
        return stars(value.chars().count());
    };
    let (Some(local), Some(sep), Some(domain)) =
        (value.get(..i), value.get(i..i + len), value.get(i + len..))
    else {
        return stars(value.chars().count());
    };
    if domain.is_empty() {
        return stars(value.chars().count());
    }
    let mut out = String::with_capacity(domain.len() + 8);
    if let Some(c) = local.chars().next() {
        out.push(c);
    }
    out.push_str("***");
    out.push_str(sep);
    out.push_str(domain);
    out
}

fn ipv4(value: &str) -> String {
    let parts: Vec<&str> = value.split('.').collect();
    match parts.as_slice() {
        [a, b, c, d] if [a, b, c, d].iter().all(|p| !p.is_empty()) => format!("{a}.{b}.*.*"),
        _ => stars(value.chars().count()),
    }
}

fn ipv6(value: &str) -> String {
    let mut kept: Vec<&str> = Vec::with_capacity(2);
    for group in value.split(':').take(2) {
        if group.is_empty() {
            break;
        }
        kept.push(group);
    }
    match kept.len() {
        0 => stars(value.chars().count()),
        1 => format!("{}::*", kept.concat()),
        _ => format!("{}:*", kept.join(":")),
    }
}

fn gps(value: &str) -> String {
    let ok = value.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '.' | '-'
                    | '+'
                    | ','
                    | ' '
                    | '\t'
                    | ';'
                    | '/'
                    | '|'
                    | '°'
                    | '，'
                    | 'N'
                    | 'S'
                    | 'E'
                    | 'W'
                    | 'n'
                    | 's'
                    | 'e'
                    | 'w'
            )
    });
    if !ok {
        return stars(value.chars().count());
    }
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len());
    let mut reduced = 0;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let prev_digit = i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_digit);
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == '.' && prev_digit && next_digit {
            out.push('.');
            if let Some(&d) = chars.get(i + 1) {
                out.push(d);
            }
            let mut j = i + 2;
            while chars.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            if j > i + 2 {
                reduced += 1;
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    if reduced == 0 {
        stars(chars.len())
    } else {
        out
    }
}

fn person_name(value: &str) -> String {
    let Some(first) = value.chars().find(|c| !c.is_whitespace()) else {
        return stars(value.chars().count());
    };
    if crate::text::is_cjk(first) {
        let body = value.trim_start();
        let total = body.chars().filter(|&c| significant(c)).count();
        let surname = compound_surname_at(body)
            .and_then(|len| body.get(..len))
            .map_or(1, |s| s.chars().count());
        // Keep at least one character hidden: `欧阳` alone becomes `欧*`.
        let keep = if surname < total {
            surname
        } else {
            total.saturating_sub(1).min(1)
        };
        let mut i = 0;
        body.chars()
            .map(|c| {
                if !significant(c) {
                    return c;
                }
                i += 1;
                if i <= keep { c } else { '*' }
            })
            .collect()
    } else {
        let words: Vec<String> = value
            .split_whitespace()
            .filter_map(|w| {
                w.chars()
                    .find(|c| significant(*c))
                    .map(|c| format!("{c}***"))
            })
            .collect();
        if words.is_empty() {
            stars(value.chars().count())
        } else {
            words.join(" ")
        }
    }
}

/// The first `k` characters and `****` (fewer kept for short values).
fn head(value: &str, k: usize) -> String {
    let n = value.chars().count();
    let keep = k.min(n - n.div_ceil(3));
    let mut out: String = value.chars().take(keep).collect();
    out.push_str("****");
    out
}

/// The first character and a star for each other character.
fn first_char(value: &str) -> String {
    let mut chars = value.chars();
    let mut out = String::with_capacity(value.len());
    if let Some(c) = chars.next() {
        out.push(c);
    }
    for _ in chars {
        out.push('*');
    }
    out
}

/// Whether `c` is written as part of a number in a date (digits, full-width digits, Chinese
/// numerals).
fn numeral(c: char) -> bool {
    digit(c).is_some() || "〇零一二三四五六七八九十".contains(c)
}

/// Keeps the year of a date of birth; every other run of digits or letters becomes `**`.
fn date_of_birth(value: &str) -> String {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Num,
        Word,
        Other,
    }
    let kind = |c: char| {
        if numeral(c) {
            Kind::Num
        } else if c.is_ascii_alphabetic() {
            Kind::Word
        } else {
            Kind::Other
        }
    };
    // Runs of the same kind; `Other` characters are runs of one.
    let mut runs: Vec<(Kind, String)> = Vec::new();
    for c in value.chars() {
        let k = kind(c);
        match runs.last_mut() {
            Some((last, s)) if *last == k && k != Kind::Other => s.push(c),
            _ => runs.push((k, c.to_string())),
        }
    }
    let year_of = |s: &str| -> Option<u32> {
        let d: Option<Vec<u8>> = s.chars().map(digit).collect();
        let d = d?;
        let y = d
            .iter()
            .take(4)
            .fold(0u32, |acc, &x| acc * 10 + u32::from(x));
        ((d.len() == 4 || d.len() == 8) && (1800..=2100).contains(&y)).then_some(y)
    };
    let year_run = runs
        .iter()
        .position(|(k, s)| *k == Kind::Num && year_of(s).is_some());
    let mut out = String::with_capacity(value.len());
    for (i, (k, s)) in runs.iter().enumerate() {
        match k {
            Kind::Other => out.push_str(s),
            Kind::Num if Some(i) == year_run => {
                let mut chars = s.chars();
                out.extend(chars.by_ref().take(4));
                // YYYYMMDD
                for _ in chars {
                    out.push('*');
                }
            }
            _ => out.push_str("**"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn resident_id() {
        assert_eq!(
            mask(PiType::CnResidentId, "11010519491231002X"),
            "1101**********002X"
        );
        assert_eq!(
            mask(PiType::CnResidentId, "11010519491231002x"),
            "1101**********002x"
        );
        assert_eq!(
            mask(PiType::CnResidentId, "110105491231002"),
            "1101*******1002"
        );
        assert_eq!(
            mask(PiType::CnResidentId, "１１０１０５１９４９１２３１００２Ｘ"),
            "１１０１**********００２Ｘ"
        );
        assert_eq!(
            mask(PiType::CnResidentId, "110 105 19491231 002X"),
            "110 1** ******** 002X"
        );
    }

    #[test]
    fn mobile() {
        assert_eq!(mask(PiType::CnMobile, "13812345678"), "138****5678");
        assert_eq!(mask(PiType::CnMobile, "138 1234 5678"), "138 **** 5678");
        assert_eq!(mask(PiType::CnMobile, "138-1234-5678"), "138-****-5678");
        assert_eq!(
            mask(PiType::CnMobile, "+86 138 1234 5678"),
            "+86 138 **** 5678"
        );
        assert_eq!(mask(PiType::CnMobile, "+8613812345678"), "+86138****5678");
        assert_eq!(
            mask(PiType::CnMobile, "+86-138-1234-5678"),
            "+86-138-****-5678"
        );
        assert_eq!(
            mask(PiType::CnMobile, "0086 13812345678"),
            "0086 138****5678"
        );
        assert_eq!(mask(PiType::CnMobile, "8613812345678"), "86138****5678");
        assert_eq!(
            mask(PiType::CnMobile, "１３８１２３４５６７８"),
            "１３８****５６７８"
        );
        assert_eq!(
            mask(PiType::CnMobile, "＋８６ １３８ １２３４ ５６７８"),
            "＋８６ １３８ **** ５６７８"
        );
    }

    #[test]
    fn landline() {
        assert_eq!(mask(PiType::CnLandline, "010-62345678"), "010-******78");
        assert_eq!(
            mask(PiType::CnLandline, "(021) 6234 5678"),
            "(021) **** **78"
        );
        assert_eq!(
            mask(PiType::CnLandline, "（021）62345678"),
            "（021）******78"
        );
        assert_eq!(mask(PiType::CnLandline, "0571 8888 1234"), "0571 **** **34");
        assert_eq!(mask(PiType::CnLandline, "0571-8888123"), "0571-*****23");
        assert_eq!(
            mask(PiType::CnLandline, "+86 755 86001234"),
            "+86 755 ******34"
        );
        assert_eq!(mask(PiType::CnLandline, "62345678"), "******78");
    }

    #[test]
    fn bank_card() {
        assert_eq!(
            mask(PiType::BankCard, "6222021234567890"),
            "6222********7890"
        );
        assert_eq!(
            mask(PiType::BankCard, "6222 0212 3456 7890"),
            "6222 **** **** 7890"
        );
        assert_eq!(
            mask(PiType::BankCard, "6222021234567890123"),
            "6222***********0123"
        );
    }

    #[test]
    fn documents() {
        assert_eq!(mask(PiType::CnPassport, "E12345678"), "E*******8");
        assert_eq!(mask(PiType::CnPassport, "EA1234567"), "E*******7");
        assert_eq!(mask(PiType::HkMacauPermit, "H12345678"), "H*******8");
        assert_eq!(mask(PiType::TwPermit, "12345678"), "1******8");
        assert_eq!(mask(PiType::HkId, "A123456(3)"), "A******(3)");
        assert_eq!(mask(PiType::HkId, "XA123456（7）"), "X*******（7）");
        assert_eq!(mask(PiType::MoId, "1234567(8)"), "1******(8)");
        assert_eq!(mask(PiType::TwId, "A123456789"), "A********9");
        assert_eq!(
            mask(PiType::CnUscc, "91350100M000100Y43"),
            "91***************3"
        );
    }

    #[test]
    fn email() {
        assert_eq!(mask(PiType::Email, "zhangsan@qq.com"), "z***@qq.com");
        assert_eq!(mask(PiType::Email, "a@b.cn"), "a***@b.cn");
        assert_eq!(
            mask(PiType::Email, "li.wei@corp.example.com.cn"),
            "l***@corp.example.com.cn"
        );
        assert_eq!(mask(PiType::Email, "zhang%40qq.com"), "z***%40qq.com");
        assert_eq!(mask(PiType::Email, "王伟＠163.com"), "王***＠163.com");
        assert_eq!(mask(PiType::Email, "no-at-sign"), "**********");
        assert_eq!(mask(PiType::Email, "x@"), "**");
    }

    #[test]
    fn network() {
        assert_eq!(mask(PiType::Ipv4, "192.168.1.23"), "192.168.*.*");
        assert_eq!(mask(PiType::Ipv4, "1.2.3.4"), "1.2.*.*");
        assert_eq!(mask(PiType::Ipv4, "1.2.3"), "*****");
        assert_eq!(
            mask(PiType::Ipv6, "2408:8207:24a1:5e30:1c2d:3e4f:5a6b:71d2"),
            "2408:8207:*"
        );
        assert_eq!(mask(PiType::Ipv6, "2409:8a1e::1a2b"), "2409:8a1e:*");
        assert_eq!(mask(PiType::Ipv6, "fe80::1"), "fe80::*");
        assert_eq!(mask(PiType::Ipv6, "::1"), "***");
        assert_eq!(
            mask(PiType::MacAddress, "AA:BB:CC:DD:EE:FF"),
            "AA:BB:CC:**:**:**"
        );
        assert_eq!(
            mask(PiType::MacAddress, "aa-bb-cc-dd-ee-ff"),
            "aa-bb-cc-**-**-**"
        );
        assert_eq!(mask(PiType::MacAddress, "aabb.ccdd.eeff"), "aabb.cc**.****");
        assert_eq!(mask(PiType::Imei, "352099001761481"), "35209900*******");
        assert_eq!(
            mask(PiType::DeviceId, "6D92078A-8246-4BA4-AE5B-76104861E7DC"),
            "6D92****-****-****-****-************"
        );
        assert_eq!(
            mask(PiType::DeviceId, "9774d56d682e549c"),
            "9774************"
        );
    }

    #[test]
    fn gps() {
        assert_eq!(
            mask(PiType::GpsCoordinate, "39.9042,116.4074"),
            "39.9,116.4"
        );
        assert_eq!(
            mask(PiType::GpsCoordinate, "39.9042, 116.4074"),
            "39.9, 116.4"
        );
        assert_eq!(mask(PiType::GpsCoordinate, "116.40,39.90"), "116.4,39.9");
        assert_eq!(
            mask(PiType::GpsCoordinate, "39.9042°N, 116.4074°E"),
            "39.9°N, 116.4°E"
        );
        assert_eq!(mask(PiType::GpsCoordinate, "-33.8688"), "-33.8");
        assert_eq!(mask(PiType::GpsCoordinate, "39.9,116.4"), "**********");
        assert_eq!(mask(PiType::GpsCoordinate, "北纬39.9042"), "*********");
    }

    #[test]
    fn vehicles_and_phones() {
        assert_eq!(mask(PiType::CnLicensePlate, "京A12345"), "京A****5");
        assert_eq!(mask(PiType::CnLicensePlate, "京A·12345"), "京A·****5");
        assert_eq!(mask(PiType::CnLicensePlate, "沪AD12345"), "沪A*****5");
        assert_eq!(mask(PiType::Vin, "LSVAU2180N2183294"), "LSV**************");
        assert_eq!(
            mask(PiType::PhoneIntl, "+1 415-736-2671"),
            "+1 ***-***-**71"
        );
        assert_eq!(
            mask(PiType::PhoneIntl, "+44 20 7123 4567"),
            "+44 ** **** **67"
        );
        assert_eq!(mask(PiType::PhoneIntl, "+852 9123 4567"), "+852 **** **67");
        assert_eq!(
            mask(PiType::PhoneIntl, "0044 20 7123 4567"),
            "0044 ** **** **67"
        );
        assert_eq!(mask(PiType::PhoneIntl, "(415) 736-5000"), "(***) ***-**00");
    }

    #[test]
    fn names() {
        assert_eq!(mask(PiType::PersonName, "张三"), "张*");
        assert_eq!(mask(PiType::PersonName, "王小明"), "王**");
        assert_eq!(mask(PiType::PersonName, "欧阳娜娜"), "欧阳**");
        assert_eq!(mask(PiType::PersonName, "司马光"), "司马*");
        assert_eq!(mask(PiType::PersonName, "欧阳"), "欧*");
        assert_eq!(mask(PiType::PersonName, "张"), "*");
        assert_eq!(mask(PiType::PersonName, "阿依古丽·买买提"), "阿***·***");
        assert_eq!(mask(PiType::PersonName, "John Smith"), "J*** S***");
        assert_eq!(mask(PiType::PersonName, "Zhang Wei"), "Z*** W***");
        assert_eq!(mask(PiType::PersonName, "Al"), "A***");
    }

    #[test]
    fn addresses_dates_and_context_types() {
        assert_eq!(
            mask(
                PiType::CnAddress,
                "广东省深圳市南山区科技园南路15号3栋1201室"
            ),
            "广东省深圳市****"
        );
        assert_eq!(
            mask(PiType::CnAddress, "北京市朝阳区建国路1号"),
            "北京市朝阳区****"
        );
        assert_eq!(mask(PiType::CnAddress, "北京市朝阳区"), "北京市朝****");
        assert_eq!(
            mask(
                PiType::StreetAddress,
                "1600 Amphitheatre Parkway, Mountain View, CA 94043"
            ),
            "1600****"
        );
        assert_eq!(mask(PiType::DateOfBirth, "1990-03-05"), "1990-**-**");
        assert_eq!(mask(PiType::DateOfBirth, "1990/3/5"), "1990/**/**");
        assert_eq!(
            mask(PiType::DateOfBirth, "1990年03月05日"),
            "1990年**月**日"
        );
        assert_eq!(mask(PiType::DateOfBirth, "1990年3月5日"), "1990年**月**日");
        assert_eq!(mask(PiType::DateOfBirth, "19900305"), "1990****");
        assert_eq!(mask(PiType::DateOfBirth, "05/03/1990"), "**/**/1990");
        assert_eq!(mask(PiType::DateOfBirth, "March 5, 1990"), "** **, 1990");
        assert_eq!(
            mask(PiType::DateOfBirth, "１９９０年３月５日"),
            "１９９０年**月**日"
        );
        assert_eq!(
            mask(PiType::DateOfBirth, "一九九〇年三月五日"),
            "**年**月**日"
        );
        assert_eq!(mask(PiType::Ethnicity, "汉族"), "**");
        assert_eq!(mask(PiType::Ethnicity, "维吾尔族"), "****");
        assert_eq!(mask(PiType::Ethnicity, "Uyghur"), "U*****");
        assert_eq!(mask(PiType::Religion, "伊斯兰教"), "****");
        assert_eq!(mask(PiType::Religion, "Buddhism"), "B*******");
        assert_eq!(mask(PiType::Health, "2型糖尿病"), "2****");
        assert_eq!(mask(PiType::Health, "高血压"), "***");
        assert_eq!(mask(PiType::Biometric, "464D5200..."), "********");
        assert_eq!(mask(PiType::Credential, "x"), "********");
        assert_eq!(
            mask(PiType::Credential, "sk_live_0123456789abcdefghijklmnop"),
            "********"
        );
    }

    #[test]
    fn short_and_odd_values() {
        assert_eq!(mask(PiType::CnMobile, ""), "");
        assert_eq!(mask(PiType::CnMobile, "1381"), "****");
        assert_eq!(mask(PiType::CnResidentId, "11010"), "11**0");
        assert_eq!(mask(PiType::BankCard, "------"), "******");
        // Already masked: masked further, or starred completely rather than returned as is.
        assert_eq!(mask(PiType::CnMobile, "138****5678"), "13*******78");
        assert_eq!(mask(PiType::Email, "a***@qq.com"), "***********");
    }

    fn any_type() -> impl Strategy<Value = PiType> {
        (0..PiType::COUNT).prop_map(|i| PiType::ALL.get(i).copied().unwrap_or(PiType::Email))
    }

    proptest! {
        #[test]
        fn never_reveals_or_panics(ty in any_type(), s in "\\PC{0,40}") {
            check(ty, &s);
        }

        #[test]
        fn never_reveals_numbers(ty in any_type(), s in "[0-9０-９ +\\-().:@a-fA-F年月日·xX]{0,30}") {
            check(ty, &s);
        }
    }

    fn check(ty: PiType, s: &str) {
        let out = mask(ty, s);
        if s.is_empty() {
            assert_eq!(out, "");
        } else if matches!(ty, PiType::Biometric | PiType::Credential) {
            assert_eq!(out, "********");
        } else if !s.chars().all(|c| c == '*') {
            assert!(!out.contains(s), "{ty}: {s:?} -> {out:?}");
        }
    }
}
