//! An incident as it is handled over time (the register entry of SR-INC-01): the [`Incident`]
//! record, its [`Timeline`] of what was done, the data-map [`Estimate`] and the closure. The
//! operations (open, update, file a report, record a notice, decide an exemption, close) are
//! pure: callers (the CLI, the server) load a case from the store, apply one operation with the
//! time passed in, and store the result with the event the operation returns.

use serde::{Deserialize, Serialize};
use xiezhi_model::{Lang, PiType};

use crate::clocks::{
    self, Clock, INITIAL_REPORT, INITIAL_REPORT_POLICE, INITIAL_REPORT_PROTECTION, NOTIFY_AFFECTED,
    SUMMARY, SUPPLEMENTARY, Timeline,
};
use crate::estimate::Estimate;
use crate::grade::{Grading, grade};
use crate::model::{
    AssessedCriterion, Incident, IncidentError, IncidentKind, Level, PiImpact, ReporterType,
    SummaryDetails, Text,
};
use crate::notice::{Channel, Exemption, ExemptionError};
use crate::report::{AuthorityReport, ReportField, ReportKind};
use crate::time::Timestamp;

/// One incident under handling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The record.
    pub incident: Incident,
    /// What was done when.
    pub timeline: Timeline,
    /// The data-map estimate made at opening (or on a later update), if any.
    pub estimate: Option<Estimate>,
    /// When the case was closed.
    pub closed_at: Option<Timestamp>,
    /// Why it was closed without a summary report (or other closing remarks).
    pub close_reason: Option<String>,
}

/// Errors of case operations. Messages name fields, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The record is invalid.
    #[error(transparent)]
    Incident(#[from] IncidentError),
    /// The exemption has no reasons.
    #[error(transparent)]
    Exemption(#[from] ExemptionError),
    /// A stored part does not parse.
    #[error("stored incident {part} is not valid JSON: {message}")]
    Stored {
        /// `record`, `timeline` or `estimate`.
        part: &'static str,
        /// Parser message.
        message: String,
    },
    /// The case is closed.
    #[error("incident `{0}` is closed; it can no longer change")]
    Closed(String),
    /// The initial report lacks the fields of items 1–2.
    #[error(
        "the initial report must carry items 1–2 even when filed early; fill in first: {}",
        .0.iter().map(|f| f.name(Lang::En)).collect::<Vec<_>>().join(", ")
    )]
    MissingRequired(Vec<ReportField>),
    /// A supplementary report before the initial one.
    #[error(
        "file the initial report first (`report --kind initial`); a supplementary report adds to it"
    )]
    NoInitialReport,
    /// A summary report before handling ended.
    #[error(
        "the summary report follows the end of handling: set `handling_ended_at` first (`update --handling-ended TIME`)"
    )]
    HandlingNotEnded,
    /// The summary report lacks content.
    #[error(
        "the summary report must state cause, measures, harm, accountability, rectification and lessons (Incident Measures art. 8); still empty: {}",
        .0.iter().map(|f| f.name(Lang::En)).collect::<Vec<_>>().join(", ")
    )]
    SummaryIncomplete(Vec<ReportField>),
    /// Closing without the summary report and without a reason.
    #[error(
        "the summary report (within 30 days after handling ends, Incident Measures art. 8) has not been filed: file it (`report --kind summary --file`) or give the reason for closing without it (`--reason`)"
    )]
    SummaryPending,
    /// A clock id that does not exist.
    #[error(
        "`{0}` is not a clock id; use one of the ids `show` prints (e.g. pipl57-notify-authority)"
    )]
    UnknownClock(String),
}

/// Changes to an incident: every `Some` (or non-empty) field replaces the stored value.
/// Free text must not quote leaked data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Update {
    /// Title.
    pub title: Option<Text>,
    /// Incident type.
    pub kind: Option<IncidentKind>,
    /// Reporter type.
    pub reporter: Option<ReporterType>,
    /// When it happened.
    pub occurred_at: Option<Timestamp>,
    /// Reporting unit (organisation).
    pub reporting_unit: Option<String>,
    /// Organisational contact point.
    pub contact: Option<String>,
    /// Location.
    pub location: Option<Text>,
    /// Affected facilities, systems and platforms (names); replaces the list.
    pub affected_systems: Option<Vec<String>>,
    /// Confirmed number of people (overrides the estimate).
    pub people: Option<u64>,
    /// Of them, people with sensitive PI.
    pub sensitive_people: Option<u64>,
    /// PI types involved; replaces the list.
    pub pi_types: Option<Vec<PiType>>,
    /// Minors are among the people.
    pub involves_minors: Option<bool>,
    /// Direct economic loss (CNY).
    pub direct_economic_loss_cny: Option<u64>,
    /// Outage so far in minutes.
    pub outage_minutes: Option<u64>,
    /// Reg. art. 10 vulnerability.
    pub endangers_national_security_or_public_interest: Option<bool>,
    /// Harms individuals or organisations.
    pub harms_individuals_or_organisations: Option<bool>,
    /// Crime clues found.
    pub suspected_crime: Option<bool>,
    /// Assessed criteria without a number; replaces the list.
    pub assessed: Option<Vec<AssessedCriterion>>,
    /// Report item 3.
    pub impact: Option<Text>,
    /// Report item 4.
    pub measures_taken: Option<Text>,
    /// Report item 5.
    pub ransom_demand: Option<Text>,
    /// Report item 6.
    pub trend: Option<Text>,
    /// Report item 7 (preliminary cause).
    pub preliminary_cause: Option<Text>,
    /// Report item 8.
    pub tracing_clues: Option<Text>,
    /// Report item 9.
    pub further_measures: Option<Text>,
    /// Report item 10.
    pub site_preservation: Option<Text>,
    /// Summary report content (fields given replace the stored ones).
    pub summary: Option<SummaryDetails>,
    /// Handling ended (starts the 30-day summary clock).
    pub handling_ended_at: Option<Timestamp>,
    /// The authority required the notice despite an exemption (PIPL 57 para 2).
    pub authority_required_notice_at: Option<Timestamp>,
    /// Duties done: clock id → when.
    pub done: std::collections::BTreeMap<String, Timestamp>,
}

/// What an update changed (field names and the grade; no values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Names of the fields given.
    pub fields: Vec<&'static str>,
    /// Grade before.
    pub level_before: Level,
    /// Grade after.
    pub level_after: Level,
    /// People after (count only).
    pub people: u64,
}

/// A report filed with the authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filed {
    /// Which report.
    pub kind: ReportKind,
    /// Fields still missing (to be supplemented).
    pub missing: Vec<ReportField>,
    /// Clock ids marked done.
    pub clocks_done: Vec<&'static str>,
    /// Grade stated in the report.
    pub level: Level,
}

/// The state column: `open` or `closed`.
pub fn state_id(closed: bool) -> &'static str {
    if closed { "closed" } else { "open" }
}

/// The stable id of a level (`general`, `relatively_large`, `major`, `especially_major`).
pub fn level_id(l: Level) -> &'static str {
    match l {
        Level::General => "general",
        Level::RelativelyLarge => "relatively_large",
        Level::Major => "major",
        Level::EspeciallyMajor => "especially_major",
    }
}

/// A case with its grading and clocks at one instant (for JSON output).
#[derive(Debug, Clone, Serialize)]
pub struct CaseView<'a> {
    /// `open` / `closed`.
    pub state: &'static str,
    /// The record.
    pub incident: &'a Incident,
    /// Grade with evidence.
    pub grading: Grading,
    /// Every clock at `now`.
    pub clocks: Vec<Clock>,
    /// The timeline.
    pub timeline: &'a Timeline,
    /// The data-map estimate.
    pub estimate: Option<&'a Estimate>,
    /// Fields the next report still lacks (initial/supplementary content).
    pub missing_fields: Vec<ReportField>,
    /// When closed.
    pub closed_at: Option<Timestamp>,
    /// Closing remark.
    pub close_reason: Option<&'a str>,
    /// The instant the clocks were computed at.
    pub now: Timestamp,
}

fn parse<T: serde::de::DeserializeOwned>(part: &'static str, s: &str) -> Result<T, CaseError> {
    serde_json::from_str(s).map_err(|e| CaseError::Stored {
        part,
        message: e.to_string(),
    })
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising these plain structs cannot fail (string keys, no maps with non-string keys).
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

impl Case {
    /// Opens a case: applies the estimate (people, sensitive people, PI types, minors and
    /// system names where the record has none) unless `people` overrides the count, then
    /// validates the record.
    pub fn open(
        mut incident: Incident,
        estimate: Option<Estimate>,
        people: Option<u64>,
    ) -> Result<Case, CaseError> {
        if let Some(e) = &estimate {
            let pi = incident.pi.get_or_insert_with(PiImpact::default);
            match people {
                Some(n) => {
                    pi.people = n;
                    pi.estimated = false;
                }
                None => {
                    // Unknown (no counts in the map) stays 0 but is marked as an estimate, so
                    // the grading asks for the confirmed number.
                    pi.people = e.people.unwrap_or(0);
                    pi.estimated = true;
                }
            }
            if pi.types.is_empty() {
                pi.types = e.pi_types.clone();
            }
            if pi.sensitive_people == 0 {
                pi.sensitive_people = e.sensitive_people.unwrap_or(0).min(pi.people);
            }
            pi.involves_minors |= e.involves_minors;
            if incident.affected_systems.is_empty() {
                incident.affected_systems = e.system_names.clone();
            }
        } else if let Some(n) = people {
            let pi = incident.pi.get_or_insert_with(PiImpact::default);
            pi.people = n;
            pi.estimated = false;
        }
        incident.validate()?;
        Ok(Case {
            incident,
            timeline: Timeline::default(),
            estimate,
            closed_at: None,
            close_reason: None,
        })
    }

    /// Rebuilds a case from its stored parts (the JSON of the record, timeline and estimate).
    pub fn from_parts(
        record: &str,
        timeline: &str,
        estimate: Option<&str>,
        closed_at: Option<i64>,
        close_reason: Option<String>,
    ) -> Result<Case, CaseError> {
        Ok(Case {
            incident: parse("record", record)?,
            timeline: parse("timeline", timeline)?,
            estimate: estimate.map(|e| parse("estimate", e)).transpose()?,
            closed_at: closed_at.map(Timestamp),
            close_reason,
        })
    }

    /// The JSON of the record.
    pub fn record_json(&self) -> String {
        to_json(&self.incident)
    }

    /// The JSON of the timeline.
    pub fn timeline_json(&self) -> String {
        to_json(&self.timeline)
    }

    /// The JSON of the estimate.
    pub fn estimate_json(&self) -> Option<String> {
        self.estimate.as_ref().map(to_json)
    }

    /// The current grade.
    pub fn level(&self) -> Level {
        grade(&self.incident).level
    }

    /// `open` or `closed`.
    pub fn state(&self) -> &'static str {
        state_id(self.closed_at.is_some())
    }

    /// Every clock at `now`.
    pub fn clocks(&self, now: Timestamp) -> Vec<Clock> {
        clocks::clocks(&self.incident, &self.timeline, now)
    }

    /// Grading, clocks and the rest at `now`.
    pub fn view(&self, now: Timestamp) -> CaseView<'_> {
        CaseView {
            state: self.state(),
            incident: &self.incident,
            grading: grade(&self.incident),
            clocks: self.clocks(now),
            timeline: &self.timeline,
            estimate: self.estimate.as_ref(),
            missing_fields: AuthorityReport::from(&self.incident, ReportKind::Initial, now)
                .missing_fields(),
            closed_at: self.closed_at,
            close_reason: self.close_reason.as_deref(),
            now,
        }
    }

    fn ensure_open(&self) -> Result<(), CaseError> {
        match self.closed_at {
            Some(_) => Err(CaseError::Closed(self.incident.id.clone())),
            None => Ok(()),
        }
    }

    /// Applies `u`, validates and re-grades.
    pub fn update(&mut self, u: Update) -> Result<Changed, CaseError> {
        self.ensure_open()?;
        for id in u.done.keys() {
            if !ALL_CLOCKS.contains(&id.as_str()) {
                return Err(CaseError::UnknownClock(id.clone()));
            }
        }
        let before = self.level();
        let mut next = self.incident.clone();
        let mut fields = Vec::new();
        macro_rules! set {
            ($src:expr, $dst:expr, $name:literal) => {
                if let Some(v) = $src {
                    $dst = v;
                    fields.push($name);
                }
            };
        }
        set!(u.title, next.title, "title");
        set!(u.kind, next.kind, "kind");
        set!(u.reporter, next.reporter, "reporter");
        set!(u.occurred_at.map(Some), next.occurred_at, "occurred_at");
        set!(
            u.reporting_unit.map(Some),
            next.reporting_unit,
            "reporting_unit"
        );
        set!(u.contact.map(Some), next.contact, "contact");
        set!(u.location.map(Some), next.location, "location");
        set!(
            u.affected_systems,
            next.affected_systems,
            "affected_systems"
        );
        if u.people.is_some()
            || u.sensitive_people.is_some()
            || u.pi_types.is_some()
            || u.involves_minors.is_some()
        {
            let pi = next.pi.get_or_insert_with(PiImpact::default);
            if let Some(n) = u.people {
                pi.people = n;
                pi.estimated = false;
                fields.push("pi.people");
            }
            set!(
                u.sensitive_people,
                pi.sensitive_people,
                "pi.sensitive_people"
            );
            set!(u.pi_types, pi.types, "pi.types");
            set!(u.involves_minors, pi.involves_minors, "pi.involves_minors");
        }
        set!(
            u.direct_economic_loss_cny.map(Some),
            next.direct_economic_loss_cny,
            "direct_economic_loss_cny"
        );
        set!(
            u.outage_minutes.map(Some),
            next.outage_minutes,
            "outage_minutes"
        );
        set!(
            u.endangers_national_security_or_public_interest,
            next.endangers_national_security_or_public_interest,
            "endangers_national_security_or_public_interest"
        );
        set!(
            u.harms_individuals_or_organisations,
            next.harms_individuals_or_organisations,
            "harms_individuals_or_organisations"
        );
        set!(u.suspected_crime, next.suspected_crime, "suspected_crime");
        set!(u.assessed, next.assessed, "assessed");
        let d = &mut next.details;
        set!(u.impact.map(Some), d.impact, "details.impact");
        set!(
            u.measures_taken.map(Some),
            d.measures_taken,
            "details.measures_taken"
        );
        set!(
            u.ransom_demand.map(Some),
            d.ransom_demand,
            "details.ransom_demand"
        );
        set!(u.trend.map(Some), d.trend, "details.trend");
        set!(
            u.preliminary_cause.map(Some),
            d.preliminary_cause,
            "details.preliminary_cause"
        );
        set!(
            u.tracing_clues.map(Some),
            d.tracing_clues,
            "details.tracing_clues"
        );
        set!(
            u.further_measures.map(Some),
            d.further_measures,
            "details.further_measures"
        );
        set!(
            u.site_preservation.map(Some),
            d.site_preservation,
            "details.site_preservation"
        );
        if let Some(s) = u.summary {
            let cur = next.summary.get_or_insert_with(SummaryDetails::default);
            macro_rules! merge {
                ($($f:ident),*) => {$(
                    if s.$f.is_some() {
                        cur.$f = s.$f;
                    }
                )*};
            }
            merge!(
                cause,
                measures,
                harm,
                accountability,
                rectification,
                lessons
            );
            fields.push("summary");
        }
        next.validate()?;
        self.incident = next;
        if let Some(t) = u.handling_ended_at {
            self.timeline.handling_ended_at = Some(t);
            fields.push("handling_ended_at");
        }
        if let Some(t) = u.authority_required_notice_at {
            self.timeline.authority_required_notice_at = Some(t);
            fields.push("authority_required_notice_at");
        }
        for (id, at) in u.done {
            self.timeline.mark_done(&id, at);
            fields.push("done");
        }
        fields.dedup();
        Ok(Changed {
            fields,
            level_before: before,
            level_after: self.level(),
            people: self.incident.pi_people(),
        })
    }

    /// Records that the report of `kind` was filed at `at` ("report first, supplement later"):
    /// the initial report needs items 1–2 and marks the initial-report clock(s) done, recording
    /// the fields still missing (which starts the supplementary clock); a supplementary report
    /// marks that clock done once nothing is missing; the summary report needs the end of
    /// handling and all six items, and marks the 30-day clock done.
    pub fn file_report(&mut self, kind: ReportKind, at: Timestamp) -> Result<Filed, CaseError> {
        self.ensure_open()?;
        let report = AuthorityReport::from(&self.incident, kind, at);
        let missing = report.missing_fields();
        let level = report.grading().level;
        let mut done = Vec::new();
        match kind {
            ReportKind::Initial => {
                let req = report.missing_required();
                if !req.is_empty() {
                    return Err(CaseError::MissingRequired(req));
                }
                let ids: &[&'static str] = match self.incident.reporter {
                    ReporterType::CiiOperator => {
                        &[INITIAL_REPORT_PROTECTION, INITIAL_REPORT_POLICE]
                    }
                    _ => &[INITIAL_REPORT],
                };
                for id in ids {
                    if !self.timeline.done.contains_key(*id) {
                        self.timeline.mark_done(id, at);
                        done.push(*id);
                    }
                }
                self.timeline.initial_report_missing = missing.clone();
            }
            ReportKind::Supplementary => {
                let initial = [
                    INITIAL_REPORT,
                    INITIAL_REPORT_PROTECTION,
                    INITIAL_REPORT_POLICE,
                ]
                .iter()
                .any(|id| self.timeline.done.contains_key(*id));
                if !initial {
                    return Err(CaseError::NoInitialReport);
                }
                if missing.is_empty() && !self.timeline.done.contains_key(SUPPLEMENTARY) {
                    self.timeline.mark_done(SUPPLEMENTARY, at);
                    done.push(SUPPLEMENTARY);
                }
            }
            ReportKind::Summary => {
                if self.timeline.handling_ended_at.is_none() {
                    return Err(CaseError::HandlingNotEnded);
                }
                if !missing.is_empty() {
                    return Err(CaseError::SummaryIncomplete(missing));
                }
                self.timeline.mark_done(SUMMARY, at);
                done.push(SUMMARY);
            }
        }
        Ok(Filed {
            kind,
            missing,
            clocks_done: done,
            level,
        })
    }

    /// Records a notice to affected people on `channel`, delivered to `delivered` recipients
    /// (1 for a published announcement). Marks the notify-affected clock done when at least
    /// one was delivered; returns whether it did.
    pub fn record_notice(&mut self, channel: Channel, delivered: u64, at: Timestamp) -> bool {
        let _ = channel;
        if delivered > 0
            && self.closed_at.is_none()
            && !self.timeline.done.contains_key(NOTIFY_AFFECTED)
        {
            self.timeline.mark_done(NOTIFY_AFFECTED, at);
            true
        } else {
            false
        }
    }

    /// Records the decision not to notify individuals (PIPL 57 para 2); reasons required.
    pub fn exempt(&mut self, reasons: Vec<String>, at: Timestamp) -> Result<&Exemption, CaseError> {
        self.ensure_open()?;
        let e = Exemption::new(reasons, at)?;
        Ok(self.timeline.notice_exemption.insert(e))
    }

    /// Closes the case at `at`. When the summary-report clock applies and is not done, a
    /// reason is required. Sets the end of handling if not yet set.
    pub fn close(&mut self, reason: Option<String>, at: Timestamp) -> Result<(), CaseError> {
        self.ensure_open()?;
        let reason = reason.filter(|r| !r.trim().is_empty());
        let summary_pending = self
            .clocks(at)
            .iter()
            .any(|c| c.id == SUMMARY && c.done.is_none());
        if summary_pending && reason.is_none() {
            return Err(CaseError::SummaryPending);
        }
        if self.timeline.handling_ended_at.is_none() {
            self.timeline.handling_ended_at = Some(at);
        }
        self.closed_at = Some(at);
        self.close_reason = reason;
        Ok(())
    }

    /// A text summary: id, title, state, grade with the evidence, notes and every clock at
    /// `now` (Markdown table).
    pub fn render_status(&self, now: Timestamp, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let g = grade(&self.incident);
        let inc = &self.incident;
        let mut s = String::new();
        let state = match (self.closed_at.is_some(), zh) {
            (true, true) => "已关闭",
            (false, true) => "处置中",
            (true, false) => "closed",
            (false, false) => "open",
        };
        if zh {
            s.push_str(&format!(
                "事件 {}：{}（{}，{}）\n发现时间：{}\n事件分级：{}{}\n",
                inc.id,
                inc.title.get(lang),
                inc.kind.name(lang),
                state,
                inc.detected_at.to_beijing(lang),
                g.level.name(lang),
                if g.reportable {
                    "（须报告）"
                } else {
                    "（《网络安全事件报告管理办法》不要求报告）"
                }
            ));
        } else {
            s.push_str(&format!(
                "Incident {}: {} ({}, {})\nDetected: {}\nGrade: {}{}\n",
                inc.id,
                inc.title.get(lang),
                inc.kind.name(lang),
                state,
                inc.detected_at.to_beijing(lang),
                g.level.name(lang),
                if g.reportable {
                    " (must be reported)"
                } else {
                    " (not reportable under the Incident Measures)"
                }
            ));
        }
        for d in &g.decisions {
            s.push_str(&format!("- {} {}\n", d.text(lang), d.confidence.mark()));
        }
        for n in &g.notes {
            s.push_str(&format!("- {}\n", if zh { &n.zh } else { &n.en }));
        }
        if let Some(pi) = &inc.pi {
            s.push_str(&if zh {
                format!(
                    "受影响人数：{}{}，其中敏感个人信息 {}\n",
                    crate::group_digits(pi.people),
                    if pi.estimated {
                        "（数据地图估算）"
                    } else {
                        ""
                    },
                    crate::group_digits(pi.sensitive_people)
                )
            } else {
                format!(
                    "People affected: {}{}, {} with sensitive PI\n",
                    crate::group_digits(pi.people),
                    if pi.estimated {
                        " (data-map estimate)"
                    } else {
                        ""
                    },
                    crate::group_digits(pi.sensitive_people)
                )
            });
        }
        if let Some(e) = &self.timeline.notice_exemption {
            s.push_str(&e.render(lang));
            s.push('\n');
        }
        if let (Some(at), r) = (self.closed_at, &self.close_reason) {
            s.push_str(&if zh {
                format!(
                    "关闭时间：{}{}\n",
                    at.to_beijing(lang),
                    r.as_deref()
                        .map(|r| format!("；原因：{r}"))
                        .unwrap_or_default()
                )
            } else {
                format!(
                    "Closed: {}{}\n",
                    at.to_beijing(lang),
                    r.as_deref()
                        .map(|r| format!("; reason: {r}"))
                        .unwrap_or_default()
                )
            });
        }
        s.push('\n');
        s.push_str(&clocks::render_clocks(&self.clocks(now), lang));
        s
    }
}

/// Every clock id.
pub const ALL_CLOCKS: &[&str] = &[
    INITIAL_REPORT,
    INITIAL_REPORT_PROTECTION,
    INITIAL_REPORT_POLICE,
    clocks::VULN_24H,
    NOTIFY_AFFECTED,
    clocks::PIPL57_AUTHORITY,
    clocks::MINORS35,
    clocks::CRIME_REFERRAL,
    SUPPLEMENTARY,
    SUMMARY,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clocks::Status;
    use crate::time::HOUR_MS;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn leak(people: u64) -> Case {
        let mut inc = Incident::new(
            "INC-1",
            Text::zh("订单库泄露"),
            IncidentKind::DataLeak,
            ReporterType::Other,
            t("2026-03-01T10:00:00+08:00"),
        );
        inc.pi = Some(PiImpact {
            people,
            types: vec![PiType::CnMobile],
            ..PiImpact::default()
        });
        Case::open(inc, None, None).unwrap()
    }

    fn filled(c: &mut Case) {
        c.update(Update {
            reporting_unit: Some("示例商城".into()),
            contact: Some("安全部 010-1234".into()),
            location: Some(Text::zh("北京机房")),
            affected_systems: Some(vec!["商城".into()]),
            ..Update::default()
        })
        .unwrap();
    }

    #[test]
    fn update_regrades_at_the_boundary() {
        let mut c = leak(999_999);
        assert_eq!(c.level(), Level::General);
        let ch = c
            .update(Update {
                people: Some(1_000_000),
                ..Update::default()
            })
            .unwrap();
        assert_eq!(
            (ch.level_before, ch.level_after),
            (Level::General, Level::RelativelyLarge)
        );
        assert_eq!(ch.fields, ["pi.people"]);
        // Invalid updates change nothing.
        let err = c.update(Update {
            sensitive_people: Some(2_000_000),
            ..Update::default()
        });
        assert_eq!(
            err,
            Err(CaseError::Incident(IncidentError::SensitiveExceedsTotal))
        );
        assert_eq!(c.incident.pi.as_ref().unwrap().sensitive_people, 0);
    }

    #[test]
    fn report_first_supplement_later() {
        let mut c = leak(1_000_000);
        assert!(matches!(
            c.file_report(ReportKind::Initial, t("2026-03-01T11:00:00+08:00")),
            Err(CaseError::MissingRequired(_))
        ));
        assert_eq!(
            c.file_report(ReportKind::Supplementary, t("2026-03-01T11:00:00+08:00")),
            Err(CaseError::NoInitialReport)
        );
        filled(&mut c);
        let f = c
            .file_report(ReportKind::Initial, t("2026-03-01T13:00:00+08:00"))
            .unwrap();
        assert_eq!(f.clocks_done, [INITIAL_REPORT]);
        assert!(f.missing.contains(&ReportField::PreliminaryCause));
        let cs = c.clocks(t("2026-03-01T13:00:00+08:00"));
        let sup = cs.iter().find(|c| c.id == SUPPLEMENTARY).unwrap();
        assert_eq!(sup.status, Status::Asap);
        // A supplementary report with fields still missing leaves the clock running.
        let f = c
            .file_report(ReportKind::Supplementary, t("2026-03-02T10:00:00+08:00"))
            .unwrap();
        assert!(f.clocks_done.is_empty());
        let all = Text::zh("已写明");
        c.update(Update {
            impact: Some(all.clone()),
            measures_taken: Some(all.clone()),
            trend: Some(all.clone()),
            preliminary_cause: Some(all.clone()),
            tracing_clues: Some(all.clone()),
            further_measures: Some(all.clone()),
            site_preservation: Some(all),
            ..Update::default()
        })
        .unwrap();
        let f = c
            .file_report(ReportKind::Supplementary, t("2026-03-03T10:00:00+08:00"))
            .unwrap();
        assert_eq!(f.clocks_done, [SUPPLEMENTARY]);
        assert!(f.missing.is_empty());
    }

    #[test]
    fn close_needs_the_summary_or_a_reason() {
        let mut c = leak(1_000_000);
        filled(&mut c);
        let end = t("2026-03-05T10:00:00+08:00");
        assert_eq!(
            c.file_report(ReportKind::Summary, end),
            Err(CaseError::HandlingNotEnded)
        );
        assert_eq!(c.close(None, end), Err(CaseError::SummaryPending));
        assert_eq!(
            c.close(Some("  ".into()), end),
            Err(CaseError::SummaryPending)
        );
        c.update(Update {
            handling_ended_at: Some(end),
            ..Update::default()
        })
        .unwrap();
        assert!(matches!(
            c.file_report(ReportKind::Summary, end.plus_ms(HOUR_MS)),
            Err(CaseError::SummaryIncomplete(m)) if m.len() == 6
        ));
        let x = Some(Text::zh("已写明"));
        c.update(Update {
            summary: Some(SummaryDetails {
                cause: x.clone(),
                measures: x.clone(),
                harm: x.clone(),
                accountability: x.clone(),
                rectification: x.clone(),
                lessons: x,
            }),
            ..Update::default()
        })
        .unwrap();
        c.file_report(ReportKind::Summary, end.plus_ms(HOUR_MS))
            .unwrap();
        c.close(None, end.plus_ms(2 * HOUR_MS)).unwrap();
        assert_eq!(c.state(), "closed");
        assert_eq!(
            c.update(Update::default()),
            Err(CaseError::Closed("INC-1".into()))
        );
        // A general incident has no summary clock: it closes without a reason.
        let mut g = leak(10);
        g.close(None, end).unwrap();
    }

    #[test]
    fn exemption_notice_and_parts_round_trip() {
        let mut c = leak(1_000_000);
        assert_eq!(
            c.exempt(vec![], t("2026-03-01T12:00:00+08:00")),
            Err(CaseError::Exemption(ExemptionError::NoReasons))
        );
        c.exempt(
            vec!["数据已加密且密钥未泄露".into()],
            t("2026-03-01T12:00:00+08:00"),
        )
        .unwrap();
        assert!(!c.record_notice(Channel::Email, 0, t("2026-03-01T12:00:00+08:00")));
        assert!(c.record_notice(Channel::Email, 3, t("2026-03-01T12:30:00+08:00")));
        assert!(
            c.update(Update {
                done: [("no-such-clock".to_owned(), t("2026-03-01T12:00:00+08:00"))].into(),
                ..Update::default()
            })
            .is_err()
        );
        let back = Case::from_parts(
            &c.record_json(),
            &c.timeline_json(),
            c.estimate_json().as_deref(),
            None,
            None,
        )
        .unwrap();
        assert_eq!(back, c);
        let text = c.render_status(t("2026-03-01T13:00:00+08:00"), Lang::En);
        assert!(text.contains("relatively large"), "{text}");
        assert!(text.contains("initial report"), "{text}");
    }
}
