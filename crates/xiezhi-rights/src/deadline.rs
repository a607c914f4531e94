//! Deadlines of rights requests in PRC working days (catalog 4.10; SR-DSR-02).
//!
//! The day of receipt is not counted (Civil Code art. 201). A period of calendar days that ends
//! on a day off ends on the next working day (art. 203). Dates are China time (UTC+8). A
//! deadline that would need a year the holiday calendar does not cover is an error naming the
//! first such date — never a guess; the request is still accepted and listed as "no due date".

use std::collections::BTreeMap;

use xiezhi_map::model::{RightsSettings, SlaSpec};
use xiezhi_model::calendar::{CalendarError, PrcCalendar, civil_from_days, days_from_civil};
use xiezhi_store::RightsKind;

/// Deadlines per request kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaConfig {
    per_kind: BTreeMap<RightsKind, SlaSpec>,
    default: SlaSpec,
    /// Working days before the due date at which a request is "due soon".
    pub due_soon_working_days: u32,
}

impl Default for SlaConfig {
    /// The catalog defaults: 15 working days for deletion and account cancellation, 30 days for
    /// the rest, due soon 3 working days before.
    fn default() -> Self {
        let mut per_kind = BTreeMap::new();
        per_kind.insert(RightsKind::Delete, SlaSpec::WorkingDays(15));
        per_kind.insert(RightsKind::CancelAccount, SlaSpec::WorkingDays(15));
        SlaConfig {
            per_kind,
            default: SlaSpec::Days(30),
            due_soon_working_days: 3,
        }
    }
}

/// A bad `rights.sla` entry in `xiezhi.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    /// The key is not a request kind.
    #[error("xiezhi.yaml rights.sla.{key}: unknown request kind; use one of {known} or `default`")]
    UnknownKind {
        /// The key.
        key: String,
        /// Known kinds.
        known: String,
    },
    /// Zero days.
    #[error(
        "xiezhi.yaml rights.sla.{key}: a deadline of 0 days is not a deadline; give at least 1"
    )]
    Zero {
        /// The key.
        key: String,
    },
}

fn days_of(s: SlaSpec) -> u32 {
    match s {
        SlaSpec::WorkingDays(n) | SlaSpec::Days(n) => n,
    }
}

impl SlaConfig {
    /// From the `rights` section of `xiezhi.yaml` over the defaults.
    pub fn from_settings(s: &RightsSettings) -> Result<SlaConfig, SlaError> {
        let mut c = SlaConfig::default();
        for (key, spec) in &s.sla {
            if days_of(*spec) == 0 {
                return Err(SlaError::Zero { key: key.clone() });
            }
            if key == "default" {
                c.default = *spec;
            } else {
                let kind = RightsKind::parse(key).ok_or_else(|| SlaError::UnknownKind {
                    key: key.clone(),
                    known: RightsKind::ALL.map(RightsKind::as_str).join(", "),
                })?;
                c.per_kind.insert(kind, *spec);
            }
        }
        if let Some(n) = s.due_soon_working_days {
            c.due_soon_working_days = n;
        }
        Ok(c)
    }

    /// The deadline of a kind.
    pub fn sla(&self, kind: RightsKind) -> SlaSpec {
        self.per_kind.get(&kind).copied().unwrap_or(self.default)
    }
}

/// A computed due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The rule, e.g. `15 working days` / `30 days`.
    pub rule: String,
}

/// A `YYYY-MM-DD` date as `(y, m, d)`.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    days_from_civil(y, m, d)?;
    Some((y, m, d))
}

/// Formats `(y, m, d)`.
pub fn format_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The rule as text.
pub fn rule_text(s: SlaSpec) -> String {
    match s {
        SlaSpec::WorkingDays(n) => format!("{n} working days"),
        SlaSpec::Days(n) => format!("{n} days"),
    }
}

/// The due date of a request of `kind` received on `received` (China date).
pub fn due_date(
    received: (i32, u32, u32),
    kind: RightsKind,
    sla: &SlaConfig,
    cal: &PrcCalendar,
) -> Result<Due, CalendarError> {
    let spec = sla.sla(kind);
    let date = match spec {
        SlaSpec::WorkingDays(n) => cal.add_working_days(received, n)?,
        SlaSpec::Days(n) => {
            let start = days_from_civil(received.0, received.1, received.2).ok_or(
                CalendarError::NoSuchDay {
                    year: received.0,
                    month: received.1,
                    day: received.2,
                },
            )?;
            let mut end = civil_from_days(start + i64::from(n));
            // Civil Code art. 203: a period ending on a day off ends on the next working day.
            if !cal.is_working_day(end.0, end.1, end.2)? {
                end = cal.add_working_days(end, 1)?;
            }
            end
        }
    };
    Ok(Due {
        date: format_date(date),
        rule: rule_text(spec),
    })
}

/// Where a request stands against its deadline on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Past the due date.
    Overdue,
    /// Due within the configured working days (or today).
    DueSoon,
    /// Not yet.
    OnTrack,
    /// No due date could be computed.
    Unknown,
}

/// The urgency of an open request due on `due` (if any) as of `today`.
pub fn urgency(
    due: Option<&str>,
    today: (i32, u32, u32),
    sla: &SlaConfig,
    cal: &PrcCalendar,
) -> Urgency {
    let Some(due) = due.and_then(parse_date) else {
        return Urgency::Unknown;
    };
    if format_date(today) > format_date(due) {
        return Urgency::Overdue;
    }
    match cal.add_working_days(today, sla.due_soon_working_days) {
        Ok(limit) if format_date(due) <= format_date(limit) => Urgency::DueSoon,
        Ok(_) => Urgency::OnTrack,
        // The look-ahead leaves the calendar: compare in calendar days instead.
        Err(_) => {
            let (a, b) = (
                days_from_civil(today.0, today.1, today.2).unwrap_or(0),
                days_from_civil(due.0, due.1, due.2).unwrap_or(0),
            );
            if b - a <= i64::from(sla.due_soon_working_days) {
                Urgency::DueSoon
            } else {
                Urgency::OnTrack
            }
        }
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
    fn deletion_across_the_2026_spring_festival_is_15_working_days() {
        let d = due_date(
            (2026, 2, 13),
            RightsKind::Delete,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap();
        assert_eq!(d.date, "2026-03-12");
        assert_eq!(d.rule, "15 working days");
        let d = due_date(
            (2026, 2, 13),
            RightsKind::CancelAccount,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap();
        assert_eq!(d.date, "2026-03-12");
    }

    #[test]
    fn access_is_30_days_moved_off_the_national_day_holiday() {
        // 2026-09-05 + 30 days = 2026-10-05, inside the National Day holiday (1–7 Oct):
        // the period ends on the next working day, Thursday 8 Oct.
        let d = due_date(
            (2026, 9, 5),
            RightsKind::Access,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap();
        assert_eq!(d.date, "2026-10-08");
        assert_eq!(d.rule, "30 days");
        // Ending on an adjusted working Saturday (10 Oct): it stays.
        let d = due_date(
            (2026, 9, 10),
            RightsKind::Copy,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap();
        assert_eq!(d.date, "2026-10-10");
        // An ordinary Sunday ends on Monday: 2026-06-01 + 30 = Wed 1 Jul (a working day).
        let d = due_date((2026, 6, 1), RightsKind::Copy, &SlaConfig::default(), cal()).unwrap();
        assert_eq!(d.date, "2026-07-01");
        let d = due_date((2026, 6, 5), RightsKind::Copy, &SlaConfig::default(), cal()).unwrap();
        assert_eq!(d.date, "2026-07-06"); // Sun 5 Jul → Mon 6 Jul
    }

    #[test]
    fn deletion_across_the_2026_national_day() {
        let d = due_date(
            (2026, 9, 18),
            RightsKind::Delete,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap();
        assert_eq!(d.date, "2026-10-15");
    }

    #[test]
    fn a_deadline_outside_the_calendar_is_an_error() {
        let e = due_date(
            (2026, 12, 18),
            RightsKind::Delete,
            &SlaConfig::default(),
            cal(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("2027-01-01"), "{e}");
    }

    #[test]
    fn settings_override_the_defaults_and_bad_keys_are_named() {
        let mut s = RightsSettings::default();
        s.sla.insert("access".into(), SlaSpec::WorkingDays(10));
        s.sla.insert("default".into(), SlaSpec::Days(20));
        s.due_soon_working_days = Some(5);
        let c = SlaConfig::from_settings(&s).unwrap();
        assert_eq!(c.sla(RightsKind::Access), SlaSpec::WorkingDays(10));
        assert_eq!(c.sla(RightsKind::Copy), SlaSpec::Days(20));
        assert_eq!(c.sla(RightsKind::Delete), SlaSpec::WorkingDays(15));
        assert_eq!(c.due_soon_working_days, 5);
        s.sla.insert("erase".into(), SlaSpec::Days(3));
        let e = SlaConfig::from_settings(&s).unwrap_err();
        assert!(e.to_string().contains("rights.sla.erase"), "{e}");
        let mut s = RightsSettings::default();
        s.sla.insert("delete".into(), SlaSpec::WorkingDays(0));
        assert!(matches!(
            SlaConfig::from_settings(&s),
            Err(SlaError::Zero { .. })
        ));
    }

    #[test]
    fn urgency_at_the_boundaries() {
        let c = SlaConfig::default();
        // Due Thursday 12 Mar 2026; 3 working days before is Monday 9 Mar.
        assert_eq!(
            urgency(Some("2026-03-12"), (2026, 3, 6), &c, cal()),
            Urgency::OnTrack
        );
        assert_eq!(
            urgency(Some("2026-03-12"), (2026, 3, 9), &c, cal()),
            Urgency::DueSoon
        );
        assert_eq!(
            urgency(Some("2026-03-12"), (2026, 3, 12), &c, cal()),
            Urgency::DueSoon
        );
        assert_eq!(
            urgency(Some("2026-03-12"), (2026, 3, 13), &c, cal()),
            Urgency::Overdue
        );
        assert_eq!(urgency(None, (2026, 3, 13), &c, cal()), Urgency::Unknown);
    }
}
