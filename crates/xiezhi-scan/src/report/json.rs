//! JSON: one document, written incrementally:
//!
//! ```text
//! {"tool":{"name":"xiezhi","version":"0.1.0"},"pack":"gbt35273-2020","findings":[
//! {"kind":"match",...},
//! {"kind":"column",...}
//! ],"warnings":[
//! {"path":...,"reason":...,"message":...}
//! ],"summary":{...}}
//! ```
//!
//! Findings are streamed one per line (the serde serialisation of [`Finding`]). Warnings may
//! arrive between findings, so they are kept (at most [`WARNING_CAP`](super::WARNING_CAP)) and
//! written after the findings array; when some were left out, `"warnings_omitted":N` follows the
//! array (the key is absent otherwise).

use std::io::{self, Write};

use xiezhi_model::{Finding, SensitivityPack, Warning};

use super::{ReportOptions, Reporter, WarningBuffer, finished_error, write_json};
use crate::summary::Summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing written yet.
    Fresh,
    /// Inside the findings array; `true` once a finding has been written.
    Findings(bool),
    /// Document closed.
    Finished,
}

/// Writes one JSON document.
#[derive(Debug)]
pub(crate) struct JsonReporter<W: Write> {
    out: W,
    tool_version: String,
    pack: SensitivityPack,
    state: State,
    warnings: WarningBuffer,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`.
    pub(crate) fn new(out: W, options: ReportOptions) -> Self {
        JsonReporter {
            out,
            tool_version: options.tool_version,
            pack: options.pack,
            state: State::Fresh,
            warnings: WarningBuffer::default(),
        }
    }

    /// Writes the head of the document up to the opening of the findings array, once.
    fn start(&mut self) -> io::Result<bool> {
        match self.state {
            State::Fresh => {
                self.out
                    .write_all(br#"{"tool":{"name":"xiezhi","version":"#)?;
                write_json(&mut self.out, &self.tool_version)?;
                self.out.write_all(br#"},"pack":"#)?;
                write_json(&mut self.out, &self.pack)?;
                self.out.write_all(br#","findings":["#)?;
                self.state = State::Findings(false);
                Ok(false)
            }
            State::Findings(any) => Ok(any),
            State::Finished => Err(finished_error()),
        }
    }

    #[cfg(test)]
    pub(crate) fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        let any = self.start()?;
        self.out.write_all(if any { b",\n" } else { b"\n" })?;
        write_json(&mut self.out, finding)?;
        self.state = State::Findings(true);
        Ok(())
    }

    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        if self.state == State::Finished {
            return Err(finished_error());
        }
        self.warnings.push(warning);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let any = self.start()?;
        self.state = State::Finished;
        self.out.write_all(if any {
            b"\n],\"warnings\":["
        } else {
            b"],\"warnings\":["
        })?;
        let warnings = std::mem::take(&mut self.warnings);
        for (i, w) in warnings.kept.iter().enumerate() {
            self.out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            write_json(&mut self.out, w)?;
        }
        self.out.write_all(if warnings.kept.is_empty() {
            b"]"
        } else {
            b"\n]"
        })?;
        if warnings.omitted > 0 {
            write!(self.out, ",\"warnings_omitted\":{}", warnings.omitted)?;
        }
        self.out.write_all(br#","summary":"#)?;
        write_json(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::WARNING_CAP;
    use crate::report::test_support::*;

    fn options() -> ReportOptions {
        ReportOptions {
            tool_version: "0.1.0".into(),
            ..ReportOptions::default()
        }
    }

    fn run(findings: &[Finding], warnings: usize) -> (String, Value) {
        let mut r = JsonReporter::new(Vec::new(), options());
        for (i, f) in findings.iter().enumerate() {
            r.finding(f).unwrap();
            if i == 0 {
                for _ in 0..warnings {
                    r.warning(&warning()).unwrap();
                }
            }
        }
        if findings.is_empty() {
            for _ in 0..warnings {
                r.warning(&warning()).unwrap();
            }
        }
        r.finish(&summary()).unwrap();
        let text = String::from_utf8(r.into_inner()).unwrap();
        let doc = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (text, doc)
    }

    #[test]
    fn document_has_all_parts_and_findings_round_trip() {
        let findings = [id_match(None), sheet_match(), column()];
        let (text, doc) = run(&findings, 2);
        assert_eq!(doc["tool"]["name"], "xiezhi");
        assert_eq!(doc["tool"]["version"], "0.1.0");
        assert_eq!(doc["pack"], "gbt35273-2020");
        let arr = doc["findings"].as_array().unwrap();
        assert_eq!(arr.len(), 3);
        for (v, f) in arr.iter().zip(&findings) {
            let back: Finding = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(&back, f);
        }
        assert_eq!(arr[0]["path"], "logs/客户 a.log");
        assert!(arr[1].get("start").is_none());
        assert_eq!(doc["warnings"].as_array().unwrap().len(), 2);
        assert_eq!(doc["warnings"][0]["reason"], "binary");
        assert!(doc["warnings"][0].get("kind").is_none());
        assert!(doc.get("warnings_omitted").is_none());
        assert_eq!(doc["summary"]["files_scanned"], 2);
        // One finding per line, for grep.
        assert!(
            text.lines().any(|l| l.starts_with("{\"kind\":\"column\"")),
            "{text}"
        );
        assert_eq!(doc.as_object().unwrap().len(), 5);
        assert!(text.starts_with(
            r#"{"tool":{"name":"xiezhi","version":"0.1.0"},"pack":"gbt35273-2020","findings":["#
        ));
        assert!(
            text.contains("\n],\"warnings\":[\n") && text.contains("\n],\"summary\":{"),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn zero_findings_and_zero_warnings_parse() {
        let (text, doc) = run(&[], 0);
        assert_eq!(doc["findings"], Value::Array(vec![]));
        assert_eq!(doc["warnings"], Value::Array(vec![]));
        assert!(
            text.contains(r#""findings":[],"warnings":[],"summary":"#),
            "{text}"
        );
        let (_, doc) = run(&[], 1);
        assert_eq!(doc["warnings"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn value_only_when_present() {
        let (text, _) = run(&[id_match(None)], 0);
        assert!(!text.contains("\"value\""));
        let (_, doc) = run(&[id_match(Some("11010519491231002X"))], 0);
        assert_eq!(doc["findings"][0]["value"], "11010519491231002X");
    }

    #[test]
    fn warnings_over_the_cap_are_counted() {
        let (_, doc) = run(&[id_match(None)], WARNING_CAP + 3);
        assert_eq!(doc["warnings"].as_array().unwrap().len(), WARNING_CAP);
        assert_eq!(doc["warnings_omitted"], 3);
    }
}
