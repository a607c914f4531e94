//! `xiezhi serve` as a real process: two processes over one PostgreSQL schema (a switch-off
//! acknowledged by one is honoured by the other on the very next decision with `min_version`,
//! and a tag deletion reaches the other within the LISTEN/NOTIFY propagation time without it);
//! one process over SQLite (the very next decision after an acknowledged switch-off denies);
//! SIGTERM exits 0 after writing a final checkpoint that `xiezhi audit verify` accepts.
//! HTTP is spoken over `std::net::TcpStream` (HTTP/1.1, `Connection: close`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/project");

fn xiezhi(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the xiezhi binary")
}

fn stdout_ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "xiezhi failed ({:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

/// A free port: bind :0, read it, let it go.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request; returns status and JSON body (Null when not JSON).
fn http(
    port: u16,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(a) = auth {
        req.push_str(&format!("Authorization: Bearer {a}\r\n"));
    }
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str("\r\n");
    req.push_str(&body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").expect("HTTP response head");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = s.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
}

/// A running `xiezhi serve`; killed on drop if still running.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(
        data_dir: &Path,
        database: Option<&str>,
        secret: &Path,
        audit_key: Option<&Path>,
    ) -> Server {
        let port = free_port();
        std::fs::create_dir_all(data_dir).unwrap();
        let log = data_dir.join(format!("serve-{port}.log"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xiezhi"));
        cmd.arg("serve")
            .arg(PROJECT)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--user-token-secret-file")
            .arg(secret)
            .args(["--checkpoint-every", "1h"])
            .current_dir(data_dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        if let Some(db) = database {
            cmd.arg("--database").arg(db);
        }
        if let Some(k) = audit_key {
            cmd.arg("--audit-key").arg(k);
        }
        let mut server = Server {
            child: cmd.spawn().expect("spawn xiezhi serve"),
            port,
            log,
        };
        let start = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "xiezhi serve exited early ({status}):\n{}",
                    server.log_text()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok()
                && http(port, "GET", "/healthz", None, None).0 == 200
            {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "xiezhi serve did not become healthy:\n{}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until decisions are answered from the cache (the change feed is connected).
    fn wait_cache_in_use(&self) {
        let start = Instant::now();
        loop {
            let (s, body) = http(self.port, "GET", "/readyz", None, None);
            if s == 200 && body["decision_cache"] == "in_use" {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the change feed never connected: {body}\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn decide(
        &self,
        key: &str,
        subject: &str,
        checks: Value,
        min_version: Option<i64>,
    ) -> Vec<Value> {
        let mut req = json!({"subject": subject, "checks": checks});
        if let Some(v) = min_version {
            req["min_version"] = json!(v);
        }
        let (s, body) = http(self.port, "POST", "/v1/decisions", Some(key), Some(&req));
        assert_eq!(s, 200, "{body}");
        body["results"].as_array().cloned().unwrap()
    }

    /// SIGTERM, then the exit status (within 20 s).
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let kill = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(kill.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "xiezhi serve did not stop after SIGTERM:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A user-token secret shared by the processes (and `xiezhi token issue`).
fn secret_file(dir: &Path) -> PathBuf {
    let path = dir.join("user-token.secret");
    std::fs::write(
        &path,
        "9f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100\n",
    )
    .unwrap();
    path
}

fn user_token(cwd: &Path, secret: &Path, subject: &str) -> String {
    stdout_ok(&xiezhi(
        cwd,
        &[
            "token",
            "issue",
            subject,
            "--secret-file",
            secret.to_str().unwrap(),
        ],
    ))
}

fn api_key(cwd: &Path, store: &[&str]) -> String {
    let mut args = vec![
        "apikey", "create", "--name", "test", "--scope", "platform", "--scope", "admin",
    ];
    args.extend_from_slice(store);
    let key = stdout_ok(&xiezhi(cwd, &args));
    assert!(key.starts_with("xzk_"), "{key}");
    key
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn pg_exec(url: &str, sql: String) {
    use sqlx::Connection;
    runtime().block_on(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    });
}

#[test]
fn two_processes_over_postgres_agree_on_switch_off_and_tag_deletion() {
    let url = match std::env::var("XIEZHI_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            eprintln!(
                "skipped: set XIEZHI_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test to run two `xiezhi serve` processes over PostgreSQL"
            );
            return;
        }
    };
    let mut r = [0u8; 4];
    getrandom::fill(&mut r).unwrap();
    let schema = format!(
        "xz_cli_serve_{}_{}",
        std::process::id(),
        r.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    pg_exec(&url, format!("CREATE SCHEMA {schema}"));
    let sep = if url.contains('?') { '&' } else { '?' };
    let db = format!("{url}{sep}options=-csearch_path%3D{schema}");
    let tmp = tempfile::tempdir().unwrap();
    let secret = secret_file(tmp.path());
    let key = api_key(tmp.path(), &["--database", &db]);
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    // Both sign checkpoints with A's key, so `audit verify` with A's data dir trusts them all.
    let audit_key = dir_a.join("audit-signing.key");
    let a = Server::start(&dir_a, Some(&db), &secret, Some(&audit_key));
    let b = Server::start(&dir_b, Some(&db), &secret, Some(&audit_key));
    a.wait_cache_in_use();
    b.wait_cache_in_use();

    // B answers "allowed" and caches it.
    let subject = "u-cross-process";
    let r = b.decide(&key, subject, json!([{"action": "personalize"}]), None);
    assert_eq!(r[0]["reason"], "recommendation_on");
    let r = b.decide(&key, subject, json!([{"action": "personalize"}]), None);
    assert_eq!(r[0]["allow"], true);
    // Switch-off through A; the very next decision on B with A's version denies.
    let (s, off) = http(
        a.port,
        "PUT",
        &format!("/v1/subjects/{subject}/preferences"),
        Some(&key),
        Some(&json!({"recommendation": false})),
    );
    assert_eq!(s, 200, "{off}");
    let version = off["state_version"].as_i64().unwrap();
    let r = b.decide(
        &key,
        subject,
        json!([{"action": "personalize"}]),
        Some(version),
    );
    assert_eq!(r[0]["allow"], false, "{r:?}");
    assert_eq!(r[0]["reason"], "recommendation_off");

    // A tag registered on A (not personal, so the switch does not decide it), seen and cached
    // as active by B, deleted by the user on A: B must deny it without min_version.
    let (s, tag) = http(
        a.port,
        "PUT",
        &format!("/v1/subjects/{subject}/tags/segment:sports"),
        Some(&key),
        Some(&json!({"label": "L", "source": "recsys", "personal": false})),
    );
    assert_eq!(s, 200, "{tag}");
    let check = json!([{"action": "use_tag", "tag": "segment:sports"}]);
    let r = b.decide(&key, subject, check.clone(), tag["state_version"].as_i64());
    assert_eq!(r[0]["reason"], "tag_active", "{r:?}");
    let r = b.decide(&key, subject, check.clone(), None);
    assert_eq!(r[0]["reason"], "tag_active", "{r:?}");
    let token = user_token(tmp.path(), &secret, subject);
    let (s, del) = http(
        a.port,
        "DELETE",
        "/v1/me/tags/segment:sports",
        Some(&token),
        None,
    );
    assert_eq!(s, 200, "{del}");
    let acked = Instant::now();
    let mut polls = 0;
    loop {
        polls += 1;
        let r = b.decide(&key, subject, check.clone(), None);
        if r[0]["reason"] == "tag_deleted" {
            assert_eq!(r[0]["allow"], false);
            break;
        }
        assert_eq!(r[0]["reason"], "tag_active", "{r:?}");
        assert!(
            acked.elapsed() < Duration::from_secs(2),
            "process B still allows the deleted tag 2 s after A acknowledged the deletion"
        );
    }
    eprintln!(
        "cross-process propagation of a tag deletion (A acknowledged → B denies, no min_version): {:?} ({polls} decision(s) on B)",
        acked.elapsed()
    );

    assert_eq!(a.terminate().code(), Some(0));
    assert_eq!(b.terminate().code(), Some(0));
    let o = xiezhi(
        tmp.path(),
        &[
            "audit",
            "verify",
            "--database",
            &db,
            "--data-dir",
            dir_a.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&stdout_ok(&o)).unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert!(
        report["checkpoints_verified"].as_u64().unwrap() >= 1,
        "{report}"
    );
    pg_exec(&url, format!("DROP SCHEMA {schema} CASCADE"));
}

#[test]
fn sqlite_switch_off_is_honoured_by_the_very_next_decision() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let data_s = data.to_str().unwrap();
    let secret = secret_file(tmp.path());
    let key = api_key(tmp.path(), &["--data-dir", data_s]);
    let server = Server::start(&data, None, &secret, None);
    let subject = "u-sqlite";
    let token = user_token(tmp.path(), &secret, subject);
    for _ in 0..2 {
        let r = server.decide(&key, subject, json!([{"action": "personalize"}]), None);
        assert_eq!(r[0]["allow"], true);
    }
    let (s, body) = http(
        server.port,
        "PUT",
        "/v1/me/preferences",
        Some(&token),
        Some(&json!({"recommendation": false})),
    );
    assert_eq!(s, 200, "{body}");
    let r = server.decide(&key, subject, json!([{"action": "personalize"}]), None);
    assert_eq!(r[0]["allow"], false, "{r:?}");
    assert_eq!(r[0]["reason"], "recommendation_off");
    // Another user's token cannot read this user's settings: /v1/me is the token's subject.
    let other = user_token(tmp.path(), &secret, "u-other");
    let (s, me) = http(server.port, "GET", "/v1/me", Some(&other), None);
    assert_eq!(s, 200);
    assert_eq!(me["recommendation"]["on"], true, "{me}");
}

#[test]
fn sigterm_exits_zero_after_a_final_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let data_s = data.to_str().unwrap();
    let secret = secret_file(tmp.path());
    let key = api_key(tmp.path(), &["--data-dir", data_s]);
    let server = Server::start(&data, None, &secret, None);
    let (s, body) = http(
        server.port,
        "PUT",
        "/v1/subjects/u-stop/preferences",
        Some(&key),
        Some(&json!({"recommendation": false})),
    );
    assert_eq!(s, 200, "{body}");
    // No checkpoint yet (--checkpoint-every 1h).
    let o = xiezhi(
        tmp.path(),
        &["audit", "verify", "--data-dir", data_s, "--format", "json"],
    );
    let before: Value = serde_json::from_str(&stdout_ok(&o)).unwrap();
    assert_eq!(before["checkpoints_verified"], 0, "{before}");
    let log_path = server.log.clone();
    let status = server.terminate();
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );
    let o = xiezhi(
        tmp.path(),
        &["audit", "verify", "--data-dir", data_s, "--format", "json"],
    );
    let after: Value = serde_json::from_str(&stdout_ok(&o)).unwrap();
    assert_eq!(after["ok"], true, "{after}");
    assert!(
        after["checkpoints_verified"].as_u64().unwrap() >= 1,
        "{after}"
    );
    // The plain text form exits 0 too.
    let o = xiezhi(
        tmp.path(),
        &["audit", "verify", "--data-dir", data_s, "--lang", "en"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn retention_below_the_legal_minimum_is_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    // 1,094 days: one day short of 3 years (PIPL art. 56): refused, naming the minimum.
    let o = xiezhi(
        &root,
        &[
            "serve",
            "examples/project",
            "--data-dir",
            data_dir,
            "--audit-retention-days",
            "1094",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("1095") && err.contains("56"), "{err}");
    // 182 days of network logs: one day short of 6 months (CSL art. 21).
    let o = xiezhi(
        &root,
        &[
            "serve",
            "examples/project",
            "--data-dir",
            data_dir,
            "--log-retention-days",
            "182",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("183"));
}
