//! The SMS HTTP gateway adapter against a real local HTTP server (axum on 127.0.0.1:0): the
//! JSON body, the HMAC signature header, the code in the text, segment limits and refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use xiezhi_identity::Method;
use xiezhi_identity::otp::{self, OtpConfig, OtpKey};
use xiezhi_identity::sms::{
    HttpSmsConfig, HttpSmsGateway, SmsError, SmsMessage, SmsSender, segments, verification_sms,
};
use xiezhi_identity::smtp::Lang;

const SECRET: &[u8] = b"sms-gateway-secret-0123456789";

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, serde_json::Value)>>>);

async fn gateway(
    State(seen): State<Seen>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let sig = headers
        .get("x-xiezhi-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    // Check the signature the way a gateway would.
    let t: i64 = sig
        .strip_prefix("t=")
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if xiezhi_identity::hmac_signature(SECRET, t, &body) != sig {
        return (StatusCode::UNAUTHORIZED, "{}".into());
    }
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let n = {
        let mut s = seen.0.lock().unwrap();
        s.push((sig, json));
        s.len()
    };
    (StatusCode::OK, format!("{{\"id\":\"msg-{n}\"}}"))
}

async fn start() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/sms", post(gateway))
        .route(
            "/down",
            post(|| async { (StatusCode::SERVICE_UNAVAILABLE, "busy") }),
        )
        .with_state(seen.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn code_goes_out_signed_and_verifies() {
    let (base, seen) = start().await;
    let sender: Arc<dyn SmsSender> =
        Arc::new(HttpSmsGateway::new(HttpSmsConfig::new(format!("{base}/sms"), SECRET)).unwrap());
    let key = OtpKey::new(&[9u8; 32]).unwrap();
    let cfg = OtpConfig::default();
    let (mut ch, code) = otp::issue(&key, &cfg, Method::SmsCode, "dsr-9", 100).unwrap();
    let msg = verification_sms(
        "+86 138-0013-8000",
        &code,
        cfg.ttl_minutes(),
        Lang::ZhCn,
        "獬豸",
    );
    let receipt = sender.send(&msg).await.unwrap();
    assert_eq!(receipt.segments, 1);
    assert_eq!(receipt.gateway_id.as_deref(), Some("msg-1"));
    drop(code);

    let (sig, body) = seen.0.lock().unwrap()[0].clone();
    assert!(sig.starts_with("t=") && sig.contains(",v1="));
    assert_eq!(body["to"], "+8613800138000");
    assert_eq!(body["template"], "verification_code");
    assert_eq!(body["segments"], 1);
    let text = body["text"].as_str().unwrap();
    assert!(
        text.starts_with("【獬豸】") && text.contains("10分钟内有效"),
        "{text}"
    );
    assert!(text.chars().count() <= 70);
    let got: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(otp::verify(&key, &mut ch, &got, 160), Ok(()));
}

#[tokio::test]
async fn refusals() {
    let (base, seen) = start().await;
    let gw = HttpSmsGateway::new(HttpSmsConfig::new(format!("{base}/sms"), SECRET)).unwrap();
    let long = SmsMessage {
        to: "13800138000".into(),
        text: "验".repeat(71),
        template: "t".into(),
    };
    assert_eq!(segments(&long.text), 2);
    assert_eq!(
        gw.send_sms(&long).await.unwrap_err(),
        SmsError::TooLong {
            segments: 2,
            max: 1
        }
    );
    // Allow two segments: it goes out and is billed as two.
    let mut cfg2 = HttpSmsConfig::new(format!("{base}/sms"), SECRET);
    cfg2.max_segments = 2;
    let r = HttpSmsGateway::new(cfg2)
        .unwrap()
        .send_sms(&long)
        .await
        .unwrap();
    assert_eq!(r.segments, 2);
    assert_eq!(seen.0.lock().unwrap()[0].1["segments"], 2);

    let bad_number = SmsMessage {
        to: "call me".into(),
        text: "x".into(),
        template: "t".into(),
    };
    assert_eq!(
        gw.send_sms(&bad_number).await.unwrap_err(),
        SmsError::InvalidNumber
    );
    // Wrong secret: the gateway says 401.
    let wrong = HttpSmsGateway::new(HttpSmsConfig::new(
        format!("{base}/sms"),
        b"another-secret-0000".to_vec(),
    ))
    .unwrap();
    let ok_msg = SmsMessage {
        to: "13800138000".into(),
        text: "hello".into(),
        template: "t".into(),
    };
    let e = wrong.send_sms(&ok_msg).await.unwrap_err();
    assert_eq!(e, SmsError::Rejected { status: 401 });
    assert!(!e.to_string().contains("13800138000"));
    let down = HttpSmsGateway::new(HttpSmsConfig::new(format!("{base}/down"), SECRET)).unwrap();
    assert_eq!(
        down.send_sms(&ok_msg).await.unwrap_err(),
        SmsError::Rejected { status: 503 }
    );
    // Nobody listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut c = HttpSmsConfig::new(format!("http://127.0.0.1:{port}/sms"), SECRET);
    c.timeout = Duration::from_secs(5);
    assert_eq!(
        HttpSmsGateway::new(c)
            .unwrap()
            .send_sms(&ok_msg)
            .await
            .unwrap_err(),
        SmsError::Connect
    );
}

#[tokio::test]
async fn issue_and_send_in_one_step() {
    let (base, seen) = start().await;
    let sender: Arc<dyn SmsSender> =
        Arc::new(HttpSmsGateway::new(HttpSmsConfig::new(format!("{base}/sms"), SECRET)).unwrap());
    let key = OtpKey::new(&[3u8; 32]).unwrap();
    let style = xiezhi_identity::deliver::MessageStyle {
        lang: Lang::En,
        platform: "Xiezhi".into(),
        sms_signature: "Xiezhi".into(),
    };
    let mut ch = xiezhi_identity::deliver::send_sms_code(
        sender.as_ref(),
        &key,
        &OtpConfig::default(),
        "dsr-5",
        "13900139000",
        &style,
        500,
    )
    .await
    .unwrap();
    assert_eq!(ch.method, Method::SmsCode);
    let text = seen.0.lock().unwrap()[0].1["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text.starts_with("Xiezhi: your verification code is "),
        "{text}"
    );
    let got: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(otp::verify(&key, &mut ch, &got, 501), Ok(()));
}
