//! The OpenAPI 3.1 document, generated from the handlers (utoipa). Committed as
//! `docs/openapi.json`; a test keeps the two equal.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Xiezhi runtime API",
        description = "Consent, personalised-recommendation and push controls, user tags and decisions (Regulation on Network Data Security Management arts. 22, 42; PIPL 14–31). Platform and admin calls use an API key; the user's own calls (/v1/me) use a token the platform signs for that user.",
        license(name = "Apache-2.0")
    ),
    paths(
        api::decisions::decisions,
        api::decisions::decisions_batch,
        api::subjects::get_subject,
        api::subjects::put_preferences,
        api::subjects::put_tag,
        api::subjects::delete_tag,
        api::subjects::post_consent,
        api::subjects::withdraw_consent,
        api::subjects::put_minor,
        api::subjects::post_guardian,
        api::me::get_me,
        api::me::put_preferences,
        api::me::delete_tag,
        api::me::post_consent,
        api::me::withdraw_consent,
        api::me::post_rights_request,
        api::rights::list,
        api::rights::file,
        api::rights::show,
        api::rights::verify,
        api::rights::approve,
        api::rights::refuse,
        api::rights::complete,
        api::rights::due,
        api::rights::stats,
        api::duties::list,
        api::duties::ics,
        api::incidents::list,
        api::incidents::open,
        api::incidents::show,
        api::incidents::update,
        api::incidents::report,
        api::incidents::notify,
        api::incidents::exemption,
        api::incidents::close,
        api::identity::start,
        api::identity::answer,
        api::admin::rules_versions,
        api::admin::rules_diff,
        api::admin::consent_stats,
        api::events::events,
        api::admin::create_key,
        api::admin::list_keys,
        api::admin::revoke_key,
        api::admin::policy,
        api::admin::create_webhook,
        api::admin::list_webhooks,
        api::admin::audit_verify,
        api::admin::audit_checkpoint,
        api::admin::audit_export,
    ),
    modifiers(&Security),
    tags(
        (name = "decisions", description = "May I personalise, push, use a tag, process, ask?"),
        (name = "subjects", description = "Platform calls about one user"),
        (name = "me", description = "The user's own settings (privacy center)"),
        (name = "events", description = "Change events for recommenders"),
        (name = "admin", description = "Keys, webhooks, policy, audit chain"),
        (name = "rights", description = "Rights requests: workflow, deadlines, statistics (Reg. arts. 23-25)"),
        (name = "duties", description = "Calendar of duties: yearly reports, audits, PIPO filing, cross-border clocks, retention"),
        (name = "incidents", description = "Incident register: grading, reporting clocks, authority reports, notices to affected people (Incident Reporting Measures 2025; Reg. arts. 10-11; PIPL 57)"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("xzk_<id>_<secret>")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "user_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT (HS256, aud=xiezhi, sub=user id)")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document as pretty JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
