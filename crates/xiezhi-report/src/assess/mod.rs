//! Assessments and annual reports built from evidence (SR-RISK-01..04, SR-AUDIT-02..05): the
//! annual important-data risk assessment report (Reg. art. 33), the large platform's annual PI
//! protection social-responsibility report (art. 44), PI protection impact assessments (PIPL
//! 55–56), the risk assessment before providing, entrusting or jointly processing important
//! data (art. 31), the compliance-audit evidence pack (PIPL 54), the inspection pack (art. 50)
//! and the year's cross-border ledger.
//!
//! Each report is filled from the data map, `xiezhi check` findings and the runtime
//! [`Evidence`] of the service store, and names the source of every figure; what cannot be
//! derived is a question of the [`Answers`] file, and the document lists what is still
//! missing. Reports never contain data content (art. 33(2)): only counts, types and the names
//! of systems, datasets and flows.
//!
//! ```no_run
//! use xiezhi_report::assess::{build, render, Answers, Evidence, Format, Period, ReportInput, ReportKind};
//! let project = xiezhi_map::load_project(std::path::Path::new("examples/project")).unwrap();
//! let evidence = Evidence::default();
//! let answers = Answers::default();
//! let input = ReportInput {
//!     kind: ReportKind::ImportantDataAnnual,
//!     project: &project,
//!     evidence: &evidence,
//!     answers: &answers,
//!     period: Period::year_end(2026).unwrap(),
//!     lang: xiezhi_model::Lang::ZhCn,
//!     subject: None,
//! };
//! let doc = build(&input).unwrap();
//! print!("{}", render(&doc, Format::Html));
//! ```

mod answers;
mod charts;
mod ctx;
mod evidence;
mod html;
mod markdown;
mod model;
mod reports;
mod text;

use std::path::PathBuf;

use serde::{Serialize, Serializer};
use xiezhi_map::Project;
use xiezhi_model::Lang;

pub use answers::Answers;
pub use evidence::{
    AuditEvidence, CheckpointEvidence, ConsentEvidence, ConsentRow, Evidence, RightsEvidence,
    RightsRow, RulesVersionEvidence, VerifyEvidence,
};
pub use model::{
    Bar, Block, Chart, Document, Fact, Missing, MissingKind, Section, SourceKind, SourceRef, Table,
};
pub use reports::audit::{AuditFrequency, audit_frequency};
pub use xiezhi_check::Date;

/// The report kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportKind {
    /// Annual important-data risk assessment report (Reg. art. 33).
    ImportantDataAnnual,
    /// Large platform's annual PI protection social-responsibility report (Reg. art. 44).
    PlatformPiAnnual,
    /// PI protection impact assessment, per activity (PIPL 55–56).
    Pipia,
    /// Risk assessment before providing, entrusting or jointly processing important data, per
    /// flow (Reg. art. 31).
    Art31,
    /// PI protection compliance audit: frequency, evidence pack, findings (PIPL 54).
    ComplianceAudit,
    /// Inspection pack for regulators (Reg. art. 50).
    InspectionPack,
    /// The year's cross-border ledger and mechanisms (Reg. arts. 35–38; CAC Order 16).
    Xborder,
}

impl ReportKind {
    /// Every kind.
    pub const ALL: [ReportKind; 7] = [
        ReportKind::ImportantDataAnnual,
        ReportKind::PlatformPiAnnual,
        ReportKind::Pipia,
        ReportKind::Art31,
        ReportKind::ComplianceAudit,
        ReportKind::InspectionPack,
        ReportKind::Xborder,
    ];

    /// Id used on the command line and in the answers file.
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::ImportantDataAnnual => "important-data-annual",
            ReportKind::PlatformPiAnnual => "platform-pi-annual",
            ReportKind::Pipia => "pipia",
            ReportKind::Art31 => "art31",
            ReportKind::ComplianceAudit => "compliance-audit",
            ReportKind::InspectionPack => "inspection-pack",
            ReportKind::Xborder => "xborder",
        }
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.id() == s.trim())
    }

    /// Title in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ReportKind::ImportantDataAnnual => (
                "重要数据处理活动年度风险评估报告",
                "Annual risk assessment report on important-data processing",
            ),
            ReportKind::PlatformPiAnnual => (
                "个人信息保护社会责任报告",
                "Personal information protection social responsibility report",
            ),
            ReportKind::Pipia => (
                "个人信息保护影响评估报告",
                "Personal information protection impact assessment",
            ),
            ReportKind::Art31 => (
                "提供、委托处理、共同处理重要数据风险评估报告",
                "Risk assessment of providing, entrusting or jointly processing important data",
            ),
            ReportKind::ComplianceAudit => (
                "个人信息保护合规审计证据包",
                "Personal information protection compliance audit evidence pack",
            ),
            ReportKind::InspectionPack => (
                "监督检查材料包",
                "Inspection pack for the competent authorities",
            ),
            ReportKind::Xborder => (
                "年度数据出境台账",
                "Annual cross-border data transfer ledger",
            ),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    /// Whether the report is built per subject (activity or flow).
    pub fn per_subject(self) -> bool {
        matches!(self, ReportKind::Pipia | ReportKind::Art31)
    }
}

impl Serialize for ReportKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl std::fmt::Display for ReportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The period reported on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Report year (calendar year; cross-border counts run from 1 January).
    pub year: i32,
    /// Date the figures are judged at (clocks, audit frequency, findings).
    pub as_of: Date,
}

impl Period {
    /// The calendar year `year`, judged at 31 December.
    pub fn year_end(year: i32) -> Result<Period, xiezhi_check::DateError> {
        Ok(Period {
            year,
            as_of: Date::new(year, 12, 31)?,
        })
    }
}

/// What a report is built from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Which report.
    pub kind: ReportKind,
    /// The loaded data map.
    pub project: &'a Project,
    /// Runtime evidence from the service store.
    pub evidence: &'a Evidence,
    /// Answers to the open questions.
    pub answers: &'a Answers,
    /// The period.
    pub period: Period,
    /// Language.
    pub lang: Lang,
    /// `pipia`: an activity id; `art31`: a recipient or transfer id; `None` = all (one part
    /// per activity or flow). Ignored by the other kinds.
    pub subject: Option<String>,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One self-contained, printable HTML page (A4) with inline SVG charts.
    #[default]
    Html,
    /// Markdown (CommonMark with GFM tables).
    Markdown,
    /// JSON of [`Document`].
    Json,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Html, Format::Markdown, Format::Json];

    /// File extension (`html`, `md`, `json`).
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

/// Errors building a report or reading its answers.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The answers file is not valid.
    #[error("{}:{line}:{column}: {message}; {hint}", path.display())]
    Answers {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// The subject asked for is not an activity (pipia) or a flow (art31) of the data map.
    #[error("`{subject}` is not {what} of the data map; known: {}", known.join(", "))]
    UnknownSubject {
        /// Report kind.
        kind: ReportKind,
        /// The id given.
        subject: String,
        /// What was expected (`an activity`, `a recipient or transfer`).
        what: &'static str,
        /// Ids that would do.
        known: Vec<String>,
    },
}

impl AssessError {
    /// The message in `lang` (file positions and ids stay as they are).
    pub fn render(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                AssessError::UnknownSubject {
                    subject,
                    kind,
                    known,
                    ..
                },
                Lang::ZhCn,
            ) => {
                let what = if *kind == ReportKind::Pipia {
                    "处理活动"
                } else {
                    "接收方或出境传输"
                };
                format!(
                    "数据地图中没有 id 为 `{subject}` 的{what}；可用：{}",
                    known.join("、")
                )
            }
            _ => self.to_string(),
        }
    }
}

/// Builds the report.
pub fn build(input: &ReportInput) -> Result<Document, AssessError> {
    reports::build(input)
}

/// Renders a built document.
pub fn render(doc: &Document, format: Format) -> String {
    match format {
        Format::Html => html::render(doc),
        Format::Markdown => markdown::render(doc),
        // The document holds strings, numbers and lists only; fall back to an empty object
        // rather than panicking.
        Format::Json => serde_json::to_string_pretty(doc)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .unwrap_or_else(|_| "{}\n".to_string()),
    }
}
