//! The auditors' NDJSON export and its offline verification.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::chain::{AuditEvent, Millis};
use crate::keys::{Checkpoint, KeyError, VerifyingKey};
use crate::verify::{Payload, Verifier, VerifyReport};

/// A problem reading or writing an export file (not a tampering finding: those go in the
/// [`VerifyReport`]).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing failed.
    #[error("audit export: I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not valid export JSON.
    #[error("audit export line {line}: not a valid export record: {reason}")]
    Malformed {
        /// 1-based line number.
        line: u64,
        /// The JSON error.
        reason: String,
    },
    /// A key or checkpoint line comes after the first event line.
    #[error(
        "audit export line {line}: {what} line after the first event line; all key and \
         checkpoint lines must come before the events"
    )]
    OutOfOrder {
        /// 1-based line number.
        line: u64,
        /// `key` or `checkpoint`.
        what: &'static str,
    },
    /// A key line's public key is invalid or does not match its key id.
    #[error("audit export line {line}: {reason}")]
    BadKey {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
}

/// An event line of the export: the row, plus its payload if the export includes payloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportEvent {
    /// See [`AuditEvent::seq`].
    pub seq: i64,
    /// See [`AuditEvent::at`].
    pub at: Millis,
    /// See [`AuditEvent::kind`].
    pub kind: String,
    /// See [`AuditEvent::actor`].
    pub actor: String,
    /// See [`AuditEvent::subject_ref`].
    pub subject_ref: Option<String>,
    /// See [`AuditEvent::payload_digest`].
    pub payload_digest: Option<String>,
    /// See [`AuditEvent::prev_hash`].
    pub prev_hash: String,
    /// See [`AuditEvent::hash`].
    pub hash: String,
    /// The exact payload bytes (UTF-8 canonical JSON) as a string, when exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// True when the payload was erased.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub payload_erased: bool,
}

impl ExportEvent {
    /// An event line without payload.
    pub fn new(event: &AuditEvent) -> Self {
        Self {
            seq: event.seq,
            at: event.at,
            kind: event.kind.clone(),
            actor: event.actor.clone(),
            subject_ref: event.subject_ref.clone(),
            payload_digest: event.payload_digest.clone(),
            prev_hash: event.prev_hash.clone(),
            hash: event.hash.clone(),
            payload: None,
            payload_erased: false,
        }
    }

    /// The row.
    pub fn event(&self) -> AuditEvent {
        AuditEvent {
            seq: self.seq,
            at: self.at,
            kind: self.kind.clone(),
            actor: self.actor.clone(),
            subject_ref: self.subject_ref.clone(),
            payload_digest: self.payload_digest.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        }
    }
}

/// One line of the NDJSON export, tagged by `"type"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ExportLine {
    /// `{"type":"key","key_id":…,"public_key":…}`: a checkpoint-signing public key.
    Key {
        /// [`VerifyingKey::key_id`].
        key_id: String,
        /// 64 hex characters.
        public_key: String,
    },
    /// `{"type":"checkpoint","seq":…,"hash":…,"at":…,"key_id":…,"signature":…}`.
    Checkpoint(Checkpoint),
    /// `{"type":"event","seq":…,…,"hash":…}` (+ optional `payload` / `payload_erased`).
    Event(ExportEvent),
}

impl ExportLine {
    /// The key line for `key`.
    pub fn key(key: &VerifyingKey) -> Self {
        Self::Key {
            key_id: key.key_id(),
            public_key: key.to_hex(),
        }
    }

    /// Writes this record as one line (compact JSON + `\n`).
    ///
    /// # Errors
    /// [`ExportError::Io`] when writing fails.
    pub fn write_to(&self, writer: &mut impl Write) -> Result<(), ExportError> {
        serde_json::to_writer(&mut *writer, self).map_err(std::io::Error::from)?;
        writer.write_all(b"\n")?;
        Ok(())
    }
}

/// Verifies an export offline, trusting the public keys listed in it. Prefer
/// [`verify_export_pinned`] with keys obtained independently: whoever can rewrite the export
/// can also replace its key lines.
///
/// # Errors
/// [`ExportError`] when the file cannot be read or is not a well-formed export; tampering is
/// reported in the returned [`VerifyReport`].
pub fn verify_export(reader: impl BufRead) -> Result<VerifyReport, ExportError> {
    verify_lines(reader, None)
}

/// Verifies an export offline trusting only `keys` (the file's key lines are checked for
/// well-formedness and otherwise ignored).
///
/// # Errors
/// As [`verify_export`].
pub fn verify_export_pinned(
    reader: impl BufRead,
    keys: &[VerifyingKey],
) -> Result<VerifyReport, ExportError> {
    verify_lines(reader, Some(keys))
}

fn verify_lines(
    reader: impl BufRead,
    pinned: Option<&[VerifyingKey]>,
) -> Result<VerifyReport, ExportError> {
    let mut keys: Vec<VerifyingKey> = pinned.map(<[_]>::to_vec).unwrap_or_default();
    let mut checkpoints = Vec::new();
    let mut verifier: Option<Verifier> = None;
    for (index, line) in reader.lines().enumerate() {
        let line = line?;
        let number = index as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let record: ExportLine =
            serde_json::from_str(&line).map_err(|e| ExportError::Malformed {
                line: number,
                reason: e.to_string(),
            })?;
        match record {
            ExportLine::Key { key_id, public_key } => {
                if verifier.is_some() {
                    return Err(ExportError::OutOfOrder {
                        line: number,
                        what: "key",
                    });
                }
                let key = VerifyingKey::from_hex(&public_key).map_err(|e: KeyError| {
                    ExportError::BadKey {
                        line: number,
                        reason: e.to_string(),
                    }
                })?;
                if key.key_id() != key_id {
                    return Err(ExportError::BadKey {
                        line: number,
                        reason: format!(
                            "key_id {key_id} does not match the public key (its id is {})",
                            key.key_id()
                        ),
                    });
                }
                if pinned.is_none() {
                    keys.push(key);
                }
            }
            ExportLine::Checkpoint(cp) => {
                if verifier.is_some() {
                    return Err(ExportError::OutOfOrder {
                        line: number,
                        what: "checkpoint",
                    });
                }
                checkpoints.push(cp);
            }
            ExportLine::Event(line_event) => {
                let v = verifier.get_or_insert_with(|| {
                    Verifier::new(std::mem::take(&mut keys), std::mem::take(&mut checkpoints))
                });
                let event = line_event.event();
                let payload = match (&line_event.payload, line_event.payload_erased) {
                    (Some(body), _) => Payload::Body(body.as_bytes()),
                    (None, true) => Payload::Erased,
                    (None, false) => Payload::NotChecked,
                };
                v.push(&event, payload);
            }
        }
    }
    let verifier = verifier.unwrap_or_else(|| Verifier::new(keys, checkpoints));
    Ok(verifier.finish())
}
