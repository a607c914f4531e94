//! Platform endpoints (`platform` scope) acting on a subject: register tags, record consents
//! collected in the app, set age status and guardians, change preferences on the user's behalf.

use crate::extract::{Json, Path};
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use xiezhi_store::TagInput;

use crate::AppState;
use crate::api::changes::{self, ConsentRequest, answer};
use crate::api::views::{ChangeResponse, PreferencesChange, SubjectView};
use crate::auth::PlatformKey;
use crate::error::{ApiError, ErrorBody};
use crate::limits::{MAX_ID_LEN, MAX_SUBJECT_LEN, MAX_TEXT_LEN, check_id};

fn actor(key: &PlatformKey) -> String {
    format!("apikey:{}", key.0.id)
}

/// A subject's current settings.
#[utoipa::path(get, path = "/v1/subjects/{subject}", tag = "subjects",
    params(("subject" = String, Path, description = "The platform's user id")),
    security(("api_key" = [])),
    responses((status = 200, body = SubjectView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_subject(
    State(state): State<AppState>,
    _key: PlatformKey,
    Path(subject): Path<String>,
) -> Result<Json<SubjectView>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    let s = state.engine.state(&subject, None).await?;
    Ok(Json(SubjectView::from(s.as_ref())))
}

/// Change preferences on the user's behalf (e.g. from the app's own settings page).
#[utoipa::path(put, path = "/v1/subjects/{subject}/preferences", tag = "subjects",
    params(("subject" = String, Path)), request_body = PreferencesChange,
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse), (status = 422, body = ErrorBody)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    key: PlatformKey,
    Path(subject): Path<String>,
    Json(change): Json<PreferencesChange>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    Ok(Json(
        changes::preferences(&state, &subject, &change, &actor(&key)).await?,
    ))
}

/// A tag to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagRequest {
    /// Label shown to the user, e.g. "足球爱好者".
    #[schema(min_length = 1, max_length = 4096)]
    pub label: String,
    /// Which system derived it.
    #[schema(min_length = 1, max_length = 200)]
    pub source: String,
    /// Aimed at personal characteristics (art. 42).
    #[serde(default = "yes")]
    pub personal: bool,
}

fn yes() -> bool {
    true
}

/// Register (or update) a user tag. A tag the user deleted cannot be registered again (409).
#[utoipa::path(put, path = "/v1/subjects/{subject}/tags/{tag}", tag = "subjects",
    params(("subject" = String, Path), ("tag" = String, Path)), request_body = TagRequest,
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse), (status = 409, description = "Deleted by the user (tombstone)", body = ErrorBody)))]
pub async fn put_tag(
    State(state): State<AppState>,
    key: PlatformKey,
    Path((subject, tag)): Path<(String, String)>,
    Json(req): Json<TagRequest>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    check_id("tag", &tag, MAX_ID_LEN)?;
    check_id("label", &req.label, MAX_TEXT_LEN)?;
    check_id("source", &req.source, MAX_ID_LEN)?;
    let now = xiezhi_decide::time::now_millis();
    let input = TagInput {
        id: tag,
        label: req.label,
        source: req.source,
        personal: req.personal,
    };
    let c = state
        .engine
        .store()
        .register_tag(&subject, input, &actor(&key), now)
        .await?;
    Ok(Json(answer(&state, &subject, &c)))
}

/// Delete a tag on the user's behalf (tombstone).
#[utoipa::path(delete, path = "/v1/subjects/{subject}/tags/{tag}", tag = "subjects",
    params(("subject" = String, Path), ("tag" = String, Path)),
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse), (status = 404, body = ErrorBody)))]
pub async fn delete_tag(
    State(state): State<AppState>,
    key: PlatformKey,
    Path((subject, tag)): Path<(String, String)>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    Ok(Json(
        changes::delete_tag(&state, &subject, &tag, &actor(&key)).await?,
    ))
}

/// Record a consent (granted or refused) collected by the platform.
#[utoipa::path(post, path = "/v1/subjects/{subject}/consents", tag = "subjects",
    params(("subject" = String, Path)), request_body = ConsentRequest,
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_consent(
    State(state): State<AppState>,
    key: PlatformKey,
    Path(subject): Path<String>,
    Json(req): Json<ConsentRequest>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    Ok(Json(
        changes::consent(&state, &subject, req, &actor(&key), "platform").await?,
    ))
}

/// Withdraw a consent on the user's behalf.
#[utoipa::path(post, path = "/v1/subjects/{subject}/consents/{purpose}/withdraw", tag = "subjects",
    params(("subject" = String, Path), ("purpose" = String, Path)),
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse), (status = 409, body = ErrorBody)))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    key: PlatformKey,
    Path((subject, purpose)): Path<(String, String)>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    Ok(Json(
        changes::withdraw(&state, &subject, &purpose, &actor(&key)).await?,
    ))
}

/// Age status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinorRequest {
    /// The subject is under 14.
    pub under_14: bool,
}

/// Set whether the subject is under 14 (then every consent must come from a guardian).
#[utoipa::path(put, path = "/v1/subjects/{subject}/minor", tag = "subjects",
    params(("subject" = String, Path)), request_body = MinorRequest,
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse)))]
pub async fn put_minor(
    State(state): State<AppState>,
    key: PlatformKey,
    Path(subject): Path<String>,
    Json(req): Json<MinorRequest>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    let now = xiezhi_decide::time::now_millis();
    let c = state
        .engine
        .store()
        .set_minor(&subject, req.under_14, &actor(&key), now)
        .await?;
    Ok(Json(answer(&state, &subject, &c)))
}

/// A guardian to link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardianRequest {
    /// The guardian's subject id.
    #[schema(min_length = 1, max_length = 256)]
    pub guardian: String,
    /// How the guardian's identity and relationship were verified (stored apart, by digest).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub evidence: Option<serde_json::Value>,
}

/// Link a guardian to a child subject.
#[utoipa::path(post, path = "/v1/subjects/{subject}/guardian", tag = "subjects",
    params(("subject" = String, Path)), request_body = GuardianRequest,
    security(("api_key" = [])),
    responses((status = 200, body = ChangeResponse)))]
pub async fn post_guardian(
    State(state): State<AppState>,
    key: PlatformKey,
    Path(subject): Path<String>,
    Json(req): Json<GuardianRequest>,
) -> Result<Json<ChangeResponse>, ApiError> {
    check_id("subject", &subject, MAX_SUBJECT_LEN)?;
    check_id("guardian", &req.guardian, MAX_SUBJECT_LEN)?;
    if req.guardian == subject {
        return Err(ApiError::invalid("a subject cannot be its own guardian"));
    }
    let now = xiezhi_decide::time::now_millis();
    let c = state
        .engine
        .store()
        .link_guardian(&subject, &req.guardian, req.evidence, &actor(&key), now)
        .await?;
    Ok(Json(answer(&state, &subject, &c)))
}
