//! The network identity verifier against a running simulator of the public service
//! (`xiezhi-netid-sim`, in-process on 127.0.0.1:0, spoken to over real HTTP): pass, a 网号 that
//! is not the account's, expired, tampered, another app's credential, replay and a wrong app
//! secret. People are enrolled and credentials issued through the simulator's HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use xiezhi_identity::netid::{NetIdClient, NetIdConfig, NetIdError, NetIdFailure};
use xiezhi_identity::{IdentityField, Method, PolicyError, Registration, check_requested};
use xiezhi_netid_sim::{App, SimConfig, Simulator, with_check_digit};

const SECRET_A: &str = "platform-a-secret-0123456789";

async fn start() -> (String, Simulator) {
    let sim = Simulator::new(SimConfig {
        apps: vec![
            App {
                app_id: "platform-a".into(),
                app_secret: SECRET_A.into(),
            },
            App {
                app_id: "platform-b".into(),
                app_secret: "platform-b-secret-0123456789".into(),
            },
        ],
        ..SimConfig::default()
    })
    .unwrap();
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(xiezhi_netid_sim::serve_simulator(l, sim.clone()));
    (format!("http://{addr}"), sim)
}

async fn post(url: String, body: serde_json::Value) -> (u16, serde_json::Value) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let req = hyper::Request::post(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let resp = client.request(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn enrol(base: &str, name: &str, first17: &str) -> String {
    let (status, v) = post(
        format!("{base}/sim/v1/persons"),
        serde_json::json!({"name": name, "id_number": with_check_digit(first17).unwrap()}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v["network_number"].as_str().unwrap().to_owned()
}

async fn credential(base: &str, nn: &str, app: &str) -> String {
    let (status, v) = post(
        format!("{base}/sim/v1/credentials"),
        serde_json::json!({"network_number": nn, "app_id": app, "ttl_secs": 120}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    v["credential"].as_str().unwrap().to_owned()
}

fn client(base: &str, app: &str, secret: &str) -> NetIdClient {
    NetIdClient::new(NetIdConfig::new(base, app, secret.as_bytes())).unwrap()
}

#[tokio::test]
async fn verifier_against_the_simulator() {
    let (base, sim) = start().await;
    let zhang = enrol(&base, "张三", "11010519491231002").await;
    let li = enrol(&base, "李四", "44030519900101123").await;
    assert_ne!(zhang, li);
    // The account registered with 网号: never asked for plaintext ID; 网证 is allowed.
    let reg = Registration {
        network_number: Some(zhang.clone()),
        ..Registration::default()
    };
    assert!(xiezhi_identity::allowed_methods(&reg).contains(&Method::NetworkIdentity));
    assert!(matches!(
        check_requested(&reg, &[IdentityField::IdNumber]),
        Err(PolicyError::PlaintextFromNetworkIdentityUser { .. })
    ));
    check_requested(&reg, &[IdentityField::NetworkCredential]).unwrap();

    let a = client(&base, "platform-a", SECRET_A);

    // Pass: the account's own 网号.
    let c = credential(&base, &zhang, "platform-a").await;
    let out = a.verify(&c, reg.network_number.as_deref()).await.unwrap();
    assert!(out.passed, "{out:?}");
    assert_eq!(out.network_number.as_deref(), Some(zhang.as_str()));
    assert!(out.failure.is_none());
    assert!((out.verified_at - xiezhi_identity::now_secs()).abs() < 60);
    // Only result, 网号 and time are kept: nothing identifying.
    let stored = serde_json::to_string(&out).unwrap();
    assert!(!stored.contains("张三") && !stored.contains("110105"));
    assert!(!stored.contains(&c));

    // Replay of the same credential.
    let out = a.verify(&c, Some(&zhang)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::Replayed));

    // Wrong account binding: a valid credential of someone else.
    let c = credential(&base, &li, "platform-a").await;
    let out = a.verify(&c, Some(&zhang)).await.unwrap();
    assert!(!out.passed);
    assert_eq!(out.failure, Some(NetIdFailure::AccountMismatch));
    assert_eq!(
        out.network_number, None,
        "another person's 网号 is not kept"
    );

    // No 网号 bound to the account: any valid credential passes (binding at registration).
    let c = credential(&base, &li, "platform-a").await;
    let out = a.verify(&c, None).await.unwrap();
    assert!(out.passed);
    assert_eq!(out.network_number.as_deref(), Some(li.as_str()));

    // Expired.
    let now = xiezhi_identity::now_secs();
    let old = sim
        .issue_credential_at(&zhang, "platform-a", now - 700, now - 100)
        .unwrap();
    let out = a.verify(&old.credential, Some(&zhang)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::Expired));
    assert!(!out.passed && out.network_number.is_none());

    // Tampered: the payload altered (here: swapped for another person's payload).
    let c1 = credential(&base, &zhang, "platform-a").await;
    let c2 = credential(&base, &li, "platform-a").await;
    let p1: Vec<&str> = c1.split('.').collect();
    let p2: Vec<&str> = c2.split('.').collect();
    let forged = format!("{}.{}.{}", p1[0], p2[1], p1[2]);
    let out = a.verify(&forged, Some(&li)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::BadSignature));
    let out = a.verify("not a credential", Some(&zhang)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::Malformed));
    let out = a.verify(&"x".repeat(10_000), Some(&zhang)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::Malformed));

    // Wrong app: a credential issued for platform B, presented by platform A.
    let cb = credential(&base, &zhang, "platform-b").await;
    let out = a.verify(&cb, Some(&zhang)).await.unwrap();
    assert_eq!(out.failure, Some(NetIdFailure::WrongApp));
    // Platform B itself can use it.
    let b = client(&base, "platform-b", "platform-b-secret-0123456789");
    assert!(b.verify(&cb, Some(&zhang)).await.unwrap().passed);

    // Wrong app secret / unknown app: the service refuses the platform, not the user.
    let bad = client(&base, "platform-a", "not-the-secret-000000000");
    assert_eq!(
        bad.verify(&c1, Some(&zhang)).await.unwrap_err(),
        NetIdError::AppAuthRejected
    );
    let unknown = client(&base, "platform-z", SECRET_A);
    assert_eq!(
        unknown.verify(&c1, Some(&zhang)).await.unwrap_err(),
        NetIdError::AppAuthRejected
    );
    // c1 was not consumed by the refused requests.
    assert!(a.verify(&c1, Some(&zhang)).await.unwrap().passed);

    // The service's authentication log has one entry per verification that reached it, with
    // the 网号 but no identity.
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let resp = client
        .get(
            format!("{base}/sim/v1/auth-log?network_number={zhang}")
                .parse()
                .unwrap(),
        )
        .await
        .unwrap();
    let log: serde_json::Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let log = log.as_array().unwrap();
    let results: Vec<(&str, Option<&str>)> = log
        .iter()
        .map(|e| (e["result"].as_str().unwrap(), e["reason"].as_str()))
        .collect();
    assert_eq!(
        results,
        vec![
            ("pass", None),
            ("fail", Some("replayed")),
            ("fail", Some("expired")),
            ("fail", Some("wrong_app")),
            ("pass", None),
            ("pass", None),
        ]
    );
    assert!(!serde_json::to_string(&log).unwrap().contains("张三"));
    // Li's credential checked by platform A against Zhang's account is logged as a pass for Li
    // by the service: the account mismatch is the platform's decision.
    assert_eq!(sim.auth_log(Some(&li)).len(), 2);
}

#[tokio::test]
async fn service_down_and_bad_config() {
    assert_eq!(
        NetIdClient::new(NetIdConfig::new("ftp://x", "a", b"s".to_vec())).unwrap_err(),
        NetIdError::InvalidUrl
    );
    assert_eq!(
        NetIdClient::new(NetIdConfig::new("http://127.0.0.1:1", "", b"s".to_vec())).unwrap_err(),
        NetIdError::MissingAppCredentials
    );
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), "a", "secret");
    assert_eq!(
        c.verify("WZ1.x.y", None).await.unwrap_err(),
        NetIdError::Connect
    );
}

#[tokio::test]
async fn simulator_enrolment_api_refuses_bad_input_without_echo() {
    let (base, _sim) = start().await;
    let (status, v) = post(
        format!("{base}/sim/v1/persons"),
        serde_json::json!({"name": "王五", "id_number": "110105194912310021"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(v["error"], "invalid_enrolment");
    assert!(!v.to_string().contains("110105194912310021"));
    let (status, v) = post(
        format!("{base}/sim/v1/credentials"),
        serde_json::json!({"network_number": "NOSUCHNUMBER", "app_id": "platform-a"}),
    )
    .await;
    assert_eq!((status, v["error"].as_str()), (404, Some("unknown_person")));
}
