//! Admin endpoints (`admin` scope): API keys, webhooks, the policy, the audit chain.

use crate::extract::{Json, Path, Query};
use axum::body::Body;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xiezhi_decide::PurposePolicy;
use xiezhi_store::KeyScope;

use crate::AppState;
use crate::auth::AdminKey;
use crate::error::{ApiError, ErrorBody};
use crate::limits::{MAX_ID_LEN, MAX_TEXT_LEN, check_id};

fn actor(key: &AdminKey) -> String {
    format!("apikey:{}", key.0.id)
}

/// A key to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// What the key is for, e.g. `recommender-prod`.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `platform` (decisions, tag writes, consent records, events) and/or `admin`.
    #[schema(min_items = 1)]
    pub scopes: Vec<KeyScopeName>,
}

/// A scope name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyScopeName {
    /// Decisions, tag registration, consent records, events.
    Platform,
    /// Keys, webhooks, audit.
    Admin,
}

impl From<KeyScopeName> for KeyScope {
    fn from(s: KeyScopeName) -> Self {
        match s {
            KeyScopeName::Platform => KeyScope::Platform,
            KeyScopeName::Admin => KeyScope::Admin,
        }
    }
}

impl From<KeyScope> for KeyScopeName {
    fn from(s: KeyScope) -> Self {
        match s {
            KeyScope::Platform => KeyScopeName::Platform,
            KeyScope::Admin => KeyScopeName::Admin,
        }
    }
}

/// A key as listed (never the secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    /// Key id (the part after `xzk_`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Scopes.
    pub scopes: Vec<KeyScopeName>,
}

/// A created key: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKey {
    /// The key.
    #[serde(flatten)]
    pub info: ApiKeyView,
    /// The full key to send as `Authorization: Bearer …`. Not retrievable later.
    pub key: String,
}

/// Create an API key.
#[utoipa::path(post, path = "/v1/admin/api-keys", tag = "admin",
    request_body = NewApiKey, security(("api_key" = [])),
    responses((status = 200, body = CreatedApiKey), (status = 403, body = ErrorBody)))]
pub async fn create_key(
    State(state): State<AppState>,
    key: AdminKey,
    Json(req): Json<NewApiKey>,
) -> Result<Json<CreatedApiKey>, ApiError> {
    check_id("name", &req.name, MAX_ID_LEN)?;
    if req.scopes.is_empty() {
        return Err(ApiError::invalid(
            "give at least one scope: platform, admin",
        ));
    }
    let scopes: Vec<KeyScope> = req.scopes.iter().copied().map(Into::into).collect();
    let now = xiezhi_decide::time::now_millis();
    let created = state
        .engine
        .store()
        .create_api_key(&req.name, &scopes, &actor(&key), now)
        .await?;
    Ok(Json(CreatedApiKey {
        info: ApiKeyView {
            id: created.key.id,
            name: created.key.name,
            scopes: created.key.scopes.into_iter().map(Into::into).collect(),
        },
        key: created.plaintext,
    }))
}

/// List API keys (without secrets).
#[utoipa::path(get, path = "/v1/admin/api-keys", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = Vec<ApiKeyView>)))]
pub async fn list_keys(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<Vec<ApiKeyView>>, ApiError> {
    let keys = state.engine.store().list_api_keys().await?;
    Ok(Json(
        keys.into_iter()
            .filter(|k| k.revoked_at.is_none())
            .map(|k| ApiKeyView {
                id: k.id,
                name: k.name,
                scopes: k.scopes.into_iter().map(Into::into).collect(),
            })
            .collect(),
    ))
}

/// Revoke an API key.
#[utoipa::path(delete, path = "/v1/admin/api-keys/{id}", tag = "admin",
    params(("id" = String, Path)), security(("api_key" = [])),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody)))]
pub async fn revoke_key(
    State(state): State<AppState>,
    key: AdminKey,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    check_id("id", &id, MAX_ID_LEN)?;
    let now = xiezhi_decide::time::now_millis();
    let revoked = state
        .engine
        .store()
        .revoke_api_key(&id, &actor(&key), now)
        .await?;
    state.keys.clear();
    if revoked {
        Ok(axum::http::StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("api_key_not_found", "no such API key"))
    }
}

/// The purposes the decision API knows (from the data map).
#[utoipa::path(get, path = "/v1/admin/policy", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = PolicyView)))]
pub async fn policy(State(state): State<AppState>, _key: AdminKey) -> Json<PolicyView> {
    let p = state.engine.policy();
    let retention = state.engine.store().retention().await.unwrap_or_default();
    Json(PolicyView {
        version: p.version.clone(),
        refusal_cool_down_seconds: p.refusal_cool_down_ms / 1000,
        audit_retention_days: retention.audit_events_days(),
        log_retention_days: retention.network_logs_days(),
        purposes: p.purposes().cloned().collect(),
    })
}

/// The policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyView {
    /// Version.
    pub version: String,
    /// Refusal cool-down.
    pub refusal_cool_down_seconds: i64,
    /// Audit events are kept this many days (≥ 1095).
    pub audit_retention_days: u32,
    /// Network logs are kept this many days (≥ 183).
    pub log_retention_days: u32,
    /// Purposes.
    pub purposes: Vec<PurposePolicy>,
}

/// A webhook to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `http://` or `https://` URL that receives `POST`ed events.
    pub url: String,
    /// Shared secret for the `X-Xiezhi-Signature` header (at least 16 bytes).
    #[schema(min_length = 16, max_length = 4096)]
    pub secret: String,
    /// Event kinds to deliver, e.g. `preference.recommendation`, `tag.deleted` (default: all).
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A webhook as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    /// Id.
    pub id: String,
    /// URL.
    pub url: String,
    /// Outbox sequence number up to which deliveries are scheduled.
    pub cursor: i64,
    /// Whether deliveries are scheduled.
    pub active: bool,
    /// Event kinds delivered (empty = all).
    pub kinds: Vec<String>,
}

impl From<xiezhi_store::Webhook> for WebhookView {
    fn from(w: xiezhi_store::Webhook) -> Self {
        Self {
            id: w.id,
            url: w.url,
            cursor: w.cursor,
            active: w.active,
            kinds: w.kinds,
        }
    }
}

/// Register a webhook for change events (switch-offs, push refusals, tag deletions, consent
/// changes), delivered in order with retries.
#[utoipa::path(post, path = "/v1/admin/webhooks", tag = "admin",
    request_body = NewWebhook, security(("api_key" = [])),
    responses((status = 200, body = WebhookView), (status = 422, body = ErrorBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    key: AdminKey,
    Json(req): Json<NewWebhook>,
) -> Result<Json<WebhookView>, ApiError> {
    check_id("url", &req.url, MAX_TEXT_LEN)?;
    if !(req.url.starts_with("http://") || req.url.starts_with("https://")) {
        return Err(ApiError::invalid("url must start with http:// or https://"));
    }
    if req.secret.len() < 16 {
        return Err(ApiError::invalid("secret must be at least 16 bytes"));
    }
    let now = xiezhi_decide::time::now_millis();
    let w = state
        .engine
        .store()
        .create_webhook(&req.url, &req.secret, &req.kinds, &actor(&key), now)
        .await?;
    state.webhooks_changed.notify_one();
    Ok(Json(WebhookView::from(w)))
}

/// List webhooks.
#[utoipa::path(get, path = "/v1/admin/webhooks", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = Vec<WebhookView>)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<Vec<WebhookView>>, ApiError> {
    let hooks = state.engine.store().list_webhooks().await?;
    Ok(Json(hooks.into_iter().map(WebhookView::from).collect()))
}

/// The result of verifying the audit chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyView {
    /// True when every event and checkpoint verified.
    pub ok: bool,
    /// Events read.
    pub events: u64,
    /// Checkpoints whose signature verified.
    pub checkpoints_verified: u64,
    /// The first bad event's sequence number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_seq: Option<i64>,
    /// What is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// One-line summary.
    pub summary: String,
}

/// Verify the audit chain.
#[utoipa::path(get, path = "/v1/admin/audit/verify", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = VerifyView)))]
pub async fn audit_verify(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<VerifyView>, ApiError> {
    let report = state
        .engine
        .store()
        .audit_verify(&[state.signing_key.verifying_key()])
        .await?;
    Ok(Json(crate::audit_view(&report)))
}

/// A signed checkpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointView {
    /// Sequence number covered.
    pub seq: i64,
    /// Chain hash at that number.
    pub hash: String,
    /// Signing key id.
    pub key_id: String,
}

/// Write a signed checkpoint of the chain now.
#[utoipa::path(post, path = "/v1/admin/audit/checkpoints", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = CheckpointView)))]
pub async fn audit_checkpoint(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<CheckpointView>, ApiError> {
    let now = xiezhi_decide::time::now_millis();
    let cp = state
        .engine
        .store()
        .audit_checkpoint(&state.signing_key, now)
        .await?;
    Ok(Json(CheckpointView {
        seq: cp.seq,
        hash: cp.hash,
        key_id: cp.key_id,
    }))
}

/// Export the chain for an auditor (NDJSON: keys, events, checkpoints; no PI).
#[utoipa::path(get, path = "/v1/admin/audit/export", tag = "admin", security(("api_key" = [])),
    responses((status = 200, description = "NDJSON export", content_type = "application/x-ndjson")))]
pub async fn audit_export(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Response, ApiError> {
    let mut out = Vec::new();
    state.engine.store().audit_export(&mut out, false).await?;
    Response::builder()
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from(out))
        .map_err(|e| ApiError::internal(&e))
}

/// A published version of the processing rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesVersionView {
    /// 1, 2, 3, …
    pub version: i64,
    /// `sha256:…` of the rules document.
    pub digest: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// Published versions of the processing rules, oldest first (`xiezhi rules publish`).
#[utoipa::path(get, path = "/v1/admin/rules/versions", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = Vec<RulesVersionView>)))]
pub async fn rules_versions(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<Vec<RulesVersionView>>, ApiError> {
    let list = state.engine.store().rules_versions().await?;
    Ok(Json(
        list.into_iter()
            .map(|v| RulesVersionView {
                version: v.version,
                digest: v.digest,
                published_at: xiezhi_decide::time::format_rfc3339(v.published_at),
            })
            .collect(),
    ))
}

/// Which two published versions to compare.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RulesDiffQuery {
    /// The older version number.
    pub from: i64,
    /// The newer version number.
    pub to: i64,
}

/// One difference between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesChangeView {
    /// Where: `activities[recommend].pi_types`, `sharing[courier]`, `controller`, …
    pub path: String,
    /// `added`, `removed`, `changed`.
    pub change: String,
    /// `notice` (publish and notify) or `fresh_consent` (art. 22(6): ask again).
    pub class: String,
}

/// The change between two published versions of the processing rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesDiffView {
    /// Older version.
    pub from: i64,
    /// Newer version.
    pub to: i64,
    /// The strongest class among the changes: `notice`, `fresh_consent`, or null when nothing changed.
    pub class: Option<String>,
    /// Activities whose consents must be asked for again.
    pub fresh_consent_activities: Vec<String>,
    /// Every difference, in document order.
    pub changes: Vec<RulesChangeView>,
}

fn class_name(c: xiezhi_report::rules::ChangeClass) -> String {
    match c {
        xiezhi_report::rules::ChangeClass::Notice => "notice".into(),
        xiezhi_report::rules::ChangeClass::FreshConsent => "fresh_consent".into(),
    }
}

/// The change between any two published versions of the processing rules, classified as
/// notice or fresh consent (art. 22(6)).
#[utoipa::path(get, path = "/v1/admin/rules/diff", tag = "admin", params(RulesDiffQuery),
    security(("api_key" = [])),
    responses((status = 200, body = RulesDiffView),
        (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rules_diff(
    State(state): State<AppState>,
    _key: AdminKey,
    Query(q): Query<RulesDiffQuery>,
) -> Result<Json<RulesDiffView>, ApiError> {
    let store = state.engine.store();
    let mut docs = Vec::with_capacity(2);
    for v in [q.from, q.to] {
        let Some((_, document, _, _)) = store.rules_version_bodies(Some(v)).await? else {
            return Err(ApiError::not_found(
                "rules_version_not_found",
                format!(
                    "no published rules version {v}; list them with GET /v1/admin/rules/versions"
                ),
            ));
        };
        let value: serde_json::Value =
            serde_json::from_str(&document).map_err(|e| ApiError::internal(&e))?;
        docs.push(value);
    }
    let d = xiezhi_report::rules::diff(&docs[0], &docs[1])
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(Json(RulesDiffView {
        from: q.from,
        to: q.to,
        class: d.class.map(class_name),
        fresh_consent_activities: d.fresh_consent_activities,
        changes: d
            .changes
            .into_iter()
            .map(|c| RulesChangeView {
                path: c.path,
                change: c.change.to_owned(),
                class: class_name(c.class),
            })
            .collect(),
    }))
}

/// Consent records by rules version and status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentStatView {
    /// Rules version shown with the consent.
    pub rules_version: Option<String>,
    /// `granted`, `refused`, `withdrawn`.
    pub status: String,
    /// Records.
    pub count: i64,
}

/// Consent statistics per processing-rules version.
#[utoipa::path(get, path = "/v1/admin/consent-stats", tag = "admin", security(("api_key" = [])),
    responses((status = 200, body = Vec<ConsentStatView>)))]
pub async fn consent_stats(
    State(state): State<AppState>,
    _key: AdminKey,
) -> Result<Json<Vec<ConsentStatView>>, ApiError> {
    let list = state.engine.store().consent_stats().await?;
    Ok(Json(
        list.into_iter()
            .map(|s| ConsentStatView {
                rules_version: s.rules_version,
                status: s.status,
                count: s.count,
            })
            .collect(),
    ))
}
