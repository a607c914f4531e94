//! Gregorian calendar dates: validation, fixed-width parsing (identity numbers) and a loose parser
//! for dates written in documents (`2024-03-05`, `2024年3月5日`, `05/03/2024`, `March 5, 2024`…).
//!
//! All dates are proleptic Gregorian (leap years per ISO 8601 / the Gregorian rule: divisible by 4,
//! except centuries not divisible by 400).

/// A calendar date in the proleptic Gregorian calendar. Only real dates can be built
/// ([`Date::new`] checks the month length, leap years included). Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 1990.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

/// Lowest year [`parse_loose`] accepts.
pub const LOOSE_MIN_YEAR: u16 = 1800;
/// Highest year [`parse_loose`] accepts.
pub const LOOSE_MAX_YEAR: u16 = 2199;

/// True when `year` is a Gregorian leap year.
#[must_use]
pub const fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` of `year` (28–31), or 0 when `month` is not 1–12.
#[must_use]
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap(year) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

impl Date {
    /// The date `year-month-day` when it exists in the Gregorian calendar (month 1–12, day within
    /// the month, 29 February only in leap years); any `u16` year is accepted, range policies are
    /// the caller's.
    #[must_use]
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parses exactly 8 ASCII digits `YYYYMMDD` (the birth date field of an 18-digit PRC identity
    /// number). `None` on any other length, a non-digit or an impossible date.
    #[must_use]
    pub fn parse_yyyymmdd(s: &[u8]) -> Option<Date> {
        let [y1, y2, y3, y4, m1, m2, d1, d2] = *s else {
            return None;
        };
        let year = num4(y1, y2, y3, y4)?;
        Date::new(year, num2(m1, m2)?, num2(d1, d2)?)
    }

    /// Parses exactly 6 ASCII digits `YYMMDD` as a date in 19YY, the birth date field of the legacy
    /// 15-digit PRC identity number (GB 11643-1989, issued before 1999 with a 2-digit year).
    #[must_use]
    pub fn parse_yymmdd_19xx(s: &[u8]) -> Option<Date> {
        let [y1, y2, m1, m2, d1, d2] = *s else {
            return None;
        };
        let yy = u16::from(num2(y1, y2)?);
        Date::new(1900 + yy, num2(m1, m2)?, num2(d1, d2)?)
    }

    /// Days since 1970-01-01 (negative before it). Uses the civil-from-days arithmetic of
    /// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (public domain description).
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        let m = i64::from(self.month);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400; // 0..=399
        let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1; // 0..=365
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // 0..=146096
        era * 146_097 + doe - 719_468
    }
}

/// Value of one ASCII digit.
const fn digit(b: u8) -> Option<u8> {
    if b.is_ascii_digit() {
        Some(b - b'0')
    } else {
        None
    }
}

/// Value of two ASCII digits.
fn num2(a: u8, b: u8) -> Option<u8> {
    Some(digit(a)? * 10 + digit(b)?)
}

/// Value of four ASCII digits.
fn num4(a: u8, b: u8, c: u8, d: u8) -> Option<u16> {
    Some(u16::from(num2(a, b)?) * 100 + u16::from(num2(c, d)?))
}

// ---------------------------------------------------------------------------------------------
// Loose parsing
// ---------------------------------------------------------------------------------------------

/// `年` in UTF-8.
const NIAN: &[u8] = "年".as_bytes();
/// `月` in UTF-8.
const YUE: &[u8] = "月".as_bytes();
/// `日` in UTF-8.
const RI: &[u8] = "日".as_bytes();
/// `号` in UTF-8.
const HAO: &[u8] = "号".as_bytes();
/// Ideographic space U+3000 in UTF-8.
const IDEOGRAPHIC_SPACE: &[u8] = "\u{3000}".as_bytes();

/// English month names, January first.
const MONTHS: [&[u8]; 12] = [
    b"january",
    b"february",
    b"march",
    b"april",
    b"may",
    b"june",
    b"july",
    b"august",
    b"september",
    b"october",
    b"november",
    b"december",
];

/// True when `s[i..]` starts with `pat`.
fn has_at(s: &[u8], i: usize, pat: &[u8]) -> bool {
    s.get(i..).is_some_and(|t| t.starts_with(pat))
}

/// True when the byte at `i` is an ASCII digit.
fn digit_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// True when the byte at `i` is an ASCII letter.
fn alpha_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_alphabetic)
}

/// Reads the whole run of ASCII digits at `i`; succeeds when its length is within
/// `min..=max`, returning its value and the index after it.
fn digit_run(s: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut v: u32 = 0;
    let mut j = i;
    while let Some(d) = s.get(j).copied().and_then(digit) {
        if j - i >= max {
            return None;
        }
        v = v.saturating_mul(10).saturating_add(u32::from(d));
        j += 1;
    }
    if j - i < min {
        return None;
    }
    Some((v, j))
}

/// A 1- or 2-digit run (month or day number) at `i`.
fn small_run(s: &[u8], i: usize) -> Option<(u8, usize)> {
    let (v, j) = digit_run(s, i, 1, 2)?;
    Some((u8::try_from(v).ok()?, j))
}

/// Index after any ASCII spaces and ideographic spaces at `i`.
fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    loop {
        if s.get(i) == Some(&b' ') {
            i += 1;
        } else if has_at(s, i, IDEOGRAPHIC_SPACE) {
            i += IDEOGRAPHIC_SPACE.len();
        } else {
            return i;
        }
    }
}

/// A date whose year is within the loose range.
fn loose_date(year: u32, month: u8, day: u8) -> Option<Date> {
    let year = u16::try_from(year).ok()?;
    if (LOOSE_MIN_YEAR..=LOOSE_MAX_YEAR).contains(&year) {
        Date::new(year, month, day)
    } else {
        None
    }
}

/// An English month name or 3-letter abbreviation (also `sept`), case-insensitive, at `i`: the
/// whole run of letters must be the name. Returns the month number, the index after the name
/// (after an optional `.` following an abbreviation) and whether such a `.` was taken.
fn month_name(s: &[u8], i: usize) -> Option<(u8, usize, bool)> {
    let mut j = i;
    while alpha_at(s, j) {
        j += 1;
        if j - i > 9 {
            return None;
        }
    }
    let word = s.get(i..j)?;
    if word.len() < 3 {
        return None;
    }
    let mut found = None;
    for (n, name) in (1u8..).zip(MONTHS.iter()) {
        let full = word.eq_ignore_ascii_case(name);
        let abbr = word.len() == 3 && name.get(..3).is_some_and(|a| word.eq_ignore_ascii_case(a));
        let sept = n == 9 && word.eq_ignore_ascii_case(b"sept");
        if full || abbr || sept {
            found = Some((n, full));
            break;
        }
    }
    let (n, full) = found?;
    // An abbreviation may carry a full stop ("Mar."); "May" is both.
    if (!full || word.len() == 3) && s.get(j) == Some(&b'.') {
        return Some((n, j + 1, true));
    }
    Some((n, j, false))
}

/// Index after an optional English ordinal suffix (`st`, `nd`, `rd`, `th`) at `i`; the suffix
/// must not run into further letters.
fn skip_ordinal(s: &[u8], i: usize) -> usize {
    let Some(two) = s.get(i..i + 2) else {
        return i;
    };
    let is_suffix = [b"st", b"nd", b"rd", b"th"]
        .iter()
        .any(|p| two.eq_ignore_ascii_case(*p));
    if is_suffix && !alpha_at(s, i + 2) {
        i + 2
    } else {
        i
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY年M月D日` and `YYYYMMDD`.
fn year_first(s: &[u8]) -> Option<(Date, usize)> {
    // YYYYMMDD: exactly 8 digits.
    if let Some((_, end)) = digit_run(s, 0, 8, 8) {
        let d = Date::parse_yyyymmdd(s.get(..end)?)?;
        return loose_date(u32::from(d.year), d.month, d.day).map(|d| (d, end));
    }
    let (year, i) = digit_run(s, 0, 4, 4)?;
    match s.get(i).copied() {
        Some(sep @ (b'-' | b'/' | b'.')) => {
            let (month, j) = small_run(s, i + 1)?;
            if s.get(j) != Some(&sep) {
                return None;
            }
            let (day, k) = small_run(s, j + 1)?;
            Some((loose_date(year, month, day)?, k))
        }
        _ => {
            let i = skip_spaces(s, i);
            if !has_at(s, i, NIAN) {
                return None;
            }
            let i = skip_spaces(s, i + NIAN.len());
            let (month, i) = small_run(s, i)?;
            let i = skip_spaces(s, i);
            if !has_at(s, i, YUE) {
                return None;
            }
            let i = skip_spaces(s, i + YUE.len());
            let (day, i) = small_run(s, i)?;
            let i = skip_spaces(s, i);
            let end = if has_at(s, i, RI) {
                i + RI.len()
            } else if has_at(s, i, HAO) {
                i + HAO.len()
            } else {
                return None;
            };
            Some((loose_date(year, month, day)?, end))
        }
    }
}

/// `DD/MM/YYYY` or `MM/DD/YYYY` (also with `-` or `.`), and `5 March 1990`.
fn number_first(s: &[u8]) -> Option<(Date, usize)> {
    let (a, i) = small_run(s, 0)?;
    match s.get(i).copied() {
        Some(sep @ (b'/' | b'-' | b'.')) => {
            let (b, j) = small_run(s, i + 1)?;
            if s.get(j) != Some(&sep) {
                return None;
            }
            let (year, end) = digit_run(s, j + 1, 4, 4)?;
            // Prefer the US reading MM/DD/YYYY when both readings are real dates.
            let date = loose_date(year, a, b).or_else(|| loose_date(year, b, a))?;
            Some((date, end))
        }
        _ => {
            let i = skip_ordinal(s, i);
            let j = skip_spaces(s, i);
            if j == i {
                return None;
            }
            let (month, k, _) = month_name(s, j)?;
            let (k, comma) = if s.get(k) == Some(&b',') {
                (k + 1, true)
            } else {
                (k, false)
            };
            let l = skip_spaces(s, k);
            if l == k && !comma {
                return None;
            }
            let (year, end) = digit_run(s, l, 4, 4)?;
            Some((loose_date(year, month, a)?, end))
        }
    }
}

/// `March 5, 1990`, `Mar 5 1990`, `Mar. 5th, 1990`.
fn month_first(s: &[u8]) -> Option<(Date, usize)> {
    let (month, i, dot) = month_name(s, 0)?;
    let j = skip_spaces(s, i);
    if j == i && !dot {
        return None;
    }
    let (day, k) = small_run(s, j)?;
    let k = skip_ordinal(s, k);
    let (k, comma) = if s.get(k) == Some(&b',') {
        (k + 1, true)
    } else {
        (k, false)
    };
    let l = skip_spaces(s, k);
    if l == k && !comma {
        return None;
    }
    let (year, end) = digit_run(s, l, 4, 4)?;
    Some((loose_date(year, month, day)?, end))
}

/// Parses a date written at the very start of `s` (UTF-8 bytes) and returns it with the number
/// of bytes it spans. Accepted forms:
///
/// - `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (1- or 2-digit month and day, same separator twice);
/// - `YYYY年M月D日` or `…D号`, with optional ASCII or ideographic spaces between the parts;
/// - `YYYYMMDD`: exactly 8 digits, not followed by another digit;
/// - `DD/MM/YYYY` and `MM/DD/YYYY` (also with `-` or `.`): when only one reading is a real date it
///   is taken; **when both are real dates the US reading `MM/DD/YYYY` wins** (so `03/05/1990` is
///   5 March 1990);
/// - English: `March 5, 1990`, `Mar 5 1990`, `Mar. 5th, 1990`, `5 March 1990`, `5th Mar 1990`:
///   full month names and 3-letter abbreviations (and `Sept`), case-insensitive, optional `.`
///   after an abbreviation, optional ordinal suffix `st`/`nd`/`rd`/`th`.
///
/// Every number must be a whole run of digits (a 3-digit day or a 5-digit year fails), and years
/// outside [`LOOSE_MIN_YEAR`]`..=`[`LOOSE_MAX_YEAR`] are rejected. Never reads past the end of `s`.
#[must_use]
pub fn parse_loose(s: &[u8]) -> Option<(Date, usize)> {
    match s.first() {
        Some(b) if b.is_ascii_digit() => {
            if digit_at(s, 1) && digit_at(s, 2) {
                // At least 3 leading digits: only year-first forms can match.
                year_first(s)
            } else {
                number_first(s)
            }
        }
        Some(b) if b.is_ascii_alphabetic() => month_first(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn loose(s: &str) -> Option<(Date, usize)> {
        parse_loose(s.as_bytes())
    }

    #[test]
    fn leap_years() {
        assert!(is_leap(2000));
        assert!(is_leap(2024));
        assert!(is_leap(1996));
        assert!(!is_leap(1900));
        assert!(!is_leap(2100));
        assert!(!is_leap(2023));
        assert!(is_leap(0));
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 1), 31);
        assert_eq!(days_in_month(2023, 4), 30);
        assert_eq!(days_in_month(2023, 12), 31);
        assert_eq!(days_in_month(2023, 0), 0);
        assert_eq!(days_in_month(2023, 13), 0);
    }

    #[test]
    fn new_checks_real_dates() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2023, 4, 31).is_none());
        assert!(Date::new(2023, 12, 31).is_some());
        assert!(Date::new(2023, 1, 0).is_none());
        assert!(Date::new(2023, 0, 1).is_none());
        assert!(Date::new(2023, 13, 1).is_none());
        assert!(Date::new(2023, 1, 32).is_none());
        const C: Option<Date> = Date::new(1990, 3, 7);
        assert!(C.is_some());
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(d(1990, 3, 7) < d(1990, 3, 8));
        assert!(d(1990, 3, 31) < d(1990, 4, 1));
        assert!(d(1989, 12, 31) < d(1990, 1, 1));
    }

    #[test]
    fn fixed_width() {
        assert_eq!(Date::parse_yyyymmdd(b"19900307"), Some(d(1990, 3, 7)));
        assert_eq!(Date::parse_yyyymmdd(b"20000229"), Some(d(2000, 2, 29)));
        assert_eq!(Date::parse_yyyymmdd(b"19000229"), None);
        assert_eq!(Date::parse_yyyymmdd(b"19901307"), None);
        assert_eq!(Date::parse_yyyymmdd(b"19900300"), None);
        assert_eq!(Date::parse_yyyymmdd(b"1990030"), None);
        assert_eq!(Date::parse_yyyymmdd(b"199003071"), None);
        assert_eq!(Date::parse_yyyymmdd(b"1990-3-7"), None);
        assert_eq!(Date::parse_yyyymmdd(b"1990O307"), None);
        assert_eq!(Date::parse_yymmdd_19xx(b"800101"), Some(d(1980, 1, 1)));
        assert_eq!(Date::parse_yymmdd_19xx(b"000229"), None); // 1900 is not a leap year
        assert_eq!(Date::parse_yymmdd_19xx(b"960229"), Some(d(1996, 2, 29)));
        assert_eq!(Date::parse_yymmdd_19xx(b"801301"), None);
        assert_eq!(Date::parse_yymmdd_19xx(b"80010"), None);
        assert_eq!(Date::parse_yymmdd_19xx(b"8001011"), None);
    }

    #[test]
    fn epoch_days() {
        assert_eq!(d(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(d(1970, 1, 2).days_since_epoch(), 1);
        assert_eq!(d(1969, 12, 31).days_since_epoch(), -1);
        assert_eq!(d(2000, 1, 1).days_since_epoch(), 10_957);
        assert_eq!(d(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(d(2024, 2, 29).days_since_epoch(), 19_782);
        assert_eq!(d(1900, 1, 1).days_since_epoch(), -25_567);
        assert_eq!(d(1, 1, 1).days_since_epoch(), -719_162);
        assert_eq!(d(0, 3, 1).days_since_epoch(), -719_468);
    }

    #[test]
    fn loose_iso_like() {
        assert_eq!(loose("2024-03-05"), Some((d(2024, 3, 5), 10)));
        assert_eq!(loose("2024/3/5 12:00"), Some((d(2024, 3, 5), 8)));
        assert_eq!(loose("2024.12.31."), Some((d(2024, 12, 31), 10)));
        assert_eq!(loose("1990-02-29"), None);
        assert_eq!(loose("2024-3/5"), None);
        assert_eq!(loose("2024-003-05"), None);
        assert_eq!(loose("2024-03-051"), None);
        assert_eq!(loose("2024-13-05"), None);
        assert_eq!(loose("2024-03-"), None);
        assert_eq!(loose("2024-"), None);
        assert_eq!(loose("1799-12-31"), None);
        assert_eq!(loose("1800-01-01"), Some((d(1800, 1, 1), 10)));
        assert_eq!(loose("2199-12-31"), Some((d(2199, 12, 31), 10)));
        assert_eq!(loose("2200-01-01"), None);
        assert_eq!(loose("12024-03-05"), None);
    }

    #[test]
    fn loose_chinese() {
        let s = "2024年3月5日";
        assert_eq!(loose(s), Some((d(2024, 3, 5), s.len())));
        let s = "1990年12月01号出生";
        assert_eq!(loose(s), Some((d(1990, 12, 1), "1990年12月01号".len())));
        let s = "2024 年 3 月 5 日";
        assert_eq!(loose(s), Some((d(2024, 3, 5), s.len())));
        let s = "2024年\u{3000}3月5日";
        assert_eq!(loose(s), Some((d(2024, 3, 5), s.len())));
        assert_eq!(loose("2024年3月5"), None);
        assert_eq!(loose("2024年3月"), None);
        assert_eq!(loose("2023年2月29日"), None);
        assert_eq!(loose("2024年13月1日"), None);
        assert_eq!(loose("2024年"), None);
        // Truncated UTF-8 of 日.
        assert_eq!(parse_loose(&"2024年3月5日".as_bytes()[..14]), None);
    }

    #[test]
    fn loose_compact() {
        assert_eq!(loose("19900307"), Some((d(1990, 3, 7), 8)));
        assert_eq!(loose("19900307 ok"), Some((d(1990, 3, 7), 8)));
        assert_eq!(loose("199003071"), None);
        assert_eq!(loose("19901307"), None);
        assert_eq!(loose("17990307"), None);
        assert_eq!(loose("1990030"), None);
    }

    #[test]
    fn loose_numeric_day_month() {
        // Only DD/MM is a real date.
        assert_eq!(loose("25/12/2023"), Some((d(2023, 12, 25), 10)));
        // Only MM/DD is a real date.
        assert_eq!(loose("12/25/2023"), Some((d(2023, 12, 25), 10)));
        // Both are: MM/DD wins.
        assert_eq!(loose("03/05/1990"), Some((d(1990, 3, 5), 10)));
        assert_eq!(loose("3/5/1990"), Some((d(1990, 3, 5), 8)));
        assert_eq!(loose("05.03.1990"), Some((d(1990, 5, 3), 10)));
        assert_eq!(loose("31-01-2000"), Some((d(2000, 1, 31), 10)));
        // 29 Feb only in leap years, either reading.
        assert_eq!(loose("29/02/2024"), Some((d(2024, 2, 29), 10)));
        assert_eq!(loose("02/29/2023"), None);
        assert_eq!(loose("13/13/2020"), None);
        assert_eq!(loose("12/25/20"), None);
        assert_eq!(loose("12/25/20234"), None);
        assert_eq!(loose("12/25-2023"), None);
        assert_eq!(loose("123/5/2023"), None);
    }

    #[test]
    fn loose_english() {
        let cases: &[(&str, Date, usize)] = &[
            ("March 5, 1990", d(1990, 3, 5), 13),
            ("Mar 5 1990", d(1990, 3, 5), 10),
            ("mar. 5, 1990", d(1990, 3, 5), 12),
            ("MARCH 5TH, 1990", d(1990, 3, 5), 15),
            ("Sept 21st 2001", d(2001, 9, 21), 14),
            ("Sep 2nd, 2001.", d(2001, 9, 2), 13),
            ("December 31,1999", d(1999, 12, 31), 16),
            ("May 1 2020", d(2020, 5, 1), 10),
            ("Mar.5, 1990", d(1990, 3, 5), 11),
            ("5 March 1990", d(1990, 3, 5), 12),
            ("5 Mar 1990", d(1990, 3, 5), 10),
            ("05 mar. 1990", d(1990, 3, 5), 12),
            ("23rd November 1963", d(1963, 11, 23), 18),
            ("1st Jan, 2000", d(2000, 1, 1), 13),
            ("29 February 2024 was", d(2024, 2, 29), 16),
        ];
        for (s, date, n) in cases {
            assert_eq!(loose(s), Some((*date, *n)), "{s}");
        }
        for s in [
            "Marching 5, 1990",
            "Ma 5 1990",
            "Mars 5 1990",
            "March 32, 1990",
            "February 29, 2023",
            "March 5, 90",
            "March 5, 19901",
            "March, 1990",
            "March5 1990",
            "March 5 ,1990",
            "5March 1990",
            "5 Marchy 1990",
            "5th of March 1990",
            "March 123 1990",
            "Smarch 5 1990",
            "31 April 2020",
            "March 5, 1799",
            "5 March",
            "March",
            "",
        ] {
            assert_eq!(loose(s), None, "{s}");
        }
    }

    #[test]
    fn loose_rejects_garbage() {
        assert_eq!(loose(" 2024-03-05"), None);
        assert_eq!(loose("-2024-03-05"), None);
        assert_eq!(parse_loose(&[0xff, 0xfe]), None);
        assert_eq!(parse_loose(b"9"), None);
        assert_eq!(parse_loose(b"99"), None);
        assert_eq!(parse_loose(b"999"), None);
    }

    proptest! {
        #[test]
        fn loose_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Some((date, n)) = parse_loose(&bytes) {
                prop_assert!(n <= bytes.len());
                prop_assert!(n > 0);
                prop_assert!(Date::new(date.year, date.month, date.day).is_some());
            }
        }

        #[test]
        fn loose_never_panics_on_date_like(s in "[0-9年月日号 ./,A-Za-z-]{0,24}") {
            if let Some((_, n)) = parse_loose(s.as_bytes()) {
                prop_assert!(n <= s.len());
            }
        }

        #[test]
        fn iso_round_trip(y in 1800u16..=2199, m in 1u8..=12, day in 1u8..=31) {
            let s = format!("{y:04}-{m:02}-{day:02}");
            let expect = Date::new(y, m, day).map(|d| (d, 10));
            prop_assert_eq!(parse_loose(s.as_bytes()), expect);
            let s = format!("{y:04}{m:02}{day:02}");
            prop_assert_eq!(parse_loose(s.as_bytes()), Date::new(y, m, day).map(|d| (d, 8)));
            let s = format!("{y}年{m}月{day}日");
            prop_assert_eq!(parse_loose(s.as_bytes()), Date::new(y, m, day).map(|d| (d, s.len())));
        }

        #[test]
        fn epoch_days_are_consecutive(y in 1u16..=9999, m in 1u8..=12, day in 1u8..=31) {
            if let Some(a) = Date::new(y, m, day) {
                let next = Date::new(y, m, day + 1)
                    .or_else(|| Date::new(y, m + 1, 1))
                    .or_else(|| y.checked_add(1).and_then(|y1| Date::new(y1, 1, 1)));
                if let Some(b) = next {
                    prop_assert_eq!(b.days_since_epoch(), a.days_since_epoch() + 1);
                }
            }
        }
    }
}
