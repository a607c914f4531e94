//! The findings contract (DESIGN.md 3.2): what `xiezhi scan --format json|ndjson` writes and what
//! later stages (data map suggestions, reports) read. Raw values never appear here unless the user
//! asked for them with `--show-values`.

use serde::{Deserialize, Serialize};

use crate::category::PiCategory;
use crate::pi::PiType;

/// One value found in a file (or a cell of a structured file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchFinding {
    /// Path as given on the command line, joined with the walked relative path.
    pub path: String,
    /// 1-based line of the value's first byte (for spreadsheets: the row).
    pub line: u64,
    /// 1-based column in characters of the value's first character (for spreadsheets: the column).
    pub column: u64,
    /// Byte offset of the value in the original file (not the decoded text). Absent for
    /// spreadsheets, whose cells have no byte offsets (see `sheet` and `cell`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    /// Byte offset just past the value in the original file. Absent for spreadsheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
    /// The PI type id.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// The GB/T 35273 category of the type.
    pub category: PiCategory,
    /// Sensitive PI under the selected pack.
    pub sensitive: bool,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// The detector (rule) that produced it.
    pub rule: String,
    /// The value with most characters masked.
    pub masked: String,
    /// Why: validators that passed, context words seen (`checksum`, `context:身份证`).
    pub evidence: Vec<String>,
    /// The raw value: present only with `--show-values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Column header or JSON key path of the cell the value was found in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Spreadsheet sheet name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Spreadsheet cell reference (`C5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Detected text encoding when it is not UTF-8 (`GB18030`, `UTF-16LE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A column (CSV/TSV/XLSX header or JSON key path) classified as holding one PI type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnFinding {
    /// File path (absent for database columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Database source, DSN without password (absent for files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Database table (absent for files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Spreadsheet sheet name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Column header, or JSON key path such as `users[].idcard`.
    pub column: String,
    /// 0-based column index (absent for JSON key paths).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// The PI type the column holds.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// The GB/T 35273 category of the type.
    pub category: PiCategory,
    /// Sensitive PI under the selected pack.
    pub sensitive: bool,
    /// Non-empty values sampled.
    pub sampled: u64,
    /// Sampled values that validated as this type.
    pub matched: u64,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// `values:0.996`, `name:pinyin sfzh`.
    pub evidence: Vec<String>,
}

/// A file or record that could not be read completely. The scan goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file concerned.
    pub path: String,
    /// 1-based line, where it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Machine-readable reason (`unreadable`, `binary`, `malformed_csv`, `decode_errors`...).
    pub reason: WarningReason,
    /// What happened and what to do, in English (no values).
    pub message: String,
}

/// Why a file or part of it was skipped or only partly read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningReason {
    /// Permission denied, vanished, I/O error.
    Unreadable,
    /// Looks like a binary file; skipped.
    Binary,
    /// Zero bytes long.
    Empty,
    /// Bytes that are invalid in the detected encoding were replaced.
    DecodeErrors,
    /// A CSV/TSV row with a different number of fields, or an unterminated quote.
    MalformedCsv,
    /// JSON that does not parse; the rest of the line or file was scanned as text.
    MalformedJson,
    /// A spreadsheet that could not be opened.
    MalformedSpreadsheet,
    /// A line longer than the reader's limit; it was scanned in pieces.
    HugeLine,
    /// File larger than a format-specific limit; scanned as text or skipped.
    TooLarge,
}

impl WarningReason {
    /// The stable snake_case id.
    pub const fn id(self) -> &'static str {
        match self {
            WarningReason::Unreadable => "unreadable",
            WarningReason::Binary => "binary",
            WarningReason::Empty => "empty",
            WarningReason::DecodeErrors => "decode_errors",
            WarningReason::MalformedCsv => "malformed_csv",
            WarningReason::MalformedJson => "malformed_json",
            WarningReason::MalformedSpreadsheet => "malformed_spreadsheet",
            WarningReason::HugeLine => "huge_line",
            WarningReason::TooLarge => "too_large",
        }
    }
}

/// Any record of the NDJSON stream, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A value.
    Match(MatchFinding),
    /// A classified column.
    Column(ColumnFinding),
}

impl Finding {
    /// The PI type of the finding.
    pub fn pi_type(&self) -> PiType {
        match self {
            Finding::Match(m) => m.pi_type,
            Finding::Column(c) => c.pi_type,
        }
    }

    /// Whether it is sensitive PI under the pack used for the scan.
    pub fn sensitive(&self) -> bool {
        match self {
            Finding::Match(m) => m.sensitive,
            Finding::Column(c) => c.sensitive,
        }
    }

    /// Its confidence.
    pub fn confidence(&self) -> f32 {
        match self {
            Finding::Match(m) => m.confidence,
            Finding::Column(c) => c.confidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_serialises_as_design_3_2() {
        let f = Finding::Match(MatchFinding {
            path: "logs/a.log".into(),
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
            value: None,
            field: None,
            sheet: None,
            cell: None,
            encoding: None,
        });
        let s = serde_json::to_string(&f).unwrap_or_default();
        assert_eq!(
            s,
            r#"{"kind":"match","path":"logs/a.log","line":3,"column":17,"start":1234,"end":1252,"type":"cn_resident_id","category":"identity_document","sensitive":true,"confidence":0.98,"rule":"cn_resident_id","masked":"1101**********123X","evidence":["checksum","context:身份证"]}"#
        );
        let back: Finding = serde_json::from_str(&s).unwrap_or_else(|_| f.clone());
        assert_eq!(back, f);
    }

    #[test]
    fn column_serialises_as_design_3_2() {
        let f = Finding::Column(ColumnFinding {
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
        });
        let s = serde_json::to_string(&f).unwrap_or_default();
        assert!(s.starts_with(r#"{"kind":"column","path":"export/users.csv","column":"sfzh","index":3,"type":"cn_resident_id""#), "{s}");
    }
}
