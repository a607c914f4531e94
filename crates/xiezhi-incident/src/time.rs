//! Instants as milliseconds since the Unix epoch (UTC), RFC 3339 at the edges, Beijing time
//! (UTC+8, no daylight saving) in documents.
//!
//! No clock is read here: every function that needs "now" takes it as an argument.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use xiezhi_model::calendar::{civil_from_days, days_from_civil};

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// Beijing time offset (UTC+8) in milliseconds.
pub const BEIJING_OFFSET_MS: i64 = 8 * HOUR_MS;

/// An instant: milliseconds since 1970-01-01T00:00:00Z.
///
/// Serialised as an RFC 3339 string in UTC (`2026-03-01T02:00:00.000Z`); parsing accepts `Z` or a
/// `±HH:MM` offset and an optional fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

/// A text that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an RFC 3339 timestamp; write e.g. 2026-03-01T10:00:00+08:00 or 2026-03-01T02:00:00Z"
)]
pub struct TimestampError(pub String);

impl Timestamp {
    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// This instant plus `ms` milliseconds (saturating).
    pub const fn plus_ms(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// Parses RFC 3339 (`Z` or `±HH:MM`, optional fraction, truncated to milliseconds).
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        parse_rfc3339(s)
            .map(Timestamp)
            .ok_or_else(|| TimestampError(s.to_owned()))
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub fn to_rfc3339(self) -> String {
        let (y, mo, d, h, mi, s, ms) = split(self.0);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }

    /// Beijing time for documents: `2026-03-01 10:00:00 (UTC+8)` / `2026-03-01 10:00:00（北京时间）`.
    pub fn to_beijing(self, lang: xiezhi_model::Lang) -> String {
        let (y, mo, d, h, mi, s, _) = split(self.0.saturating_add(BEIJING_OFFSET_MS));
        match lang {
            xiezhi_model::Lang::ZhCn => {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}（北京时间）")
            }
            xiezhi_model::Lang::En => {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} (UTC+8)")
            }
        }
    }

    /// Day number (days since 1970-01-01) of the Beijing calendar date of this instant.
    pub fn beijing_day(self) -> i64 {
        self.0.saturating_add(BEIJING_OFFSET_MS).div_euclid(DAY_MS)
    }

    /// 00:00 Beijing time at the start of day number `day`.
    pub fn beijing_midnight(day: i64) -> Timestamp {
        Timestamp(day.saturating_mul(DAY_MS).saturating_sub(BEIJING_OFFSET_MS))
    }

    /// 00:00 Beijing time of a calendar date, or `None` if the date does not exist.
    pub fn beijing_date(year: i32, month: u32, day: u32) -> Option<Timestamp> {
        days_from_civil(year, month, day).map(Timestamp::beijing_midnight)
    }
}

fn split(ms: i64) -> (i32, u32, u32, i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, tod / 3600, (tod % 3600) / 60, tod % 60, milli)
}

fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let days = days_from_civil(
        i32::try_from(y).ok()?,
        u32::try_from(mo).ok()?,
        u32::try_from(d).ok()?,
    )?;
    let mut i = 19;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = s.get(start..i)?;
        if digits.is_empty() {
            return None;
        }
        let padded: String = digits.chars().chain("000".chars()).take(3).collect();
        frac_ms = padded.parse().ok()?;
    }
    let offset_min = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = oh * 60 + om;
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    Some(secs * 1000 + frac_ms)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A duration for people: `1 h 59 min` / `1小时59分钟`; negative durations are written as
/// "overdue by" / "已超时".
pub fn format_duration(ms: i64, lang: xiezhi_model::Lang) -> String {
    let neg = ms < 0;
    let abs = ms.unsigned_abs();
    let total_min = abs / 60_000;
    let (d, h, m) = (total_min / 1440, (total_min % 1440) / 60, total_min % 60);
    let sub_minute = abs % 60_000;
    let body = match lang {
        xiezhi_model::Lang::ZhCn => {
            let mut s = String::new();
            if d > 0 {
                s.push_str(&format!("{d}天"));
            }
            if h > 0 {
                s.push_str(&format!("{h}小时"));
            }
            if m > 0 || s.is_empty() {
                if m == 0 && sub_minute > 0 {
                    s.push_str("不足1分钟");
                } else {
                    s.push_str(&format!("{m}分钟"));
                }
            }
            s
        }
        xiezhi_model::Lang::En => {
            let mut parts = Vec::new();
            if d > 0 {
                parts.push(format!("{d} d"));
            }
            if h > 0 {
                parts.push(format!("{h} h"));
            }
            if m > 0 || parts.is_empty() {
                if m == 0 && sub_minute > 0 {
                    parts.push("< 1 min".to_owned());
                } else {
                    parts.push(format!("{m} min"));
                }
            }
            parts.join(" ")
        }
    };
    match (neg, lang) {
        (false, _) => body,
        (true, xiezhi_model::Lang::ZhCn) => format!("已超时{body}"),
        (true, xiezhi_model::Lang::En) => format!("overdue by {body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xiezhi_model::Lang;

    #[test]
    fn round_trips_and_offsets() -> Result<(), TimestampError> {
        let t = Timestamp::parse("2026-03-01T10:00:00+08:00")?;
        assert_eq!(t.to_rfc3339(), "2026-03-01T02:00:00.000Z");
        assert_eq!(Timestamp::parse(&t.to_rfc3339())?, t);
        assert_eq!(t.to_beijing(Lang::En), "2026-03-01 10:00:00 (UTC+8)");
        assert_eq!(
            Timestamp::parse("2026-03-01T02:00:00.5Z")?.millis(),
            t.millis() + 500
        );
        for bad in [
            "",
            "2026-02-30T00:00:00Z",
            "2026-03-01T10:00:00",
            "2026-03-01 10:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn beijing_days() -> Result<(), TimestampError> {
        // 23:30 UTC on 28 Feb is 07:30 on 1 Mar in Beijing.
        let t = Timestamp::parse("2026-02-28T23:30:00Z")?;
        assert_eq!(Some(t.beijing_day()), days_from_civil(2026, 3, 1));
        assert_eq!(
            Timestamp::beijing_date(2026, 3, 1),
            Some(Timestamp::parse("2026-03-01T00:00:00+08:00")?)
        );
        Ok(())
    }

    #[test]
    fn durations() {
        assert_eq!(
            format_duration(HOUR_MS + 59 * MINUTE_MS, Lang::En),
            "1 h 59 min"
        );
        assert_eq!(format_duration(-1, Lang::En), "overdue by < 1 min");
        assert_eq!(
            format_duration(2 * DAY_MS + HOUR_MS, Lang::ZhCn),
            "2天1小时"
        );
        assert_eq!(format_duration(0, Lang::ZhCn), "0分钟");
    }
}
