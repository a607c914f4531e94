//! Audit chain operations over the stored rows: verify, export, erase payloads.

use serde_json::json;
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::chain::{AuditEvent, Verifier, VerifyReport};
use crate::db::{Conn, vals};
use crate::store::{Append, Store};

/// Rows read per page while streaming the chain.
const PAGE: i64 = 1000;

fn event_row(r: &crate::db::Row) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: r.i64(0)?,
        at: r.i64(1)?,
        kind: r.text(2)?,
        actor: r.text(3)?,
        subject_ref: r.opt_text(4)?,
        payload_digest: r.opt_text(5)?,
        prev_hash: r.text(6)?,
        hash: r.text(7)?,
    })
}

/// One page of events after `after`, with the payload body (if kept).
async fn page(
    c: &mut Conn<'_>,
    after: i64,
) -> Result<Vec<(AuditEvent, Option<Vec<u8>>)>, StoreError> {
    c.all(
        "reading the audit chain",
        "SELECT e.seq, e.at, e.kind, e.actor, e.subject_ref, e.payload_digest, e.prev_hash, e.hash, p.body \
         FROM audit_events e LEFT JOIN audit_payloads p ON p.seq = e.seq \
         WHERE e.seq > ? ORDER BY e.seq LIMIT ?",
        vals![after, PAGE],
    )
    .await?
    .iter()
    .map(|r| Ok((event_row(r)?, r.opt_blob(8)?)))
    .collect()
}

impl Store {
    /// Verifies the whole chain in seq order (streamed page by page), checking each kept
    /// payload against the digest the chain commits to.
    pub async fn audit_verify(&self) -> Result<VerifyReport, StoreError> {
        let mut c = self.conn().await?;
        let mut v = Verifier::new();
        let mut after = 0;
        // A chain that stops before the head (tail deleted) is a gap at the head.
        let head = c
            .conn()
            .one(
                "reading the chain head",
                "SELECT seq FROM audit_head WHERE id = 1",
                vec![],
            )
            .await?
            .i64(0)?;
        loop {
            let rows = page(&mut c.conn(), after).await?;
            if rows.is_empty() {
                break;
            }
            for (e, body) in &rows {
                v.push_event(e);
                if let Some(d) = &e.payload_digest {
                    v.push_payload(e.seq, d, body.as_deref());
                }
                after = e.seq;
            }
        }
        let mut report = v.finish();
        if report.first_bad.is_none() && after < head {
            report.first_bad = Some(crate::chain::BadEvent {
                seq: after + 1,
                problem: crate::chain::Problem::SeqGap { missing: after + 1 },
            });
        }
        Ok(report)
    }

    /// Writes the chain as NDJSON for auditors: one `{"type":"event",…}` line per event, in
    /// seq order. Payload bodies (PI) are not exported.
    pub async fn audit_export<W: std::io::Write>(&self, mut out: W) -> Result<u64, StoreError> {
        let mut c = self.conn().await?;
        let mut after = 0;
        let mut n = 0;
        loop {
            let rows = page(&mut c.conn(), after).await?;
            if rows.is_empty() {
                break;
            }
            for (e, _) in &rows {
                let line = json!({
                    "type": "event",
                    "seq": e.seq,
                    "at": e.at,
                    "kind": e.kind,
                    "actor": e.actor,
                    "subject_ref": e.subject_ref,
                    "payload_digest": e.payload_digest,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                });
                writeln!(out, "{line}")?;
                after = e.seq;
                n += 1;
            }
        }
        out.flush()?;
        Ok(n)
    }

    /// Erases every audit payload of the subject (the bodies; digests stay so the chain still
    /// verifies) and records a `payload.erased` event. Returns how many were erased.
    pub async fn erase_subject_payloads(
        &self,
        subject: &str,
        actor: &str,
        at: Millis,
    ) -> Result<u64, StoreError> {
        let mut w = self.begin_write().await?;
        let sref = w.subject_ref(subject);
        let n = w
            .conn()
            .exec(
                "erasing audit payloads",
                "UPDATE audit_payloads SET body = NULL, erased_at = ? WHERE subject_ref = ? AND body IS NOT NULL",
                vals![at, sref],
            )
            .await?;
        w.append(Append {
            at,
            kind: "payload.erased",
            actor,
            subject: Some(subject),
            payload: None,
            outbox: None,
        })
        .await?;
        w.commit().await?;
        Ok(n)
    }
}
