//! Streaming verification: events in sequence order, the signed checkpoints, the payloads.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::chain::{AuditEvent, GENESIS_HASH, event_hash, payload_digest};
use crate::keys::{Checkpoint, VerifyingKey};

/// Language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    ZhCn,
    /// English.
    En,
}

/// What is wrong with the first bad event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The stored hash does not match the event's content: the row was edited.
    HashMismatch,
    /// `prev_hash` is not the previous event's hash: rows were reordered or one was inserted.
    PrevHashMismatch,
    /// An event is missing (its row was deleted); the event named is the first missing one.
    SeqGap,
    /// The sequence number does not increase (duplicated or reordered rows).
    SeqNotIncreasing,
    /// The chain ends before a signed checkpoint or the recorded head: its tail was deleted.
    TailTruncated,
    /// A checkpoint's signature does not verify with any trusted key.
    CheckpointSignature,
    /// A checkpoint names a key nobody trusts.
    CheckpointUnknownKey,
    /// The chain's hash at a signed checkpoint differs: events after `since` were rewritten
    /// (and re-hashed to hide it).
    CheckpointMismatch {
        /// First event that may have been rewritten (after the previous good checkpoint).
        since: i64,
    },
    /// A payload's bytes do not match the digest the chain commits to: the payload was edited.
    PayloadDigestMismatch,
}

impl Problem {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::HashMismatch, Lang::ZhCn) => "事件内容与其哈希不符：该记录被修改".into(),
            (Self::HashMismatch, Lang::En) => {
                "its hash does not match its content: the row was edited".into()
            }
            (Self::PrevHashMismatch, Lang::ZhCn) => {
                "前一哈希与上一事件不符：记录被调换顺序或插入".into()
            }
            (Self::PrevHashMismatch, Lang::En) => {
                "it does not follow the previous event: rows were reordered or inserted".into()
            }
            (Self::SeqGap, Lang::ZhCn) => "该事件缺失：记录被删除".into(),
            (Self::SeqGap, Lang::En) => "this event is missing: its row was deleted".into(),
            (Self::SeqNotIncreasing, Lang::ZhCn) => "序号未递增：记录重复或顺序被打乱".into(),
            (Self::SeqNotIncreasing, Lang::En) => {
                "its sequence number does not increase: rows duplicated or reordered".into()
            }
            (Self::TailTruncated, Lang::ZhCn) => {
                "审计链在此之前结束，而签名检查点或链头记录更长：末尾事件被删除".into()
            }
            (Self::TailTruncated, Lang::En) => {
                "the chain ends before it, but a signed checkpoint or the recorded head goes further: the tail was deleted".into()
            }
            (Self::CheckpointSignature, Lang::ZhCn) => "检查点签名无效".into(),
            (Self::CheckpointSignature, Lang::En) => "the checkpoint's signature is invalid".into(),
            (Self::CheckpointUnknownKey, Lang::ZhCn) => "检查点的签名密钥不受信任".into(),
            (Self::CheckpointUnknownKey, Lang::En) => {
                "the checkpoint is signed by a key that is not trusted".into()
            }
            (Self::CheckpointMismatch { since }, Lang::ZhCn) => format!(
                "审计链在此处的哈希与签名检查点不符：自事件 {since} 起的记录被改写并重新计算了哈希"
            ),
            (Self::CheckpointMismatch { since }, Lang::En) => format!(
                "the chain's hash here differs from the signed checkpoint: events from {since} on were rewritten and re-hashed"
            ),
            (Self::PayloadDigestMismatch, Lang::ZhCn) => "载荷与链中摘要不符：载荷被修改".into(),
            (Self::PayloadDigestMismatch, Lang::En) => {
                "its payload does not match the digest in the chain: the payload was edited".into()
            }
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The first event that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadEvent {
    /// Sequence number of the event (for a gap or truncation: the first missing one).
    pub seq: i64,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: Problem,
}

impl std::fmt::Display for BadEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "audit event {}: {}", self.seq, self.problem)
    }
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Events read.
    pub events: u64,
    /// Checkpoints whose signature and hash matched.
    pub checkpoints_verified: u64,
    /// Payloads whose digest was checked.
    pub payloads_checked: u64,
    /// Payloads erased (digest kept, body gone) — expected after a deletion request.
    pub payloads_erased: u64,
    /// The first problem found.
    pub first_bad: Option<BadEvent>,
}

impl VerifyReport {
    /// Whether everything verified.
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Verifies a chain fed in sequence order, in constant memory (plus the checkpoints).
#[derive(Debug)]
pub struct Verifier {
    keys: Vec<VerifyingKey>,
    checkpoints: VecDeque<Checkpoint>,
    last_good_checkpoint: i64,
    prev_seq: i64,
    prev_hash: String,
    report: VerifyReport,
}

impl Verifier {
    /// A verifier trusting `keys`, checking `checkpoints` (any order) as the events pass.
    pub fn new(keys: Vec<VerifyingKey>, mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.sort_by_key(|c| c.seq);
        let mut v = Self {
            keys,
            checkpoints: VecDeque::new(),
            last_good_checkpoint: 0,
            prev_seq: 0,
            prev_hash: GENESIS_HASH.to_owned(),
            report: VerifyReport::default(),
        };
        for cp in checkpoints {
            let verdict = v
                .keys
                .iter()
                .find(|k| k.key_id() == cp.key_id)
                .map(|k| k.verifies(&cp));
            match verdict {
                None => v.fail(cp.seq, Problem::CheckpointUnknownKey),
                Some(false) => v.fail(cp.seq, Problem::CheckpointSignature),
                Some(true) => v.checkpoints.push_back(cp),
            }
        }
        v
    }

    fn fail(&mut self, seq: i64, problem: Problem) {
        match &self.report.first_bad {
            Some(b) if b.seq <= seq => {}
            _ => self.report.first_bad = Some(BadEvent { seq, problem }),
        }
    }

    fn failed(&self) -> bool {
        self.report.first_bad.is_some()
    }

    /// Feeds the next event.
    pub fn push_event(&mut self, e: &AuditEvent) {
        self.report.events += 1;
        if self.failed() {
            return;
        }
        if e.seq <= self.prev_seq {
            self.fail(e.seq, Problem::SeqNotIncreasing);
            return;
        }
        if e.seq > self.prev_seq + 1 {
            self.fail(self.prev_seq + 1, Problem::SeqGap);
            return;
        }
        if event_hash(e) != e.hash {
            self.fail(e.seq, Problem::HashMismatch);
            return;
        }
        if e.prev_hash != self.prev_hash {
            self.fail(e.seq, Problem::PrevHashMismatch);
            return;
        }
        while let Some(cp) = self.checkpoints.front() {
            if cp.seq > e.seq {
                break;
            }
            if cp.seq == e.seq {
                if cp.hash == e.hash {
                    self.report.checkpoints_verified += 1;
                    self.last_good_checkpoint = e.seq;
                } else {
                    let since = self.last_good_checkpoint + 1;
                    self.fail(e.seq, Problem::CheckpointMismatch { since });
                    return;
                }
            }
            self.checkpoints.pop_front();
        }
        self.prev_seq = e.seq;
        self.prev_hash.clone_from(&e.hash);
    }

    /// Feeds the payload committed by event `seq` (`None` = erased).
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

    /// Ends the verification. `recorded_head`: the head sequence number the store recorded,
    /// if any (a chain shorter than it, or than a checkpoint, lost its tail).
    pub fn finish(mut self, recorded_head: Option<i64>) -> VerifyReport {
        if !self.failed() {
            let beyond = self
                .checkpoints
                .iter()
                .map(|c| c.seq)
                .chain(recorded_head)
                .max();
            if let Some(end) = beyond
                && end > self.prev_seq
            {
                self.fail(self.prev_seq + 1, Problem::TailTruncated);
            }
        }
        self.report
    }
}
