//! A thin layer over the two dialects: one SQL text with `?` placeholders (rewritten to `$n`
//! for PostgreSQL), bound values of a few types, rows read by index.

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{AssertSqlSafe, Postgres, Row as _, Sqlite};

use crate::StoreError;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (file or memory).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A bound value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    I64(i64),
    OptI64(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
    Blob(Option<Vec<u8>>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OptI64(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_owned())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(v.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OptText(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::OptText(v.map(str::to_owned))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}
impl From<Option<Vec<u8>>> for Val {
    fn from(v: Option<Vec<u8>>) -> Self {
        Val::Blob(v)
    }
}

/// `vals![a, b]` → `Vec<Val>`.
macro_rules! vals {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::Val::from($v)),*] };
}
pub(crate) use vals;

/// Rewrites `?` placeholders to `$1, $2, …` (our SQL has no `?` inside literals).
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    out
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Val::I64(v) => q.bind(v),
                Val::OptI64(v) => q.bind(v),
                Val::Text(v) => q.bind(v),
                Val::OptText(v) => q.bind(v),
                Val::Bool(v) => q.bind(v),
                Val::Blob(v) => q.bind(v),
            };
        }
        q
    }};
}

/// A borrowed connection of either dialect (a transaction derefs to one).
#[derive(Debug)]
pub(crate) enum Conn<'c> {
    Lite(&'c mut SqliteConnection),
    Pg(&'c mut PgConnection),
}

/// A pooled connection of either dialect.
#[derive(Debug)]
pub(crate) enum PooledConn {
    Lite(PoolConnection<Sqlite>),
    Pg(PoolConnection<Postgres>),
}

impl PooledConn {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            PooledConn::Lite(c) => Conn::Lite(&mut *c),
            PooledConn::Pg(c) => Conn::Pg(&mut *c),
        }
    }
}

/// A row of either dialect.
#[derive(Debug)]
pub(crate) enum Row {
    Lite(SqliteRow),
    Pg(PgRow),
}

fn dec(e: sqlx::Error) -> StoreError {
    StoreError::Database {
        what: "reading a row",
        message: e.to_string(),
    }
}

impl Row {
    pub(crate) fn i64(&self, i: usize) -> Result<i64, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<i64, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<i64, _>(i).map_err(dec),
        }
    }
    pub(crate) fn opt_i64(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<Option<i64>, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<Option<i64>, _>(i).map_err(dec),
        }
    }
    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<String, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<String, _>(i).map_err(dec),
        }
    }
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<Option<String>, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<Option<String>, _>(i).map_err(dec),
        }
    }
    pub(crate) fn bool(&self, i: usize) -> Result<bool, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<bool, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<bool, _>(i).map_err(dec),
        }
    }
    pub(crate) fn opt_blob(&self, i: usize) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Row::Lite(r) => r.try_get::<Option<Vec<u8>>, _>(i).map_err(dec),
            Row::Pg(r) => r.try_get::<Option<Vec<u8>>, _>(i).map_err(dec),
        }
    }
}

fn db_err(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| StoreError::Database {
        what,
        message: e.to_string(),
    }
}

impl Conn<'_> {
    /// Runs a statement; returns the rows affected.
    pub(crate) async fn exec(
        &mut self,
        what: &'static str,
        sql: &str,
        args: Vec<Val>,
    ) -> Result<u64, StoreError> {
        match self {
            Conn::Lite(c) => {
                let q = bind_all!(sqlx::query::<Sqlite>(AssertSqlSafe(sql.to_owned())), args);
                Ok(q.execute(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .rows_affected())
            }
            Conn::Pg(c) => {
                let q = bind_all!(
                    sqlx::query::<Postgres>(AssertSqlSafe(pg_placeholders(sql))),
                    args
                );
                Ok(q.execute(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .rows_affected())
            }
        }
    }

    /// Every row.
    pub(crate) async fn all(
        &mut self,
        what: &'static str,
        sql: &str,
        args: Vec<Val>,
    ) -> Result<Vec<Row>, StoreError> {
        match self {
            Conn::Lite(c) => {
                let q = bind_all!(sqlx::query::<Sqlite>(AssertSqlSafe(sql.to_owned())), args);
                Ok(q.fetch_all(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .into_iter()
                    .map(Row::Lite)
                    .collect())
            }
            Conn::Pg(c) => {
                let q = bind_all!(
                    sqlx::query::<Postgres>(AssertSqlSafe(pg_placeholders(sql))),
                    args
                );
                Ok(q.fetch_all(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .into_iter()
                    .map(Row::Pg)
                    .collect())
            }
        }
    }

    /// The first row, if any.
    pub(crate) async fn opt(
        &mut self,
        what: &'static str,
        sql: &str,
        args: Vec<Val>,
    ) -> Result<Option<Row>, StoreError> {
        match self {
            Conn::Lite(c) => {
                let q = bind_all!(sqlx::query::<Sqlite>(AssertSqlSafe(sql.to_owned())), args);
                Ok(q.fetch_optional(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .map(Row::Lite))
            }
            Conn::Pg(c) => {
                let q = bind_all!(
                    sqlx::query::<Postgres>(AssertSqlSafe(pg_placeholders(sql))),
                    args
                );
                Ok(q.fetch_optional(&mut **c)
                    .await
                    .map_err(db_err(what))?
                    .map(Row::Pg))
            }
        }
    }

    /// Exactly one row.
    pub(crate) async fn one(
        &mut self,
        what: &'static str,
        sql: &str,
        args: Vec<Val>,
    ) -> Result<Row, StoreError> {
        self.opt(what, sql, args)
            .await?
            .ok_or_else(|| StoreError::Database {
                what,
                message: "no row returned".to_owned(),
            })
    }

    /// Runs several `;`-separated statements without parameters.
    pub(crate) async fn raw(&mut self, what: &'static str, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Lite(c) => {
                sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                    .execute(&mut **c)
                    .await
                    .map_err(db_err(what))?;
            }
            Conn::Pg(c) => {
                sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                    .execute(&mut **c)
                    .await
                    .map_err(db_err(what))?;
            }
        }
        Ok(())
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Conn::Lite(_) => Dialect::Sqlite,
            Conn::Pg(_) => Dialect::Postgres,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pg_placeholders;

    #[test]
    fn placeholders() {
        assert_eq!(
            pg_placeholders("SELECT a FROM t WHERE b = ? AND c = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
    }
}
