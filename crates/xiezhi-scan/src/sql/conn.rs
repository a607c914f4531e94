//! One connection per dialect: read-only session setup, catalogue queries, bounded sampling and
//! (on request, on a separate connection) column comments.
//!
//! Every identifier that goes into SQL text is quoted with [`quote_ident`] (PostgreSQL, SQLite)
//! or [`quote_mysql`]; values are bound or, for the few statements that cannot bind (`SET`,
//! `COMMENT ON`), are numbers or literals escaped by [`quote_literal`].

use std::str::FromStr;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{AssertSqlSafe, ConnectOptions, Row};

use super::url::{DbUrl, Dialect};
use super::{SqlError, TableInfo};

/// Longest prefix of a value read (characters for PostgreSQL/MySQL, bytes for SQLite): a
/// sampled document is classified by its start.
pub(crate) const VALUE_PREFIX: u32 = 4096;

/// Tables with more rows than this (by the planner's estimate) are sampled with
/// `TABLESAMPLE SYSTEM` on PostgreSQL.
pub(crate) const TABLESAMPLE_MIN_ROWS: f64 = 10_000.0;

/// Rows asked of `TABLESAMPLE` per wanted value (room for NULLs and empty strings).
const OVERSAMPLE: f64 = 20.0;

/// `"a""b"`: a PostgreSQL/SQLite identifier.
pub(crate) fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `` `a``b` ``: a MySQL identifier.
pub(crate) fn quote_mysql(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// `'it''s'`: a standard SQL string literal. Backslashes are rejected by the caller (they
/// mean different things under different server settings).
pub(crate) fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn db_err<'a>(source: &'a DbUrl, what: &'static str) -> impl Fn(sqlx::Error) -> SqlError + 'a {
    move |e| SqlError::Query {
        db: source.source().to_owned(),
        what,
        message: e.to_string(),
    }
}

/// schema, table, column, declared type, column comment, table comment, row estimate.
type CatalogRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    f64,
);

/// An open, read-only connection.
pub(crate) enum Conn {
    Pg(PgConnection),
    My {
        conn: MySqlConnection,
        mariadb: bool,
    },
    Lite(SqliteConnection),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::Pg(_) => "Conn::Pg",
            Conn::My { .. } => "Conn::My",
            Conn::Lite(_) => "Conn::Lite",
        })
    }
}

fn bytes_text(b: Option<Vec<u8>>) -> Option<String> {
    b.map(|v| String::from_utf8_lossy(&v).into_owned())
}

impl Conn {
    /// Connects and opens a read-only transaction with a statement timeout.
    pub(crate) async fn open_read_only(url: &DbUrl, timeout: Duration) -> Result<Conn, SqlError> {
        let connect_err = |e: sqlx::Error| SqlError::Connect {
            db: url.source().to_owned(),
            message: e.to_string(),
        };
        let ms = timeout.as_millis().max(1);
        match url.dialect() {
            Dialect::Postgres => {
                let opts = PgConnectOptions::from_str(url.connect_url())
                    .map_err(connect_err)?
                    .application_name("xiezhi-scan");
                let mut conn = opts.connect().await.map_err(connect_err)?;
                let setup = format!(
                    "BEGIN; SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {ms}"
                );
                sqlx::raw_sql(AssertSqlSafe(setup))
                    .execute(&mut conn)
                    .await
                    .map_err(db_err(url, "opening a read-only transaction"))?;
                Ok(Conn::Pg(conn))
            }
            Dialect::MySql => {
                let opts = MySqlConnectOptions::from_str(url.connect_url()).map_err(connect_err)?;
                let mut conn = opts.connect().await.map_err(connect_err)?;
                let version: String = sqlx::query_scalar("SELECT VERSION()")
                    .fetch_one(&mut conn)
                    .await
                    .map_err(db_err(url, "reading the server version"))?;
                let mariadb = version.to_ascii_lowercase().contains("mariadb");
                let limit = if mariadb {
                    // Seconds, fractional.
                    format!("SET SESSION max_statement_time = {}", ms as f64 / 1000.0)
                } else {
                    format!("SET SESSION max_execution_time = {ms}")
                };
                sqlx::raw_sql(AssertSqlSafe(limit))
                    .execute(&mut conn)
                    .await
                    .map_err(db_err(url, "setting the statement timeout"))?;
                sqlx::raw_sql("START TRANSACTION READ ONLY")
                    .execute(&mut conn)
                    .await
                    .map_err(db_err(url, "opening a read-only transaction"))?;
                Ok(Conn::My { conn, mariadb })
            }
            Dialect::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url.connect_url())
                    .map_err(connect_err)?
                    .read_only(true)
                    .create_if_missing(false)
                    .busy_timeout(timeout);
                let mut conn = opts.connect().await.map_err(connect_err)?;
                sqlx::raw_sql("PRAGMA query_only = ON; BEGIN")
                    .execute(&mut conn)
                    .await
                    .map_err(db_err(url, "opening a read-only transaction"))?;
                Ok(Conn::Lite(conn))
            }
        }
    }

    /// Whether the server is MariaDB (MySQL connections only).
    pub(crate) fn is_mariadb(&self) -> bool {
        matches!(self, Conn::My { mariadb: true, .. })
    }

    /// Tables (with their columns and comments), in schema, table, column order.
    pub(crate) async fn tables(&mut self, url: &DbUrl) -> Result<Vec<TableInfo>, SqlError> {
        let mut rows: Vec<CatalogRow> = Vec::new();
        match self {
            Conn::Pg(conn) => {
                let q = "SELECT n.nspname::text, c.relname::text, a.attname::text, \
                     format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum), \
                     obj_description(c.oid, 'pg_class'), c.reltuples::float8 \
                     FROM pg_catalog.pg_class c \
                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
                     WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition \
                       AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                       AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
                       AND has_table_privilege(c.oid, 'SELECT') \
                     ORDER BY 1, 2, a.attnum";
                for r in sqlx::query(q)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db_err(url, "listing tables and columns"))?
                {
                    let get = |i: usize| r.try_get::<String, _>(i);
                    rows.push((
                        get(0).map_err(db_err(url, "reading the catalogue"))?,
                        get(1).map_err(db_err(url, "reading the catalogue"))?,
                        get(2).map_err(db_err(url, "reading the catalogue"))?,
                        get(3).map_err(db_err(url, "reading the catalogue"))?,
                        r.try_get::<Option<String>, _>(4)
                            .map_err(db_err(url, "reading the catalogue"))?,
                        r.try_get::<Option<String>, _>(5)
                            .map_err(db_err(url, "reading the catalogue"))?,
                        r.try_get::<f64, _>(6)
                            .map_err(db_err(url, "reading the catalogue"))?,
                    ));
                }
            }
            Conn::My { conn, .. } => {
                let q = "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, \
                     c.COLUMN_COMMENT, t.TABLE_COMMENT, CAST(COALESCE(t.TABLE_ROWS, 0) AS SIGNED) \
                     FROM information_schema.COLUMNS c \
                     JOIN information_schema.TABLES t \
                       ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
                     WHERE t.TABLE_TYPE = 'BASE TABLE' \
                       AND c.TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') \
                       AND (? IS NULL OR c.TABLE_SCHEMA = ?) \
                     ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION";
                let db = url.database().map(str::to_owned);
                for r in sqlx::query(q)
                    .bind(db.clone())
                    .bind(db)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db_err(url, "listing tables and columns"))?
                {
                    let text = |i: usize| -> Result<String, SqlError> {
                        Ok(bytes_text(
                            r.try_get_unchecked::<Option<Vec<u8>>, _>(i)
                                .map_err(db_err(url, "reading the catalogue"))?,
                        )
                        .unwrap_or_default())
                    };
                    let nonempty = |s: String| (!s.is_empty()).then_some(s);
                    rows.push((
                        text(0)?,
                        text(1)?,
                        text(2)?,
                        text(3)?,
                        nonempty(text(4)?),
                        nonempty(text(5)?),
                        r.try_get_unchecked::<i64, _>(6)
                            .map_err(db_err(url, "reading the catalogue"))?
                            as f64,
                    ));
                }
            }
            Conn::Lite(conn) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                )
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err(url, "listing tables"))?;
                for t in tables {
                    let cols =
                        sqlx::query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")
                            .bind(&t)
                            .fetch_all(&mut *conn)
                            .await
                            .map_err(db_err(url, "listing columns"))?;
                    for r in cols {
                        rows.push((
                            "main".to_owned(),
                            t.clone(),
                            r.try_get::<String, _>(0)
                                .map_err(db_err(url, "reading the catalogue"))?,
                            r.try_get::<String, _>(1)
                                .map_err(db_err(url, "reading the catalogue"))?,
                            None,
                            None,
                            -1.0,
                        ));
                    }
                }
            }
        }
        let mut out: Vec<TableInfo> = Vec::new();
        for (schema, table, column, data_type, comment, table_comment, rows_est) in rows {
            let same = out
                .last()
                .is_some_and(|t| t.schema == schema && t.table == table);
            if !same {
                out.push(TableInfo {
                    schema,
                    table,
                    comment: table_comment,
                    estimated_rows: rows_est,
                    columns: Vec::new(),
                });
            }
            if let Some(t) = out.last_mut() {
                t.columns.push(super::ColumnInfo {
                    name: column,
                    data_type,
                    comment,
                });
            }
        }
        Ok(out)
    }

    /// Up to `limit` non-null values of one column, read without a full-table scan (see the
    /// module documentation of [`super`]). Each value is cut to [`VALUE_PREFIX`].
    pub(crate) async fn sample(
        &mut self,
        url: &DbUrl,
        table: &TableInfo,
        column: &str,
        limit: u32,
    ) -> Result<Vec<Vec<u8>>, SqlError> {
        let err = db_err(url, "sampling a column");
        match self {
            Conn::Pg(conn) => {
                let from = format!(
                    "{}.{}",
                    quote_ident(&table.schema),
                    quote_ident(&table.table)
                );
                let col = quote_ident(column);
                // `inet` prints its netmask (`10.0.0.1/32`); `host()` gives the address alone.
                let is_inet = table
                    .columns
                    .iter()
                    .any(|c| c.name == column && c.data_type == "inet");
                let text = if is_inet {
                    format!("host({col})")
                } else {
                    format!("{col}::text")
                };
                let select = format!("SELECT left({text}, {VALUE_PREFIX}) FROM {from}");
                // A savepoint keeps the transaction usable when a statement fails or hits
                // the timeout (PostgreSQL aborts the whole transaction otherwise).
                sqlx::raw_sql("SAVEPOINT xiezhi_sample")
                    .execute(&mut *conn)
                    .await
                    .map_err(&err)?;
                let mut values: Vec<Vec<u8>> = Vec::new();
                let mut failure: Option<sqlx::Error> = None;
                if table.estimated_rows > TABLESAMPLE_MIN_ROWS {
                    let percent = (f64::from(limit) * OVERSAMPLE * 100.0 / table.estimated_rows)
                        .clamp(0.0001, 100.0);
                    let q = format!(
                        "{select} TABLESAMPLE SYSTEM ({percent:.6}) WHERE {col} IS NOT NULL LIMIT {limit}"
                    );
                    match pg_text(conn, q).await {
                        Ok(v) => values = v,
                        Err(e) => failure = Some(e),
                    }
                }
                if failure.is_none() && values.len() < limit as usize {
                    // Small or unanalysed table, or a sample that came back short: the first
                    // rows, bounded by LIMIT and by the statement timeout.
                    let q = format!("{select} WHERE {col} IS NOT NULL LIMIT {limit}");
                    match pg_text(conn, q).await {
                        Ok(v) if v.len() > values.len() => values = v,
                        Ok(_) => {}
                        Err(e) => failure = Some(e),
                    }
                }
                let end = if failure.is_some() {
                    "ROLLBACK TO SAVEPOINT xiezhi_sample"
                } else {
                    "RELEASE SAVEPOINT xiezhi_sample"
                };
                sqlx::raw_sql(end).execute(&mut *conn).await.map_err(&err)?;
                match failure {
                    // What TABLESAMPLE found is kept when the LIMIT read times out.
                    Some(e) if values.is_empty() => Err(err(e)),
                    _ => Ok(values),
                }
            }
            Conn::My { conn, .. } => {
                let q = format!(
                    "SELECT LEFT(CAST({col} AS CHAR), {VALUE_PREFIX}) FROM {}.{} WHERE {col} IS NOT NULL LIMIT {limit}",
                    quote_mysql(&table.schema),
                    quote_mysql(&table.table),
                    col = quote_mysql(column)
                );
                let rows = sqlx::query(AssertSqlSafe(q))
                    .persistent(false)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(&err)?;
                rows.iter()
                    .map(|r| {
                        r.try_get_unchecked::<Option<Vec<u8>>, _>(0)
                            .map(Option::unwrap_or_default)
                    })
                    .collect::<Result<_, _>>()
                    .map_err(&err)
            }
            Conn::Lite(conn) => {
                let q = format!(
                    "SELECT substr(CAST({col} AS TEXT), 1, {VALUE_PREFIX}) FROM {}.{} WHERE {col} IS NOT NULL LIMIT {limit}",
                    quote_ident(&table.schema),
                    quote_ident(&table.table),
                    col = quote_ident(column)
                );
                let rows = sqlx::query(AssertSqlSafe(q))
                    .persistent(false)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(&err)?;
                rows.iter()
                    .map(|r| {
                        r.try_get_unchecked::<Option<Vec<u8>>, _>(0)
                            .map(Option::unwrap_or_default)
                    })
                    .collect::<Result<_, _>>()
                    .map_err(&err)
            }
        }
    }

    /// Ends the read-only transaction (rolled back: nothing was written).
    pub(crate) async fn close(self) {
        match self {
            Conn::Pg(mut c) => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut c).await;
                let _ = sqlx::Connection::close(c).await;
            }
            Conn::My { mut conn, .. } => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
                let _ = sqlx::Connection::close(conn).await;
            }
            Conn::Lite(mut c) => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut c).await;
                let _ = sqlx::Connection::close(c).await;
            }
        }
    }
}

async fn pg_text(conn: &mut PgConnection, q: String) -> Result<Vec<Vec<u8>>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(q))
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            r.try_get::<Option<String>, _>(0)
                .map(|v| v.unwrap_or_default().into_bytes())
        })
        .collect()
}

/// Writes `comments` (schema, table, column, new comment) on a separate, writable
/// PostgreSQL connection, in one transaction.
pub(crate) async fn write_pg_comments(
    url: &DbUrl,
    timeout: Duration,
    comments: &[(String, String, String, String)],
) -> Result<(), SqlError> {
    let connect_err = |e: sqlx::Error| SqlError::Connect {
        db: url.source().to_owned(),
        message: e.to_string(),
    };
    let mut conn = PgConnectOptions::from_str(url.connect_url())
        .map_err(connect_err)?
        .application_name("xiezhi-scan")
        .connect()
        .await
        .map_err(connect_err)?;
    let err = db_err(url, "writing column comments");
    let ms = timeout.as_millis().max(1);
    sqlx::raw_sql(AssertSqlSafe(format!(
        "BEGIN; SET LOCAL statement_timeout = {ms}; SET LOCAL lock_timeout = {ms}"
    )))
    .execute(&mut conn)
    .await
    .map_err(&err)?;
    for (schema, table, column, comment) in comments {
        if comment.contains('\\') {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
            return Err(SqlError::Unsupported {
                message: format!(
                    "the comment of {schema}.{table}.{column} holds a backslash; Xiezhi does not rewrite such comments"
                ),
            });
        }
        let q = format!(
            "COMMENT ON COLUMN {}.{}.{} IS {}",
            quote_ident(schema),
            quote_ident(table),
            quote_ident(column),
            quote_literal(comment)
        );
        if let Err(e) = sqlx::raw_sql(AssertSqlSafe(q)).execute(&mut conn).await {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut conn).await;
            return Err(err(e));
        }
    }
    sqlx::raw_sql("COMMIT")
        .execute(&mut conn)
        .await
        .map_err(&err)?;
    let _ = sqlx::Connection::close(conn).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("users"), "\"users\"");
        assert_eq!(
            quote_ident("a\"; DROP TABLE x; --"),
            "\"a\"\"; DROP TABLE x; --\""
        );
        assert_eq!(quote_mysql("a`b"), "`a``b`");
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_ident("身份证号"), "\"身份证号\"");
    }
}
