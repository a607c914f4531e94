//! Events, their canonical bytes and hashes, subject references and payload digests.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Milliseconds since the Unix epoch, UTC (the same unit as `xiezhi_decide::Millis`).
pub type Millis = i64;

/// The `prev_hash` of the first event (seq 1): 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The domain-separation prefix of an event's canonical bytes.
pub const EVENT_PREFIX: &[u8] = b"xiezhi-audit-v1\n";

/// The prefix of a [`subject_ref`].
pub const SUBJECT_REF_PREFIX: &str = "hmac-sha256:";

/// The prefix of a [`payload_digest`].
pub const PAYLOAD_DIGEST_PREFIX: &str = "sha256:";

/// One sealed row of the audit chain.
///
/// `hash` commits to every other field and, through `prev_hash`, to every earlier event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, 1 for the first event, no gaps.
    pub seq: i64,
    /// When the change happened (ms since the epoch, UTC).
    pub at: Millis,
    /// What happened, e.g. `consent.granted`, `tag.deleted`, `apikey.created`.
    pub kind: String,
    /// Who did it: `user`, `apikey:<key id>`, `cli` or `system`.
    pub actor: String,
    /// The subject as [`subject_ref`] (never the raw id), if the event concerns one.
    pub subject_ref: Option<String>,
    /// [`payload_digest`] of the PI-bearing payload stored apart, if any.
    pub payload_digest: Option<String>,
    /// `hash` of the event at `seq - 1`, or [`GENESIS_HASH`] for seq 1.
    pub prev_hash: String,
    /// Lower-case hex SHA-256 of `prev_hash ‖ canonical bytes` (see [`event_hash`]).
    pub hash: String,
}

/// An event before it is placed in the chain: everything but `seq`, `prev_hash` and `hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDraft {
    /// When the change happened (ms since the epoch, UTC).
    pub at: Millis,
    /// What happened, e.g. `consent.granted`.
    pub kind: String,
    /// Who did it: `user`, `apikey:<key id>`, `cli` or `system`.
    pub actor: String,
    /// The subject as [`subject_ref`], if the event concerns one.
    pub subject_ref: Option<String>,
    /// [`payload_digest`] of the payload stored apart, if any.
    pub payload_digest: Option<String>,
}

/// Places `draft` in the chain at `seq` after the event whose hash is `prev_hash`
/// ([`GENESIS_HASH`] for seq 1) and computes its hash.
pub fn seal(draft: EventDraft, seq: i64, prev_hash: &str) -> AuditEvent {
    let mut event = AuditEvent {
        seq,
        at: draft.at,
        kind: draft.kind,
        actor: draft.actor,
        subject_ref: draft.subject_ref,
        payload_digest: draft.payload_digest,
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
    };
    event.hash = event.compute_hash();
    event
}

impl AuditEvent {
    /// The canonical bytes of this event (all fields but `hash`), see [`canonical_bytes`].
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical_bytes(
            self.seq,
            self.at,
            &self.kind,
            &self.actor,
            self.subject_ref.as_deref(),
            self.payload_digest.as_deref(),
            &self.prev_hash,
        )
    }

    /// The hash this event should carry given its other fields (ignores `self.hash`).
    pub fn compute_hash(&self) -> String {
        event_hash(&self.prev_hash, &self.canonical_bytes())
    }
}

/// The canonical bytes of an event: [`EVENT_PREFIX`] followed by compact JSON with exactly
/// these keys in this order: `seq, at, kind, actor, subject_ref, payload_digest, prev_hash`.
///
/// Numbers are plain decimal integers, absent optional values are `null`, and strings are
/// escaped like `serde_json` (and Python's `json.dumps(..., ensure_ascii=False)`): `"` → `\"`,
/// `\` → `\\`, `\b \f \n \r \t` as such, other bytes below 0x20 as `\u00xx` (lower-case hex);
/// everything else, including non-ASCII, is written as UTF-8 unchanged. No whitespace.
pub fn canonical_bytes(
    seq: i64,
    at: Millis,
    kind: &str,
    actor: &str,
    subject_ref: Option<&str>,
    payload_digest: Option<&str>,
    prev_hash: &str,
) -> Vec<u8> {
    let mut out = String::with_capacity(
        EVENT_PREFIX.len() + 200 + kind.len() + actor.len() + prev_hash.len(),
    );
    // EVENT_PREFIX is ASCII.
    out.push_str("xiezhi-audit-v1\n");
    out.push_str("{\"seq\":");
    out.push_str(&seq.to_string());
    out.push_str(",\"at\":");
    out.push_str(&at.to_string());
    out.push_str(",\"kind\":");
    push_json_string(&mut out, kind);
    out.push_str(",\"actor\":");
    push_json_string(&mut out, actor);
    out.push_str(",\"subject_ref\":");
    push_json_opt(&mut out, subject_ref);
    out.push_str(",\"payload_digest\":");
    push_json_opt(&mut out, payload_digest);
    out.push_str(",\"prev_hash\":");
    push_json_string(&mut out, prev_hash);
    out.push('}');
    out.into_bytes()
}

fn push_json_opt(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => push_json_string(out, v),
        None => out.push_str("null"),
    }
}

fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `hex(SHA-256(prev_hash as ASCII bytes ‖ canonical))`, lower case.
pub fn event_hash(prev_hash: &str, canonical: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical);
    hex::encode(hasher.finalize())
}

/// `"sha256:" + hex(SHA-256(bytes))`: the commitment to a payload stored apart from the chain
/// (the payload being canonical JSON bytes).
pub fn payload_digest(bytes: &[u8]) -> String {
    format!(
        "{PAYLOAD_DIGEST_PREFIX}{}",
        hex::encode(Sha256::digest(bytes))
    )
}

/// `"hmac-sha256:" + hex(HMAC-SHA256(secret, subject))`: how the chain names a subject
/// without holding the raw id (which is PI). The same secret must be used for the whole chain.
pub fn subject_ref(secret: &[u8], subject: &str) -> String {
    format!(
        "{SUBJECT_REF_PREFIX}{}",
        hex::encode(hmac_sha256(secret, subject.as_bytes()))
    )
}

/// HMAC-SHA256 (RFC 2104) with a key of any length.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block_key.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block_key.map(|b| b ^ 0x5c));
    outer.update(inner);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

/// A fresh random 32-byte chain secret for [`subject_ref`], from the operating system.
///
/// # Errors
/// When the operating system's random source fails.
pub fn generate_chain_secret() -> Result<[u8; 32], getrandom::Error> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)?;
    Ok(secret)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231() {
        // RFC 4231 test case 2.
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a 131-byte key (longer than the block).
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        let r = subject_ref(b"secret", "u-1");
        assert!(r.starts_with("hmac-sha256:") && r.len() == 12 + 64);
        assert_ne!(r, subject_ref(b"other", "u-1"));
        assert!(!r.contains("u-1"));
    }

    #[test]
    fn canonical_bytes_are_fixed_and_match_serde_json_escaping() {
        let bytes = canonical_bytes(
            7,
            -3,
            "k\"\\\n\u{1}中",
            "cli",
            None,
            Some("sha256:ab"),
            "00",
        );
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "xiezhi-audit-v1\n{\"seq\":7,\"at\":-3,\"kind\":\"k\\\"\\\\\\n\\u0001中\",\"actor\":\"cli\",\
             \"subject_ref\":null,\"payload_digest\":\"sha256:ab\",\"prev_hash\":\"00\"}"
        );
        // The JSON part is exactly what serde_json writes for the same values in that order.
        let kind = "k\"\\\n\u{1}\u{8}\u{c}\r\t\u{1f}\u{7f}中/";
        let mine =
            String::from_utf8(canonical_bytes(1, 2, kind, "a", Some("s"), None, "p")).unwrap();
        let theirs = format!(
            "xiezhi-audit-v1\n{{\"seq\":1,\"at\":2,\"kind\":{},\"actor\":\"a\",\"subject_ref\":\"s\",\"payload_digest\":null,\"prev_hash\":\"p\"}}",
            serde_json::to_string(kind).unwrap()
        );
        assert_eq!(mine, theirs);
    }

    #[test]
    fn seal_links_and_digest_format() {
        let d = EventDraft {
            at: 1,
            kind: "consent.granted".into(),
            actor: "user".into(),
            subject_ref: None,
            payload_digest: Some(payload_digest(b"{}")),
        };
        let e1 = seal(d.clone(), 1, GENESIS_HASH);
        let e2 = seal(d, 2, &e1.hash);
        assert_eq!(e1.hash, e1.compute_hash());
        assert_eq!(e2.prev_hash, e1.hash);
        assert_ne!(e1.hash, e2.hash);
        assert_eq!(
            payload_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
