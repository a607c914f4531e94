//! Runtime evidence the CLI reads from the service store. Every part is optional: a report
//! whose part is absent says so and names what to run. Only counts, digests and dates: never
//! a person's data.

use serde::{Deserialize, Serialize};

/// Runtime evidence from the service store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Rights requests of the period, per kind and state.
    pub rights: Option<RightsEvidence>,
    /// Consent records per rules version and status.
    pub consent: Option<ConsentEvidence>,
    /// The audit chain: head, events in the period, checkpoints, verification.
    pub audit: Option<AuditEvidence>,
    /// Published versions of the processing rules.
    #[serde(default)]
    pub rules_versions: Vec<RulesVersionEvidence>,
    /// Where the evidence came from, e.g. `sqlite://xiezhi.db at 2026-11-29T10:00Z` (no
    /// secrets).
    #[serde(default)]
    pub source: String,
}

/// Rights requests received in the period (store `rights_stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RightsEvidence {
    /// First day of the period covered (`YYYY-MM-DD`).
    pub from: String,
    /// Last day of the period covered (`YYYY-MM-DD`).
    pub to: String,
    /// One row per kind and state.
    pub rows: Vec<RightsRow>,
}

/// Requests of one kind in one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RightsRow {
    /// Kind: `access`, `copy`, `correct`, `supplement`, `delete`, `restrict`, `transfer`,
    /// `cancel_account`, `withdraw_consent`, `explain_rules`, `deceased_relative`.
    pub kind: String,
    /// State: `received`, `identity_verified`, `in_progress`, `completed`,
    /// `partly_completed`, `refused`.
    pub state: String,
    /// Requests.
    pub count: u64,
    /// Closed after their due date.
    #[serde(default)]
    pub late: u64,
    /// Mean hours from receipt to closing, for closed ones.
    #[serde(default)]
    pub mean_close_hours: Option<f64>,
}

/// Consent records (store `consent_stats`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsentEvidence {
    /// One row per rules version and status.
    pub rows: Vec<ConsentRow>,
}

/// Consent records of one rules version in one status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentRow {
    /// The rules version shown (empty when not recorded).
    pub rules_version: String,
    /// `granted`, `refused`, `withdrawn`.
    pub status: String,
    /// Records.
    pub count: u64,
}

/// The audit chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditEvidence {
    /// Sequence number of the newest event.
    pub head_seq: u64,
    /// Hash of the newest event (hex).
    pub head_hash: String,
    /// Events recorded in the report period.
    pub events_in_period: u64,
    /// Signed checkpoints.
    #[serde(default)]
    pub checkpoints: Vec<CheckpointEvidence>,
    /// Result of verifying the chain, when run.
    #[serde(default)]
    pub verify: Option<VerifyEvidence>,
}

/// A signed checkpoint of the audit chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointEvidence {
    /// Sequence number it covers.
    pub seq: u64,
    /// When it was signed (RFC 3339).
    pub at: String,
    /// Signing key id.
    pub key_id: String,
}

/// Result of `xiezhi audit verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyEvidence {
    /// The chain verified.
    pub ok: bool,
    /// Events checked.
    pub events: u64,
    /// When it ran (RFC 3339).
    pub at: String,
    /// Details (the first broken link when not ok).
    #[serde(default)]
    pub detail: String,
}

/// A published version of the processing rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesVersionEvidence {
    /// Version label.
    pub version: String,
    /// SHA-256 of the published text (hex).
    pub digest: String,
    /// Publication date or time.
    pub published_at: String,
}
