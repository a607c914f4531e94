//! The calendar of duties over the admin API (`/v1/admin/duties`, `/v1/admin/duties.ics`) and
//! the reminders on the admin page, for the example data map of `xiezhi init`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;

fn example_project(edit: impl FnOnce(&mut xiezhi_map::Project)) -> Arc<xiezhi_map::Project> {
    let dir = tempfile::tempdir().unwrap();
    xiezhi_map::init_project(dir.path()).unwrap();
    let mut p = xiezhi_map::load_project(dir.path()).unwrap();
    edit(&mut p);
    Arc::new(p)
}

async fn harness(edit: impl FnOnce(&mut xiezhi_map::Project)) -> Harness {
    let p = example_project(edit);
    Harness::sqlite_with(move |s| s.with_project(p)).await
}

async fn raw_get(
    h: &Harness,
    path: &str,
    auth: Option<&str>,
    cookie: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = Request::get(path);
    if let Some(a) = auth {
        req = req.header("authorization", format!("Bearer {a}"));
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = tower::ServiceExt::oneshot(h.router.clone(), req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, ctype, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duties_json_for_the_example() {
    let h = harness(|_| {}).await;
    let (s, b) = h
        .call(
            "GET",
            "/v1/admin/duties?as_of=2026-11-28",
            Some(&h.admin_key),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["as_of"], "2026-11-28");
    assert_eq!(b["within_days"], 30);
    assert_eq!(b["working_day_calendar"], "2025–2026");
    let duties = b["duties"].as_array().unwrap();
    assert_eq!(duties.len(), 10);
    let first = &duties[0];
    assert_eq!(first["id"], "art33-annual");
    assert_eq!(first["status"], "due_soon");
    assert_eq!(first["due"], "2026-12-15");
    assert_eq!(first["days_left"], 17);
    assert_eq!(first["confidence"], "C2");
    assert_eq!(first["kind"], "periodic");
    assert_eq!(first["command"], "xiezhi report important-data-annual");
    assert_eq!(first["derived_from"][1]["source"], "data_map");
    assert_eq!(first["derived_from"][1]["file"], "datamap/assessments.yaml");
    let pipo = duties.iter().find(|d| d["id"] == "pipo-filing").unwrap();
    assert_eq!(pipo["status"], "done");
    assert_eq!(pipo["due"], "2025-08-29");
    let platform = duties
        .iter()
        .find(|d| d["id"] == "platform-pi-annual")
        .unwrap();
    assert_eq!(platform["status"], "not_applicable");
    assert!(platform["due"].is_null());

    // `within` moves the horizon: 17 days is not within 10.
    let (_, b) = h
        .call(
            "GET",
            "/v1/admin/duties?as_of=2026-11-28&within=10",
            Some(&h.admin_key),
            None,
        )
        .await;
    assert_eq!(b["duties"][0]["status"], "done");
    // Overdue later on.
    let (_, b) = h
        .call(
            "GET",
            "/v1/admin/duties?as_of=2027-04-02",
            Some(&h.admin_key),
            None,
        )
        .await;
    let overdue: Vec<&str> = b["duties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "overdue")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, vec!["art33-annual", "audit-minors-annual"]);
    h.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duties_auth_and_errors() {
    let h = harness(|_| {}).await;
    let (s, b) = h.call("GET", "/v1/admin/duties", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    let (s, _) = h
        .call("GET", "/v1/admin/duties", Some(&h.platform_key), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = raw_get(&h, "/v1/admin/duties.ics", Some(&h.platform_key), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for bad in [
        "/v1/admin/duties?as_of=2026-02-30",
        "/v1/admin/duties?within=100000",
        "/v1/admin/duties.ics?lang=fr",
    ] {
        let (s, b) = h.call("GET", bad, Some(&h.admin_key), None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {b}");
        assert!(b["error"]["message"].is_string());
    }
    // Today by default.
    let (s, b) = h
        .call("GET", "/v1/admin/duties", Some(&h.admin_key), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        b["as_of"],
        xiezhi_store::china_date(xiezhi_decide::time::now_millis())
    );
    h.cleanup().await;

    // A server without a data map says what to do.
    let h = Harness::sqlite().await;
    let (s, b) = h
        .call("GET", "/v1/admin/duties", Some(&h.admin_key), None)
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(b["error"]["code"], "no_data_map");
    h.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duties_ics_feed() {
    let h = harness(|_| {}).await;
    let (s, ctype, text) = raw_get(
        &h,
        "/v1/admin/duties.ics?as_of=2026-11-28&lang=en",
        Some(&h.admin_key),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype, "text/calendar; charset=utf-8");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(text.contains("PRODID:-//Xiezhi//Duties//EN\r\n"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 9);
    for l in text.trim_end_matches("\r\n").split("\r\n") {
        assert!(l.len() <= 75, "{l}");
    }
    // The same duties as JSON, one event each with its UID.
    assert!(text.contains("\r\nUID:art33-annual@"));
    assert!(text.contains("DTSTART;VALUE=DATE:20261215\r\n"));
    let (_, _, zh) = raw_get(
        &h,
        "/v1/admin/duties.ics?as_of=2026-11-28",
        Some(&h.admin_key),
        None,
    )
    .await;
    assert!(zh.contains("PRODID:-//Xiezhi//Duties//ZH\r\n"));
    h.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_page_shows_the_reminders() {
    // Make the art. 33 duties overdue whatever today's date is: the next assessment was due
    // 2025-12-15 and the last one was never reported.
    let h = harness(|p| {
        for f in &mut p.files {
            for a in &mut f.map.assessments {
                if a.id.value == "risk-2025" {
                    a.next_due = Some("2025-12-15".parse().unwrap());
                    a.reported = None;
                }
            }
        }
    })
    .await;
    let cookie = format!("xz_admin={}", h.admin_key);
    let (s, _, page) = raw_get(&h, "/admin", None, Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"duties\""), "{page}");
    assert!(page.contains("合规义务提醒 · Duty reminders"));
    assert!(page.contains("data-duty=\"art33-annual\""));
    assert!(page.contains("data-duty=\"art33-submit:risk-2025\""));
    assert!(page.contains("已逾期 · overdue"));
    assert!(page.contains("href=\"/v1/admin/duties.ics\""));
    // Done and not-applicable duties are not reminders.
    assert!(!page.contains("data-duty=\"platform-pi-annual\""));
    assert!(!page.contains("data-duty=\"pipo-filing\""));
    // Signed out: no reminders.
    let (s, _, page) = raw_get(&h, "/admin", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(!page.contains("data-duty"));
    h.cleanup().await;
}
