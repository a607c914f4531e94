//! A calendar date written `YYYY-MM-DD`, validated on load.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Marker that starts the serde error of an invalid date, so the loader can classify it.
pub(crate) const INVALID_DATE: &str = "xiezhi:invalid_date";

/// A proleptic Gregorian calendar date (years 1900–9999), written `YYYY-MM-DD` in the data map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a string is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD` (four digits, dash, two digits, dash, two digits).
    #[error("not of the form YYYY-MM-DD")]
    Format,
    /// Year outside 1900–9999, month outside 1–12 or a day that month does not have.
    #[error("no such calendar day")]
    OutOfRange,
}

impl Date {
    /// Builds a date, checking the month and the number of days in that month.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(DateError::OutOfRange);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::OutOfRange);
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }
}

const fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, DateError> {
            s.get(r)
                .and_then(|t| t.parse::<u16>().ok())
                .ok_or(DateError::Format)
        };
        let year = num(0..4)?;
        let month = u8::try_from(num(5..7)?).map_err(|_| DateError::OutOfRange)?;
        let day = u8::try_from(num(8..10)?).map_err(|_| DateError::OutOfRange)?;
        Date::new(year, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse()
            .map_err(|e: DateError| serde::de::Error::custom(format!("{INVALID_DATE}: {e}")))
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        assert_eq!("2024-02-29".parse::<Date>().map(|d| d.day()), Ok(29));
        assert_eq!("2023-02-29".parse::<Date>(), Err(DateError::OutOfRange));
        assert_eq!("2023-13-01".parse::<Date>(), Err(DateError::OutOfRange));
        assert_eq!("2023-1-01".parse::<Date>(), Err(DateError::Format));
        assert_eq!("２０２３-01-01".parse::<Date>(), Err(DateError::Format));
        assert!("2025-01-01".parse::<Date>().ok() < "2025-01-02".parse::<Date>().ok());
        assert_eq!(
            "1999-12-31".parse::<Date>().map(|d| d.to_string()),
            Ok("1999-12-31".to_owned())
        );
    }
}
