//! Totals of one scan, for the terminal table and the last record of every output format.

use std::collections::BTreeMap;

use serde::Serialize;
use xiezhi_model::{PiType, SensitivityPack, WarningReason};

/// Counts for one PI type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeTotals {
    /// Values found (match findings plus values folded into column findings).
    pub values: u64,
    /// Column findings.
    pub columns: u64,
    /// Files with at least one value or column of this type.
    pub files: u64,
    /// Sensitive under the scan's pack.
    pub sensitive: bool,
}

/// Counts for one file that had findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileTotals {
    /// Path as reported in findings.
    pub path: String,
    /// Values found.
    pub values: u64,
    /// Columns classified.
    pub columns: u64,
    /// Sensitive values and columns.
    pub sensitive: u64,
    /// Types seen, sorted.
    pub types: Vec<PiType>,
}

/// Totals of a whole scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files read (including those with warnings).
    pub files_scanned: u64,
    /// Files with at least one finding.
    pub files_with_findings: u64,
    /// Binary files skipped.
    pub files_binary: u64,
    /// Zero-byte files.
    pub files_empty: u64,
    /// Files that could not be opened or read.
    pub files_unreadable: u64,
    /// Bytes read from files.
    pub bytes_scanned: u64,
    /// Match findings reported.
    pub match_findings: u64,
    /// Column findings reported.
    pub column_findings: u64,
    /// Values folded into column findings (not reported one by one).
    pub values_in_columns: u64,
    /// Findings that are sensitive PI.
    pub sensitive_findings: u64,
    /// Per type, keyed by type id.
    pub by_type: BTreeMap<PiType, TypeTotals>,
    /// Files with findings, most values first (the terminal table shows the top few).
    pub files: Vec<FileTotals>,
    /// Warnings per reason.
    pub warnings: BTreeMap<String, u64>,
    /// Wall-clock seconds.
    pub elapsed_secs: f64,
    /// Threads used.
    pub threads: usize,
    /// Sensitivity pack used.
    pub pack: String,
}

impl Summary {
    /// An empty summary for a scan with this pack.
    pub fn new(pack: SensitivityPack, threads: usize) -> Self {
        Summary {
            pack: pack.id().to_owned(),
            threads,
            ..Summary::default()
        }
    }

    /// Counts a warning.
    pub fn count_warning(&mut self, reason: WarningReason) {
        *self.warnings.entry(reason.id().to_owned()).or_insert(0) += 1;
    }

    /// Throughput in MB/s (10^6 bytes).
    pub fn megabytes_per_second(&self) -> f64 {
        if self.elapsed_secs > 0.0 {
            self.bytes_scanned as f64 / 1e6 / self.elapsed_secs
        } else {
            0.0
        }
    }
}
