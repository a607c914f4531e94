//! The state changes shared by the platform endpoints (`/v1/subjects/{subject}/…`, acting for
//! a user) and the user's own endpoints (`/v1/me/…`). Each commits through the store (audit
//! event in the same transaction) and updates this node's cache before answering.

use serde::Deserialize;
use utoipa::ToSchema;
use xiezhi_decide::{Basis, ConsentKind, ConsentStatus};
use xiezhi_store::{Change, ConsentInput};

use crate::AppState;
use crate::api::views::{ChangeResponse, PreferencesChange, SubjectView};
use crate::error::ApiError;
use crate::limits::{MAX_ID_LEN, MAX_TEXT_LEN, check_id};

/// Answer with the state after `change`, after putting it in the cache.
pub fn answer(state: &AppState, subject: &str, change: &Change) -> ChangeResponse {
    state.engine.applied(subject, change);
    ChangeResponse {
        state_version: change.seq,
        state: SubjectView::from(&change.state),
    }
}

/// Applies preference changes in order; answers the state after the last.
pub async fn preferences(
    state: &AppState,
    subject: &str,
    change: &PreferencesChange,
    actor: &str,
) -> Result<ChangeResponse, ApiError> {
    if change.recommendation.is_none() && change.push.is_empty() {
        return Err(ApiError::invalid(
            "nothing to change: give `recommendation` and/or `push`",
        ));
    }
    if change.push.len() > 64 {
        return Err(ApiError::invalid("at most 64 push changes per request"));
    }
    let store = state.engine.store();
    let now = xiezhi_decide::time::now_millis();
    let mut last: Option<Change> = None;
    if let Some(on) = change.recommendation {
        let c = store.set_recommendation(subject, on, actor, now).await?;
        state.engine.applied(subject, &c);
        last = Some(c);
    }
    for p in &change.push {
        let c = store
            .set_push(subject, p.channel, p.category, p.refused, actor, now)
            .await?;
        state.engine.applied(subject, &c);
        last = Some(c);
    }
    match last {
        Some(c) => Ok(answer(state, subject, &c)),
        None => Err(ApiError::invalid("nothing to change")),
    }
}

/// Deletes (tombstones) a tag.
pub async fn delete_tag(
    state: &AppState,
    subject: &str,
    tag: &str,
    actor: &str,
) -> Result<ChangeResponse, ApiError> {
    check_id("tag", tag, MAX_ID_LEN)?;
    let now = xiezhi_decide::time::now_millis();
    let c = state
        .engine
        .store()
        .delete_tag(subject, tag, actor, now)
        .await?;
    Ok(answer(state, subject, &c))
}

/// A consent decision to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// Purpose id (a processing activity of the data map).
    #[schema(min_length = 1, max_length = 200)]
    pub purpose: String,
    /// `granted` or `refused` (withdraw through the withdraw endpoint).
    pub status: ConsentStatus,
    /// Kind of consent obtained; defaults to the kind the purpose requires.
    #[serde(default)]
    pub kind: Option<ConsentKind>,
    /// Where it was obtained, e.g. `app-signup-v5`, `privacy-center`.
    #[serde(default)]
    pub channel: Option<String>,
    /// Processing-rules version shown to the person.
    #[serde(default)]
    pub rules_version: Option<String>,
    /// Evidence (screen id, signed form reference, guardian verification …); stored apart
    /// from the audit chain and committed by digest.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub evidence: Option<serde_json::Value>,
    /// With kind `guardian`: the guardian's subject id (must be linked first).
    #[serde(default)]
    pub guardian: Option<String>,
}

/// Records a consent decision with the scope snapshot of the purpose as the policy has it now.
pub async fn consent(
    state: &AppState,
    subject: &str,
    req: ConsentRequest,
    actor: &str,
    default_channel: &str,
) -> Result<ChangeResponse, ApiError> {
    check_id("purpose", &req.purpose, MAX_ID_LEN)?;
    if req.status == ConsentStatus::Withdrawn {
        return Err(ApiError::invalid(
            "use the withdraw endpoint (…/consents/{purpose}/withdraw) to withdraw consent",
        ));
    }
    if let Some(e) = &req.evidence
        && e.to_string().len() > MAX_TEXT_LEN
    {
        return Err(ApiError::invalid(format!(
            "evidence is larger than {MAX_TEXT_LEN} bytes; store the document elsewhere and send its reference"
        )));
    }
    let policy = state.engine.policy();
    let Some(purpose) = policy.purpose(&req.purpose) else {
        return Err(ApiError::invalid(format!(
            "purpose `{}` is not in the policy: add the processing activity to the data map",
            req.purpose
        )));
    };
    let required = match &purpose.basis {
        Basis::Consent { kind } => *kind,
        Basis::Other { name } => {
            return Err(ApiError::invalid(format!(
                "purpose `{}` rests on `{name}`, not on consent; there is nothing to consent to",
                req.purpose
            )));
        }
    };
    let channel = req.channel.unwrap_or_else(|| default_channel.to_owned());
    check_id("channel", &channel, MAX_ID_LEN)?;
    if let Some(g) = &req.guardian {
        check_id("guardian", g, crate::limits::MAX_SUBJECT_LEN)?;
    }
    let input = ConsentInput {
        subject: subject.to_owned(),
        purpose: req.purpose.clone(),
        status: req.status,
        kind: req.kind.unwrap_or(required),
        rules_version: req.rules_version,
        scope: purpose.scope.clone(),
        channel,
        evidence: req.evidence,
        guardian: req.guardian,
    };
    let now = xiezhi_decide::time::now_millis();
    let c = state
        .engine
        .store()
        .record_consent(input, actor, now)
        .await?;
    Ok(answer(state, subject, &c))
}

/// Withdraws a granted consent.
pub async fn withdraw(
    state: &AppState,
    subject: &str,
    purpose: &str,
    actor: &str,
) -> Result<ChangeResponse, ApiError> {
    check_id("purpose", purpose, MAX_ID_LEN)?;
    let now = xiezhi_decide::time::now_millis();
    let c = state
        .engine
        .store()
        .withdraw_consent(subject, purpose, actor, now)
        .await?;
    Ok(answer(state, subject, &c))
}
