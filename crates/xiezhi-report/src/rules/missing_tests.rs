//! One test per missing-fact kind: remove the fact from the example project and expect exactly
//! that kind, located at the right place, among the errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use xiezhi_map::Project;
use xiezhi_map::model::{Activity, Officer, Recipient, SubjectKind};
use xiezhi_model::Lang;

use super::{Format, MissingFact, MissingKind, Scope, build, render};

fn example() -> Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/project");
    xiezhi_map::load_project(&dir).unwrap()
}

fn activity<'a>(p: &'a mut Project, id: &str) -> &'a mut Activity {
    p.files
        .iter_mut()
        .flat_map(|f| f.map.activities.iter_mut())
        .find(|a| a.id.value == id)
        .unwrap()
}

fn recipient<'a>(p: &'a mut Project, id: &str) -> &'a mut Recipient {
    p.files
        .iter_mut()
        .flat_map(|f| f.map.recipients.iter_mut())
        .find(|r| r.id.value == id)
        .unwrap()
}

fn missing(p: &Project, scope: Scope) -> Vec<MissingFact> {
    build(p, Lang::ZhCn, scope).unwrap_err().missing
}

/// Exactly one missing fact, of `kind` and `field`; returns it.
fn only(p: &Project, kind: MissingKind, field: &str) -> MissingFact {
    let m = missing(p, Scope::General);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].kind, kind);
    assert_eq!(m[0].field, field);
    assert!(!m[0].hint_zh.is_empty() && !m[0].hint_en.is_empty());
    m[0].clone()
}

fn with_children(p: &mut Project) {
    for f in &mut p.files {
        for d in &mut f.map.datasets {
            if d.id.value == "users" {
                d.subjects.push(SubjectKind::ChildrenUnder14);
            }
        }
    }
}

fn officer(name: &str) -> Officer {
    Officer {
        name: name.into(),
        title: None,
        contact: None,
        appointed: None,
        filed: None,
        management_member: false,
        direct_reporting: false,
        background_check: None,
    }
}

#[test]
fn the_example_is_complete() {
    let p = example();
    assert!(build(&p, Lang::ZhCn, Scope::General).is_ok());
    assert!(build(&p, Lang::En, Scope::General).is_ok());
}

#[test]
fn controller_contact() {
    let mut p = example();
    p.profile.organisation.contacts.clear();
    let m = only(&p, MissingKind::ControllerContact, "organisation.contacts");
    assert_eq!(m.file, "xiezhi.yaml");
    assert_eq!(m.line, 8, "the contacts key");
}

#[test]
fn rights_channel_cancel_account() {
    let mut p = example();
    p.profile.notice.rights_channels.cancel_account = None;
    let m = only(
        &p,
        MissingKind::RightsChannel,
        "notice.rights_channels.cancel_account",
    );
    assert!(m.line > 0);
    assert!(m.render(Lang::En).contains("account cancellation"));
}

#[test]
fn every_rights_channel_is_listed_at_once() {
    let mut p = example();
    p.profile.notice.rights_channels = Default::default();
    let m = missing(&p, Scope::General);
    assert_eq!(m.len(), 9);
    assert!(m.iter().all(|f| f.kind == MissingKind::RightsChannel));
    assert_eq!(m[8].field, "notice.rights_channels.withdraw_consent");
}

#[test]
fn activity_method() {
    let mut p = example();
    activity(&mut p, "account").method = None;
    let m = only(
        &p,
        MissingKind::ActivityMethod,
        "activities[account].method",
    );
    assert_eq!(m.file, "datamap/activities.yaml");
    assert_eq!((m.line, m.column), (3, 9), "the id of the activity");
    assert_eq!(m.location(), "datamap/activities.yaml:3:9");
}

#[test]
fn activity_pi_types() {
    let mut p = example();
    activity(&mut p, "parking-ops").pi_types.clear();
    only(
        &p,
        MissingKind::ActivityPiTypes,
        "activities[parking-ops].pi_types",
    );
}

#[test]
fn retention() {
    let mut p = example();
    activity(&mut p, "recommend").retention = None;
    only(
        &p,
        MissingKind::Retention,
        "activities[recommend].retention",
    );
}

#[test]
fn retention_period_or_its_determination() {
    let mut p = example();
    activity(&mut p, "parking-ops")
        .retention
        .as_mut()
        .unwrap()
        .basis = None;
    only(
        &p,
        MissingKind::RetentionPeriod,
        "activities[parking-ops].retention.days",
    );
}

#[test]
fn sensitive_necessity() {
    let mut p = example();
    activity(&mut p, "account").sensitive_necessity = None;
    only(
        &p,
        MissingKind::SensitiveNecessity,
        "activities[account].sensitive_necessity",
    );
}

#[test]
fn sensitive_impact() {
    let mut p = example();
    activity(&mut p, "recommend").sensitive_impact = None;
    only(
        &p,
        MissingKind::SensitiveImpact,
        "activities[recommend].sensitive_impact",
    );
}

#[test]
fn storage_location() {
    let mut p = example();
    activity(&mut p, "delivery").datasets.clear();
    // Without its dataset the delivery activity reaches no sensitive field either.
    only(
        &p,
        MissingKind::StorageLocation,
        "activities[delivery].datasets",
    );
}

#[test]
fn no_activities() {
    let mut p = example();
    for f in &mut p.files {
        f.map.activities.clear();
    }
    let m = missing(&p, Scope::General);
    assert_eq!(m[0].kind, MissingKind::NoActivities);
    assert_eq!(m[0].field, "activities");
    // The push SDK's purpose and method came from the recommendation activity only.
    let rest: Vec<&str> = m[1..].iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        rest,
        [
            "recipients[push-sdk].contract.purpose",
            "recipients[push-sdk].contract.method"
        ]
    );
}

#[test]
fn recipient_contact() {
    let mut p = example();
    recipient(&mut p, "courier").contact = None;
    let m = only(
        &p,
        MissingKind::RecipientContact,
        "recipients[courier].contact",
    );
    assert_eq!(m.file, "datamap/recipients.yaml");
}

#[test]
fn recipient_purpose() {
    let mut p = example();
    recipient(&mut p, "sg-analytics")
        .contract
        .as_mut()
        .unwrap()
        .purpose = None;
    only(
        &p,
        MissingKind::RecipientPurpose,
        "recipients[sg-analytics].contract.purpose",
    );
}

#[test]
fn recipient_method() {
    let mut p = example();
    recipient(&mut p, "sg-analytics")
        .contract
        .as_mut()
        .unwrap()
        .method = None;
    only(
        &p,
        MissingKind::RecipientMethod,
        "recipients[sg-analytics].contract.method",
    );
}

#[test]
fn recipient_pi_types() {
    let mut p = example();
    recipient(&mut p, "push-sdk").pi_types.clear();
    only(
        &p,
        MissingKind::RecipientPiTypes,
        "recipients[push-sdk].pi_types",
    );
}

#[test]
fn children_rules_and_officer() {
    let mut p = example();
    with_children(&mut p);
    let m = missing(&p, Scope::General);
    let kinds: Vec<MissingKind> = m.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [MissingKind::ChildrenRules, MissingKind::ChildrenOfficer]
    );
    assert_eq!(m[0].field, "notice.children_rules");
    assert_eq!(m[1].field, "officers.children_officer");
    assert!(m[1].line > 0, "placed at the officers key");
}

#[test]
fn no_children_data_for_children_rules() {
    let p = example();
    let m = missing(&p, Scope::Children);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, MissingKind::NoChildrenData);
}

#[test]
fn children_rules_name_the_responsible_person() {
    let mut p = example();
    with_children(&mut p);
    p.profile.notice.children_rules = Some("儿童个人信息保护规则 v1".into());
    p.profile.officers.children_officer = Some(officer("赵示例"));
    let general = render(&p, Lang::ZhCn, Format::Markdown, Scope::General).unwrap();
    assert!(general.contains("## 八、不满十四周岁儿童的个人信息"));
    let children_md = render(&p, Lang::ZhCn, Format::Markdown, Scope::Children).unwrap();
    assert!(
        children_md.contains("## 六、您的权利及行使方式"),
        "sections renumbered"
    );
    assert!(general.contains("赵示例"));
    let children = build(&p, Lang::ZhCn, Scope::Children).unwrap();
    assert_eq!(children.scope, "children");
    assert!(children.title.ends_with("儿童个人信息保护规则 v1"));
    // Only the activities on the users dataset (account, recommend) concern children.
    let ids: Vec<&str> = children.activities.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["account", "recommend"]);
    assert!(children.activities.iter().all(|a| a.children));
    // All of a child's PI is sensitive.
    assert!(children.activities[0].pi_types.iter().all(|t| t.sensitive));
    assert!(children.cross_border.is_empty());
    let html = render(&p, Lang::En, Format::Html, Scope::Children).unwrap();
    assert!(html.contains("Person responsible for children&#39;s personal information"));
}

#[test]
fn errors_are_listed_together_in_order() {
    let mut p = example();
    p.profile.notice.rights_channels.restrict = None;
    activity(&mut p, "account").method = None;
    recipient(&mut p, "courier").contact = None;
    let e = build(&p, Lang::En, Scope::General).unwrap_err();
    let kinds: Vec<MissingKind> = e.missing.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            MissingKind::RightsChannel,
            MissingKind::ActivityMethod,
            MissingKind::RecipientContact
        ]
    );
    let text = e.render(Lang::ZhCn);
    assert!(text.starts_with("无法生成个人信息处理规则：数据地图缺少 3 项事实"));
    assert!(text.contains("datamap/activities.yaml:3:9: activities[account].method"));
}

#[test]
fn text_from_the_data_map_is_escaped_in_html() {
    let mut p = example();
    activity(&mut p, "account").purpose = "<script>alert(1)</script> & more".into();
    let html = render(&p, Lang::ZhCn, Format::Html, Scope::General).unwrap();
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
}
