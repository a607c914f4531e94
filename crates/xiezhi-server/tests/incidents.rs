//! The incident register over the admin API (SQLite, and PostgreSQL with
//! `XIEZHI_TEST_POSTGRES`): open with the data-map estimate, clocks at the server's now,
//! re-grading, reports ("report first, supplement later"), notices (e-mail through a real SMTP
//! server when Python aiosmtpd is installed), exemption, close, the admin page and the audit
//! chain.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use xiezhi_incident::Timestamp;

const PROFILE: &str = "organisation:\n  name: 示例商城\nscale:\n  pi_subjects: 2000000\n";
const MAP: &str = r#"
systems:
  - id: shop
    name: 商城
datasets:
  - id: users
    name: 用户表
    system: shop
    storage: {location: "mysql://shop/users", region: cn-north}
    subjects: [users]
    subject_count: 999999
    fields:
      - {name: phone, pi_type: cn_mobile}
"#;

fn data_map() -> xiezhi_map::Project {
    xiezhi_map::load_texts(PROFILE, &[("datamap/m.yaml", MAP)]).unwrap()
}

fn draft() -> Value {
    json!({
        "organisation": "示例商城",
        "sms_signature": "示例商城",
        "what_happened": "我们发现用户表遭未授权访问，部分用户的手机号码可能已泄露。",
        "cause": "访问控制配置错误。",
        "possible_harm": "您可能收到诈骗电话。",
        "remedies_taken": "已修复配置并报告网信部门。",
        "what_you_can_do": "请警惕自称客服的来电。",
        "contact": "客服热线 400-000-0000",
        "full_notice_url": "https://shop.example/notice/1"
    })
}

fn an_hour_ago() -> String {
    Timestamp(xiezhi_decide::time::now_millis() - 3_600_000).to_rfc3339()
}

fn clock<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clock {id}: {summary:#}"))
}

async fn call(h: &Harness, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    h.call(method, path, Some(&h.admin_key), body).await
}

async fn lifecycle(h: &Harness, with_map: bool) {
    // Admin key required.
    let (s, _) = h.call("GET", "/v1/admin/incidents", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = h
        .call("GET", "/v1/admin/incidents", Some(&h.platform_key), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Open from the data map: 999,999 people, one below the threshold → general.
    // (Without a data map the same numbers are given directly.)
    let body = if with_map {
        json!({
            "id": "INC-API-1", "kind": "data_leak", "title": "用户表泄露",
            "discovered_at": an_hour_ago(), "systems": ["shop"],
            "fields": {"contact": "安全部 010-0000"}
        })
    } else {
        json!({
            "id": "INC-API-1", "kind": "data_leak", "title": "用户表泄露",
            "discovered_at": an_hour_ago(), "people": 999_999,
            "fields": {"contact": "安全部 010-0000", "reporting_unit": "示例商城",
                       "pi_types": ["cn_mobile"], "affected_systems": ["商城 (shop)"]}
        })
    };
    let (s, d) = call(h, "POST", "/v1/admin/incidents", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["summary"]["level"], "general");
    assert_eq!(d["summary"]["people"], 999_999);
    assert_eq!(d["view"]["incident"]["pi"]["estimated"], with_map);
    assert_eq!(d["view"]["incident"]["reporting_unit"], "示例商城");
    assert_eq!(
        d["view"]["incident"]["affected_systems"],
        json!(["商城 (shop)"])
    );
    assert_eq!(d["events"][0]["kind"], "opened");
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents",
        Some(json!({"id": "INC-API-1", "kind": "data_leak", "title": "x", "discovered_at": an_hour_ago()})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "incident_exists");
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents",
        Some(json!({"kind": "data_leak", "title": "x", "discovered_at": an_hour_ago(), "datasets": ["nope"]})),
    )
    .await;
    if with_map {
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    } else {
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{e}");
        assert_eq!(e["error"]["code"], "no_data_map");
    }
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents",
        Some(json!({"kind": "leak", "title": "x", "discovered_at": an_hour_ago()})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // One more person: relatively large, the 4-hour clock has about 3 hours left.
    let (s, d) = call(
        h,
        "PATCH",
        "/v1/admin/incidents/INC-API-1",
        Some(json!({"people": 1_000_000})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["summary"]["level"], "relatively_large");
    let initial = clock(&d["summary"], "initial-report");
    assert_eq!(initial["status"], "running");
    let left = initial["time_left_ms"].as_i64().unwrap();
    assert!(
        (3 * 3_600_000 - 60_000..=3 * 3_600_000).contains(&left),
        "{left}"
    );
    let ev = d["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(ev["kind"], "updated");
    assert_eq!(ev["data"]["level_before"], "general");
    assert_eq!(ev["data"]["level_after"], "relatively_large");
    let (s, e) = call(
        h,
        "PATCH",
        "/v1/admin/incidents/INC-API-1",
        Some(json!({"peple": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // The list at the server's now.
    let (s, l) = call(h, "GET", "/v1/admin/incidents", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l.as_array().unwrap().len(), 1);
    assert_eq!(l[0]["id"], "INC-API-1");

    // Initial report: items 1–2 first (location missing) → 422; then filed with the rest
    // listed as missing.
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/reports",
        Some(json!({"kind": "initial"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("location"));
    call(
        h,
        "PATCH",
        "/v1/admin/incidents/INC-API-1",
        Some(json!({"location": "北京机房"})),
    )
    .await;
    let (s, r) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/reports",
        Some(json!({"kind": "initial", "lang": "en", "format": "text"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["filed"], true);
    assert_eq!(r["clocks_done"], json!(["initial-report"]));
    assert!(r["text"].as_str().unwrap().contains("1,000,000"));
    assert!(
        r["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("preliminary cause analysis"))
    );
    let (_, d) = call(h, "GET", "/v1/admin/incidents/INC-API-1", None).await;
    assert_eq!(clock(&d["summary"], "initial-report")["status"], "done");
    assert_eq!(
        clock(&d["summary"], "supplementary-report")["status"],
        "asap"
    );

    // In-app notice, delivered by the platform to 1,000,000 accounts.
    let (s, n) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/notices",
        Some(json!({"channel": "in_app", "draft": draft(), "delivered": 1_000_000})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert!(n["body"].as_str().unwrap().contains("手机号码"));
    assert_eq!(n["notify_affected_done"], true);
    let (s, n) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/notices",
        Some(json!({"channel": "sms", "draft": draft()})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["sms_segments"], 1);
    let mut bad = draft();
    bad["cause"] = json!(" ");
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/notices",
        Some(json!({"channel": "announcement", "draft": bad})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // Exemption: reasons required.
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/exemption",
        Some(json!({"reasons": []})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "reasons_required");
    let (s, _) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/exemption",
        Some(json!({"reasons": ["数据已加密，密钥未泄露"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // Close: the summary report is due once handling ended.
    call(
        h,
        "PATCH",
        "/v1/admin/incidents/INC-API-1",
        Some(
            json!({"handling_ended_at": Timestamp(xiezhi_decide::time::now_millis()).to_rfc3339()}),
        ),
    )
    .await;
    let (s, e) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/close",
        Some(json!({})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["code"], "summary_report_pending");
    let (s, d) = call(
        h,
        "POST",
        "/v1/admin/incidents/INC-API-1/close",
        Some(json!({"reason": "经主管部门同意，总结报告并入年度报告"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["summary"]["state"], "closed");
    let (s, e) = call(
        h,
        "PATCH",
        "/v1/admin/incidents/INC-API-1",
        Some(json!({"people": 2})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (_, l) = call(h, "GET", "/v1/admin/incidents", None).await;
    assert!(l.as_array().unwrap().is_empty());
    let (_, l) = call(h, "GET", "/v1/admin/incidents?state=all", None).await;
    assert_eq!(l.as_array().unwrap().len(), 1);
    let (s, _) = call(h, "GET", "/v1/admin/incidents/INC-NONE", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let kinds: Vec<String> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "opened",
            "updated",
            "updated",
            "reported",
            "notified",
            "notified",
            "exemption",
            "updated",
            "closed"
        ]
    );
    let (s, v) = call(h, "GET", "/v1/admin/audit/verify", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test]
async fn lifecycle_sqlite() {
    let h = Harness::sqlite_with(|s| s.with_project(std::sync::Arc::new(data_map()))).await;
    lifecycle(&h, true).await;
    h.cleanup().await;
}

#[tokio::test]
async fn lifecycle_postgres() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let h = Harness::postgres(&url).await;
    // The PostgreSQL harness has no data map: the whole lifecycle with counts given directly.
    lifecycle(&h, false).await;
    let (s, d) = call(
        &h,
        "POST",
        "/v1/admin/incidents",
        Some(json!({
            "id": "INC-PG", "kind": "ransomware", "reporter": "cii_operator", "title": "勒索",
            "discovered_at": Timestamp(xiezhi_decide::time::now_millis() - 2 * 3_600_000).to_rfc3339(),
            "people": 10_000_000,
            "fields": {"pi_types": ["cn_mobile"]}
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["summary"]["level"], "major");
    // CII: two 1-hour clocks, both overdue (discovered 2 hours ago).
    assert_eq!(
        clock(&d["summary"], "initial-report.protection-dept")["status"],
        "overdue"
    );
    assert_eq!(
        clock(&d["summary"], "initial-report.public-security")["status"],
        "overdue"
    );
    let (_, v) = call(&h, "GET", "/v1/admin/audit/verify", None).await;
    assert_eq!(v["ok"], true, "{v}");
    h.cleanup().await;
}

#[tokio::test]
async fn admin_page_lists_open_incidents_with_time_left() {
    let h = Harness::sqlite_with(|s| s.with_project(std::sync::Arc::new(data_map()))).await;
    let (s, _) = call(
        &h,
        "POST",
        "/v1/admin/incidents",
        Some(json!({
            "id": "INC-PAGE", "kind": "data_leak", "title": "订单<泄露>",
            "discovered_at": an_hour_ago(), "people": 1_000_000,
            "fields": {"pi_types": ["cn_mobile"]}
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let req = |cookie: Option<&str>| {
        let mut r = Request::builder().uri("/admin/incidents");
        if let Some(c) = cookie {
            r = r.header("cookie", format!("xz_admin={c}"));
        }
        r.body(Body::empty()).unwrap()
    };
    let (s, _) = h.raw(req(None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = h.raw(req(Some(&h.platform_key))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, body) = h.raw(req(Some(&h.admin_key))).await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("data-incident=\"INC-PAGE\""), "{html}");
    assert!(html.contains("订单&lt;泄露&gt;"), "{html}");
    assert!(html.contains("较大 · relatively large"), "{html}");
    assert!(html.contains("data-clock=\"initial-report\""), "{html}");
    // About 3 hours left on the 4-hour clock (2 h 59 min after a few ms).
    assert!(
        html.contains("2小时59分钟") || html.contains("3小时"),
        "{html}"
    );
    assert!(html.contains("已过"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    h.cleanup().await;
}

fn smtp_available() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("XIEZHI_REQUIRE_SMTP").as_deref() != Ok("1"),
            "XIEZHI_REQUIRE_SMTP=1 but python3 cannot import aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
        );
        eprintln!("SKIPPED: the e-mail notice test needs Python aiosmtpd");
    }
    ok
}

async fn smtp_sink() -> (tokio::process::Child, u16, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../xiezhi-identity/tests/smtp_sink.py");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new("python3")
        .arg(&script)
        .args(["--port", &port.to_string(), "--out"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.as_deref(), Some("READY"));
    (child, port, dir)
}

async fn mails(dir: &Path, n: usize) -> Vec<Value> {
    for _ in 0..200 {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if files.len() >= n {
            return files
                .iter()
                .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail arrived");
}

#[tokio::test]
async fn email_notice_through_the_configured_smtp_relay() {
    // Without a relay: 503.
    let h = Harness::sqlite().await;
    let open = json!({
        "id": "INC-MAIL", "kind": "data_leak", "title": "泄露",
        "discovered_at": an_hour_ago(), "people": 5, "fields": {"pi_types": ["cn_mobile"]}
    });
    call(&h, "POST", "/v1/admin/incidents", Some(open.clone())).await;
    let notice = json!({"channel": "email", "draft": draft(), "recipients": ["a@example.cn"]});
    let (s, e) = call(
        &h,
        "POST",
        "/v1/admin/incidents/INC-MAIL/notices",
        Some(notice.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{e}");
    assert_eq!(e["error"]["code"], "smtp_not_configured");
    h.cleanup().await;

    if !smtp_available() {
        return;
    }
    let (_child, port, dir) = smtp_sink().await;
    let mut svc = xiezhi_server::IdentityServices::new(&[7u8; 32], "示例商城").unwrap();
    let cfg = xiezhi_identity::smtp::SmtpConfig::new("127.0.0.1", port, "security@shop.example");
    svc.mailer = Some(Arc::new(xiezhi_identity::smtp::SmtpMailer::new(cfg)));
    let h = Harness::sqlite_with(|s| s.with_identity(svc)).await;
    call(&h, "POST", "/v1/admin/incidents", Some(open)).await;
    let (s, n) = call(
        &h,
        "POST",
        "/v1/admin/incidents/INC-MAIL/notices",
        Some(json!({"channel": "email", "draft": draft(), "recipients": ["a@example.cn", "b@example.cn"], "lang": "en"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(
        (n["recipients"].clone(), n["delivered"].clone()),
        (json!(2), json!(2))
    );
    let got = mails(dir.path(), 2).await;
    assert!(
        got[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Important:")
    );
    let (_, d) = call(&h, "GET", "/v1/admin/incidents/INC-MAIL", None).await;
    let text = d.to_string();
    assert!(!text.contains("a@example.cn") && !text.contains("b@example.cn"));
    assert_eq!(clock(&d["summary"], "notify-affected")["status"], "done");
    h.cleanup().await;
}

/// A minimal SMTP peer that holds the end of DATA until `release` fires (after telling
/// `entered`), so a test can change the incident while the e-mail is being sent.
async fn held_smtp(
    entered: tokio::sync::oneshot::Sender<()>,
    release: tokio::sync::oneshot::Receiver<()>,
) -> u16 {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 held.example ESMTP\r\n").await.unwrap();
        let mut entered = Some(entered);
        let mut release = Some(release);
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    if let Some(tx) = entered.take() {
                        tx.send(()).unwrap();
                    }
                    if let Some(rx) = release.take() {
                        rx.await.unwrap();
                    }
                    w.write_all(b"250 queued\r\n").await.unwrap();
                }
                continue;
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                b"250 held.example\r\n"
            } else if upper.starts_with("DATA") {
                in_data = true;
                b"354 go ahead\r\n"
            } else if upper.starts_with("QUIT") {
                w.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            w.write_all(reply).await.unwrap();
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_sent_while_the_incident_changes_is_still_recorded() {
    let (entered_tx, entered_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel();
    let port = held_smtp(entered_tx, release_rx).await;
    let mut svc = xiezhi_server::IdentityServices::new(&[7u8; 32], "示例商城").unwrap();
    let cfg = xiezhi_identity::smtp::SmtpConfig::new("127.0.0.1", port, "security@shop.example");
    svc.mailer = Some(Arc::new(xiezhi_identity::smtp::SmtpMailer::new(cfg)));
    let h = Arc::new(Harness::sqlite_with(|s| s.with_identity(svc)).await);
    let open = json!({
        "id": "INC-RACE", "kind": "data_leak", "title": "泄露",
        "discovered_at": an_hour_ago(), "people": 5, "fields": {"pi_types": ["cn_mobile"]}
    });
    let (s, _) = call(&h, "POST", "/v1/admin/incidents", Some(open)).await;
    assert_eq!(s, StatusCode::OK);
    let h2 = h.clone();
    let notify = tokio::spawn(async move {
        call(
            &h2,
            "POST",
            "/v1/admin/incidents/INC-RACE/notices",
            Some(json!({"channel": "email", "draft": draft(), "recipients": ["a@example.cn"]})),
        )
        .await
    });
    // While the e-mail is on the wire, someone updates the incident.
    tokio::time::timeout(Duration::from_secs(30), entered_rx)
        .await
        .unwrap()
        .unwrap();
    let (s, u) = call(
        &h,
        "PATCH",
        "/v1/admin/incidents/INC-RACE",
        Some(json!({"people": 7})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    release_tx.send(()).unwrap();
    let (s, n) = notify.await.unwrap();
    assert_eq!(
        s,
        StatusCode::OK,
        "the sent notice is recorded after a reload: {n}"
    );
    assert_eq!(n["delivered"], json!(1));
    let (_, d) = call(&h, "GET", "/v1/admin/incidents/INC-RACE", None).await;
    let kinds: Vec<String> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["opened", "updated", "notified"], "{d}");
    assert_eq!(clock(&d["summary"], "notify-affected")["status"], "done");
    // The update survived the notice's save.
    assert!(d.to_string().contains("\"people\":7"), "{d}");
    match Arc::try_unwrap(h) {
        Ok(h) => h.cleanup().await,
        Err(_) => panic!("harness still shared"),
    }
}
