//! The public privacy center under `/privacy` (Reg. arts. 21, 22, 42): the processing rules one
//! click away, the personalised-recommendation switch, push refusals per channel and category,
//! the user's tags with delete, and consents with withdrawal — server-rendered, usable without
//! JavaScript, in Simplified Chinese and English.
//!
//! The user arrives from the platform's app or site with the platform-signed user token in the
//! link (`/privacy?token=…`); the token is moved at once into an `HttpOnly`, `SameSite=Strict`
//! cookie scoped to `/privacy` and removed from the address. Every form carries a CSRF token
//! derived from the session, and every change goes through the same code as `/v1/me`.

mod page;
pub mod text;

use axum::extract::{Query, State};
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, LOCATION,
    SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use xiezhi_decide::{PushCategory, PushChannel};

use crate::AppState;
use crate::api::changes;
use crate::api::views::{PreferencesChange, PushChange};
use text::Lang;

pub use page::esc;

const COOKIE_NAME: &str = "xz_session";

/// `?lang=`, `?token=`, `?saved=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

fn lang_of(query: Option<&str>, headers: &HeaderMap) -> Lang {
    Lang::pick(
        query,
        headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
    )
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        body,
    )
        .into_response()
}

/// Pages run no inline script and load nothing from elsewhere; forms post only here.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The progressive enhancement of the switches (`/privacy/enhance.js`).
const ENHANCE_JS: &str = include_str!("../../assets/privacy-enhance.js");

/// `GET /privacy/enhance.js`: saves the switches in place; the page works without it.
pub async fn enhance_js() -> Response {
    (
        StatusCode::OK,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        ENHANCE_JS,
    )
        .into_response()
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// The value of cookie `name` in the request (the privacy center's and the admin pages').
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The CSRF token of a session: SHA-256 of the session token (which an attacker on another
/// site can neither read nor send: `HttpOnly`, `SameSite=Strict`).
fn csrf_of(session: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"xiezhi-privacy-csrf\n");
    h.update(session.as_bytes());
    hex::encode(h.finalize())
}

/// The verified subject and session of a request, if any.
fn session(state: &AppState, headers: &HeaderMap) -> Option<(String, String)> {
    let token = cookie(headers, COOKIE_NAME)?;
    let now = xiezhi_decide::time::now_millis() / 1000;
    let claims = state.tokens.verify(&token, now).ok()?;
    Some((claims.sub, token))
}

/// `GET /privacy`.
pub async fn center(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let lang = lang_of(q.lang.as_deref(), &headers);
    if let Some(token) = &q.token {
        // Arriving from the app: keep the token in a cookie, drop it from the address bar.
        let now = xiezhi_decide::time::now_millis() / 1000;
        return match state.tokens.verify(token, now) {
            Ok(claims) => {
                let max_age = (claims.exp - now).max(0);
                let mut r = redirect(&format!("/privacy?lang={}", lang.query()));
                let cookie = format!(
                    "{COOKIE_NAME}={token}; Path=/privacy; HttpOnly; SameSite=Strict; Max-Age={max_age}"
                );
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    r.headers_mut().insert(SET_COOKIE, v);
                }
                r
            }
            Err(_) => html(StatusCode::UNAUTHORIZED, page::signed_out(lang)),
        };
    }
    let Some((subject, token)) = session(&state, &headers) else {
        return html(StatusCode::UNAUTHORIZED, page::signed_out(lang));
    };
    let requests = state
        .engine
        .store()
        .query_rights_requests(&xiezhi_store::RightsFilter {
            subject: Some(subject.clone()),
            limit: 50,
            ..xiezhi_store::RightsFilter::default()
        })
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot list the user's rights requests for the privacy center");
            Vec::new()
        });
    match state.engine.state(&subject, None).await {
        Ok(s) => html(
            StatusCode::OK,
            page::center(
                lang,
                &s,
                &state.engine.policy(),
                &csrf_of(&token),
                q.saved.is_some(),
                &requests,
            ),
        ),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// `GET /privacy/rules`: public, no session needed.
pub async fn rules(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let lang = lang_of(q.lang.as_deref(), &headers);
    if let Ok(Some((_, _, zh, en))) = state.engine.store().rules_version_bodies(None).await {
        return html(StatusCode::OK, if lang == Lang::En { en } else { zh });
    }
    match (&state.rules_html, lang) {
        (Some(r), Lang::ZhCn) => html(StatusCode::OK, r.zh.clone()),
        (Some(r), Lang::En) => html(StatusCode::OK, r.en.clone()),
        (None, _) => html(StatusCode::OK, page::rules(lang, &state.engine.policy())),
    }
}

/// The fields every form posts.
#[derive(Debug, Deserialize)]
pub struct FormBase {
    csrf: String,
    #[serde(default)]
    lang: Option<String>,
}

/// A form post: recommendation, push, tag deletion or consent withdrawal.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(flatten)]
    base: FormBase,
    #[serde(default)]
    on: Option<bool>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    refused: Option<bool>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    purpose: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    details: Option<String>,
}

async fn apply(state: AppState, headers: HeaderMap, form: ChangeForm, anchor: &str) -> Response {
    let lang = lang_of(form.base.lang.as_deref(), &headers);
    let Some((subject, token)) = session(&state, &headers) else {
        return html(StatusCode::UNAUTHORIZED, page::signed_out(lang));
    };
    if form.base.csrf != csrf_of(&token) {
        return html(StatusCode::FORBIDDEN, page::signed_out(lang));
    }
    let result = match anchor {
        "recommendation" => {
            let change = PreferencesChange {
                recommendation: form.on,
                push: Vec::new(),
            };
            changes::preferences(&state, &subject, &change, "user")
                .await
                .map(|_| ())
        }
        "push" => {
            let channel = form.channel.as_deref().and_then(PushChannel::parse);
            let category = form.category.as_deref().and_then(PushCategory::parse);
            match (channel, category, form.refused) {
                (Some(channel), Some(category), Some(refused)) => {
                    let change = PreferencesChange {
                        recommendation: None,
                        push: vec![PushChange {
                            channel,
                            category,
                            refused,
                        }],
                    };
                    changes::preferences(&state, &subject, &change, "user")
                        .await
                        .map(|_| ())
                }
                _ => Err(crate::error::ApiError::invalid(
                    "channel, category and refused are required",
                )),
            }
        }
        "tags" => match &form.tag {
            Some(tag) => changes::delete_tag(&state, &subject, tag, "user")
                .await
                .map(|_| ()),
            None => Err(crate::error::ApiError::invalid("tag is required")),
        },
        "rights" => match form
            .kind
            .as_deref()
            .and_then(xiezhi_store::RightsKind::parse)
        {
            Some(kind) => crate::api::me::record_request(
                &state,
                &subject,
                kind,
                form.details.as_deref(),
                "privacy-center",
            )
            .await
            .map(|_| ()),
            None => Err(crate::error::ApiError::invalid("kind is required")),
        },
        _ => match &form.purpose {
            Some(p) => changes::withdraw(&state, &subject, p, "user")
                .await
                .map(|_| ()),
            None => Err(crate::error::ApiError::invalid("purpose is required")),
        },
    };
    match result {
        Ok(_) => redirect(&format!("/privacy?lang={}&saved=1#{anchor}", lang.query())),
        Err(e) => e.into_response(),
    }
}

/// `POST /privacy/recommendation`.
pub async fn post_recommendation(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    apply(state, headers, form, "recommendation").await
}

/// `POST /privacy/push`.
pub async fn post_push(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    apply(state, headers, form, "push").await
}

/// `POST /privacy/tags/delete`.
pub async fn post_tag_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    apply(state, headers, form, "tags").await
}

/// `POST /privacy/requests`: records a rights request.
pub async fn post_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    apply(state, headers, form, "rights").await
}

/// `POST /privacy/consents/withdraw`.
pub async fn post_withdraw(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Response {
    apply(state, headers, form, "consents").await
}

/// `?request=&lang=` of the verification page.
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    request: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// The verification form post: the code or the 网证.
#[derive(Debug, Deserialize)]
pub struct VerifyForm {
    request: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    credential: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /privacy/verify?request=rr_…`: where the requester enters the code or the 网证 (no
/// session needed: a person cancelling an account by phone may not be signed in).
pub async fn verify_page(headers: HeaderMap, Query(q): Query<VerifyQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref(), &headers);
    let request = q.request.unwrap_or_default();
    if crate::limits::check_id("request", &request, 64).is_err() {
        return html(StatusCode::BAD_REQUEST, page::verify(lang, "", None));
    }
    html(StatusCode::OK, page::verify(lang, &request, None))
}

/// `POST /privacy/verify`.
pub async fn post_verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<VerifyForm>,
) -> Response {
    let lang = lang_of(form.lang.as_deref(), &headers);
    if crate::limits::check_id("request", &form.request, 64).is_err() {
        return html(StatusCode::BAD_REQUEST, page::verify(lang, "", None));
    }
    let code = form
        .code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let credential = form
        .credential
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match crate::api::identity::verify_answer(&state, &form.request, code, credential).await {
        Ok(_) => html(
            StatusCode::OK,
            page::verify(lang, &form.request, Some(Ok(()))),
        ),
        Err(e) => html(
            e.status,
            page::verify(lang, &form.request, Some(Err(e.message.as_str()))),
        ),
    }
}

/// `GET /privacy/requests/{id}/download`: the encrypted copy of the person's data (access /
/// copy requests), only for the signed-in subject of the request and only until the link
/// expires. The key to open it reaches the person through the verified channel, never here.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let Some((subject, _)) = session(&state, &headers) else {
        return crate::error::ApiError::unauthorized("sign in to the privacy center first")
            .into_response();
    };
    let not_found = || {
        crate::error::ApiError::not_found("export_not_found", "no download for this request")
            .into_response()
    };
    if crate::limits::check_id("id", &id, 64).is_err() {
        return not_found();
    }
    let store = state.engine.store();
    let (Ok(Some(request)), Ok(Some(export))) = (
        store.get_rights_request(&id).await,
        store.get_rights_export(&id).await,
    ) else {
        return not_found();
    };
    // Another person's request looks exactly like a missing one.
    if request.subject != subject {
        return not_found();
    }
    if xiezhi_decide::time::now_millis() >= export.expires_at {
        return crate::error::ApiError::new(
            StatusCode::GONE,
            "export_expired",
            "the download link expired; file a new access or copy request",
        )
        .into_response();
    }
    let Some(dir) = &state.export_dir else {
        return not_found();
    };
    let Ok(bytes) = tokio::fs::read(dir.join(&export.file_name)).await else {
        return not_found();
    };
    if let Err(e) = store.count_rights_download(&id).await {
        tracing::warn!(error = %e, "cannot count an export download");
    }
    let disposition = format!("attachment; filename=\"{}\"", export.file_name);
    (
        StatusCode::OK,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                axum::http::header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}
