//! A plain calendar date (proleptic Gregorian) and the day arithmetic the clocks need.
//!
//! No time zone and no clock: callers pass dates in. Year periods follow the PRC Civil Code
//! (arts. 201–202): the period ends on the corresponding day of the final month, or on that
//! month's last day when there is no corresponding day (29 Feb → 28 Feb).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Errors building or parsing a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not `YYYY-MM-DD`.
    #[error("`{0}` is not a date in YYYY-MM-DD form")]
    Syntax(String),
    /// Month or day out of range for that month.
    #[error("{year:04}-{month:02}-{day:02} does not exist")]
    NoSuchDay {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// Day.
        day: u32,
    },
}

/// Tells working days (工作日) from rest days. The PRC calendar moves public holidays and adds
/// adjusted working weekends every year, so only the caller can supply a correct one.
pub trait WorkdayCalendar {
    /// `true` if `date` is a working day.
    fn is_working_day(&self, date: Date) -> bool;
}

/// Monday–Friday are working days; **ignores PRC public holidays and adjusted working
/// weekends**. Useful for tests and rough planning only.
#[derive(Debug, Clone, Copy, Default)]
pub struct WeekendsOnly;

impl WorkdayCalendar for WeekendsOnly {
    fn is_working_day(&self, date: Date) -> bool {
        date.weekday() < 5
    }
}

/// The PRC working-day calendar of `xiezhi-model` (State Council holiday notices, with adjusted
/// working weekends) as a [`WorkdayCalendar`].
///
/// The trait cannot fail, so a date outside the years the data covers is answered as
/// [`WeekendsOnly`] would answer it and **recorded**: after computing with it, call
/// [`PrcWorkdays::outside`]; when it returns an error the working-day dates are not reliable and
/// the caller should recompute without a calendar (calendar-day approximation) and say why.
#[derive(Debug)]
pub struct PrcWorkdays {
    cal: &'static xiezhi_model::calendar::PrcCalendar,
    outside: std::cell::Cell<Option<Date>>,
}

impl PrcWorkdays {
    /// The embedded calendar.
    pub fn new() -> Result<PrcWorkdays, xiezhi_model::calendar::CalendarError> {
        Ok(PrcWorkdays {
            cal: xiezhi_model::calendar::PrcCalendar::get()?,
            outside: std::cell::Cell::new(None),
        })
    }

    /// The years covered, e.g. `2025–2026`.
    pub fn covered(&self) -> String {
        self.cal.covered_text()
    }

    /// The first date asked about that the data does not cover, if any.
    pub fn outside_date(&self) -> Option<Date> {
        self.outside.get()
    }

    /// The error for the first date asked about that the data does not cover, if any.
    pub fn outside(&self) -> Option<xiezhi_model::calendar::CalendarError> {
        let d = self.outside.get()?;
        self.cal.day_kind(d.year(), d.month(), d.day()).err()
    }
}

impl WorkdayCalendar for PrcWorkdays {
    fn is_working_day(&self, date: Date) -> bool {
        match self
            .cal
            .is_working_day(date.year(), date.month(), date.day())
        {
            Ok(w) => w,
            Err(_) => {
                if self.outside.get().is_none() {
                    self.outside.set(Some(date));
                }
                WeekendsOnly.is_working_day(date)
            }
        }
    }
}

/// `true` for Gregorian leap years.
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for an invalid month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Builds a date, checking month and day.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay { year, month, day });
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let syntax = || DateError::Syntax(s.to_string());
        let mut parts = s.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(syntax());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(syntax());
        }
        let year: i32 = y.parse().map_err(|_| syntax())?;
        let month: u32 = m.parse().map_err(|_| syntax())?;
        let day: u32 = d.parse().map_err(|_| syntax())?;
        Date::new(year, month, day)
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Month, 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Day of month, 1–31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// 1 January of this date's year.
    pub fn year_start(self) -> Date {
        Date {
            year: self.year,
            month: 1,
            day: 1,
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }

    /// This date moved by `days` calendar days (negative moves back).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Calendar days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.to_days() - self.to_days()
    }

    /// Day of week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        ((self.to_days() + 3).rem_euclid(7)) as u32
    }

    /// The last day of a period of `years` years starting on `self`, per Civil Code arts.
    /// 201–202: the corresponding day `years` later, or the month's last day if there is none.
    pub fn add_years(self, years: i32) -> Date {
        let year = self.year + years;
        let last = days_in_month(year, self.month());
        Date {
            year,
            month: self.month,
            day: self.day.min(last as u8),
        }
    }

    /// The `n`th working day after `self` (`self` itself is not counted, Civil Code art. 201).
    pub fn add_working_days(self, n: u32, cal: &dyn WorkdayCalendar) -> Date {
        let mut d = self;
        let mut left = n;
        while left > 0 {
            d = d.add_days(1);
            if cal.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The `n`th working day before `self` (`self` itself is not counted).
    pub fn sub_working_days(self, n: u32, cal: &dyn WorkdayCalendar) -> Date {
        let mut d = self;
        let mut left = n;
        while left > 0 {
            d = d.add_days(-1);
            if cal.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A data-map date ([`xiezhi_map::Date`]) as a [`Date`]; `None` stays `None`.
pub fn from_map(d: Option<xiezhi_map::Date>) -> Option<Date> {
    d.and_then(|d| {
        Date::new(
            i32::from(d.year()),
            u32::from(d.month()),
            u32::from(d.day()),
        )
        .ok()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parse_and_validate() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2100-02-29").is_err());
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(Date::parse("2024-13-01").is_err());
        assert!(Date::parse("2024-1-01").is_err());
        assert!(Date::parse("2024-01-01-01").is_err());
    }

    #[test]
    fn day_round_trip_and_weekday() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2024-12-31",
            "2025-01-01",
            "1969-12-31",
        ] {
            assert_eq!(Date::from_days(d(s).to_days()), d(s));
        }
        assert_eq!(d("1970-01-01").to_days(), 0);
        assert_eq!(d("2025-01-01").weekday(), 2); // Wednesday
        assert_eq!(d("2024-03-22").weekday(), 4); // Friday, Order 16 published
    }

    #[test]
    fn add_days_across_month_year_and_leap_day() {
        assert_eq!(d("2024-02-28").add_days(1), d("2024-02-29"));
        assert_eq!(d("2023-02-28").add_days(1), d("2023-03-01"));
        assert_eq!(d("2024-12-31").add_days(1), d("2025-01-01"));
        assert_eq!(d("2025-01-01").add_days(-1), d("2024-12-31"));
        assert_eq!(d("2024-01-31").days_until(d("2024-03-01")), 30);
    }

    #[test]
    fn add_years_civil_code() {
        assert_eq!(d("2024-03-22").add_years(3), d("2027-03-22"));
        assert_eq!(d("2024-02-29").add_years(3), d("2027-02-28"));
        assert_eq!(d("2024-02-29").add_years(4), d("2028-02-29"));
        assert_eq!(d("2024-12-31").add_years(3), d("2027-12-31"));
    }

    #[test]
    fn working_days_prc_calendar() {
        let cal = PrcWorkdays::new().unwrap();
        // Thursday 30 Sep 2025 + 1 working day: 1–8 Oct are holidays, 9 Oct is a Thursday.
        assert_eq!(d("2025-09-30").add_working_days(1, &cal), d("2025-10-09"));
        // Saturday 11 Oct 2025 is an adjusted working day.
        assert_eq!(d("2025-10-10").add_working_days(1, &cal), d("2025-10-11"));
        // Filing clock: contract effective Friday 13 Feb 2026; 14 Feb (Sat) is worked, 15–23 Feb
        // off, 28 Feb (Sat) worked; 10 working days end on Thursday 5 Mar.
        assert_eq!(d("2026-02-13").add_working_days(10, &cal), d("2026-03-05"));
        assert!(cal.outside().is_none());
        // Leaving the covered years is recorded.
        let _ = d("2026-12-30").add_working_days(3, &cal);
        let e = cal.outside().unwrap();
        assert!(e.to_string().contains("2027-01-01"), "{e}");
    }

    #[test]
    fn working_days_weekends_only() {
        // Friday + 1 working day = Monday.
        assert_eq!(
            d("2024-03-22").add_working_days(1, &WeekendsOnly),
            d("2024-03-25")
        );
        assert_eq!(
            d("2024-03-22").add_working_days(10, &WeekendsOnly),
            d("2024-04-05")
        );
        // Monday - 1 working day = previous Friday.
        assert_eq!(
            d("2024-03-25").sub_working_days(1, &WeekendsOnly),
            d("2024-03-22")
        );
        assert_eq!(
            d("2024-12-31").add_working_days(0, &WeekendsOnly),
            d("2024-12-31")
        );
    }
}
