//! The data-map keys used by rights execution: references, erasure blocks, their checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use xiezhi_map::model::{ErasureAction, FieldErasure};
use xiezhi_map::{ErrorKind, LoadError, load_texts};

const PROFILE: &str = "organisation:\n  name: 示例\n";

fn datamap(datasets: &str) -> String {
    format!("systems:\n  - id: app\n    name: App\ndatasets:\n{datasets}")
}

fn errs(datasets: &str) -> Vec<LoadError> {
    match load_texts(PROFILE, &[("m.yaml", &datamap(datasets))]) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.0,
    }
}

const USERS: &str = "  - id: users
    name: U
    system: app
    storage: { location: mysql://shop/users, region: CN }
    subject_key: id
    fields:
      - { name: id }
      - { name: phone, pi_type: cn_mobile, erasure: random }
      - { name: nick, erasure: redact, redact_value: 已注销用户 }
";

#[test]
fn new_keys_load() {
    let ds = format!(
        "{USERS}  - id: orders
    name: O
    system: app
    storage: {{ location: mysql://shop/orders, region: CN }}
    table: shop_orders
    connection: shop2
    primary_key: order_no
    references: [{{ field: user_id, dataset: users, to: id }}]
    erasure:
      action: hold
      hold: {{ reason: 电子商务法第三十一条 交易记录保存不少于三年, years: 3, from: created_at }}
    fields:
      - {{ name: user_id }}
      - {{ name: created_at }}
      - {{ name: recipient_phone, pi_type: cn_mobile, third_party: true }}
"
    );
    let p =
        load_texts(PROFILE, &[("m.yaml", &datamap(&ds))]).unwrap_or_else(|e| panic!("{:#?}", e.0));
    let d: Vec<_> = p.each(|m| &m.datasets).map(|(_, d)| d).collect();
    assert_eq!(
        d[0].fields[1].erasure.as_ref().unwrap().value,
        FieldErasure::Random
    );
    assert_eq!(d[0].fields[2].redact_value.as_deref(), Some("已注销用户"));
    assert_eq!(
        d[1].erasure.as_ref().unwrap().action.value,
        ErasureAction::Hold
    );
    assert_eq!(d[1].references[0].dataset.value, "users");
    assert!(d[1].fields[2].third_party);
    assert_eq!(d[1].table.as_ref().unwrap().value, "shop_orders");
}

#[test]
fn unknown_dataset_in_references_points_at_it() {
    let ds = format!(
        "{USERS}  - id: orders
    name: O
    system: app
    storage: {{ location: mysql://shop/orders, region: CN }}
    references: [{{ field: user_id, dataset: userz }}]
    fields: [{{ name: user_id }}]
"
    );
    let e = errs(&ds);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].kind, ErrorKind::DanglingReference);
    assert_eq!((e[0].line, e[0].column), (18, 45));
    assert!(
        e[0].render(xiezhi_model::Lang::En)
            .contains("did you mean `users`")
    );
}

#[test]
fn reference_field_not_in_fields() {
    let ds = format!(
        "{USERS}  - id: orders
    name: O
    system: app
    storage: {{ location: mysql://shop/orders, region: CN }}
    references: [{{ field: uid, dataset: users, to: idx }}]
    fields: [{{ name: user_id }}]
"
    );
    let e = errs(&ds);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter()
            .all(|e| e.kind == ErrorKind::DanglingReference && e.line == 18)
    );
    assert!(e[0].message.en.contains("`uid`"));
    assert!(e[1].message.en.contains("`idx`"));
}

#[test]
fn cycle_in_references() {
    let ds = format!(
        "{USERS}  - id: a
    name: A
    system: app
    storage: {{ location: mysql://shop/a, region: CN }}
    references: [{{ field: b_id, dataset: b }}]
    fields: [{{ name: b_id }}]
  - id: b
    name: B
    system: app
    storage: {{ location: mysql://shop/b, region: CN }}
    references: [{{ field: a_id, dataset: a }}]
    fields: [{{ name: a_id }}]
"
    );
    let e = errs(&ds);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].message
            .en
            .contains("cycle in dataset references: a → b → a"),
        "{e:#?}"
    );
    assert_eq!(e[0].line, 24);
}

#[test]
fn hold_without_reason_or_block() {
    let ds = format!(
        "{USERS}  - id: a
    name: A
    system: app
    storage: {{ location: mysql://shop/a, region: CN }}
    erasure: {{ action: hold }}
  - id: b
    name: B
    system: app
    storage: {{ location: mysql://shop/b, region: CN }}
    erasure: {{ action: hold, hold: {{ reason: '', years: 3, from: paid_at }} }}
    fields: [{{ name: paid_at }}]
"
    );
    let e = errs(&ds);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e.iter().all(|e| e.kind == ErrorKind::MissingKey));
    assert!(e[0].message.en.contains("has no `hold:`"));
    assert!(e[1].message.en.contains("gives no reason"));
}

#[test]
fn bad_identifier() {
    let ds = format!(
        "{USERS}  - id: a
    name: A
    system: app
    storage: {{ location: mysql://shop/a, region: CN }}
    table: \"a; drop table users\"
"
    );
    let e = errs(&ds);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].kind, ErrorKind::InvalidValue);
    assert!(e[0].message.en.contains("`table` of dataset `a`"));
}
