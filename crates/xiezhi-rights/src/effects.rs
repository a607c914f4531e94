//! The effects of a request inside Xiezhi's own runtime state and the follow-up tasks outside
//! it (SR-DSR-04): restriction to storage only (honoured by the decision API at once), consent
//! withdrawal, tag purge, and one task per recipient or SDK that received the subject's PI
//! (entrusted parties, providers, joint processors — they must delete too, PIPL 47 / Reg. 24).
//!
//! Every effect is idempotent: running it again after a crash changes nothing twice (a
//! withdrawn consent is skipped, a deleted tag stays a tombstone, a task is added once).

use serde::Serialize;
use xiezhi_decide::Millis;
use xiezhi_map::Project;
use xiezhi_map::model::RecipientKind;
use xiezhi_store::{RightsKind, Store, StoreError};

/// What was done.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EffectsReport {
    /// Processing restricted to storage only (newly or already).
    pub restricted: bool,
    /// Purposes whose consent was withdrawn now.
    pub consents_withdrawn: Vec<String>,
    /// Tags deleted now (tombstoned: the platform may not add them again).
    pub tags_deleted: Vec<String>,
    /// Follow-up tasks (recipient / SDK ids) recorded for the request.
    pub tasks: Vec<String>,
}

/// The runtime effects a kind has.
pub fn has_runtime_effects(kind: RightsKind) -> bool {
    matches!(
        kind,
        RightsKind::Restrict
            | RightsKind::WithdrawConsent
            | RightsKind::CancelAccount
            | RightsKind::Delete
    )
}

/// Applies the runtime effects of a request of `kind` for `subject`, and records a task per
/// recipient of the subject's PI for deletions and cancellations.
pub async fn apply(
    store: &Store,
    project: &Project,
    request_id: &str,
    subject: &str,
    kind: RightsKind,
    actor: &str,
    at: Millis,
) -> Result<EffectsReport, StoreError> {
    let mut report = EffectsReport::default();
    let state = store.load_subject(subject).await?;
    let restrict = matches!(kind, RightsKind::Restrict | RightsKind::CancelAccount);
    if restrict {
        if state.restricted_since.is_none() {
            store.set_restricted(subject, true, actor, at).await?;
        }
        report.restricted = true;
    }
    if matches!(
        kind,
        RightsKind::WithdrawConsent | RightsKind::CancelAccount
    ) {
        for c in &state.consents {
            if c.status == xiezhi_decide::ConsentStatus::Granted {
                match store.withdraw_consent(subject, &c.purpose, actor, at).await {
                    Ok(_) => report.consents_withdrawn.push(c.purpose.clone()),
                    Err(StoreError::ConsentNotGranted { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    if kind == RightsKind::CancelAccount {
        for t in &state.tags {
            if t.deleted_since.is_none() {
                match store.delete_tag(subject, &t.id, actor, at).await {
                    Ok(_) => report.tags_deleted.push(t.id.clone()),
                    Err(StoreError::TagNotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    if matches!(kind, RightsKind::Delete | RightsKind::CancelAccount) {
        for (_, r) in project.each(|m| &m.recipients) {
            if r.ended.is_some() {
                continue;
            }
            let what = match r.kind {
                RecipientKind::Sdk => "notify_sdk_delete",
                RecipientKind::Organisation => "notify_recipient_delete",
            };
            let note = format!(
                "{}: ask {} to delete or anonymise this person's PI ({}) and confirm",
                r.id.value,
                r.name,
                r.pi_types
                    .iter()
                    .map(|t| t.value.0.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            store
                .add_rights_task(request_id, &r.id.value, what, Some(&note), at)
                .await?;
            report.tasks.push(r.id.value.clone());
        }
    }
    Ok(report)
}
