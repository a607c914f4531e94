//! Test harness: the same test body runs on SQLite (temp file) and PostgreSQL
//! (`XIEZHI_TEST_POSTGRES`, a fresh schema per test, dropped after).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::{AssertSqlSafe, ConnectOptions, Connection};
use xiezhi_store::Store;

/// A store under test plus raw access for tampering.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub pg_base: Option<String>,
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Runs one statement with raw SQL (bypassing the store), returns rows affected.
    pub async fn raw(&self, sql: &str) -> u64 {
        if self.schema.is_some() {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&self.url)
                .unwrap()
                .connect()
                .await
                .unwrap();
            let n = sqlx::query(AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap()
                .rows_affected();
            c.close().await.unwrap();
            n
        } else {
            let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)
                .unwrap()
                .connect()
                .await
                .unwrap();
            let n = sqlx::query(AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap()
                .rows_affected();
            c.close().await.unwrap();
            n
        }
    }

    /// A single i64 from raw SQL.
    pub async fn scalar(&self, sql: &str) -> i64 {
        if self.schema.is_some() {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&self.url)
                .unwrap()
                .connect()
                .await
                .unwrap();
            let v: i64 = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            v
        } else {
            let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)
                .unwrap()
                .connect()
                .await
                .unwrap();
            let v: i64 = sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            v
        }
    }

    pub fn is_pg(&self) -> bool {
        self.schema.is_some()
    }

    async fn cleanup(&self) {
        self.store.close().await;
        if let (Some(base), Some(schema)) = (&self.pg_base, &self.schema) {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(base)
                .unwrap()
                .connect()
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE"
            )))
            .execute(&mut c)
            .await
            .unwrap();
            c.close().await.unwrap();
        }
    }
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store = Store::open(&url).await.unwrap();
    TestDb {
        store,
        url,
        pg_base: None,
        schema: None,
        _dir: Some(dir),
    }
}

pub async fn postgres() -> Option<TestDb> {
    let Some(base) = std::env::var("XIEZHI_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "skipped: set XIEZHI_TEST_POSTGRES (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL variant"
        );
        return None;
    };
    let schema = format!("xz_test_{}", unique());
    let mut c = sqlx::postgres::PgConnectOptions::from_str(&base)
        .unwrap()
        .connect()
        .await
        .unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let store = match Store::open(&url).await {
        Ok(s) => s,
        Err(e) => {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&base)
                .unwrap()
                .connect()
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE"
            )))
            .execute(&mut c)
            .await
            .unwrap();
            panic!("opening the PostgreSQL store failed: {e}");
        }
    };
    Some(TestDb {
        store,
        url,
        pg_base: Some(base),
        schema: Some(schema),
        _dir: None,
    })
}

/// Runs `body` on `db`, cleans up even if it panics, then re-raises the panic.
pub async fn run<F, Fut>(db: TestDb, body: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = Arc::new(db);
    let result = tokio::spawn(body(db.clone())).await;
    db.cleanup().await;
    if let Err(e) = result {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// `both!(name)` runs `async fn name(db: Arc<TestDb>)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::common::sqlite().await;
                $crate::common::run(db, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::common::postgres().await else { return };
                $crate::common::run(db, super::$name).await;
            }
        }
    )*};
}
