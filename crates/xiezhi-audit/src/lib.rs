//! The audit chain (DESIGN.md 3.5): every state change of the runtime service becomes an
//! event whose hash commits to the previous one, so an edited, deleted, inserted or reordered
//! row breaks the chain at that row.
//!
//! - [`seal`] an [`EventDraft`] into an [`AuditEvent`]: `hash = hex SHA-256(prev_hash ‖
//!   canonical bytes)`, the canonical bytes being `xiezhi-audit-v1\n` + compact JSON with a
//!   fixed key order ([`canonical_bytes`]).
//! - Subjects appear only as [`subject_ref`] (HMAC-SHA256 with a per-chain secret); PI-bearing
//!   payloads are stored apart and committed by [`payload_digest`], so erasing a person's data
//!   never breaks verification.
//! - [`SigningKey::sign_checkpoint`] signs "event N has hash H" with ed25519; a checkpoint
//!   catches a rewrite that re-hashed every later row, and a deleted tail.
//! - [`Verifier`] streams rows in order and names the first bad one ([`BadEvent`],
//!   [`Problem`], messages in English and Simplified Chinese); [`verify_export`] does the same
//!   offline on the NDJSON export ([`ExportLine`]).
//!
//! Pure: no database, no clock; IO only for key files and the readers/writers passed in. The
//! format is specified in docs/audit.md.

mod chain;
mod export;
mod keys;
mod verify;

pub use chain::{
    AuditEvent, EVENT_PREFIX, EventDraft, GENESIS_HASH, Millis, PAYLOAD_DIGEST_PREFIX,
    SUBJECT_REF_PREFIX, canonical_bytes, event_hash, generate_chain_secret, payload_digest, seal,
    subject_ref,
};
pub use export::{ExportError, ExportEvent, ExportLine, verify_export, verify_export_pinned};
pub use keys::{Checkpoint, KeyError, SigningKey, VerifyingKey, checkpoint_message};
pub use verify::{BadEvent, Lang, Payload, Problem, Verifier, VerifyReport};
