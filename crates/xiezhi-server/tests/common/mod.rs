//! Test harness: a server state over SQLite (temp file) or PostgreSQL (own schema), driven
//! through the real router without a socket.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use xiezhi_decide::{Basis, ConsentKind, Policy, PurposePolicy, Scope};
use xiezhi_server::{Engine, Shared, TokenKey};
use xiezhi_store::{KeyScope, Store};

pub const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test";

/// A test backend.
pub enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres { schema: String, admin_url: String },
}

pub struct Harness {
    pub state: Arc<Shared>,
    pub router: Router,
    pub platform_key: String,
    pub admin_key: String,
    pub tokens: TokenKey,
    pub backend: Backend,
    pub url: String,
}

pub fn policy() -> Policy {
    Policy::new(
        vec![
            PurposePolicy::new(
                "recommend",
                "Personalised recommendation",
                Basis::Consent {
                    kind: ConsentKind::General,
                },
                Scope {
                    purpose: "recommend goods".into(),
                    pi_types: vec!["device_id".into()],
                    ..Scope::default()
                },
            ),
            PurposePolicy::new(
                "face-login",
                "Face login",
                Basis::Consent {
                    kind: ConsentKind::Separate,
                },
                Scope {
                    purpose: "log in by face".into(),
                    pi_types: vec!["biometric".into()],
                    ..Scope::default()
                },
            ),
            PurposePolicy::new(
                "delivery",
                "Delivery",
                Basis::Other {
                    name: "contract".into(),
                },
                Scope::default(),
            ),
        ],
        48 * 3_600_000,
    )
}

/// The PostgreSQL URL for tests, or `None` (with a loud note) when not configured.
pub fn postgres_url() -> Option<String> {
    match std::env::var("XIEZHI_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!(
                "skipped the PostgreSQL half of this test: set XIEZHI_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test"
            );
            None
        }
    }
}

fn unique(prefix: &str) -> String {
    let n = xiezhi_decide::time::now_millis();
    let mut r = [0u8; 4];
    let _ = getrandom::fill(&mut r);
    format!("{prefix}_{n}_{}", hex::encode(r))
}

/// Creates a fresh schema and returns a URL whose connections use it.
pub async fn postgres_schema(admin_url: &str) -> (String, String) {
    use sqlx::Connection;
    let schema = unique("xz_srv");
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("create schema");
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-csearch_path%3D{schema}");
    (schema, url)
}

pub async fn drop_schema(admin_url: &str, schema: &str) {
    use sqlx::Connection;
    if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&mut conn)
            .await;
    }
}

impl Harness {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|s| s).await
    }

    /// An SQLite harness whose shared state is adjusted by `configure` (e.g. identity services).
    pub async fn sqlite_with(configure: impl FnOnce(Shared) -> Shared) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("x.db").display());
        Self::over_with(url, Backend::Sqlite(dir), configure).await
    }

    pub async fn postgres(admin_url: &str) -> Self {
        let (schema, url) = postgres_schema(admin_url).await;
        Self::over(
            url,
            Backend::Postgres {
                schema,
                admin_url: admin_url.to_owned(),
            },
        )
        .await
    }

    /// A second node over the same database (PostgreSQL).
    pub async fn another_node(&self) -> Harness {
        let store = Store::open(&self.url).await.unwrap();
        let engine = Engine::new(store, policy(), 10_000);
        let key = xiezhi_audit::SigningKey::generate().unwrap();
        let state = Arc::new(Shared::new(
            engine,
            TokenKey::new(SECRET).unwrap(),
            key,
            1000,
        ));
        Harness {
            router: xiezhi_server::router(Arc::clone(&state)),
            state,
            platform_key: self.platform_key.clone(),
            admin_key: self.admin_key.clone(),
            tokens: TokenKey::new(SECRET).unwrap(),
            backend: Backend::Sqlite(tempfile::tempdir().unwrap()),
            url: self.url.clone(),
        }
    }

    async fn over(url: String, backend: Backend) -> Self {
        Self::over_with(url, backend, |s| s).await
    }

    async fn over_with(
        url: String,
        backend: Backend,
        configure: impl FnOnce(Shared) -> Shared,
    ) -> Self {
        let store = Store::open(&url).await.unwrap();
        let now = xiezhi_decide::time::now_millis();
        let p = policy();
        store.sync_purposes(&p, "test", now).await.unwrap();
        let platform_key = store
            .create_api_key("recommender", &[KeyScope::Platform], "test", now)
            .await
            .unwrap()
            .plaintext;
        let admin_key = store
            .create_api_key("ops", &[KeyScope::Admin], "test", now)
            .await
            .unwrap()
            .plaintext;
        let key = xiezhi_audit::SigningKey::generate().unwrap();
        let engine = Engine::new(store, p, 10_000);
        let state = Arc::new(configure(Shared::new(
            engine,
            TokenKey::new(SECRET).unwrap(),
            key,
            1000,
        )));
        Harness {
            router: xiezhi_server::router(Arc::clone(&state)),
            state,
            platform_key,
            admin_key,
            tokens: TokenKey::new(SECRET).unwrap(),
            backend,
            url,
        }
    }

    pub async fn cleanup(self) {
        if let Backend::Postgres { schema, admin_url } = &self.backend {
            drop_schema(admin_url, schema).await;
        }
    }

    pub fn user_token(&self, subject: &str) -> String {
        let now = xiezhi_decide::time::now_millis() / 1000;
        self.tokens.issue(subject, now, now + 600)
    }

    /// Sends a request; returns status and JSON body (Null when empty or not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(a) = auth {
            req = req.header("authorization", format!("Bearer {a}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }

    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, bytes.to_vec())
    }

    /// `POST /v1/decisions` with the platform key; returns the results array.
    pub async fn decide(&self, subject: &str, checks: Value) -> Vec<Value> {
        let (status, body) = self
            .call(
                "POST",
                "/v1/decisions",
                Some(&self.platform_key),
                Some(serde_json::json!({"subject": subject, "checks": checks})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["results"].as_array().cloned().unwrap()
    }
}

/// Runs `f` on SQLite, then on PostgreSQL when configured.
#[macro_export]
macro_rules! on_both_stores {
    ($name:ident, $body:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let h = common::Harness::sqlite().await;
            let f = $body;
            f(&h).await;
            h.cleanup().await;
            if let Some(url) = common::postgres_url() {
                let h = common::Harness::postgres(&url).await;
                f(&h).await;
                h.cleanup().await;
            }
        }
    };
}
