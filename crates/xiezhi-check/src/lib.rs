//! Xiezhi compliance checks for the Regulation on Network Data Security Management
//! (网络数据安全管理条例, State Council Decree 790) and related rules.
//!
//! Everything here is pure: no IO and no clock. Dates are inputs ([`Date`]).
//!
//! - [`penalty`]: the penalty groups of the requirements catalog, section 3, as data, and the
//!   exposure (fine ranges, other measures, the PIPL 66 turnover cap) of one group.
//! - [`rules`]: the article-level rules run on a data map ([`rules::catalog`], [`rules::evaluate`]);
//!   [`report`] renders the catalog and the findings (Markdown, SARIF 2.1.0).
//! - [`transfers`]: the data map's transfers as decision inputs, decided with the PRC calendar.
//! - [`xborder`]: the cross-border decision of catalog 4.1 (CAC Order 16) for one transfer or a
//!   year's ledger, with the path taken through the table and the validity / filing clocks.
//! - [`duties`]: the calendar of duties (`xiezhi duties`): yearly reports, audits, PIPO filing,
//!   cross-border validity and filing clocks, record retention, with status as of a date.
//! - [`rules`]: the article-level rules run on a loaded data map (`xiezhi check`), one module per
//!   article group, each rule with its catalog SR item, articles, effective dates, penalty group
//!   and confidence mark; [`rules::classify`] computes the role flags of catalog 1.2.
//!
//! ```
//! use xiezhi_check::xborder::{decide, Exporter, Mechanism, Transfer};
//! use xiezhi_check::penalty::{exposure, GroupId};
//! use xiezhi_check::{Date, Lang};
//!
//! let t = Transfer {
//!     id: "crm-to-sg".into(),
//!     exporter: Exporter { id: "acme".into(), ciio: false },
//!     year: 2025,
//!     general_pi_individuals: 1_000_000,
//!     ..Transfer::default()
//! };
//! let as_of = Date::parse("2025-06-30")?;
//! let d = decide(&t, as_of, None);
//! assert_eq!(d.required, Mechanism::SecurityAssessment);
//! println!("{}", xiezhi_check::xborder::render_decision(&d, Lang::En));
//!
//! let e = exposure(GroupId::Pipl66, Some(2_000_000_000));
//! assert_eq!(e.turnover_cap_yuan, Some(100_000_000));
//! # Ok::<(), xiezhi_check::DateError>(())
//! ```
//!
//! Text meant for people is available in Simplified Chinese (default) and English
//! ([`Lang`]). This is an engineering aid, not legal advice.
#![deny(missing_docs)]

pub mod date;
pub mod duties;
pub mod penalty;
pub mod report;
pub mod rules;
pub mod transfers;
pub mod xborder;

pub use date::{Date, DateError, PrcWorkdays, WorkdayCalendar};
pub use xiezhi_model::Lang;

use serde::Serialize;

/// Confidence mark of a catalog entry (catalog section 0.1), carried into every output built
/// from it.
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
    /// Consultation draft, not in force.
    #[serde(rename = "DRAFT")]
    Draft,
}

impl Confidence {
    /// The mark as written in the catalog, e.g. `[C2]`.
    pub fn mark(self) -> &'static str {
        match self {
            Confidence::C2 => "[C2]",
            Confidence::Off1 => "[OFF-1]",
            Confidence::Unconfirmed => "[UNCONFIRMED]",
            Confidence::Draft => "[DRAFT]",
        }
    }

    /// The weaker of two marks (an output is only as sure as its least sure input).
    pub fn weakest(self, other: Confidence) -> Confidence {
        self.max(other)
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.mark())
    }
}

/// Formats an integer with thousands separators: `1000000` → `1,000,000`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(99_999), "99,999");
        assert_eq!(group_digits(1_000_000), "1,000,000");
    }

    #[test]
    fn weakest_mark_wins() {
        assert_eq!(
            Confidence::C2.weakest(Confidence::Unconfirmed),
            Confidence::Unconfirmed
        );
        assert_eq!(Confidence::Off1.weakest(Confidence::C2), Confidence::Off1);
    }
}
