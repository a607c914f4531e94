//! Xiezhi incidents: grading under the National Cybersecurity Incident Reporting Measures (CAC,
//! in force 1 Nov 2025) and its grading guide, every reporting clock in parallel, the report to
//! the authority and the notices to affected people (catalog 4.9, SR-INC-01..03).
//!
//! Pure library: no IO, no database, no clock. "Now" is always an argument.
//!
//! - [`model`]: the [`Incident`] record (YAML/JSON, `deny_unknown_fields`; counts and PI types
//!   only, never PI values).
//! - [`grade()`](grade::grade): the level (特别重大 / 重大 / 较大 / 一般) with evidence per criterion.
//! - [`clocks()`](clocks::clocks): the initial report (1 h / 2 h / 4 h by reporter type), 24 h
//!   (Reg. art. 10), notices and authority notice "promptly" (Reg. art. 11, PIPL 57), the
//!   supplementary report and the 30-day summary report, against a [`Timeline`].
//! - [`report`]: [`AuthorityReport`] (initial / supplementary / summary) with
//!   [`missing_fields`](AuthorityReport::missing_fields), Markdown or plain text, zh-CN or en.
//! - [`estimate()`](estimate::estimate): people and PI types affected, from the data map.
//! - [`case`]: [`Case`], an incident under handling (record, timeline, estimate, closure) and
//!   its pure operations: open, update, file a report, record a notice, exempt, close.
//! - [`notice`]: [`Notice`] per [`Channel`] (SMS segments, e-mail, in-app, announcement) and the
//!   [`Exemption`] decision.
//!
//! ```
//! use xiezhi_incident::*;
//!
//! let mut inc = Incident::new(
//!     "INC-1",
//!     Text::zh("订单库泄露"),
//!     IncidentKind::DataLeak,
//!     ReporterType::Other,
//!     Timestamp::parse("2026-03-01T10:00:00+08:00")?,
//! );
//! inc.pi = Some(PiImpact { people: 1_000_000, ..PiImpact::default() });
//! assert_eq!(grade(&inc).level, Level::RelativelyLarge); // "100万人以上" includes 1,000,000
//!
//! let now = Timestamp::parse("2026-03-01T13:00:00+08:00")?;
//! let cs = clocks(&inc, &Timeline::default(), now);
//! let initial = cs.iter().find(|c| c.id == "initial-report").ok_or("no clock")?;
//! assert_eq!(initial.due, Some(Timestamp::parse("2026-03-01T14:00:00+08:00")?));
//! assert!(!initial.overdue);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This is an engineering aid, not legal advice; the confidence marks of the requirements
//! catalog travel with every rule ([`Confidence`]).
#![deny(missing_docs)]

pub mod case;
pub mod clocks;
pub mod estimate;
pub mod grade;
pub mod model;
pub mod notice;
pub mod report;
pub mod time;

pub use case::{Case, CaseError, CaseView, Changed, Filed, Update};
pub use clocks::{Clock, Deadline, Status, Timeline, clocks, clocks_with, render_clocks};
pub use estimate::{Estimate, EstimateError, estimate};
pub use grade::{Criterion, Decision, Grading, THRESHOLDS, Threshold, grade};
pub use model::{
    AssessedCriterion, Incident, IncidentError, IncidentKind, Level, OtherCriterion, PiImpact,
    ReportDetails, ReporterType, SummaryDetails, Text,
};
pub use notice::{
    Channel, Exemption, ExemptionError, Notice, NoticeDraft, NoticeError, Rendered, SmsSize,
    sms_segments, sms_units,
};
pub use report::{AuthorityReport, Format, ReportField, ReportKind};
pub use time::{Timestamp, TimestampError};
pub use xiezhi_model::{Lang, PiType};

use serde::Serialize;

/// Confidence mark of a catalog entry (catalog 0.1), carried into every output built from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Confidence {
    /// Confirmed by at least two independent sources.
    #[serde(rename = "C2")]
    C2,
    /// One verbatim copy of the official text; formally unconfirmed.
    #[serde(rename = "OFF-1")]
    Off1,
    /// One secondary source or fragmentary text; verify before relying on it.
    #[serde(rename = "UNCONFIRMED")]
    Unconfirmed,
}

impl Confidence {
    /// The mark as written in the catalog, e.g. `\[C2\]`.
    pub fn mark(self) -> &'static str {
        match self {
            Confidence::C2 => "[C2]",
            Confidence::Off1 => "[OFF-1]",
            Confidence::Unconfirmed => "[UNCONFIRMED]",
        }
    }
}

/// `1000000` → `1,000,000`.
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
