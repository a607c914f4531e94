//! Rights requests as received (Reg. art. 23; PIPL 44–50): intake only. The identity
//! verification, deadlines and execution workflow build on these records.

use serde::{Deserialize, Serialize};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::store::{Append, Store, random_bytes};

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RightsKind {
    /// Access (查阅).
    Access,
    /// Copy (复制).
    Copy,
    /// Correct (更正).
    Correct,
    /// Supplement (补充).
    Supplement,
    /// Delete (删除).
    Delete,
    /// Restrict processing (限制处理).
    Restrict,
    /// Transfer to another processor (转移).
    Transfer,
    /// Cancel the account (注销账号).
    CancelAccount,
}

impl RightsKind {
    /// Every kind.
    pub const ALL: [RightsKind; 8] = [
        Self::Access,
        Self::Copy,
        Self::Correct,
        Self::Supplement,
        Self::Delete,
        Self::Restrict,
        Self::Transfer,
        Self::CancelAccount,
    ];

    /// Stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Copy => "copy",
            Self::Correct => "correct",
            Self::Supplement => "supplement",
            Self::Delete => "delete",
            Self::Restrict => "restrict",
            Self::Transfer => "transfer",
            Self::CancelAccount => "cancel_account",
        }
    }

    /// Parses [`RightsKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A recorded request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsRequest {
    /// Id, `rr_<hex>`.
    pub id: String,
    /// The subject (PI).
    pub subject: String,
    /// What is asked.
    pub kind: RightsKind,
    /// The person's own words (PI; optional).
    pub details: Option<String>,
    /// `received` until the workflow takes it.
    pub state: String,
    /// Where it came from, e.g. `privacy-center`.
    pub channel: String,
    /// When it was received.
    pub received_at: Millis,
    /// Audit seq of the intake.
    pub seq: i64,
}

impl Store {
    /// Records a request in state `received`, with its audit event (details kept as a payload
    /// apart from the chain).
    pub async fn record_rights_request(
        &self,
        subject: &str,
        kind: RightsKind,
        details: Option<&str>,
        channel: &str,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, StoreError> {
        let id = format!("rr_{}", hex::encode(random_bytes(8)?));
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        let seq = w
            .append(Append {
                at,
                kind: "rights.received",
                actor,
                subject: Some(subject),
                payload: Some(
                    serde_json::json!({ "id": id, "kind": kind.as_str(), "details": details }),
                ),
                outbox: Some(serde_json::json!({ "id": id, "kind": kind.as_str() })),
            })
            .await?;
        w.conn()
            .exec(
                "recording a rights request",
                "INSERT INTO rights_requests (id, subject, kind, details, state, channel, received_at, seq) VALUES (?, ?, ?, ?, 'received', ?, ?, ?)",
                vals![&id, subject, kind.as_str(), details, channel, at, seq],
            )
            .await?;
        w.commit().await?;
        Ok(RightsRequest {
            id,
            subject: subject.to_owned(),
            kind,
            details: details.map(str::to_owned),
            state: "received".into(),
            channel: channel.to_owned(),
            received_at: at,
            seq,
        })
    }

    /// Requests, newest first (at most `limit`).
    pub async fn list_rights_requests(&self, limit: u32) -> Result<Vec<RightsRequest>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "listing rights requests",
                "SELECT id, subject, kind, details, state, channel, received_at, seq FROM rights_requests ORDER BY received_at DESC, id LIMIT ?",
                vals![i64::from(limit)],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RightsRequest {
                    id: r.text(0)?,
                    subject: r.text(1)?,
                    kind: RightsKind::parse(&r.text(2)?)
                        .ok_or_else(|| StoreError::Corrupt("unknown rights request kind".into()))?,
                    details: r.opt_text(3)?,
                    state: r.text(4)?,
                    channel: r.text(5)?,
                    received_at: r.i64(6)?,
                    seq: r.i64(7)?,
                })
            })
            .collect()
    }
}
