//! The [`CellSink`] that scans structured files (CSV/TSV, XLSX, JSON, NDJSON): every cell value
//! goes to [`Engine::scan_field`] with the hint of its column (header or JSON key path), each
//! column or key path gets a [`ColumnClassifier`], and at the end of a table (a sheet, the file)
//! the columns with a verdict become [`ColumnFinding`]s.
//!
//! Every value is scanned and every match reported, also in columns that get a verdict: a
//! column finding says "this column holds ID numbers", the match findings say where each one is.
//!
//! Positions: byte offsets come from the cell's origin map, so they point into the original file
//! whatever its encoding and quoting. Line and column are the cell's, moved forward over the
//! value text before the match (values may span lines in quoted CSV fields). Inside a value the
//! column counts decoded characters, so it can be off by the escapes before the match (a CSV
//! `""` counts as one character, a JSON `\u5f20` as one).

use std::collections::HashMap;

use xiezhi_detect::{ColumnClassifier, Engine, FieldHint, Match, Scratch, field_hint};
use xiezhi_model::{ColumnFinding, Finding, WarningReason};

use crate::cells::{Cell, CellSink, Field};
use crate::pipeline::{FileContext, FileEmit};

/// Most JSON key paths classified per file; values under further paths are still scanned, with
/// the hint of their path, but not classified (files with keys made of ids would otherwise grow
/// without bound).
const MAX_KEY_PATHS: usize = 4096;

/// One column or key path being classified.
#[derive(Debug)]
struct Column {
    classifier: ColumnClassifier,
    /// Header or key path; `None` for a column of a table without header.
    name: Option<String>,
    /// 0-based index for table columns.
    index: Option<u32>,
}

/// Scans the cells of one structured file.
pub(crate) struct StructuredScan<'a> {
    engine: &'a Engine,
    ctx: &'a FileContext,
    out: &'a mut dyn FileEmit,
    scratch: Scratch,
    matches: Vec<Match>,
    /// Repaired copy of a value that is not valid UTF-8.
    repaired: Vec<u8>,
    /// Sheet of the current table.
    sheet: Option<String>,
    /// Column names of the current table (duplicates numbered: `mobile`, `mobile2`).
    headers: Vec<Option<String>>,
    /// Columns of the current table by index.
    by_index: HashMap<u32, usize>,
    /// Key paths of a JSON file.
    by_path: HashMap<String, usize>,
    columns: Vec<Column>,
}

impl std::fmt::Debug for StructuredScan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StructuredScan")
            .field("sheet", &self.sheet)
            .field("columns", &self.columns.len())
            .finish_non_exhaustive()
    }
}

impl<'a> StructuredScan<'a> {
    /// A scanner of one file.
    pub(crate) fn new(engine: &'a Engine, ctx: &'a FileContext, out: &'a mut dyn FileEmit) -> Self {
        StructuredScan {
            engine,
            ctx,
            out,
            scratch: Scratch::default(),
            matches: Vec::new(),
            repaired: Vec::new(),
            sheet: None,
            headers: Vec::new(),
            by_index: HashMap::new(),
            by_path: HashMap::new(),
            columns: Vec::new(),
        }
    }

    /// Reports the column findings of the last table. Call once after the reader returns.
    pub(crate) fn finish(&mut self) {
        self.finish_table();
    }

    /// Writes the verdicts of the current table's columns and forgets them.
    fn finish_table(&mut self) {
        let config = self.engine.config();
        for column in self.columns.drain(..) {
            let Some(verdict) = column.classifier.verdict() else {
                continue;
            };
            if !config.types.contains(verdict.pi_type) || verdict.confidence < config.min_confidence
            {
                continue;
            }
            let name = match (&column.name, column.index) {
                (Some(name), _) => name.clone(),
                (None, Some(i)) => format!("#{}", u64::from(i) + 1),
                (None, None) => String::new(),
            };
            self.out.finding(Finding::Column(ColumnFinding {
                path: Some(self.ctx.path.clone()),
                source: None,
                table: None,
                sheet: self.sheet.clone(),
                column: name,
                index: column.index,
                pi_type: verdict.pi_type,
                category: verdict.pi_type.category(),
                sensitive: self.ctx.pack.is_sensitive(verdict.pi_type),
                sampled: verdict.sampled,
                matched: verdict.matched,
                confidence: verdict.confidence,
                evidence: verdict.evidence,
            }));
        }
        self.by_index.clear();
        self.by_path.clear();
    }

    /// Starts a new table when the sheet changes.
    fn switch_sheet(&mut self, sheet: Option<&str>) {
        if self.sheet.as_deref() != sheet {
            self.finish_table();
            self.sheet = sheet.map(str::to_owned);
            self.headers.clear();
        }
    }

    /// The column a cell belongs to (created on first sight), if it is classified.
    fn column_of(&mut self, field: Field<'_>) -> Option<usize> {
        match field {
            Field::Index(i) => {
                if let Some(&k) = self.by_index.get(&i) {
                    return Some(k);
                }
                let name = usize::try_from(i)
                    .ok()
                    .and_then(|i| self.headers.get(i).cloned())
                    .flatten();
                let classifier = ColumnClassifier::new(name.as_deref().unwrap_or(""));
                self.columns.push(Column {
                    classifier,
                    name,
                    index: Some(i),
                });
                let k = self.columns.len() - 1;
                self.by_index.insert(i, k);
                Some(k)
            }
            Field::Path(p) => {
                if let Some(&k) = self.by_path.get(p) {
                    return Some(k);
                }
                if self.by_path.len() >= MAX_KEY_PATHS {
                    return None;
                }
                self.columns.push(Column {
                    classifier: ColumnClassifier::new(p),
                    name: Some(p.to_owned()),
                    index: None,
                });
                let k = self.columns.len() - 1;
                self.by_path.insert(p.to_owned(), k);
                Some(k)
            }
        }
    }
}

impl CellSink for StructuredScan<'_> {
    fn header(&mut self, sheet: Option<&str>, names: &[String]) {
        self.switch_sheet(sheet);
        self.finish_table();
        self.headers = dedupe(names);
    }

    fn cell(&mut self, cell: &Cell<'_>) {
        if cell.sheet.is_some() {
            self.switch_sheet(cell.sheet);
        }
        let column = self.column_of(cell.field);
        let transient: FieldHint;
        let hint = match column.and_then(|k| self.columns.get(k)) {
            Some(c) => c.classifier.hint(),
            None => {
                transient = match cell.field {
                    Field::Path(p) => field_hint(p),
                    Field::Index(_) => FieldHint::default(),
                };
                &transient
            }
        };
        let value: &str = match std::str::from_utf8(cell.value) {
            Ok(v) => v,
            Err(_) => {
                self.repaired.clear();
                self.repaired.extend_from_slice(cell.value);
                crate::textscan::repair_in_place(&mut self.repaired);
                std::str::from_utf8(&self.repaired).unwrap_or_default()
            }
        };
        self.matches.clear();
        self.engine
            .scan_field(value, hint, &mut self.scratch, &mut self.matches);
        if let Some(c) = column.and_then(|k| self.columns.get_mut(k))
            && c.classifier.wants_more()
        {
            c.classifier.observe(value.len(), &self.matches);
        }
        if self.matches.is_empty() {
            return;
        }
        let field_name = match cell.field {
            Field::Path(p) => Some(p.to_owned()),
            Field::Index(_) => column
                .and_then(|k| self.columns.get(k))
                .and_then(|c| c.name.clone()),
        };
        let mut line = cell.line;
        let mut col = cell.column.saturating_sub(1);
        let mut cursor = 0usize;
        for m in &self.matches {
            let before = value.as_bytes().get(cursor..m.start).unwrap_or_default();
            advance_position(before, &mut line, &mut col);
            cursor = m.start.max(cursor);
            let (start, end) = if cell.origin.is_empty() {
                (None, None)
            } else {
                (
                    cell.origin.get(m.start).copied(),
                    cell.origin.get(m.end).copied(),
                )
            };
            let text = value.get(m.start..m.end).unwrap_or_default();
            let mut finding =
                self.ctx
                    .match_finding(m, text, line, col.saturating_add(1), start, end);
            finding.field = field_name.clone();
            finding.sheet = cell.sheet.map(str::to_owned);
            finding.cell = cell.cell_ref.map(str::to_owned);
            self.out.finding(Finding::Match(finding));
        }
    }

    fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String) {
        self.out.warning(reason, line, message);
    }
}

/// Moves a 1-based line and 0-based character column over `bytes` of a value.
fn advance_position(bytes: &[u8], line: &mut u64, col: &mut u64) {
    let chars = |b: &[u8]| b.iter().filter(|c| **c & 0xC0 != 0x80).count() as u64;
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            *line = line.saturating_add(memchr::memchr_iter(b'\n', bytes).count() as u64);
            *col = chars(bytes.get(last + 1..).unwrap_or_default());
        }
        None => *col = col.saturating_add(chars(bytes)),
    }
}

/// Header names with duplicates numbered (`mobile`, `mobile2`, `mobile3`) and blank names as
/// `None`.
fn dedupe(names: &[String]) -> Vec<Option<String>> {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    let mut taken: std::collections::HashSet<String> = names.iter().cloned().collect();
    for name in names {
        let trimmed = name.trim();
        if trimmed.is_empty() {
            out.push(None);
            continue;
        }
        let count = seen.entry(name.as_str()).or_insert(0);
        *count += 1;
        if *count == 1 {
            out.push(Some(name.clone()));
            continue;
        }
        let mut n = *count;
        let mut candidate = format!("{name}{n}");
        while taken.contains(&candidate) {
            n += 1;
            candidate = format!("{name}{n}");
        }
        taken.insert(candidate.clone());
        out.push(Some(candidate));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_headers_are_numbered() {
        let names: Vec<String> = ["mobile", "name", "mobile", "", "mobile"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            dedupe(&names),
            vec![
                Some("mobile".into()),
                Some("name".into()),
                Some("mobile2".into()),
                None,
                Some("mobile3".into())
            ]
        );
    }

    #[test]
    fn position_moves_over_value_lines() {
        let (mut line, mut col) = (3, 4);
        advance_position("ab".as_bytes(), &mut line, &mut col);
        assert_eq!((line, col), (3, 6));
        advance_position("x\n张y".as_bytes(), &mut line, &mut col);
        assert_eq!((line, col), (4, 2));
    }
}
