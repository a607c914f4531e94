//! Discovery in live databases against real servers: SQLite always; PostgreSQL and MariaDB/MySQL
//! when `XIEZHI_TEST_POSTGRES` / `XIEZHI_TEST_MYSQL` hold connection strings (`.ci/run` sets
//! them). Each run creates its own schema (PostgreSQL) or database (MySQL) and drops it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/sql_fixture.rs"]
mod sql_fixture;

use std::str::FromStr;

use sqlx::{AssertSqlSafe, ConnectOptions, Connection};
use xiezhi_model::{Finding, PiType};
use xiezhi_scan::CollectingSink;
use xiezhi_scan::sql::{DbUrl, SqlScanOptions, scan_database, write_comments};

use sql_fixture::{Flavor, expected, run_name, statements};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `stmts` one by one on a fresh connection to `url`.
fn exec(url: &str, stmts: &[String]) {
    rt().block_on(async {
        match DbUrl::parse(url).unwrap().dialect() {
            xiezhi_scan::sql::Dialect::Postgres => {
                let mut c = sqlx::postgres::PgConnectOptions::from_str(url)
                    .unwrap()
                    .connect()
                    .await
                    .unwrap();
                for s in stmts {
                    sqlx::raw_sql(AssertSqlSafe(s.clone()))
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{e}: {s}"));
                }
                c.close().await.unwrap();
            }
            xiezhi_scan::sql::Dialect::MySql => {
                let mut c = sqlx::mysql::MySqlConnectOptions::from_str(url)
                    .unwrap()
                    .connect()
                    .await
                    .unwrap();
                for s in stmts {
                    sqlx::raw_sql(AssertSqlSafe(s.clone()))
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{e}: {s}"));
                }
                c.close().await.unwrap();
            }
            xiezhi_scan::sql::Dialect::Sqlite => {
                let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .unwrap()
                    .create_if_missing(true)
                    .connect()
                    .await
                    .unwrap();
                for s in stmts {
                    sqlx::raw_sql(AssertSqlSafe(s.clone()))
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{e}: {s}"));
                }
                c.close().await.unwrap();
            }
        }
    });
}

/// (table without schema, column, type) of the column findings, sorted.
fn found(sink: &CollectingSink) -> Vec<(String, String, PiType)> {
    let mut v: Vec<_> = sink
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::Column(c) => {
                let table = c.table.clone().unwrap_or_default();
                let table = table.rsplit('.').next().unwrap_or("").to_owned();
                Some((table, c.column.clone(), c.pi_type))
            }
            Finding::Match(_) => None,
        })
        .collect();
    v.sort();
    v
}

fn env_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Some(v),
        _ => {
            eprintln!(
                "SKIPPED: {var} is not set; set it to a connection string (as .ci/run does) to run this database test"
            );
            None
        }
    }
}

/// Scans with the default options limited to `include`, checks the exact expected set.
fn check_fixture(url: &DbUrl, include: &str) -> CollectingSink {
    let options = SqlScanOptions {
        include: vec![include.to_owned()],
        ..SqlScanOptions::default()
    };
    let mut sink = CollectingSink::default();
    let scan = scan_database(url, &options, &mut sink).unwrap();
    assert_eq!(scan.tables.len(), 22, "tables seen");
    assert!(sink.warnings.is_empty(), "{:?}", sink.warnings);
    let got = found(&sink);
    let want = expected();
    let missing: Vec<_> = want.iter().filter(|x| !got.contains(x)).collect();
    let extra: Vec<_> = got.iter().filter(|x| !want.contains(x)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing PI columns: {missing:?}\nwrongly tagged: {extra:?}"
    );
    for f in &sink.findings {
        let Finding::Column(c) = f else {
            panic!("database scans report columns only")
        };
        assert_eq!(c.source.as_deref(), Some(url.source()));
        assert!(c.sampled >= 1 && c.sampled <= 100, "{}", c.sampled);
        assert!(c.path.is_none());
    }
    assert_eq!(scan.labels.len(), want.len());
    for l in &scan.labels {
        let m = l.masked_example.as_deref().unwrap_or("");
        assert!(
            m.contains('*'),
            "{}.{}: example not masked",
            l.table,
            l.column
        );
    }
    assert_eq!(scan.summary.column_findings, want.len() as u64);
    sink
}

#[test]
fn sqlite_fixture_exact_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.db");
    let url = format!("sqlite://{}", path.display());
    exec(&url, &statements(Flavor::Sqlite, ""));
    let db = DbUrl::parse(&url).unwrap();
    check_fixture(&db, "main.*");

    // The sample size bounds what is read per column.
    let mut sink = CollectingSink::default();
    let options = SqlScanOptions {
        sample: 10,
        include: vec!["main.students".into()],
        ..SqlScanOptions::default()
    };
    let scan = scan_database(&db, &options, &mut sink).unwrap();
    assert_eq!(scan.tables.len(), 1);
    for f in &sink.findings {
        if let Finding::Column(c) = f {
            assert_eq!(c.sampled, 10, "{}", c.column);
        }
    }

    // --exclude wins over --include.
    let mut sink = CollectingSink::default();
    let options = SqlScanOptions {
        include: vec!["main.*".into()],
        exclude: vec!["main.s*".into(), "main.[a-d]*".into()],
        ..SqlScanOptions::default()
    };
    let scan = scan_database(&db, &options, &mut sink).unwrap();
    let names: Vec<&str> = scan.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(
        names,
        [
            "employees",
            "enrollments",
            "exam_sessions",
            "guardians",
            "login_logs",
            "mobile_orders",
            "order_items",
            "orders",
            "payments",
            "products",
            "teachers"
        ]
    );

    // The file is opened read-only and SQLite has no column comments.
    let err = write_comments(
        &db,
        &[(
            "main".into(),
            "students".into(),
            "sfzh".into(),
            None,
            PiType::CnResidentId,
        )],
        std::time::Duration::from_secs(5),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("SQLite has no column comments"),
        "{err}"
    );
}

#[test]
fn sqlite_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("absent.db").display());
    let db = DbUrl::parse(&url).unwrap();
    let err = scan_database(
        &db,
        &SqlScanOptions::default(),
        &mut CollectingSink::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("cannot connect to sqlite://"),
        "{err}"
    );
    assert!(
        !dir.path().join("absent.db").exists(),
        "the scan must not create the file"
    );
}

#[test]
fn postgres_fixture_exact_columns_and_comments() {
    let Some(base) = env_url("XIEZHI_TEST_POSTGRES") else {
        return;
    };
    let schema = run_name("pg");
    let mut stmts = vec![format!("CREATE SCHEMA \"{schema}\"")];
    stmts.extend(statements(Flavor::Postgres, &schema));
    exec(&base, &stmts);
    let db = DbUrl::parse(&base).unwrap();
    let result = std::panic::catch_unwind(|| {
        let sink = check_fixture(&db, &format!("{schema}.*"));
        // Comments were read (the pinyin column `xm` carries one).
        let options = SqlScanOptions {
            include: vec![format!("{schema}.students")],
            ..SqlScanOptions::default()
        };
        let scan = scan_database(&db, &options, &mut CollectingSink::default()).unwrap();
        let students = &scan.tables[0];
        assert_eq!(students.comment.as_deref(), Some("学生信息表"));
        let xm = students.columns.iter().find(|c| c.name == "xm").unwrap();
        assert_eq!(xm.comment.as_deref(), Some("学生姓名"));
        drop(sink);

        // Labels written back as comments keep the human text.
        let n = write_comments(
            &db,
            &[
                (
                    schema.clone(),
                    "students".into(),
                    "xm".into(),
                    Some("学生姓名".into()),
                    PiType::PersonName,
                ),
                (
                    schema.clone(),
                    "students".into(),
                    "sfzh".into(),
                    None,
                    PiType::CnResidentId,
                ),
            ],
            std::time::Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(n, 2);
        let scan = scan_database(&db, &options, &mut CollectingSink::default()).unwrap();
        let comment = |name: &str| {
            scan.tables[0]
                .columns
                .iter()
                .find(|c| c.name == name)
                .and_then(|c| c.comment.clone())
        };
        assert_eq!(
            comment("xm").as_deref(),
            Some("学生姓名 [xiezhi: person_name]")
        );
        assert_eq!(comment("sfzh").as_deref(), Some("[xiezhi: cn_resident_id]"));
    });
    exec(&base, &[format!("DROP SCHEMA \"{schema}\" CASCADE")]);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn postgres_large_table_is_sampled_not_scanned() {
    let Some(base) = env_url("XIEZHI_TEST_POSTGRES") else {
        return;
    };
    let schema = run_name("pgbig");
    exec(
        &base,
        &[
            format!("CREATE SCHEMA \"{schema}\""),
            format!(
                "CREATE TABLE \"{schema}\".big AS SELECT g AS id, \
                 '1' || (3900000000 + g)::text AS sjhm, \
                 CASE WHEN g % 1000 = 0 THEN 'x' END AS mostly_null \
                 FROM generate_series(1, 200000) g"
            ),
            format!("ANALYZE \"{schema}\".big"),
        ],
    );
    let db = DbUrl::parse(&base).unwrap();
    let result = std::panic::catch_unwind(|| {
        let options = SqlScanOptions {
            include: vec![format!("{schema}.*")],
            ..SqlScanOptions::default()
        };
        let mut sink = CollectingSink::default();
        let scan = scan_database(&db, &options, &mut sink).unwrap();
        assert!(scan.tables[0].estimated_rows > 100_000.0);
        assert_eq!(
            found(&sink),
            vec![("big".to_owned(), "sjhm".to_owned(), PiType::CnMobile)]
        );
        let Finding::Column(c) = &sink.findings[0] else {
            panic!()
        };
        assert_eq!(c.sampled, 100);
    });
    exec(&base, &[format!("DROP SCHEMA \"{schema}\" CASCADE")]);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn mysql_fixture_exact_columns() {
    let Some(base) = env_url("XIEZHI_TEST_MYSQL") else {
        return;
    };
    let name = run_name("my");
    let mut stmts = vec![format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4")];
    stmts.extend(statements(Flavor::MySql, &name));
    exec(&base, &stmts);
    let db = DbUrl::parse(&base).unwrap().with_database(&name);
    let result = std::panic::catch_unwind(|| {
        check_fixture(&db, "*");
        let options = SqlScanOptions::default();
        let scan = scan_database(&db, &options, &mut CollectingSink::default()).unwrap();
        let students = scan.tables.iter().find(|t| t.table == "students").unwrap();
        assert_eq!(students.comment.as_deref(), Some("学生信息表"));
        assert_eq!(
            students
                .columns
                .iter()
                .find(|c| c.name == "xm")
                .and_then(|c| c.comment.as_deref()),
            Some("学生姓名")
        );
        let err = write_comments(
            &db,
            &[(
                name.clone(),
                "students".into(),
                "sfzh".into(),
                None,
                PiType::CnResidentId,
            )],
            std::time::Duration::from_secs(5),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not supported for MySQL"), "{err}");
    });
    exec(&base, &[format!("DROP DATABASE `{name}`")]);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn wrong_password_error_does_not_print_it() {
    let Some(base) = env_url("XIEZHI_TEST_MYSQL") else {
        return;
    };
    let with_pw = base.replacen("://root@", "://root:WrongSecret42@", 1);
    let db = DbUrl::parse(&with_pw).unwrap();
    let err = scan_database(
        &db,
        &SqlScanOptions::default(),
        &mut CollectingSink::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("cannot connect to mysql://"), "{text}");
    assert!(!text.contains("WrongSecret42"), "{text}");
}

#[test]
fn postgres_locked_table_warns_and_the_scan_goes_on() {
    let Some(base) = env_url("XIEZHI_TEST_POSTGRES") else {
        return;
    };
    let schema = run_name("pglock");
    exec(
        &base,
        &[
            format!("CREATE SCHEMA \"{schema}\""),
            format!("CREATE TABLE \"{schema}\".a_locked (id int, sjhm text)"),
            format!(
                "INSERT INTO \"{schema}\".a_locked SELECT g, '1390000' || lpad(g::text, 4, '0') FROM generate_series(1, 50) g"
            ),
            format!("CREATE TABLE \"{schema}\".b_free (id int, sjhm text)"),
            format!(
                "INSERT INTO \"{schema}\".b_free SELECT g, '1390000' || lpad(g::text, 4, '0') FROM generate_series(1, 50) g"
            ),
        ],
    );
    // Another session holds an exclusive lock on a_locked for the whole scan.
    let (locked_tx, locked_rx) = std::sync::mpsc::channel::<()>();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let lock_url = base.clone();
    let lock_sql = format!("BEGIN; LOCK TABLE \"{schema}\".a_locked IN ACCESS EXCLUSIVE MODE");
    let holder = std::thread::spawn(move || {
        rt().block_on(async {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&lock_url)
                .unwrap()
                .connect()
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(lock_sql))
                .execute(&mut c)
                .await
                .unwrap();
            locked_tx.send(()).unwrap();
            let _ = done_rx.recv();
            sqlx::raw_sql("ROLLBACK").execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        });
    });
    locked_rx.recv().unwrap();
    let db = DbUrl::parse(&base).unwrap();
    let options = SqlScanOptions {
        include: vec![format!("{schema}.*")],
        statement_timeout: std::time::Duration::from_millis(300),
        ..SqlScanOptions::default()
    };
    let mut sink = CollectingSink::default();
    let result = scan_database(&db, &options, &mut sink);
    done_tx.send(()).unwrap();
    holder.join().unwrap();
    exec(&base, &[format!("DROP SCHEMA \"{schema}\" CASCADE")]);
    let scan = result.unwrap();
    assert_eq!(scan.tables.len(), 2);
    // Both columns of the locked table: a warning each, no password, the scan went on.
    assert_eq!(sink.warnings.len(), 2, "{:?}", sink.warnings);
    for w in &sink.warnings {
        assert!(w.path.contains(".a_locked."), "{}", w.path);
        assert!(w.message.contains("column not sampled"), "{}", w.message);
    }
    assert_eq!(
        found(&sink),
        vec![("b_free".to_owned(), "sjhm".to_owned(), PiType::CnMobile)]
    );
}

#[test]
fn postgres_typed_columns_are_read_as_text() {
    let Some(base) = env_url("XIEZHI_TEST_POSTGRES") else {
        return;
    };
    let schema = run_name("pgtypes");
    exec(
        &base,
        &[
            format!("CREATE SCHEMA \"{schema}\""),
            format!(
                "CREATE TABLE \"{schema}\".\"Typed Table\" (uid uuid, payload jsonb, blob bytea, \
                 ts timestamptz, tags text[], \"Login IP\" inet, price numeric(10,2), ok boolean)"
            ),
            format!(
                "INSERT INTO \"{schema}\".\"Typed Table\" SELECT \
                 md5(g::text)::uuid, jsonb_build_object('n', g), decode(md5(g::text), 'hex'), \
                 now(), ARRAY['a', 'b'], ('10.' || (g % 200) || '.' || (g % 250) || '.' || (1 + g % 250))::inet, \
                 g / 3.0, g % 2 = 0 FROM generate_series(1, 80) g"
            ),
        ],
    );
    let db = DbUrl::parse(&base).unwrap();
    let options = SqlScanOptions {
        include: vec![format!("{schema}.*")],
        ..SqlScanOptions::default()
    };
    let mut sink = CollectingSink::default();
    let result = scan_database(&db, &options, &mut sink);
    exec(&base, &[format!("DROP SCHEMA \"{schema}\" CASCADE")]);
    let scan = result.unwrap();
    assert_eq!(scan.tables[0].columns.len(), 8);
    assert!(sink.warnings.is_empty(), "{:?}", sink.warnings);
    assert_eq!(
        found(&sink),
        vec![(
            "Typed Table".to_owned(),
            "Login IP".to_owned(),
            PiType::Ipv4
        )]
    );
}

#[test]
fn mysql_typed_columns_are_read_as_text() {
    let Some(base) = env_url("XIEZHI_TEST_MYSQL") else {
        return;
    };
    let name = run_name("mytypes");
    let mut values = Vec::new();
    for g in 1..=80 {
        values.push(format!(
            "(UNHEX(MD5('{g}')), '{{\"n\": {g}}}', NOW(), 'b', {g}.5, '10.0.{}.{}')",
            g % 200,
            1 + g % 250
        ));
    }
    exec(
        &base,
        &[
            format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"),
            format!(
                "CREATE TABLE `{name}`.`odd``name` (bin BLOB, doc JSON, ts DATETIME, \
                 kind ENUM('a','b'), price DECIMAL(10,2), last_ip VARCHAR(15) COMMENT 'IP地址')"
            ),
            format!(
                "INSERT INTO `{name}`.`odd``name` VALUES {}",
                values.join(", ")
            ),
        ],
    );
    let db = DbUrl::parse(&base).unwrap().with_database(&name);
    let mut sink = CollectingSink::default();
    let result = scan_database(&db, &SqlScanOptions::default(), &mut sink);
    exec(&base, &[format!("DROP DATABASE `{name}`")]);
    let scan = result.unwrap();
    assert_eq!(scan.tables.len(), 1);
    assert_eq!(scan.tables[0].table, "odd`name");
    assert!(sink.warnings.is_empty(), "{:?}", sink.warnings);
    assert_eq!(
        found(&sink),
        vec![("odd`name".to_owned(), "last_ip".to_owned(), PiType::Ipv4)]
    );
}
