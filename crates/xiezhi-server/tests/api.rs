//! The HTTP API end to end through the real router, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Harness;
use serde_json::json;

on_both_stores!(
    switch_off_takes_effect_on_the_very_next_decision,
    async |h: &Harness| {
        let user = h.user_token("u-switch");
        let r = h
            .decide("u-switch", json!([{"action": "personalize"}]))
            .await;
        assert_eq!(r[0]["allow"], true);
        assert_eq!(r[0]["reason"], "recommendation_on");
        let (s, body) = h
            .call(
                "PUT",
                "/v1/me/preferences",
                Some(&user),
                Some(json!({"recommendation": false})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["state"]["recommendation"]["on"], false);
        let r = h
            .decide("u-switch", json!([{"action": "personalize"}]))
            .await;
        assert_eq!(r[0]["allow"], false);
        assert_eq!(r[0]["reason"], "recommendation_off");
        assert!(r[0]["since"].as_str().unwrap().ends_with('Z'));
        // Back on.
        h.call(
            "PUT",
            "/v1/me/preferences",
            Some(&user),
            Some(json!({"recommendation": true})),
        )
        .await;
        let r = h
            .decide("u-switch", json!([{"action": "personalize"}]))
            .await;
        assert_eq!(r[0]["allow"], true);
    }
);

on_both_stores!(
    push_refusal_per_channel_and_category,
    async |h: &Harness| {
        let user = h.user_token("u-push");
        let (s, _) = h
            .call(
                "PUT",
                "/v1/me/preferences",
                Some(&user),
                Some(
                    json!({"push": [{"channel": "sms", "category": "marketing", "refused": true}]}),
                ),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let r = h
            .decide(
                "u-push",
                json!([
                    {"action": "push", "channel": "sms", "category": "marketing"},
                    {"action": "push", "channel": "sms", "category": "service"},
                    {"action": "push", "channel": "app_push"}
                ]),
            )
            .await;
        assert_eq!(r[0]["reason"], "push_refused");
        assert_eq!(r[1]["allow"], true);
        assert_eq!(r[2]["allow"], true);
    }
);

on_both_stores!(
    deleted_tag_is_gone_and_cannot_be_re_added,
    async |h: &Harness| {
        let tag = json!({"label": "足球爱好者", "source": "recsys-v3", "personal": true});
        let (s, body) = h
            .call(
                "PUT",
                "/v1/subjects/u-tag/tags/interest:football",
                Some(&h.platform_key),
                Some(tag.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let r = h
            .decide(
                "u-tag",
                json!([{"action": "use_tag", "tag": "interest:football"}]),
            )
            .await;
        assert_eq!(r[0]["allow"], true);
        let user = h.user_token("u-tag");
        let (s, me) = h.call("GET", "/v1/me", Some(&user), None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["tags"][0]["label"], "足球爱好者");
        let (s, _) = h
            .call("DELETE", "/v1/me/tags/interest:football", Some(&user), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        let r = h
            .decide(
                "u-tag",
                json!([{"action": "use_tag", "tag": "interest:football"}]),
            )
            .await;
        assert_eq!(r[0]["allow"], false);
        assert_eq!(r[0]["reason"], "tag_deleted");
        let (s, body) = h
            .call(
                "PUT",
                "/v1/subjects/u-tag/tags/interest:football",
                Some(&h.platform_key),
                Some(tag),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "tag_tombstoned");
        let r = h
            .decide(
                "u-tag",
                json!([{"action": "use_tag", "tag": "interest:football"}]),
            )
            .await;
        assert_eq!(r[0]["reason"], "tag_deleted");
        let (s, _) = h
            .call("DELETE", "/v1/me/tags/never-registered", Some(&user), None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

on_both_stores!(
    consent_grant_withdraw_refuse_and_cool_down,
    async |h: &Harness| {
        let user = h.user_token("u-consent");
        let process = json!([{"action": "process", "purpose": "recommend"}]);
        let r = h.decide("u-consent", process.clone()).await;
        assert_eq!(r[0]["reason"], "consent_missing");
        let (s, body) = h
            .call(
                "POST",
                "/v1/me/consents",
                Some(&user),
                Some(json!({"purpose": "recommend", "status": "granted"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let r = h.decide("u-consent", process.clone()).await;
        assert_eq!(r[0]["reason"], "consent_granted");
        let (s, _) = h
            .call(
                "POST",
                "/v1/me/consents/recommend/withdraw",
                Some(&user),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let r = h.decide("u-consent", process.clone()).await;
        assert_eq!(r[0]["reason"], "consent_withdrawn");
        let (s, body) = h
            .call(
                "POST",
                "/v1/me/consents/recommend/withdraw",
                Some(&user),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        // Refusal memory.
        h.call(
            "POST",
            "/v1/me/consents",
            Some(&user),
            Some(json!({"purpose": "recommend", "status": "refused"})),
        )
        .await;
        let r = h
            .decide(
                "u-consent",
                json!([{"action": "ask_consent", "purpose": "recommend"}]),
            )
            .await;
        assert_eq!(r[0]["allow"], false);
        assert_eq!(r[0]["reason"], "refusal_cool_down");
        // Separate consent needed for biometrics: general is not enough.
        let (s, _) = h
        .call(
            "POST",
            "/v1/subjects/u-consent/consents",
            Some(&h.platform_key),
            Some(json!({"purpose": "face-login", "status": "granted", "kind": "general", "channel": "app-v5"})),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let r = h
            .decide(
                "u-consent",
                json!([{"action": "process", "purpose": "face-login"}]),
            )
            .await;
        assert_eq!(r[0]["reason"], "consent_kind_insufficient");
        // Unknown purpose, non-consent purpose.
        let (s, _) = h
            .call(
                "POST",
                "/v1/me/consents",
                Some(&user),
                Some(json!({"purpose": "nope", "status": "granted"})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let r = h
            .decide(
                "u-consent",
                json!([{"action": "process", "purpose": "delivery"}]),
            )
            .await;
        assert_eq!(r[0]["reason"], "other_legal_basis");
    }
);

on_both_stores!(children_need_a_linked_guardian, async |h: &Harness| {
    let k = h.platform_key.clone();
    let (s, _) = h
        .call(
            "PUT",
            "/v1/subjects/kid-1/minor",
            Some(&k),
            Some(json!({"under_14": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = h
        .decide(
            "kid-1",
            json!([{"action": "process", "purpose": "recommend"}]),
        )
        .await;
    assert_eq!(r[0]["reason"], "guardian_consent_required");
    let (s, body) = h
        .call(
            "POST",
            "/v1/subjects/kid-1/consents",
            Some(&k),
            Some(json!({"purpose": "recommend", "status": "granted", "kind": "guardian", "guardian": "parent-1"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "guardian not linked yet: {body}");
    let (s, _) = h
        .call(
            "POST",
            "/v1/subjects/kid-1/guardian",
            Some(&k),
            Some(json!({"guardian": "parent-1", "evidence": {"method": "id-check"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = h
        .call(
            "POST",
            "/v1/subjects/kid-1/consents",
            Some(&k),
            Some(json!({"purpose": "recommend", "status": "granted", "kind": "guardian", "guardian": "parent-1"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let r = h
        .decide(
            "kid-1",
            json!([{"action": "process", "purpose": "recommend"}]),
        )
        .await;
    assert_eq!(r[0]["reason"], "consent_granted");
    // A child cannot self-consent through the privacy center with guardian kind.
    let kid = h.user_token("kid-1");
    let (s, _) = h
        .call(
            "POST",
            "/v1/me/consents",
            Some(&kid),
            Some(json!({"purpose": "recommend", "status": "granted", "kind": "guardian"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
});

on_both_stores!(cross_user_and_scope_refusals, async |h: &Harness| {
    // Bob's tag.
    h.call(
        "PUT",
        "/v1/subjects/bob/tags/t1",
        Some(&h.platform_key),
        Some(json!({"label": "L", "source": "s"})),
    )
    .await;
    let alice = h.user_token("alice");
    // Alice's token only ever reaches Alice's state: /v1/me has no subject parameter, and
    // Bob's tag is not hers to delete.
    let (s, _) = h.call("DELETE", "/v1/me/tags/t1", Some(&alice), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = h
        .decide("bob", json!([{"action": "use_tag", "tag": "t1"}]))
        .await;
    assert_eq!(r[0]["allow"], true);
    // A user token on platform endpoints: refused.
    let (s, _) = h.call("GET", "/v1/subjects/bob", Some(&alice), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions",
            Some(&alice),
            Some(json!({"subject": "bob", "checks": []})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Forged: signed with another secret.
    let forger = xiezhi_server::TokenKey::new(b"another-secret-another-secret-123456").unwrap();
    let now = xiezhi_decide::time::now_millis() / 1000;
    let forged = forger.issue("bob", now, now + 60);
    let (s, body) = h.call("GET", "/v1/me", Some(&forged), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    // Expired.
    let expired = h.tokens.issue("bob", now - 120, now - 60);
    let (s, _) = h.call("GET", "/v1/me", Some(&expired), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Missing credentials.
    let (s, _) = h.call("GET", "/v1/me", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions",
            None,
            Some(json!({"subject": "bob", "checks": []})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // An API key cannot act as a user.
    let (s, _) = h.call("GET", "/v1/me", Some(&h.platform_key), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Missing scope: platform key on admin, admin key on decisions.
    let (s, _) = h
        .call("GET", "/v1/admin/api-keys", Some(&h.platform_key), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions",
            Some(&h.admin_key),
            Some(json!({"subject": "bob", "checks": []})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Unknown and revoked keys.
    let (s, _) = h
        .call("GET", "/v1/subjects/bob", Some("xzk_nope_nope"), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, created) = h
        .call(
            "POST",
            "/v1/admin/api-keys",
            Some(&h.admin_key),
            Some(json!({"name": "tmp", "scopes": ["platform"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{created}");
    let tmp = created["key"].as_str().unwrap().to_owned();
    let (s, _) = h.call("GET", "/v1/subjects/bob", Some(&tmp), None).await;
    assert_eq!(s, StatusCode::OK);
    let id = created["id"].as_str().unwrap();
    let (s, _) = h
        .call(
            "DELETE",
            &format!("/v1/admin/api-keys/{id}"),
            Some(&h.admin_key),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = h.call("GET", "/v1/subjects/bob", Some(&tmp), None).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "a revoked key is refused at once on this node"
    );
});

on_both_stores!(input_limits, async |h: &Harness| {
    let checks: Vec<_> = (0..1001)
        .map(|_| json!({"action": "personalize"}))
        .collect();
    let (s, body) = h
        .call(
            "POST",
            "/v1/decisions",
            Some(&h.platform_key),
            Some(json!({"subject": "u", "checks": checks})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let long = "x".repeat(300);
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions",
            Some(&h.platform_key),
            Some(json!({"subject": long, "checks": []})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let big = "y".repeat(300 * 1024);
    let req = Request::post("/v1/decisions")
        .header("authorization", format!("Bearer {}", h.platform_key))
        .header("content-type", "application/json")
        .body(Body::from(format!(
            "{{\"subject\":\"{big}\",\"checks\":[]}}"
        )))
        .unwrap();
    let (s, _) = h.raw(req).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let req = Request::post("/v1/decisions")
        .header("authorization", format!("Bearer {}", h.platform_key))
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (s, _) = h.raw(req).await;
    assert!(s.is_client_error());
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions",
            Some(&h.platform_key),
            Some(json!({"subject": "u", "checks": [{"action": "push", "channel": "pigeon"}]})),
        )
        .await;
    assert!(s.is_client_error());
});

on_both_stores!(
    every_change_is_in_a_verifiable_audit_chain,
    async |h: &Harness| {
        let user = h.user_token("u-audit");
        h.call(
            "PUT",
            "/v1/me/preferences",
            Some(&user),
            Some(json!({"recommendation": false})),
        )
        .await;
        h.call(
            "PUT",
            "/v1/subjects/u-audit/tags/t",
            Some(&h.platform_key),
            Some(json!({"label": "L", "source": "s"})),
        )
        .await;
        h.call("DELETE", "/v1/me/tags/t", Some(&user), None).await;
        let (s, cp) = h
            .call(
                "POST",
                "/v1/admin/audit/checkpoints",
                Some(&h.admin_key),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{cp}");
        let (s, v) = h
            .call("GET", "/v1/admin/audit/verify", Some(&h.admin_key), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["ok"], true, "{v}");
        assert!(v["events"].as_u64().unwrap() >= 3);
        assert!(v["checkpoints_verified"].as_u64().unwrap() >= 1);
        // The export holds no raw subject id.
        let req = Request::get("/v1/admin/audit/export")
            .header("authorization", format!("Bearer {}", h.admin_key))
            .body(Body::empty())
            .unwrap();
        let (s, bytes) = h.raw(req).await;
        assert_eq!(s, StatusCode::OK);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.lines().count() >= 4);
        assert!(
            !text.contains("u-audit"),
            "the export must not carry subject ids"
        );
    }
);

on_both_stores!(events_are_in_the_outbox_in_order, async |h: &Harness| {
    let head = h.state.engine.store().head_seq().await.unwrap();
    let user = h.user_token("u-events");
    h.call(
        "PUT",
        "/v1/me/preferences",
        Some(&user),
        Some(json!({"recommendation": false})),
    )
    .await;
    h.call(
        "PUT",
        "/v1/subjects/u-events/tags/t",
        Some(&h.platform_key),
        Some(json!({"label": "L", "source": "s"})),
    )
    .await;
    h.call("DELETE", "/v1/me/tags/t", Some(&user), None).await;
    let events = h
        .state
        .engine
        .store()
        .events_after(head, 100)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(events.len(), 3, "{kinds:?}");
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(
        events
            .iter()
            .all(|e| e.subject.as_deref() == Some("u-events"))
    );
});

#[tokio::test]
async fn ops_endpoints() {
    let h = Harness::sqlite().await;
    let (s, b) = h.call("GET", "/healthz", None, None).await;
    assert_eq!((s, b["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, b) = h.call("GET", "/readyz", None, None).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = h.call("GET", "/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(b["openapi"].as_str().unwrap().starts_with("3.1"));
    h.decide("u", json!([{"action": "personalize"}])).await;
    let req = Request::get("/metrics").body(Body::empty()).unwrap();
    let (s, bytes) = h.raw(req).await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("xiezhi_decision_cache_entries"), "{text}");
    let (s, b) = h.call("GET", "/v1/nope", None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(b["error"]["code"], "not_found");
}

#[test]
fn committed_openapi_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let fresh = xiezhi_server::openapi_json();
    if std::env::var_os("XIEZHI_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/openapi.json is out of date: run `XIEZHI_BLESS=1 cargo test -p xiezhi-server --test api committed_openapi`"
    );
}

on_both_stores!(batch_decisions_for_many_subjects, async |h: &Harness| {
    let user = h.user_token("b-off");
    h.call(
        "PUT",
        "/v1/me/preferences",
        Some(&user),
        Some(json!({"recommendation": false})),
    )
    .await;
    let (s, body) = h
        .call(
            "POST",
            "/v1/decisions/batch",
            Some(&h.platform_key),
            Some(json!({"requests": [
                {"subject": "b-on", "checks": [{"action": "personalize"}]},
                {"subject": "b-off", "checks": [{"action": "personalize"}, {"action": "push", "channel": "sms"}]}
            ]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        body["responses"][0]["results"][0]["reason"],
        "recommendation_on"
    );
    assert_eq!(body["responses"][1]["subject"], "b-off");
    assert_eq!(
        body["responses"][1]["results"][0]["reason"],
        "recommendation_off"
    );
    assert_eq!(body["responses"][1]["results"][1]["allow"], true);
    let many: Vec<_> = (0..1001)
        .map(|i| json!({"subject": format!("s{i}"), "checks": [{"action": "personalize"}]}))
        .collect();
    let (s, _) = h
        .call(
            "POST",
            "/v1/decisions/batch",
            Some(&h.platform_key),
            Some(json!({"requests": many})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
});
