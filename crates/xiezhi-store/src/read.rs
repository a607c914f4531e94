//! Reads: subject state, consent history, tags, the outbox.

use serde::{Deserialize, Serialize};
use xiezhi_decide::{
    ConsentKind, ConsentState, ConsentStatus, Millis, MinorStatus, PushCategory, PushChannel,
    PushRefusal, SubjectState, TagState,
};

use crate::StoreError;
use crate::db::{Conn, vals};
use crate::store::Store;

/// One consent record (history row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Row id (increasing).
    pub id: i64,
    /// Purpose id.
    pub purpose: String,
    /// Granted, refused or withdrawn.
    pub status: ConsentStatus,
    /// Kind.
    pub kind: ConsentKind,
    /// Digest of the scope agreed to.
    pub scope_digest: String,
    /// Processing-rules version shown.
    pub rules_version: Option<String>,
    /// Where it was given.
    pub channel: String,
    /// Guardian who gave it (guardian consent).
    pub guardian: Option<String>,
    /// When.
    pub at: Millis,
    /// After a refusal: when the platform may ask again.
    pub ask_again_after: Option<Millis>,
    /// Marked stale after a scope change.
    pub stale: bool,
    /// Audit seq of the act.
    pub seq: i64,
    /// Digest of the audit payload (scope snapshot, evidence).
    pub payload_digest: Option<String>,
}

/// A public change event (outbox row) for webhooks and SSE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEvent {
    /// Audit seq of the change.
    pub seq: i64,
    /// When.
    pub at: Millis,
    /// Subject concerned (`None` for policy changes).
    pub subject: Option<String>,
    /// Event kind, e.g. `consent.granted`.
    pub kind: String,
    /// Public data of the change (no label, evidence or guardian id).
    pub data: serde_json::Value,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} value in the database"))
}

const CONSENT_COLS: &str = "id, purpose, status, kind, scope_digest, rules_version, channel, guardian, at, ask_again_after, stale, seq, payload_digest";

fn consent_record(r: &crate::db::Row) -> Result<ConsentRecord, StoreError> {
    Ok(ConsentRecord {
        id: r.i64(0)?,
        purpose: r.text(1)?,
        status: ConsentStatus::parse(&r.text(2)?).ok_or_else(|| corrupt("consent status"))?,
        kind: ConsentKind::parse(&r.text(3)?).ok_or_else(|| corrupt("consent kind"))?,
        scope_digest: r.text(4)?,
        rules_version: r.opt_text(5)?,
        channel: r.text(6)?,
        guardian: r.opt_text(7)?,
        at: r.i64(8)?,
        ask_again_after: r.opt_i64(9)?,
        stale: r.bool(10)?,
        seq: r.i64(11)?,
        payload_digest: r.opt_text(12)?,
    })
}

pub(crate) async fn tags_on(c: &mut Conn<'_>, subject: &str) -> Result<Vec<TagState>, StoreError> {
    let rows = c
        .all(
            "reading tags",
            "SELECT tag_id, label, source, personal, added, deleted_since FROM tags WHERE subject = ? ORDER BY tag_id",
            vals![subject],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(TagState {
                id: r.text(0)?,
                label: r.text(1)?,
                source: r.text(2)?,
                personal: r.bool(3)?,
                added: r.i64(4)?,
                deleted_since: r.opt_i64(5)?,
            })
        })
        .collect()
}

/// Builds the state of `subject` on a connection (inside a write, after its changes).
pub(crate) async fn load_subject_on(
    c: &mut Conn<'_>,
    subject: &str,
) -> Result<SubjectState, StoreError> {
    let mut s = SubjectState::default();
    if let Some(r) = c
        .opt(
            "reading the subject",
            "SELECT version, recommendation_off_since, restricted_since, under_14, guardian FROM subjects WHERE subject = ?",
            vals![subject],
        )
        .await?
    {
        s.version = r.i64(0)?;
        s.recommendation_off_since = r.opt_i64(1)?;
        s.restricted_since = r.opt_i64(2)?;
        s.minor = MinorStatus {
            under_14: r.bool(3)?,
            guardian_linked: r.opt_text(4)?.is_some(),
        };
    } else {
        return Ok(s);
    }
    for r in c
        .all(
            "reading push refusals",
            "SELECT channel, category, since FROM push_refusals WHERE subject = ?",
            vals![subject],
        )
        .await?
    {
        s.push_refusals.push(PushRefusal {
            channel: PushChannel::parse(&r.text(0)?).ok_or_else(|| corrupt("push channel"))?,
            category: PushCategory::parse(&r.text(1)?).ok_or_else(|| corrupt("push category"))?,
            since: r.i64(2)?,
        });
    }
    s.tags = tags_on(c, subject).await?;
    let sql = format!(
        "SELECT {CONSENT_COLS} FROM consents c WHERE subject = ? \
         AND id = (SELECT MAX(l.id) FROM consents l WHERE l.subject = c.subject AND l.purpose = c.purpose) \
         ORDER BY purpose"
    );
    for r in c.all("reading consents", &sql, vals![subject]).await? {
        let rec = consent_record(&r)?;
        s.consents.push(ConsentState {
            purpose: rec.purpose,
            status: rec.status,
            kind: rec.kind,
            scope_digest: rec.scope_digest,
            rules_version: rec.rules_version,
            since: rec.at,
            ask_again_after: rec.ask_again_after,
            stale: rec.stale,
        });
    }
    s.normalise();
    Ok(s)
}

fn outbox_event(r: &crate::db::Row) -> Result<OutboxEvent, StoreError> {
    let data = r.text(4)?;
    Ok(OutboxEvent {
        seq: r.i64(0)?,
        at: r.i64(1)?,
        subject: r.opt_text(2)?,
        kind: r.text(3)?,
        data: serde_json::from_str(&data)
            .map_err(|_| StoreError::Corrupt("outbox data is not JSON".into()))?,
    })
}

pub(crate) async fn outbox_at(
    c: &mut Conn<'_>,
    seq: i64,
) -> Result<Option<OutboxEvent>, StoreError> {
    c.opt(
        "reading the outbox",
        "SELECT seq, at, subject, kind, data FROM outbox WHERE seq = ?",
        vals![seq],
    )
    .await?
    .map(|r| outbox_event(&r))
    .transpose()
}

impl Store {
    /// The subject's current state (the default state if nothing was ever recorded).
    pub async fn load_subject(&self, subject: &str) -> Result<SubjectState, StoreError> {
        let mut c = self.conn().await?;
        load_subject_on(&mut c.conn(), subject).await
    }

    /// Every consent record of the subject, oldest first.
    pub async fn consent_history(&self, subject: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        let mut c = self.conn().await?;
        let sql = format!("SELECT {CONSENT_COLS} FROM consents WHERE subject = ? ORDER BY id");
        c.conn()
            .all("reading consent history", &sql, vals![subject])
            .await?
            .iter()
            .map(consent_record)
            .collect()
    }

    /// The subject's tags including tombstones, by id.
    pub async fn tags(&self, subject: &str) -> Result<Vec<TagState>, StoreError> {
        let mut c = self.conn().await?;
        tags_on(&mut c.conn(), subject).await
    }

    /// The last audit seq (0 for an empty chain).
    pub async fn head_seq(&self) -> Result<i64, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .one(
                "reading the chain head",
                "SELECT seq FROM audit_head WHERE id = 1",
                vec![],
            )
            .await?
            .i64(0)
    }

    /// Outbox events with seq greater than `seq`, in seq order, at most `limit`.
    pub async fn events_after(&self, seq: i64, limit: u32) -> Result<Vec<OutboxEvent>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "reading the outbox",
                "SELECT seq, at, subject, kind, data FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                vals![seq, i64::from(limit)],
            )
            .await?
            .iter()
            .map(outbox_event)
            .collect()
    }

    /// Subjects changed after `seq`, each with its latest seq, ordered by that seq (for cache
    /// invalidation).
    pub async fn changed_subjects_after(&self, seq: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "reading changed subjects",
                "SELECT subject, MAX(seq) AS s FROM outbox WHERE seq > ? AND subject IS NOT NULL GROUP BY subject ORDER BY s",
                vals![seq],
            )
            .await?
            .iter()
            .map(|r| Ok((r.text(0)?, r.i64(1)?)))
            .collect()
    }
}
