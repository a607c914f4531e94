//! The rights-request workflow over the admin API, on SQLite and PostgreSQL: intake by staff
//! and by the user, identity verification, approval, refusal only with reasons (and a written
//! notice for a child), partial completion with reasons, filters, due lists, statistics, and
//! every step in the audit chain.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::Harness;
use serde_json::{Value, json};

async fn file(h: &Harness, subject: &str, kind: &str) -> Value {
    let (s, r) = h
        .call(
            "POST",
            "/v1/admin/rights-requests",
            Some(&h.admin_key),
            Some(json!({"subject": subject, "kind": kind, "details": "电话来电提出"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r
}

async fn post(h: &Harness, path: &str, body: Value) -> (StatusCode, Value) {
    h.call("POST", path, Some(&h.admin_key), Some(body)).await
}

on_both_stores!(
    a_request_goes_through_every_state_with_reasons_where_required,
    async |h: &Harness| {
        let r = file(h, "dsr-1", "delete").await;
        let id = r["id"].as_str().unwrap().to_owned();
        assert_eq!(r["state"], "received");
        assert_eq!(r["channel"], "api");
        assert_eq!(r["due_rule"], "15 working days");
        assert!(
            r["due_date"].is_string() || r["due_error"].is_string(),
            "{r}"
        );

        // Execution needs a verified identity.
        let (s, e) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "identity_not_verified");

        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/verify"),
            json!({"method": "network_identity", "reference": "WH3K9P2Q"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["state"], "identity_verified");
        assert_eq!(r["identity_method"], "network_identity");
        let (s, _) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/verify"),
            json!({"method": "staff"}),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "verifying twice is a state error");

        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["state"], "in_progress");

        // A partial completion needs reasons.
        let (s, e) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/complete"),
            json!({"partly_reasons": "  "}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["code"], "reasons_required");
        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/complete"),
            json!({"partly_reasons": "订单记录依电子商务法第三十一条保存三年，仅存储", "result": {"held": ["orders"]}}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["state"], "partly_completed");
        assert!(r["closed_at"].is_string());
        assert_eq!(r["result"]["held"], json!(["orders"]));

        // The history.
        let (s, d) = h
            .call(
                "GET",
                &format!("/v1/admin/rights-requests/{id}"),
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let steps: Vec<&str> = d["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["to_state"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                "received",
                "identity_verified",
                "in_progress",
                "partly_completed"
            ]
        );
        // Closed requests cannot be refused.
        let (s, _) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/refuse"),
            json!({"reasons": "无法核实身份"}),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT);

        let (_, v) = h
            .call("GET", "/v1/admin/audit/verify", Some(&h.admin_key), None)
            .await;
        assert_eq!(v["ok"], true, "{v}");
    }
);

on_both_stores!(
    refusals_need_reasons_and_a_child_gets_a_written_notice,
    async |h: &Harness| {
        let r = file(h, "dsr-2", "copy").await;
        let id = r["id"].as_str().unwrap().to_owned();
        for empty in ["", "   ", "不行"] {
            let (s, e) = post(
                h,
                &format!("/v1/admin/rights-requests/{id}/refuse"),
                json!({"reasons": empty}),
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{empty:?}: {e}");
            assert!(
                e["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("PIPL art. 50")
            );
        }
        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/refuse"),
            json!({"reasons": "多次核验身份均未通过"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["state"], "refused");
        assert!(
            r["result"]["written_notice"].is_null(),
            "an adult gets no letter: {r}"
        );

        // A child (under 14): the refusal carries a written notice in both languages.
        h.call(
            "PUT",
            "/v1/subjects/dsr-kid/minor",
            Some(&h.platform_key),
            Some(json!({"under_14": true})),
        )
        .await;
        let r = file(h, "dsr-kid", "delete").await;
        let id = r["id"].as_str().unwrap().to_owned();
        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{id}/refuse"),
            json!({"reasons": "监护人身份未能核实"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let zh = r["result"]["written_notice"]["zh-CN"].as_str().unwrap();
        assert!(
            zh.contains("监护人身份未能核实") && zh.contains(&id),
            "{zh}"
        );
        assert!(
            r["result"]["written_notice"]["en"]
                .as_str()
                .unwrap()
                .contains("Written reply")
        );
    }
);

on_both_stores!(
    lists_filter_by_state_kind_and_due_date,
    async |h: &Harness| {
        let a = file(h, "dsr-3", "delete").await;
        let b = file(h, "dsr-3", "access").await;
        let _c = file(h, "dsr-4", "transfer").await;
        post(
            h,
            &format!(
                "/v1/admin/rights-requests/{}/refuse",
                b["id"].as_str().unwrap()
            ),
            json!({"reasons": "重复提交的请求"}),
        )
        .await;
        let (s, l) = h
            .call(
                "GET",
                "/v1/admin/rights-requests?state=open&subject=dsr-3",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let ids: Vec<&str> = l
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [a["id"].as_str().unwrap()]);
        let (_, l) = h
            .call(
                "GET",
                "/v1/admin/rights-requests?kind=transfer",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(l.as_array().unwrap().len(), 1);
        let (s, e) = h
            .call(
                "GET",
                "/v1/admin/rights-requests?state=lost",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        if let Some(due) = a["due_date"].as_str() {
            let (_, l) = h
                .call(
                    "GET",
                    &format!("/v1/admin/rights-requests?due_before={due}&kind=delete"),
                    Some(&h.admin_key),
                    None,
                )
                .await;
            assert_eq!(l.as_array().unwrap().len(), 1);
            let (_, l) = h
                .call(
                    "GET",
                    "/v1/admin/rights-requests?due_before=2000-01-01",
                    Some(&h.admin_key),
                    None,
                )
                .await;
            assert!(l.as_array().unwrap().is_empty());
            // Due lists: on the due date it is due soon, the day after it is overdue.
            let (_, d) = h
                .call(
                    "GET",
                    &format!("/v1/admin/rights-requests/due?today={due}"),
                    Some(&h.admin_key),
                    None,
                )
                .await;
            assert!(
                d["due_soon"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == a["id"]),
                "{d}"
            );
            let (_, d) = h
                .call(
                    "GET",
                    "/v1/admin/rights-requests/due?today=2099-01-01",
                    Some(&h.admin_key),
                    None,
                )
                .await;
            assert!(
                d["overdue"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == a["id"]),
                "{d}"
            );
        }
        let (s, st) = h
            .call("GET", "/v1/admin/rights-stats", Some(&h.admin_key), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let count = |kind: &str, state: &str| {
            st.as_array()
                .unwrap()
                .iter()
                .find(|r| r["kind"] == kind && r["state"] == state)
                .map(|r| r["count"].as_i64().unwrap())
                .unwrap_or(0)
        };
        assert_eq!(count("delete", "received"), 1);
        assert_eq!(count("access", "refused"), 1);
        assert_eq!(count("transfer", "received"), 1);
        let (s, _) = h
            .call("GET", "/v1/admin/rights-stats", Some(&h.platform_key), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

on_both_stores!(
    intake_rejects_bad_input_with_clear_errors,
    async |h: &Harness| {
        let (s, e) = post(
            h,
            "/v1/admin/rights-requests",
            json!({"subject": "x", "kind": "erase"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("deceased_relative"),
            "{e}"
        );
        let (s, e) = post(
            h,
            "/v1/admin/rights-requests",
            json!({"subject": "x", "kind": "access", "requester": "close_relative"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            e["error"]["message"].as_str().unwrap().contains("PIPL 49"),
            "{e}"
        );
        let (s, r) = post(
        h,
        "/v1/admin/rights-requests",
        json!({"subject": "late-user", "kind": "deceased_relative", "requester": "close_relative", "details": "查阅、复制"}),
    )
    .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["requester"], "close_relative");
        // From the user's own account a relative's request makes no sense.
        let user = h.user_token("dsr-5");
        let (s, _) = h
            .call(
                "POST",
                "/v1/me/rights-requests",
                Some(&user),
                Some(json!({"kind": "deceased_relative"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = post(
            h,
            "/v1/admin/rights-requests/rr_nope/verify",
            json!({"method": "staff"}),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = post(
            h,
            "/v1/admin/rights-requests/rr_nope/verify",
            json!({"method": "id_card_photo"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

/// A form post to the admin page, with the session cookie and optional extra headers.
async fn form(
    h: &Harness,
    path: &str,
    cookie: Option<&str>,
    body: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let mut req =
        axum::http::Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let resp = tower::ServiceExt::oneshot(
        h.router.clone(),
        req.body(axum::body::Body::from(body.to_owned())).unwrap(),
    )
    .await
    .unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        location,
    )
}

async fn admin_page(h: &Harness, cookie: &str) -> String {
    let resp = tower::ServiceExt::oneshot(
        h.router.clone(),
        axum::http::Request::get("/admin")
            .header("cookie", cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

on_both_stores!(
    the_admin_page_approves_and_refuses_with_reasons,
    async |h: &Harness| {
        let cookie = {
            let resp = tower::ServiceExt::oneshot(
                h.router.clone(),
                axum::http::Request::post("/admin/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from(format!("key={}", h.admin_key)))
                    .unwrap(),
            )
            .await
            .unwrap();
            let c = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
            c.split(';').next().unwrap().to_owned()
        };
        let a = file(h, "page-1", "access").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let b = file(h, "page-2", "delete").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (s, r) = post(
            h,
            &format!("/v1/admin/rights-requests/{a}/verify"),
            json!({"method": "staff"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{r}");

        // The page offers approval only once the identity is verified; refusal always.
        let page = admin_page(h, &cookie).await;
        let row = |id: &str| {
            let start = page.find(&format!("data-request=\"{id}\"")).unwrap();
            let end = page[start..].find("</tr>").unwrap() + start;
            page[start..end].to_owned()
        };
        assert!(row(&a).contains("value=\"approve\""), "{}", row(&a));
        assert!(!row(&b).contains("value=\"approve\""), "{}", row(&b));
        assert!(row(&b).contains("value=\"refuse\""));

        // Without the session: the sign-in form; from another site: refused.
        let path_a = format!("/admin/rights/{a}");
        let (s, _, _) = form(h, &path_a, None, "action=approve", &[]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _, _) = form(
            h,
            &path_a,
            Some(&cookie),
            "action=approve",
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, _) = form(
            h,
            &path_a,
            Some(&cookie),
            "action=approve",
            &[("origin", "https://evil.example"), ("host", "xiezhi.local")],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Approve: in progress, by this admin key.
        let (s, _, loc) = form(h, &path_a, Some(&cookie), "action=approve", &[]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(loc.as_deref(), Some("/admin#requests"));
        let (_, r) = h
            .call(
                "GET",
                &format!("/v1/admin/rights-requests/{a}"),
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(r["request"]["state"], "in_progress", "{r}");

        // Refuse without reasons: a clear error, nothing changes; with reasons: refused.
        let path_b = format!("/admin/rights/{b}");
        let (s, page, _) = form(h, &path_b, Some(&cookie), "action=refuse&reasons=", &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("role=\"alert\""), "{page}");
        let body = format!(
            "action=refuse&reasons={}",
            "%E6%B3%95%E5%AE%9A%E4%BF%9D%E5%AD%98%E4%B9%89%E5%8A%A1%E6%9C%AA%E5%B1%8A%E6%BB%A1"
        ); // 法定保存义务未届满
        let (s, _, _) = form(h, &path_b, Some(&cookie), &body, &[]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, r) = h
            .call(
                "GET",
                &format!("/v1/admin/rights-requests/{b}"),
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(r["request"]["state"], "refused", "{r}");
        assert_eq!(r["request"]["reasons"], "法定保存义务未届满", "{r}");
        // Closed requests have no forms any more.
        let page = admin_page(h, &cookie).await;
        let start = page.find(&format!("data-request=\"{b}\"")).unwrap();
        let end = page[start..].find("</tr>").unwrap() + start;
        assert!(!page[start..end].contains("<form"));
    }
);
