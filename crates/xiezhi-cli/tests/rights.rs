//! `xiezhi rights` end to end on the 21-table shop schema in SQLite (the executors' PostgreSQL
//! and MariaDB runs are in crates/xiezhi-rights/tests): file → verify → approve → plan →
//! execute for an account cancellation (legal holds kept storage-only, no other row of the
//! person left, foreign keys intact, the other person untouched, closed as partly completed
//! with the holds as reasons), an access request (encrypted package + key file that opens it),
//! a transfer delivered with an ed25519 signature the receiver can check, and the audit chain.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sqlx::{Connection, Row};

const SHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../xiezhi-rights/tests/fixtures/shop"
);
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../xiezhi-rights/tests/fixtures/schema.sqlite.sql"
);
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rights_seed.sql"
);

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "xiezhi failed ({:?}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    data: String,
    db_url: String,
    db_path: PathBuf,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("shop.db");
    let db_url = format!("sqlite://{}", db_path.display());
    let mut c = sqlx::SqliteConnection::connect(&format!("{db_url}?mode=rwc"))
        .await
        .unwrap();
    for file in [SCHEMA, SEED] {
        let sql = std::fs::read_to_string(file).unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .unwrap();
    }
    c.close().await.unwrap();
    let data = dir.path().join("svc").display().to_string();
    World {
        _dir: dir,
        data,
        db_url,
        db_path,
    }
}

impl World {
    fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--data-dir", &self.data]);
        xiezhi(&all)
    }

    /// Files, verifies and approves a request; returns its id.
    fn approved(&self, subject: &str, kind: &str) -> String {
        let r: Value = serde_json::from_str(&ok(&self.run(&[
            "rights",
            "file",
            SHOP,
            "--subject",
            subject,
            "--kind",
            kind,
            "--json",
        ])))
        .unwrap();
        let id = r["id"].as_str().unwrap().to_owned();
        ok(&self.run(&["rights", "verify", &id, SHOP, "--method", "staff"]));
        ok(&self.run(&["rights", "approve", &id, SHOP]));
        id
    }

    async fn count(&self, sql: &str) -> i64 {
        let mut c = sqlx::SqliteConnection::connect(&self.db_url).await.unwrap();
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        c.close().await.unwrap();
        n
    }
}

#[tokio::test]
async fn cancellation_erases_the_person_except_legal_holds_and_closes_the_request() {
    let w = world().await;
    let db = format!("shop={}", w.db_url);
    let id = w.approved("1", "cancel_account");

    // Dry run: the plan in foreign-key order with row estimates; nothing changes.
    let plan = ok(&w.run(&[
        "rights",
        "plan",
        SHOP,
        "--kind",
        "cancel_account",
        "--subject",
        "1",
        "--db",
        &db,
        "--lang",
        "en",
    ]));
    assert!(
        plan.contains("legal hold") && plan.contains("estimated rows"),
        "{plan}"
    );
    assert!(plan.find("[order_items]").unwrap() < plan.find("[orders]").unwrap());
    assert!(plan.find("[orders]").unwrap() < plan.find("[users]").unwrap());
    assert_eq!(
        w.count("SELECT COUNT(*) FROM addresses WHERE user_id = 1")
            .await,
        1
    );

    let out = ok(&w.run(&["rights", "execute", &id, SHOP, "--db", &db, "--json"]));
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["state"], "partly_completed", "{r}");
    let reasons = r["reasons"].as_str().unwrap();
    assert!(
        reasons.contains("电子商务法第三十一条") && reasons.contains("orders"),
        "{reasons}"
    );

    // No row of person 1 outside the legal holds; person 2 untouched; foreign keys intact.
    for (sql, want) in [
        ("SELECT COUNT(*) FROM addresses WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM user_profiles WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM devices WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM login_logs WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM favorites WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM carts WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM cart_items WHERE cart_id = 1", 0),
        ("SELECT COUNT(*) FROM reviews WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM review_images WHERE review_id = 1", 0),
        ("SELECT COUNT(*) FROM messages WHERE sender_id = 1", 0),
        ("SELECT COUNT(*) FROM orders WHERE user_id = 1", 1),
        ("SELECT COUNT(*) FROM payments WHERE order_id = 1", 1),
        // The user row stays only because held orders reference it, with its PI removed.
        (
            "SELECT COUNT(*) FROM users WHERE id = 1 AND email IS NULL AND real_name IS NULL AND phone <> '13800000001'",
            1,
        ),
        (
            "SELECT COUNT(*) FROM users WHERE id = 2 AND phone = '13800000002' AND real_name = '李二'",
            1,
        ),
        ("SELECT COUNT(*) FROM addresses WHERE user_id = 2", 1),
        ("SELECT COUNT(*) FROM orders WHERE user_id = 2", 1),
        ("SELECT COUNT(*) FROM pragma_foreign_key_check", 0),
    ] {
        assert_eq!(w.count(sql).await, want, "{sql}");
    }
    let journal = w.count("SELECT COUNT(*) FROM xiezhi_rights_journal").await;
    assert!(journal >= 15, "{journal}");

    // Closed: running it again changes nothing and says why.
    let again = w.run(&["rights", "execute", &id, SHOP, "--db", &db]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("approve it first"));
    assert_eq!(
        w.count("SELECT COUNT(*) FROM xiezhi_rights_journal").await,
        journal
    );

    // The manual dataset (HDFS) became a task; every step is in a verifying audit chain.
    let shown: Value =
        serde_json::from_str(&ok(&w.run(&["rights", "show", &id, SHOP, "--json"]))).unwrap();
    assert!(
        shown["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "manual_dataset_erase")
    );
    ok(&w.run(&["audit", "verify", SHOP, "--lang", "en"]));

    // The holds end (orders of 2026-10-01, 3 years): kept through 2029-10-01, purged the day
    // after, with the rows they kept.
    let purge = |day: &str| {
        let out = ok(&w.run(&[
            "rights",
            "purge-holds",
            &id,
            SHOP,
            "--db",
            &db,
            "--today",
            day,
            "--json",
        ]));
        serde_json::from_str::<Value>(&out).unwrap()
    };
    let p0 = purge("2029-10-01");
    assert_eq!(p0["deleted"], 0, "{p0}");
    assert_eq!(
        w.count("SELECT COUNT(*) FROM orders WHERE user_id = 1")
            .await,
        1
    );
    let p1 = purge("2029-10-02");
    assert!(p1["deleted"].as_u64().unwrap() >= 3, "{p1}");
    for (sql, want) in [
        ("SELECT COUNT(*) FROM orders WHERE user_id = 1", 0),
        ("SELECT COUNT(*) FROM order_items WHERE order_id = 1", 0),
        ("SELECT COUNT(*) FROM payments WHERE order_id = 1", 0),
        ("SELECT COUNT(*) FROM orders WHERE user_id = 2", 1),
        ("SELECT COUNT(*) FROM pragma_foreign_key_check", 0),
    ] {
        assert_eq!(w.count(sql).await, want, "{sql}");
    }
    let again = purge("2029-10-02");
    assert_eq!(again["already_done_today"], true, "{again}");
    let shown: Value =
        serde_json::from_str(&ok(&w.run(&["rights", "show", &id, SHOP, "--json"]))).unwrap();
    assert!(
        shown.to_string().contains("hold_purged"),
        "the purge is a step of the request: {shown}"
    );
    ok(&w.run(&["audit", "verify", SHOP, "--lang", "en"]));
    // Only closed erasures have holds to purge.
    let other = w.approved("2", "access");
    let o = w.run(&["rights", "purge-holds", &other, SHOP, "--db", &db]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("only completed or partly completed"));
    let _ = &w.db_path;
}

#[tokio::test]
async fn access_produces_an_encrypted_package_and_a_key_file() {
    let w = world().await;
    let db = format!("shop={}", w.db_url);
    let id = w.approved("2", "copy");
    let no_key = w.run(&["rights", "execute", &id, SHOP, "--db", &db]);
    assert!(!no_key.status.success());
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("--key-out"));
    let key_file = Path::new(&w.data).join("../copy.key");
    let key_arg = key_file.display().to_string();
    let r: Value = serde_json::from_str(&ok(&w.run(&[
        "rights",
        "execute",
        &id,
        SHOP,
        "--db",
        &db,
        "--key-out",
        &key_arg,
        "--json",
    ])))
    .unwrap();
    assert_eq!(r["state"], "completed", "{r}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key_hex = std::fs::read_to_string(&key_file).unwrap();
    let key: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&key_hex.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let package = std::fs::read(Path::new(&w.data).join(format!("exports/{id}.xzpkg"))).unwrap();
    // The file holds no plaintext of the person's data.
    assert!(!package.windows(11).any(|w| w == b"13800000002"));
    let tar = xiezhi_rights::exec::decrypt_package(&package, &key).unwrap();
    let files = xiezhi_rights::exec::read_tar(&tar).unwrap();
    let all: String = files
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("13800000002") && all.contains("上海市2号"));
    assert!(!all.contains("13800000001"), "only person 2's rows");
    let mut wrong = key.clone();
    wrong[0] ^= 1;
    assert!(xiezhi_rights::exec::decrypt_package(&package, &wrong).is_err());
}

#[tokio::test]
async fn a_transfer_is_delivered_with_a_signature_the_receiver_can_check() {
    let w = world().await;
    let db = format!("shop={}", w.db_url);
    // The receiving processor: one HTTP request, answered 200.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let receiver = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(s.try_clone().unwrap());
        let mut headers = Vec::new();
        let mut len = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
            headers.push(line);
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        (headers, body)
    });
    let id = w.approved("2", "transfer");
    let to = format!("其他平台=http://127.0.0.1:{port}/import");
    let out = w.run(&[
        "rights", "execute", &id, SHOP, "--db", &db, "--to", &to, "--json",
    ]);
    // Fail here, not in join(), if the command did not deliver.
    let r: Value = serde_json::from_str(&ok(&out)).unwrap();
    let (headers, body) = receiver.join().unwrap();
    assert_eq!(r["state"], "completed", "{r}");
    let sig_line = headers
        .iter()
        .find(|h| h.to_ascii_lowercase().starts_with("x-xiezhi-signature:"))
        .unwrap();
    let sig = sig_line.split("sig=").nth(1).unwrap().trim();
    assert!(
        headers
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with("idempotency-key:"))
    );
    let key =
        xiezhi_audit::SigningKey::load(&Path::new(&w.data).join("audit-signing.key")).unwrap();
    assert!(
        key.verifying_key()
            .verifies_detached("xiezhi-transfer-v1", &body, sig)
    );
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert!(doc.to_string().contains("13800000002"));
    assert!(!doc.to_string().contains("13800000001"));
}
