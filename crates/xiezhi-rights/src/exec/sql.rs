//! SQL dialects, identifier quoting, parameter binding, target connections and the journal.

use std::collections::BTreeMap;

use sqlx::any::{AnyArguments, AnyPoolOptions};
use sqlx::{Any, AnyPool, AssertSqlSafe};

use super::{ExecError, Subject};

/// A SQL dialect of a target database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// The dialect of a DSN, from its scheme.
    pub fn of_dsn(dsn: &str) -> Option<Dialect> {
        let scheme = dsn.split_once(':')?.0.to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::MySql),
            "sqlite" => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    /// Quotes an identifier already checked by `xiezhi_map::is_sql_identifier` (`schema.table`
    /// quotes both parts).
    pub fn quote(self, ident: &str) -> String {
        let (open, close) = match self {
            Dialect::MySql => ('`', '`'),
            _ => ('"', '"'),
        };
        ident
            .split('.')
            .map(|p| {
                let esc = match self {
                    Dialect::MySql => p.replace('`', "``"),
                    _ => p.replace('"', "\"\""),
                };
                format!("{open}{esc}{close}")
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// An expression reading a column as text.
    pub fn as_text(self, expr: &str) -> String {
        match self {
            Dialect::MySql => format!("CAST({expr} AS CHAR)"),
            _ => format!("CAST({expr} AS TEXT)"),
        }
    }

    /// An expression producing a unique random text surrogate.
    pub fn random_surrogate(self) -> &'static str {
        match self {
            Dialect::Postgres => "('x' || md5(random()::text || clock_timestamp()::text))",
            Dialect::MySql => "CONCAT('x', REPLACE(UUID(), '-', ''))",
            Dialect::Sqlite => "('x' || lower(hex(randomblob(16))))",
        }
    }

    fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Postgres => format!("${n}"),
            Dialect::MySql => "?".to_owned(),
            Dialect::Sqlite => format!("?{n}"),
        }
    }
}

/// A bound parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// A statement under construction: text with placeholders and the values to bind, in order.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    pub dialect: Dialect,
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn new(dialect: Dialect) -> Sql {
        Sql {
            dialect,
            text: String::new(),
            binds: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    pub fn bind(&mut self, b: Bind) -> &mut Sql {
        self.binds.push(b);
        let p = self.dialect.placeholder(self.binds.len());
        self.text.push_str(&p);
        self
    }

    pub fn bind_subject(&mut self, s: &Subject) -> &mut Sql {
        self.bind(match s {
            Subject::Int(i) => Bind::Int(*i),
            Subject::Text(t) => Bind::Text(t.clone()),
        })
    }

    pub fn query(&self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        let mut q = sqlx::query::<Any>(AssertSqlSafe(self.text.clone()));
        for b in &self.binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(t) => q.bind(t.clone()),
            };
        }
        q
    }
}

/// One target database. Its `Debug` never shows the DSN (it may hold a password).
#[derive(Clone)]
pub struct Target {
    /// Its dialect.
    pub dialect: Dialect,
    name: String,
    dsn: String,
    pool: std::sync::Arc<std::sync::OnceLock<AnyPool>>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("name", &self.name)
            .field("dialect", &self.dialect)
            .field("dsn", &redact_dsn(&self.dsn))
            .finish()
    }
}

impl Target {
    /// The connection pool, made on first use (inside the async runtime); connects lazily.
    pub fn pool(&self) -> Result<&AnyPool, ExecError> {
        if let Some(p) = self.pool.get() {
            return Ok(p);
        }
        let p = AnyPoolOptions::new()
            .max_connections(4)
            .connect_lazy(&self.dsn)
            .map_err(|e| ExecError::Target(format!("connection `{}`: {e}", self.name)))?;
        let _ = self.pool.set(p);
        self.pool
            .get()
            .ok_or_else(|| ExecError::Target(format!("connection `{}`: no pool", self.name)))
    }
}

/// The platform's databases: logical connection name (a dataset's `connection`) → DSN.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    map: BTreeMap<String, Target>,
}

impl Targets {
    /// Builds targets from `name=dsn` pairs, e.g. `["shop=postgres://u@db/shop"]`. Connects
    /// lazily. DSN schemes: `postgres://`, `mysql://` (MariaDB too), `sqlite://`.
    pub fn from_pairs<I, S>(pairs: I) -> Result<Targets, ExecError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut t = Targets::default();
        for p in pairs {
            let p = p.as_ref();
            let (name, dsn) = p.split_once('=').ok_or_else(|| {
                ExecError::Target(format!("`{}`: expected name=dsn", redact_dsn(p)))
            })?;
            t.insert(name.trim(), dsn.trim())?;
        }
        Ok(t)
    }

    /// Adds one target.
    pub fn insert(&mut self, name: &str, dsn: &str) -> Result<(), ExecError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of_dsn(dsn).ok_or_else(|| {
            ExecError::Target(format!(
                "connection `{name}`: unsupported DSN scheme in `{}` (use postgres://, mysql:// or sqlite://)",
                redact_dsn(dsn)
            ))
        })?;
        if name.is_empty() {
            return Err(ExecError::Target("empty connection name".to_owned()));
        }
        self.map.insert(
            name.to_owned(),
            Target {
                dialect,
                name: name.to_owned(),
                dsn: dsn.to_owned(),
                pool: std::sync::Arc::default(),
            },
        );
        Ok(())
    }

    /// The target of a connection name.
    pub fn get(&self, name: &str) -> Result<&Target, ExecError> {
        self.map
            .get(name)
            .ok_or_else(|| ExecError::NoTarget(name.to_owned()))
    }

    /// Whether a connection name has a target.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Connection names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// A DSN without its password, for messages.
pub fn redact_dsn(dsn: &str) -> String {
    match (dsn.find("://"), dsn.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &dsn[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &dsn[..s + 3], user, &dsn[at..])
        }
        _ => dsn.to_owned(),
    }
}

/// Name of the journal table created in each target database.
pub const JOURNAL_TABLE: &str = "xiezhi_rights_journal";

/// Creates the journal table if missing.
pub(crate) async fn ensure_journal(t: &Target) -> Result<(), ExecError> {
    let ddl = format!(
        "CREATE TABLE IF NOT EXISTS {JOURNAL_TABLE} (request_id VARCHAR(100) NOT NULL, step VARCHAR(200) NOT NULL, rows_affected BIGINT NOT NULL, detail VARCHAR(2000), done_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (request_id, step))"
    );
    sqlx::query::<Any>(AssertSqlSafe(ddl))
        .execute(t.pool()?)
        .await
        .map_err(|e| ExecError::Db {
            step: "journal".to_owned(),
            source: e,
        })?;
    Ok(())
}
