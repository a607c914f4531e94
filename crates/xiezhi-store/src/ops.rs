//! State changes. Each runs in one write transaction with its audit event (see
//! [`Store::begin_write`]).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use xiezhi_decide::{ConsentKind, ConsentStatus, Millis, Policy, PushCategory, PushChannel, Scope};

use crate::StoreError;
use crate::db::vals;
use crate::read::load_subject_on;
use crate::store::{Append, Change, Store, Write};

/// A tag the platform registers for a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagInput {
    /// Tag id, e.g. `interest:football`.
    pub id: String,
    /// Label shown to the user (PI: stored in the tag registry and the audit payload only).
    pub label: String,
    /// Which system derived it.
    pub source: String,
    /// Aimed at personal characteristics (the user may delete it).
    pub personal: bool,
}

/// A consent decision to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentInput {
    /// Subject id.
    pub subject: String,
    /// Purpose id.
    pub purpose: String,
    /// `Granted` or `Refused` (withdrawal has its own operation).
    pub status: ConsentStatus,
    /// Kind of consent given or asked for.
    pub kind: ConsentKind,
    /// Processing-rules version shown.
    pub rules_version: Option<String>,
    /// The scope shown to the person (snapshot kept as an audit payload).
    pub scope: Scope,
    /// Where it was given, e.g. `app:settings`.
    pub channel: String,
    /// Evidence (screen id, text hash, signature…), kept as an audit payload.
    pub evidence: Option<Value>,
    /// With kind `Guardian`: the guardian giving it (must be the linked one; defaults to it).
    pub guardian: Option<String>,
}

impl Store {
    async fn finish(&self, mut w: Write, subject: &str, seq: i64) -> Result<Change, StoreError> {
        let state = load_subject_on(&mut w.conn(), subject).await?;
        w.commit().await?;
        Ok(Change { seq, state })
    }

    /// Switches personalised recommendations on or off (Reg. art. 17 / PIPL 24).
    pub async fn set_recommendation(
        &self,
        subject: &str,
        on: bool,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        let sql = if on {
            "UPDATE subjects SET recommendation_off_since = NULL WHERE subject = ?"
        } else {
            "UPDATE subjects SET recommendation_off_since = COALESCE(recommendation_off_since, ?) WHERE subject = ?"
        };
        let args = if on {
            vals![subject]
        } else {
            vals![at, subject]
        };
        w.conn()
            .exec("switching recommendations", sql, args)
            .await?;
        let seq = w
            .append(Append {
                at,
                kind: "preference.recommendation",
                actor,
                subject: Some(subject),
                payload: None,
                outbox: Some(json!({ "on": on })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Refuses (or accepts again) pushes on a channel for a category.
    pub async fn set_push(
        &self,
        subject: &str,
        channel: PushChannel,
        category: PushCategory,
        refused: bool,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        if refused {
            w.conn()
                .exec(
                    "refusing pushes",
                    "INSERT INTO push_refusals (subject, channel, category, since) VALUES (?, ?, ?, ?) ON CONFLICT (subject, channel, category) DO NOTHING",
                    vals![subject, channel.as_str(), category.as_str(), at],
                )
                .await?;
        } else {
            w.conn()
                .exec(
                    "accepting pushes",
                    "DELETE FROM push_refusals WHERE subject = ? AND channel = ? AND category = ?",
                    vals![subject, channel.as_str(), category.as_str()],
                )
                .await?;
        }
        let seq = w
            .append(Append {
                at,
                kind: "preference.push",
                actor,
                subject: Some(subject),
                payload: None,
                outbox: Some(json!({
                    "channel": channel.as_str(),
                    "category": category.as_str(),
                    "refused": refused,
                })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Restricts processing to storage only (PIPL 44/47 requests), or lifts the restriction.
    pub async fn set_restricted(
        &self,
        subject: &str,
        restricted: bool,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        let (sql, args) = if restricted {
            (
                "UPDATE subjects SET restricted_since = COALESCE(restricted_since, ?) WHERE subject = ?",
                vals![at, subject],
            )
        } else {
            (
                "UPDATE subjects SET restricted_since = NULL WHERE subject = ?",
                vals![subject],
            )
        };
        w.conn().exec("restricting processing", sql, args).await?;
        let seq = w
            .append(Append {
                at,
                kind: "subject.restricted",
                actor,
                subject: Some(subject),
                payload: None,
                outbox: Some(json!({ "restricted": restricted })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Registers a tag for the subject. Fails with [`StoreError::TagTombstoned`] when the user
    /// deleted it before.
    pub async fn register_tag(
        &self,
        subject: &str,
        tag: TagInput,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        if tag.id.is_empty() {
            return Err(StoreError::InvalidInput("the tag id is empty".into()));
        }
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        let existing = w
            .conn()
            .opt(
                "reading the tag",
                "SELECT deleted_since FROM tags WHERE subject = ? AND tag_id = ?",
                vals![subject, &tag.id],
            )
            .await?;
        if let Some(r) = existing
            && r.opt_i64(0)?.is_some()
        {
            return Err(StoreError::TagTombstoned { tag: tag.id });
        }
        w.conn()
            .exec(
                "registering the tag",
                "INSERT INTO tags (subject, tag_id, label, source, personal, added) VALUES (?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (subject, tag_id) DO UPDATE SET label = excluded.label, source = excluded.source, personal = excluded.personal, added = excluded.added",
                vals![subject, &tag.id, &tag.label, &tag.source, tag.personal, at],
            )
            .await?;
        let seq = w
            .append(Append {
                at,
                kind: "tag.registered",
                actor,
                subject: Some(subject),
                payload: Some(json!({
                    "subject": subject,
                    "tag": tag.id,
                    "label": tag.label,
                    "source": tag.source,
                    "personal": tag.personal,
                })),
                outbox: Some(json!({ "tag": tag.id, "personal": tag.personal })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Deletes a tag on the user's request: leaves a tombstone so it cannot come back.
    pub async fn delete_tag(
        &self,
        subject: &str,
        tag_id: &str,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        let n = w
            .conn()
            .exec(
                "deleting the tag",
                "UPDATE tags SET deleted_since = COALESCE(deleted_since, ?) WHERE subject = ? AND tag_id = ?",
                vals![at, subject, tag_id],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::TagNotFound {
                tag: tag_id.to_owned(),
            });
        }
        w.ensure_subject(subject).await?;
        let seq = w
            .append(Append {
                at,
                kind: "tag.deleted",
                actor,
                subject: Some(subject),
                payload: Some(json!({ "subject": subject, "tag": tag_id })),
                outbox: Some(json!({ "tag": tag_id })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Records a consent given or refused. A refusal sets `ask_again_after = at + cool-down`.
    /// Guardian consent needs a linked guardian and names him.
    pub async fn record_consent(
        &self,
        input: ConsentInput,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let ConsentInput {
            subject,
            purpose,
            status,
            kind,
            rules_version,
            scope,
            channel,
            evidence,
            guardian,
        } = input;
        if purpose.is_empty() {
            return Err(StoreError::InvalidInput("the purpose is empty".into()));
        }
        let kind_name = match status {
            ConsentStatus::Granted => "consent.granted",
            ConsentStatus::Refused => "consent.refused",
            ConsentStatus::Withdrawn => {
                return Err(StoreError::InvalidInput(
                    "record a withdrawal with withdraw_consent, not record_consent".into(),
                ));
            }
        };
        let mut w = self.begin_write().await?;
        w.ensure_subject(&subject).await?;
        let guardian = if kind == ConsentKind::Guardian {
            let linked = w
                .conn()
                .one(
                    "reading the guardian link",
                    "SELECT guardian FROM subjects WHERE subject = ?",
                    vals![&subject],
                )
                .await?
                .opt_text(0)?;
            let Some(linked) = linked else {
                return Err(StoreError::GuardianNotLinked);
            };
            if let Some(g) = &guardian
                && *g != linked
            {
                return Err(StoreError::GuardianMismatch);
            }
            Some(linked)
        } else {
            guardian
        };
        let scope = scope.normalised();
        let scope_digest = scope.digest();
        let ask_again_after = match status {
            ConsentStatus::Refused => Some(at.saturating_add(self.refusal_cool_down_ms())),
            _ => None,
        };
        let payload = json!({
            "subject": subject,
            "purpose": purpose,
            "status": status.as_str(),
            "kind": kind.as_str(),
            "scope": scope,
            "scope_digest": scope_digest,
            "rules_version": rules_version,
            "channel": channel,
            "evidence": evidence,
            "guardian": guardian,
        });
        let seq = w
            .append(Append {
                at,
                kind: kind_name,
                actor,
                subject: Some(&subject),
                payload: Some(payload),
                outbox: Some(json!({
                    "purpose": purpose,
                    "status": status.as_str(),
                    "kind": kind.as_str(),
                    "scope_digest": scope_digest,
                    "ask_again_after": ask_again_after,
                })),
            })
            .await?;
        let digest: Option<String> = w
            .conn()
            .opt(
                "reading the payload digest",
                "SELECT digest FROM audit_payloads WHERE seq = ?",
                vals![seq],
            )
            .await?
            .map(|r| r.text(0))
            .transpose()?;
        w.conn()
            .exec(
                "recording the consent",
                "INSERT INTO consents (subject, purpose, status, kind, scope_digest, rules_version, channel, guardian, at, ask_again_after, stale, seq, payload_digest) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vals![&subject, &purpose, status.as_str(), kind.as_str(), scope_digest, rules_version, channel, guardian, at, ask_again_after, false, seq, digest],
            )
            .await?;
        self.finish(w, &subject, seq).await
    }

    /// Withdraws a granted consent (PIPL 15). [`StoreError::ConsentNotGranted`] when the latest
    /// record for the purpose is not a grant.
    pub async fn withdraw_consent(
        &self,
        subject: &str,
        purpose: &str,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        let latest = w
            .conn()
            .opt(
                "reading the current consent",
                "SELECT status, kind, scope_digest, rules_version, channel, guardian FROM consents \
                 WHERE subject = ? AND purpose = ? ORDER BY id DESC LIMIT 1",
                vals![subject, purpose],
            )
            .await?;
        let Some(r) = latest.filter(|r| r.text(0).ok().as_deref() == Some("granted")) else {
            return Err(StoreError::ConsentNotGranted {
                purpose: purpose.to_owned(),
            });
        };
        let (kind, digest, rules, channel, guardian) = (
            r.text(1)?,
            r.text(2)?,
            r.opt_text(3)?,
            r.text(4)?,
            r.opt_text(5)?,
        );
        w.ensure_subject(subject).await?;
        let seq = w
            .append(Append {
                at,
                kind: "consent.withdrawn",
                actor,
                subject: Some(subject),
                payload: None,
                outbox: Some(json!({ "purpose": purpose, "status": "withdrawn" })),
            })
            .await?;
        w.conn()
            .exec(
                "recording the withdrawal",
                "INSERT INTO consents (subject, purpose, status, kind, scope_digest, rules_version, channel, guardian, at, ask_again_after, stale, seq, payload_digest) \
                 VALUES (?, ?, 'withdrawn', ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)",
                vals![subject, purpose, kind, digest, rules, channel, guardian, at, false, seq],
            )
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Marks whether the subject is under 14 (PIPL 31).
    pub async fn set_minor(
        &self,
        subject: &str,
        under_14: bool,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        let mut w = self.begin_write().await?;
        w.ensure_subject(subject).await?;
        w.conn()
            .exec(
                "setting the age status",
                "UPDATE subjects SET under_14 = ? WHERE subject = ?",
                vals![under_14, subject],
            )
            .await?;
        let seq = w
            .append(Append {
                at,
                kind: "subject.minor",
                actor,
                subject: Some(subject),
                payload: None,
                outbox: Some(json!({ "under_14": under_14 })),
            })
            .await?;
        self.finish(w, subject, seq).await
    }

    /// Links the child's parent or guardian (PIPL 31). The guardian id and the evidence are PI
    /// kept in the subject row and the audit payload.
    pub async fn link_guardian(
        &self,
        child: &str,
        guardian: &str,
        evidence: Option<Value>,
        actor: &str,
        at: Millis,
    ) -> Result<Change, StoreError> {
        if guardian.is_empty() {
            return Err(StoreError::InvalidInput("the guardian id is empty".into()));
        }
        if guardian == child {
            return Err(StoreError::InvalidInput(
                "a subject cannot be its own guardian".into(),
            ));
        }
        let mut w = self.begin_write().await?;
        w.ensure_subject(child).await?;
        w.conn()
            .exec(
                "linking the guardian",
                "UPDATE subjects SET guardian = ?, guardian_linked_at = ? WHERE subject = ?",
                vals![guardian, at, child],
            )
            .await?;
        let seq = w
            .append(Append {
                at,
                kind: "guardian.linked",
                actor,
                subject: Some(child),
                payload: Some(json!({
                    "subject": child,
                    "guardian": guardian,
                    "evidence": evidence,
                })),
                outbox: Some(json!({ "guardian_linked": true })),
            })
            .await?;
        self.finish(w, child, seq).await
    }

    /// Marks stale every current grant for `purpose` whose scope digest differs from
    /// `new_scope_digest` (Reg. art. 22(6): a changed scope needs fresh consent). One audit
    /// event per subject affected. Returns how many were marked.
    pub async fn mark_stale(
        &self,
        purpose: &str,
        new_scope_digest: &str,
        actor: &str,
        at: Millis,
    ) -> Result<u64, StoreError> {
        let mut w = self.begin_write().await?;
        let n = mark_stale_in(&mut w, purpose, new_scope_digest, actor, at).await?;
        w.commit().await?;
        Ok(n)
    }

    /// Stores each purpose's current scope digest (table `purposes`) and marks consents stale
    /// where a purpose's scope changed. Returns `(purpose, consents marked)` for each purpose
    /// whose scope is new or changed.
    pub async fn sync_purposes(
        &self,
        policy: &Policy,
        actor: &str,
        at: Millis,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut w = self.begin_write().await?;
        let mut out = Vec::new();
        for p in policy.purposes() {
            let old = w
                .conn()
                .opt(
                    "reading a purpose",
                    "SELECT scope_digest FROM purposes WHERE purpose = ?",
                    vals![&p.id],
                )
                .await?
                .map(|r| r.text(0))
                .transpose()?;
            if old.as_deref() == Some(p.scope_digest.as_str()) {
                continue;
            }
            w.conn()
                .exec(
                    "storing a purpose",
                    "INSERT INTO purposes (purpose, scope_digest, updated_at) VALUES (?, ?, ?) \
                     ON CONFLICT (purpose) DO UPDATE SET scope_digest = excluded.scope_digest, updated_at = excluded.updated_at",
                    vals![&p.id, &p.scope_digest, at],
                )
                .await?;
            w.append(Append {
                at,
                kind: "policy.changed",
                actor,
                subject: None,
                payload: Some(json!({
                    "purpose": p.id,
                    "scope": p.scope,
                    "scope_digest": p.scope_digest,
                    "previous_scope_digest": old,
                })),
                outbox: Some(json!({
                    "purpose": p.id,
                    "scope_digest": p.scope_digest,
                })),
            })
            .await?;
            // Consents given before the purpose was known are checked too: a grant whose
            // digest differs from the current scope no longer covers it.
            let n = mark_stale_in(&mut w, &p.id, &p.scope_digest, actor, at).await?;
            out.push((p.id.clone(), n));
        }
        w.commit().await?;
        Ok(out)
    }
}

async fn mark_stale_in(
    w: &mut Write,
    purpose: &str,
    new_digest: &str,
    actor: &str,
    at: Millis,
) -> Result<u64, StoreError> {
    let rows = w
        .conn()
        .all(
            "finding consents to mark stale",
            "SELECT c.id, c.subject FROM consents c \
             WHERE c.purpose = ? AND c.status = 'granted' AND c.stale = ? AND c.scope_digest <> ? \
             AND c.id = (SELECT MAX(l.id) FROM consents l WHERE l.subject = c.subject AND l.purpose = c.purpose) \
             ORDER BY c.id",
            vals![purpose, false, new_digest],
        )
        .await?;
    let mut n = 0;
    for r in rows {
        let (id, subject) = (r.i64(0)?, r.text(1)?);
        w.conn()
            .exec(
                "marking a consent stale",
                "UPDATE consents SET stale = ? WHERE id = ?",
                vals![true, id],
            )
            .await?;
        w.append(Append {
            at,
            kind: "consent.stale_marked",
            actor,
            subject: Some(&subject),
            payload: None,
            outbox: Some(json!({ "purpose": purpose, "scope_digest": new_digest })),
        })
        .await?;
        n += 1;
    }
    Ok(n)
}
