//! Health, readiness, Prometheus metrics, the OpenAPI document, request accounting.

use std::sync::OnceLock;
use std::time::Instant;

use axum::Json;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

static PROMETHEUS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the Prometheus recorder once per process (later calls are no-ops).
pub fn install_metrics() {
    PROMETHEUS.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        match metrics::set_global_recorder(recorder) {
            Ok(()) => Some(handle),
            Err(_) => None,
        }
    });
}

/// Liveness: the process answers.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the store answers (and, with PostgreSQL, the change feed is connected).
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.engine.store().head_seq().await {
        Ok(_) => {
            let feed = state.engine.cache_in_use();
            (
                StatusCode::OK,
                Json(json!({"status": "ready", "store": "ok", "decision_cache": if feed { "in_use" } else { "bypassed" }})),
            )
                .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness: store unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "store": "unreachable"})),
            )
                .into_response()
        }
    }
}

/// Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> Response {
    install_metrics();
    let stats = state.engine.cache().stats();
    metrics::gauge!("xiezhi_decision_cache_entries").set(stats.entries as f64);
    metrics::gauge!("xiezhi_decision_cache_misses").set(stats.misses as f64);
    metrics::gauge!("xiezhi_decision_cache_evictions").set(stats.evictions as f64);
    let body = PROMETHEUS
        .get()
        .and_then(|h| h.as_ref())
        .map(PrometheusHandle::render)
        .unwrap_or_default();
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// The OpenAPI 3.1 document.
pub async fn openapi() -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        crate::openapi::openapi_json(),
    )
        .into_response()
}

/// Unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::not_found("not_found", "no such endpoint; see /openapi.json")
}

/// Interns a label (route templates, status codes: a small, bounded set) so that recording a
/// metric allocates nothing.
fn intern(value: &str) -> &'static str {
    static TABLE: OnceLock<std::sync::RwLock<std::collections::HashMap<String, &'static str>>> =
        OnceLock::new();
    let table = TABLE.get_or_init(Default::default);
    if let Some(v) = table.read().ok().and_then(|t| t.get(value).copied()) {
        return v;
    }
    let mut t = match table.write() {
        Ok(t) => t,
        Err(p) => p.into_inner(),
    };
    if t.len() > 1000 {
        // Never grows without bound (it cannot: routes are templates and statuses are few).
        return "other";
    }
    if let Some(v) = t.get(value) {
        return v;
    }
    let leaked: &'static str = Box::leak(value.to_owned().into_boxed_str());
    t.insert(value.to_owned(), leaked);
    leaked
}

fn method_label(m: &axum::http::Method) -> &'static str {
    match *m {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::DELETE => "DELETE",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::OPTIONS => "OPTIONS",
        axum::http::Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Counts requests and their latency by route and status. Never records paths with ids in
/// them (the matched route template is used), so no subject id reaches the metrics.
pub async fn track(req: Request, next: Next) -> Response {
    let route = intern(
        req.extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str),
    );
    let method = method_label(req.method());
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = intern(resp.status().as_str());
    metrics::counter!("xiezhi_http_requests_total", "method" => method, "route" => route, "status" => status).increment(1);
    metrics::histogram!("xiezhi_http_request_seconds", "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}
