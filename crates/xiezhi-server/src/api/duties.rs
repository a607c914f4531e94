//! The calendar of duties for staff (`admin` scope): what is due when — yearly reports (Reg.
//! arts. 33, 44), compliance audits, the PIPO filing, cross-border validity and filing clocks,
//! record retention — computed from the loaded data map ([`xiezhi_check::duties`]), as JSON or
//! iCalendar, and the reminders shown on the admin page.
//!
//! Past reports come from the store's register of generated reports (`xiezhi report` records
//! each generation): a complete report marks its duty done for the period.

use std::fmt::Write;

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xiezhi_check::Date;
use xiezhi_check::duties::{self, Calendar, Duty, DutyOptions, PastReport, Source, Status};
use xiezhi_model::Lang;

use crate::AppState;
use crate::auth::AdminKey;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Query};
use crate::privacy::esc;

/// Largest `within` accepted (days).
const MAX_WITHIN_DAYS: u32 = 3660;

/// `?as_of=&within=&lang=`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DutiesQuery {
    /// Compute the statuses on this date (`YYYY-MM-DD`); default today (China date).
    #[serde(default)]
    pub as_of: Option<String>,
    /// A duty due within this many days (the due day included) is due soon; default 30.
    #[serde(default)]
    pub within: Option<u32>,
    /// Language of the iCalendar text: `zh-CN` (default) or `en`. The JSON carries both.
    #[serde(default)]
    pub lang: Option<String>,
}

/// What a duty was derived from: a data-map field or a report in the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutySourceView {
    /// `data_map` or `past_report`.
    pub source: String,
    /// Data-map file, relative to the project directory.
    pub file: Option<String>,
    /// Data-map field, e.g. `assessments[risk-2025].completed`.
    pub field: Option<String>,
    /// 1-based line of the field's entity (0 when unknown).
    pub line: Option<u64>,
    /// Report kind.
    pub kind: Option<String>,
    /// Year the report is for.
    pub period_year: Option<i32>,
    /// Date the report was generated.
    pub generated_on: Option<String>,
}

/// One duty.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyView {
    /// Stable id, e.g. `art33-annual`, `xborder-assessment:xb-sg`.
    pub id: String,
    /// Title, Simplified Chinese.
    pub title_zh: String,
    /// Title, English.
    pub title_en: String,
    /// Articles, e.g. `Reg. 33`.
    pub articles: Vec<String>,
    /// Confidence mark of the catalog entry: `C2`, `OFF-1`, `UNCONFIRMED`, `DRAFT`.
    pub confidence: String,
    /// `periodic`, `deadline`, `validity` or `keep_until`.
    pub kind: String,
    /// Due date (`YYYY-MM-DD`); none when not applicable or undetermined.
    pub due: Option<String>,
    /// First day of a renewal window.
    pub window_opens: Option<String>,
    /// When the duty was last carried out.
    pub last_done: Option<String>,
    /// `overdue`, `due_soon`, `undetermined`, `upcoming`, `done`, `not_applicable`.
    pub status: String,
    /// Days from `as_of` to `due` (negative when past).
    pub days_left: Option<i64>,
    /// Days before `due` a reminder fires.
    pub remind_days_before: u32,
    /// How the date was computed or why the duty does not apply, Simplified Chinese.
    pub note_zh: String,
    /// The same in English.
    pub note_en: String,
    /// What the duty was derived from.
    pub derived_from: Vec<DutySourceView>,
    /// The command that produces the document, e.g. `xiezhi report important-data-annual`.
    pub command: Option<String>,
}

/// The calendar of duties.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutiesView {
    /// Decision date.
    pub as_of: String,
    /// Due-soon horizon in days.
    pub within_days: u32,
    /// Years the PRC working-day calendar covers, e.g. `2025–2026`.
    pub working_day_calendar: Option<String>,
    /// Duties, most urgent first.
    pub duties: Vec<DutyView>,
}

fn source_view(s: &Source) -> DutySourceView {
    match s {
        Source::DataMap { file, field, line } => DutySourceView {
            source: "data_map".into(),
            file: Some(file.clone()),
            field: Some(field.clone()),
            line: Some(*line),
            kind: None,
            period_year: None,
            generated_on: None,
        },
        Source::PastReport {
            kind,
            period_year,
            generated_on,
        } => DutySourceView {
            source: "past_report".into(),
            file: None,
            field: None,
            line: None,
            kind: Some(kind.clone()),
            period_year: *period_year,
            generated_on: Some(generated_on.to_string()),
        },
    }
}

fn kind_str(k: duties::DutyKind) -> &'static str {
    match k {
        duties::DutyKind::Periodic => "periodic",
        duties::DutyKind::Deadline => "deadline",
        duties::DutyKind::Validity => "validity",
        duties::DutyKind::KeepUntil => "keep_until",
    }
}

fn confidence_str(c: xiezhi_check::Confidence) -> String {
    c.mark().trim_matches(['[', ']']).to_string()
}

fn duty_view(d: &Duty) -> DutyView {
    DutyView {
        id: d.id.clone(),
        title_zh: d.title_zh.clone(),
        title_en: d.title_en.clone(),
        articles: d.articles.iter().map(|a| (*a).to_string()).collect(),
        confidence: confidence_str(d.confidence),
        kind: kind_str(d.kind).into(),
        due: d.due.map(|x| x.to_string()),
        window_opens: d.window_opens.map(|x| x.to_string()),
        last_done: d.last_done.map(|x| x.to_string()),
        status: d.status.as_str().into(),
        days_left: d.days_left,
        remind_days_before: d.remind_days_before,
        note_zh: d.note_zh.clone(),
        note_en: d.note_en.clone(),
        derived_from: d.derived_from.iter().map(source_view).collect(),
        command: d.command.clone(),
    }
}

fn today() -> String {
    xiezhi_store::china_date(xiezhi_decide::time::now_millis())
}

/// The reports recorded in the store's register (`xiezhi report`) as past reports of the
/// calendar: only complete ones (no item left missing) count as done for their period.
pub async fn past_reports(
    store: &xiezhi_store::Store,
) -> Result<Vec<PastReport>, xiezhi_store::StoreError> {
    Ok(store
        .generated_reports(None)
        .await?
        .into_iter()
        .filter(|r| r.report.missing == 0)
        .filter_map(|r| {
            let on = Date::parse(&xiezhi_store::china_date(r.generated_at)).ok()?;
            Some(PastReport {
                kind: r.report.kind,
                period_year: r.report.period_year,
                generated_on: on,
            })
        })
        .collect())
}

/// The calendar for the query, or the error to answer.
async fn compute(state: &AppState, q: &DutiesQuery) -> Result<(Calendar, Lang), ApiError> {
    let Some(project) = state.project.as_deref() else {
        return Err(ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "no_data_map",
            "this server was started without a data map; start it with `xiezhi serve DIR`",
        ));
    };
    let as_of_text = q.as_of.clone().unwrap_or_else(today);
    let as_of = Date::parse(&as_of_text)
        .map_err(|_| ApiError::invalid("as_of must be a date, YYYY-MM-DD"))?;
    let within = q.within.unwrap_or(duties::DEFAULT_WITHIN_DAYS);
    if within > MAX_WITHIN_DAYS {
        return Err(ApiError::invalid(format!(
            "within must be at most {MAX_WITHIN_DAYS} days"
        )));
    }
    let lang = match q.lang.as_deref() {
        None => Lang::ZhCn,
        Some(l) => l
            .parse::<Lang>()
            .map_err(|_| ApiError::invalid("lang must be zh-CN or en"))?,
    };
    let past = past_reports(state.engine.store()).await?;
    let cal = duties::calendar(
        project,
        as_of,
        &past,
        &DutyOptions {
            within_days: within,
        },
    );
    Ok((cal, lang))
}

/// The calendar of duties as JSON, most urgent first.
#[utoipa::path(get, path = "/v1/admin/duties", tag = "duties", params(DutiesQuery),
    security(("api_key" = [])),
    responses((status = 200, body = DutiesView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<DutiesQuery>,
) -> Result<Json<DutiesView>, ApiError> {
    let (cal, _) = compute(&state, &q).await?;
    Ok(Json(DutiesView {
        as_of: cal.as_of.to_string(),
        within_days: cal.within_days,
        working_day_calendar: cal.working_day_calendar.clone(),
        duties: cal.duties.iter().map(duty_view).collect(),
    }))
}

/// The calendar of duties as iCalendar (RFC 5545): one all-day event per dated duty, with
/// reminders; not-applicable and undetermined duties are left out.
#[utoipa::path(get, path = "/v1/admin/duties.ics", tag = "duties", params(DutiesQuery),
    security(("api_key" = [])),
    responses((status = 200, description = "iCalendar", content_type = "text/calendar", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn ics(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<DutiesQuery>,
) -> Result<Response, ApiError> {
    let (cal, lang) = compute(&state, &q).await?;
    let org = state
        .project
        .as_deref()
        .map(|p| p.profile.organisation.name.clone())
        .unwrap_or_default();
    let text = duties::ics::render(&cal, &org, lang);
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response())
}

/// The reminders section of the admin page: overdue and due-soon duties (and undetermined
/// ones), with links to the JSON and iCalendar feeds. Empty when no data map is loaded.
pub async fn reminders_html(state: &AppState) -> String {
    let Some(project) = state.project.as_deref() else {
        return String::new();
    };
    let Ok(as_of) = Date::parse(&today()) else {
        return String::new();
    };
    // A register that cannot be read leaves the calendar to the data map alone.
    let past = past_reports(state.engine.store()).await.unwrap_or_default();
    let cal = duties::calendar(project, as_of, &past, &DutyOptions::default());
    let mut out = String::new();
    out.push_str("<h2 id=\"duties\">合规义务提醒 · Duty reminders</h2>");
    let _ = write!(
        out,
        "<p id=\"duties-summary\">{as_of}: 已逾期 overdue <strong>{}</strong> · {} 天内到期 due within {} days <strong>{}</strong> · 无法确定 undetermined <strong>{}</strong> · \
         <a href=\"/v1/admin/duties\">JSON</a> · <a href=\"/v1/admin/duties.ics\">iCalendar</a> (API key) · <code>xiezhi duties</code></p>",
        cal.count(Status::Overdue),
        cal.within_days,
        cal.within_days,
        cal.count(Status::DueSoon),
        cal.count(Status::Undetermined),
    );
    let shown: Vec<&Duty> = cal
        .duties
        .iter()
        .filter(|d| d.status.is_reminder() || d.status == Status::Undetermined)
        .collect();
    if shown.is_empty() {
        out.push_str("<p>暂无需要处理的义务 · Nothing due.</p>");
        return out;
    }
    out.push_str("<table><thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Due</th><th scope=\"col\">Duty</th><th scope=\"col\">Articles</th><th scope=\"col\">Command</th></tr></thead><tbody>");
    for d in shown {
        let _ = write!(
            out,
            "<tr data-duty=\"{}\"><td><strong>{} · {}</strong></td><td>{}</td><td>{}<br>{}<br><small>{}</small></td><td>{} {}</td><td>{}</td></tr>",
            esc(&d.id),
            esc(d.status.label(Lang::ZhCn)),
            esc(d.status.label(Lang::En)),
            esc(&d.due.map_or_else(|| "—".to_string(), |x| x.to_string())),
            esc(&d.title_zh),
            esc(&d.title_en),
            esc(&d.note_zh),
            esc(&d.articles.join(", ")),
            esc(d.confidence.mark()),
            d.command
                .as_deref()
                .map_or_else(|| "—".to_string(), |c| format!("<code>{}</code>", esc(c))),
        );
    }
    out.push_str("</tbody></table>");
    out
}
