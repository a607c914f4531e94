//! Audit chain operations over the stored rows: checkpoint, verify, export, erase payloads.
//! The format and the verification logic are `xiezhi-audit`'s; this module only streams rows.

use xiezhi_audit::{
    AuditEvent, BadEvent, Checkpoint, ExportEvent, ExportLine, Payload, Problem, SigningKey,
    Verifier, VerifyReport, VerifyingKey,
};
use xiezhi_decide::Millis;

use crate::StoreError;
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

async fn checkpoints(c: &mut Conn<'_>) -> Result<Vec<(Checkpoint, String)>, StoreError> {
    c.all(
        "reading checkpoints",
        "SELECT seq, hash, at, key_id, signature, public_key FROM audit_checkpoints ORDER BY seq, key_id",
        vec![],
    )
    .await?
    .iter()
    .map(|r| {
        Ok((
            Checkpoint {
                seq: r.i64(0)?,
                hash: r.text(1)?,
                at: r.i64(2)?,
                key_id: r.text(3)?,
                signature: r.text(4)?,
            },
            r.text(5)?,
        ))
    })
    .collect()
}

async fn head(c: &mut Conn<'_>) -> Result<(i64, String), StoreError> {
    let r = c
        .one(
            "reading the chain head",
            "SELECT seq, hash FROM audit_head WHERE id = 1",
            vec![],
        )
        .await?;
    Ok((r.i64(0)?, r.text(1)?))
}

impl Store {
    /// Signs a checkpoint of the current chain head with `key` and stores it. Fails on an
    /// empty chain.
    pub async fn audit_checkpoint(
        &self,
        key: &SigningKey,
        at: Millis,
    ) -> Result<Checkpoint, StoreError> {
        let mut c = self.conn().await?;
        let (seq, hash) = head(&mut c.conn()).await?;
        if seq == 0 {
            return Err(StoreError::InvalidInput(
                "the audit chain is empty: nothing to checkpoint yet".into(),
            ));
        }
        let cp = key.sign_checkpoint(seq, &hash, at);
        c.conn()
            .exec(
                "storing a checkpoint",
                "INSERT INTO audit_checkpoints (seq, hash, at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (seq, key_id) DO NOTHING",
                vals![cp.seq, &cp.hash, cp.at, &cp.key_id, key.public_key_hex(), &cp.signature],
            )
            .await?;
        Ok(cp)
    }

    /// Audit events recorded in `[from, to)` (milliseconds), for reports.
    pub async fn audit_event_count(&self, from: Millis, to: Millis) -> Result<i64, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .one(
                "counting audit events",
                "SELECT COUNT(*) FROM audit_events WHERE at >= ? AND at < ?",
                vals![from, to],
            )
            .await?
            .i64(0)
    }

    /// Every stored checkpoint, by seq.
    pub async fn audit_checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        let mut c = self.conn().await?;
        Ok(checkpoints(&mut c.conn())
            .await?
            .into_iter()
            .map(|(cp, _)| cp)
            .collect())
    }

    /// Verifies the whole chain in seq order (streamed page by page through
    /// [`xiezhi_audit::Verifier`]) against the stored checkpoints, trusting only `keys` (pass
    /// the public keys you hold, not ones read from this database), and checks each kept
    /// payload against the digest the chain commits to. A chain that ends before the stored
    /// head is reported as a gap.
    pub async fn audit_verify(&self, keys: &[VerifyingKey]) -> Result<VerifyReport, StoreError> {
        let mut c = self.conn().await?;
        let cps = checkpoints(&mut c.conn()).await?;
        let (head_seq, _) = head(&mut c.conn()).await?;
        let mut v = Verifier::new(keys.to_vec(), cps.into_iter().map(|(cp, _)| cp));
        let mut after = 0;
        loop {
            let rows = page(&mut c.conn(), after).await?;
            if rows.is_empty() {
                break;
            }
            for (e, body) in &rows {
                let payload = match (&e.payload_digest, body) {
                    (None, None) => Payload::NotChecked,
                    (_, Some(b)) => Payload::Body(b),
                    (Some(_), None) => Payload::Erased,
                };
                v.push(e, payload);
                after = e.seq;
            }
            if v.failed() {
                break;
            }
        }
        let mut report = v.finish();
        if report.first_bad.is_none() && report.last_seq < head_seq {
            report.first_bad = Some(BadEvent {
                seq: report.last_seq + 1,
                position: report.events,
                problem: Problem::SeqGap {
                    missing_from: report.last_seq + 1,
                    missing_to: head_seq,
                },
            });
        }
        Ok(report)
    }

    /// Writes the auditors' NDJSON export (`xiezhi_audit::ExportLine`): the public keys of
    /// the stored checkpoints, the checkpoints, then every event in seq order. With
    /// `include_payloads`, each event carries its payload (PI: only for an auditor entitled to
    /// it) or `payload_erased`. Verify offline with `xiezhi_audit::verify_export_pinned`.
    /// Returns the number of events written.
    pub async fn audit_export<W: std::io::Write>(
        &self,
        mut out: W,
        include_payloads: bool,
    ) -> Result<u64, StoreError> {
        let mut c = self.conn().await?;
        let cps = checkpoints(&mut c.conn()).await?;
        let mut seen = std::collections::BTreeMap::new();
        for (cp, public_key) in &cps {
            seen.entry(cp.key_id.clone())
                .or_insert_with(|| public_key.clone());
        }
        for (key_id, public_key) in seen {
            ExportLine::Key { key_id, public_key }.write_to(&mut out)?;
        }
        for (cp, _) in cps {
            ExportLine::Checkpoint(cp).write_to(&mut out)?;
        }
        let mut after = 0;
        let mut n = 0;
        loop {
            let rows = page(&mut c.conn(), after).await?;
            if rows.is_empty() {
                break;
            }
            for (e, body) in &rows {
                let mut line = ExportEvent::new(e);
                if include_payloads && e.payload_digest.is_some() {
                    match body {
                        Some(b) => line.payload = Some(String::from_utf8_lossy(b).into_owned()),
                        None => line.payload_erased = true,
                    }
                }
                ExportLine::Event(line).write_to(&mut out)?;
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
