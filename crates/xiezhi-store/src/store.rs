//! Opening the store, migrations, settings and the single write path.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};
use xiezhi_decide::{Millis, SubjectState};

use crate::StoreError;
use crate::db::{Conn, Dialect, PooledConn, vals};
use crate::retention::Retention;
use xiezhi_audit::{self as chain, EventDraft};

/// One embedded migration.
struct Migration {
    version: i64,
    description: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        description: "rights requests",
        sqlite: include_str!("../migrations/sqlite/0002_rights_requests.sql"),
        postgres: include_str!("../migrations/postgres/0002_rights_requests.sql"),
    },
    Migration {
        version: 3,
        description: "rules versions",
        sqlite: include_str!("../migrations/sqlite/0003_rules_versions.sql"),
        postgres: include_str!("../migrations/postgres/0003_rules_versions.sql"),
    },
    Migration {
        version: 4,
        description: "rights workflow",
        sqlite: include_str!("../migrations/sqlite/0004_rights_workflow.sql"),
        postgres: include_str!("../migrations/postgres/0004_rights_workflow.sql"),
    },
    Migration {
        version: 5,
        description: "incidents",
        sqlite: include_str!("../migrations/sqlite/0005_incidents.sql"),
        postgres: include_str!("../migrations/postgres/0005_incidents.sql"),
    },
    Migration {
        version: 6,
        description: "generated reports register",
        sqlite: include_str!("../migrations/sqlite/0006_reports.sql"),
        postgres: include_str!("../migrations/postgres/0006_reports.sql"),
    },
];

/// Key of the PostgreSQL advisory lock taken while migrating.
const MIGRATION_LOCK: i64 = 0x7869_657a_6869_0001;

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Lite(SqlitePool),
    Pg(PgPool),
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) pool: Pool,
    pub(crate) chain_secret: Vec<u8>,
    pub(crate) cool_down_ms: AtomicI64,
    pub(crate) notify_channel: String,
}

/// The store: a handle over a connection pool (cheap to clone).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) inner: Arc<Inner>,
}

/// The result of a state change: its audit seq and the subject's state after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Audit sequence number of the change (also the subject's new `version`).
    pub seq: i64,
    /// The subject's state after the change.
    pub state: SubjectState,
}

fn open_err(e: sqlx::Error) -> StoreError {
    StoreError::Open {
        message: e.to_string(),
    }
}

/// A fresh random value of `n` bytes.
pub(crate) fn random_bytes(n: usize) -> Result<Vec<u8>, StoreError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Open {
        message: format!("no operating-system randomness: {e}"),
    })?;
    Ok(buf)
}

/// JSON with object keys sorted at every level, no spaces: the bytes a payload digest covers.
pub(crate) fn canonical_json(v: &Value) -> Vec<u8> {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    if let Some(x) = m.get(*k) {
                        write(x, out);
                    }
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut s = String::new();
    write(v, &mut s);
    s.into_bytes()
}

impl Store {
    /// Opens (creating if needed) and migrates the store at `url`: `sqlite://PATH` (file, WAL,
    /// `synchronous=FULL`, busy timeout 10 s), `sqlite::memory:` (one connection) or
    /// `postgres://…` (`postgresql://` too).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let pool = if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(open_err)?
                .create_if_missing(true)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let opts = if memory {
                opts
            } else {
                opts.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
            };
            let pool_opts = if memory {
                // Every connection to `:memory:` is its own database: keep exactly one.
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
            } else {
                SqlitePoolOptions::new().max_connections(4)
            };
            Pool::Lite(pool_opts.connect_with(opts).await.map_err(open_err)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(open_err)?
                .application_name("xiezhi-store");
            Pool::Pg(
                PgPoolOptions::new()
                    .max_connections(10)
                    .connect_with(opts)
                    .await
                    .map_err(open_err)?,
            )
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let mut conn = acquire(&pool).await?;
        migrate(&mut conn.conn()).await?;
        let mut c = conn.conn();
        let secret_hex = hex::encode(random_bytes(32)?);
        c.exec(
            "creating the chain secret",
            "INSERT INTO settings (key, value) VALUES ('chain_secret', ?) ON CONFLICT (key) DO NOTHING",
            vals![secret_hex],
        )
        .await?;
        let secret = get_setting(&mut c, "chain_secret")
            .await?
            .ok_or_else(|| StoreError::Corrupt("the chain secret is missing".into()))?;
        let chain_secret = hex::decode(secret.trim())
            .map_err(|_| StoreError::Corrupt("the chain secret is not hex".into()))?;
        let cool_down_ms = match get_setting(&mut c, "refusal_cool_down_ms").await? {
            Some(v) => v
                .parse::<i64>()
                .map_err(|_| StoreError::Corrupt("refusal_cool_down_ms is not a number".into()))?,
            None => xiezhi_decide::DEFAULT_REFUSAL_COOL_DOWN_MS,
        };
        let notify_channel = match c.dialect() {
            Dialect::Postgres => {
                let schema = c
                    .one(
                        "reading the schema",
                        "SELECT COALESCE(current_schema()::text, '')",
                        vec![],
                    )
                    .await?
                    .text(0)?;
                if schema.is_empty() {
                    return Err(StoreError::Open {
                        message: "the connection's search_path names no existing schema: create the schema or fix options=-csearch_path".into(),
                    });
                }
                if schema == "public" {
                    "xiezhi_changes".to_owned()
                } else {
                    let mut ch = format!("xiezhi_changes_{schema}");
                    while ch.len() > 63 {
                        ch.pop();
                    }
                    ch
                }
            }
            Dialect::Sqlite => String::new(),
        };
        drop(conn);
        Ok(Store {
            inner: Arc::new(Inner {
                pool,
                chain_secret,
                cool_down_ms: AtomicI64::new(cool_down_ms),
                notify_channel,
            }),
        })
    }

    /// Which database this store runs on.
    pub fn dialect(&self) -> Dialect {
        match self.inner.pool {
            Pool::Lite(_) => Dialect::Sqlite,
            Pool::Pg(_) => Dialect::Postgres,
        }
    }

    /// The PostgreSQL channel `pg_notify` sends change seqs on: `xiezhi_changes`, or
    /// `xiezhi_changes_<schema>` when the store lives outside `public`.
    pub fn notify_channel(&self) -> &str {
        &self.inner.notify_channel
    }

    /// Closes the pool (waits for connections to return).
    pub async fn close(&self) {
        match &self.inner.pool {
            Pool::Lite(p) => p.close().await,
            Pool::Pg(p) => p.close().await,
        }
    }

    pub(crate) async fn conn(&self) -> Result<PooledConn, StoreError> {
        acquire(&self.inner.pool).await
    }

    /// How long after a refusal the platform may not ask again (ms).
    pub fn refusal_cool_down_ms(&self) -> Millis {
        self.inner.cool_down_ms.load(Ordering::Relaxed)
    }

    /// Sets the refusal cool-down (ms, at least 0), stored in the database.
    pub async fn set_refusal_cool_down_ms(&self, ms: Millis) -> Result<(), StoreError> {
        if ms < 0 {
            return Err(StoreError::InvalidInput(
                "the refusal cool-down cannot be negative".into(),
            ));
        }
        let mut c = self.conn().await?;
        set_setting(&mut c.conn(), "refusal_cool_down_ms", &ms.to_string()).await?;
        self.inner.cool_down_ms.store(ms, Ordering::Relaxed);
        Ok(())
    }

    /// The retention settings (defaults: the legal minimums).
    pub async fn retention(&self) -> Result<Retention, StoreError> {
        let mut c = self.conn().await?;
        match get_setting(&mut c.conn(), "retention").await? {
            Some(v) => {
                let r: Retention = serde_json::from_str(&v).map_err(|_| {
                    StoreError::Corrupt("the retention setting is malformed".into())
                })?;
                Ok(Retention::new(
                    r.audit_events_days(),
                    r.network_logs_days(),
                )?)
            }
            None => Ok(Retention::default()),
        }
    }

    /// Stores the retention settings (already checked by [`Retention::new`]).
    pub async fn set_retention(&self, r: Retention) -> Result<(), StoreError> {
        let v = serde_json::to_string(&r)
            .map_err(|e| StoreError::InvalidInput(format!("retention: {e}")))?;
        let mut c = self.conn().await?;
        set_setting(&mut c.conn(), "retention", &v).await
    }

    /// Opens the write transaction and locks the chain head (`BEGIN IMMEDIATE` on SQLite,
    /// `SELECT … FOR UPDATE` on PostgreSQL). Every state change goes through this.
    pub(crate) async fn begin_write(&self) -> Result<Write, StoreError> {
        let werr = |e: sqlx::Error| StoreError::Database {
            what: "beginning a write transaction",
            message: e.to_string(),
        };
        let tx = match &self.inner.pool {
            Pool::Lite(p) => WTx::Lite(p.begin_with("BEGIN IMMEDIATE").await.map_err(werr)?),
            Pool::Pg(p) => WTx::Pg(p.begin().await.map_err(werr)?),
        };
        let mut w = Write {
            tx,
            head_seq: 0,
            head_hash: String::new(),
            secret: self.inner.chain_secret.clone(),
            channel: self.inner.notify_channel.clone(),
            first_seq: None,
        };
        let sql = match w.conn().dialect() {
            Dialect::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
            Dialect::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
        };
        let row = w
            .conn()
            .one("locking the audit chain head", sql, vec![])
            .await?;
        w.head_seq = row.i64(0)?;
        w.head_hash = row.text(1)?;
        Ok(w)
    }
}

pub(crate) async fn acquire(pool: &Pool) -> Result<PooledConn, StoreError> {
    let e = |e: sqlx::Error| StoreError::Database {
        what: "acquiring a connection",
        message: e.to_string(),
    };
    Ok(match pool {
        Pool::Lite(p) => PooledConn::Lite(p.acquire().await.map_err(e)?),
        Pool::Pg(p) => PooledConn::Pg(p.acquire().await.map_err(e)?),
    })
}

pub(crate) async fn get_setting(c: &mut Conn<'_>, key: &str) -> Result<Option<String>, StoreError> {
    match c
        .opt(
            "reading a setting",
            "SELECT value FROM settings WHERE key = ?",
            vals![key],
        )
        .await?
    {
        Some(r) => Ok(Some(r.text(0)?)),
        None => Ok(None),
    }
}

async fn set_setting(c: &mut Conn<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    c.exec(
        "writing a setting",
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vals![key, value],
    )
    .await?;
    Ok(())
}

async fn migrate(c: &mut Conn<'_>) -> Result<(), StoreError> {
    let dialect = c.dialect();
    let begin = match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    };
    c.raw("beginning the migration", begin).await?;
    let result = migrate_in_tx(c, dialect).await;
    match result {
        Ok(()) => c.raw("committing the migration", "COMMIT").await,
        Err(e) => {
            let _ = c.raw("rolling back the migration", "ROLLBACK").await;
            Err(e)
        }
    }
}

async fn migrate_in_tx(c: &mut Conn<'_>, dialect: Dialect) -> Result<(), StoreError> {
    if dialect == Dialect::Postgres {
        c.exec(
            "locking the migration",
            "SELECT pg_advisory_xact_lock(?)",
            vals![MIGRATION_LOCK],
        )
        .await?;
    }
    c.raw(
        "creating the migration table",
        "CREATE TABLE IF NOT EXISTS xiezhi_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await?;
    let applied = c
        .all(
            "reading applied migrations",
            "SELECT version, checksum FROM xiezhi_migrations ORDER BY version",
            vec![],
        )
        .await?;
    let mut done = std::collections::BTreeMap::new();
    for r in applied {
        done.insert(r.i64(0)?, r.text(1)?);
    }
    if let Some((&max, _)) = done.last_key_value()
        && MIGRATIONS.iter().all(|m| m.version < max)
    {
        return Err(StoreError::DatabaseTooNew { version: max });
    }
    for m in MIGRATIONS {
        let sql = match dialect {
            Dialect::Sqlite => m.sqlite,
            Dialect::Postgres => m.postgres,
        };
        let checksum = hex::encode(Sha256::digest(sql.as_bytes()));
        if let Some(have) = done.get(&m.version) {
            if *have != checksum {
                return Err(StoreError::MigrationChanged { version: m.version });
            }
            continue;
        }
        c.raw("applying a migration", sql)
            .await
            .map_err(|e| StoreError::Migration {
                version: m.version,
                description: m.description,
                message: e.to_string(),
            })?;
        c.exec(
            "recording a migration",
            "INSERT INTO xiezhi_migrations (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)",
            vals![m.version, m.description, checksum, xiezhi_decide::time::now_millis()],
        )
        .await?;
    }
    Ok(())
}

pub(crate) enum WTx {
    Lite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// One event to append inside a write.
#[derive(Debug)]
pub(crate) struct Append<'a> {
    pub(crate) at: Millis,
    pub(crate) kind: &'a str,
    pub(crate) actor: &'a str,
    /// The subject the event is about (its version is bumped; the chain gets its HMAC).
    pub(crate) subject: Option<&'a str>,
    /// PI payload stored apart, committed by digest.
    pub(crate) payload: Option<Value>,
    /// Public change data for the outbox (`None` = no outbox row).
    pub(crate) outbox: Option<Value>,
}

/// An open write transaction holding the chain head.
pub(crate) struct Write {
    tx: WTx,
    pub(crate) head_seq: i64,
    head_hash: String,
    secret: Vec<u8>,
    channel: String,
    first_seq: Option<i64>,
}

impl std::fmt::Debug for Write {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Write")
            .field("head_seq", &self.head_seq)
            .finish_non_exhaustive()
    }
}

impl Write {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match &mut self.tx {
            WTx::Lite(t) => Conn::Lite(&mut *t),
            WTx::Pg(t) => Conn::Pg(&mut *t),
        }
    }

    /// The HMAC of `subject` under the chain secret.
    pub(crate) fn subject_ref(&self, subject: &str) -> String {
        chain::subject_ref(&self.secret, subject)
    }

    /// Makes sure the subject has a row.
    pub(crate) async fn ensure_subject(&mut self, subject: &str) -> Result<(), StoreError> {
        self.conn()
            .exec(
                "creating the subject",
                "INSERT INTO subjects (subject, version) VALUES (?, 0) ON CONFLICT (subject) DO NOTHING",
                vals![subject],
            )
            .await?;
        Ok(())
    }

    /// Appends one audit event (with payload, outbox row, subject version and notification).
    pub(crate) async fn append(&mut self, a: Append<'_>) -> Result<i64, StoreError> {
        let seq = self.head_seq + 1;
        let subject_ref = a.subject.map(|s| self.subject_ref(s));
        let body = a.payload.as_ref().map(canonical_json);
        let digest = body.as_deref().map(chain::payload_digest);
        let ev = chain::seal(
            EventDraft {
                at: a.at,
                kind: a.kind.to_owned(),
                actor: a.actor.to_owned(),
                subject_ref: subject_ref.clone(),
                payload_digest: digest.clone(),
            },
            seq,
            &self.head_hash,
        );
        let channel = self.channel.clone();
        let mut c = self.conn();
        c.exec(
            "appending an audit event",
            "INSERT INTO audit_events (seq, at, kind, actor, subject_ref, payload_digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            vals![ev.seq, ev.at, ev.kind.clone(), ev.actor.clone(), ev.subject_ref.clone(), ev.payload_digest.clone(), ev.prev_hash.clone(), ev.hash.clone()],
        )
        .await?;
        if let (Some(d), Some(b)) = (digest, body) {
            c.exec(
                "storing an audit payload",
                "INSERT INTO audit_payloads (seq, digest, subject_ref, body) VALUES (?, ?, ?, ?)",
                vals![seq, d, subject_ref.clone(), Some(b)],
            )
            .await?;
        }
        if let Some(s) = a.subject {
            c.exec(
                "bumping the subject version",
                "UPDATE subjects SET version = ? WHERE subject = ?",
                vals![seq, s],
            )
            .await?;
        }
        if let Some(data) = a.outbox {
            let data = String::from_utf8(canonical_json(&data))
                .map_err(|_| StoreError::Corrupt("outbox data is not UTF-8".into()))?;
            c.exec(
                "writing the outbox",
                "INSERT INTO outbox (seq, at, subject, kind, data) VALUES (?, ?, ?, ?, ?)",
                vals![seq, a.at, a.subject, a.kind, data],
            )
            .await?;
            if c.dialect() == Dialect::Postgres {
                c.exec(
                    "notifying listeners",
                    "SELECT pg_notify(?, ?)",
                    vals![channel, seq.to_string()],
                )
                .await?;
            }
        }
        self.head_seq = seq;
        self.head_hash = ev.hash;
        self.first_seq.get_or_insert(seq);
        Ok(seq)
    }

    /// Moves the chain head and commits. Nothing written is visible before this returns.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        let (seq, hash) = (self.head_seq, self.head_hash.clone());
        if self.first_seq.is_some() {
            self.conn()
                .exec(
                    "moving the audit chain head",
                    "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
                    vals![seq, hash],
                )
                .await?;
        }
        let e = |e: sqlx::Error| StoreError::Database {
            what: "committing",
            message: e.to_string(),
        };
        match self.tx {
            WTx::Lite(t) => t.commit().await.map_err(e),
            WTx::Pg(t) => t.commit().await.map_err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_json;

    #[test]
    fn canonical_sorts_keys() {
        let v = serde_json::json!({"b": 1, "a": {"d": [1, "x"], "c": null}});
        assert_eq!(
            String::from_utf8(canonical_json(&v)).unwrap_or_default(),
            r#"{"a":{"c":null,"d":[1,"x"]},"b":1}"#
        );
    }
}
