//! Server-rendered HTML of the privacy center: readable and usable without JavaScript,
//! mobile-friendly, printable. Every value is escaped.

use std::fmt::Write;

use xiezhi_decide::{
    Basis, ConsentStatus, Policy, PushCategory, PushChannel, SubjectState, time::format_rfc3339,
};

use super::text::{self as t, Lang};

pub use xiezhi_report::escape::html as esc;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:0;padding:0 1rem 2rem;max-width:48rem;margin-inline:auto;line-height:1.6;color:#1a1a1a;background:#fff}\
header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;gap:.5rem}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e5e5e5;vertical-align:top}\
button{font:inherit;padding:.35rem .9rem;border:1px solid #1f4f9c;background:#1f4f9c;color:#fff;border-radius:.3rem;cursor:pointer;min-height:2.2rem}\
button.secondary{background:#fff;color:#1f4f9c}form{display:inline}\
.notice{background:#e8f3e8;border:1px solid #2e7d32;padding:.5rem .8rem;border-radius:.3rem}\
a{color:#1f4f9c}.muted{color:#555}\
@media (max-width:30rem){th,td{display:block;border:0}tr{display:block;border-bottom:1px solid #e5e5e5;padding:.3rem 0}}\
@media print{button,form{display:none}}";

fn head(out: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        lang.tag(),
        esc(title)
    );
}

fn lang_link(out: &mut String, lang: Lang, path: &str) {
    let other = match lang {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    let _ = write!(
        out,
        "<a href=\"{path}?lang={}\" lang=\"{}\">{}</a>",
        other.query(),
        other.tag(),
        t::LANG_SWITCH.get(lang)
    );
}

fn hidden(out: &mut String, csrf: &str, lang: Lang) {
    let _ = write!(
        out,
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\">",
        esc(csrf),
        lang.query()
    );
}

/// The page shown without a valid session.
pub fn signed_out(lang: Lang) -> String {
    let mut out = String::new();
    head(&mut out, lang, t::TITLE.get(lang));
    let _ = write!(out, "<header><h1>{}</h1>", esc(t::TITLE.get(lang)));
    lang_link(&mut out, lang, "/privacy");
    let _ = write!(
        out,
        "</header><main><p>{}</p><p><a href=\"/privacy/rules?lang={}\">{}</a></p></main></body></html>",
        esc(t::SIGN_IN.get(lang)),
        lang.query(),
        esc(t::RULES_LINK.get(lang))
    );
    out
}

/// The privacy center of one user.
pub fn center(
    lang: Lang,
    state: &SubjectState,
    policy: &Policy,
    csrf: &str,
    saved: bool,
    requests: &[xiezhi_store::RightsRequest],
) -> String {
    let mut out = String::new();
    head(&mut out, lang, t::TITLE.get(lang));
    let _ = write!(out, "<header><h1>{}</h1>", esc(t::TITLE.get(lang)));
    lang_link(&mut out, lang, "/privacy");
    out.push_str("</header><main>");
    if saved {
        let _ = write!(
            out,
            "<p class=\"notice\" role=\"status\">{}</p>",
            esc(t::SAVED.get(lang))
        );
    }
    let _ = write!(
        out,
        "<p>{}</p><section id=\"rules\" aria-labelledby=\"h-rules\"><h2 id=\"h-rules\">{}</h2>\
         <p><a id=\"rules-link\" href=\"/privacy/rules?lang={}\">{}</a></p></section>",
        esc(t::INTRO.get(lang)),
        esc(t::RULES.get(lang)),
        lang.query(),
        esc(t::RULES_LINK.get(lang))
    );

    // Personalised recommendation.
    let on = state.recommendation_off_since.is_none();
    let _ = write!(
        out,
        "<section id=\"recommendation\" aria-labelledby=\"h-rec\"><h2 id=\"h-rec\">{}</h2><p id=\"rec-status\">{}</p>\
         <form method=\"post\" action=\"/privacy/recommendation\">",
        esc(t::RECOMMEND.get(lang)),
        esc(if on {
            t::RECOMMEND_ON.get(lang)
        } else {
            t::RECOMMEND_OFF.get(lang)
        })
    );
    hidden(&mut out, csrf, lang);
    let _ = write!(
        out,
        "<input type=\"hidden\" name=\"on\" value=\"{}\"><button id=\"rec-toggle\" type=\"submit\">{}</button></form></section>",
        !on,
        esc(if on {
            t::TURN_OFF.get(lang)
        } else {
            t::TURN_ON.get(lang)
        })
    );

    // Pushes.
    let _ = write!(
        out,
        "<section id=\"push\" aria-labelledby=\"h-push\"><h2 id=\"h-push\">{}</h2><p class=\"muted\">{}</p>\
         <table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(t::PUSH.get(lang)),
        esc(t::PUSH_HELP.get(lang)),
        esc(t::CHANNEL.get(lang)),
        esc(t::CATEGORY.get(lang)),
        esc(t::STATUS.get(lang)),
        esc(t::ACTION.get(lang))
    );
    for channel in PushChannel::ALL {
        for category in PushCategory::ALL {
            let refused = state.push_refusal(channel, category).is_some();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/privacy/push\">",
                esc(t::channel(channel, lang)),
                esc(t::category(category, lang)),
                esc(if refused {
                    t::REFUSED.get(lang)
                } else {
                    t::ALLOWED.get(lang)
                })
            );
            hidden(&mut out, csrf, lang);
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"channel\" value=\"{}\"><input type=\"hidden\" name=\"category\" value=\"{}\">\
                 <input type=\"hidden\" name=\"refused\" value=\"{}\"><button class=\"secondary\" type=\"submit\" \
                 aria-label=\"{} {} {}\">{}</button></form></td></tr>",
                channel.as_str(),
                category.as_str(),
                !refused,
                esc(if refused {
                    t::ALLOW.get(lang)
                } else {
                    t::REFUSE.get(lang)
                }),
                esc(t::channel(channel, lang)),
                esc(t::category(category, lang)),
                esc(if refused {
                    t::ALLOW.get(lang)
                } else {
                    t::REFUSE.get(lang)
                })
            );
        }
    }
    out.push_str("</tbody></table></section>");

    // Tags.
    let _ = write!(
        out,
        "<section id=\"tags\" aria-labelledby=\"h-tags\"><h2 id=\"h-tags\">{}</h2><p class=\"muted\">{}</p>",
        esc(t::TAGS.get(lang)),
        esc(t::TAGS_HELP.get(lang))
    );
    let active: Vec<_> = state
        .tags
        .iter()
        .filter(|t| t.deleted_since.is_none())
        .collect();
    if active.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t::NO_TAGS.get(lang)));
    } else {
        out.push_str("<ul>");
        for tag in active {
            let _ = write!(
                out,
                "<li data-tag=\"{}\">{}{} <form method=\"post\" action=\"/privacy/tags/delete\">",
                esc(&tag.id),
                esc(&tag.label),
                if tag.personal {
                    format!(
                        " <span class=\"muted\">({})</span>",
                        esc(t::PERSONAL.get(lang))
                    )
                } else {
                    String::new()
                }
            );
            hidden(&mut out, csrf, lang);
            let _ = write!(
                out,
                "<input type=\"hidden\" name=\"tag\" value=\"{}\"><button class=\"secondary\" type=\"submit\" aria-label=\"{} {}\">{}</button></form></li>",
                esc(&tag.id),
                esc(t::DELETE.get(lang)),
                esc(&tag.label),
                esc(t::DELETE.get(lang))
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");

    // Consents.
    let _ = write!(
        out,
        "<section id=\"consents\" aria-labelledby=\"h-consents\"><h2 id=\"h-consents\">{}</h2>",
        esc(t::CONSENTS.get(lang))
    );
    if state.consents.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(t::NO_CONSENTS.get(lang)));
    } else {
        let _ = write!(
            out,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(t::PURPOSE.get(lang)),
            esc(t::KIND.get(lang)),
            esc(t::STATUS.get(lang)),
            esc(t::SINCE.get(lang)),
            esc(t::ACTION.get(lang))
        );
        for c in &state.consents {
            let name = policy
                .purpose(&c.purpose)
                .map_or(c.purpose.as_str(), |p| p.name.as_str());
            let status = match c.status {
                ConsentStatus::Granted => t::GRANTED.get(lang),
                ConsentStatus::Withdrawn => t::WITHDRAWN.get(lang),
                ConsentStatus::Refused => t::REFUSED_CONSENT.get(lang),
            };
            let _ = write!(
                out,
                "<tr data-purpose=\"{}\"><td>{}</td><td>{}</td><td>{}{}</td><td><time datetime=\"{since}\">{since}</time></td><td>",
                esc(&c.purpose),
                esc(name),
                esc(t::kind(c.kind, lang)),
                esc(status),
                if c.stale {
                    esc(t::STALE.get(lang))
                } else {
                    String::new()
                },
                since = format_rfc3339(c.since)
            );
            if c.status == ConsentStatus::Granted {
                out.push_str("<form method=\"post\" action=\"/privacy/consents/withdraw\">");
                hidden(&mut out, csrf, lang);
                let _ = write!(
                    out,
                    "<input type=\"hidden\" name=\"purpose\" value=\"{}\"><button class=\"secondary\" type=\"submit\" aria-label=\"{} {}\">{}</button></form>",
                    esc(&c.purpose),
                    esc(t::WITHDRAW.get(lang)),
                    esc(name),
                    esc(t::WITHDRAW.get(lang))
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");

    // Rights requests.
    let _ = write!(
        out,
        "<section id=\"rights\" aria-labelledby=\"h-rights\"><h2 id=\"h-rights\">{}</h2><p class=\"muted\">{}</p>\
         <form id=\"rights-form\" method=\"post\" action=\"/privacy/requests\" style=\"display:block\">",
        esc(t::RIGHTS.get(lang)),
        esc(t::RIGHTS_HELP.get(lang))
    );
    hidden(&mut out, csrf, lang);
    let _ = write!(
        out,
        "<p><label for=\"rights-kind\">{}</label><br><select id=\"rights-kind\" name=\"kind\">",
        esc(t::REQUEST_KIND.get(lang))
    );
    // A relative of a deceased person files through staff, not from the person's own session.
    for k in xiezhi_store::RightsKind::ALL
        .into_iter()
        .filter(|k| *k != xiezhi_store::RightsKind::DeceasedRelative)
    {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            k.as_str(),
            esc(t::rights_kind(k, lang))
        );
    }
    let _ = write!(
        out,
        "</select></p><p><label for=\"rights-details\">{}</label><br>\
         <textarea id=\"rights-details\" name=\"details\" rows=\"3\" maxlength=\"2000\" style=\"width:100%\"></textarea></p>\
         <button id=\"rights-submit\" type=\"submit\">{}</button></form>",
        esc(t::DETAILS.get(lang)),
        esc(t::SUBMIT.get(lang))
    );
    if !requests.is_empty() {
        let _ = write!(
            out,
            "<h3 id=\"h-my-requests\">{}</h3><table aria-labelledby=\"h-my-requests\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(t::MY_REQUESTS.get(lang)),
            esc(t::REQUEST_KIND.get(lang)),
            esc(t::RECEIVED.get(lang)),
            esc(t::STATUS.get(lang)),
            esc(t::DUE.get(lang)),
        );
        for r in requests {
            let _ = write!(
                out,
                "<tr data-request=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.id),
                esc(t::rights_kind(r.kind, lang)),
                esc(&xiezhi_store::china_date(r.received_at)),
                esc(t::request_state(&r.state, lang)),
                esc(r.due_date.as_deref().unwrap_or("—")),
            );
            let done = matches!(r.state.as_str(), "completed" | "partly_completed");
            if done
                && matches!(
                    r.kind,
                    xiezhi_store::RightsKind::Access | xiezhi_store::RightsKind::Copy
                )
            {
                let _ = write!(
                    out,
                    "<tr><td colspan=\"4\"><a id=\"download-{}\" href=\"/privacy/requests/{}/download\">{}</a></td></tr>",
                    esc(&r.id),
                    esc(&r.id),
                    esc(t::DOWNLOAD.get(lang))
                );
            }
            if let Some(reasons) = &r.reasons {
                let _ = write!(
                    out,
                    "<tr><td colspan=\"4\" class=\"muted\">{}: {}</td></tr>",
                    esc(t::REASONS.get(lang)),
                    esc(reasons)
                );
            }
        }
        out.push_str("</tbody></table>");
    }
    out.push_str(
        "</section></main><script src=\"/privacy/enhance.js\" defer></script></body></html>",
    );
    out
}

/// The purposes and their scope, as the decision API knows them (the full processing rules
/// rendered from the data map replace this page when published).
pub fn rules(lang: Lang, policy: &Policy) -> String {
    let mut out = String::new();
    head(&mut out, lang, t::RULES.get(lang));
    let _ = write!(out, "<header><h1>{}</h1>", esc(t::RULES.get(lang)));
    lang_link(&mut out, lang, "/privacy/rules");
    let _ = write!(
        out,
        "</header><main><p><a href=\"/privacy?lang={}\">{}</a></p><h2>{}</h2>",
        lang.query(),
        esc(t::BACK.get(lang)),
        esc(t::PURPOSES_TITLE.get(lang))
    );
    for p in policy.purposes() {
        let basis = match &p.basis {
            Basis::Consent { kind } => t::kind(*kind, lang).to_owned(),
            Basis::Other { name } => name.clone(),
        };
        let _ = write!(
            out,
            "<section><h3>{}</h3><dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>",
            esc(&p.name),
            esc(t::PURPOSE.get(lang)),
            esc(&p.scope.purpose),
            esc(t::BASIS.get(lang)),
            esc(&basis)
        );
        if let Some(m) = &p.scope.method {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                esc(t::METHOD.get(lang)),
                esc(m)
            );
        }
        if !p.scope.pi_types.is_empty() {
            let names: Vec<String> = p
                .scope
                .pi_types
                .iter()
                .map(|id| match id.parse::<xiezhi_model::PiType>() {
                    Ok(pt) => match lang {
                        Lang::ZhCn => pt.name_zh().to_owned(),
                        Lang::En => pt.name_en().to_owned(),
                    },
                    Err(_) => id.clone(),
                })
                .collect();
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                esc(t::PI_TYPES.get(lang)),
                esc(&names.join(match lang {
                    Lang::ZhCn => "、",
                    Lang::En => ", ",
                }))
            );
        }
        if let Some(r) = &p.scope.retention {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                esc(t::RETENTION.get(lang)),
                esc(r)
            );
        }
        if !p.scope.recipients.is_empty() {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                esc(t::RECIPIENTS.get(lang)),
                esc(&p.scope.recipients.join(", "))
            );
        }
        out.push_str("</dl></section>");
    }
    out.push_str("</main></body></html>");
    out
}

/// The identity verification page of a rights request: enter the code, or paste the 网证.
pub fn verify(lang: Lang, request: &str, outcome: Option<Result<(), &str>>) -> String {
    let mut out = String::new();
    head(&mut out, lang, t::VERIFY_TITLE.get(lang));
    let _ = write!(out, "<header><h1>{}</h1>", esc(t::VERIFY_TITLE.get(lang)));
    lang_link(&mut out, lang, "/privacy/verify");
    out.push_str("</header><main>");
    match outcome {
        Some(Ok(())) => {
            let _ = write!(
                out,
                "<p class=\"notice\" role=\"status\" id=\"verify-result\">{}</p></main></body></html>",
                esc(t::VERIFIED.get(lang))
            );
            return out;
        }
        Some(Err(message)) => {
            let _ = write!(
                out,
                "<p role=\"alert\" id=\"verify-result\">{}</p>",
                esc(message)
            );
        }
        None => {}
    }
    let _ = write!(
        out,
        "<p>{}</p><form method=\"post\" action=\"/privacy/verify\" style=\"display:block\">\
         <input type=\"hidden\" name=\"request\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\">\
         <p><label for=\"code\">{}</label><br><input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"6\"></p>\
         <p><label for=\"credential\">{}</label><br><textarea id=\"credential\" name=\"credential\" rows=\"3\" maxlength=\"4096\" style=\"width:100%\"></textarea></p>\
         <button id=\"verify-submit\" type=\"submit\">{}</button></form></main></body></html>",
        esc(t::VERIFY_HELP.get(lang)),
        esc(request),
        lang.query(),
        esc(t::CODE.get(lang)),
        esc(t::CREDENTIAL.get(lang)),
        esc(t::SUBMIT.get(lang))
    );
    out
}
