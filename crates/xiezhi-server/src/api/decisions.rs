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

/// Handles to the decision counters, registered once.
fn decision_counters() -> &'static (metrics::Counter, metrics::Counter) {
    static COUNTERS: std::sync::OnceLock<(metrics::Counter, metrics::Counter)> =
        std::sync::OnceLock::new();
    COUNTERS.get_or_init(|| {
        crate::ops::install_metrics();
        (
            metrics::counter!("xiezhi_decisions_total", "allow" => "true"),
            metrics::counter!("xiezhi_decisions_total", "allow" => "false"),
        )
    })
}

/// The JSON view of decisions; adds the allowed ones to `allowed`.
fn views(decisions: &[xiezhi_decide::Decision], allowed: &mut u64) -> Vec<DecisionResult> {
    decisions
        .iter()
        .map(|d| {
            *allowed += u64::from(d.allow);
            DecisionResult {
                allow: d.allow,
                reason: d.reason,
                since: d.since.map(xiezhi_decide::time::format_rfc3339),
            }
        })
        .collect()
}

/// Adds `total` decisions, `allowed` of them allowing, to the metrics.
fn count(allowed: u64, total: usize) {
    let (allow_total, deny_total) = decision_counters();
    allow_total.increment(allowed);
    deny_total.increment((total as u64).saturating_sub(allowed));
}

/// A batch of checks about one subject.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// The platform's user id.
    #[schema(min_length = 1, max_length = 256)]
    pub subject: String,
    /// The questions, answered in order (at most 1,000).
    #[schema(max_items = 1000)]
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
    let results = views(&answers.results, &mut allowed);
    count(allowed, results.len());
    Ok(Json(DecisionResponse {
        results,
        policy_version: answers.policy_version,
        state_version: answers.state_version,
    }))
}

/// Checks about many subjects at once (e.g. a push gateway filtering a campaign's audience).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchDecisionRequest {
    /// One entry per subject; at most 1,000 checks in all.
    #[schema(max_items = 1000)]
    pub requests: Vec<DecisionRequest>,
}

/// The answers, in request order.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchDecisionResponse {
    /// One response per request entry.
    pub responses: Vec<SubjectDecisions>,
    /// Version of the policy used.
    pub policy_version: String,
}

/// The answers for one subject of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectDecisions {
    /// The subject.
    pub subject: String,
    /// One result per check, in order.
    pub results: Vec<DecisionResult>,
    /// Version of the subject's state used.
    pub state_version: i64,
}

/// Answer checks for many subjects in one request.
#[utoipa::path(
    post,
    path = "/v1/decisions/batch",
    tag = "decisions",
    request_body = BatchDecisionRequest,
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Decisions per subject", body = BatchDecisionResponse),
        (status = 401, description = "Missing or unknown API key", body = ErrorBody),
        (status = 403, description = "API key lacks the platform scope", body = ErrorBody),
        (status = 422, description = "Invalid request", body = ErrorBody),
    )
)]
pub async fn decisions_batch(
    State(state): State<AppState>,
    _key: PlatformKey,
    Json(req): Json<BatchDecisionRequest>,
) -> Result<Json<BatchDecisionResponse>, ApiError> {
    let total: usize = req.requests.iter().map(|r| r.checks.len()).sum();
    if total > MAX_CHECKS || req.requests.len() > MAX_CHECKS {
        return Err(ApiError::invalid(format!(
            "too many checks: at most {MAX_CHECKS} per request in all"
        )));
    }
    for r in &req.requests {
        check_id("subject", &r.subject, MAX_SUBJECT_LEN)?;
    }
    let now = xiezhi_decide::time::now_millis();
    let mut responses = Vec::with_capacity(req.requests.len());
    let mut allowed = 0u64;
    for r in req.requests {
        let answers = state
            .engine
            .decide(&r.subject, &r.checks, r.min_version, now)
            .await?;
        let results = views(&answers.results, &mut allowed);
        responses.push(SubjectDecisions {
            subject: r.subject,
            results,
            state_version: answers.state_version,
        });
    }
    count(allowed, total);
    Ok(Json(BatchDecisionResponse {
        responses,
        policy_version: state.engine.policy().version.clone(),
    }))
}
