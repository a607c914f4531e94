//! NDJSON: one JSON object per line. Findings are exactly the serde serialisation of
//! [`Finding`] (`{"kind":"match",...}`, `{"kind":"column",...}`); warnings are written as they
//! arrive as `{"kind":"warning",...}`; the last line is `{"kind":"summary",...}`.

use std::io::{self, Write};

use serde::Serialize;
use xiezhi_model::{Finding, Warning};

use super::{Reporter, finished_error, write_json};
use crate::summary::Summary;

/// A record tagged with `kind`, followed by the fields of `record`.
#[derive(Serialize)]
struct Tagged<'a, T> {
    kind: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

/// Writes NDJSON.
#[derive(Debug)]
pub(crate) struct NdjsonReporter<W: Write> {
    out: W,
    finished: bool,
}

impl<W: Write> NdjsonReporter<W> {
    /// A reporter writing to `out`.
    pub(crate) fn new(out: W) -> Self {
        NdjsonReporter {
            out,
            finished: false,
        }
    }

    fn line<T: Serialize + ?Sized>(&mut self, record: &T) -> io::Result<()> {
        if self.finished {
            return Err(finished_error());
        }
        write_json(&mut self.out, record)?;
        self.out.write_all(b"\n")
    }

    #[cfg(test)]
    pub(crate) fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for NdjsonReporter<W> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.line(finding)
    }

    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        self.line(&Tagged {
            kind: "warning",
            record: warning,
        })
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.line(&Tagged {
            kind: "summary",
            record: summary,
        })?;
        self.finished = true;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::test_support::*;

    fn run(findings: &[Finding], warn: bool) -> String {
        let mut r = NdjsonReporter::new(Vec::new());
        for f in findings {
            r.finding(f).unwrap();
            if warn {
                r.warning(&warning()).unwrap();
            }
        }
        r.finish(&summary()).unwrap();
        String::from_utf8(r.into_inner()).unwrap()
    }

    #[test]
    fn lines_are_the_serde_records_in_order() {
        let findings = [id_match(None), sheet_match(), column()];
        let out = run(&findings, true);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 7);
        assert!(out.ends_with('\n'));
        assert_eq!(lines[0], serde_json::to_string(&findings[0]).unwrap());
        assert_eq!(lines[2], serde_json::to_string(&findings[1]).unwrap());
        assert_eq!(lines[4], serde_json::to_string(&findings[2]).unwrap());
        assert!(
            lines[0].contains("\"path\":\"logs/客户 a.log\""),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains("context:身份证"));
        // Spreadsheet: no offsets.
        assert!(!lines[2].contains("\"start\""));
        assert!(lines[2].contains("\"cell\":\"C5\""));
        // Findings parse back.
        let back: Finding = serde_json::from_str(lines[4]).unwrap();
        assert_eq!(back, findings[2]);
        let w: Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(w["kind"], "warning");
        assert_eq!(w["reason"], "binary");
        assert_eq!(w["path"], "bin/x y.dat");
        assert_eq!(w["line"], 7);
        let s: Value = serde_json::from_str(lines[6]).unwrap();
        assert_eq!(s["kind"], "summary");
        assert_eq!(s["pack"], "gbt35273-2020");
        assert_eq!(s["warnings"]["binary"], 1);
        assert_eq!(s["by_type"]["cn_resident_id"]["values"], 1);
    }

    #[test]
    fn value_only_when_present() {
        let out = run(&[id_match(None)], false);
        assert!(!out.contains("\"value\""));
        let out = run(&[id_match(Some("11010519491231002X"))], false);
        assert!(out.contains("\"value\":\"11010519491231002X\""));
    }

    #[test]
    fn zero_findings_is_one_summary_line() {
        let out = run(&[], false);
        assert_eq!(out.lines().count(), 1);
        let s: Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(s["kind"], "summary");
    }
}
