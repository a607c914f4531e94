//! The SMTP mailer against a real SMTP server: Python's aiosmtpd, started per test on a free
//! loopback port (`tests/smtp_sink.py`). Without aiosmtpd the tests print SKIPPED, unless
//! `XIEZHI_REQUIRE_SMTP=1` is set, then they fail. Install: `python3 -m pip install aiosmtpd==1.4.6`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use xiezhi_identity::Method;
use xiezhi_identity::deliver::{MessageStyle, send_email_code};
use xiezhi_identity::otp::{self, OtpConfig, OtpError, OtpKey};
use xiezhi_identity::smtp::{
    Lang, MailError, Mailer, SmtpAuth, SmtpConfig, SmtpMailer, SmtpTls, verification_email,
};

fn aiosmtpd_available() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("XIEZHI_REQUIRE_SMTP").as_deref() == Ok("1") {
            panic!(
                "XIEZHI_REQUIRE_SMTP=1 but python3 cannot import aiosmtpd; install it with \
                 `python3 -m pip install aiosmtpd==1.4.6`"
            );
        }
        println!(
            "SKIPPED: real-SMTP test needs Python aiosmtpd (python3 -m pip install aiosmtpd==1.4.6); \
             set XIEZHI_REQUIRE_SMTP=1 to make this a failure"
        );
    }
    ok
}

struct Sink {
    _child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

async fn start_sink(auth: Option<(&str, &str)>) -> Sink {
    start_sink_with(auth, &[]).await
}

async fn start_sink_with(auth: Option<(&str, &str)>, extra: &[&str]) -> Sink {
    let dir = tempfile::tempdir().unwrap();
    let log_dir = tempfile::tempdir().unwrap();
    let log_path = log_dir.path().join("sink.stderr");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py");
    // A port can be taken between probing and binding; try a few.
    for _ in 0..5 {
        let port = free_port();
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--out")
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // aiosmtpd logs refused TLS handshakes with tracebacks; keep them out of test output.
            .stderr(std::fs::File::create(&log_path).unwrap())
            .kill_on_drop(true);
        if let Some((u, p)) = auth {
            cmd.args(["--user", u, "--password", p]);
        }
        cmd.args(extra);
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await;
        if let Ok(Ok(Some(line))) = first
            && line == "READY"
        {
            return Sink {
                _child: child,
                port,
                dir,
            };
        }
    }
    panic!(
        "the aiosmtpd sink did not start; its stderr:\n{}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );
}

async fn received(dir: &Path, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..200 {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if files.len() >= n {
            files.sort();
            return files
                .iter()
                .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no message arrived at the SMTP sink");
}

fn six_digits(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(6).enumerate().find_map(|(i, w)| {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 6);
        (w.iter().all(char::is_ascii_digit)
            && !before.is_some_and(char::is_ascii_digit)
            && !after.is_some_and(char::is_ascii_digit))
        .then(|| w.iter().collect())
    })
}

fn key() -> OtpKey {
    OtpKey::new(b"test-server-secret-0123456789abcdef").unwrap()
}

#[tokio::test]
async fn code_sent_by_smtp_is_received_and_verifies() {
    if !aiosmtpd_available() {
        return;
    }
    let sink = start_sink(None).await;
    let mut cfg = SmtpConfig::new("127.0.0.1", sink.port, "noreply@xiezhi.example");
    cfg.from_name = Some("獬豸 Xiezhi".into());
    cfg.helo_name = "xiezhi.example".into();
    cfg.timeout = Duration::from_secs(10);
    let mailer: std::sync::Arc<dyn Mailer> = std::sync::Arc::new(SmtpMailer::new(cfg));

    let config = OtpConfig::default();
    let style = MessageStyle {
        lang: Lang::Both,
        platform: "獬豸".into(),
        sms_signature: "獬豸".into(),
    };
    // Issue and send in one step: only the challenge comes back.
    let mut challenge = send_email_code(
        mailer.as_ref(),
        &key(),
        &config,
        "dsr-42",
        "zhang@example.cn",
        &style,
        1_000,
    )
    .await
    .unwrap();
    assert!(!serde_json::to_string(&challenge).unwrap().contains("zhang"));

    let got = received(sink.dir.path(), 1).await;
    let m = &got[0];
    assert_eq!(m["mail_from"], "noreply@xiezhi.example");
    assert_eq!(m["rcpt_tos"], serde_json::json!(["zhang@example.cn"]));
    assert_eq!(m["subject"], "【獬豸】身份验证码 / Your verification code");
    assert_eq!(m["from"], "獬豸 Xiezhi <noreply@xiezhi.example>");
    assert_eq!(m["content_type"], "text/plain");
    assert_eq!(m["tls"], false);
    assert_eq!(m["charset"], "utf-8");
    let body = m["body"].as_str().unwrap();
    assert!(body.contains("10 分钟内有效"), "{body}");
    assert!(body.contains("valid for 10 minutes"), "{body}");
    let found = six_digits(body).expect("a six-digit code in the body");
    // The code is only in the (encoded) body, not in any header.
    let raw = m["raw"].as_str().unwrap();
    let headers = raw.split("\r\n\r\n").next().unwrap();
    assert!(!headers.contains(&found));

    // Wrong code first, then the one from the mail.
    let wrong = if found == "000000" {
        "000001"
    } else {
        "000000"
    };
    assert_eq!(
        otp::verify(&key(), &mut challenge, wrong, 1_010),
        Err(OtpError::WrongCode { remaining: 4 })
    );
    assert_eq!(otp::verify(&key(), &mut challenge, &found, 1_020), Ok(()));
    assert!(challenge.used);
}

#[tokio::test]
async fn auth_plain_and_refusals() {
    if !aiosmtpd_available() {
        return;
    }
    let sink = start_sink(Some(("mailer", "s3cret-pass"))).await;
    let mut cfg = SmtpConfig::new("127.0.0.1", sink.port, "noreply@xiezhi.example");
    cfg.timeout = Duration::from_secs(10);
    let (_, code) =
        otp::issue(&key(), &OtpConfig::default(), Method::EmailCode, "dsr-7", 0).unwrap();
    let mail = verification_email("li@example.cn", &code, 10, Lang::En, "Xiezhi");

    // No credentials: the server requires AUTH and refuses MAIL FROM (530).
    let err = SmtpMailer::new(cfg.clone())
        .send_mail(&mail)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        MailError::Rejected {
            stage: "MAIL FROM",
            code: 530
        }
    );
    // Wrong password: 535 at AUTH; the message names neither address nor password.
    cfg.auth = Some(SmtpAuth {
        username: "mailer".into(),
        password: "wrong".into(),
    });
    let err = SmtpMailer::new(cfg.clone())
        .send_mail(&mail)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        MailError::Rejected {
            stage: "AUTH",
            code: 535
        }
    );
    let text = err.to_string();
    assert!(!text.contains("li@example.cn") && !text.contains("wrong"));
    // Right password: delivered, authenticated.
    cfg.auth = Some(SmtpAuth {
        username: "mailer".into(),
        password: "s3cret-pass".into(),
    });
    SmtpMailer::new(cfg.clone()).send_mail(&mail).await.unwrap();
    let got = received(sink.dir.path(), 1).await;
    assert_eq!(got[0]["authenticated"], true);
    assert_eq!(got[0]["subject"], "[Xiezhi] Your verification code");
    assert_eq!(
        six_digits(got[0]["body"].as_str().unwrap()).as_deref(),
        Some(code.as_str())
    );
    // Header injection through the address is refused before connecting.
    let bad = verification_email("li@example.cn>\r\nRCPT TO:<x@y.z", &code, 10, Lang::En, "X");
    assert_eq!(
        SmtpMailer::new(cfg).send_mail(&bad).await.unwrap_err(),
        MailError::InvalidAddress { which: "recipient" }
    );
}

#[tokio::test]
async fn unreachable_server_is_a_connect_error() {
    let port = free_port();
    let mut cfg = SmtpConfig::new("127.0.0.1", port, "noreply@xiezhi.example");
    cfg.timeout = Duration::from_secs(5);
    let mail = xiezhi_identity::smtp::Email {
        to: "a@b.cn".into(),
        subject: "s".into(),
        body: "b".into(),
    };
    let err = SmtpMailer::new(cfg).send_mail(&mail).await.unwrap_err();
    assert!(matches!(err, MailError::Connect { .. }), "{err}");
}

#[tokio::test]
async fn silent_server_times_out_and_garbage_is_a_protocol_error() {
    // A TCP server that accepts and says nothing, then one that speaks HTTP.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut keep = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            keep.push(s);
        }
    });
    let mut cfg = SmtpConfig::new("127.0.0.1", port, "noreply@xiezhi.example");
    cfg.timeout = Duration::from_millis(300);
    let mail = xiezhi_identity::smtp::Email {
        to: "a@b.cn".into(),
        subject: "s".into(),
        body: "b".into(),
    };
    let err = SmtpMailer::new(cfg).send_mail(&mail).await.unwrap_err();
    assert_eq!(err, MailError::Timeout { stage: "greeting" });

    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut s, _)) = l.accept().await {
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let mut cfg = SmtpConfig::new("127.0.0.1", port, "noreply@xiezhi.example");
    cfg.timeout = Duration::from_secs(5);
    let err = SmtpMailer::new(cfg).send_mail(&mail).await.unwrap_err();
    assert_eq!(err, MailError::Protocol { stage: "greeting" });
}

/// A private CA and a server certificate for `localhost` / 127.0.0.1 made with the `openssl`
/// CLI, or `None` (SKIPPED) when it is missing.
fn make_certs(dir: &Path) -> Option<(PathBuf, PathBuf, Vec<u8>)> {
    let run = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ok = run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Xiezhi Test CA",
    ]) && run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]) && run(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    if !ok {
        if std::env::var("XIEZHI_REQUIRE_SMTP").as_deref() == Ok("1") {
            panic!("XIEZHI_REQUIRE_SMTP=1 but the openssl CLI could not make test certificates");
        }
        println!("SKIPPED: TLS SMTP test needs the openssl CLI to make test certificates");
        return None;
    }
    Some((
        dir.join("leaf.pem"),
        dir.join("leaf.key"),
        std::fs::read(dir.join("ca.pem")).unwrap(),
    ))
}

#[tokio::test]
async fn starttls_and_implicit_tls_with_a_private_ca() {
    if !aiosmtpd_available() {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    let Some((cert, key_file, ca)) = make_certs(certs.path()) else {
        return;
    };
    let (cert, key_file) = (cert.to_str().unwrap(), key_file.to_str().unwrap());
    let (_, code) = otp::issue(&key(), &OtpConfig::default(), Method::EmailCode, "r", 0).unwrap();
    let mail = verification_email("wang@example.cn", &code, 10, Lang::ZhCn, "獬豸");

    // STARTTLS, AUTH inside TLS.
    let sink = start_sink_with(
        Some(("mailer", "pw-0123")),
        &["--tls", "starttls", "--cert", cert, "--key", key_file],
    )
    .await;
    let mut cfg = SmtpConfig::new("localhost", sink.port, "noreply@xiezhi.example");
    assert_eq!(cfg.tls, SmtpTls::None, "loopback defaults to plain");
    cfg.tls = SmtpTls::StartTls;
    cfg.timeout = Duration::from_secs(10);
    cfg.auth = Some(SmtpAuth {
        username: "mailer".into(),
        password: "pw-0123".into(),
    });
    // Without the private CA the certificate is not trusted.
    let err = SmtpMailer::new(cfg.clone())
        .send_mail(&mail)
        .await
        .unwrap_err();
    assert!(matches!(err, MailError::TlsHandshake { .. }), "{err}");
    cfg.extra_root_certs_pem = Some(ca.clone());
    SmtpMailer::new(cfg.clone()).send_mail(&mail).await.unwrap();
    let got = received(sink.dir.path(), 1).await;
    assert_eq!(got[0]["tls"], true);
    assert_eq!(got[0]["authenticated"], true);
    assert_eq!(got[0]["subject"], "【獬豸】身份验证码");
    assert_eq!(
        six_digits(got[0]["body"].as_str().unwrap()).as_deref(),
        Some(code.as_str())
    );
    // A bad PEM is a configuration error.
    let mut bad = cfg.clone();
    bad.extra_root_certs_pem = Some(b"not a certificate".to_vec());
    assert_eq!(
        SmtpMailer::new(bad).send_mail(&mail).await.unwrap_err(),
        MailError::TlsConfig
    );

    // Implicit TLS (SMTPS).
    let sink = start_sink_with(
        None,
        &["--tls", "implicit", "--cert", cert, "--key", key_file],
    )
    .await;
    let mut cfg = SmtpConfig::new("localhost", sink.port, "noreply@xiezhi.example");
    cfg.tls = SmtpTls::Implicit;
    cfg.timeout = Duration::from_secs(10);
    cfg.extra_root_certs_pem = Some(ca.clone());
    SmtpMailer::new(cfg).send_mail(&mail).await.unwrap();
    let got = received(sink.dir.path(), 1).await;
    assert_eq!(got[0]["tls"], true);

    // STARTTLS required but the server offers none: refused before any mail command.
    let plain = start_sink(None).await;
    let mut cfg = SmtpConfig::new("127.0.0.1", plain.port, "noreply@xiezhi.example");
    cfg.tls = SmtpTls::StartTls;
    cfg.timeout = Duration::from_secs(10);
    assert_eq!(
        SmtpMailer::new(cfg).send_mail(&mail).await.unwrap_err(),
        MailError::StartTlsUnsupported
    );
}
