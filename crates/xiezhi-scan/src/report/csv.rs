//! CSV: one row per finding under a fixed header, for spreadsheets.
//!
//! * Header: `kind,path,source,table,sheet,cell,line,column,start,end,field,type,category,`
//!   `sensitive,confidence,rule,masked,evidence,sampled,matched,value`.
//! * Match findings fill `line`, `column`, `start`, `end` (offsets empty for spreadsheets),
//!   `field` (header or key path of the cell), `rule` and `masked`; `sampled`/`matched` are empty.
//! * Column findings put the column name in `field` and fill `sampled` and `matched`; `line`,
//!   `column`, `start`, `end`, `cell`, `rule` and `masked` are empty.
//! * `evidence` items are joined with `;`. `value` is filled only when the finding carries the
//!   raw value (`--show-values`).
//! * RFC 4180 quoting: a field containing a comma, a double quote, CR or LF is enclosed in double
//!   quotes and its quotes are doubled. Records end with LF (not CRLF); every common reader
//!   accepts both.
//! * Formula injection (OWASP "CSV Injection"): a text field starting with `=`, `+`, `-`, `@`,
//!   TAB or CR gets a leading `'` so spreadsheets show it as text instead of evaluating it. This
//!   changes such values (e.g. a masked international number `+44 ****` is written
//!   `'+44 ****`); programs should read NDJSON or JSON instead. Numbers, booleans and ids that
//!   Xiezhi itself generates are never prefixed.
//! * No byte-order mark is written.
//! * Warnings and the summary are not part of the CSV (the CLI prints them on stderr).

use std::io::{self, Write};

use xiezhi_model::{Finding, Warning};

use super::{Reporter, finished_error};
use crate::summary::Summary;

/// The header line, without its LF.
pub(crate) const HEADER: &str = "kind,path,source,table,sheet,cell,line,column,start,end,field,type,category,sensitive,confidence,rule,masked,evidence,sampled,matched,value";

/// Writes CSV.
#[derive(Debug)]
pub(crate) struct CsvReporter<W: Write> {
    out: W,
    header_written: bool,
    finished: bool,
    /// Reused for every row.
    row: String,
}

impl<W: Write> CsvReporter<W> {
    /// A reporter writing to `out`.
    pub(crate) fn new(out: W) -> Self {
        CsvReporter {
            out,
            header_written: false,
            finished: false,
            row: String::with_capacity(256),
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if self.finished {
            return Err(finished_error());
        }
        if !self.header_written {
            self.out.write_all(HEADER.as_bytes())?;
            self.out.write_all(b"\n")?;
            self.header_written = true;
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn into_inner(self) -> W {
        self.out
    }
}

/// Starts a field: a comma unless it is the first of the row.
fn sep(row: &mut String) {
    if !row.is_empty() {
        row.push(',');
    }
}

/// Appends a field Xiezhi generated (numbers, ids, booleans): never quoted or prefixed.
fn plain(row: &mut String, s: &str) {
    sep(row);
    row.push_str(s);
}

/// Appends an optional number.
fn number(row: &mut String, n: Option<u64>) {
    sep(row);
    if let Some(n) = n {
        row.push_str(&n.to_string());
    }
}

/// Appends a text field from the scanned data, guarded against formula injection and quoted per
/// RFC 4180 when needed.
fn text(row: &mut String, s: &str) {
    sep(row);
    let guard = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = s.contains([',', '"', '\r', '\n']);
    if quote {
        row.push('"');
    }
    if guard {
        row.push('\'');
    }
    if quote {
        for ch in s.chars() {
            if ch == '"' {
                row.push('"');
            }
            row.push(ch);
        }
        row.push('"');
    } else {
        row.push_str(s);
    }
}

/// Appends an optional text field.
fn opt_text(row: &mut String, s: Option<&str>) {
    match s {
        Some(s) => text(row, s),
        None => sep(row),
    }
}

/// Formats one finding as a row (without its LF) into `row`, which is cleared first.
fn format_row(row: &mut String, finding: &Finding) {
    row.clear();
    match finding {
        Finding::Match(m) => {
            plain(row, "match");
            text(row, &m.path);
            sep(row); // source
            sep(row); // table
            opt_text(row, m.sheet.as_deref());
            opt_text(row, m.cell.as_deref());
            number(row, Some(m.line));
            number(row, Some(m.column));
            number(row, m.start);
            number(row, m.end);
            opt_text(row, m.field.as_deref());
            plain(row, m.pi_type.id());
            plain(row, m.category.id());
            plain(row, if m.sensitive { "true" } else { "false" });
            plain(row, &m.confidence.to_string());
            text(row, &m.rule);
            text(row, &m.masked);
            text(row, &m.evidence.join(";"));
            sep(row); // sampled
            sep(row); // matched
            opt_text(row, m.value.as_deref());
        }
        Finding::Column(c) => {
            plain(row, "column");
            opt_text(row, c.path.as_deref());
            opt_text(row, c.source.as_deref());
            opt_text(row, c.table.as_deref());
            opt_text(row, c.sheet.as_deref());
            sep(row); // cell
            sep(row); // line
            sep(row); // column
            sep(row); // start
            sep(row); // end
            text(row, &c.column);
            plain(row, c.pi_type.id());
            plain(row, c.category.id());
            plain(row, if c.sensitive { "true" } else { "false" });
            plain(row, &c.confidence.to_string());
            sep(row); // rule
            sep(row); // masked
            text(row, &c.evidence.join(";"));
            number(row, Some(c.sampled));
            number(row, Some(c.matched));
            sep(row); // value
        }
    }
}

impl<W: Write> Reporter for CsvReporter<W> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.header()?;
        format_row(&mut self.row, finding);
        self.row.push('\n');
        self.out.write_all(self.row.as_bytes())
    }

    /// Warnings are not written into the CSV.
    fn warning(&mut self, _warning: &Warning) -> io::Result<()> {
        if self.finished {
            return Err(finished_error());
        }
        Ok(())
    }

    /// Writes the header if no finding did, then flushes; the summary is not written.
    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.header()?;
        self.finished = true;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::*;

    fn run(findings: &[Finding]) -> String {
        let mut r = CsvReporter::new(Vec::new());
        for f in findings {
            r.finding(f).unwrap();
            r.warning(&warning()).unwrap();
        }
        r.finish(&summary()).unwrap();
        String::from_utf8(r.into_inner()).unwrap()
    }

    /// Splits one record (no embedded newlines) into fields, undoing RFC 4180 quoting.
    fn parse(record: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut chars = record.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', false) => quoted = true,
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                ('"', true) => quoted = false,
                (',', false) => fields.push(String::new()),
                (c, _) => fields.last_mut().unwrap().push(c),
            }
        }
        fields
    }

    fn col(name: &str) -> usize {
        HEADER.split(',').position(|h| h == name).unwrap()
    }

    #[test]
    fn header_and_rows() {
        let out = run(&[id_match(None), sheet_match(), column()]);
        let lines: Vec<&str> = out.split('\n').collect();
        assert_eq!(lines.len(), 5, "{out}"); // header, 3 rows, empty after the last LF
        assert_eq!(lines[0], HEADER);
        assert_eq!(lines[4], "");
        assert!(!out.contains('\r'));
        let n = HEADER.split(',').count();
        assert_eq!(n, 21);

        let m = parse(lines[1]);
        assert_eq!(m.len(), n);
        assert_eq!(
            lines[1],
            "match,logs/客户 a.log,,,,,3,17,1234,1252,,cn_resident_id,identity_document,true,0.98,cn_resident_id,1101**********123X,checksum;context:身份证,,,"
        );

        let s = parse(lines[2]);
        assert_eq!(s.len(), n);
        assert_eq!(s[col("path")], "export/客户 名单.xlsx");
        assert_eq!(s[col("sheet")], "Sheet 1");
        assert_eq!(s[col("cell")], "C5");
        assert_eq!(s[col("line")], "5");
        assert_eq!(s[col("start")], "");
        assert_eq!(s[col("end")], "");
        assert_eq!(s[col("field")], "手机");
        assert_eq!(s[col("sensitive")], "false");

        let c = parse(lines[3]);
        assert_eq!(c.len(), n);
        assert_eq!(c[col("kind")], "column");
        assert_eq!(c[col("field")], "sfzh");
        assert_eq!(c[col("sampled")], "1000");
        assert_eq!(c[col("matched")], "996");
        assert_eq!(c[col("line")], "");
        assert_eq!(c[col("masked")], "");
        assert_eq!(c[col("evidence")], "values:0.996;name:pinyin sfzh");
    }

    #[test]
    fn value_column_only_with_values() {
        let out = run(&[id_match(Some("11010519491231002X"))]);
        let row = parse(out.lines().nth(1).unwrap());
        assert_eq!(row[col("value")], "11010519491231002X");
        let out = run(&[id_match(None)]);
        let row = parse(out.lines().nth(1).unwrap());
        assert_eq!(row[col("value")], "");
        assert!(!out.contains("11010519491231002X"));
    }

    #[test]
    fn quoting_of_commas_quotes_and_newlines() {
        let mut row = String::new();
        text(&mut row, "a,b");
        text(&mut row, "say \"hi\"");
        text(&mut row, "two\nlines");
        text(&mut row, "plain 文本");
        assert_eq!(row, "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain 文本");

        let Finding::Match(mut m) = id_match(None) else {
            unreachable!()
        };
        m.path = "dir,1/\"q\".txt".into();
        let out = run(&[Finding::Match(m)]);
        let line = out.lines().nth(1).unwrap();
        assert!(line.starts_with("match,\"dir,1/\"\"q\"\".txt\","), "{line}");
        assert_eq!(parse(line)[col("path")], "dir,1/\"q\".txt");
    }

    #[test]
    fn formula_injection_is_neutralised() {
        for (input, expected) in [
            ("=1+1", "'=1+1"),
            ("+44 ****", "'+44 ****"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("a=b", "a=b"),
        ] {
            let mut row = String::new();
            text(&mut row, input);
            assert_eq!(row, expected, "{input}");
        }
        let Finding::Column(mut c) = column() else {
            unreachable!()
        };
        c.column = "=cmd|' /C calc'!A0".into();
        let out = run(&[Finding::Column(c)]);
        let row = parse(out.lines().nth(1).unwrap());
        assert_eq!(row[col("field")], "'=cmd|' /C calc'!A0");
    }

    #[test]
    fn zero_findings_is_the_header_only() {
        assert_eq!(run(&[]), format!("{HEADER}\n"));
    }
}
