//! The user's own endpoints (`/v1/me/…`), authorised by a platform-signed token for exactly
//! that user: the subject always comes from the token, never from the request, so nobody can
//! read or change another person's settings.

use crate::extract::{Json, Path};
use axum::extract::State;

use crate::AppState;
use crate::api::changes::{self, ConsentRequest};
use crate::api::views::{ChangeResponse, PreferencesChange, SubjectView};
use crate::auth::User;
use crate::error::{ApiError, ErrorBody};

const ACTOR: &str = "user";

/// My settings: recommendation switch, push refusals, tags, consents.
#[utoipa::path(get, path = "/v1/me", tag = "me",
    security(("user_token" = [])),
    responses((status = 200, body = SubjectView), (status = 401, body = ErrorBody)))]
pub async fn get_me(
    State(state): State<AppState>,
    user: User,
) -> Result<Json<SubjectView>, ApiError> {
    let s = state.engine.state(&user.subject, None).await?;
    Ok(Json(SubjectView::from(s.as_ref())))
}

/// Switch personalised recommendation on/off and refuse or allow pushes. Takes effect at once.
#[utoipa::path(put, path = "/v1/me/preferences", tag = "me",
    request_body = PreferencesChange, security(("user_token" = [])),
    responses((status = 200, body = ChangeResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    user: User,
    Json(change): Json<PreferencesChange>,
) -> Result<Json<ChangeResponse>, ApiError> {
    Ok(Json(
        changes::preferences(&state, &user.subject, &change, ACTOR).await?,
    ))
}

/// Delete one of my tags. The platform cannot register it again.
#[utoipa::path(delete, path = "/v1/me/tags/{tag}", tag = "me",
    params(("tag" = String, Path)), security(("user_token" = [])),
    responses((status = 200, body = ChangeResponse), (status = 404, body = ErrorBody)))]
pub async fn delete_tag(
    State(state): State<AppState>,
    user: User,
    Path(tag): Path<String>,
) -> Result<Json<ChangeResponse>, ApiError> {
    Ok(Json(
        changes::delete_tag(&state, &user.subject, &tag, ACTOR).await?,
    ))
}

/// Give or refuse consent to a purpose (from the privacy center).
#[utoipa::path(post, path = "/v1/me/consents", tag = "me",
    request_body = ConsentRequest, security(("user_token" = [])),
    responses((status = 200, body = ChangeResponse), (status = 422, body = ErrorBody)))]
pub async fn post_consent(
    State(state): State<AppState>,
    user: User,
    Json(req): Json<ConsentRequest>,
) -> Result<Json<ChangeResponse>, ApiError> {
    if req.kind == Some(xiezhi_decide::ConsentKind::Guardian) || req.guardian.is_some() {
        return Err(ApiError::invalid(
            "guardian consent is recorded by the platform after verifying the guardian",
        ));
    }
    Ok(Json(
        changes::consent(&state, &user.subject, req, ACTOR, "privacy-center").await?,
    ))
}

/// Withdraw my consent to a purpose — one step, as easy as giving it.
#[utoipa::path(post, path = "/v1/me/consents/{purpose}/withdraw", tag = "me",
    params(("purpose" = String, Path)), security(("user_token" = [])),
    responses((status = 200, body = ChangeResponse), (status = 409, body = ErrorBody)))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    user: User,
    Path(purpose): Path<String>,
) -> Result<Json<ChangeResponse>, ApiError> {
    Ok(Json(
        changes::withdraw(&state, &user.subject, &purpose, ACTOR).await?,
    ))
}

/// A rights request to record.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RightsRequestBody {
    /// `access`, `copy`, `correct`, `supplement`, `delete`, `restrict`, `transfer` or
    /// `cancel_account`.
    pub kind: String,
    /// The person's own words (optional, at most 2,000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub details: Option<String>,
}

/// A recorded rights request.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RightsRequestView {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// `identity_verified` (the signed user token verifies the requester), then
    /// `in_progress`, `completed`, `partly_completed` or `refused`.
    pub state: String,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// Where it came from.
    pub channel: String,
    /// The date by which it is answered (China date), when the holiday calendar covers it.
    pub due_date: Option<String>,
}

impl From<&xiezhi_store::RightsRequest> for RightsRequestView {
    fn from(r: &xiezhi_store::RightsRequest) -> Self {
        Self {
            id: r.id.clone(),
            kind: r.kind.as_str().to_owned(),
            state: r.state.clone(),
            received_at: xiezhi_decide::time::format_rfc3339(r.received_at),
            channel: r.channel.clone(),
            due_date: r.due_date.clone(),
        }
    }
}

/// Records a rights request for `subject` (shared by `/v1/me` and the privacy center).
pub async fn record_request(
    state: &AppState,
    subject: &str,
    kind: xiezhi_store::RightsKind,
    details: Option<&str>,
    channel: &str,
) -> Result<xiezhi_store::RightsRequest, ApiError> {
    if details.is_some_and(|d| d.chars().count() > 2000) {
        return Err(ApiError::invalid(
            "details are longer than 2,000 characters",
        ));
    }
    let details = details.map(str::trim).filter(|d| !d.is_empty());
    let now = xiezhi_decide::time::now_millis();
    if kind == xiezhi_store::RightsKind::DeceasedRelative {
        return Err(ApiError::invalid(
            "a close relative of a deceased person files through the platform's staff (PIPL 49), not from the person's own account",
        ));
    }
    state
        .rights()?
        .intake(xiezhi_rights::Intake {
            subject,
            kind,
            details,
            channel,
            requester: "self",
            // The platform-signed user token identifies the requester (SR-ID-03).
            verified: Some(("token", None)),
            actor: ACTOR,
            at: now,
        })
        .await
        .map_err(|e| ApiError::invalid(e.to_string()))
}

/// Ask to access, copy, correct, supplement, delete, restrict or transfer my personal
/// information, or to cancel my account (Reg. art. 23). Recorded as `received`.
#[utoipa::path(post, path = "/v1/me/rights-requests", tag = "me",
    request_body = RightsRequestBody, security(("user_token" = [])),
    responses((status = 200, body = RightsRequestView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_rights_request(
    State(state): State<AppState>,
    user: User,
    Json(body): Json<RightsRequestBody>,
) -> Result<Json<RightsRequestView>, ApiError> {
    let Some(kind) = xiezhi_store::RightsKind::parse(&body.kind) else {
        return Err(ApiError::invalid(
            "kind must be one of access, copy, correct, supplement, delete, restrict, transfer, cancel_account, withdraw_consent, explain_rules",
        ));
    };
    let r = record_request(&state, &user.subject, kind, body.details.as_deref(), "api").await?;
    Ok(Json(RightsRequestView::from(&r)))
}
