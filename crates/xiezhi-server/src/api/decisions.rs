//! `POST /v1/decisions`: may the platform personalise, push, use a tag, process, ask?

use crate::extract::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xiezhi_decide::{Check, Reason};

use crate::AppState;
use crate::auth::PlatformKey;
use crate::error::{ApiError, ErrorBody};
use crate::limits::{MAX_CHECKS, MAX_SUBJECT_LEN, check_id};

/// A batch of checks about one subject.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// The platform's user id.
    pub subject: String,
    /// The questions, answered in order (at most 1,000).
    pub checks: Vec<Check>,
    /// Read-your-writes: the `state_version` returned by a change made through another node;
    /// the answer then reflects at least that change.
    #[serde(default)]
    pub min_version: Option<i64>,
}

/// One answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResult {
    /// Whether the platform may go ahead.
    pub allow: bool,
    /// Why (stable snake_case id).
    pub reason: Reason,
    /// When the deciding state began (RFC 3339), or with `refusal_cool_down` when the
    /// platform may ask again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// The answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionResponse {
    /// One result per check, in order.
    pub results: Vec<DecisionResult>,
    /// Version of the policy (purposes from the data map) used.
    pub policy_version: String,
    /// Version of the subject's state used (pass as `min_version` for read-your-writes).
    pub state_version: i64,
}

/// Answer checks for one subject.
#[utoipa::path(
    post,
    path = "/v1/decisions",
    tag = "decisions",
    request_body = DecisionRequest,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "One decision per check", body = DecisionResponse),
        (status = 401, description = "Missing or unknown API key", body = ErrorBody),
        (status = 403, description = "API key lacks the platform scope", body = ErrorBody),
        (status = 422, description = "Invalid request", body = ErrorBody),
    )
)]
pub async fn decisions(
    State(state): State<AppState>,
    _key: PlatformKey,
    Json(req): Json<DecisionRequest>,
) -> Result<Json<DecisionResponse>, ApiError> {
    check_id("subject", &req.subject, MAX_SUBJECT_LEN)?;
    if req.checks.len() > MAX_CHECKS {
        return Err(ApiError::invalid(format!(
            "too many checks: at most {MAX_CHECKS} per request"
        )));
    }
    let now = xiezhi_decide::time::now_millis();
    let answers = state
        .engine
        .decide(&req.subject, &req.checks, req.min_version, now)
        .await?;
    let mut allowed = 0u64;
    let results: Vec<DecisionResult> = answers
        .results
        .iter()
        .map(|d| {
            allowed += u64::from(d.allow);
            DecisionResult {
                allow: d.allow,
                reason: d.reason,
                since: d.since.map(xiezhi_decide::time::format_rfc3339),
            }
        })
        .collect();
    metrics::counter!("xiezhi_decisions_total", "allow" => "true").increment(allowed);
    metrics::counter!("xiezhi_decisions_total", "allow" => "false")
        .increment(results.len() as u64 - allowed);
    Ok(Json(DecisionResponse {
        results,
        policy_version: answers.policy_version,
        state_version: answers.state_version,
    }))
}
