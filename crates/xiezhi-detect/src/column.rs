//! Column classification for structured data (CSV/TSV/XLSX columns, JSON key paths, database
//! columns): the field name's hint combined with the share of sampled values that validate.

use xiezhi_model::PiType;

use crate::engine::Match;
use crate::field::{FieldHint, field_hint};

/// Values sampled per column before the verdict is fixed.
pub const SAMPLE_LIMIT: u64 = 1000;

/// A column judged to hold one PI type.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnVerdict {
    /// The type.
    pub pi_type: PiType,
    /// Non-empty values sampled.
    pub sampled: u64,
    /// Sampled values whose whole value matched the type.
    pub matched: u64,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// `values:0.996`, `name:pinyin sfzh`.
    pub evidence: Vec<String>,
}

/// Accumulates evidence for one column.
#[derive(Debug, Clone)]
pub struct ColumnClassifier {
    hint: FieldHint,
    sampled: u64,
}

impl ColumnClassifier {
    /// Starts a column with header or key path `name`.
    pub fn new(name: &str) -> Self {
        ColumnClassifier { hint: field_hint(name), sampled: 0 }
    }

    /// The hint computed from the name (pass it to [`crate::Engine::scan_field`]).
    pub fn hint(&self) -> &FieldHint {
        &self.hint
    }

    /// True while more values should be sampled.
    pub fn wants_more(&self) -> bool {
        self.sampled < SAMPLE_LIMIT
    }

    /// Records one non-empty value of `value_len` bytes and the matches the engine found in it.
    pub fn observe(&mut self, value_len: usize, matches: &[Match]) {
        let _ = (value_len, matches);
        self.sampled += 1;
    }

    /// The verdict, if the column holds one PI type.
    pub fn verdict(&self) -> Option<ColumnVerdict> {
        None
    }
}
