//! Rights requests (Reg. arts. 23–25; PIPL 44–50) as stored: intake, guarded state
//! transitions with their history, identity challenges, encrypted exports and follow-up tasks.
//! Which transitions are allowed, deadlines and execution are `xiezhi-rights`' concern; the
//! store makes each step atomic with its audit event.

use serde::{Deserialize, Serialize};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::store::{Append, Store, random_bytes};

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Withdraw consent (撤回同意).
    WithdrawConsent,
    /// Explain the processing rules (解释说明个人信息处理规则, PIPL 48).
    ExplainRules,
    /// A close relative of a deceased person exercising the rights over the deceased's PI for
    /// their own lawful interests (PIPL 49).
    DeceasedRelative,
}

impl RightsKind {
    /// Every kind.
    pub const ALL: [RightsKind; 11] = [
        Self::Access,
        Self::Copy,
        Self::Correct,
        Self::Supplement,
        Self::Delete,
        Self::Restrict,
        Self::Transfer,
        Self::CancelAccount,
        Self::WithdrawConsent,
        Self::ExplainRules,
        Self::DeceasedRelative,
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
            Self::WithdrawConsent => "withdraw_consent",
            Self::ExplainRules => "explain_rules",
            Self::DeceasedRelative => "deceased_relative",
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
    /// `received`, `identity_verified`, `in_progress`, `completed`, `partly_completed`, `refused`.
    pub state: String,
    /// Where it came from: `privacy-center`, `api`, `cli`.
    pub channel: String,
    /// Who asks: `self`, `guardian`, `close_relative`, `agent`.
    pub requester: String,
    /// When it was received.
    pub received_at: Millis,
    /// Audit seq of the intake.
    pub seq: i64,
    /// Due date (`YYYY-MM-DD`, China time), when it could be computed.
    pub due_date: Option<String>,
    /// The rule the due date comes from, e.g. `15 working days`.
    pub due_rule: Option<String>,
    /// Why there is no due date (e.g. the calendar does not cover the year).
    pub due_error: Option<String>,
    /// How identity was verified: `token`, `email_code`, `sms_code`, `network_identity`, `staff`.
    pub identity_method: Option<String>,
    /// The minimal reference kept from verification (e.g. the 网号), never an ID number.
    pub identity_ref: Option<String>,
    /// When identity was verified.
    pub verified_at: Option<Millis>,
    /// Last change.
    pub updated_at: Millis,
    /// When it reached a final state.
    pub closed_at: Option<Millis>,
    /// Reasons of a refusal or a partial completion.
    pub reasons: Option<String>,
    /// Machine-readable outcome (JSON: executed steps, holds, export, tasks).
    pub result: Option<String>,
}

/// A request to record.
#[derive(Debug, Clone)]
pub struct NewRightsRequest<'a> {
    /// The subject.
    pub subject: &'a str,
    /// What is asked.
    pub kind: RightsKind,
    /// The person's own words.
    pub details: Option<&'a str>,
    /// `privacy-center`, `api`, `cli`.
    pub channel: &'a str,
    /// `self`, `guardian`, `close_relative`, `agent`.
    pub requester: &'a str,
    /// Due date, rule, or the reason there is none.
    pub due_date: Option<String>,
    /// The rule.
    pub due_rule: Option<String>,
    /// Why no due date.
    pub due_error: Option<String>,
    /// Identity already verified at intake (e.g. the signed user token): method and reference.
    pub verified: Option<(&'a str, Option<&'a str>)>,
    /// Who records it (audit actor).
    pub actor: &'a str,
    /// When.
    pub at: Millis,
}

/// One state change of a request.
#[derive(Debug, Clone, Default)]
pub struct RightsTransition<'a> {
    /// The states it may come from; anything else is [`StoreError::RightsState`].
    pub from: &'a [&'a str],
    /// The new state.
    pub to: &'a str,
    /// Identity verification that this step records: method and minimal reference.
    pub verified: Option<(&'a str, Option<&'a str>)>,
    /// Reasons (refusal, partial completion).
    pub reasons: Option<&'a str>,
    /// Outcome (JSON).
    pub result: Option<serde_json::Value>,
    /// Whether the new state is final (sets `closed_at`).
    pub closes: bool,
    /// Audit actor.
    pub actor: &'a str,
    /// When.
    pub at: Millis,
}

/// One step in a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsStep {
    /// Audit seq of the step.
    pub seq: i64,
    /// When.
    pub at: Millis,
    /// Previous state (`None` for the intake).
    pub from_state: Option<String>,
    /// New state.
    pub to_state: String,
    /// Who.
    pub actor: String,
}

/// Filter for listing requests.
#[derive(Debug, Clone, Default)]
pub struct RightsFilter {
    /// Only these states (any when empty).
    pub states: Vec<String>,
    /// Only this kind.
    pub kind: Option<RightsKind>,
    /// Only this subject.
    pub subject: Option<String>,
    /// Only requests due on or before this date (`YYYY-MM-DD`).
    pub due_on_or_before: Option<String>,
    /// At most this many (newest first).
    pub limit: u32,
}

/// Requests per kind and state, with closing times, for reports (art. 44).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RightsStat {
    /// Kind.
    pub kind: String,
    /// State.
    pub state: String,
    /// Requests.
    pub count: i64,
    /// Closed after their due date.
    pub late: i64,
    /// Mean milliseconds from receipt to closing, for closed ones.
    pub mean_close_ms: Option<f64>,
}

/// A stored identity challenge (the serialized challenge holds only digests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredChallenge {
    /// Id.
    pub id: String,
    /// The request it verifies.
    pub request_id: String,
    /// `email_code`, `sms_code`, `network_identity`.
    pub method: String,
    /// `open`, `passed`, `failed`.
    pub state: String,
    /// The verifier's own state (JSON, digests only).
    pub challenge: String,
}

/// An encrypted export waiting for download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsExport {
    /// The request.
    pub request_id: String,
    /// File name under the service's export directory.
    pub file_name: String,
    /// Size.
    pub bytes: i64,
    /// SHA-256 of the ciphertext.
    pub sha256: String,
    /// Created.
    pub created_at: Millis,
    /// The download link stops working after this.
    pub expires_at: Millis,
    /// Downloads so far.
    pub downloads: i64,
}

/// A follow-up task (e.g. tell an SDK vendor to delete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RightsTask {
    /// The request.
    pub request_id: String,
    /// Recipient / SDK / system id from the data map.
    pub target: String,
    /// `notify_recipient_delete`, `manual_dataset`, …
    pub kind: String,
    /// `open`, `done`.
    pub state: String,
    /// Note (what was done).
    pub note: Option<String>,
    /// Created.
    pub created_at: Millis,
    /// Done.
    pub done_at: Option<Millis>,
}

const COLUMNS: &str = "id, subject, kind, details, state, channel, requester, received_at, seq, due_date, due_rule, due_error, identity_method, identity_ref, verified_at, updated_at, closed_at, reasons, result";

fn request_row(r: &crate::db::Row) -> Result<RightsRequest, StoreError> {
    Ok(RightsRequest {
        id: r.text(0)?,
        subject: r.text(1)?,
        kind: RightsKind::parse(&r.text(2)?)
            .ok_or_else(|| StoreError::Corrupt("unknown rights request kind".into()))?,
        details: r.opt_text(3)?,
        state: r.text(4)?,
        channel: r.text(5)?,
        requester: r.text(6)?,
        received_at: r.i64(7)?,
        seq: r.i64(8)?,
        due_date: r.opt_text(9)?,
        due_rule: r.opt_text(10)?,
        due_error: r.opt_text(11)?,
        identity_method: r.opt_text(12)?,
        identity_ref: r.opt_text(13)?,
        verified_at: r.opt_i64(14)?,
        updated_at: r.opt_i64(15)?.unwrap_or(0),
        closed_at: r.opt_i64(16)?,
        reasons: r.opt_text(17)?,
        result: r.opt_text(18)?,
    })
}

impl Store {
    /// Records a request in state `received` (or `identity_verified` when identity was verified
    /// at intake), with its audit event (details kept as a payload apart from the chain).
    pub async fn record_rights_request(
        &self,
        n: NewRightsRequest<'_>,
    ) -> Result<RightsRequest, StoreError> {
        let id = format!("rr_{}", hex::encode(random_bytes(8)?));
        let mut w = self.begin_write().await?;
        w.ensure_subject(n.subject).await?;
        let seq = w
            .append(Append {
                at: n.at,
                kind: "rights.received",
                actor: n.actor,
                subject: Some(n.subject),
                payload: Some(serde_json::json!({
                    "id": id, "kind": n.kind.as_str(), "details": n.details,
                    "requester": n.requester, "channel": n.channel, "due_date": n.due_date,
                })),
                outbox: Some(serde_json::json!({ "id": id, "kind": n.kind.as_str() })),
            })
            .await?;
        let (method, identity_ref) = match n.verified {
            Some((m, r)) => (Some(m), r),
            None => (None, None),
        };
        let mut state = "received";
        w.conn()
            .exec(
                "recording a rights request",
                "INSERT INTO rights_requests (id, subject, kind, details, state, channel, requester, received_at, seq, due_date, due_rule, due_error, updated_at) VALUES (?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?)",
                vals![&id, n.subject, n.kind.as_str(), n.details, n.channel, n.requester, n.at, seq, n.due_date.as_deref(), n.due_rule.as_deref(), n.due_error.as_deref(), n.at],
            )
            .await?;
        step_row(&mut w, &id, seq, n.at, None, "received", n.actor).await?;
        if let Some(m) = method {
            let seq2 = w
                .append(Append {
                    at: n.at,
                    kind: "rights.identity_verified",
                    actor: n.actor,
                    subject: Some(n.subject),
                    payload: Some(
                        serde_json::json!({ "id": id, "method": m, "ref": identity_ref }),
                    ),
                    outbox: None,
                })
                .await?;
            w.conn()
                .exec(
                    "recording identity verification",
                    "UPDATE rights_requests SET state = 'identity_verified', identity_method = ?, identity_ref = ?, verified_at = ? WHERE id = ?",
                    vals![m, identity_ref, n.at, &id],
                )
                .await?;
            step_row(
                &mut w,
                &id,
                seq2,
                n.at,
                Some("received"),
                "identity_verified",
                n.actor,
            )
            .await?;
            state = "identity_verified";
        }
        w.commit().await?;
        Ok(RightsRequest {
            id,
            subject: n.subject.to_owned(),
            kind: n.kind,
            details: n.details.map(str::to_owned),
            state: state.into(),
            channel: n.channel.to_owned(),
            requester: n.requester.to_owned(),
            received_at: n.at,
            seq,
            due_date: n.due_date,
            due_rule: n.due_rule,
            due_error: n.due_error,
            identity_method: method.map(str::to_owned),
            identity_ref: identity_ref.map(str::to_owned),
            verified_at: method.map(|_| n.at),
            updated_at: n.at,
            closed_at: None,
            reasons: None,
            result: None,
        })
    }

    /// Moves a request from one of `t.from` to `t.to` atomically with its audit event
    /// (`rights.<to>`); reasons and the outcome are kept as the event's payload.
    pub async fn transition_rights_request(
        &self,
        id: &str,
        t: RightsTransition<'_>,
    ) -> Result<RightsRequest, StoreError> {
        let mut w = self.begin_write().await?;
        let row = w
            .conn()
            .opt(
                "reading a rights request",
                &format!("SELECT {COLUMNS} FROM rights_requests WHERE id = ?"),
                vals![id],
            )
            .await?
            .ok_or_else(|| StoreError::RightsNotFound { id: id.to_owned() })?;
        let current = request_row(&row)?;
        if !t.from.contains(&current.state.as_str()) {
            return Err(StoreError::RightsState {
                id: id.to_owned(),
                state: current.state,
                to: t.to.to_owned(),
            });
        }
        let kind = format!("rights.{}", t.to);
        let seq = w
            .append(Append {
                at: t.at,
                kind: &kind,
                actor: t.actor,
                subject: Some(&current.subject),
                payload: Some(serde_json::json!({
                    "id": id, "from": current.state, "to": t.to,
                    "verified": t.verified.map(|(m, r)| serde_json::json!({"method": m, "ref": r})),
                    "reasons": t.reasons, "result": t.result,
                })),
                outbox: Some(serde_json::json!({ "id": id, "state": t.to })),
            })
            .await?;
        let result = t.result.as_ref().map(|v| v.to_string());
        let (method, identity_ref, verified_at) = match t.verified {
            Some((m, r)) => (Some(m.to_owned()), r.map(str::to_owned), Some(t.at)),
            None => (
                current.identity_method.clone(),
                current.identity_ref.clone(),
                current.verified_at,
            ),
        };
        let closed_at = if t.closes { Some(t.at) } else { None };
        w.conn()
            .exec(
                "updating a rights request",
                "UPDATE rights_requests SET state = ?, identity_method = ?, identity_ref = ?, verified_at = ?, updated_at = ?, closed_at = COALESCE(?, closed_at), reasons = COALESCE(?, reasons), result = COALESCE(?, result) WHERE id = ?",
                vals![t.to, method.as_deref(), identity_ref.as_deref(), verified_at, t.at, closed_at, t.reasons, result.as_deref(), id],
            )
            .await?;
        step_row(&mut w, id, seq, t.at, Some(&current.state), t.to, t.actor).await?;
        w.commit().await?;
        self.get_rights_request(id)
            .await?
            .ok_or_else(|| StoreError::RightsNotFound { id: id.to_owned() })
    }

    /// One request.
    pub async fn get_rights_request(&self, id: &str) -> Result<Option<RightsRequest>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .opt(
                "reading a rights request",
                &format!("SELECT {COLUMNS} FROM rights_requests WHERE id = ?"),
                vals![id],
            )
            .await?
            .as_ref()
            .map(request_row)
            .transpose()
    }

    /// Requests, newest first (at most `limit`).
    pub async fn list_rights_requests(&self, limit: u32) -> Result<Vec<RightsRequest>, StoreError> {
        self.query_rights_requests(&RightsFilter {
            limit,
            ..RightsFilter::default()
        })
        .await
    }

    /// Requests matching `f`, newest first.
    pub async fn query_rights_requests(
        &self,
        f: &RightsFilter,
    ) -> Result<Vec<RightsRequest>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM rights_requests WHERE 1 = 1");
        let mut args = Vec::new();
        if !f.states.is_empty() {
            sql.push_str(" AND state IN (");
            for (i, s) in f.states.iter().enumerate() {
                sql.push_str(if i == 0 { "?" } else { ", ?" });
                args.push(crate::db::Val::from(s.as_str()));
            }
            sql.push(')');
        }
        if let Some(k) = f.kind {
            sql.push_str(" AND kind = ?");
            args.push(crate::db::Val::from(k.as_str()));
        }
        if let Some(s) = &f.subject {
            sql.push_str(" AND subject = ?");
            args.push(crate::db::Val::from(s.as_str()));
        }
        if let Some(d) = &f.due_on_or_before {
            sql.push_str(" AND due_date IS NOT NULL AND due_date <= ?");
            args.push(crate::db::Val::from(d.as_str()));
        }
        sql.push_str(" ORDER BY received_at DESC, id LIMIT ?");
        args.push(crate::db::Val::from(i64::from(f.limit.max(1))));
        let mut c = self.conn().await?;
        c.conn()
            .all("listing rights requests", &sql, args)
            .await?
            .iter()
            .map(request_row)
            .collect()
    }

    /// The steps of one request, oldest first.
    pub async fn rights_steps(&self, id: &str) -> Result<Vec<RightsStep>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "reading rights request steps",
                "SELECT seq, at, from_state, to_state, actor FROM rights_steps WHERE request_id = ? ORDER BY seq",
                vals![id],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RightsStep {
                    seq: r.i64(0)?,
                    at: r.i64(1)?,
                    from_state: r.opt_text(2)?,
                    to_state: r.text(3)?,
                    actor: r.text(4)?,
                })
            })
            .collect()
    }

    /// Requests per kind and state received in `[from, to)` (milliseconds), with the number
    /// closed after their due date and the mean time to close.
    pub async fn rights_stats(
        &self,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<RightsStat>, StoreError> {
        let mut c = self.conn().await?;
        let rows = c
            .conn()
            .all(
                "counting rights requests",
                "SELECT kind, state, received_at, closed_at, due_date FROM rights_requests WHERE received_at >= ? AND received_at < ?",
                vals![from, to],
            )
            .await?;
        let mut by: std::collections::BTreeMap<(String, String), (i64, i64, f64, i64)> =
            std::collections::BTreeMap::new();
        for r in &rows {
            let key = (r.text(0)?, r.text(1)?);
            let received = r.i64(2)?;
            let closed = r.opt_i64(3)?;
            let due = r.opt_text(4)?;
            let e = by.entry(key).or_insert((0, 0, 0.0, 0));
            e.0 += 1;
            if let Some(closed) = closed {
                e.2 += (closed - received) as f64;
                e.3 += 1;
                if let Some(due) = due
                    && china_date(closed) > due
                {
                    e.1 += 1;
                }
            }
        }
        Ok(by
            .into_iter()
            .map(|((kind, state), (count, late, sum, closed))| RightsStat {
                kind,
                state,
                count,
                late,
                mean_close_ms: (closed > 0).then(|| sum / closed as f64),
            })
            .collect())
    }

    /// Saves a new identity challenge for a request.
    pub async fn put_identity_challenge(
        &self,
        request_id: &str,
        method: &str,
        challenge: &str,
        at: Millis,
    ) -> Result<StoredChallenge, StoreError> {
        let id = format!("ch_{}", hex::encode(random_bytes(8)?));
        let mut c = self.conn().await?;
        c.conn()
            .exec(
                "saving an identity challenge",
                "INSERT INTO identity_challenges (id, request_id, method, state, challenge, created_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?)",
                vals![&id, request_id, method, challenge, at, at],
            )
            .await?;
        Ok(StoredChallenge {
            id,
            request_id: request_id.to_owned(),
            method: method.to_owned(),
            state: "open".into(),
            challenge: challenge.to_owned(),
        })
    }

    /// The latest challenge of a request.
    pub async fn latest_identity_challenge(
        &self,
        request_id: &str,
    ) -> Result<Option<StoredChallenge>, StoreError> {
        let mut c = self.conn().await?;
        let row = c
            .conn()
            .opt(
                "reading an identity challenge",
                "SELECT id, request_id, method, state, challenge FROM identity_challenges WHERE request_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                vals![request_id],
            )
            .await?;
        row.map(|r| {
            Ok(StoredChallenge {
                id: r.text(0)?,
                request_id: r.text(1)?,
                method: r.text(2)?,
                state: r.text(3)?,
                challenge: r.text(4)?,
            })
        })
        .transpose()
    }

    /// Updates a challenge after an attempt (only while it is `open`); `false` if it was not open.
    pub async fn update_identity_challenge(
        &self,
        id: &str,
        state: &str,
        challenge: &str,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.conn().await?;
        let n = c
            .conn()
            .exec(
                "updating an identity challenge",
                "UPDATE identity_challenges SET state = ?, challenge = ?, updated_at = ? WHERE id = ? AND state = 'open'",
                vals![state, challenge, at, id],
            )
            .await?;
        Ok(n == 1)
    }

    /// Records the encrypted export of a request (replacing an earlier one).
    pub async fn put_rights_export(&self, e: &RightsExport) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .exec(
                "recording an export",
                "DELETE FROM rights_exports WHERE request_id = ?",
                vals![&e.request_id],
            )
            .await?;
        c.conn()
            .exec(
                "recording an export",
                "INSERT INTO rights_exports (request_id, file_name, bytes, sha256, created_at, expires_at, downloads) VALUES (?, ?, ?, ?, ?, ?, 0)",
                vals![&e.request_id, &e.file_name, e.bytes, &e.sha256, e.created_at, e.expires_at],
            )
            .await?;
        Ok(())
    }

    /// The export of a request.
    pub async fn get_rights_export(
        &self,
        request_id: &str,
    ) -> Result<Option<RightsExport>, StoreError> {
        let mut c = self.conn().await?;
        let row = c
            .conn()
            .opt(
                "reading an export",
                "SELECT request_id, file_name, bytes, sha256, created_at, expires_at, downloads FROM rights_exports WHERE request_id = ?",
                vals![request_id],
            )
            .await?;
        row.map(|r| {
            Ok(RightsExport {
                request_id: r.text(0)?,
                file_name: r.text(1)?,
                bytes: r.i64(2)?,
                sha256: r.text(3)?,
                created_at: r.i64(4)?,
                expires_at: r.i64(5)?,
                downloads: r.i64(6)?,
            })
        })
        .transpose()
    }

    /// Counts a download.
    pub async fn count_rights_download(&self, request_id: &str) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .exec(
                "counting a download",
                "UPDATE rights_exports SET downloads = downloads + 1 WHERE request_id = ?",
                vals![request_id],
            )
            .await?;
        Ok(())
    }

    /// Adds a follow-up task once (a rerun does not duplicate it).
    pub async fn add_rights_task(
        &self,
        request_id: &str,
        target: &str,
        kind: &str,
        note: Option<&str>,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .exec(
                "adding a rights task",
                "INSERT INTO rights_tasks (request_id, target, kind, state, note, created_at) VALUES (?, ?, ?, 'open', ?, ?) ON CONFLICT (request_id, target) DO NOTHING",
                vals![request_id, target, kind, note, at],
            )
            .await?;
        Ok(())
    }

    /// Marks a task done.
    pub async fn complete_rights_task(
        &self,
        request_id: &str,
        target: &str,
        note: Option<&str>,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let mut c = self.conn().await?;
        let n = c
            .conn()
            .exec(
                "completing a rights task",
                "UPDATE rights_tasks SET state = 'done', note = COALESCE(?, note), done_at = ? WHERE request_id = ? AND target = ? AND state = 'open'",
                vals![note, at, request_id, target],
            )
            .await?;
        Ok(n == 1)
    }

    /// The tasks of a request.
    pub async fn rights_tasks(&self, request_id: &str) -> Result<Vec<RightsTask>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "listing rights tasks",
                "SELECT request_id, target, kind, state, note, created_at, done_at FROM rights_tasks WHERE request_id = ? ORDER BY target",
                vals![request_id],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RightsTask {
                    request_id: r.text(0)?,
                    target: r.text(1)?,
                    kind: r.text(2)?,
                    state: r.text(3)?,
                    note: r.opt_text(4)?,
                    created_at: r.i64(5)?,
                    done_at: r.opt_i64(6)?,
                })
            })
            .collect()
    }
}

impl Store {
    /// Records a purge of expired legal holds of a closed erasure request: an audit event
    /// `rights.hold_purged` whose payload (committed by digest) holds the counts, and a step row
    /// (state unchanged, `to_state` = `hold_purged`). Counts and dates only.
    pub async fn record_hold_purge(
        &self,
        request_id: &str,
        detail: serde_json::Value,
        actor: &str,
        at: Millis,
    ) -> Result<i64, StoreError> {
        let mut w = self.begin_write().await?;
        let seq = w
            .append(Append {
                at,
                kind: "rights.hold_purged",
                actor,
                subject: None,
                payload: Some(serde_json::json!({ "request": request_id, "purge": detail })),
                outbox: None,
            })
            .await?;
        step_row(&mut w, request_id, seq, at, None, "hold_purged", actor).await?;
        w.commit().await?;
        Ok(seq)
    }
}

async fn step_row(
    w: &mut crate::store::Write,
    id: &str,
    seq: i64,
    at: Millis,
    from: Option<&str>,
    to: &str,
    actor: &str,
) -> Result<(), StoreError> {
    w.conn()
        .exec(
            "recording a rights step",
            "INSERT INTO rights_steps (request_id, seq, at, from_state, to_state, actor) VALUES (?, ?, ?, ?, ?, ?)",
            vals![id, seq, at, from, to, actor],
        )
        .await?;
    Ok(())
}

/// The China-time (UTC+8) calendar date of an instant, `YYYY-MM-DD`.
pub fn china_date(at: Millis) -> String {
    let mut s = xiezhi_decide::time::format_rfc3339(at + 8 * 3_600_000);
    s.truncate(10);
    s
}
