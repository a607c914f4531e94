//! Database URLs: recognising them on the command line and printing them without credentials.

use std::fmt;

/// The database kinds `xiezhi scan` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (`postgres://`, `postgresql://`).
    Postgres,
    /// MySQL or MariaDB (`mysql://`, `mariadb://`).
    MySql,
    /// SQLite (`sqlite://PATH`, `sqlite:PATH`).
    Sqlite,
}

impl Dialect {
    /// The scheme used in printed locations.
    pub const fn scheme(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

/// A database URL given on the command line. The full URL (which may hold a password) is kept
/// private; [`DbUrl::source`] is what findings, reports and the data map show.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    dialect: Dialect,
    full: String,
    source: String,
    database: Option<String>,
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the full URL: it may carry a password.
        f.debug_struct("DbUrl")
            .field("dialect", &self.dialect)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl DbUrl {
    /// Parses `s` if it is a database URL; `None` for anything else (a file path).
    pub fn parse(s: &str) -> Option<DbUrl> {
        let lower = s.get(..s.len().min(14)).unwrap_or("").to_ascii_lowercase();
        let (dialect, rest) = if lower.starts_with("postgresql://") {
            (Dialect::Postgres, s.get(13..)?)
        } else if lower.starts_with("postgres://") {
            (Dialect::Postgres, s.get(11..)?)
        } else if lower.starts_with("mysql://") {
            (Dialect::MySql, s.get(8..)?)
        } else if lower.starts_with("mariadb://") {
            (Dialect::MySql, s.get(10..)?)
        } else if lower.starts_with("sqlite://") {
            (Dialect::Sqlite, s.get(9..)?)
        } else if lower.starts_with("sqlite:") {
            (Dialect::Sqlite, s.get(7..)?)
        } else {
            return None;
        };
        let (source, database, full) = match dialect {
            Dialect::Sqlite => {
                let path = rest.split('?').next().unwrap_or("");
                (
                    format!("sqlite://{path}"),
                    Some(path.to_owned()),
                    format!("sqlite://{rest}"),
                )
            }
            Dialect::Postgres | Dialect::MySql => {
                let no_query = rest.split(['?', '#']).next().unwrap_or("");
                let (authority, path) = match no_query.find('/') {
                    Some(i) => (no_query.get(..i)?, no_query.get(i + 1..)?),
                    None => (no_query, ""),
                };
                // Drop `user:password@`: credentials are never printed.
                let host = match authority.rfind('@') {
                    Some(i) => authority.get(i + 1..)?,
                    None => authority,
                };
                let database = (!path.is_empty()).then(|| percent_decode(path));
                let source = match &database {
                    Some(db) => format!("{}://{host}/{db}", dialect.scheme()),
                    None => format!("{}://{host}", dialect.scheme()),
                };
                let full = match dialect {
                    Dialect::MySql => format!("mysql://{rest}"),
                    _ => format!("postgres://{rest}"),
                };
                (source, database, full)
            }
        };
        Some(DbUrl {
            dialect,
            full,
            source,
            database,
        })
    }

    /// The kind of database.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The URL without user, password and query parameters: `postgres://db.example:5432/shop`,
    /// `sqlite://data/app.db`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The database named in the URL (for SQLite, the file path).
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The URL to connect with (may hold a password: never print it).
    pub(crate) fn connect_url(&self) -> &str {
        &self.full
    }

    /// A copy pointing at another database on the same server (PostgreSQL and MySQL only;
    /// SQLite URLs are returned unchanged).
    pub fn with_database(&self, database: &str) -> DbUrl {
        if self.dialect == Dialect::Sqlite {
            return self.clone();
        }
        let scheme_len = self.full.find("://").map_or(0, |i| i + 3);
        let after = self.full.get(scheme_len..).unwrap_or("");
        let query = after
            .find(['?', '#'])
            .map_or("", |i| after.get(i..).unwrap_or(""));
        let no_query = after.get(..after.len() - query.len()).unwrap_or("");
        let authority = no_query.split('/').next().unwrap_or("");
        let full = format!(
            "{}{authority}/{database}{query}",
            self.full.get(..scheme_len).unwrap_or("")
        );
        DbUrl::parse(&full).unwrap_or_else(|| self.clone())
    }
}

/// Decodes `%xx` escapes (database names in URLs).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_schemes() {
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").map(|u| u.dialect()),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            DbUrl::parse("PostgreSQL://h/db").map(|u| u.dialect()),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            DbUrl::parse("mariadb://h/db").map(|u| u.dialect()),
            Some(Dialect::MySql)
        );
        assert_eq!(
            DbUrl::parse("sqlite:a.db").map(|u| u.dialect()),
            Some(Dialect::Sqlite)
        );
        assert_eq!(DbUrl::parse("./postgres/dump.sql"), None);
        assert_eq!(DbUrl::parse("data.csv"), None);
    }

    #[test]
    fn source_never_holds_credentials() {
        let u =
            DbUrl::parse("postgres://app:s3cr%40t@db.example:5432/shop?sslmode=require&password=x")
                .unwrap();
        assert_eq!(u.source(), "postgres://db.example:5432/shop");
        assert_eq!(u.database(), Some("shop"));
        assert!(!format!("{u:?}").contains("s3cr"));
        let u = DbUrl::parse("mysql://root:pw@127.0.0.1:3306/test").unwrap();
        assert_eq!(u.source(), "mysql://127.0.0.1:3306/test");
        let u = DbUrl::parse("mysql://root@127.0.0.1:3306").unwrap();
        assert_eq!((u.source(), u.database()), ("mysql://127.0.0.1:3306", None));
        let u = DbUrl::parse("sqlite:///tmp/a.db?mode=ro").unwrap();
        assert_eq!(u.source(), "sqlite:///tmp/a.db");
    }

    #[test]
    fn with_database_keeps_credentials_and_parameters() {
        let u = DbUrl::parse("mysql://root:pw@127.0.0.1:3306/test?ssl-mode=disabled").unwrap();
        let v = u.with_database("other");
        assert_eq!(v.source(), "mysql://127.0.0.1:3306/other");
        assert_eq!(
            v.connect_url(),
            "mysql://root:pw@127.0.0.1:3306/other?ssl-mode=disabled"
        );
    }
}
