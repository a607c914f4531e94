//! `xiezhi scan sqlite://…` end to end: findings in every format without samples or
//! credentials, `--suggest` round trips through `xiezhi map check` and keeps confirmed labels,
//! `--labels-json`, and the errors of `--write-comments` on SQLite. (PostgreSQL and MariaDB are
//! covered by the xiezhi-scan tests against real servers.) Values are synthetic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};
use std::str::FromStr;

use serde_json::Value;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection};

fn xiezhi(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// Check digit of an ID body (GB 11643).
fn with_check(body: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn make_db(path: &Path) {
    let mut stmts = vec![
        "CREATE TABLE users (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, sjhm TEXT, email_verified INTEGER, academic_year_code TEXT)".to_owned(),
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), order_no TEXT, amount REAL)".to_owned(),
    ];
    let names = ["张伟", "王芳", "李娜", "刘强", "陈静"];
    for i in 0..60u32 {
        let id = with_check(&format!(
            "1101051985{:02}{:02}{:03}",
            1 + i % 12,
            1 + i % 28,
            i
        ));
        stmts.push(format!(
            "INSERT INTO users VALUES ({i}, '{}', '{id}', '139{:08}', {}, '{}-{}')",
            names[(i % 5) as usize],
            i * 7919,
            i % 2,
            2020 + i % 5,
            2021 + i % 5
        ));
        stmts.push(format!(
            "INSERT INTO orders VALUES ({i}, {i}, '2026{:010}', {i}.5)",
            i * 31
        ));
    }
    let url = format!("sqlite://{}", path.display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let mut c = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                .unwrap()
                .create_if_missing(true)
                .connect()
                .await
                .unwrap();
            for s in stmts {
                sqlx::raw_sql(AssertSqlSafe(s))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            c.close().await.unwrap();
        });
}

#[test]
fn sqlite_scan_formats_suggest_and_labels() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("app.db");
    make_db(&db);
    let url = format!("sqlite://{}", db.display());

    let o = xiezhi(root, &["scan", &url, "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut found: Vec<(String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["kind"], "column");
            assert_eq!(f["source"], url.as_str());
            (
                f["table"].as_str().unwrap().to_owned(),
                f["column"].as_str().unwrap().to_owned(),
                f["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("main.users".into(), "sfzh".into(), "cn_resident_id".into()),
            ("main.users".into(), "sjhm".into(), "cn_mobile".into()),
            ("main.users".into(), "xm".into(), "person_name".into()),
        ]
    );
    // No sampled value in any format.
    for format in ["json", "ndjson", "csv", "sarif", "table"] {
        let o = xiezhi(root, &["scan", &url, "--format", format]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            !out.contains("13900007919") && !out.contains("张伟"),
            "{format}: {out}"
        );
    }
    // The table shows masked examples.
    let o = xiezhi(root, &["scan", &url, "--lang", "en"]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("example (masked)") && table.contains("139****"),
        "{table}"
    );
    // --fail-on never: exit 0; nothing found: exit 0.
    assert_eq!(
        code(&xiezhi(root, &["scan", &url, "--fail-on", "never"])),
        0
    );
    assert_eq!(
        code(&xiezhi(root, &["scan", &url, "--include", "main.orders"])),
        0
    );

    // --suggest into an initialised project; `map check` loads it.
    assert_eq!(code(&xiezhi(root, &["init"])), 0);
    let o = xiezhi(
        root,
        &[
            "scan",
            &url,
            "--suggest",
            "datamap/suggested.yaml",
            "--labels-json",
            "labels.json",
        ],
    );
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(root.join("datamap/suggested.yaml")).unwrap();
    assert!(
        text.contains("name: \"sfzh\", pi_type: cn_resident_id, sensitive: true, label: suggested"),
        "{text}"
    );
    let o = xiezhi(root, &["map", "check", "."]);
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("labels.json")).unwrap()).unwrap();
    assert_eq!(labels["labels"].as_array().unwrap().len(), 3);

    // A person confirms `xm` as not PI (no pi_type) in their own file: never overwritten, and
    // the JSON export says so.
    let loc = format!("{url}/main.users");
    std::fs::write(
        root.join("datamap/reviewed.yaml"),
        format!(
            "datasets:\n  - id: app-users\n    name: users\n    system: shop-app\n    storage: {{ location: \"{loc}\", region: CN }}\n    fields:\n      - {{ name: xm }}\n"
        ),
    )
    .unwrap();
    let o = xiezhi(
        root,
        &[
            "scan",
            &url,
            "--suggest",
            "datamap/suggested.yaml",
            "--labels-json",
            "labels.json",
        ],
    );
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(root.join("datamap/suggested.yaml")).unwrap();
    assert!(!text.contains("\"xm\""), "{text}");
    assert!(text.contains("\"sjhm\""), "{text}");
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("labels.json")).unwrap()).unwrap();
    let xm = labels["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["column"] == "xm")
        .unwrap();
    assert_eq!(
        (xm["label"].as_str(), xm["type"].is_null()),
        (Some("confirmed"), true)
    );
    assert_eq!(code(&xiezhi(root, &["map", "check", "."])), 0);
}

#[test]
fn database_only_options_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("app.db");
    make_db(&db);
    let url = format!("sqlite://{}", db.display());

    let o = xiezhi(root, &["scan", &url, "--write-comments", "--lang", "en"]);
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("SQLite has no column comments"), "{err}");

    let o = xiezhi(root, &["scan", ".", "--suggest", "s.yaml", "--lang", "en"]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("are for database scans"));

    let o = xiezhi(root, &["scan", &url, "--show-values", "--lang", "en"]);
    assert_eq!(code(&o), 2);

    let o = xiezhi(
        root,
        &["scan", "sqlite:///nonexistent/dir/x.db", "--lang", "en"],
    );
    assert_eq!(code(&o), 2);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("cannot connect to sqlite:///nonexistent/dir/x.db")
    );

    let o = xiezhi(
        root,
        &[
            "scan",
            "postgres://u:Secret99@127.0.0.1:1/db",
            "--lang",
            "en",
            "--statement-timeout",
            "2s",
        ],
    );
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot connect to postgres://127.0.0.1:1/db") && !err.contains("Secret99"),
        "{err}"
    );

    let o = xiezhi(root, &["scan", &url, "--sample", "0"]);
    assert_eq!(code(&o), 2);
    let o = xiezhi(root, &["scan", &url, "--statement-timeout", "soon"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn postgres_write_comments_warns_and_writes() {
    let base = match std::env::var("XIEZHI_TEST_POSTGRES") {
        Ok(v) if !v.trim().is_empty() => v,
        _ => {
            eprintln!(
                "SKIPPED: XIEZHI_TEST_POSTGRES is not set; set it to a connection string (as .ci/run does) to run this database test"
            );
            return;
        }
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!("xiezhi_cli_{}_{nanos}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let run = |sql: String| -> Vec<Option<String>> {
        rt.block_on(async {
            let mut c = sqlx::postgres::PgConnectOptions::from_str(&base)
                .unwrap()
                .connect()
                .await
                .unwrap();
            let rows: Vec<Option<String>> = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_all(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
            rows
        })
    };
    run(format!("CREATE SCHEMA \"{schema}\""));
    run(format!(
        "CREATE TABLE \"{schema}\".users (id int, sjhm text, note text)"
    ));
    run(format!(
        "INSERT INTO \"{schema}\".users SELECT g, '1390000' || lpad(g::text, 4, '0'), 'ok' FROM generate_series(1, 40) g"
    ));
    run(format!(
        "COMMENT ON COLUMN \"{schema}\".users.sjhm IS '手机号码'"
    ));
    let dir = tempfile::tempdir().unwrap();
    let include = format!("{schema}.*");
    let o = xiezhi(
        dir.path(),
        &[
            "scan",
            &base,
            "--include",
            &include,
            "--write-comments",
            "--lang",
            "en",
        ],
    );
    let comment = run(format!(
        "SELECT col_description('\"{schema}\".users'::regclass, 2)"
    ));
    run(format!("DROP SCHEMA \"{schema}\" CASCADE"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 1, "{err}");
    assert!(
        err.contains("warning: --write-comments changes the database"),
        "{err}"
    );
    assert!(err.contains("1 column comments written"), "{err}");
    assert_eq!(
        comment,
        vec![Some("手机号码 [xiezhi: cn_mobile]".to_owned())]
    );
}
