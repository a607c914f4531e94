//! Events, their canonical bytes and the hash chain.

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// The genesis `prev_hash`: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain-separation prefix of an event's canonical bytes.
pub const EVENT_PREFIX: &[u8] = b"xiezhi-audit-v1\n";

/// One sealed audit event: what happened, when, by whom, to which (pseudonymous) subject,
/// committing by digest to a PI payload stored elsewhere.
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
    /// `hmac-sha256:<hex>` of the subject id (never the raw id).
    pub subject_ref: Option<String>,
    /// `sha256:<hex>` of the PI payload stored apart.
    pub payload_digest: Option<String>,
    /// Hash of the previous event (genesis: 64 zeros).
    pub prev_hash: String,
    /// Hash of this event.
    pub hash: String,
}

/// An event before it is sealed into the chain.
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

/// The canonical bytes of an event (without its hash): the prefix `xiezhi-audit-v1\n`, then
/// compact JSON with keys in this order: seq, at, kind, actor, subject_ref, payload_digest,
/// prev_hash (absent values as `null`).
pub fn canonical_bytes(e: &AuditEvent) -> Vec<u8> {
    canonical(
        e.seq,
        e.at,
        &e.kind,
        &e.actor,
        e.subject_ref.as_deref(),
        e.payload_digest.as_deref(),
        &e.prev_hash,
    )
}

fn canonical(
    seq: i64,
    at: Millis,
    kind: &str,
    actor: &str,
    subject_ref: Option<&str>,
    payload_digest: Option<&str>,
    prev_hash: &str,
) -> Vec<u8> {
    let c = Canonical {
        seq,
        at,
        kind,
        actor,
        subject_ref,
        payload_digest,
        prev_hash,
    };
    let mut out = EVENT_PREFIX.to_vec();
    // A struct of strings and integers always serialises.
    out.extend(serde_json::to_vec(&c).unwrap_or_default());
    out
}

/// `hex SHA-256(prev_hash as ASCII hex ‖ canonical bytes)`.
pub fn event_hash(e: &AuditEvent) -> String {
    hash_with(&e.prev_hash, &canonical_bytes(e))
}

fn hash_with(prev_hash: &str, canonical: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical);
    hex::encode(h.finalize())
}

/// Seals a draft as event `seq` after `prev_hash`.
pub fn seal(draft: EventDraft, seq: i64, prev_hash: &str) -> AuditEvent {
    let mut e = AuditEvent {
        seq,
        at: draft.at,
        kind: draft.kind,
        actor: draft.actor,
        subject_ref: draft.subject_ref,
        payload_digest: draft.payload_digest,
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
    };
    e.hash = event_hash(&e);
    e
}

/// `hmac-sha256:` + hex HMAC-SHA256(secret, subject): a stable pseudonym of the subject that
/// lets the chain group a person's events without holding the id.
pub fn subject_ref(secret: &[u8], subject: &str) -> String {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(subject.as_bytes());
            format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
        }
        // HMAC takes keys of any length; unreachable, but never panic.
        Err(_) => format!("sha256:{}", hex::encode(Sha256::digest(subject.as_bytes()))),
    }
}

/// `sha256:` + hex SHA-256 of the payload bytes.
pub fn payload_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hmac_known_answer() {
        // RFC 4231 test case 2.
        assert_eq!(
            subject_ref(b"Jefe", "what do ya want for nothing?"),
            "hmac-sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn canonical_form_is_fixed() {
        let e = seal(
            EventDraft {
                at: 5,
                kind: "tag.deleted".into(),
                actor: "user".into(),
                subject_ref: None,
                payload_digest: Some("sha256:ab".into()),
            },
            1,
            GENESIS_HASH,
        );
        let c = String::from_utf8(canonical_bytes(&e)).unwrap();
        assert_eq!(
            c,
            format!(
                "xiezhi-audit-v1\n{{\"seq\":1,\"at\":5,\"kind\":\"tag.deleted\",\"actor\":\"user\",\"subject_ref\":null,\"payload_digest\":\"sha256:ab\",\"prev_hash\":\"{GENESIS_HASH}\"}}"
            )
        );
        assert_eq!(e.hash.len(), 64);
        assert_eq!(e.hash, event_hash(&e));
    }
}
