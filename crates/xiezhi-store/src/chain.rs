//! Minimal private audit-chain sealing and verification, following the `xiezhi-audit` design
//! (issue 4 spec): used until that crate lands on main. Same formats: `hash = hex SHA-256(prev_hash
//! hex ‖ b"xiezhi-audit-v1\n" ‖ canonical JSON)`, `subject_ref = "hmac-sha256:" + hex`,
//! `payload_digest = "sha256:" + hex`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use xiezhi_decide::Millis;

/// The genesis `prev_hash`: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One sealed audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it happened.
    pub at: Millis,
    /// What happened, e.g. `consent.granted`.
    pub kind: String,
    /// Who did it: `user`, `apikey:<id>`, `cli`, `system`.
    pub actor: String,
    /// HMAC of the subject id (never the raw id).
    pub subject_ref: Option<String>,
    /// Digest of the PI payload stored apart.
    pub payload_digest: Option<String>,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// Hash of this event.
    pub hash: String,
}

/// An event before sealing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    /// When it happened.
    pub at: Millis,
    /// What happened.
    pub kind: String,
    /// Who did it.
    pub actor: String,
    /// HMAC of the subject id.
    pub subject_ref: Option<String>,
    /// Digest of the PI payload.
    pub payload_digest: Option<String>,
}

#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: Millis,
    kind: &'a str,
    actor: &'a str,
    subject_ref: Option<&'a str>,
    payload_digest: Option<&'a str>,
    prev_hash: &'a str,
}

fn hash_of(
    seq: i64,
    at: Millis,
    kind: &str,
    actor: &str,
    subject_ref: Option<&str>,
    payload_digest: Option<&str>,
    prev_hash: &str,
) -> String {
    let c = Canonical {
        seq,
        at,
        kind,
        actor,
        subject_ref,
        payload_digest,
        prev_hash,
    };
    // Serialising a struct of strings and integers cannot fail.
    let json = serde_json::to_vec(&c).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"xiezhi-audit-v1\n");
    h.update(&json);
    hex::encode(h.finalize())
}

/// Seals a draft as event `seq` after `prev_hash`.
pub fn seal(draft: EventDraft, seq: i64, prev_hash: &str) -> AuditEvent {
    let hash = hash_of(
        seq,
        draft.at,
        &draft.kind,
        &draft.actor,
        draft.subject_ref.as_deref(),
        draft.payload_digest.as_deref(),
        prev_hash,
    );
    AuditEvent {
        seq,
        at: draft.at,
        kind: draft.kind,
        actor: draft.actor,
        subject_ref: draft.subject_ref,
        payload_digest: draft.payload_digest,
        prev_hash: prev_hash.to_owned(),
        hash,
    }
}

/// `"hmac-sha256:"` + hex HMAC-SHA256(secret, subject).
pub fn subject_ref(secret: &[u8], subject: &str) -> String {
    const BLOCK: usize = 64;
    let mut key = [0u8; BLOCK];
    if secret.len() > BLOCK {
        let d = Sha256::digest(secret);
        key[..32].copy_from_slice(&d);
    } else {
        key[..secret.len()].copy_from_slice(secret);
    }
    let mut inner = Sha256::new();
    inner.update(key.map(|b| b ^ 0x36));
    inner.update(subject.as_bytes());
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(key.map(|b| b ^ 0x5c));
    outer.update(inner);
    format!("hmac-sha256:{}", hex::encode(outer.finalize()))
}

/// `"sha256:"` + hex SHA-256 of the payload bytes.
pub fn payload_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// What is wrong with the first bad event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The stored hash does not match the event's content (row edited).
    HashMismatch,
    /// `prev_hash` is not the previous event's hash (reordered or inserted).
    PrevHashMismatch,
    /// Events are missing (deleted rows); `missing` is the first missing seq.
    SeqGap {
        /// First missing seq.
        missing: i64,
    },
    /// The seq does not increase.
    SeqNotIncreasing,
    /// A payload's bytes do not match the digest committed by the chain.
    PayloadDigestMismatch,
}

/// The first event that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadEvent {
    /// Seq of the event (for a gap: the first missing seq).
    pub seq: i64,
    /// What is wrong.
    pub problem: Problem,
}

impl std::fmt::Display for BadEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            Problem::HashMismatch => write!(
                f,
                "audit event {} was edited: its hash does not match its content",
                self.seq
            ),
            Problem::PrevHashMismatch => write!(
                f,
                "audit event {} does not follow the previous event (reordered or inserted)",
                self.seq
            ),
            Problem::SeqGap { missing } => write!(
                f,
                "audit event {missing} is missing (deleted): the chain jumps over it"
            ),
            Problem::SeqNotIncreasing => {
                write!(f, "audit event {} does not increase the seq", self.seq)
            }
            Problem::PayloadDigestMismatch => write!(
                f,
                "the payload of audit event {} was edited: its digest differs",
                self.seq
            ),
        }
    }
}

/// Result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Events read.
    pub events: u64,
    /// Checkpoints whose signature and hash matched.
    pub checkpoints_verified: u64,
    /// Payloads whose digest was checked.
    pub payloads_checked: u64,
    /// Payloads erased (digest kept, body gone).
    pub payloads_erased: u64,
    /// The first problem found.
    pub first_bad: Option<BadEvent>,
}

impl VerifyReport {
    /// Whether the chain verified.
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Streaming verifier: feed events in seq order.
#[derive(Debug)]
pub struct Verifier {
    prev_seq: i64,
    prev_hash: String,
    report: VerifyReport,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// A verifier at the genesis.
    pub fn new() -> Self {
        Self {
            prev_seq: 0,
            prev_hash: GENESIS_HASH.to_owned(),
            report: VerifyReport::default(),
        }
    }

    fn fail(&mut self, seq: i64, problem: Problem) {
        if self.report.first_bad.is_none() {
            self.report.first_bad = Some(BadEvent { seq, problem });
        }
    }

    /// Feeds the next event.
    pub fn push_event(&mut self, e: &AuditEvent) {
        self.report.events += 1;
        if self.report.first_bad.is_some() {
            return;
        }
        if e.seq <= self.prev_seq {
            self.fail(e.seq, Problem::SeqNotIncreasing);
            return;
        }
        if e.seq > self.prev_seq + 1 {
            let missing = self.prev_seq + 1;
            self.fail(missing, Problem::SeqGap { missing });
            return;
        }
        let h = hash_of(
            e.seq,
            e.at,
            &e.kind,
            &e.actor,
            e.subject_ref.as_deref(),
            e.payload_digest.as_deref(),
            &e.prev_hash,
        );
        if h != e.hash {
            self.fail(e.seq, Problem::HashMismatch);
            return;
        }
        if e.prev_hash != self.prev_hash {
            self.fail(e.seq, Problem::PrevHashMismatch);
            return;
        }
        self.prev_seq = e.seq;
        self.prev_hash = e.hash.clone();
    }

    /// Feeds the payload of event `seq` (`None` = erased).
    pub fn push_payload(&mut self, seq: i64, digest: &str, body: Option<&[u8]>) {
        match body {
            None => self.report.payloads_erased += 1,
            Some(b) => {
                self.report.payloads_checked += 1;
                if payload_digest(b) != digest {
                    self.fail(seq, Problem::PayloadDigestMismatch);
                }
            }
        }
    }

    /// The report.
    pub fn finish(self) -> VerifyReport {
        self.report
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn chain_verifies_and_detects_edit() {
        let mut prev = GENESIS_HASH.to_owned();
        let mut evs = Vec::new();
        for i in 1..=3 {
            let e = seal(
                EventDraft {
                    at: i,
                    kind: "k".into(),
                    actor: "user".into(),
                    subject_ref: Some(subject_ref(b"s", "u1")),
                    payload_digest: None,
                },
                i,
                &prev,
            );
            prev = e.hash.clone();
            evs.push(e);
        }
        let mut v = Verifier::new();
        evs.iter().for_each(|e| v.push_event(e));
        assert!(v.finish().ok());
        evs[1].actor = "x".into();
        let mut v = Verifier::new();
        evs.iter().for_each(|e| v.push_event(e));
        assert_eq!(v.finish().first_bad.unwrap().seq, 2);
    }

    #[test]
    fn hmac_known_answer() {
        // RFC 4231 test case 2.
        assert_eq!(
            subject_ref(b"Jefe", "what do ya want for nothing?"),
            "hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
