//! Incidents for the platform's staff (`admin` scope; catalog 4.9, SR-INC-01..03): the register
//! with every reporting clock computed at the server's now, open (with the data-map estimate),
//! update and re-grade, the authority report (initial / supplementary / summary, "report first,
//! supplement later"), notices to affected people (e-mail through the configured SMTP relay),
//! the exemption decision and closing. Grading, clocks, reports and notices are
//! `xiezhi-incident`'s; the store keeps the documents and the event log, each write with its
//! audit event. Notice recipients' addresses are used to send and then dropped: only counts are
//! recorded.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use xiezhi_incident::{
    AuthorityReport, Case, CaseError, Channel, Format, Incident, IncidentKind, Lang, Notice,
    NoticeDraft, ReportKind, ReporterType, Text, Timestamp, Update,
};
use xiezhi_store::{
    IncidentDoc, IncidentEventInput, IncidentEventKind, StoreError, StoredIncident,
};

use crate::AppState;
use crate::auth::AdminKey;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::limits::check_id;
use crate::privacy::esc;

/// Most recipients one notice call sends to (larger campaigns: split, or use the CLI).
pub const MAX_RECIPIENTS: usize = 1000;

fn actor(key: &AdminKey) -> String {
    format!("apikey:{}", key.0.id)
}

fn now() -> Timestamp {
    Timestamp(xiezhi_decide::time::now_millis())
}

fn case_error(e: CaseError) -> ApiError {
    match e {
        CaseError::Closed(_) => {
            ApiError::new(StatusCode::CONFLICT, "incident_closed", e.to_string())
        }
        CaseError::SummaryPending => ApiError::new(
            StatusCode::CONFLICT,
            "summary_report_pending",
            e.to_string(),
        ),
        CaseError::NoInitialReport | CaseError::HandlingNotEnded => {
            ApiError::new(StatusCode::CONFLICT, "incident_state", e.to_string())
        }
        CaseError::Exemption(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reasons_required",
            e.to_string(),
        ),
        CaseError::Stored { .. } => ApiError::internal(&e),
        other => ApiError::invalid(other.to_string()),
    }
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::IncidentNotFound { .. } => {
            ApiError::not_found("incident_not_found", e.to_string())
        }
        StoreError::IncidentExists { .. } => {
            ApiError::new(StatusCode::CONFLICT, "incident_exists", e.to_string())
        }
        StoreError::IncidentConflict { .. } => {
            ApiError::new(StatusCode::CONFLICT, "incident_changed", e.to_string())
        }
        other => ApiError::from(other),
    }
}

fn lang(l: Option<&str>) -> Result<Lang, ApiError> {
    match l.unwrap_or("zh-CN") {
        "zh-CN" | "zh" => Ok(Lang::ZhCn),
        "en" => Ok(Lang::En),
        other => Err(ApiError::invalid(format!(
            "lang `{other}`: use zh-CN or en"
        ))),
    }
}

fn lang_id(l: Lang) -> &'static str {
    match l {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

fn enum_from<T: serde::de::DeserializeOwned>(
    field: &str,
    v: &str,
    allowed: &str,
) -> Result<T, ApiError> {
    serde_json::from_value(json!(v))
        .map_err(|_| ApiError::invalid(format!("{field} `{v}`: use one of {allowed}")))
}

fn time(field: &str, v: &str) -> Result<Timestamp, ApiError> {
    Timestamp::parse(v).map_err(|_| {
        ApiError::invalid(format!(
            "{field} `{v}`: write an RFC 3339 time with offset, e.g. 2026-03-01T10:00:00+08:00"
        ))
    })
}

fn to_case(s: &StoredIncident) -> Result<Case, ApiError> {
    Case::from_parts(
        &s.record,
        &s.timeline,
        s.estimate.as_deref(),
        s.closed_at,
        s.close_reason.clone(),
    )
    .map_err(case_error)
}

async fn load(state: &AppState, id: &str) -> Result<(Case, StoredIncident), ApiError> {
    check_id("id", id, 64)?;
    let s = state
        .engine
        .store()
        .get_incident(id)
        .await?
        .ok_or_else(|| ApiError::not_found("incident_not_found", format!("no incident '{id}'")))?;
    Ok((to_case(&s)?, s))
}

async fn save(
    state: &AppState,
    c: &Case,
    seq: i64,
    kind: IncidentEventKind,
    actor: &str,
    at: Timestamp,
    data: serde_json::Value,
) -> Result<StoredIncident, ApiError> {
    let (record, timeline, estimate) = (c.record_json(), c.timeline_json(), c.estimate_json());
    state
        .engine
        .store()
        .save_incident(
            IncidentDoc {
                id: &c.incident.id,
                state: c.state(),
                level: xiezhi_incident::case::level_id(c.level()),
                detected_at: c.incident.detected_at.millis(),
                closed_at: c.closed_at.map(Timestamp::millis),
                close_reason: c.close_reason.as_deref(),
                record: &record,
                timeline: &timeline,
                estimate: estimate.as_deref(),
            },
            seq,
            IncidentEventInput {
                kind,
                actor,
                at: at.millis(),
                data,
            },
        )
        .await
        .map_err(store_error)
}

/// One clock at the server's now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockView {
    /// Clock id (`initial-report`, `notify-affected`, `summary-report`, …).
    pub id: String,
    /// running, overdue, done, done_late, asap, waiting, exempted.
    pub status: String,
    /// The duty (zh-CN).
    pub duty: String,
    /// Deadline (RFC 3339); none for "promptly" and waiting clocks.
    pub due: Option<String>,
    /// Milliseconds left (negative when overdue).
    pub time_left_ms: Option<i64>,
    /// Milliseconds since a "promptly" clock started.
    pub elapsed_ms: Option<i64>,
    /// When done (RFC 3339).
    pub done: Option<String>,
    /// Confidence mark of the rule.
    pub confidence: String,
}

fn clock_views(c: &Case, at: Timestamp) -> Vec<ClockView> {
    c.clocks(at)
        .into_iter()
        .map(|k| ClockView {
            id: k.id.to_owned(),
            status: serde_json::to_value(k.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            duty: k.duty_zh.clone(),
            due: k.due.map(|d| d.to_rfc3339()),
            time_left_ms: k.time_left_ms,
            elapsed_ms: k.elapsed_ms,
            done: k.done.map(|d| d.to_rfc3339()),
            confidence: k.confidence.mark().to_owned(),
        })
        .collect()
}

/// An incident in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentSummary {
    /// Id.
    pub id: String,
    /// Title (zh-CN).
    pub title: String,
    /// Incident type.
    pub kind: String,
    /// general, relatively_large, major, especially_major.
    pub level: String,
    /// open, closed.
    pub state: String,
    /// Detected (RFC 3339).
    pub detected_at: String,
    /// People whose PI is affected.
    pub people: u64,
    /// Every clock at the server's now.
    pub clocks: Vec<ClockView>,
}

fn summary(c: &Case, at: Timestamp) -> IncidentSummary {
    IncidentSummary {
        id: c.incident.id.clone(),
        title: c.incident.title.zh.clone(),
        kind: serde_json::to_value(c.incident.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        level: xiezhi_incident::case::level_id(c.level()).to_owned(),
        state: c.state().to_owned(),
        detected_at: c.incident.detected_at.to_rfc3339(),
        people: c.incident.pi_people(),
        clocks: clock_views(c, at),
    }
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// open (default), closed or all.
    #[serde(default)]
    pub state: Option<String>,
    /// At most this many (default 200, at most 1,000).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Incidents, newest detection first, with level and every clock at the server's now.
#[utoipa::path(get, path = "/v1/admin/incidents", tag = "incidents", params(ListQuery),
    security(("api_key" = [])),
    responses((status = 200, body = Vec<IncidentSummary>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<IncidentSummary>>, ApiError> {
    let filter = match q.state.as_deref().unwrap_or("open") {
        "all" => None,
        s @ ("open" | "closed") => Some(s),
        other => {
            return Err(ApiError::invalid(format!(
                "state `{other}`: use open, closed or all"
            )));
        }
    };
    let at = now();
    let rows = state
        .engine
        .store()
        .list_incidents(filter, q.limit.unwrap_or(200).clamp(1, 1000))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(summary(&to_case(r)?, at));
    }
    Ok(Json(out))
}

/// One incident: grading with evidence, clocks, timeline, estimate, the event log.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    /// Summary with the clocks.
    pub summary: IncidentSummary,
    /// The full view: `incident` record, `grading` (level, decisions with evidence and
    /// confidence), `clocks`, `timeline`, `estimate`, `missing_fields`, `closed_at`,
    /// `close_reason`, `now` (the xiezhi-incident JSON).
    #[schema(value_type = Object)]
    pub view: serde_json::Value,
    /// Event log, oldest first: seq, at, kind, actor, data (counts and PI types only).
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<serde_json::Value>,
}

async fn detail(state: &AppState, c: &Case, at: Timestamp) -> Result<IncidentDetail, ApiError> {
    let events = state.engine.store().incident_events(&c.incident.id).await?;
    Ok(IncidentDetail {
        summary: summary(c, at),
        view: serde_json::to_value(c.view(at)).map_err(|e| ApiError::internal(&e))?,
        events: events
            .into_iter()
            .map(|e| {
                json!({
                    "seq": e.seq,
                    "at": xiezhi_decide::time::format_rfc3339(e.at),
                    "kind": e.kind,
                    "actor": e.actor,
                    "data": e.data,
                })
            })
            .collect(),
    })
}

/// One incident with its clocks computed at the server's now.
#[utoipa::path(get, path = "/v1/admin/incidents/{id}", tag = "incidents",
    params(("id" = String, Path)), security(("api_key" = [])),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    _key: AdminKey,
    Path(id): Path<String>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let (c, _) = load(&state, &id).await?;
    Ok(Json(detail(&state, &c, now()).await?))
}

/// A new incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenIncident {
    /// Id (default `INC-<date>-<random>`).
    #[serde(default)]
    #[schema(max_length = 64)]
    pub id: Option<String>,
    /// data_leak, data_tampering, data_loss, ransomware, malware, network_attack,
    /// vulnerability, outage, content, other.
    pub kind: String,
    /// cii_operator, central_state_organ, other (default).
    #[serde(default)]
    pub reporter: Option<String>,
    /// Title (zh-CN; no PI values).
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// English title.
    #[serde(default)]
    pub title_en: Option<String>,
    /// When discovered (RFC 3339): the hour clocks start here.
    pub discovered_at: String,
    /// Affected systems (`systems` ids of the server's data map).
    #[serde(default)]
    pub systems: Vec<String>,
    /// Affected datasets (`datasets` ids of the server's data map).
    #[serde(default)]
    pub datasets: Vec<String>,
    /// Confirmed number of people (overrides the data-map estimate).
    #[serde(default)]
    pub people: Option<u64>,
    /// Further fields, as for the update call (reporting_unit, contact, location, pi_types,
    /// direct_economic_loss_cny, assessed, …).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub fields: Option<serde_json::Value>,
}

fn parse_update(v: serde_json::Value) -> Result<Update, ApiError> {
    serde_json::from_value(v).map_err(|e| ApiError::invalid(format!("incident fields: {e}")))
}

fn new_id(at: Timestamp) -> Result<String, ApiError> {
    let mut b = [0u8; 3];
    getrandom_fill(&mut b)?;
    let date: String = at
        .to_beijing(Lang::En)
        .chars()
        .take(10)
        .filter(char::is_ascii_digit)
        .collect();
    let mut id = format!("INC-{date}-");
    for x in b {
        let _ = write!(id, "{x:02x}");
    }
    Ok(id)
}

fn getrandom_fill(b: &mut [u8]) -> Result<(), ApiError> {
    getrandom::fill(b).map_err(|e| ApiError::internal(&e))
}

/// Record a new incident: estimate from the data map, grade, start the clocks.
#[utoipa::path(post, path = "/v1/admin/incidents", tag = "incidents", request_body = OpenIncident,
    security(("api_key" = [])),
    responses((status = 200, body = IncidentDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    key: AdminKey,
    Json(b): Json<OpenIncident>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let at = now();
    let kind: IncidentKind = enum_from(
        "kind",
        &b.kind,
        "data_leak, data_tampering, data_loss, ransomware, malware, network_attack, vulnerability, outage, content, other",
    )?;
    let reporter: ReporterType = enum_from(
        "reporter",
        b.reporter.as_deref().unwrap_or("other"),
        "cii_operator, central_state_organ, other",
    )?;
    let discovered = time("discovered_at", &b.discovered_at)?;
    let id = match b.id {
        Some(id) => {
            check_id("id", &id, 64)?;
            id
        }
        None => new_id(at)?,
    };
    let estimate = if b.systems.is_empty() && b.datasets.is_empty() {
        None
    } else {
        let map = state.project.as_deref().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no_data_map",
                "this server has no data map loaded: give `people` and `fields.pi_types` instead of systems/datasets",
            )
        })?;
        Some(
            xiezhi_incident::estimate(map, &b.systems, &b.datasets)
                .map_err(|e| ApiError::invalid(e.to_string()))?,
        )
    };
    let title = match b.title_en {
        Some(en) => Text::both(b.title, en),
        None => Text::zh(b.title),
    };
    let mut inc = Incident::new(id, title, kind, reporter, discovered);
    inc.reporting_unit = state
        .project
        .as_deref()
        .map(|p| p.profile.organisation.name.clone());
    let mut case = Case::open(inc, estimate, b.people).map_err(case_error)?;
    if let Some(f) = b.fields {
        let mut u = parse_update(f)?;
        if b.people.is_some() {
            u.people = None;
        }
        case.update(u).map_err(case_error)?;
    }
    let (record, timeline, est) = (
        case.record_json(),
        case.timeline_json(),
        case.estimate_json(),
    );
    let level = xiezhi_incident::case::level_id(case.level());
    state
        .engine
        .store()
        .open_incident(
            IncidentDoc {
                id: &case.incident.id,
                state: case.state(),
                level,
                detected_at: discovered.millis(),
                closed_at: None,
                close_reason: None,
                record: &record,
                timeline: &timeline,
                estimate: est.as_deref(),
            },
            IncidentEventInput {
                kind: IncidentEventKind::Opened,
                actor: &actor(&key),
                at: at.millis(),
                data: json!({
                    "level": level,
                    "people": case.incident.pi_people(),
                    "estimated": case.incident.pi.as_ref().is_some_and(|p| p.estimated),
                    "systems": b.systems,
                    "datasets": b.datasets,
                }),
            },
        )
        .await
        .map_err(store_error)?;
    Ok(Json(detail(&state, &case, at).await?))
}

/// Change fields (the body is the update document: every field given replaces the stored
/// value, e.g. `{"people": 1000000, "preliminary_cause": "…", "done": {"pipl57-notify-authority":
/// "2026-03-01T12:00:00+08:00"}}`), re-grade and log the change.
#[utoipa::path(patch, path = "/v1/admin/incidents/{id}", tag = "incidents",
    params(("id" = String, Path)), request_body(content = Object),
    security(("api_key" = [])),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<serde_json::Value>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let at = now();
    let u = parse_update(b)?;
    let (mut case, stored) = load(&state, &id).await?;
    let ch = case.update(u).map_err(case_error)?;
    let data = json!({
        "fields": ch.fields,
        "level_before": xiezhi_incident::case::level_id(ch.level_before),
        "level_after": xiezhi_incident::case::level_id(ch.level_after),
        "people": ch.people,
    });
    save(
        &state,
        &case,
        stored.seq,
        IncidentEventKind::Updated,
        &actor(&key),
        at,
        data,
    )
    .await?;
    Ok(Json(detail(&state, &case, at).await?))
}

/// Which report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// initial, supplementary, summary.
    pub kind: String,
    /// zh-CN (default) or en.
    #[serde(default)]
    pub lang: Option<String>,
    /// markdown (default) or text.
    #[serde(default)]
    pub format: Option<String>,
    /// Only render; do not record it as filed.
    #[serde(default)]
    pub dry_run: bool,
}

/// The rendered report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    /// The report text.
    pub text: String,
    /// Fields still missing (to be supplemented).
    pub missing: Vec<String>,
    /// Recorded as filed.
    pub filed: bool,
    /// Clock ids marked done.
    pub clocks_done: Vec<String>,
}

/// Render the report to the authority and record that it was filed.
#[utoipa::path(post, path = "/v1/admin/incidents/{id}/reports", tag = "incidents",
    params(("id" = String, Path)), request_body = ReportBody, security(("api_key" = [])),
    responses((status = 200, body = ReportOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<ReportBody>,
) -> Result<Json<ReportOut>, ApiError> {
    let at = now();
    let kind: ReportKind = enum_from("kind", &b.kind, "initial, supplementary, summary")?;
    let l = lang(b.lang.as_deref())?;
    let format = match b.format.as_deref().unwrap_or("markdown") {
        "markdown" => Format::Markdown,
        "text" => Format::Text,
        other => {
            return Err(ApiError::invalid(format!(
                "format `{other}`: use markdown or text"
            )));
        }
    };
    let (mut case, stored) = load(&state, &id).await?;
    let r = AuthorityReport::from(&case.incident, kind, at);
    let text = r.render(l, format);
    let missing: Vec<String> = r
        .missing_fields()
        .iter()
        .map(|f| f.name(Lang::En).to_owned())
        .collect();
    if b.dry_run {
        return Ok(Json(ReportOut {
            text,
            missing,
            filed: false,
            clocks_done: vec![],
        }));
    }
    let filed = case.file_report(kind, at).map_err(case_error)?;
    let data = json!({
        "report": kind,
        "missing": filed.missing,
        "clocks_done": filed.clocks_done,
        "level": xiezhi_incident::case::level_id(filed.level),
        "lang": lang_id(l),
        "sha256": xiezhi_audit::payload_digest(text.as_bytes()),
    });
    save(
        &state,
        &case,
        stored.seq,
        IncidentEventKind::Reported,
        &actor(&key),
        at,
        data,
    )
    .await?;
    Ok(Json(ReportOut {
        text,
        missing,
        filed: true,
        clocks_done: filed.clocks_done.iter().map(|s| (*s).to_owned()).collect(),
    }))
}

/// A notice to render (and, for e-mail, send).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyBody {
    /// sms, email, in_app, announcement.
    pub channel: String,
    /// zh-CN (default) or en.
    #[serde(default)]
    pub lang: Option<String>,
    /// The notice content: organisation, sms_signature, what_happened, cause, possible_harm,
    /// remedies_taken, what_you_can_do, contact, full_notice_url, sms_max_segments.
    #[schema(value_type = Object)]
    pub draft: serde_json::Value,
    /// E-mail: the addresses to send to (used to send, never stored or logged; at most 1,000).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Other channels: delivered to this many by your own system (1 for a published
    /// announcement); more than 0 marks the notify-affected duty done.
    #[serde(default)]
    pub delivered: Option<u64>,
}

/// The rendered notice and the counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotifyOut {
    /// Subject (e-mail) or title.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// SMS: UCS-2 units.
    pub sms_units: Option<usize>,
    /// SMS: segments.
    pub sms_segments: Option<usize>,
    /// Recipients given.
    pub recipients: u64,
    /// Delivered.
    pub delivered: u64,
    /// Failed.
    pub failed: u64,
    /// The notify-affected duty was marked done by this call.
    pub notify_affected_done: bool,
}

/// Render the notice to affected people for one channel; e-mail is sent through the server's
/// SMTP relay (`xiezhi serve --smtp …`; 503 without one). Only counts are recorded.
#[utoipa::path(post, path = "/v1/admin/incidents/{id}/notices", tag = "incidents",
    params(("id" = String, Path)), request_body = NotifyBody, security(("api_key" = [])),
    responses((status = 200, body = NotifyOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn notify(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<NotifyBody>,
) -> Result<Json<NotifyOut>, ApiError> {
    let at = now();
    let channel: Channel = enum_from("channel", &b.channel, "sms, email, in_app, announcement")?;
    let l = lang(b.lang.as_deref())?;
    let draft: NoticeDraft = serde_json::from_value(b.draft)
        .map_err(|e| ApiError::invalid(format!("notice draft: {e}")))?;
    let (mut case, stored) = load(&state, &id).await?;
    let rendered = Notice::new(&case.incident, draft)
        .and_then(|n| n.render(channel, l))
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let (recipients, delivered, failed) = if channel == Channel::Email {
        if b.recipients.is_empty() {
            return Err(ApiError::invalid(
                "an e-mail notice needs `recipients` (the addresses to send to)",
            ));
        }
        if b.recipients.len() > MAX_RECIPIENTS {
            return Err(ApiError::invalid(format!(
                "at most {MAX_RECIPIENTS} recipients per call; split the list"
            )));
        }
        let mailer = state
            .identity
            .as_ref()
            .and_then(|i| i.mailer.clone())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "smtp_not_configured",
                    "no SMTP relay configured: start the server with --smtp HOST:PORT --smtp-from ADDRESS",
                )
            })?;
        let subject = rendered.subject.clone().unwrap_or_default();
        let (mut ok, mut bad) = (0u64, 0u64);
        for to in &b.recipients {
            let mail = xiezhi_identity::smtp::Email {
                to: to.clone(),
                subject: subject.clone(),
                body: rendered.body.clone(),
            };
            match mailer.send(&mail).await {
                Ok(()) => ok += 1,
                Err(e) => {
                    bad += 1;
                    // MailError names the step, never the address.
                    tracing::warn!(error = %e, "incident notice e-mail not delivered");
                }
            }
        }
        (b.recipients.len() as u64, ok, bad)
    } else {
        let d = b.delivered.unwrap_or(0);
        (d, d, 0)
    };
    let text = match &rendered.subject {
        Some(s) => format!("{s}\n\n{}\n", rendered.body),
        None => format!("{}\n", rendered.body),
    };
    // The e-mails are out: the record must not be lost to a concurrent change of the incident,
    // so a conflict reloads the incident and records the notice on the newer version.
    let mut stored = stored;
    let mut attempts = 0;
    let marked = loop {
        let marked = case.record_notice(channel, delivered, at);
        let data = json!({
            "channel": channel,
            "lang": lang_id(l),
            "recipients": recipients,
            "delivered": delivered,
            "failed": failed,
            "sms": rendered.sms,
            "sha256": xiezhi_audit::payload_digest(text.as_bytes()),
            "notify_affected_done": marked,
        });
        match save(
            &state,
            &case,
            stored.seq,
            IncidentEventKind::Notified,
            &actor(&key),
            at,
            data,
        )
        .await
        {
            Ok(_) => break marked,
            Err(e) if e.code == "incident_changed" && attempts < 5 => {
                attempts += 1;
                (case, stored) = load(&state, &id).await?;
            }
            Err(e) => return Err(e),
        }
    };
    Ok(Json(NotifyOut {
        subject: rendered.subject,
        body: rendered.body,
        sms_units: rendered.sms.map(|s| s.units),
        sms_segments: rendered.sms.map(|s| s.segments),
        recipients,
        delivered,
        failed,
        notify_affected_done: marked,
    }))
}

/// The decision not to notify individuals.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionBody {
    /// Which measures effectively avoid harm (PIPL 57 para 2); at least one, none blank.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Record the decision not to notify individuals (PIPL 57 para 2); 422 without reasons.
#[utoipa::path(post, path = "/v1/admin/incidents/{id}/exemption", tag = "incidents",
    params(("id" = String, Path)), request_body = ExemptionBody, security(("api_key" = [])),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn exemption(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<ExemptionBody>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let at = now();
    let (mut case, stored) = load(&state, &id).await?;
    let e = case.exempt(b.reasons, at).map_err(case_error)?.clone();
    let data = json!({"reasons": e.reasons(), "decided_at": e.decided_at()});
    save(
        &state,
        &case,
        stored.seq,
        IncidentEventKind::Exemption,
        &actor(&key),
        at,
        data,
    )
    .await?;
    Ok(Json(detail(&state, &case, at).await?))
}

/// Closing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// Why it is closed without the summary report (required then).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Close the incident; 409 when the summary report is due and no reason is given.
#[utoipa::path(post, path = "/v1/admin/incidents/{id}/close", tag = "incidents",
    params(("id" = String, Path)), request_body = CloseBody, security(("api_key" = [])),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<CloseBody>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let at = now();
    let (mut case, stored) = load(&state, &id).await?;
    case.close(b.reason, at).map_err(case_error)?;
    let summary_filed = case
        .timeline
        .done
        .contains_key(xiezhi_incident::clocks::SUMMARY);
    let data = json!({"summary_filed": summary_filed, "reason": case.close_reason});
    save(
        &state,
        &case,
        stored.seq,
        IncidentEventKind::Closed,
        &actor(&key),
        at,
        data,
    )
    .await?;
    Ok(Json(detail(&state, &case, at).await?))
}

/// The HTML section of the admin page: open incidents with level and each clock's time left.
pub async fn admin_html(state: &AppState) -> String {
    let at = now();
    let mut out = String::new();
    out.push_str("<h2 id=\"incidents\">网络安全事件 · Open incidents</h2>");
    let rows = match state.engine.store().list_incidents(Some("open"), 200).await {
        Ok(r) => r,
        Err(e) => {
            let _ = write!(out, "<p role=\"alert\">{}</p>", esc(&e.to_string()));
            return out;
        }
    };
    if rows.is_empty() {
        out.push_str("<p>暂无处置中的事件 · No open incidents.</p>");
        return out;
    }
    out.push_str("<table><thead><tr><th scope=\"col\">事件 Incident</th><th scope=\"col\">分级 Level</th><th scope=\"col\">人数 People</th><th scope=\"col\">时限 Clock</th><th scope=\"col\">状态 Status</th><th scope=\"col\">剩余 Time left</th></tr></thead><tbody>");
    for r in &rows {
        let Ok(c) = to_case(r) else {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td colspan=\"5\">stored record does not load</td></tr>",
                esc(&r.id)
            );
            continue;
        };
        let clocks = c.clocks(at);
        let level = c.level();
        let span = clocks.len().max(1);
        let _ = write!(
            out,
            "<tr data-incident=\"{id}\"><td rowspan=\"{span}\"><code>{id}</code><br>{title}</td><td rowspan=\"{span}\">{zh} · {en}</td><td rowspan=\"{span}\">{people}</td>",
            id = esc(&c.incident.id),
            title = esc(&c.incident.title.zh),
            zh = level.name(Lang::ZhCn),
            en = level.name(Lang::En),
            people = xiezhi_incident::group_digits(c.incident.pi_people()),
        );
        if clocks.is_empty() {
            out.push_str("<td colspan=\"3\">—</td></tr>");
        }
        for (i, k) in clocks.iter().enumerate() {
            if i > 0 {
                out.push_str("<tr>");
            }
            let left = match (k.time_left_ms, k.elapsed_ms) {
                (Some(ms), _) => {
                    let s = xiezhi_incident::time::format_duration(ms, Lang::ZhCn);
                    if k.overdue {
                        format!("<strong>{}</strong>", esc(&s))
                    } else {
                        esc(&s)
                    }
                }
                (None, Some(el)) => format!(
                    "已过 {}",
                    esc(&xiezhi_incident::time::format_duration(el, Lang::ZhCn))
                ),
                _ => "—".to_owned(),
            };
            let _ = write!(
                out,
                "<td data-clock=\"{id}\">{duty}<br><small>{due}</small></td><td>{status}</td><td>{left}</td></tr>",
                id = esc(k.id),
                duty = esc(k.duty(Lang::ZhCn)),
                due = esc(&k.due.map_or_else(
                    || "及时 · promptly".to_owned(),
                    |d| d.to_beijing(Lang::ZhCn)
                )),
                status = if k.overdue {
                    format!("<strong>{}</strong>", k.status.name(Lang::ZhCn))
                } else {
                    k.status.name(Lang::ZhCn).to_owned()
                },
            );
        }
    }
    out.push_str("</tbody></table>");
    out
}
