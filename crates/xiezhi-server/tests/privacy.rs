//! The privacy center pages through the real router: sign-in by token link, switches and tag
//! deletion by plain HTML forms (no JavaScript), CSRF, languages, escaping; the decision API
//! reflects each change at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;
use serde_json::json;

async fn get(
    h: &Harness,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = tower::ServiceExt::oneshot(h.router.clone(), req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap(), headers)
}

async fn post(
    h: &Harness,
    path: &str,
    cookie: &str,
    form: &str,
) -> (StatusCode, axum::http::HeaderMap) {
    let req = Request::post(path)
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    let resp = tower::ServiceExt::oneshot(h.router.clone(), req)
        .await
        .unwrap();
    (resp.status(), resp.headers().clone())
}

fn csrf(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a csrf field")
        + 19;
    page[at..at + 64].to_owned()
}

async fn sign_in(h: &Harness, subject: &str) -> String {
    let token = h.user_token(subject);
    let (s, _, headers) = get(h, &format!("/privacy?token={token}"), None).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap();
    assert!(
        !location.contains("token"),
        "the token leaves the address bar: {location}"
    );
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/privacy")
    );
    cookie.split(';').next().unwrap().to_owned()
}

on_both_stores!(
    switch_off_and_tag_deletion_from_the_page,
    async |h: &Harness| {
        let (s, page, _) = get(h, "/privacy", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(page.contains("lang=\"zh-CN\""));
        h.call(
            "PUT",
            "/v1/subjects/web-1/tags/interest:football",
            Some(&h.platform_key),
            Some(json!({"label": "足球<script>alert(1)</script>", "source": "recsys"})),
        )
        .await;
        let cookie = sign_in(h, "web-1").await;
        let (s, page, headers) = get(h, "/privacy", Some(&cookie)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers["cache-control"], "no-store");
        assert!(page.contains("个性化推荐") && page.contains("href=\"/privacy/rules?lang=zh-CN\""));
        assert!(page.contains("足球&lt;script&gt;"), "labels are escaped");
        assert!(!page.contains("<script>alert"));
        let token = csrf(&page);
        // A forged form (no or wrong csrf) changes nothing.
        let (s, _) = post(
            h,
            "/privacy/recommendation",
            &cookie,
            "on=false&csrf=00&lang=zh-CN",
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let r = h.decide("web-1", json!([{"action": "personalize"}])).await;
        assert_eq!(r[0]["allow"], true);
        // Switch off from the page: the very next decision denies.
        let (s, headers) = post(
            h,
            "/privacy/recommendation",
            &cookie,
            &format!("on=false&csrf={token}&lang=zh-CN"),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(
            headers["location"]
                .to_str()
                .unwrap()
                .contains("saved=1#recommendation")
        );
        let r = h.decide("web-1", json!([{"action": "personalize"}])).await;
        assert_eq!(r[0]["reason"], "recommendation_off");
        // Refuse marketing SMS.
        let (s, _) = post(
            h,
            "/privacy/push",
            &cookie,
            &format!("channel=sms&category=marketing&refused=true&csrf={token}"),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = h
            .decide(
                "web-1",
                json!([{"action": "push", "channel": "sms", "category": "marketing"}]),
            )
            .await;
        assert_eq!(r[0]["reason"], "push_refused");
        // Delete the tag: gone from the API and from the page, and it cannot be re-added.
        let (s, _) = post(
            h,
            "/privacy/tags/delete",
            &cookie,
            &format!("tag=interest%3Afootball&csrf={token}"),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let r = h
            .decide(
                "web-1",
                json!([{"action": "use_tag", "tag": "interest:football"}]),
            )
            .await;
        assert_eq!(r[0]["reason"], "tag_deleted");
        let (s, _) = h
            .call(
                "PUT",
                "/v1/subjects/web-1/tags/interest:football",
                Some(&h.platform_key),
                Some(json!({"label": "x", "source": "recsys"})),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (_, page, _) = get(h, "/privacy?saved=1", Some(&cookie)).await;
        assert!(!page.contains("data-tag=\"interest:football\""));
        assert!(page.contains("role=\"status\""));
    }
);

on_both_stores!(consent_withdrawal_and_languages, async |h: &Harness| {
    h.call(
        "POST",
        "/v1/subjects/web-2/consents",
        Some(&h.platform_key),
        Some(json!({"purpose": "recommend", "status": "granted", "channel": "app"})),
    )
    .await;
    let cookie = sign_in(h, "web-2").await;
    let (_, page, _) = get(h, "/privacy?lang=en", Some(&cookie)).await;
    assert!(
        page.contains("lang=\"en\"")
            && page.contains("Privacy center")
            && page.contains("Withdraw")
    );
    let token = csrf(&page);
    let (s, _) = post(
        h,
        "/privacy/consents/withdraw",
        &cookie,
        &format!("purpose=recommend&csrf={token}&lang=en"),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let r = h
        .decide(
            "web-2",
            json!([{"action": "process", "purpose": "recommend"}]),
        )
        .await;
    assert_eq!(r[0]["reason"], "consent_withdrawn");
    let (_, page, _) = get(h, "/privacy?lang=en", Some(&cookie)).await;
    assert!(page.contains("Withdrawn"));
    // Another user's session sees only that user's settings.
    let other = sign_in(h, "web-3").await;
    let (_, page, _) = get(h, "/privacy?lang=en", Some(&other)).await;
    assert!(page.contains("No consents recorded."));
    // A forged session cookie is refused.
    let (s, _, _) = get(h, "/privacy", Some("xz_session=abc.def.ghi")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
});

#[tokio::test]
async fn rules_page_is_public_and_lists_the_purposes() {
    let h = Harness::sqlite().await;
    let (s, page, _) = get(&h, "/privacy/rules", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Personalised recommendation") && page.contains("生物识别信息")
            || page.contains("Face login")
    );
    let (_, page, _) = get(&h, "/privacy/rules?lang=en", None).await;
    assert!(page.contains("Processing rules") && page.contains("Back to the privacy center"));
}

on_both_stores!(
    rights_requests_from_the_page_and_the_api_reach_admin,
    async |h: &Harness| {
        let cookie = sign_in(h, "web-4").await;
        let (_, page, _) = get(h, "/privacy", Some(&cookie)).await;
        assert!(page.contains("id=\"rights-form\"") && page.contains("注销账号"));
        let token = csrf(&page);
        let (s, headers) = post(
            h,
            "/privacy/requests",
            &cookie,
            &format!("kind=delete&details=%E8%AF%B7%E5%88%A0%E9%99%A4&csrf={token}"),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(headers["location"].to_str().unwrap().contains("#rights"));
        // The person sees the request, its state and when it is due.
        let (_, page, _) = get(h, "/privacy", Some(&cookie)).await;
        assert!(
            page.contains("我的请求") && page.contains("已核验身份，待处理"),
            "{page}"
        );
        assert!(page.contains("<tr data-request=\"rr_"));
        let user = h.user_token("web-5");
        let (s, body) = h
            .call(
                "POST",
                "/v1/me/rights-requests",
                Some(&user),
                Some(json!({"kind": "cancel_account"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "identity_verified");
        let (s, _) = h
            .call(
                "POST",
                "/v1/me/rights-requests",
                Some(&user),
                Some(json!({"kind": "nonsense"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = h
            .call(
                "GET",
                "/v1/admin/rights-requests",
                Some(&h.platform_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, list) = h
            .call("GET", "/v1/admin/rights-requests", Some(&h.admin_key), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            list.iter()
                .filter(|r| r["kind"] == "delete"
                    && r["subject"] == "web-4"
                    && r["channel"] == "privacy-center")
                .count(),
            1
        );
        assert_eq!(
            list.iter()
                .filter(|r| r["kind"] == "cancel_account" && r["subject"] == "web-5")
                .count(),
            1
        );
        // In the audit chain, and the chain still verifies.
        let (_, v) = h
            .call("GET", "/v1/admin/audit/verify", Some(&h.admin_key), None)
            .await;
        assert_eq!(v["ok"], true, "{v}");
    }
);

on_both_stores!(
    published_rules_are_served_and_listed,
    async |h: &Harness| {
        let store = h.state.engine.store();
        let now = xiezhi_decide::time::now_millis();
        let p = store
            .publish_rules(
                "{\"activities\":[]}",
                "<h1>规则 v1</h1>",
                "<h1>Rules v1</h1>",
                "test",
                now,
            )
            .await
            .unwrap();
        assert!(matches!(p, xiezhi_store::Published::New(ref v) if v.version == 1));
        let again = store
            .publish_rules(
                "{\"activities\":[]}",
                "<h1>规则 v1</h1>",
                "<h1>Rules v1</h1>",
                "test",
                now,
            )
            .await
            .unwrap();
        assert!(matches!(again, xiezhi_store::Published::Unchanged(ref v) if v.version == 1));
        let (_, page, _) = get(h, "/privacy/rules", None).await;
        assert_eq!(page, "<h1>规则 v1</h1>");
        let (_, page, _) = get(h, "/privacy/rules?lang=en", None).await;
        assert_eq!(page, "<h1>Rules v1</h1>");
        let (s, list) = h
            .call("GET", "/v1/admin/rules/versions", Some(&h.admin_key), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert!(list[0]["digest"].as_str().unwrap().starts_with("sha256:"));
        h.call(
            "POST",
            "/v1/subjects/web-6/consents",
            Some(&h.platform_key),
            Some(json!({"purpose": "recommend", "status": "granted", "rules_version": "1"})),
        )
        .await;
        let (s, stats) = h
            .call("GET", "/v1/admin/consent-stats", Some(&h.admin_key), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            stats
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rules_version"] == "1" && r["status"] == "granted" && r["count"] == 1),
            "{stats}"
        );
        let (_, v) = h
            .call("GET", "/v1/admin/audit/verify", Some(&h.admin_key), None)
            .await;
        assert_eq!(v["ok"], true);
    }
);

on_both_stores!(
    any_two_rules_versions_can_be_compared,
    async |h: &Harness| {
        let store = h.state.engine.store();
        let now = xiezhi_decide::time::now_millis();
        let act = |types: &[&str], purpose: &str| {
            json!({"activities": [{"id": "recommend", "legal_basis": {"id": "consent"}, "purpose": purpose,
                "method": "m", "pi_types": types.iter().map(|t| json!({"id": t})).collect::<Vec<_>>()}]})
        };
        // v1 → v2 wording only in an unrelated place; v3 adds a PI type.
        let docs = [
            act(&["device_id"], "p"),
            {
                let mut d = act(&["device_id"], "p");
                d["title"] = json!("新标题");
                d
            },
            act(&["device_id", "email"], "p"),
        ];
        for (i, d) in docs.iter().enumerate() {
            store
                .publish_rules(
                    &d.to_string(),
                    "<p>x</p>",
                    "<p>x</p>",
                    "test",
                    now + i as i64,
                )
                .await
                .unwrap();
        }
        let (s, d) = h
            .call(
                "GET",
                "/v1/admin/rules/diff?from=1&to=3",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["class"], "fresh_consent");
        assert_eq!(d["fresh_consent_activities"], json!(["recommend"]));
        assert!(
            d["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["path"] == "activities[recommend].pi_types")
        );
        let (_, d) = h
            .call(
                "GET",
                "/v1/admin/rules/diff?from=1&to=2",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(d["class"], "notice", "{d}");
        let (_, d) = h
            .call(
                "GET",
                "/v1/admin/rules/diff?from=2&to=2",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert!(
            d["class"].is_null() && d["changes"].as_array().unwrap().is_empty(),
            "{d}"
        );
        let (s, d) = h
            .call(
                "GET",
                "/v1/admin/rules/diff?from=1&to=9",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(d["error"]["code"], "rules_version_not_found", "{d}");
        let (s, _) = h
            .call(
                "GET",
                "/v1/admin/rules/diff?from=1&to=3",
                Some(&h.platform_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

on_both_stores!(admin_pages_need_an_admin_key, async |h: &Harness| {
    let (s, page, _) = get(h, "/admin", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(page.contains("action=\"/admin/login\""));
    let login = |key: &str| {
        Request::post("/admin/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("key={key}")))
            .unwrap()
    };
    let resp = tower::ServiceExt::oneshot(h.router.clone(), login(&h.platform_key))
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "a platform key is not an admin key"
    );
    let resp = tower::ServiceExt::oneshot(h.router.clone(), login(&h.admin_key))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/admin")
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let store = h.state.engine.store();
    let now = xiezhi_decide::time::now_millis();
    let v1 = json!({"activities": [{"id": "recommend", "legal_basis": {"id": "consent"}, "purpose": "p", "method": "m", "pi_types": [{"id": "device_id"}]}]});
    let v2 = json!({"activities": [{"id": "recommend", "legal_basis": {"id": "consent"}, "purpose": "p", "method": "m", "pi_types": [{"id": "device_id"}, {"id": "email"}]}]});
    store
        .publish_rules(&v1.to_string(), "<p>1</p>", "<p>1</p>", "test", now)
        .await
        .unwrap();
    store
        .publish_rules(&v2.to_string(), "<p>2</p>", "<p>2</p>", "test", now + 1)
        .await
        .unwrap();
    let user = h.user_token("adm-1");
    h.call(
        "POST",
        "/v1/me/rights-requests",
        Some(&user),
        Some(json!({"kind": "delete"})),
    )
    .await;
    let (s, page, _) = get(h, "/admin", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("first version"));
    assert!(
        page.contains("<strong>fresh consent</strong> for recommend"),
        "{page}"
    );
    assert!(page.contains("activities[recommend].pi_types"));
    assert!(page.contains("<td>delete</td><td>adm-1</td>"));
});
