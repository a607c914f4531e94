//! The auditors' export: NDJSON, verifiable offline without the database.
//!
//! Lines, in this order: `{"type":"key","key_id":…,"public_key":…}` for every checkpoint key,
//! `{"type":"checkpoint",…}` for every checkpoint, `{"type":"head","seq":…}` (the head the
//! store recorded), then `{"type":"event",…}` for every event in sequence order. Payloads (PI)
//! are never exported; events carry only their digests.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::chain::AuditEvent;
use crate::keys::{Checkpoint, KeyError, VerifyingKey};
use crate::verify::{Verifier, VerifyReport};

/// One line of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportLine {
    /// A checkpoint public key.
    Key {
        /// Key id.
        key_id: String,
        /// Hex public key.
        public_key: String,
    },
    /// A signed checkpoint.
    Checkpoint(Checkpoint),
    /// The head sequence number the store recorded.
    Head {
        /// Sequence number.
        seq: i64,
    },
    /// An event.
    Event(AuditEvent),
}

impl ExportLine {
    /// The line as compact JSON (no newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The key line of `key`.
    pub fn key(key: &VerifyingKey) -> Self {
        Self::Key {
            key_id: key.key_id(),
            public_key: key.to_hex(),
        }
    }
}

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading failed.
    #[error("line {line}: {source}")]
    Io {
        /// 1-based line.
        line: u64,
        /// Cause.
        source: std::io::Error,
    },
    /// A line is not an export line.
    #[error("line {line}: not an audit export line ({message})")]
    Parse {
        /// 1-based line.
        line: u64,
        /// What serde said.
        message: String,
    },
    /// Keys, checkpoints or the head appear after the first event.
    #[error("line {line}: keys, checkpoints and the head must come before the events")]
    Order {
        /// 1-based line.
        line: u64,
    },
    /// A key line is not a valid public key.
    #[error("line {line}: {source}")]
    Key {
        /// 1-based line.
        line: u64,
        /// Cause.
        source: KeyError,
    },
}

/// Verifies an export. With `trusted` empty, the keys listed in the export are trusted (then
/// verification proves integrity since the checkpoints, not who signed them: pin the service's
/// public key with `trusted` for that).
pub fn verify_export<R: BufRead>(
    reader: R,
    trusted: &[VerifyingKey],
) -> Result<VerifyReport, ExportError> {
    let mut keys: Vec<VerifyingKey> = Vec::new();
    let mut checkpoints = Vec::new();
    let mut head = None;
    let mut verifier: Option<Verifier> = None;
    for (i, line) in reader.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|source| ExportError::Io { line: n, source })?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: ExportLine = serde_json::from_str(&line).map_err(|e| ExportError::Parse {
            line: n,
            message: e.to_string(),
        })?;
        match parsed {
            ExportLine::Event(e) => {
                let v = verifier.get_or_insert_with(|| {
                    let ks = if trusted.is_empty() {
                        keys.clone()
                    } else {
                        trusted.to_vec()
                    };
                    Verifier::new(ks, std::mem::take(&mut checkpoints))
                });
                v.push_event(&e);
            }
            _ if verifier.is_some() => return Err(ExportError::Order { line: n }),
            ExportLine::Key { public_key, .. } => keys.push(
                VerifyingKey::from_hex(&public_key)
                    .map_err(|source| ExportError::Key { line: n, source })?,
            ),
            ExportLine::Checkpoint(cp) => checkpoints.push(cp),
            ExportLine::Head { seq } => head = Some(seq),
        }
    }
    let v = match verifier {
        Some(v) => v,
        None => Verifier::new(
            if trusted.is_empty() {
                keys
            } else {
                trusted.to_vec()
            },
            checkpoints,
        ),
    };
    Ok(v.finish(head))
}
