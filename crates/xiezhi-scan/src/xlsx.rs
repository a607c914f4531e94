//! XLSX/XLSM reader on top of calamine's streaming cell reader: every non-empty cell of every
//! worksheet goes to a [`CellSink`] with its sheet, row, column and reference (`C5`).
//!
//! Values are text as a person would read them: strings as stored; integers, and floats that
//! are integral and below 1e17, without a fraction or exponent (Excel keeps phone and ID numbers
//! typed as numbers as floats: `13812345678`, never `1.3812345678E10`); other floats in shortest
//! round-trip form; dates as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`. Booleans and error values
//! (`#N/A`) are not cells.
//!
//! Per sheet, the first non-empty row is a header when [`is_header_row`] says so, compared with
//! the next non-empty row; only those two rows are held back (up to 1 MiB). calamine keeps the
//! workbook's shared-string table in memory; cell data is streamed.

use std::borrow::Cow;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, XlsxError, open_workbook};
use xiezhi_model::WarningReason;

use crate::cells::{Cell, CellSink, Field};
use crate::csv::is_header_row;
use crate::decode::ReadError;

/// How to read a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxOptions {
    /// Most non-empty cells read from one workbook; the rest is skipped with a `TooLarge`
    /// warning.
    pub max_cells: u64,
}

impl Default for XlsxOptions {
    fn default() -> Self {
        XlsxOptions {
            max_cells: 50_000_000,
        }
    }
}

/// What [`read_xlsx`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct XlsxStats {
    /// Worksheets read (completely or partly).
    pub sheets: u64,
    /// Non-empty cells read, header cells included.
    pub cells: u64,
    /// Data rows delivered, over all sheets.
    pub records: u64,
    /// Reading stopped at [`XlsxOptions::max_cells`].
    pub truncated: bool,
}

/// Bytes of the first two rows of a sheet held back while deciding about the header.
const HEADER_BUFFER_LIMIT: usize = 1 << 20;

/// Reads every worksheet of an `.xlsx`/`.xlsm` workbook.
///
/// A workbook that cannot be opened (not a zip, truncated, encrypted with a password, missing
/// parts) is a [`ReadError`] whose message says what to do (its [`ReadError::reason`] is
/// `MalformedSpreadsheet`); a sheet that breaks while being read gives a `MalformedSpreadsheet`
/// warning and the other sheets are still read.
pub fn read_xlsx(
    path: &Path,
    options: &XlsxOptions,
    sink: &mut dyn CellSink,
) -> Result<XlsxStats, ReadError> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        sink.warning(WarningReason::Empty, None, "the file is empty".to_owned());
        return Ok(XlsxStats::default());
    }
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(open_error)?;
    let mut stats = XlsxStats::default();
    let names = workbook.sheet_names();
    for (index, name) in names.iter().enumerate() {
        let number = index + 1;
        let mut reader = match workbook.worksheet_cells_reader(name) {
            Ok(reader) => reader,
            // Chart sheets and dialog sheets hold no cells.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => {
                sink.warning(
                    WarningReason::MalformedSpreadsheet,
                    None,
                    format!(
                        "sheet {number} of the workbook could not be opened ({}); it was skipped",
                        error_kind(&e)
                    ),
                );
                continue;
            }
        };
        stats.sheets += 1;
        let mut table = SheetTable::new(name);
        loop {
            if stats.cells >= options.max_cells {
                stats.truncated = true;
                break;
            }
            match reader.next_cell() {
                Ok(Some(cell)) => {
                    let (row, col) = cell.get_position();
                    let Some(text) = cell_text(cell.get_value()) else {
                        continue;
                    };
                    if text.is_empty() {
                        continue;
                    }
                    stats.cells += 1;
                    table.push(row, col, text, sink);
                }
                Ok(None) => break,
                Err(e) => {
                    sink.warning(
                        WarningReason::MalformedSpreadsheet,
                        None,
                        format!(
                            "sheet {number} of the workbook could not be read completely ({}); the cells before the error were scanned",
                            error_kind(&e)
                        ),
                    );
                    break;
                }
            }
        }
        table.finish(sink);
        stats.records += table.records;
        if stats.truncated {
            sink.warning(
                WarningReason::TooLarge,
                None,
                format!(
                    "the workbook has more than {} non-empty cells; the rest (from sheet {number} on) was not scanned",
                    options.max_cells
                ),
            );
            break;
        }
    }
    Ok(stats)
}

fn open_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Io(source) => ReadError::Io { offset: 0, source },
        XlsxError::Password => ReadError::Spreadsheet {
            reason: "the workbook is encrypted with a password; save an unprotected copy to scan it",
        },
        XlsxError::Zip(_) => ReadError::Spreadsheet {
            reason: "the file is not a valid xlsx workbook (its zip container is corrupt or truncated); re-save it from a spreadsheet program or scan it as text",
        },
        _ => ReadError::Spreadsheet {
            reason: "the workbook's internal XML parts are missing or invalid; re-save it from a spreadsheet program",
        },
    }
}

/// A short description of a calamine error that never includes file content.
fn error_kind(e: &XlsxError) -> &'static str {
    match e {
        XlsxError::Io(_) => "I/O error",
        XlsxError::Zip(_) => "corrupt zip entry",
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => "invalid XML",
        XlsxError::Password => "encrypted",
        XlsxError::FileNotFound(_) | XlsxError::WorksheetNotFound(_) => "missing part",
        XlsxError::Encoding(_) => "invalid text encoding",
        _ => "invalid cell data",
    }
}

/// The text of a cell as a person would read it; `None` for cells that are not values.
fn cell_text<'a>(value: &'a DataRef<'_>) -> Option<Cow<'a, str>> {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Some(Cow::Borrowed(s.as_str()))
        }
        DataRef::SharedString(s) => Some(Cow::Borrowed(*s)),
        DataRef::Int(i) => Some(Cow::Owned(i.to_string())),
        DataRef::Float(f) => Some(Cow::Owned(format_number(*f))),
        DataRef::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                Some(Cow::Owned(if (h, mi, s, ms) == (0, 0, 0, 0) {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }))
            } else {
                Some(Cow::Owned(format_number(dt.as_f64())))
            }
        }
        DataRef::Bool(_) | DataRef::Error(_) | DataRef::Empty => None,
    }
}

/// Integral values below 1e17 as integers (phone and ID numbers stored as numbers), others in
/// shortest round-trip decimal form without exponent.
pub(crate) fn format_number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e17 {
        // Exact: integral and within i64 range.
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One sheet's cells on their way to the sink, holding back its first two rows until the
/// header question is settled.
#[derive(Debug)]
struct SheetTable<'n> {
    name: &'n str,
    /// Rows held while undecided: (row, cells as (column, text)).
    held: Vec<(u32, Vec<(u32, String)>)>,
    held_bytes: usize,
    /// `Some(header row)` / `Some(None)` once decided.
    decided: Option<Option<u32>>,
    /// Row of the last delivered data cell, and data rows delivered so far.
    last_row: Option<u32>,
    records: u64,
}

impl<'n> SheetTable<'n> {
    fn new(name: &'n str) -> Self {
        SheetTable {
            name,
            held: Vec::new(),
            held_bytes: 0,
            decided: None,
            last_row: None,
            records: 0,
        }
    }

    fn push(&mut self, row: u32, col: u32, text: Cow<'_, str>, sink: &mut dyn CellSink) {
        if self.decided.is_none() {
            let new_row = self.held.last().is_none_or(|(r, _)| *r != row);
            if new_row && self.held.len() == 2 {
                self.decide(sink);
            } else {
                if new_row {
                    self.held.push((row, Vec::new()));
                }
                self.held_bytes = self.held_bytes.saturating_add(text.len());
                if let Some((_, cells)) = self.held.last_mut() {
                    cells.push((col, text.into_owned()));
                }
                if self.held_bytes > HEADER_BUFFER_LIMIT {
                    self.decide(sink);
                }
                return;
            }
        }
        self.deliver(row, col, &text, sink);
    }

    fn finish(&mut self, sink: &mut dyn CellSink) {
        if self.decided.is_none() {
            self.decide(sink);
        }
    }

    fn decide(&mut self, sink: &mut dyn CellSink) {
        let held = std::mem::take(&mut self.held);
        let header_row = match held.first() {
            Some((row, first)) => {
                let min = first.iter().map(|c| c.0).min().unwrap_or(0);
                let max = first.iter().map(|c| c.0).max().unwrap_or(0);
                let dense = |cells: &[(u32, String)]| -> Vec<Vec<u8>> {
                    (min..=max)
                        .map(|col| {
                            cells
                                .iter()
                                .find(|c| c.0 == col)
                                .map(|c| c.1.as_bytes().to_vec())
                                .unwrap_or_default()
                        })
                        .collect()
                };
                let first_values = dense(first);
                let second_values = held.get(1).map(|(_, cells)| dense(cells));
                let first_refs: Vec<&[u8]> = first_values.iter().map(Vec::as_slice).collect();
                let second_refs: Option<Vec<&[u8]>> = second_values
                    .as_ref()
                    .map(|v| v.iter().map(Vec::as_slice).collect());
                is_header_row(&first_refs, second_refs.as_deref()).then_some(*row)
            }
            None => None,
        };
        self.decided = Some(header_row);
        for (row, cells) in &held {
            if Some(*row) == header_row {
                let len = cells.iter().map(|c| c.0 as usize + 1).max().unwrap_or(0);
                let mut names = vec![String::new(); len];
                for (col, text) in cells {
                    if let Some(slot) = names.get_mut(*col as usize) {
                        *slot = text.trim().to_owned();
                    }
                }
                sink.header(Some(self.name), &names);
                continue;
            }
            for (col, text) in cells {
                self.deliver(*row, *col, text, sink);
            }
        }
    }

    fn deliver(&mut self, row: u32, col: u32, text: &str, sink: &mut dyn CellSink) {
        if self.last_row != Some(row) {
            self.last_row = Some(row);
            self.records += 1;
        }
        let cell_ref = format!("{}{}", column_letters(col), u64::from(row) + 1);
        sink.cell(&Cell {
            field: Field::Index(col),
            record: self.records.saturating_sub(1),
            line: u64::from(row) + 1,
            column: u64::from(col) + 1,
            value: text.as_bytes(),
            origin: &[],
            sheet: Some(self.name),
            cell_ref: Some(&cell_ref),
        });
    }
}

#[cfg(test)]
#[path = "../tests/support/zip.rs"]
mod test_zip;

#[cfg(test)]
mod tests {
    use super::test_zip::stored_zip;
    use super::*;
    use crate::decode::testing::Recorder;

    fn sheet_xml(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        )
    }

    fn workbook() -> Vec<u8> {
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let files = vec![
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"#.to_string(),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>
<sheet name="客户" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/>
</sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId4" Type="{rel}/styles" Target="styles.xml"/>
</Relationships>"#
                ),
            ),
            (
                "xl/sharedStrings.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{ns}" count="4" uniqueCount="4"><si><t>姓名</t></si><si><t>手机号</t></si><si><t>张三</t></si><si><t>出生日期</t></si></sst>"#
                ),
            ),
            (
                "xl/styles.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{ns}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                sheet_xml(concat!(
                    r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c></row>"#,
                    r#"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>13812345678</v></c><c r="C2" s="1"><v>32874</v></c></row>"#,
                    r#"<row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="B3"><v>1.3912345678E10</v></c><c r="C3"><v>2.5</v></c></row>"#,
                )),
            ),
            (
                "xl/worksheets/sheet2.xml",
                sheet_xml(concat!(
                    r#"<row r="2"><c r="B2" t="inlineStr"><is><t>110101199001010000</t></is></c><c r="AB2"><v>42</v></c><c r="C2" t="b"><v>1</v></c></row>"#,
                    r#"<row r="5"><c r="B5" t="inlineStr"><is><t>x</t></is></c></row>"#,
                )),
            ),
        ];
        stored_zip(&files)
    }

    fn write_temp(bytes: &[u8]) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
        file.write_all(bytes).unwrap();
        file.flush().unwrap();
        file
    }

    #[test]
    fn reads_two_sheets() {
        let file = write_temp(&workbook());
        let mut sink = Recorder::default();
        let stats = read_xlsx(file.path(), &XlsxOptions::default(), &mut sink).unwrap();
        assert_eq!(
            sink.headers,
            vec![(
                Some("客户".to_owned()),
                vec!["姓名".to_owned(), "手机号".into(), "出生日期".into()]
            )]
        );
        let got: Vec<(String, String, u64, u64, u64, String)> = sink
            .cells
            .iter()
            .map(|c| {
                (
                    c.sheet.clone().unwrap(),
                    c.cell_ref.clone().unwrap(),
                    c.record,
                    c.line,
                    c.column,
                    c.value.clone(),
                )
            })
            .collect();
        let want = vec![
            ("客户", "A2", 0, 2, 1, "张三"),
            ("客户", "B2", 0, 2, 2, "13812345678"),
            ("客户", "C2", 0, 2, 3, "1990-01-01"),
            ("客户", "A3", 1, 3, 1, "李四"),
            ("客户", "B3", 1, 3, 2, "13912345678"),
            ("客户", "C3", 1, 3, 3, "2.5"),
            ("Other", "B2", 0, 2, 2, "110101199001010000"),
            ("Other", "AB2", 0, 2, 28, "42"),
            ("Other", "B5", 1, 5, 2, "x"),
        ];
        let want: Vec<(String, String, u64, u64, u64, String)> = want
            .into_iter()
            .map(|(s, r, rec, l, c, v)| (s.to_owned(), r.to_owned(), rec, l, c, v.to_owned()))
            .collect();
        assert_eq!(got, want);
        assert!(sink.cells.iter().all(|c| c.origin.is_empty()));
        assert_eq!(sink.cells[7].index, Some(27));
        assert_eq!(stats.sheets, 2);
        assert_eq!(stats.cells, 12);
        assert_eq!(stats.records, 4);
        assert!(!stats.truncated);
        assert!(sink.warnings.is_empty());
    }

    #[test]
    fn max_cells_truncates() {
        let file = write_temp(&workbook());
        let mut sink = Recorder::default();
        let stats = read_xlsx(file.path(), &XlsxOptions { max_cells: 4 }, &mut sink).unwrap();
        assert!(stats.truncated);
        assert_eq!(stats.cells, 4);
        assert_eq!(sink.reasons(), vec![WarningReason::TooLarge]);
        assert_eq!(sink.values(), vec!["张三"]);
    }

    #[test]
    fn corrupt_files_are_errors() {
        let bytes = workbook();
        for bad in [&bytes[..bytes.len() / 2], b"not a zip at all".as_slice()] {
            let file = write_temp(bad);
            let mut sink = Recorder::default();
            let err = read_xlsx(file.path(), &XlsxOptions::default(), &mut sink).unwrap_err();
            assert_eq!(err.reason(), WarningReason::MalformedSpreadsheet, "{err}");
            assert!(err.to_string().contains("re-save"), "{err}");
        }
        let mut sink = Recorder::default();
        let err = read_xlsx(
            Path::new("/nonexistent/x.xlsx"),
            &XlsxOptions::default(),
            &mut sink,
        )
        .unwrap_err();
        assert_eq!(err.reason(), WarningReason::Unreadable);
    }

    #[test]
    fn numbers_and_columns() {
        assert_eq!(format_number(13812345678.0), "13812345678");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(f64::NAN), "NaN");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
    }
}
