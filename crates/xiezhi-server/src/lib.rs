//! `xiezhi serve`: the runtime service (DESIGN.md 3.4, 3.5, 4).
//!
//! - `POST /v1/decisions`: may the platform personalise, push, use a tag, process for a
//!   purpose, ask for consent — answered from an in-memory cache that every change updates
//!   before it is acknowledged (and, over PostgreSQL, that other nodes invalidate through
//!   LISTEN/NOTIFY).
//! - `/v1/subjects/{subject}/…` (platform key): tags, consents, age and guardians.
//! - `/v1/me/…` (user token signed by the platform): the user's own switches, tags, consents.
//! - `/v1/admin/…` (admin key): keys, webhooks, policy, audit chain, rights requests, the
//!   calendar of duties (`/v1/admin/duties`, `/v1/admin/duties.ics`).
//! - `/v1/events` (SSE) and webhooks: change events for recommenders.
//! - `/healthz`, `/readyz`, `/metrics`, `/openapi.json`.

mod admin_pages;
pub mod api;
pub mod auth;
pub mod engine;
pub mod error;
pub mod extract;
pub mod limits;
mod openapi;
mod ops;
pub mod privacy;
mod ratelimit;
pub mod token;
mod webhook;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use xiezhi_audit::{SigningKey, VerifyReport};

pub use engine::{Answers, Engine};
pub use openapi::openapi_json;
pub use token::{TokenError, TokenKey};

use crate::api::admin::VerifyView;

/// Everything a request handler needs.
#[derive(Debug)]
pub struct Shared {
    /// Decisions and state.
    pub engine: Engine,
    /// Remembered API-key verifications.
    pub keys: auth::KeyCache,
    /// Verifies user tokens.
    pub tokens: TokenKey,
    /// Signs audit checkpoints.
    pub signing_key: SigningKey,
    /// Per-client limits on the public (user) endpoints.
    pub limiter: ratelimit::RateLimiter,
    /// Wakes the webhook worker when webhooks change.
    pub webhooks_changed: tokio::sync::Notify,
    /// The processing rules rendered from the data map (HTML, zh-CN and en), served at
    /// `/privacy/rules`; `None` shows the purposes page instead.
    pub rules_html: Option<RulesHtml>,
    /// Deadlines of rights requests (`rights.sla` in `xiezhi.yaml`).
    pub rights_sla: xiezhi_rights::SlaConfig,
    /// Identity verification for rights requests: one-time codes, mail, SMS, 网号/网证
    /// (`None`: the identity endpoints answer 503).
    pub identity: Option<IdentityServices>,
    /// Where encrypted access/copy packages wait for download (`DATA_DIR/exports`).
    pub export_dir: Option<std::path::PathBuf>,
    /// The loaded data map (the calendar of duties, `/v1/admin/duties`); `None` answers 503.
    pub project: Option<Arc<xiezhi_map::Project>>,
}

/// The identity verifiers a server offers (SR-ID-01..03). Without a mailer, SMS gateway or
/// network-identity client, that method answers 503 with what to configure.
#[derive(Clone)]
pub struct IdentityServices {
    /// Keys the digests of one-time codes.
    pub otp_key: xiezhi_identity::otp::OtpKey,
    /// Code lifetime and attempts.
    pub otp: xiezhi_identity::otp::OtpConfig,
    /// E-mail delivery.
    pub mailer: Option<Arc<dyn xiezhi_identity::smtp::Mailer>>,
    /// SMS delivery.
    pub sms: Option<Arc<dyn xiezhi_identity::sms::SmsSender>>,
    /// The network identity authentication service.
    pub netid: Option<xiezhi_identity::netid::NetIdClient>,
    /// The platform's name in messages.
    pub platform_name: String,
}

impl std::fmt::Debug for IdentityServices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityServices")
            .field("mailer", &self.mailer.is_some())
            .field("sms", &self.sms.is_some())
            .field("netid", &self.netid.is_some())
            .finish_non_exhaustive()
    }
}

impl IdentityServices {
    /// No delivery channels, codes keyed by `otp_secret` (at least 32 bytes).
    pub fn new(
        otp_secret: &[u8],
        platform_name: &str,
    ) -> Result<Self, xiezhi_identity::otp::OtpError> {
        Ok(Self {
            otp_key: xiezhi_identity::otp::OtpKey::new(otp_secret)?,
            otp: xiezhi_identity::otp::OtpConfig::default(),
            mailer: None,
            sms: None,
            netid: None,
            platform_name: platform_name.to_owned(),
        })
    }
}

/// The rendered processing rules.
#[derive(Debug, Clone)]
pub struct RulesHtml {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The state handed to handlers.
pub type AppState = Arc<Shared>;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Requests per second allowed per client address on the user endpoints (burst = 2×).
    pub user_rate_per_second: u32,
    /// Write a signed audit checkpoint this often (when the chain grew).
    pub checkpoint_every: Duration,
    /// Deliver webhooks from this node.
    pub webhooks: bool,
}

impl Default for ServeSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            user_rate_per_second: 20,
            checkpoint_every: Duration::from_secs(300),
            webhooks: true,
        }
    }
}

impl Shared {
    /// Shared state over an engine.
    pub fn new(engine: Engine, tokens: TokenKey, signing_key: SigningKey, user_rate: u32) -> Self {
        Self {
            engine,
            keys: auth::KeyCache::default(),
            tokens,
            signing_key,
            limiter: ratelimit::RateLimiter::new(user_rate),
            webhooks_changed: tokio::sync::Notify::new(),
            rules_html: None,
            rights_sla: xiezhi_rights::SlaConfig::default(),
            identity: None,
            export_dir: None,
            project: None,
        }
    }

    /// Serves the calendar of duties of this data map.
    pub fn with_project(mut self, project: Arc<xiezhi_map::Project>) -> Self {
        self.project = Some(project);
        self
    }

    /// Serves encrypted rights exports from this directory.
    pub fn with_export_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.export_dir = Some(dir);
        self
    }

    /// Uses these identity verifiers.
    pub fn with_identity(mut self, identity: IdentityServices) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Uses these rights-request deadlines.
    pub fn with_rights_sla(mut self, sla: xiezhi_rights::SlaConfig) -> Self {
        self.rights_sla = sla;
        self
    }

    /// The rights-request workflow over this server's store.
    pub fn rights(&self) -> Result<xiezhi_rights::Workflow<'_>, crate::error::ApiError> {
        let cal = xiezhi_model::calendar::PrcCalendar::get()
            .map_err(|e| crate::error::ApiError::internal(&e))?;
        Ok(xiezhi_rights::Workflow::new(
            self.engine.store(),
            &self.rights_sla,
            cal,
        ))
    }

    /// Serves these rendered processing rules at `/privacy/rules`.
    pub fn with_rules(mut self, rules: RulesHtml) -> Self {
        self.rules_html = Some(rules);
        self
    }
}

/// The HTTP routes.
pub fn router(state: AppState) -> Router {
    use api::{admin, decisions, events, identity, me, rights, subjects};
    let user = Router::new()
        .route("/v1/me", get(me::get_me))
        .route("/v1/me/preferences", put(me::put_preferences))
        .route("/v1/me/tags/{tag}", delete(me::delete_tag))
        .route("/v1/me/consents", post(me::post_consent))
        .route(
            "/v1/me/consents/{purpose}/withdraw",
            post(me::withdraw_consent),
        )
        .route("/privacy", get(privacy::center))
        .route("/privacy/rules", get(privacy::rules))
        .route("/privacy/enhance.js", get(privacy::enhance_js))
        .route("/v1/rights-requests/{id}/identity", post(identity::answer))
        .route(
            "/privacy/verify",
            get(privacy::verify_page).post(privacy::post_verify),
        )
        .route(
            "/privacy/recommendation",
            post(privacy::post_recommendation),
        )
        .route("/privacy/push", post(privacy::post_push))
        .route("/privacy/tags/delete", post(privacy::post_tag_delete))
        .route("/privacy/consents/withdraw", post(privacy::post_withdraw))
        .route("/privacy/requests", post(privacy::post_request))
        .route("/privacy/requests/{id}/download", get(privacy::download))
        .route("/admin", get(admin_pages::overview))
        .route("/admin/login", post(admin_pages::login))
        .route("/admin/incidents", get(admin_pages::incidents))
        .route("/admin/rights/{id}", post(admin_pages::decide_request))
        .route("/v1/me/rights-requests", post(me::post_rights_request))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            ratelimit::limit_user_endpoints,
        ));
    Router::new()
        .route("/v1/decisions", post(decisions::decisions))
        .route("/v1/decisions/batch", post(decisions::decisions_batch))
        .route("/v1/subjects/{subject}", get(subjects::get_subject))
        .route(
            "/v1/subjects/{subject}/preferences",
            put(subjects::put_preferences),
        )
        .route(
            "/v1/subjects/{subject}/tags/{tag}",
            put(subjects::put_tag).delete(subjects::delete_tag),
        )
        .route(
            "/v1/subjects/{subject}/consents",
            post(subjects::post_consent),
        )
        .route(
            "/v1/subjects/{subject}/consents/{purpose}/withdraw",
            post(subjects::withdraw_consent),
        )
        .route("/v1/subjects/{subject}/minor", put(subjects::put_minor))
        .route(
            "/v1/subjects/{subject}/guardian",
            post(subjects::post_guardian),
        )
        .route("/v1/events", get(events::events))
        .route(
            "/v1/admin/api-keys",
            post(admin::create_key).get(admin::list_keys),
        )
        .route("/v1/admin/api-keys/{id}", delete(admin::revoke_key))
        .route(
            "/v1/admin/webhooks",
            post(admin::create_webhook).get(admin::list_webhooks),
        )
        .route("/v1/admin/policy", get(admin::policy))
        .route(
            "/v1/admin/rights-requests",
            get(rights::list).post(rights::file),
        )
        .route("/v1/admin/rights-requests/due", get(rights::due))
        .route("/v1/admin/rights-requests/{id}", get(rights::show))
        .route(
            "/v1/admin/rights-requests/{id}/verify",
            post(rights::verify),
        )
        .route(
            "/v1/admin/rights-requests/{id}/approve",
            post(rights::approve),
        )
        .route(
            "/v1/admin/rights-requests/{id}/refuse",
            post(rights::refuse),
        )
        .route(
            "/v1/admin/rights-requests/{id}/complete",
            post(rights::complete),
        )
        .route("/v1/admin/rights-stats", get(rights::stats))
        .route("/v1/admin/duties", get(api::duties::list))
        .route("/v1/admin/duties.ics", get(api::duties::ics))
        .route(
            "/v1/admin/incidents",
            get(api::incidents::list).post(api::incidents::open),
        )
        .route(
            "/v1/admin/incidents/{id}",
            get(api::incidents::show).patch(api::incidents::update),
        )
        .route(
            "/v1/admin/incidents/{id}/reports",
            post(api::incidents::report),
        )
        .route(
            "/v1/admin/incidents/{id}/notices",
            post(api::incidents::notify),
        )
        .route(
            "/v1/admin/incidents/{id}/exemption",
            post(api::incidents::exemption),
        )
        .route(
            "/v1/admin/incidents/{id}/close",
            post(api::incidents::close),
        )
        .route(
            "/v1/admin/rights-requests/{id}/identity",
            post(identity::start),
        )
        .route("/v1/admin/rules/versions", get(admin::rules_versions))
        .route("/v1/admin/rules/diff", get(admin::rules_diff))
        .route("/v1/admin/consent-stats", get(admin::consent_stats))
        .route("/v1/admin/audit/verify", get(admin::audit_verify))
        .route("/v1/admin/audit/checkpoints", post(admin::audit_checkpoint))
        .route("/v1/admin/audit/export", get(admin::audit_export))
        .merge(user)
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(ops::openapi))
        .fallback(ops::not_found)
        .layer(axum::middleware::from_fn(ops::track))
        .layer(DefaultBodyLimit::max(limits::MAX_BODY_BYTES))
        .with_state(state)
}

/// The JSON view of an audit verification.
pub fn audit_view(report: &VerifyReport) -> VerifyView {
    VerifyView {
        ok: report.first_bad.is_none(),
        events: report.events,
        checkpoints_verified: report.checkpoints_verified,
        first_bad_seq: report.first_bad.as_ref().map(|b| b.seq),
        problem: report
            .first_bad
            .as_ref()
            .map(|b| b.problem.message(xiezhi_audit::Lang::En)),
        summary: report.summary(xiezhi_audit::Lang::En),
    }
}

/// Writes a signed checkpoint when the chain grew since the last one; returns its seq.
pub async fn checkpoint_if_grown(
    store: &xiezhi_store::Store,
    key: &SigningKey,
    now: xiezhi_decide::Millis,
) -> Result<Option<i64>, xiezhi_store::StoreError> {
    let last = store
        .audit_checkpoints()
        .await?
        .iter()
        .map(|c| c.seq)
        .max()
        .unwrap_or(0);
    if store.head_seq().await? <= last {
        return Ok(None);
    }
    Ok(Some(store.audit_checkpoint(key, now).await?.seq))
}

/// Errors that stop the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error(
        "cannot listen on {addr}: {source} (is another server running there? choose another with --listen)"
    )]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the server until Ctrl-C / SIGTERM, then stops accepting, finishes in-flight requests
/// and returns. `ready` receives the bound address (useful with port 0).
pub async fn serve(
    state: AppState,
    settings: ServeSettings,
    ready: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
) -> Result<(), ServeError> {
    ops::install_metrics();
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: settings.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    if let Some(tx) = ready {
        let _ = tx.send(addr);
    }
    let stop = tokio_util_shutdown();
    let background = spawn_background(&state, &settings);
    let app = router(Arc::clone(&state)).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await;
    for task in background {
        task.abort();
    }
    // A final checkpoint so the chain's end is signed.
    let now = xiezhi_decide::time::now_millis();
    if let Err(e) = checkpoint_if_grown(state.engine.store(), &state.signing_key, now).await {
        tracing::warn!(error = %e, "final audit checkpoint failed");
    }
    result.map_err(ServeError::Io)
}

async fn tokio_util_shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

fn spawn_background(
    state: &AppState,
    settings: &ServeSettings,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    // Periodic signed checkpoints.
    {
        let state = Arc::clone(state);
        let every = settings.checkpoint_every;
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                let now = xiezhi_decide::time::now_millis();
                if let Err(e) =
                    checkpoint_if_grown(state.engine.store(), &state.signing_key, now).await
                {
                    tracing::warn!(error = %e, "audit checkpoint failed");
                }
            }
        }));
    }
    // Cross-node change feed (PostgreSQL).
    if state.engine.store().dialect() == xiezhi_store::Dialect::Postgres {
        let state = Arc::clone(state);
        tasks.push(tokio::spawn(async move { run_change_feed(state).await }));
    }
    if settings.webhooks {
        let state = Arc::clone(state);
        tasks.push(tokio::spawn(async move { webhook::run(state).await }));
    }
    tasks
}

/// Listens to the store's change notifications and drops changed subjects from the cache.
/// While the feed is down the cache is bypassed, so no decision is answered from stale state.
/// `serve` runs it for PostgreSQL; an embedding service runs it itself.
pub async fn run_change_feed(state: AppState) {
    loop {
        match state.engine.store().listen_changes().await {
            Ok(mut listener) => {
                state.engine.set_feed_healthy(true);
                tracing::info!("change feed connected");
                loop {
                    match listener.recv().await {
                        Ok(change) => match &change.subject {
                            Some(subject) => state.engine.invalidate(subject, change.seq),
                            None => state.engine.seen(change.seq),
                        },
                        Err(e) => {
                            tracing::warn!(error = %e, "change feed lost; bypassing the cache until it is back");
                            state.engine.set_feed_healthy(false);
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "change feed unavailable; retrying in 1 s");
                state.engine.set_feed_healthy(false);
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
