//! The data map's `transfers` as inputs of the cross-border decision ([`crate::xborder`]), and
//! the year's ledger decided with the PRC working-day calendar (`xiezhi xborder`).
//!
//! Mapping (one exporter: the organisation of `xiezhi.yaml`; CIIO from `roles.cii_operator`):
//! - counts: the `subjects_by_year` entry of the chosen calendar year (none → 0 individuals);
//! - scenario: each data-map scenario maps to its CBDF art. 3–6 scenario (`collected_abroad` is
//!   the art. 4 transit exemption), `general` to none;
//! - important data: confirmed (notified or published) when a dataset of the transfer is in the
//!   `confirmed` state or the transfer says so; identified but not notified otherwise;
//! - mechanism in place: `security_assessment` with `valid_from` = date passed (extended when
//!   `extended` is set or `valid_until` lies beyond the first 3 years), `standard_contract` with `valid_from` = date
//!   in effect and `filed`, `certification` with `valid_from` / `valid_until`; a mechanism
//!   without its start date counts as none.

use std::path::PathBuf;

use serde::Serialize;
use xiezhi_map::Project;
use xiezhi_map::model::{
    ImportantDataState, Transfer as MapTransfer, TransferMechanism, TransferScenario,
};

use crate::date::{Date, PrcWorkdays, from_map as to_date};
use crate::xborder::{
    self, Compliance, Exporter, ImportantData, InPlace, LedgerDecision, Scenario, Transfer,
};

/// A data-map transfer mapped for the decision, with where it is defined.
#[derive(Debug, Clone)]
pub struct MappedTransfer {
    /// File relative to the project directory.
    pub file: PathBuf,
    /// Line of its `id:`.
    pub line: u64,
    /// Column of its `id:`.
    pub column: u64,
    /// The decision input.
    pub transfer: Transfer,
}

/// The scenario of a data-map transfer.
pub fn scenario(s: TransferScenario) -> Scenario {
    match s {
        TransferScenario::General => Scenario::General,
        TransferScenario::CollectedAbroad => Scenario::TransitOnly,
        TransferScenario::NonPersonalBusiness => Scenario::NoPiNoImportantData,
        TransferScenario::ContractNecessity => Scenario::ContractWithIndividual,
        TransferScenario::HrManagement => Scenario::HrManagement,
        TransferScenario::Emergency => Scenario::Emergency,
        TransferScenario::FreeTradeZone => Scenario::FtzOutsideNegativeList,
    }
}

/// Important-data status of a transfer: from its datasets' lifecycle states (art. 37: only data
/// notified or published counts), else from the transfer's own flag.
pub fn important(p: &Project, t: &MapTransfer) -> ImportantData {
    let states: Vec<ImportantDataState> = t
        .datasets
        .iter()
        .filter_map(|d| crate::rules::dataset(p, &d.value))
        .filter_map(|d| d.important_data.as_ref().map(|i| i.state))
        .collect();
    if states.contains(&ImportantDataState::Confirmed) {
        ImportantData::NotifiedOrPublished
    } else if !states.is_empty() {
        ImportantData::IdentifiedNotNotified
    } else if t.important_data {
        ImportantData::NotifiedOrPublished
    } else {
        ImportantData::None
    }
}

/// Every transfer of the project, mapped for calendar year `year`, in map order.
pub fn project_transfers(project: &Project, year: i32) -> Vec<MappedTransfer> {
    let exporter = Exporter {
        id: project.profile.organisation.name.clone(),
        ciio: project.profile.roles.cii_operator,
    };
    project
        .each(|m| &m.transfers)
        .map(|(file, t)| {
            let counts = t
                .subjects_by_year
                .iter()
                .find(|y| i32::from(y.year) == year);
            let start = to_date(t.valid_from);
            let until = to_date(t.valid_until);
            let in_place = match (t.mechanism, start) {
                (TransferMechanism::SecurityAssessment, Some(passed_on)) => {
                    Some(InPlace::SecurityAssessment {
                        passed_on,
                        extended: t.extended
                            || until.is_some_and(|u| {
                                u > passed_on.add_years(xborder::ASSESSMENT_VALIDITY_YEARS)
                            }),
                    })
                }
                (TransferMechanism::StandardContract, Some(effective_on)) => {
                    Some(InPlace::StandardContract {
                        effective_on,
                        filed_on: to_date(t.filed),
                    })
                }
                (TransferMechanism::Certification, Some(certified_on)) => {
                    Some(InPlace::Certification {
                        certified_on,
                        valid_until: until,
                    })
                }
                _ => None,
            };
            MappedTransfer {
                file: file.to_path_buf(),
                line: t.id.line,
                column: t.id.column,
                transfer: Transfer {
                    id: t.id.value.clone(),
                    exporter: exporter.clone(),
                    year,
                    scenario: scenario(t.scenario),
                    destination: t.destination.clone(),
                    recipient: t.recipient.value.clone(),
                    general_pi_individuals: counts.map_or(0, |c| c.general),
                    sensitive_pi_individuals: counts.map_or(0, |c| c.sensitive),
                    important_data: important(project, t),
                    in_place,
                },
            }
        })
        .collect()
}

/// A transfer whose working-day clocks were approximated with calendar days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approximated {
    /// Transfer id.
    pub transfer: String,
    /// Why, e.g. the date outside the calendar's years (English).
    pub reason: String,
    /// The first day the clocks needed that the calendar does not cover.
    pub outside: Option<Date>,
}

/// Which calendar the working-day clocks were counted with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarUsed {
    /// Years the PRC calendar of `xiezhi-model` covers (holidays and adjusted working weekends),
    /// e.g. `2025–2026`; `None` if its data failed to load.
    pub covered: Option<String>,
    /// Transfers whose clocks needed a day outside those years (or all, if the data failed to
    /// load): their working-day clocks count calendar days, as each clock's basis says.
    pub approximated: Vec<Approximated>,
}

/// Decides a ledger with the PRC working-day calendar. A transfer whose clocks need a day
/// outside the calendar's years is decided without it (calendar-day approximation, said in its
/// clocks' basis) and listed in [`CalendarUsed::approximated`]; the others keep working days.
pub fn decide_ledger_prc(
    transfers: &[Transfer],
    as_of: Date,
) -> (Vec<LedgerDecision>, CalendarUsed) {
    let approx = xborder::decide_ledger(transfers, as_of, None);
    let cal = match PrcWorkdays::new() {
        Ok(cal) => cal,
        Err(e) => {
            let approximated = transfers
                .iter()
                .map(|t| Approximated {
                    transfer: t.id.clone(),
                    reason: e.to_string(),
                    outside: None,
                })
                .collect();
            return (
                approx,
                CalendarUsed {
                    covered: None,
                    approximated,
                },
            );
        }
    };
    // Which transfers' clocks stay inside the calendar (the clocks depend only on the
    // mechanism in place, so one transfer at a time tells).
    let mut approximated = Vec::new();
    for t in transfers {
        let probe = match PrcWorkdays::new() {
            Ok(p) => p,
            Err(_) => continue,
        };
        let _ = xborder::decide(t, as_of, Some(&probe));
        if let Some(e) = probe.outside() {
            approximated.push(Approximated {
                transfer: t.id.clone(),
                reason: e.to_string(),
                outside: probe.outside_date(),
            });
        }
    }
    let mut ledgers = xborder::decide_ledger(transfers, as_of, Some(&cal));
    for (l, a) in ledgers.iter_mut().zip(&approx) {
        for (d, da) in l.transfers.iter_mut().zip(&a.transfers) {
            if approximated.iter().any(|x| x.transfer == d.transfer_id) {
                *d = da.clone();
            }
        }
    }
    (
        ledgers,
        CalendarUsed {
            covered: Some(cal.covered()),
            approximated,
        },
    )
}

/// Whether a status means something required is missing, too weak, expired or filed late.
pub fn needs_action(c: Compliance) -> bool {
    matches!(
        c,
        Compliance::Missing
            | Compliance::Insufficient
            | Compliance::Expired
            | Compliance::FilingOverdue
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::xborder::{DayBasis, Mechanism};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn t(id: &str, general: u64, in_place: Option<InPlace>) -> Transfer {
        Transfer {
            id: id.into(),
            exporter: Exporter {
                id: "acme".into(),
                ciio: false,
            },
            year: 2026,
            general_pi_individuals: general,
            in_place,
            ..Transfer::default()
        }
    }

    #[test]
    fn scc_filing_clock_counts_prc_working_days() {
        // Contract in effect Friday 13 Feb 2026: 10 working days over the Spring Festival end on
        // 5 Mar (weekends-only would give 27 Feb; calendar days 23 Feb).
        let x = t(
            "a",
            150_000,
            Some(InPlace::StandardContract {
                effective_on: d("2026-02-13"),
                filed_on: Some(d("2026-03-04")),
            }),
        );
        let (ledger, used) = decide_ledger_prc(&[x], d("2026-06-30"));
        assert_eq!(used.covered.as_deref(), Some("2025–2026"));
        assert!(used.approximated.is_empty());
        let dec = &ledger[0].transfers[0];
        assert_eq!(dec.required, Mechanism::StandardContractOrCertification);
        assert_eq!(dec.clocks[0].date, d("2026-03-05"));
        assert_eq!(dec.clocks[0].basis, DayBasis::WorkingDays);
        assert_eq!(dec.compliance, Compliance::Satisfied);
        assert!(!needs_action(dec.compliance));
    }

    #[test]
    fn clocks_outside_the_calendar_fall_back_and_say_why() {
        // Assessment passed 2025-03-03 expires 2028-03-03: the window opening is in 2027/2028,
        // outside the calendar. The other transfer's filing clock stays in working days.
        let x = t(
            "b",
            1_000_000,
            Some(InPlace::SecurityAssessment {
                passed_on: d("2025-03-03"),
                extended: false,
            }),
        );
        let y = t(
            "a",
            0,
            Some(InPlace::StandardContract {
                effective_on: d("2026-02-13"),
                filed_on: None,
            }),
        );
        let (ledger, used) = decide_ledger_prc(&[x, y], d("2026-06-30"));
        assert_eq!(used.approximated.len(), 1, "{used:?}");
        assert_eq!(used.approximated[0].transfer, "b");
        assert!(used.approximated[0].reason.contains("2028"), "{used:?}");
        assert_eq!(used.approximated[0].outside, Some(d("2028-03-02")));
        let b = &ledger[0].transfers[0];
        assert_eq!(b.clocks[0].date, d("2028-03-03"));
        assert!(matches!(
            b.clocks[1].basis,
            DayBasis::CalendarDaysApprox { working_days: 60 }
        ));
        let a = &ledger[0].transfers[1];
        assert_eq!(a.clocks[0].date, d("2026-03-05"));
        assert_eq!(a.clocks[0].basis, DayBasis::WorkingDays);
    }

    #[test]
    fn missing_mechanism_needs_action_at_the_scc_boundary() {
        // 99,999 general individuals: exempt; 100,000: SCC required, none in place.
        let (l, _) = decide_ledger_prc(&[t("c", 99_999, None)], d("2026-06-30"));
        assert_eq!(l[0].transfers[0].compliance, Compliance::NotRequired);
        let (l, _) = decide_ledger_prc(&[t("c", 100_000, None)], d("2026-06-30"));
        assert_eq!(l[0].transfers[0].compliance, Compliance::Missing);
        assert!(needs_action(l[0].transfers[0].compliance));
    }
}
