//! The PRC working-day calendar (工作日): weekends, public holidays and the adjusted working
//! weekends (调休上班) of the State Council's yearly holiday notices.
//!
//! The dates are data, in `data/prc-calendar.txt` (embedded at build time, parsed on first use),
//! with the notice each year comes from. Only the years that file covers can be answered: a date
//! in any other year is [`CalendarError::NotCovered`], never a guess, because the holidays move
//! every year (catalog 0.2: "工作日" excludes weekends and public holidays and includes adjusted
//! working weekends).
//!
//! ```
//! use xiezhi_model::calendar::{DayKind, PrcCalendar};
//!
//! let cal = PrcCalendar::get()?;
//! assert!(!cal.is_working_day(2025, 10, 8)?); // National Day holiday
//! assert!(cal.is_working_day(2025, 10, 11)?); // a Saturday, adjusted working day
//! assert!(matches!(cal.day_kind(2026, 2, 17)?, DayKind::Holiday { .. }));
//! assert!(cal.is_working_day(2024, 12, 31).is_err()); // not covered
//! # Ok::<(), xiezhi_model::calendar::CalendarError>(())
//! ```

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The calendar data: `covers`, `off` and `work` lines (see the file's header).
pub const DATA: &str = include_str!("../data/prc-calendar.txt");

/// Errors of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date's year is not in the calendar data.
    #[error(
        "{year:04}-{month:02}-{day:02} is outside the PRC working-day calendar, which covers {covered}; add the year's State Council holiday notice to crates/xiezhi-model/data/prc-calendar.txt"
    )]
    NotCovered {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// Day.
        day: u32,
        /// The years covered, e.g. `2025–2026`.
        covered: String,
    },
    /// The date does not exist.
    #[error("{year:04}-{month:02}-{day:02} does not exist")]
    NoSuchDay {
        /// Year.
        year: i32,
        /// Month.
        month: u32,
        /// Day.
        day: u32,
    },
    /// A line of the calendar data is malformed.
    #[error("prc-calendar.txt line {line}: {message}")]
    Data {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Monday–Friday, not a holiday.
    Workday,
    /// Saturday or Sunday, not an adjusted working day.
    Weekend,
    /// A public holiday (including weekend days inside the holiday period).
    Holiday {
        /// Name, zh-CN.
        name_zh: &'static str,
        /// Name, en.
        name_en: &'static str,
    },
    /// A weekend day made a working day (调休上班).
    AdjustedWorkday {
        /// Name, zh-CN.
        name_zh: &'static str,
        /// Name, en.
        name_en: &'static str,
    },
}

impl DayKind {
    /// `true` for working days.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday { .. })
    }
}

/// The parsed calendar.
#[derive(Debug, Clone)]
pub struct PrcCalendar {
    /// Covered years and their sources.
    years: BTreeMap<i32, &'static str>,
    /// Holidays and adjusted working days by day number (days since 1970-01-01).
    special: BTreeMap<i64, DayKind>,
}

/// Days since 1970-01-01 (proleptic Gregorian), or `None` if the date does not exist.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > dim {
        return None;
    }
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Day of week of a day number, 0 = Monday … 6 = Sunday.
/// The date of day number `days` (days since 1970-01-01), as `(year, month, day)`.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32, day as u32)
}

fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

fn parse_date(s: &str, line: usize) -> Result<(i32, i64), CalendarError> {
    let bad = || CalendarError::Data {
        line,
        message: format!("`{s}` is not a YYYY-MM-DD date"),
    };
    let mut it = s.split('-');
    let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(bad());
    };
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    let day: u32 = d.parse().map_err(|_| bad())?;
    let n = days_from_civil(year, month, day).ok_or_else(bad)?;
    Ok((year, n))
}

fn names(rest: &'static str, line: usize) -> Result<(&'static str, &'static str), CalendarError> {
    let (zh, en) = rest.split_once('|').ok_or_else(|| CalendarError::Data {
        line,
        message: "expected `NAME_ZH | NAME_EN` after the dates".into(),
    })?;
    Ok((zh.trim(), en.trim()))
}

/// Splits off the first whitespace-separated word.
fn word(s: &'static str) -> (&'static str, &'static str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

impl PrcCalendar {
    /// Parses calendar data in the format of [`DATA`].
    pub fn parse(text: &'static str) -> Result<PrcCalendar, CalendarError> {
        let mut years = BTreeMap::new();
        let mut special = BTreeMap::new();
        let mut pending: Vec<(usize, i32)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let (kind, rest) = word(l);
            match kind {
                "covers" => {
                    let (y, source) = word(rest);
                    let year: i32 = y.parse().map_err(|_| CalendarError::Data {
                        line,
                        message: format!("`{y}` is not a year"),
                    })?;
                    if years.insert(year, source).is_some() {
                        return Err(CalendarError::Data {
                            line,
                            message: format!("year {year} is covered twice"),
                        });
                    }
                }
                "off" => {
                    let (first, rest) = word(rest);
                    let (last, rest) = word(rest);
                    let (y1, a) = parse_date(first, line)?;
                    let (y2, b) = parse_date(last, line)?;
                    let (name_zh, name_en) = names(rest, line)?;
                    if b < a || y1 != y2 {
                        return Err(CalendarError::Data {
                            line,
                            message: "holiday period must run forward within one year".into(),
                        });
                    }
                    pending.push((line, y1));
                    for d in a..=b {
                        if special
                            .insert(d, DayKind::Holiday { name_zh, name_en })
                            .is_some()
                        {
                            return Err(CalendarError::Data {
                                line,
                                message: "day listed twice".into(),
                            });
                        }
                    }
                }
                "work" => {
                    let (date, rest) = word(rest);
                    let (y, d) = parse_date(date, line)?;
                    let (name_zh, name_en) = names(rest, line)?;
                    if weekday(d) < 5 {
                        return Err(CalendarError::Data {
                            line,
                            message: format!(
                                "{date} is a weekday; `work` lines are for weekend days"
                            ),
                        });
                    }
                    pending.push((line, y));
                    if special
                        .insert(d, DayKind::AdjustedWorkday { name_zh, name_en })
                        .is_some()
                    {
                        return Err(CalendarError::Data {
                            line,
                            message: "day listed twice".into(),
                        });
                    }
                }
                other => {
                    return Err(CalendarError::Data {
                        line,
                        message: format!("unknown line kind `{other}`; use covers, off or work"),
                    });
                }
            }
        }
        if let Some((line, y)) = pending.iter().find(|(_, y)| !years.contains_key(y)) {
            return Err(CalendarError::Data {
                line: *line,
                message: format!("year {y} has no `covers` line"),
            });
        }
        Ok(PrcCalendar { years, special })
    }

    /// The embedded calendar, parsed once.
    pub fn get() -> Result<&'static PrcCalendar, CalendarError> {
        static CAL: OnceLock<Result<PrcCalendar, CalendarError>> = OnceLock::new();
        CAL.get_or_init(|| PrcCalendar::parse(DATA))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The covered years with the notice each comes from.
    pub fn covered_years(&self) -> impl Iterator<Item = (i32, &'static str)> + '_ {
        self.years.iter().map(|(y, s)| (*y, *s))
    }

    /// `2025–2026` (or `2025, 2027` when not contiguous).
    pub fn covered_text(&self) -> String {
        let ys: Vec<i32> = self.years.keys().copied().collect();
        match (ys.first(), ys.last()) {
            (Some(a), Some(b)) if i64::from(*b - *a) + 1 == ys.len() as i64 && a != b => {
                format!("{a}–{b}")
            }
            _ => ys.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
        }
    }

    /// What kind of day `year-month-day` is.
    pub fn day_kind(&self, year: i32, month: u32, day: u32) -> Result<DayKind, CalendarError> {
        let n = days_from_civil(year, month, day).ok_or(CalendarError::NoSuchDay {
            year,
            month,
            day,
        })?;
        if !self.years.contains_key(&year) {
            return Err(CalendarError::NotCovered {
                year,
                month,
                day,
                covered: self.covered_text(),
            });
        }
        Ok(match self.special.get(&n) {
            Some(k) => *k,
            None if weekday(n) >= 5 => DayKind::Weekend,
            None => DayKind::Workday,
        })
    }

    /// The `n`th working day after `year-month-day` (the start day itself is not counted, Civil
    /// Code art. 201), as `(year, month, day)`. Fails with [`CalendarError::NotCovered`] when the
    /// count runs into a year the calendar does not cover, naming the first such date: a
    /// deadline is never guessed.
    pub fn add_working_days(
        &self,
        (year, month, day): (i32, u32, u32),
        n: u32,
    ) -> Result<(i32, u32, u32), CalendarError> {
        let mut d = days_from_civil(year, month, day).ok_or(CalendarError::NoSuchDay {
            year,
            month,
            day,
        })?;
        let mut left = n;
        while left > 0 {
            d += 1;
            let (y, m, dd) = civil_from_days(d);
            if self.is_working_day(y, m, dd)? {
                left -= 1;
            }
        }
        Ok(civil_from_days(d))
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(
        &self,
        from: (i32, u32, u32),
        to: (i32, u32, u32),
    ) -> Result<u32, CalendarError> {
        let a = days_from_civil(from.0, from.1, from.2).ok_or(CalendarError::NoSuchDay {
            year: from.0,
            month: from.1,
            day: from.2,
        })?;
        let b = days_from_civil(to.0, to.1, to.2).ok_or(CalendarError::NoSuchDay {
            year: to.0,
            month: to.1,
            day: to.2,
        })?;
        let mut count = 0;
        for n in a + 1..=b {
            let (y, m, d) = civil_from_days(n);
            if self.is_working_day(y, m, d)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// `true` if `year-month-day` is a working day.
    pub fn is_working_day(&self, year: i32, month: u32, day: u32) -> Result<bool, CalendarError> {
        self.day_kind(year, month, day).map(DayKind::is_working)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn cal() -> &'static PrcCalendar {
        PrcCalendar::get().unwrap()
    }

    #[test]
    fn civil_round_trip() {
        for n in [-1000_i64, 0, 19_000, 20_454, 20_819, 30_000] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), Some(n));
        }
    }

    #[test]
    fn working_days_across_the_2026_spring_festival() {
        // Friday 13 Feb 2026 + 15 working days: Sat 14 Feb is worked (1), 15–23 Feb off,
        // 24–27 Feb (2–5), Sat 28 Feb worked (6), 2–6 Mar (7–11), 9–12 Mar (12–15).
        assert_eq!(
            cal().add_working_days((2026, 2, 13), 15).unwrap(),
            (2026, 3, 12)
        );
        // Received on the first holiday: counting starts on 24 Feb.
        assert_eq!(
            cal().add_working_days((2026, 2, 15), 1).unwrap(),
            (2026, 2, 24)
        );
        assert_eq!(
            cal()
                .working_days_between((2026, 2, 13), (2026, 3, 12))
                .unwrap(),
            15
        );
        assert_eq!(
            cal().add_working_days((2026, 2, 13), 0).unwrap(),
            (2026, 2, 13)
        );
    }

    #[test]
    fn working_days_across_the_2026_national_day() {
        // Friday 18 Sep 2026: Sun 20 Sep is worked; 25–27 Sep (Mid-Autumn) and 1–7 Oct off;
        // Sat 10 Oct worked.
        // 20 Sep (1), 21–24 (2–5), 28–30 (6–8), 8–9 Oct (9–10), 10 Oct (11), 12–15 Oct (12–15).
        assert_eq!(
            cal().add_working_days((2026, 9, 18), 15).unwrap(),
            (2026, 10, 15)
        );
        assert!(cal().is_working_day(2026, 9, 20).unwrap());
        assert!(!cal().is_working_day(2026, 10, 7).unwrap());
    }

    #[test]
    fn a_deadline_running_past_the_calendar_is_an_error_not_a_guess() {
        let e = cal().add_working_days((2026, 12, 20), 15).unwrap_err();
        assert!(
            matches!(
                e,
                CalendarError::NotCovered {
                    year: 2027,
                    month: 1,
                    day: 1,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("prc-calendar.txt"), "{e}");
    }

    #[test]
    fn national_day_2025_is_eight_days_off_with_two_working_weekends() {
        for d in 1..=8 {
            assert_eq!(
                cal().day_kind(2025, 10, d).unwrap(),
                DayKind::Holiday {
                    name_zh: "国庆节、中秋节",
                    name_en: "National Day and Mid-Autumn Festival"
                },
                "2025-10-{d:02}"
            );
        }
        assert!(cal().is_working_day(2025, 9, 30).unwrap());
        assert!(cal().is_working_day(2025, 10, 9).unwrap());
        // Sunday 28 Sep and Saturday 11 Oct are adjusted working days.
        assert!(cal().is_working_day(2025, 9, 28).unwrap());
        assert!(cal().is_working_day(2025, 10, 11).unwrap());
        // An ordinary weekend right after: Sunday 12 Oct.
        assert_eq!(cal().day_kind(2025, 10, 12).unwrap(), DayKind::Weekend);
    }

    #[test]
    fn spring_festival_2026() {
        assert!(cal().is_working_day(2026, 2, 13).unwrap());
        for d in 15..=23 {
            assert!(!cal().is_working_day(2026, 2, d).unwrap(), "2026-02-{d}");
        }
        assert!(cal().is_working_day(2026, 2, 24).unwrap());
        // Saturdays 14 and 28 Feb are working days.
        assert!(matches!(
            cal().day_kind(2026, 2, 14).unwrap(),
            DayKind::AdjustedWorkday { .. }
        ));
        assert!(cal().is_working_day(2026, 2, 28).unwrap());
        // Spring Festival 2025: 28 Jan – 4 Feb off, Sunday 26 Jan and Saturday 8 Feb worked.
        assert!(!cal().is_working_day(2025, 1, 28).unwrap());
        assert!(!cal().is_working_day(2025, 2, 4).unwrap());
        assert!(cal().is_working_day(2025, 1, 26).unwrap());
        assert!(cal().is_working_day(2025, 2, 8).unwrap());
    }

    #[test]
    fn other_adjusted_weekends() {
        for (y, m, d) in [
            (2025, 4, 27),
            (2026, 1, 4),
            (2026, 5, 9),
            (2026, 9, 20),
            (2026, 10, 10),
        ] {
            assert!(cal().is_working_day(y, m, d).unwrap(), "{y}-{m}-{d}");
        }
        assert!(!cal().is_working_day(2026, 1, 1).unwrap());
        assert!(!cal().is_working_day(2026, 10, 7).unwrap());
        assert!(cal().is_working_day(2026, 10, 8).unwrap());
    }

    #[test]
    fn year_boundaries_are_errors_outside_the_data() {
        assert!(cal().is_working_day(2025, 1, 2).unwrap());
        assert!(cal().is_working_day(2026, 12, 31).unwrap());
        let e = cal().is_working_day(2024, 12, 31).unwrap_err();
        assert!(matches!(e, CalendarError::NotCovered { year: 2024, .. }));
        assert!(e.to_string().contains("covers 2025–2026"), "{e}");
        assert!(matches!(
            cal().is_working_day(2027, 1, 1),
            Err(CalendarError::NotCovered { year: 2027, .. })
        ));
        assert!(matches!(
            cal().is_working_day(2025, 2, 29),
            Err(CalendarError::NoSuchDay { .. })
        ));
        assert_eq!(cal().covered_years().count(), 2);
    }

    #[test]
    fn malformed_data_is_an_error_with_its_line() {
        let e = PrcCalendar::parse("covers 2025 x\nwork 2025-10-09 a | b\n").unwrap_err();
        assert!(
            matches!(e, CalendarError::Data { line: 2, .. }),
            "a weekday `work` line: {e}"
        );
        let e = PrcCalendar::parse("off 2025-10-01 2025-10-02 a | b\n").unwrap_err();
        assert!(matches!(e, CalendarError::Data { line: 1, .. }), "{e}");
        let e = PrcCalendar::parse("covers 2025 x\noff 2025-10-01 2025-10-02 a b\n").unwrap_err();
        assert!(matches!(e, CalendarError::Data { line: 2, .. }), "{e}");
        let e = PrcCalendar::parse("holiday 2025-10-01\n").unwrap_err();
        assert!(matches!(e, CalendarError::Data { line: 1, .. }), "{e}");
    }
}
