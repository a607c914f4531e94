//! Streaming verification of the chain against signed checkpoints and stored payloads.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::chain::{AuditEvent, GENESIS_HASH, payload_digest};
use crate::keys::{Checkpoint, VerifyingKey};

/// The language of human-readable verification messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese (简体中文).
    ZhCn,
}

/// What is wrong at the first bad event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The stored hash is not the hash of the row's fields: the row was edited.
    HashMismatch {
        /// The hash recomputed from the row.
        computed: String,
        /// The hash stored in the row.
        stored: String,
    },
    /// The row's `prev_hash` is not the previous row's hash: a row was inserted before it,
    /// rows were reordered, or the previous row's hash was rewritten.
    PrevHashMismatch {
        /// The previous row's hash (or the genesis hash).
        expected: String,
        /// The row's `prev_hash`.
        found: String,
    },
    /// Rows `missing_from..=missing_to` are absent: they were deleted.
    SeqGap {
        /// First missing seq.
        missing_from: i64,
        /// Last missing seq.
        missing_to: i64,
    },
    /// The row's seq is not greater than the previous row's (duplicated or out of order).
    SeqNotIncreasing {
        /// The previous row's seq.
        previous: i64,
    },
    /// A checkpoint at this seq carries a signature that its key did not make (forged or
    /// altered checkpoint).
    CheckpointSignatureInvalid {
        /// The checkpoint's key id.
        key_id: String,
    },
    /// A checkpoint at this seq names a key the verifier was not given (wrong key).
    CheckpointUnknownKey {
        /// The checkpoint's key id.
        key_id: String,
    },
    /// A validly signed checkpoint says this row had another hash: the chain was rewritten
    /// (for example a row edited and every later hash recomputed).
    CheckpointHashDiffers {
        /// The hash the checkpoint signed.
        checkpoint_hash: String,
        /// The hash in the chain now.
        chain_hash: String,
    },
    /// A validly signed checkpoint refers to a seq past the chain's last row: the tail was
    /// deleted (truncated). The bad seq is the first missing row.
    CheckpointBeyondEnd {
        /// The checkpoint's seq.
        checkpoint_seq: i64,
        /// The chain's last seq (0 when empty).
        last_seq: i64,
    },
    /// The stored payload's digest differs from the row's `payload_digest`: the payload was
    /// edited.
    PayloadDigestMismatch {
        /// The digest committed in the chain.
        expected: String,
        /// The digest of the payload given.
        found: String,
    },
    /// A payload was given for a row that commits to none.
    PayloadWithoutDigest,
}

impl Problem {
    /// A one-sentence explanation in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::HashMismatch { computed, stored }, Lang::En) => format!(
                "row edited: its stored hash {stored} is not the hash of its contents ({computed})"
            ),
            (Self::HashMismatch { computed, stored }, Lang::ZhCn) => {
                format!("记录被修改：存储的哈希 {stored} 与按其内容计算的哈希 {computed} 不一致")
            }
            (Self::PrevHashMismatch { expected, found }, Lang::En) => format!(
                "chain broken (row inserted, reordered or previous row rewritten): prev_hash is \
                 {found}, the previous row's hash is {expected}"
            ),
            (Self::PrevHashMismatch { expected, found }, Lang::ZhCn) => format!(
                "哈希链断裂（记录被插入、调换顺序或前一条被改写）：prev_hash 为 {found}，\
                 前一条记录的哈希为 {expected}"
            ),
            (
                Self::SeqGap {
                    missing_from,
                    missing_to,
                },
                Lang::En,
            ) => {
                if missing_from == missing_to {
                    format!("row deleted: seq {missing_from} is missing")
                } else {
                    format!("rows deleted: seq {missing_from} to {missing_to} are missing")
                }
            }
            (
                Self::SeqGap {
                    missing_from,
                    missing_to,
                },
                Lang::ZhCn,
            ) => {
                if missing_from == missing_to {
                    format!("记录被删除：缺少序号 {missing_from}")
                } else {
                    format!("记录被删除：缺少序号 {missing_from} 至 {missing_to}")
                }
            }
            (Self::SeqNotIncreasing { previous }, Lang::En) => format!(
                "seq does not increase (previous row is seq {previous}): duplicated or reordered row"
            ),
            (Self::SeqNotIncreasing { previous }, Lang::ZhCn) => {
                format!("序号未递增（前一条为 {previous}）：记录重复或顺序被调换")
            }
            (Self::CheckpointSignatureInvalid { key_id }, Lang::En) => format!(
                "checkpoint signature invalid for key {key_id}: the checkpoint is forged or altered"
            ),
            (Self::CheckpointSignatureInvalid { key_id }, Lang::ZhCn) => {
                format!("检查点签名无效（密钥 {key_id}）：检查点被伪造或篡改")
            }
            (Self::CheckpointUnknownKey { key_id }, Lang::En) => format!(
                "checkpoint signed by unknown key {key_id}: not one of the trusted public keys"
            ),
            (Self::CheckpointUnknownKey { key_id }, Lang::ZhCn) => {
                format!("检查点由未知密钥 {key_id} 签名：不在受信任的公钥之列")
            }
            (
                Self::CheckpointHashDiffers {
                    checkpoint_hash,
                    chain_hash,
                },
                Lang::En,
            ) => format!(
                "chain rewritten: the signed checkpoint says hash {checkpoint_hash}, the chain \
                 now has {chain_hash}"
            ),
            (
                Self::CheckpointHashDiffers {
                    checkpoint_hash,
                    chain_hash,
                },
                Lang::ZhCn,
            ) => format!(
                "哈希链被重写：已签名检查点记录的哈希为 {checkpoint_hash}，链中现为 {chain_hash}"
            ),
            (
                Self::CheckpointBeyondEnd {
                    checkpoint_seq,
                    last_seq,
                },
                Lang::En,
            ) => format!(
                "tail truncated: a signed checkpoint covers seq {checkpoint_seq} but the chain \
                 ends at seq {last_seq}"
            ),
            (
                Self::CheckpointBeyondEnd {
                    checkpoint_seq,
                    last_seq,
                },
                Lang::ZhCn,
            ) => format!(
                "链尾被截断：已签名检查点覆盖到序号 {checkpoint_seq}，但链只到序号 {last_seq}"
            ),
            (Self::PayloadDigestMismatch { expected, found }, Lang::En) => {
                format!("payload edited: its digest is {found}, the chain committed to {expected}")
            }
            (Self::PayloadDigestMismatch { expected, found }, Lang::ZhCn) => {
                format!("载荷被修改：其摘要为 {found}，链中承诺的摘要为 {expected}")
            }
            (Self::PayloadWithoutDigest, Lang::En) => {
                "a payload is stored for a row that commits to none".to_owned()
            }
            (Self::PayloadWithoutDigest, Lang::ZhCn) => {
                "该记录未承诺任何载荷，却存在载荷".to_owned()
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The first event found bad, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadEvent {
    /// The seq of the bad row as stored (for [`Problem::CheckpointBeyondEnd`]: the first
    /// missing seq).
    pub seq: i64,
    /// 0-based position of the row in the stream as fed (equals the number of rows before it;
    /// for [`Problem::CheckpointBeyondEnd`] the number of rows in the stream).
    pub position: u64,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: Problem,
}

impl BadEvent {
    /// "seq N: …" in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("seq {}: {}", self.seq, self.problem.message(lang)),
            Lang::ZhCn => format!("序号 {}：{}", self.seq, self.problem.message(lang)),
        }
    }
}

impl fmt::Display for BadEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Rows fed.
    pub events: u64,
    /// Checkpoints whose signature and hash were verified.
    pub checkpoints_verified: u64,
    /// Payloads whose digest matched.
    pub payloads_checked: u64,
    /// Rows whose payload was erased (fine: erasure never breaks the chain).
    pub payloads_erased: u64,
    /// Seq of the last row fed (0 when none).
    pub last_seq: i64,
    /// Hash of the last row fed ([`GENESIS_HASH`] when none).
    pub last_hash: String,
    /// The first bad row, or `None` if the chain verified.
    pub first_bad: Option<BadEvent>,
}

impl VerifyReport {
    /// Whether nothing was found wrong.
    pub fn is_ok(&self) -> bool {
        self.first_bad.is_none()
    }

    /// A short summary in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        match (&self.first_bad, lang) {
            (None, Lang::En) => format!(
                "audit chain OK: {} events, {} checkpoints verified, payloads: {} checked, {} \
                 erased",
                self.events, self.checkpoints_verified, self.payloads_checked, self.payloads_erased
            ),
            (None, Lang::ZhCn) => format!(
                "审计链完整：共 {} 条事件，验证检查点 {} 个，校验载荷 {} 个，已擦除载荷 {} 个",
                self.events, self.checkpoints_verified, self.payloads_checked, self.payloads_erased
            ),
            (Some(bad), Lang::En) => format!("audit chain BROKEN at {}", bad.message(lang)),
            (Some(bad), Lang::ZhCn) => format!("审计链被破坏，{}", bad.message(lang)),
        }
    }
}

/// What the verifier knows about a row's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// Payloads are not checked (e.g. an export without payloads).
    NotChecked,
    /// The payload was erased on purpose (counted, not an error).
    Erased,
    /// The stored payload bytes, checked against the row's `payload_digest`.
    Body(&'a [u8]),
}

/// Verifies rows fed in seq order, in constant memory (plus the checkpoints).
///
/// Per row, in this order: seq (gap / not increasing), `prev_hash`, `hash`, payload digest,
/// then the checkpoints at that seq (known key, signature, hash). [`Verifier::finish`] then
/// reports a validly signed checkpoint beyond the last row as a truncated tail. Checking stops
/// at the first problem.
#[derive(Debug)]
pub struct Verifier {
    keys: HashMap<String, VerifyingKey>,
    checkpoints: BTreeMap<i64, Vec<Checkpoint>>,
    report: VerifyReport,
}

impl Verifier {
    /// A verifier trusting `keys` and holding `checkpoints` (any order).
    pub fn new(
        keys: impl IntoIterator<Item = VerifyingKey>,
        checkpoints: impl IntoIterator<Item = Checkpoint>,
    ) -> Self {
        let mut by_seq: BTreeMap<i64, Vec<Checkpoint>> = BTreeMap::new();
        for cp in checkpoints {
            by_seq.entry(cp.seq).or_default().push(cp);
        }
        Self {
            keys: keys.into_iter().map(|k| (k.key_id(), k)).collect(),
            checkpoints: by_seq,
            report: VerifyReport {
                last_hash: GENESIS_HASH.to_owned(),
                ..VerifyReport::default()
            },
        }
    }

    /// Whether a problem was found already (further rows are then only counted).
    pub fn failed(&self) -> bool {
        self.report.first_bad.is_some()
    }

    /// Feeds the next row and what is known of its payload.
    pub fn push(&mut self, event: &AuditEvent, payload: Payload<'_>) {
        let position = self.report.events;
        self.report.events += 1;
        if self.failed() {
            return;
        }
        if let Err(problem) = self.check(event, payload) {
            self.report.first_bad = Some(BadEvent {
                seq: event.seq,
                position,
                problem,
            });
        }
    }

    fn check(&mut self, event: &AuditEvent, payload: Payload<'_>) -> Result<(), Problem> {
        let previous = self.report.last_seq;
        if event.seq <= previous {
            return Err(Problem::SeqNotIncreasing { previous });
        }
        if event.seq > previous + 1 {
            return Err(Problem::SeqGap {
                missing_from: previous + 1,
                missing_to: event.seq - 1,
            });
        }
        if event.prev_hash != self.report.last_hash {
            return Err(Problem::PrevHashMismatch {
                expected: self.report.last_hash.clone(),
                found: event.prev_hash.clone(),
            });
        }
        let computed = event.compute_hash();
        if computed != event.hash {
            return Err(Problem::HashMismatch {
                computed,
                stored: event.hash.clone(),
            });
        }
        match (payload, &event.payload_digest) {
            (Payload::NotChecked, _) | (Payload::Erased, None) => {}
            (Payload::Erased, Some(_)) => self.report.payloads_erased += 1,
            (Payload::Body(_), None) => return Err(Problem::PayloadWithoutDigest),
            (Payload::Body(body), Some(expected)) => {
                let found = payload_digest(body);
                if &found != expected {
                    return Err(Problem::PayloadDigestMismatch {
                        expected: expected.clone(),
                        found,
                    });
                }
                self.report.payloads_checked += 1;
            }
        }
        self.report.last_seq = event.seq;
        self.report.last_hash.clone_from(&event.hash);
        if let Some(checkpoints) = self.checkpoints.remove(&event.seq) {
            for cp in &checkpoints {
                self.check_signature(cp)?;
                if cp.hash != event.hash {
                    return Err(Problem::CheckpointHashDiffers {
                        checkpoint_hash: cp.hash.clone(),
                        chain_hash: event.hash.clone(),
                    });
                }
                self.report.checkpoints_verified += 1;
            }
        }
        Ok(())
    }

    fn check_signature(&self, cp: &Checkpoint) -> Result<(), Problem> {
        let Some(key) = self.keys.get(&cp.key_id) else {
            return Err(Problem::CheckpointUnknownKey {
                key_id: cp.key_id.clone(),
            });
        };
        if key.verifies(cp) {
            Ok(())
        } else {
            Err(Problem::CheckpointSignatureInvalid {
                key_id: cp.key_id.clone(),
            })
        }
    }

    /// Ends the stream: checkpoints past the last row are checked (a valid one means the tail
    /// was truncated) and the report returned.
    pub fn finish(mut self) -> VerifyReport {
        if self.failed() {
            return self.report;
        }
        let last_seq = self.report.last_seq;
        let position = self.report.events;
        // Every checkpoint at or before the last row was consumed; the smallest remaining
        // one (past the end, or at a seq never fed such as 0) decides.
        let first = std::mem::take(&mut self.checkpoints)
            .into_iter()
            .next()
            .and_then(|(seq, checkpoints)| checkpoints.into_iter().next().map(|cp| (seq, cp)));
        if let Some((seq, cp)) = first {
            let (bad_seq, problem) = match self.check_signature(&cp) {
                Err(problem) => (seq, problem),
                Ok(()) => (
                    last_seq + 1,
                    Problem::CheckpointBeyondEnd {
                        checkpoint_seq: seq,
                        last_seq,
                    },
                ),
            };
            self.report.first_bad = Some(BadEvent {
                seq: bad_seq,
                position,
                problem,
            });
        }
        self.report
    }
}
