//! Webhooks and their deliveries, driven by the outbox.

use serde::{Deserialize, Serialize};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::read::{OutboxEvent, outbox_at};
use crate::store::{Append, Store, random_bytes};

/// A registered webhook. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// Id.
    pub id: String,
    /// Target URL.
    pub url: String,
    /// Secret used to sign deliveries (HMAC); stored as given because signing needs it.
    #[serde(skip_serializing)]
    pub secret: String,
    /// Event kinds delivered (empty = all).
    pub kinds: Vec<String>,
    /// Created at.
    pub created_at: Millis,
    /// Outbox seq up to which deliveries were scheduled.
    pub cursor: i64,
    /// Whether deliveries are scheduled.
    pub active: bool,
}

/// One delivery due: an outbox event for one webhook. `Debug` hides the secret and the
/// subject.
#[derive(Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Webhook id.
    pub webhook_id: String,
    /// Target URL.
    pub url: String,
    /// Signing secret.
    pub secret: String,
    /// Attempts made so far.
    pub attempts: i64,
    /// The event.
    pub event: OutboxEvent,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("kinds", &self.kinds)
            .field("cursor", &self.cursor)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("webhook_id", &self.webhook_id)
            .field("url", &self.url)
            .field("attempts", &self.attempts)
            .field("seq", &self.event.seq)
            .field("kind", &self.event.kind)
            .finish_non_exhaustive()
    }
}

fn webhook(r: &crate::db::Row) -> Result<Webhook, StoreError> {
    let kinds: Vec<String> = serde_json::from_str(&r.text(3)?)
        .map_err(|_| StoreError::Corrupt("webhook kinds are not a JSON list".into()))?;
    Ok(Webhook {
        id: r.text(0)?,
        url: r.text(1)?,
        secret: r.text(2)?,
        kinds,
        created_at: r.i64(4)?,
        cursor: r.i64(5)?,
        active: r.bool(6)?,
    })
}

const WEBHOOK_COLS: &str = "id, url, secret, kinds, created_at, cursor, active";

impl Store {
    /// Registers a webhook for events of `kinds` (empty = all) from now on.
    pub async fn create_webhook(
        &self,
        url: &str,
        secret: &str,
        kinds: &[String],
        actor: &str,
        at: Millis,
    ) -> Result<Webhook, StoreError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(StoreError::InvalidInput(
                "a webhook URL must start with https:// or http://".into(),
            ));
        }
        if secret.len() < 16 {
            return Err(StoreError::InvalidInput(
                "a webhook secret must have at least 16 characters".into(),
            ));
        }
        let id = format!("wh_{}", hex::encode(random_bytes(8)?));
        let kinds_json = serde_json::to_string(kinds)
            .map_err(|e| StoreError::InvalidInput(format!("webhook kinds: {e}")))?;
        let mut w = self.begin_write().await?;
        let cursor = w.head_seq;
        w.conn()
            .exec(
                "creating a webhook",
                "INSERT INTO webhooks (id, url, secret, kinds, created_at, cursor, active) VALUES (?, ?, ?, ?, ?, ?, ?)",
                vals![&id, url, secret, kinds_json, at, cursor, true],
            )
            .await?;
        w.append(Append {
            at,
            kind: "webhook.created",
            actor,
            subject: None,
            payload: Some(serde_json::json!({ "id": id, "url": url, "kinds": kinds })),
            outbox: None,
        })
        .await?;
        w.commit().await?;
        Ok(Webhook {
            id,
            url: url.to_owned(),
            secret: secret.to_owned(),
            kinds: kinds.to_vec(),
            created_at: at,
            cursor,
            active: true,
        })
    }

    /// Every webhook.
    pub async fn list_webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        let mut c = self.conn().await?;
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks ORDER BY created_at, id");
        c.conn()
            .all("listing webhooks", &sql, vec![])
            .await?
            .iter()
            .map(webhook)
            .collect()
    }

    /// Schedules deliveries for outbox events newer than each webhook's cursor, then returns
    /// up to `limit` deliveries due at `now`, in seq order. A delivery waiting behind an
    /// earlier, undelivered one of the same webhook that is not due yet (backing off after a
    /// failure) is held back, so each receiver gets its events in order.
    pub async fn pending_deliveries(
        &self,
        now: Millis,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        // Scheduling writes rows, so it runs under the write lock (no audit event: bookkeeping).
        let mut w = self.begin_write().await?;
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE active = ? ORDER BY id");
        let hooks: Vec<Webhook> = w
            .conn()
            .all("listing webhooks", &sql, vals![true])
            .await?
            .iter()
            .map(webhook)
            .collect::<Result<_, _>>()?;
        let head = w.head_seq;
        for h in &hooks {
            if h.cursor >= head {
                continue;
            }
            let rows = w
                .conn()
                .all(
                    "reading the outbox",
                    "SELECT seq, kind FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq",
                    vals![h.cursor, head],
                )
                .await?;
            for r in rows {
                let (seq, kind) = (r.i64(0)?, r.text(1)?);
                if !h.kinds.is_empty() && !h.kinds.contains(&kind) {
                    continue;
                }
                w.conn()
                    .exec(
                        "scheduling a delivery",
                        "INSERT INTO webhook_deliveries (webhook_id, seq, attempts, next_attempt_at) VALUES (?, ?, 0, ?) ON CONFLICT (webhook_id, seq) DO NOTHING",
                        vals![&h.id, seq, now],
                    )
                    .await?;
            }
            w.conn()
                .exec(
                    "moving the webhook cursor",
                    "UPDATE webhooks SET cursor = ? WHERE id = ?",
                    vals![head, &h.id],
                )
                .await?;
        }
        let due = w
            .conn()
            .all(
                "reading due deliveries",
                "SELECT d.webhook_id, h.url, h.secret, d.attempts, d.seq FROM webhook_deliveries d \
                 JOIN webhooks h ON h.id = d.webhook_id \
                 WHERE d.delivered_at IS NULL AND d.next_attempt_at <= ? AND h.active = ? \
                 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id \
                 AND e.delivered_at IS NULL AND e.seq < d.seq AND e.next_attempt_at > ?) \
                 ORDER BY d.seq, d.webhook_id LIMIT ?",
                vals![now, true, now, i64::from(limit)],
            )
            .await?;
        let mut out = Vec::with_capacity(due.len());
        for r in due {
            let seq = r.i64(4)?;
            let Some(event) = outbox_at(&mut w.conn(), seq).await? else {
                continue;
            };
            out.push(Delivery {
                webhook_id: r.text(0)?,
                url: r.text(1)?,
                secret: r.text(2)?,
                attempts: r.i64(3)?,
                event,
            });
        }
        w.commit().await?;
        Ok(out)
    }

    /// Records a successful delivery.
    pub async fn mark_delivered(
        &self,
        webhook_id: &str,
        seq: i64,
        at: Millis,
    ) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .exec(
                "marking a delivery done",
                "UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE webhook_id = ? AND seq = ?",
                vals![at, webhook_id, seq],
            )
            .await?;
        Ok(())
    }

    /// Records a failed attempt; the delivery is due again at `next_attempt_at`.
    pub async fn mark_failed(
        &self,
        webhook_id: &str,
        seq: i64,
        error: &str,
        next_attempt_at: Millis,
    ) -> Result<(), StoreError> {
        let mut c = self.conn().await?;
        let error: String = error.chars().take(500).collect();
        c.conn()
            .exec(
                "marking a delivery failed",
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE webhook_id = ? AND seq = ?",
                vals![error, next_attempt_at, webhook_id, seq],
            )
            .await?;
        Ok(())
    }
}
