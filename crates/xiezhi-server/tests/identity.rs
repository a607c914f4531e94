//! Identity verification of rights requests end to end: a one-time code by e-mail through a
//! real SMTP server (Python aiosmtpd, the sink of xiezhi-identity's tests), and a 网证 checked
//! by the network identity service simulator. Only digests, the method and the 网号 are kept;
//! the address is not stored; a 网号 user is never offered plaintext-ID verification.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use common::Harness;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use xiezhi_server::IdentityServices;

const APP_SECRET: &str = "platform-a-secret-0123456789";

fn smtp_available() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("XIEZHI_REQUIRE_SMTP").is_none(),
            "XIEZHI_REQUIRE_SMTP=1 but python3 cannot import aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
        );
        eprintln!(
            "SKIPPED: the e-mail verification test needs Python aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
        );
    }
    ok
}

/// Starts the aiosmtpd sink on a free port; returns the child, the port and the mail directory.
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

async fn one_mail(dir: &Path) -> serde_json::Value {
    for _ in 0..200 {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if let Some(f) = files.first() {
            return serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail arrived");
}

fn code_in(body: &str) -> String {
    let at = body.find("验证码是 ").unwrap() + "验证码是 ".len();
    body[at..at + 6].to_owned()
}

async fn file(h: &Harness, subject: &str, kind: &str) -> String {
    let (s, r) = h
        .call(
            "POST",
            "/v1/admin/rights-requests",
            Some(&h.admin_key),
            Some(json!({"subject": subject, "kind": kind})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn email_code_over_real_smtp_verifies_the_requester() {
    if !smtp_available() {
        return;
    }
    let (_child, port, mails) = smtp_sink().await;
    let mut svc = IdentityServices::new(&[9u8; 32], "示例商城").unwrap();
    let cfg = xiezhi_identity::smtp::SmtpConfig::new("127.0.0.1", port, "privacy@shop.example");
    svc.mailer = Some(Arc::new(xiezhi_identity::smtp::SmtpMailer::new(cfg)));
    let h = Harness::sqlite_with(|s| s.with_identity(svc)).await;
    let id = file(&h, "id-1", "cancel_account").await;

    // The account has no e-mail on file: a code by e-mail cannot be used.
    let (s, e) = h
        .call(
            "POST",
            &format!("/v1/admin/rights-requests/{id}/identity"),
            Some(&h.admin_key),
            Some(json!({"method": "email_code", "registration": {"has_phone": true}, "email": "a@b.cn"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    let (s, ch) = h
        .call(
            "POST",
            &format!("/v1/admin/rights-requests/{id}/identity"),
            Some(&h.admin_key),
            Some(json!({"method": "email_code", "registration": {"has_email": true}, "email": "zhang.wei@example.com"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{ch}");
    assert_eq!(ch["sent_to"], "z***@example.com");
    let mail = one_mail(mails.path()).await;
    assert_eq!(mail["rcpt_tos"], json!(["zhang.wei@example.com"]));
    let code = code_in(mail["body"].as_str().unwrap());

    // Nothing stored holds the address or the code.
    let stored = h
        .state
        .engine
        .store()
        .latest_identity_challenge(&id)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.challenge.contains("zhang.wei") && !stored.challenge.contains(&code));

    // A wrong code counts an attempt; the right one verifies.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, e) = h
        .call(
            "POST",
            &format!("/v1/rights-requests/{id}/identity"),
            None,
            Some(json!({"code": wrong})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("4 attempts left"),
        "{e}"
    );
    let (s, r) = h
        .call(
            "POST",
            &format!("/v1/rights-requests/{id}/identity"),
            None,
            Some(json!({"code": code})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "identity_verified");
    assert_eq!(r["method"], "email_code");
    // The code cannot be used twice.
    let (s, _) = h
        .call(
            "POST",
            &format!("/v1/rights-requests/{id}/identity"),
            None,
            Some(json!({"code": code})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, v) = h
        .call("GET", "/v1/admin/audit/verify", Some(&h.admin_key), None)
        .await;
    assert_eq!(v["ok"], true);
}

#[tokio::test]
async fn network_identity_keeps_only_the_result_and_the_network_number() {
    let sim = xiezhi_netid_sim::Simulator::new(xiezhi_netid_sim::SimConfig {
        apps: vec![xiezhi_netid_sim::App {
            app_id: "platform-a".into(),
            app_secret: APP_SECRET.into(),
        }],
        ..xiezhi_netid_sim::SimConfig::default()
    })
    .unwrap();
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(xiezhi_netid_sim::serve_simulator(l, sim.clone()));
    let zhang = sim
        .enrol(
            "张三",
            &xiezhi_netid_sim::with_check_digit("11010519491231002").unwrap(),
        )
        .unwrap();
    let li = sim
        .enrol(
            "李四",
            &xiezhi_netid_sim::with_check_digit("44030519900101123").unwrap(),
        )
        .unwrap();

    let mut svc = IdentityServices::new(&[9u8; 32], "示例商城").unwrap();
    svc.netid = Some(
        xiezhi_identity::netid::NetIdClient::new(xiezhi_identity::netid::NetIdConfig::new(
            base.as_str(),
            "platform-a",
            APP_SECRET.as_bytes(),
        ))
        .unwrap(),
    );
    let h = Harness::sqlite_with(|s| s.with_identity(svc)).await;
    let id = file(&h, "id-2", "copy").await;
    let registration = json!({"network_number": zhang});
    let (s, ch) = h
        .call(
            "POST",
            &format!("/v1/admin/rights-requests/{id}/identity"),
            Some(&h.admin_key),
            Some(json!({"method": "network_identity", "registration": registration})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{ch}");

    // Someone else's valid 网证 does not pass for this account.
    let other = sim
        .issue_credential(&li, "platform-a", None)
        .unwrap()
        .credential;
    let (s, e) = h
        .call(
            "POST",
            &format!("/v1/rights-requests/{id}/identity"),
            None,
            Some(json!({"credential": other})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("网号与本账号绑定的网号不一致"),
        "{e}"
    );
    // A tampered one neither.
    let mut bad = sim
        .issue_credential(&zhang, "platform-a", None)
        .unwrap()
        .credential;
    let last = bad.pop().unwrap();
    bad.push(if last == 'A' { 'B' } else { 'A' });
    let (s, _) = h
        .call(
            "POST",
            &format!("/v1/rights-requests/{id}/identity"),
            None,
            Some(json!({"credential": bad})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The requester answers on the verification page (a plain form, no session).
    assert_eq!(ch["verify_url"], format!("/privacy/verify?request={id}"));
    let (s, page) = h
        .raw(
            axum::http::Request::get(format!("/privacy/verify?request={id}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        String::from_utf8(page)
            .unwrap()
            .contains("name=\"credential\"")
    );
    let good = sim
        .issue_credential(&zhang, "platform-a", None)
        .unwrap()
        .credential;
    let form = format!(
        "request={id}&credential={}",
        good.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let (s, page) = h
        .raw(
            axum::http::Request::post("/privacy/verify")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from(form))
                .unwrap(),
        )
        .await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("身份核验通过"), "{page}");
    let (_, d) = h
        .call(
            "GET",
            &format!("/v1/admin/rights-requests/{id}"),
            Some(&h.admin_key),
            None,
        )
        .await;
    assert_eq!(d["request"]["state"], "identity_verified");
    assert_eq!(d["request"]["identity_method"], "network_identity");

    // A 网号 user's verification form may not ask for a plaintext ID (MPS Order 173).
    let reg = xiezhi_identity::Registration {
        network_number: Some(zhang.clone()),
        ..Default::default()
    };
    assert!(
        xiezhi_identity::check_requested(&reg, &[xiezhi_identity::IdentityField::IdNumber])
            .is_err()
    );
    // The stored request keeps the 网号 as its only identity reference.
    let stored = h
        .state
        .engine
        .store()
        .get_rights_request(&id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.identity_ref.as_deref(), Some(zhang.as_str()));
}

#[tokio::test]
async fn without_a_configured_channel_the_answer_says_what_to_configure() {
    let svc = IdentityServices::new(&[9u8; 32], "示例商城").unwrap();
    let h = Harness::sqlite_with(|s| s.with_identity(svc)).await;
    let id = file(&h, "id-3", "access").await;
    let (s, e) = h
        .call(
            "POST",
            &format!("/v1/admin/rights-requests/{id}/identity"),
            Some(&h.admin_key),
            Some(json!({"method": "sms_code", "registration": {"has_phone": true}, "phone": "13812345678"})),
        )
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--sms-gateway")
    );
}
