//! `GET /v1/events`: a server-sent event stream of changes (switch-offs, push refusals, tag
//! deletions, consent changes) so recommenders and feature stores drop what the user took
//! back. Read from the store's outbox, so every node streams every node's changes, in order,
//! and a client resumes with `Last-Event-ID` (or `?after=`).

use std::convert::Infallible;
use std::time::Duration;

use crate::extract::Query;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::PlatformKey;
use crate::error::ApiError;

/// Where to start.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EventsQuery {
    /// Deliver events after this sequence number (default: only new events).
    #[serde(default)]
    pub after: Option<i64>,
}

/// Stream change events (text/event-stream). Each event's `id` is its sequence number, its
/// `event` the kind (e.g. `preference.recommendation`), its `data` a JSON object with
/// `seq`, `at`, `subject`, `kind` and the change.
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventsQuery),
    security(("api_key" = [])),
    responses((status = 200, description = "Server-sent events", content_type = "text/event-stream")))]
pub async fn events(
    State(state): State<AppState>,
    _key: PlatformKey,
    headers: HeaderMap,
    Query(q): Query<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let from_header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let start = match from_header.or(q.after) {
        Some(s) => s,
        None => state.engine.store().head_seq().await?,
    };
    let stream = futures_util::stream::unfold(
        (state, start, std::collections::VecDeque::new()),
        |(state, mut cursor, mut pending)| async move {
            loop {
                if let Some(ev) = pending.pop_front() {
                    return Some((Ok(ev), (state, cursor, pending)));
                }
                // Register for wake-ups before reading, so a change committed between the read
                // and the wait is not missed.
                let wait = state.engine.change_signal().notified();
                let mut wait = std::pin::pin!(wait);
                wait.as_mut().enable();
                match state.engine.store().events_after(cursor, 256).await {
                    Ok(batch) if !batch.is_empty() => {
                        for e in batch {
                            cursor = cursor.max(e.seq);
                            let data = serde_json::json!({
                                "seq": e.seq,
                                "at": xiezhi_decide::time::format_rfc3339(e.at),
                                "subject": e.subject,
                                "kind": e.kind,
                                "data": e.data,
                            });
                            pending.push_back(
                                Event::default()
                                    .id(e.seq.to_string())
                                    .event(e.kind.clone())
                                    .data(data.to_string()),
                            );
                        }
                    }
                    Ok(_) => {
                        // Woken by a change on this node or the change feed; poll anyway every
                        // second so a missed wake-up costs at most that.
                        let _ = tokio::time::timeout(Duration::from_secs(1), wait).await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "event stream: store read failed");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
