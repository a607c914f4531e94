//! Reporters for `xiezhi scan --format json|ndjson|csv|sarif`.
//!
//! Every reporter streams: a finding is serialised and handed to the writer as soon as it
//! arrives, so a scan that produces millions of findings never holds them in memory. Only
//! warnings are buffered by the formats that put them after the findings (JSON, SARIF), and at
//! most [`WARNING_CAP`] of them; the number left out is written next to them.
//!
//! Raw values appear only where a finding's `value` is `Some` (the user asked with
//! `--show-values`); reporters never derive anything else (hashes, messages) from values.
//!
//! The writer is wrapped in a 64 KiB [`BufWriter`]; everything is flushed by
//! [`Reporter::finish`]. After `finish` every call fails with an error instead of corrupting the
//! document.

mod csv;
mod json;
mod ndjson;
mod sarif;

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

use serde::Serialize;
use xiezhi_model::{Finding, Lang, SensitivityPack, Warning};

use crate::summary::Summary;

/// Writes findings, warnings and the closing summary in one output format.
pub trait Reporter {
    /// Writes one finding (streamed: nothing is kept after the call).
    fn finding(&mut self, finding: &Finding) -> io::Result<()>;
    /// Records a file that could not be read completely. Depending on the format it is written
    /// at once (NDJSON), kept for the end (JSON, SARIF) or left to the caller's stderr (CSV).
    fn warning(&mut self, warning: &Warning) -> io::Result<()>;
    /// Writes the summary and whatever closes the document, then flushes the writer.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// An output format of `xiezhi scan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// One JSON document: tool, pack, findings, warnings, summary.
    Json,
    /// One JSON object per line, tagged by `kind`; the last line is the summary.
    Ndjson,
    /// RFC 4180 CSV, one row per finding, for spreadsheets.
    Csv,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
}

impl OutputFormat {
    /// Every format.
    pub const ALL: &'static [OutputFormat] = &[
        OutputFormat::Json,
        OutputFormat::Ndjson,
        OutputFormat::Csv,
        OutputFormat::Sarif,
    ];

    /// The id used on the command line, which is also the usual file extension.
    pub const fn id(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Ndjson => "ndjson",
            OutputFormat::Csv => "csv",
            OutputFormat::Sarif => "sarif",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A format id that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format `{0}`; use json, ndjson, csv or sarif")]
pub struct UnknownFormat(pub String);

impl FromStr for OutputFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .iter()
            .copied()
            .find(|f| f.id().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// What a reporter needs to know about the scan besides its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Xiezhi's version (`env!("CARGO_PKG_VERSION")` of the CLI).
    pub tool_version: String,
    /// The sensitivity pack of the scan (decides SARIF rule levels).
    pub pack: SensitivityPack,
    /// Language of SARIF rule descriptions and result messages.
    pub lang: Lang,
    /// The command line, one argument per item, program first (`std::env::args()`); SARIF
    /// `invocations`.
    pub command_line: Vec<String>,
}

/// At most this many warnings are kept for the formats that write them after the findings;
/// the rest are counted (`warnings_omitted`). The summary counts all of them per reason.
pub const WARNING_CAP: usize = 10_000;

/// A reporter for `format` writing to `out` (wrapped in a [`BufWriter`]).
pub fn reporter(
    format: OutputFormat,
    out: Box<dyn Write + Send>,
    options: ReportOptions,
) -> Box<dyn Reporter + Send> {
    let out = BufWriter::with_capacity(64 * 1024, out);
    match format {
        OutputFormat::Json => Box::new(json::JsonReporter::new(out, options)),
        OutputFormat::Ndjson => Box::new(ndjson::NdjsonReporter::new(out)),
        OutputFormat::Csv => Box::new(csv::CsvReporter::new(out)),
        OutputFormat::Sarif => Box::new(sarif::SarifReporter::new(out, options)),
    }
}

/// Serialises `value` as compact JSON into `out`.
fn write_json<W: Write, T: Serialize + ?Sized>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::from)
}

/// The error of any call after [`Reporter::finish`].
fn finished_error() -> io::Error {
    io::Error::other("reporter already finished")
}

/// Warnings kept until the end of the document, capped at [`WARNING_CAP`].
#[derive(Debug, Default)]
struct WarningBuffer {
    kept: Vec<Warning>,
    omitted: u64,
}

impl WarningBuffer {
    fn push(&mut self, warning: &Warning) {
        if self.kept.len() < WARNING_CAP {
            self.kept.push(warning.clone());
        } else {
            self.omitted += 1;
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Findings shared by the tests of every format.
    use xiezhi_model::{
        ColumnFinding, Finding, MatchFinding, PiCategory, PiType, Warning, WarningReason,
    };

    use crate::summary::Summary;

    /// An identity-card number in a log file whose path has a space and Chinese characters.
    pub fn id_match(value: Option<&str>) -> Finding {
        Finding::Match(MatchFinding {
            path: "logs/客户 a.log".into(),
            line: 3,
            column: 17,
            start: Some(1234),
            end: Some(1252),
            pi_type: PiType::CnResidentId,
            category: PiCategory::IdentityDocument,
            sensitive: true,
            confidence: 0.98,
            rule: "cn_resident_id".into(),
            masked: "1101**********123X".into(),
            evidence: vec!["checksum".into(), "context:身份证".into()],
            value: value.map(str::to_owned),
            field: None,
            sheet: None,
            cell: None,
            encoding: None,
        })
    }

    /// A mobile number in a spreadsheet cell: no byte offsets.
    pub fn sheet_match() -> Finding {
        Finding::Match(MatchFinding {
            path: "export/客户 名单.xlsx".into(),
            line: 5,
            column: 3,
            start: None,
            end: None,
            pi_type: PiType::CnMobile,
            category: PiCategory::BasicProfile,
            sensitive: false,
            confidence: 0.9,
            rule: "cn_mobile".into(),
            masked: "138****5678".into(),
            evidence: vec!["prefix".into()],
            value: None,
            field: Some("手机".into()),
            sheet: Some("Sheet 1".into()),
            cell: Some("C5".into()),
            encoding: None,
        })
    }

    /// A classified CSV column.
    pub fn column() -> Finding {
        Finding::Column(ColumnFinding {
            path: Some("export/users.csv".into()),
            source: None,
            table: None,
            sheet: None,
            column: "sfzh".into(),
            index: Some(3),
            pi_type: PiType::CnResidentId,
            category: PiCategory::IdentityDocument,
            sensitive: true,
            sampled: 1000,
            matched: 996,
            confidence: 0.99,
            evidence: vec!["values:0.996".into(), "name:pinyin sfzh".into()],
        })
    }

    /// An organisation code (not personal information).
    pub fn uscc() -> Finding {
        Finding::Match(MatchFinding {
            path: "a.txt".into(),
            line: 1,
            column: 1,
            start: Some(0),
            end: Some(18),
            pi_type: PiType::CnUscc,
            category: PiCategory::Organisation,
            sensitive: false,
            confidence: 0.95,
            rule: "cn_uscc".into(),
            masked: "9111**********12X".into(),
            evidence: vec!["checksum".into()],
            value: None,
            field: None,
            sheet: None,
            cell: None,
            encoding: None,
        })
    }

    /// A binary file skipped.
    pub fn warning() -> Warning {
        Warning {
            path: "bin/x y.dat".into(),
            line: Some(7),
            reason: WarningReason::Binary,
            message: "looks binary; skipped".into(),
        }
    }

    /// A summary with one type and one warning.
    pub fn summary() -> Summary {
        let mut s = Summary::new(xiezhi_model::SensitivityPack::Gbt35273_2020, 4);
        s.files_scanned = 2;
        s.match_findings = 2;
        s.count_warning(WarningReason::Binary);
        s.by_type.insert(
            PiType::CnResidentId,
            crate::summary::TypeTotals {
                values: 1,
                columns: 1,
                files: 2,
                sensitive: true,
            },
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::test_support::*;
    use super::*;

    /// A writer whose bytes stay readable after the reporter took ownership of it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn run(format: OutputFormat, findings: &[Finding]) -> String {
        let buf = Shared::default();
        let options = ReportOptions {
            tool_version: "0.1.0".into(),
            ..ReportOptions::default()
        };
        let mut r = reporter(format, Box::new(buf.clone()), options);
        for f in findings {
            r.finding(f).unwrap();
        }
        r.warning(&warning()).unwrap();
        r.finish(&summary()).unwrap();
        assert!(
            r.finding(&column()).is_err(),
            "calls after finish must fail"
        );
        assert!(r.finish(&summary()).is_err());
        let bytes = buf.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn formats_parse_and_round_trip() {
        for &f in OutputFormat::ALL {
            assert_eq!(f.id().parse::<OutputFormat>(), Ok(f));
            assert_eq!(f.to_string(), f.id());
        }
        assert_eq!("SARIF".parse(), Ok(OutputFormat::Sarif));
        let err = "xml".parse::<OutputFormat>().unwrap_err();
        assert!(err.to_string().contains("xml"));
    }

    #[test]
    fn factory_flushes_every_format_through_the_buffer() {
        let findings = [id_match(None), column()];
        for &f in OutputFormat::ALL {
            let out = run(f, &findings);
            assert!(out.contains("1101**********123X"), "{f}: {out}");
            match f {
                OutputFormat::Json | OutputFormat::Sarif => {
                    serde_json::from_str::<serde_json::Value>(&out).unwrap();
                }
                OutputFormat::Ndjson => {
                    for line in out.lines() {
                        serde_json::from_str::<serde_json::Value>(line).unwrap();
                    }
                }
                OutputFormat::Csv => assert_eq!(out.lines().count(), 3),
            }
        }
    }

    #[test]
    fn warning_buffer_is_capped() {
        let mut b = WarningBuffer::default();
        for _ in 0..WARNING_CAP + 5 {
            b.push(&warning());
        }
        assert_eq!(b.kept.len(), WARNING_CAP);
        assert_eq!(b.omitted, 5);
    }
}
