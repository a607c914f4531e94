//! Rights requests for the platform's staff (`admin` scope): file on a person's behalf, list
//! and filter by state and due date, verify identity, approve, refuse with reasons, complete,
//! the due lists and statistics by kind and outcome (Reg. arts. 23–25, 44; PIPL 44–50).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xiezhi_store::{RightsFilter, RightsKind, RightsRequest};

use crate::AppState;
use crate::auth::AdminKey;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::limits::{MAX_SUBJECT_LEN, check_id};

fn actor(key: &AdminKey) -> String {
    format!("apikey:{}", key.0.id)
}

fn now() -> i64 {
    xiezhi_decide::time::now_millis()
}

pub(crate) fn rights_error(e: xiezhi_rights::RightsError) -> ApiError {
    use xiezhi_rights::RightsError as E;
    match e {
        E::Store(s) => match s {
            xiezhi_store::StoreError::RightsNotFound { .. } => {
                ApiError::not_found("rights_request_not_found", s.to_string())
            }
            xiezhi_store::StoreError::RightsState { .. } => ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "rights_request_state",
                s.to_string(),
            ),
            other => ApiError::from(other),
        },
        E::RefusalWithoutReasons => ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "reasons_required",
            e.to_string(),
        ),
        E::PartialWithoutReasons => ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "reasons_required",
            e.to_string(),
        ),
        E::NotVerified { .. } => ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "identity_not_verified",
            e.to_string(),
        ),
        other => ApiError::invalid(other.to_string()),
    }
}

/// A rights request as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RightsRequestFull {
    /// Id.
    pub id: String,
    /// The subject.
    pub subject: String,
    /// Kind: access, copy, correct, supplement, delete, restrict, transfer, cancel_account,
    /// withdraw_consent, explain_rules, deceased_relative.
    pub kind: String,
    /// received, identity_verified, in_progress, completed, partly_completed, refused.
    pub state: String,
    /// privacy-center, api, cli.
    pub channel: String,
    /// self, guardian, close_relative, agent.
    pub requester: String,
    /// The person's own words.
    pub details: Option<String>,
    /// Received (RFC 3339).
    pub received_at: String,
    /// Due date (China date), when the calendar covers it.
    pub due_date: Option<String>,
    /// The deadline rule, e.g. `15 working days`.
    pub due_rule: Option<String>,
    /// Why there is no due date.
    pub due_error: Option<String>,
    /// How identity was verified.
    pub identity_method: Option<String>,
    /// Identity verified at (RFC 3339).
    pub verified_at: Option<String>,
    /// Closed at (RFC 3339).
    pub closed_at: Option<String>,
    /// Reasons of a refusal or partial completion.
    pub reasons: Option<String>,
    /// Outcome (executed steps, holds, export, tasks, written notice).
    pub result: Option<serde_json::Value>,
}

impl From<&RightsRequest> for RightsRequestFull {
    fn from(r: &RightsRequest) -> Self {
        let t = xiezhi_decide::time::format_rfc3339;
        Self {
            id: r.id.clone(),
            subject: r.subject.clone(),
            kind: r.kind.as_str().to_owned(),
            state: r.state.clone(),
            channel: r.channel.clone(),
            requester: r.requester.clone(),
            details: r.details.clone(),
            received_at: t(r.received_at),
            due_date: r.due_date.clone(),
            due_rule: r.due_rule.clone(),
            due_error: r.due_error.clone(),
            identity_method: r.identity_method.clone(),
            verified_at: r.verified_at.map(t),
            closed_at: r.closed_at.map(t),
            reasons: r.reasons.clone(),
            result: r
                .result
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok()),
        }
    }
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this state (repeatable as a comma list, e.g. `received,in_progress`; `open` = every open state).
    #[serde(default)]
    pub state: Option<String>,
    /// Only this kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Only this subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Only those due on or before this date (`YYYY-MM-DD`).
    #[serde(default)]
    pub due_before: Option<String>,
    /// At most this many (default 500, at most 5,000).
    #[serde(default)]
    pub limit: Option<u32>,
}

fn parse_kind(k: &str) -> Result<RightsKind, ApiError> {
    xiezhi_rights::workflow::parse_kind(k).map_err(rights_error)
}

/// Rights requests, newest first, filtered by state, kind, subject and due date.
#[utoipa::path(get, path = "/v1/admin/rights-requests", tag = "rights", params(ListQuery),
    security(("api_key" = [])),
    responses((status = 200, body = Vec<RightsRequestFull>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<RightsRequestFull>>, ApiError> {
    let states = match &q.state {
        Some(s) => xiezhi_rights::workflow::parse_states(s).map_err(rights_error)?,
        None => Vec::new(),
    };
    if let Some(d) = &q.due_before
        && xiezhi_rights::deadline::parse_date(d).is_none()
    {
        return Err(rights_error(xiezhi_rights::RightsError::BadDate(d.clone())));
    }
    let filter = RightsFilter {
        states,
        kind: q.kind.as_deref().map(parse_kind).transpose()?,
        subject: q.subject,
        due_on_or_before: q.due_before,
        limit: q.limit.unwrap_or(500).clamp(1, 5000),
    };
    let list = state.engine.store().query_rights_requests(&filter).await?;
    Ok(Json(list.iter().map(RightsRequestFull::from).collect()))
}

/// A request filed by staff on a person's behalf (phone, letter, counter).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRequest {
    /// The subject (the platform's user id).
    #[schema(min_length = 1, max_length = 256)]
    pub subject: String,
    /// Kind.
    pub kind: String,
    /// The person's own words.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub details: Option<String>,
    /// self (default), guardian, close_relative, agent.
    #[serde(default)]
    pub requester: Option<String>,
}

/// File a request on a person's behalf (channel `api`); identity is verified separately.
#[utoipa::path(post, path = "/v1/admin/rights-requests", tag = "rights", request_body = FileRequest,
    security(("api_key" = [])),
    responses((status = 200, body = RightsRequestFull), (status = 422, body = ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    key: AdminKey,
    Json(b): Json<FileRequest>,
) -> Result<Json<RightsRequestFull>, ApiError> {
    check_id("subject", &b.subject, MAX_SUBJECT_LEN)?;
    if b.details
        .as_deref()
        .is_some_and(|d| d.chars().count() > 2000)
    {
        return Err(ApiError::invalid(
            "details are longer than 2,000 characters",
        ));
    }
    let kind = parse_kind(&b.kind)?;
    let wf = state.rights()?;
    let r = wf
        .intake(xiezhi_rights::Intake {
            subject: &b.subject,
            kind,
            details: b
                .details
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty()),
            channel: "api",
            requester: b.requester.as_deref().unwrap_or("self"),
            verified: None,
            actor: &actor(&key),
            at: now(),
        })
        .await
        .map_err(rights_error)?;
    Ok(Json(RightsRequestFull::from(&r)))
}

/// One request with its steps and follow-up tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct RightsRequestDetail {
    /// The request.
    pub request: RightsRequestFull,
    /// Every step, oldest first.
    pub steps: Vec<StepView>,
    /// Follow-up tasks (recipients, SDKs, manual datasets).
    pub tasks: Vec<TaskView>,
}

/// A step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    /// Audit seq.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// From.
    pub from_state: Option<String>,
    /// To.
    pub to_state: String,
    /// Who.
    pub actor: String,
}

/// A follow-up task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// Recipient / SDK / dataset id.
    pub target: String,
    /// What to do.
    pub kind: String,
    /// open, done.
    pub state: String,
    /// Note.
    pub note: Option<String>,
}

/// One request.
#[utoipa::path(get, path = "/v1/admin/rights-requests/{id}", tag = "rights",
    params(("id" = String, Path)), security(("api_key" = [])),
    responses((status = 200, body = RightsRequestDetail), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    _key: AdminKey,
    Path(id): Path<String>,
) -> Result<Json<RightsRequestDetail>, ApiError> {
    check_id("id", &id, 64)?;
    let store = state.engine.store();
    let r = state.rights()?.get(&id).await.map_err(rights_error)?;
    let steps = store.rights_steps(&id).await?;
    let tasks = store.rights_tasks(&id).await?;
    Ok(Json(RightsRequestDetail {
        request: RightsRequestFull::from(&r),
        steps: steps
            .into_iter()
            .map(|s| StepView {
                seq: s.seq,
                at: xiezhi_decide::time::format_rfc3339(s.at),
                from_state: s.from_state,
                to_state: s.to_state,
                actor: s.actor,
            })
            .collect(),
        tasks: tasks
            .into_iter()
            .map(|t| TaskView {
                target: t.target,
                kind: t.kind,
                state: t.state,
                note: t.note,
            })
            .collect(),
    }))
}

/// Identity verified by staff.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// How: `staff` (checked by staff against registration data), `email_code`, `sms_code`,
    /// `network_identity`.
    pub method: String,
    /// The minimal reference kept (e.g. the 网号); never an ID number.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub reference: Option<String>,
}

const METHODS: [&str; 5] = [
    "staff",
    "token",
    "email_code",
    "sms_code",
    "network_identity",
];

/// Record that the requester's identity was verified.
#[utoipa::path(post, path = "/v1/admin/rights-requests/{id}/verify", tag = "rights",
    params(("id" = String, Path)), request_body = VerifyBody, security(("api_key" = [])),
    responses((status = 200, body = RightsRequestFull), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn verify(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<VerifyBody>,
) -> Result<Json<RightsRequestFull>, ApiError> {
    check_id("id", &id, 64)?;
    if !METHODS.contains(&b.method.as_str()) {
        return Err(ApiError::invalid(format!(
            "method must be one of {}",
            METHODS.join(", ")
        )));
    }
    if let Some(r) = &b.reference {
        check_id("reference", r, 64)?;
    }
    let r = state
        .rights()?
        .verify_identity(&id, &b.method, b.reference.as_deref(), &actor(&key), now())
        .await
        .map_err(rights_error)?;
    Ok(Json(RightsRequestFull::from(&r)))
}

/// Approve a verified request: it moves to `in_progress` for execution.
#[utoipa::path(post, path = "/v1/admin/rights-requests/{id}/approve", tag = "rights",
    params(("id" = String, Path)), security(("api_key" = [])),
    responses((status = 200, body = RightsRequestFull), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
) -> Result<Json<RightsRequestFull>, ApiError> {
    check_id("id", &id, 64)?;
    let r = state
        .rights()?
        .start(&id, &actor(&key), now())
        .await
        .map_err(rights_error)?;
    Ok(Json(RightsRequestFull::from(&r)))
}

/// Reasons.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonsBody {
    /// Why (at least 4 characters), e.g. the legal retention duty.
    #[schema(max_length = 2000)]
    pub reasons: String,
}

/// Refuse an open request. Reasons are required (PIPL 50); a minor gets a written notice.
#[utoipa::path(post, path = "/v1/admin/rights-requests/{id}/refuse", tag = "rights",
    params(("id" = String, Path)), request_body = ReasonsBody, security(("api_key" = [])),
    responses((status = 200, body = RightsRequestFull), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<ReasonsBody>,
) -> Result<Json<RightsRequestFull>, ApiError> {
    check_id("id", &id, 64)?;
    if b.reasons.chars().count() > 2000 {
        return Err(ApiError::invalid(
            "reasons are longer than 2,000 characters",
        ));
    }
    let r = state
        .rights()?
        .refuse(&id, &b.reasons, &actor(&key), now())
        .await
        .map_err(rights_error)?;
    Ok(Json(RightsRequestFull::from(&r)))
}

/// Completion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    /// Set when only part was done: what was not done and why.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub partly_reasons: Option<String>,
    /// The outcome (free JSON, e.g. the execution report).
    #[serde(default)]
    pub result: Option<serde_json::Value>,
}

/// Complete a request in progress (e.g. after a manual execution).
#[utoipa::path(post, path = "/v1/admin/rights-requests/{id}/complete", tag = "rights",
    params(("id" = String, Path)), request_body = CompleteBody, security(("api_key" = [])),
    responses((status = 200, body = RightsRequestFull), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<CompleteBody>,
) -> Result<Json<RightsRequestFull>, ApiError> {
    check_id("id", &id, 64)?;
    let wf = state.rights()?;
    let result = b.result.unwrap_or_else(|| serde_json::json!({}));
    let r = match b.partly_reasons.as_deref() {
        Some(reasons) => {
            wf.complete_partly(&id, reasons, result, &actor(&key), now())
                .await
        }
        None => wf.complete(&id, result, &actor(&key), now()).await,
    }
    .map_err(rights_error)?;
    Ok(Json(RightsRequestFull::from(&r)))
}

/// Open requests by urgency.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    /// Today (China date) the lists are computed for.
    pub today: String,
    /// Past their due date.
    pub overdue: Vec<RightsRequestFull>,
    /// Due within the configured working days.
    pub due_soon: Vec<RightsRequestFull>,
    /// No due date (the holiday calendar does not cover the year yet).
    pub no_due_date: Vec<RightsRequestFull>,
    /// Open and on track.
    pub on_track: Vec<RightsRequestFull>,
}

/// `?today=` (defaults to the current China date).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DueQuery {
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub today: Option<String>,
}

/// Overdue, due-soon and undated open requests.
#[utoipa::path(get, path = "/v1/admin/rights-requests/due", tag = "rights", params(DueQuery),
    security(("api_key" = [])),
    responses((status = 200, body = DueView), (status = 422, body = ErrorBody)))]
pub async fn due(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<DueQuery>,
) -> Result<Json<DueView>, ApiError> {
    let today = q.today.unwrap_or_else(|| xiezhi_store::china_date(now()));
    let Some(t) = xiezhi_rights::deadline::parse_date(&today) else {
        return Err(ApiError::invalid("today must be a date, YYYY-MM-DD"));
    };
    let l = state.rights()?.due_lists(t).await.map_err(rights_error)?;
    let v = |l: &[RightsRequest]| l.iter().map(RightsRequestFull::from).collect();
    Ok(Json(DueView {
        today,
        overdue: v(&l.overdue),
        due_soon: v(&l.due_soon),
        no_due_date: v(&l.no_due_date),
        on_track: v(&l.on_track),
    }))
}

/// A statistics row.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatView {
    /// Kind.
    pub kind: String,
    /// State (outcome for closed ones).
    pub state: String,
    /// Requests.
    pub count: i64,
    /// Closed after the due date.
    pub late: i64,
    /// Mean days from receipt to closing.
    pub mean_days_to_close: Option<f64>,
}

/// `?from=&to=` (China dates, `to` exclusive; default: this calendar year).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// First day, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Day after the last, `YYYY-MM-DD`.
    #[serde(default)]
    pub to: Option<String>,
}

/// Requests by kind and outcome, with lateness and time to close (the art. 44 report uses these).
#[utoipa::path(get, path = "/v1/admin/rights-stats", tag = "rights", params(StatsQuery),
    security(("api_key" = [])),
    responses((status = 200, body = Vec<StatView>), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Vec<StatView>>, ApiError> {
    let (f, t, _, _) =
        xiezhi_rights::workflow::stats_window(q.from.as_deref(), q.to.as_deref(), now())
            .map_err(rights_error)?;
    let rows = state.engine.store().rights_stats(f, t).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| StatView {
                kind: r.kind,
                state: r.state,
                count: r.count,
                late: r.late,
                mean_days_to_close: r.mean_close_ms.map(|ms| ms / 86_400_000.0),
            })
            .collect(),
    ))
}
