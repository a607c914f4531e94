//! What changed between two versions of the processing rules, and whether it needs fresh
//! consent (Reg. art. 22(6): a change of purpose, method or type of PI) or only a notice.
//!
//! Works on the JSON form (`xiezhi rules render -f json`), so a published version can be
//! compared with the data map of today. The consent-relevant fields are those of the consent
//! scope the decision API digests (purpose, method, PI types, retention, recipients): a change
//! there marks consents stale in the service, and the diff says so.

use serde::Serialize;
use serde_json::Value;

/// How a change must be communicated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// Wording, contacts, channels: publish and notify.
    Notice,
    /// Purpose, method, PI types, retention or recipients of a consent-based activity (or a new
    /// one): ask for consent again before processing continues (art. 22(6)).
    FreshConsent,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesChange {
    /// Where: `activities[recommend].pi_types`, `sharing[courier]`, `controller`, …
    pub path: String,
    /// What happened: `added`, `removed`, `changed`.
    pub change: &'static str,
    /// Its class.
    pub class: ChangeClass,
}

/// The diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesDiff {
    /// Every difference, in document order.
    pub changes: Vec<RulesChange>,
    /// The strongest class among them (`None` when nothing changed).
    pub class: Option<ChangeClass>,
    /// Activities whose consents need renewing.
    pub fresh_consent_activities: Vec<String>,
}

/// Why two documents cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// Not the JSON form of the rules.
    #[error(
        "{which} is not the JSON form of processing rules (expected an object with `activities`); render it with `xiezhi rules render -f json`"
    )]
    NotRules {
        /// `old` or `new`.
        which: &'static str,
    },
}

const SCOPE_FIELDS: [&str; 5] = ["purpose", "method", "pi_types", "retention", "recipients"];

/// The rows of a list keyed by `id` (activities, recipients) or, for the collected-PI list,
/// by the `activity` they belong to (position when neither is there).
fn by_id(v: &Value, key: &str) -> Vec<(String, Value)> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, x)| {
                    let id = x
                        .get("id")
                        .or_else(|| x.get("activity"))
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("#{}", i + 1), str::to_owned);
                    (id, x.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn consent_based(activity: &Value) -> bool {
    activity
        .get("legal_basis")
        .and_then(|b| b.get("id"))
        .and_then(Value::as_str)
        == Some("consent")
}

/// PI type ids, sorted, so that reordering or renaming a type's label is not a type change.
fn type_ids(v: Option<&Value>) -> Vec<String> {
    let mut ids: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

fn scope_value(activity: &Value, field: &str) -> Value {
    match field {
        "pi_types" => Value::from(type_ids(activity.get("pi_types"))),
        "retention" => activity
            .get("retention")
            .map(|r| {
                serde_json::json!({
                    "days": r.get("days"),
                    "on_expiry": r.get("on_expiry").and_then(|e| e.get("id")),
                })
            })
            .unwrap_or(Value::Null),
        _ => activity.get(field).cloned().unwrap_or(Value::Null),
    }
}

/// Compares two JSON renderings of the rules.
pub fn diff(old: &Value, new: &Value) -> Result<RulesDiff, DiffError> {
    if old.get("activities").is_none() {
        return Err(DiffError::NotRules { which: "old" });
    }
    if new.get("activities").is_none() {
        return Err(DiffError::NotRules { which: "new" });
    }
    let mut changes = Vec::new();
    let mut fresh = Vec::new();
    for key in [
        "title",
        "controller",
        "url",
        "rights",
        "cross_border",
        "children",
    ] {
        if old.get(key) != new.get(key) {
            changes.push(RulesChange {
                path: key.to_owned(),
                change: "changed",
                class: ChangeClass::Notice,
            });
        }
    }
    let old_acts = by_id(old, "activities");
    let new_acts = by_id(new, "activities");
    for (id, a) in &new_acts {
        let path = format!("activities[{id}]");
        match old_acts.iter().find(|(o, _)| o == id) {
            None => {
                let class = if consent_based(a) {
                    fresh.push(id.clone());
                    ChangeClass::FreshConsent
                } else {
                    ChangeClass::Notice
                };
                changes.push(RulesChange {
                    path,
                    change: "added",
                    class,
                });
            }
            Some((_, o)) => {
                let mut scope_changed = false;
                for field in SCOPE_FIELDS {
                    if scope_value(o, field) != scope_value(a, field) {
                        scope_changed = true;
                        changes.push(RulesChange {
                            path: format!("{path}.{field}"),
                            change: "changed",
                            class: if consent_based(a) {
                                ChangeClass::FreshConsent
                            } else {
                                ChangeClass::Notice
                            },
                        });
                    }
                }
                if consent_based(a) && !consent_based(o) {
                    scope_changed = true;
                    changes.push(RulesChange {
                        path: format!("{path}.legal_basis"),
                        change: "changed",
                        class: ChangeClass::FreshConsent,
                    });
                }
                if scope_changed && consent_based(a) {
                    fresh.push(id.clone());
                }
                // Everything else about the activity (name, wording, statements) is a notice.
                let mut o2 = o.clone();
                let mut a2 = a.clone();
                for field in SCOPE_FIELDS.iter().chain(&["legal_basis"]) {
                    if let Some(m) = o2.as_object_mut() {
                        m.remove(*field);
                    }
                    if let Some(m) = a2.as_object_mut() {
                        m.remove(*field);
                    }
                }
                if o2 != a2 {
                    changes.push(RulesChange {
                        path,
                        change: "changed",
                        class: ChangeClass::Notice,
                    });
                }
            }
        }
    }
    for (id, _) in &old_acts {
        if !new_acts.iter().any(|(n, _)| n == id) {
            changes.push(RulesChange {
                path: format!("activities[{id}]"),
                change: "removed",
                class: ChangeClass::Notice,
            });
        }
    }
    for list in ["sharing", "collected"] {
        let o = by_id(old, list);
        let n = by_id(new, list);
        for (id, row) in &n {
            match o.iter().find(|(x, _)| x == id) {
                None => changes.push(RulesChange {
                    path: format!("{list}[{id}]"),
                    change: "added",
                    class: ChangeClass::Notice,
                }),
                Some((_, was)) if was != row => changes.push(RulesChange {
                    path: format!("{list}[{id}]"),
                    change: "changed",
                    class: ChangeClass::Notice,
                }),
                Some(_) => {}
            }
        }
        for (id, _) in &o {
            if !n.iter().any(|(x, _)| x == id) {
                changes.push(RulesChange {
                    path: format!("{list}[{id}]"),
                    change: "removed",
                    class: ChangeClass::Notice,
                });
            }
        }
    }
    fresh.sort();
    fresh.dedup();
    let class = changes.iter().map(|c| c.class).max();
    Ok(RulesDiff {
        changes,
        class,
        fresh_consent_activities: fresh,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(pi: &[&str], method: &str, title: &str) -> Value {
        json!({
            "title": title,
            "activities": [{
                "id": "recommend", "name": "推荐", "purpose": "个性化推荐", "method": method,
                "legal_basis": {"id": "consent", "label": "同意"},
                "pi_types": pi.iter().map(|p| json!({"id": p, "name": p})).collect::<Vec<_>>(),
                "retention": {"days": 180, "basis": null, "on_expiry": {"id": "delete", "label": "删除"}}
            }, {
                "id": "delivery", "name": "配送", "purpose": "配送订单", "method": "接口",
                "legal_basis": {"id": "contract", "label": "合同"}, "pi_types": []
            }],
            "sharing": [], "collected": []
        })
    }

    #[test]
    fn identical_documents_have_no_change() {
        let a = doc(&["device_id"], "算法", "规则");
        let d = diff(&a, &a).unwrap();
        assert!(d.changes.is_empty());
        assert_eq!(d.class, None);
    }

    #[test]
    fn a_new_pi_type_needs_fresh_consent() {
        let d = diff(
            &doc(&["device_id"], "算法", "规则"),
            &doc(&["device_id", "gps_coordinate"], "算法", "规则"),
        )
        .unwrap();
        assert_eq!(d.class, Some(ChangeClass::FreshConsent));
        assert_eq!(d.fresh_consent_activities, vec!["recommend".to_owned()]);
        assert_eq!(d.changes[0].path, "activities[recommend].pi_types");
    }

    #[test]
    fn a_method_change_needs_fresh_consent_but_reordering_types_does_not() {
        let d = diff(
            &doc(&["a", "b"], "算法", "规则"),
            &doc(&["b", "a"], "人工", "规则"),
        )
        .unwrap();
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].path, "activities[recommend].method");
        assert_eq!(d.class, Some(ChangeClass::FreshConsent));
    }

    #[test]
    fn wording_is_a_notice() {
        let mut new = doc(&["device_id"], "算法", "新标题");
        new["activities"][0]["name"] = json!("个性化推荐服务");
        let d = diff(&doc(&["device_id"], "算法", "规则"), &new).unwrap();
        assert_eq!(d.class, Some(ChangeClass::Notice));
        assert!(d.fresh_consent_activities.is_empty());
        assert_eq!(d.changes.len(), 2);
    }

    #[test]
    fn a_non_consent_activity_change_is_a_notice() {
        let old = doc(&["device_id"], "算法", "规则");
        let mut new = old.clone();
        new["activities"][1]["method"] = json!("人工");
        let d = diff(&old, &new).unwrap();
        assert_eq!(d.class, Some(ChangeClass::Notice));
    }

    #[test]
    fn not_rules_is_an_error() {
        assert!(diff(&json!({}), &json!({"activities": []})).is_err());
    }
}
