//! The engine: one pass over the bytes of a text, candidates verified by validators, confidence
//! adjusted by context words. See `docs/architecture.md`.

use xiezhi_model::PiType;

use crate::field::FieldHint;
use crate::typeset::TypeSet;

/// What the engine looks for.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Types to report. Default: all.
    pub types: TypeSet,
    /// Matches below this confidence are dropped. Default 0.5.
    pub min_confidence: f32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig { types: TypeSet::all(), min_confidence: 0.5 }
    }
}

/// One value found in a text. Offsets are byte offsets into the text given to [`Engine::scan`].
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// First byte of the value.
    pub start: usize,
    /// Byte just past the value.
    pub end: usize,
    /// The type found.
    pub pi_type: PiType,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// Why: validators that passed and context words seen (`checksum`, `context:身份证`).
    pub evidence: Vec<&'static str>,
}

/// Per-thread working memory, reused between calls to avoid allocation.
#[derive(Debug, Default)]
pub struct Scratch {
    _private: (),
}

/// The detection engine. Build once, share between threads (`Engine: Send + Sync`).
#[derive(Debug, Clone)]
pub struct Engine {
    config: EngineConfig,
}

impl Engine {
    /// Builds the engine.
    pub fn new(config: EngineConfig) -> Engine {
        Engine { config }
    }

    /// The configuration the engine was built with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Scans `text`, appending matches (sorted by start, non-overlapping) to `out`.
    pub fn scan(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Match>) {
        let _ = (text, scratch, out);
    }

    /// Scans one structured value (CSV cell, JSON string or number) whose field name gave `hint`:
    /// the field name acts as a context word for the whole value.
    pub fn scan_field(&self, value: &str, hint: &FieldHint, scratch: &mut Scratch, out: &mut Vec<Match>) {
        let _ = (value, hint, scratch, out);
    }
}
