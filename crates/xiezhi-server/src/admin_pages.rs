//! Admin pages under `/admin` (admin API key): published versions of the processing rules with
//! the change between consecutive versions, consent statistics per version, the recorded
//! rights requests, and the overdue and due-soon duties of the calendar of duties (reminders).
//! Sign-in posts the key once; it is kept in an `HttpOnly`, `SameSite=Strict` cookie scoped to
//! `/admin`. Server-rendered, no JavaScript.

use std::fmt::Write;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use xiezhi_store::KeyScope;

use crate::AppState;
use crate::privacy::esc;

const COOKIE_NAME: &str = "xz_admin";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 2rem;line-height:1.5}}\
         table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.3rem;border-bottom:1px solid #ddd;vertical-align:top}}\
         code{{word-break:break-all}}</style></head><body><h1>{t}</h1>{body}</body></html>",
        t = esc(title)
    );
    (
        status,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        html,
    )
        .into_response()
}

fn login_form(message: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(m) = message {
        let _ = write!(out, "<p role=\"alert\">{}</p>", esc(m));
    }
    out.push_str(
        "<form method=\"post\" action=\"/admin/login\"><p><label for=\"key\">管理员 API 密钥 · Admin API key</label><br>\
         <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" size=\"60\"></p>\
         <button type=\"submit\">登录 · Sign in</button></form>",
    );
    out
}

async fn is_admin(state: &AppState, key: &str) -> bool {
    admin_key_id(state, key).await.is_some()
}

/// The id of the admin key `key`, if it is one.
async fn admin_key_id(state: &AppState, key: &str) -> Option<String> {
    match state.engine.store().authenticate_key(key).await {
        Ok(Some(k)) if k.has(KeyScope::Admin) => Some(k.id),
        _ => None,
    }
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    key: String,
}

/// `POST /admin/login`.
pub async fn login(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let key = form.key.trim();
    if !key.starts_with("xzk_") || !is_admin(&state, key).await {
        return page(
            StatusCode::UNAUTHORIZED,
            "獬豸管理 · Xiezhi admin",
            &login_form(Some("不是管理员 API 密钥 · not an admin API key")),
        );
    }
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut()
        .insert(LOCATION, HeaderValue::from_static("/admin"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={key}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=3600"
    )) {
        r.headers_mut().insert(SET_COOKIE, v);
    }
    r
}

fn short(digest: &str) -> String {
    digest.chars().take(19).collect()
}

/// `GET /admin/incidents`: open incidents with level and each clock's time left.
pub async fn incidents(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = match crate::privacy::cookie(&headers, COOKIE_NAME) {
        Some(k) => is_admin(&state, &k).await,
        None => false,
    };
    if !signed_in {
        return page(
            StatusCode::UNAUTHORIZED,
            "獬豸管理 · Xiezhi admin",
            &login_form(None),
        );
    }
    let body = crate::api::incidents::admin_html(&state).await;
    page(StatusCode::OK, "网络安全事件 · Incidents", &body)
}

/// `GET /admin`.
pub async fn overview(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = match crate::privacy::cookie(&headers, COOKIE_NAME) {
        Some(k) => is_admin(&state, &k).await,
        None => false,
    };
    if !signed_in {
        return page(
            StatusCode::UNAUTHORIZED,
            "獬豸管理 · Xiezhi admin",
            &login_form(None),
        );
    }
    let store = state.engine.store();
    let mut out = crate::api::duties::reminders_html(&state).await;
    out.push_str("<p><a href=\"/admin/incidents\">网络安全事件 · Incidents</a></p>");
    // Versions with the change from the previous one.
    out.push_str("<h2 id=\"versions\">个人信息处理规则：已发布版本 · Processing rules: published versions</h2>");
    match store.rules_versions().await {
        Ok(versions) if versions.is_empty() => {
            out.push_str("<p>尚未发布 · None yet: run <code>xiezhi rules publish</code>.</p>");
        }
        Ok(versions) => {
            out.push_str("<table><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Published</th><th scope=\"col\">Digest</th><th scope=\"col\">Change from the previous version</th></tr></thead><tbody>");
            let mut previous: Option<serde_json::Value> = None;
            for v in &versions {
                let doc = store
                    .rules_version_bodies(Some(v.version))
                    .await
                    .ok()
                    .flatten()
                    .and_then(|(_, d, _, _)| serde_json::from_str::<serde_json::Value>(&d).ok());
                let change = match (&previous, &doc) {
                    (Some(old), Some(new)) => match xiezhi_report::rules::diff(old, new) {
                        Ok(d) => {
                            let mut s = match d.class {
                                None => "no change".to_owned(),
                                Some(xiezhi_report::rules::ChangeClass::Notice) => {
                                    "notice".to_owned()
                                }
                                Some(xiezhi_report::rules::ChangeClass::FreshConsent) => format!(
                                    "<strong>fresh consent</strong> for {}",
                                    esc(&d.fresh_consent_activities.join(", "))
                                ),
                            };
                            for c in d.changes.iter().take(20) {
                                let _ = write!(s, "<br><code>{} {}</code>", c.change, esc(&c.path));
                            }
                            s
                        }
                        Err(_) => "not comparable".to_owned(),
                    },
                    _ => "first version".to_owned(),
                };
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{change}</td></tr>",
                    v.version,
                    xiezhi_decide::time::format_rfc3339(v.published_at),
                    esc(&short(&v.digest))
                );
                previous = doc;
            }
            out.push_str("</tbody></table>");
        }
        Err(e) => {
            let _ = write!(out, "<p role=\"alert\">{}</p>", esc(&e.to_string()));
        }
    }
    // Consent statistics.
    out.push_str("<h2 id=\"consents\">按规则版本统计的同意 · Consents by rules version</h2>");
    if let Ok(stats) = store.consent_stats().await {
        out.push_str("<table><thead><tr><th scope=\"col\">Rules version</th><th scope=\"col\">Status</th><th scope=\"col\">Records</th></tr></thead><tbody>");
        for s in stats {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(s.rules_version.as_deref().unwrap_or("—")),
                esc(&s.status),
                s.count
            );
        }
        out.push_str("</tbody></table>");
    }
    // Rights requests, overdue and due soon first.
    out.push_str("<h2 id=\"requests\">个人信息权利请求 · Rights requests</h2>");
    let today = xiezhi_store::china_date(xiezhi_decide::time::now_millis());
    if let (Ok(wf), Some(t)) = (state.rights(), xiezhi_rights::deadline::parse_date(&today))
        && let Ok(due) = wf.due_lists(t).await
    {
        let _ = write!(
            out,
            "<p id=\"due-summary\">{today}: 已逾期 overdue <strong>{}</strong> · 即将到期 due soon <strong>{}</strong> · 无法计算期限 no due date <strong>{}</strong> · 正常 on track {}</p>",
            due.overdue.len(),
            due.due_soon.len(),
            due.no_due_date.len(),
            due.on_track.len()
        );
    }
    if let Ok(list) = store.list_rights_requests(500).await {
        if list.is_empty() {
            out.push_str("<p>暂无 · None.</p>");
        } else {
            out.push_str("<table><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Kind</th><th scope=\"col\">Subject</th><th scope=\"col\">State</th><th scope=\"col\">Due</th><th scope=\"col\">Identity</th><th scope=\"col\">Channel</th><th scope=\"col\">Id</th><th scope=\"col\">Decision</th></tr></thead><tbody>");
            for r in list {
                let open = xiezhi_rights::workflow::state::OPEN.contains(&r.state.as_str());
                let late = open && r.due_date.as_deref().is_some_and(|d| d < today.as_str());
                let _ = write!(
                    out,
                    "<tr data-request=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    esc(&r.id),
                    xiezhi_decide::time::format_rfc3339(r.received_at),
                    r.kind.as_str(),
                    esc(&r.subject),
                    esc(&r.state),
                    esc(r.due_date.as_deref().unwrap_or("—")),
                    if late {
                        " <strong>overdue 已逾期</strong>"
                    } else {
                        ""
                    },
                    esc(r.identity_method.as_deref().unwrap_or("—")),
                    esc(&r.channel),
                    esc(&r.id),
                    if open {
                        decision_forms(&r.id, &r.state)
                    } else {
                        String::new()
                    }
                );
            }
            out.push_str("</tbody></table>");
        }
    }
    page(StatusCode::OK, "獬豸管理 · Xiezhi admin", &out)
}

/// Approve (start processing; only once the identity is verified) and refuse-with-reasons forms
/// for one open request.
fn decision_forms(id: &str, state: &str) -> String {
    let id = esc(id);
    let mut out = String::new();
    if state == "identity_verified" {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/admin/rights/{id}\"><input type=\"hidden\" name=\"action\" value=\"approve\">\
             <button type=\"submit\">批准办理 · Approve</button></form>"
        );
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/admin/rights/{id}\"><input type=\"hidden\" name=\"action\" value=\"refuse\">\
         <label for=\"reasons-{id}\">拒绝理由 · Reasons</label><br>\
         <textarea id=\"reasons-{id}\" name=\"reasons\" rows=\"2\" cols=\"28\" required minlength=\"4\" maxlength=\"2000\"></textarea><br>\
         <button type=\"submit\">拒绝 · Refuse</button></form>"
    );
    out
}

/// An approve or refuse decision from the admin page.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    action: String,
    #[serde(default)]
    reasons: String,
}

/// Whether a form post comes from another site (the cookie is `SameSite=Strict` already; this
/// also refuses browsers that say so through `Sec-Fetch-Site` or a foreign `Origin`).
fn cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    if !matches!(fetch_site, "same-origin" | "none") {
        return true;
    }
    match (
        headers.get("origin").and_then(|v| v.to_str().ok()),
        headers.get("host").and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let bare = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .unwrap_or(origin);
            bare != host
        }
        _ => false,
    }
}

/// `POST /admin/rights/{id}`: approve or refuse a rights request from the admin page, as the
/// signed-in admin key (audit actor `apikey:<id>`); refusals need reasons (PIPL 50).
pub async fn decide_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    const TITLE: &str = "獬豸管理 · Xiezhi admin";
    if cross_site(&headers) {
        return page(
            StatusCode::FORBIDDEN,
            TITLE,
            "<p role=\"alert\">拒绝跨站提交 · Cross-site form refused.</p>",
        );
    }
    let key_id = match crate::privacy::cookie(&headers, COOKIE_NAME) {
        Some(k) => admin_key_id(&state, &k).await,
        None => None,
    };
    let Some(key_id) = key_id else {
        return page(StatusCode::UNAUTHORIZED, TITLE, &login_form(None));
    };
    let back = "<p><a href=\"/admin#requests\">返回 · Back</a></p>";
    let wf = match state.rights() {
        Ok(wf) => wf,
        Err(e) => {
            return page(
                e.status,
                TITLE,
                &format!("<p role=\"alert\">{}</p>{back}", esc(&e.message)),
            );
        }
    };
    let actor = format!("apikey:{key_id}");
    let at = xiezhi_decide::time::now_millis();
    let result = match form.action.as_str() {
        "approve" => wf.start(&id, &actor, at).await,
        "refuse" if form.reasons.chars().count() > 2000 => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                TITLE,
                &format!(
                    "<p role=\"alert\">理由超过 2000 字 · Reasons are longer than 2,000 characters.</p>{back}"
                ),
            );
        }
        "refuse" => wf.refuse(&id, &form.reasons, &actor, at).await,
        _ => {
            return page(
                StatusCode::UNPROCESSABLE_ENTITY,
                TITLE,
                &format!("<p role=\"alert\">未知操作 · Unknown action.</p>{back}"),
            );
        }
    };
    match result {
        Ok(_) => {
            let mut r = StatusCode::SEE_OTHER.into_response();
            r.headers_mut()
                .insert(LOCATION, HeaderValue::from_static("/admin#requests"));
            r
        }
        Err(e) => {
            let e = crate::api::rights::rights_error(e);
            page(
                e.status,
                TITLE,
                &format!("<p role=\"alert\">{}</p>{back}", esc(&e.message)),
            )
        }
    }
}
