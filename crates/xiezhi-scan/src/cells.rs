//! What the structured readers (CSV/TSV, JSON/NDJSON, XLSX) hand to the scanner: one cell at a
//! time, already decoded to UTF-8, with the way back to the original file's byte offsets.

use xiezhi_model::WarningReason;

/// Which column a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field<'a> {
    /// 0-based column index (CSV/TSV, spreadsheets). The name comes from [`CellSink::header`].
    Index(u32),
    /// JSON key path with array indices folded: `users[].idcard`, `[].phone`, `order.receiver.name`.
    Path(&'a str),
}

/// One scalar value of a structured file.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// Which column or key path.
    pub field: Field<'a>,
    /// 0-based record (data row, NDJSON line, top-level array element); the header is not a record.
    pub record: u64,
    /// 1-based line of the original file where the value starts (for spreadsheets: the row).
    pub line: u64,
    /// 1-based column in characters where the value starts (for spreadsheets: the column).
    pub column: u64,
    /// The value as UTF-8 text: quotes removed, escapes resolved, decoded from the file's encoding.
    pub value: &'a [u8],
    /// Original file offset of every byte of `value`, plus one more entry for the end offset, so
    /// `origin.len() == value.len() + 1`. Empty when the format has no byte offsets (spreadsheets).
    pub origin: &'a [u64],
    /// Sheet name (spreadsheets only).
    pub sheet: Option<&'a str>,
    /// Cell reference such as `C5` (spreadsheets only).
    pub cell_ref: Option<&'a str>,
}

/// Receives what a structured reader finds.
pub trait CellSink {
    /// Column names, once per table (per sheet for spreadsheets) before its first data cell.
    /// Not called for headerless CSV files or for JSON.
    fn header(&mut self, sheet: Option<&str>, names: &[String]);
    /// One non-empty value.
    fn cell(&mut self, cell: &Cell<'_>);
    /// Something could not be read; the reader goes on where it can. `message` never contains
    /// file content.
    fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String);
}
