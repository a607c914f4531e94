//! Rights execution against real databases: SQLite always; PostgreSQL and MariaDB when
//! `XIEZHI_TEST_POSTGRES` / `XIEZHI_TEST_MYSQL` are set (else they print SKIPPED).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;

use sqlx::{AnyPool, AssertSqlSafe, Row as _};
use xiezhi_model::Lang;
use xiezhi_rights::exec::{
    self, Dialect, EraseOptions, Operation, PlanOptions, StepAction, Subject, Targets,
    TransferCondition, TransferInput,
};

fn project() -> xiezhi_map::Project {
    xiezhi_map::load_project(&support::fixtures().join("shop")).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.0.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn plan(op: Operation) -> exec::Plan {
    exec::plan(&project(), op, &PlanOptions::default()).unwrap()
}

/// Ground truth, written by hand (independent of the planner): the subject's rows per table.
fn truth(table: &str) -> &'static str {
    match table {
        "users" => "SELECT COUNT(*) FROM users WHERE id = $S",
        "user_profiles" => "SELECT COUNT(*) FROM user_profiles WHERE user_id = $S",
        "addresses" => "SELECT COUNT(*) FROM addresses WHERE user_id = $S",
        "orders" => "SELECT COUNT(*) FROM orders WHERE user_id = $S",
        "order_items" => {
            "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.user_id = $S"
        }
        "payments" => {
            "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.user_id = $S"
        }
        "refunds" => {
            "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = p.order_id WHERE o.user_id = $S"
        }
        "invoices" => {
            "SELECT COUNT(*) FROM invoices v JOIN orders o ON o.id = v.order_id WHERE o.user_id = $S"
        }
        "reviews" => "SELECT COUNT(*) FROM reviews WHERE user_id = $S",
        "review_images" => {
            "SELECT COUNT(*) FROM review_images m JOIN reviews r ON r.id = m.review_id WHERE r.user_id = $S"
        }
        "carts" => "SELECT COUNT(*) FROM carts WHERE user_id = $S",
        "cart_items" => {
            "SELECT COUNT(*) FROM cart_items i JOIN carts c ON c.id = i.cart_id WHERE c.user_id = $S"
        }
        "favorites" => "SELECT COUNT(*) FROM favorites WHERE user_id = $S",
        "messages" => "SELECT COUNT(*) FROM messages WHERE sender_id = $S",
        "login_logs" => "SELECT COUNT(*) FROM login_logs WHERE user_id = $S",
        "devices" => "SELECT COUNT(*) FROM devices WHERE user_id = $S",
        "coupons_issued" => "SELECT COUNT(*) FROM coupons_issued WHERE user_id = $S",
        "support_tickets" => "SELECT COUNT(*) FROM support_tickets WHERE user_id = $S",
        "ticket_messages" => {
            "SELECT COUNT(*) FROM ticket_messages m JOIN support_tickets t ON t.id = m.ticket_id WHERE t.user_id = $S"
        }
        _ => "SELECT 0",
    }
}

async fn truth_count(pool: &AnyPool, table: &str, s: i64) -> i64 {
    let sql = truth(table).replace("$S", &s.to_string());
    sqlx::query_scalar::<sqlx::Any, i64>(AssertSqlSafe(sql))
        .fetch_one(pool)
        .await
        .unwrap()
}

const HELD: &[&str] = &["orders", "order_items", "payments", "refunds", "invoices"];

async fn setup(
    kind: Dialect,
    name: &str,
    dir: &std::path::Path,
    n: i64,
) -> Option<(String, AnyPool)> {
    let dsn = support::fresh_db(kind, name, dir).await?;
    let pool = AnyPool::connect(&dsn).await.unwrap();
    support::create_schema(&pool, kind).await;
    let mut g = support::Generator::new(42);
    g.load_reference(&pool, kind).await;
    g.load_subjects(&pool, kind, 1, n, n).await;
    Some((dsn, pool))
}

/// A subject with orders and with messages received from others (so its account row is kept).
async fn pick_subject(pool: &AnyPool) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(
        "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id) \
         AND EXISTS (SELECT 1 FROM reviews r WHERE r.user_id = u.id) \
         AND EXISTS (SELECT 1 FROM messages m WHERE m.sender_id = u.id) ORDER BY u.id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn fk_check(pool: &AnyPool, kind: Dialect) {
    if kind == Dialect::Sqlite {
        let rows = sqlx::raw_sql("PRAGMA foreign_key_check")
            .fetch_all(pool)
            .await
            .unwrap();
        assert!(
            rows.is_empty(),
            "SQLite foreign_key_check found {} violations",
            rows.len()
        );
        let on: i64 = sqlx::query_scalar::<sqlx::Any, i64>("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(on, 1, "foreign keys must be enforced");
    }
    // PostgreSQL and MariaDB enforce the constraints on every statement.
}

async fn scenario(kind: Dialect, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let Some((dsn, pool)) = setup(kind, name, dir.path(), 40).await else {
        return;
    };
    let targets = Targets::from_pairs([format!("shop={dsn}")]).unwrap();
    let s = pick_subject(&pool).await;
    let subject = Subject::Int(s);
    let others = [Subject::Int(if s == 1 { 2 } else { 1 }), Subject::Int(39)];

    // Access collects exactly the subject's rows.
    let access_plan = plan(Operation::Access);
    let data = exec::collect(&access_plan, &targets, &subject)
        .await
        .unwrap();
    for d in &data.datasets {
        let want = truth_count(&pool, &d.table, s).await;
        assert_eq!(
            d.rows.len() as i64,
            want,
            "{} rows of {}",
            kind_name(kind),
            d.table
        );
    }
    assert!(
        data.datasets
            .iter()
            .all(|d| d.table != "products" && d.table != "shops")
    );
    assert_eq!(data.datasets.len(), 19);
    let est = access_plan.estimate(&targets, &subject).await.unwrap();
    assert_eq!(
        est.get("orders").copied(),
        Some(truth_count(&pool, "orders", s).await as u64)
    );
    let shown = access_plan.render_with(Lang::En, Some(&est));
    assert!(shown.contains("estimated rows:"), "{shown}");

    // The encrypted package decrypts to the same data.
    let pkg = exec::access(&access_plan, &targets, &subject)
        .await
        .unwrap();
    let tar = exec::decrypt_package(&pkg.ciphertext, &pkg.key).unwrap();
    let files = exec::read_tar(&tar).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"manifest.json") && names.contains(&"data.json"));
    assert!(names.contains(&"csv/orders.csv"));
    let orders_csv = &files.iter().find(|(n, _)| n == "csv/orders.csv").unwrap().1;
    let lines = String::from_utf8(orders_csv.clone())
        .unwrap()
        .lines()
        .count() as i64;
    assert_eq!(lines - 1, truth_count(&pool, "orders", s).await);
    let mut wrong_key = pkg.key;
    wrong_key[0] ^= 1;
    assert!(exec::decrypt_package(&pkg.ciphertext, &wrong_key).is_err());
    assert_eq!(pkg.manifest.manual_datasets, vec!["clickstream".to_owned()]);

    // Erasure.
    let before_others: Vec<_> = {
        let mut v = Vec::new();
        for o in &others {
            v.push(exec::collect(&access_plan, &targets, o).await.unwrap());
        }
        v
    };
    let before_counts = support::counts(&pool).await;
    let mut held_before = BTreeMap::new();
    for t in HELD {
        held_before.insert(*t, truth_count(&pool, t, s).await);
    }
    let erase_plan = plan(Operation::Erase);
    let rep = exec::erase(&erase_plan, &targets, "req-1", &subject)
        .await
        .unwrap();
    assert!(rep.steps.iter().all(|x| !x.skipped_already_done));
    for t in support::TABLES {
        let n = truth_count(&pool, t, s).await;
        if HELD.contains(t) {
            assert_eq!(n, held_before[t], "{t}: held rows stay");
        } else if *t == "users" {
            // Kept (held orders and others' messages reference it) but anonymised.
            let row = sqlx::query(AssertSqlSafe(format!(
                "SELECT phone, email, nickname, real_name FROM users WHERE id = {s}"
            )))
            .fetch_one(&pool)
            .await
            .unwrap();
            let phone: String = row.try_get(0).unwrap();
            assert!(phone.starts_with('x'), "phone replaced by a surrogate");
            assert_eq!(row.try_get::<Option<String>, _>(1).unwrap(), None);
            assert_eq!(row.try_get::<String, _>(2).unwrap(), "已注销用户");
            assert_eq!(row.try_get::<Option<String>, _>(3).unwrap(), None);
        } else {
            assert_eq!(
                n,
                0,
                "{}: {t} still has rows of the subject",
                kind_name(kind)
            );
        }
    }
    let held: Vec<&str> = rep.holds.iter().map(|h| h.dataset.as_str()).collect();
    assert!(held.contains(&"orders"), "{held:?}");
    let oh = rep.holds.iter().find(|h| h.dataset == "orders").unwrap();
    assert!(oh.reason.contains("电子商务法第三十一条"));
    assert!(oh.until_latest.as_deref().unwrap() > "2026-01-01");
    fk_check(&pool, kind).await;
    // Other subjects untouched, reference data untouched.
    for (o, before) in others.iter().zip(&before_others) {
        let after = exec::collect(&access_plan, &targets, o).await.unwrap();
        assert_eq!(&after, before, "another subject's data changed");
    }
    let after_counts = support::counts(&pool).await;
    for ((t, b), (_, a)) in before_counts.iter().zip(&after_counts) {
        if t == "shops" || t == "products" {
            assert_eq!(a, b, "{t} must stay untouched");
        }
    }

    // Rerun: every step skipped, nothing changes.
    let snapshot = support::counts(&pool).await;
    let rep2 = exec::erase(&erase_plan, &targets, "req-1", &subject)
        .await
        .unwrap();
    assert!(rep2.steps.iter().all(|x| x.skipped_already_done));
    assert_eq!(
        rep2.steps.iter().map(|x| x.rows).collect::<Vec<_>>(),
        rep.steps.iter().map(|x| x.rows).collect::<Vec<_>>()
    );
    assert_eq!(rep2.holds, rep.holds);
    assert_eq!(support::counts(&pool).await, snapshot);
    let journal: i64 = sqlx::query_scalar::<sqlx::Any, i64>(
        "SELECT COUNT(*) FROM xiezhi_rights_journal WHERE request_id = 'req-1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(journal as usize, erase_plan.steps.len());

    // Correction of another subject's address: digests only, journaled.
    let other = Subject::Int(39);
    let cplan = exec::plan(
        &project(),
        Operation::Correct,
        &PlanOptions {
            dataset: Some("addresses".into()),
            fields: vec!["detail".into()],
        },
    )
    .unwrap();
    let mut values = BTreeMap::new();
    values.insert("detail".to_owned(), Some("广州市天河区新地址".to_owned()));
    let c = exec::correct(&cplan, &targets, "req-c", &other, &values)
        .await
        .unwrap();
    assert_eq!(c.rows as i64, truth_count(&pool, "addresses", 39).await);
    assert_ne!(c.old_digest, c.new_digest);
    assert_eq!(c.new_digest.len(), 64);
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("广州"), "the report never holds values");
    let c2 = exec::correct(&cplan, &targets, "req-c", &other, &values)
        .await
        .unwrap();
    assert!(c2.skipped_already_done);
    assert_eq!((c2.old_digest, c2.new_digest), (c.old_digest, c.new_digest));
    let n: i64 = sqlx::query_scalar::<sqlx::Any, i64>(
        "SELECT COUNT(*) FROM addresses WHERE user_id = 39 AND detail = '广州市天河区新地址'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(n as u64, c.rows);

    // Correcting a column that is not text (TIMESTAMP): cast to the column's type on
    // PostgreSQL; a value of the wrong shape is refused without quoting it.
    let tplan_c = exec::plan(
        &project(),
        Operation::Correct,
        &PlanOptions {
            dataset: Some("users".into()),
            fields: vec!["created_at".into()],
        },
    )
    .unwrap();
    let mut when = BTreeMap::new();
    when.insert(
        "created_at".to_owned(),
        Some("2025-06-01 10:00:00".to_owned()),
    );
    let c3 = exec::correct(&tplan_c, &targets, "req-ts", &other, &when)
        .await
        .unwrap_or_else(|e| panic!("{}: correcting a TIMESTAMP: {e}", kind_name(kind)));
    assert_eq!(c3.rows, 1);
    if kind != Dialect::Sqlite {
        let mut bad = BTreeMap::new();
        bad.insert("created_at".to_owned(), Some("去年夏天某日".to_owned()));
        let e = exec::correct(&tplan_c, &targets, "req-ts-bad", &other, &bad)
            .await
            .expect_err("a non-date is refused");
        let msg = e.to_string();
        assert!(
            matches!(e, exec::ExecError::RejectedValue { .. }),
            "{}: {msg}",
            kind_name(kind)
        );
        assert!(
            !msg.contains("去年夏天"),
            "the value is never quoted: {msg}"
        );
    }

    // Transfer export: third-party fields left out, schema-valid, canonical bytes.
    let tplan = plan(Operation::Transfer);
    let check = exec::check_transfer_conditions(
        &project(),
        &tplan,
        &targets,
        &TransferInput {
            identity_verified: true,
        },
    )
    .unwrap();
    assert!(
        check
            .excluded_fields
            .contains(&"orders.ship_phone".to_owned())
    );
    let export = exec::transfer_export(
        &tplan,
        &targets,
        &other,
        "req-t",
        "另一商城有限公司",
        1_790_000_000,
    )
    .await
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(exec::TRANSFER_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errs: Vec<String> = validator
        .iter_errors(&export.document)
        .map(|e| e.to_string())
        .collect();
    assert!(errs.is_empty(), "{errs:?}");
    let text = String::from_utf8(exec::canonical_bytes(&export)).unwrap();
    assert!(
        !text.contains("ship_phone\":\""),
        "third-party values excluded"
    );
    assert!(text.starts_with("{\"datasets\":["));

    // Legal holds end: rows are kept through the last day of their retention and purged the
    // day after; then nothing of the subject is left and every foreign key holds.
    let earliest = rep
        .holds
        .iter()
        .filter_map(|h| h.until_earliest.clone())
        .min()
        .unwrap();
    let held_total = |pool: AnyPool| async move {
        let mut n = 0;
        for t in HELD {
            n += truth_count(&pool, t, s).await;
        }
        n
    };
    let before = held_total(pool.clone()).await;
    // A hold counted from a column that is not a date is refused, and nothing is purged
    // (compared with a date, SQLite would take every number as expired).
    let mut bad_project = project();
    let orders_hold = bad_project
        .files
        .iter_mut()
        .flat_map(|f| f.map.datasets.iter_mut())
        .find(|d| d.id.value == "orders")
        .and_then(|d| d.erasure.as_mut())
        .and_then(|e| e.hold.as_mut())
        .expect("the fixture holds orders");
    orders_hold.from = xiezhi_map::At::unplaced("shop_id".to_owned());
    let bad_plan = exec::plan(&bad_project, Operation::Erase, &PlanOptions::default()).unwrap();
    let e = exec::purge_expired_holds(&bad_plan, &targets, "req-bad", &subject, &earliest)
        .await
        .expect_err("a hold counted from a non-date column is refused");
    match &e {
        exec::ExecError::HoldColumnNotDate {
            dataset,
            column,
            rows,
            ..
        } => {
            assert_eq!((dataset.as_str(), column.as_str()), ("orders", "shop_id"));
            assert_eq!(*rows as i64, truth_count(&pool, "orders", s).await);
        }
        other => panic!("{}: {other}", kind_name(kind)),
    }
    assert!(e.to_string().contains("hold.from"), "{e}");
    assert_eq!(
        held_total(pool.clone()).await,
        before,
        "{}: nothing purged",
        kind_name(kind)
    );
    let p0 = exec::purge_expired_holds(&erase_plan, &targets, "req-1", &subject, &earliest)
        .await
        .unwrap();
    assert_eq!(
        p0.steps.iter().map(|x| x.deleted).sum::<u64>(),
        0,
        "{}: on {earliest}, the last day of the earliest retention, nothing is purged",
        kind_name(kind)
    );
    assert_eq!(held_total(pool.clone()).await, before);
    let day_after = next_day(&earliest);
    let p1 = exec::purge_expired_holds(&erase_plan, &targets, "req-1", &subject, &day_after)
        .await
        .unwrap();
    assert!(
        p1.steps.iter().map(|x| x.deleted).sum::<u64>() >= 1,
        "{}: the day after, the expired rows go",
        kind_name(kind)
    );
    assert!(held_total(pool.clone()).await < before);
    fk_check(&pool, kind).await;
    let p2 = exec::purge_expired_holds(&erase_plan, &targets, "req-1", &subject, "2100-01-01")
        .await
        .unwrap();
    assert!(p2.holds.is_empty(), "{:?}", p2.holds);
    for t in support::TABLES {
        if *t == "users" {
            // Other people's messages may still point at the account: it stays anonymised.
            let nick: Option<String> = sqlx::query_scalar::<sqlx::Any, String>(AssertSqlSafe(
                format!("SELECT nickname FROM users WHERE id = {s}"),
            ))
            .fetch_optional(&pool)
            .await
            .unwrap();
            assert!(nick.is_none_or(|n| n == "已注销用户"));
            continue;
        }
        assert_eq!(
            truth_count(&pool, t, s).await,
            0,
            "{}: {t} still has rows of the subject after every hold ended",
            kind_name(kind)
        );
    }
    fk_check(&pool, kind).await;
    // Same day again: journaled, nothing to do.
    let p3 = exec::purge_expired_holds(&erase_plan, &targets, "req-1", &subject, "2100-01-01")
        .await
        .unwrap();
    assert!(p3.steps.iter().all(|x| x.skipped_already_done));
    assert!(
        exec::purge_expired_holds(&erase_plan, &targets, "req-1", &subject, "next week")
            .await
            .is_err()
    );
    pool.close().await;
}

/// `YYYY-MM-DD` + 1 day.
fn next_day(d: &str) -> String {
    let (y, m, dd): (i32, u32, u32) = (
        d[0..4].parse().unwrap(),
        d[5..7].parse().unwrap(),
        d[8..10].parse().unwrap(),
    );
    let days = xiezhi_model::calendar::days_from_civil(y, m, dd).unwrap();
    let (y, m, dd) = xiezhi_model::calendar::civil_from_days(days + 1);
    format!("{y:04}-{m:02}-{dd:02}")
}

fn kind_name(k: Dialect) -> &'static str {
    match k {
        Dialect::Postgres => "PostgreSQL",
        Dialect::MySql => "MariaDB",
        Dialect::Sqlite => "SQLite",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_access_erase_correct_transfer() {
    scenario(Dialect::Sqlite, "xz_exec_sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_access_erase_correct_transfer() {
    scenario(Dialect::Postgres, "xz_exec_pg").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_access_erase_correct_transfer() {
    scenario(Dialect::MySql, "xz_exec_my").await;
}

#[test]
fn plan_orders_children_before_parents_and_lists_manual_tasks() {
    let p = plan(Operation::Erase);
    let pos = |d: &str| p.steps.iter().position(|s| s.dataset == d).unwrap();
    for (child, parent) in [
        ("order_items", "orders"),
        ("refunds", "payments"),
        ("payments", "orders"),
        ("orders", "users"),
        ("review_images", "reviews"),
        ("reviews", "orders"),
        ("cart_items", "carts"),
        ("ticket_messages", "support_tickets"),
        ("support_tickets", "orders"),
        ("coupons_issued", "orders"),
        ("messages", "users"),
    ] {
        assert!(
            pos(child) < pos(parent),
            "{child} must come before {parent}"
        );
    }
    assert!(
        !p.steps
            .iter()
            .any(|s| s.dataset == "products" || s.dataset == "shops")
    );
    assert_eq!(p.steps.len(), 19);
    let orders = p.steps.iter().find(|s| s.dataset == "orders").unwrap();
    assert_eq!(orders.action, StepAction::Hold);
    assert_eq!(p.manual.len(), 1);
    assert_eq!(p.manual[0].dataset, "clickstream");
    let a = plan(Operation::Access);
    assert!(
        a.steps.iter().position(|s| s.dataset == "users").unwrap()
            < a.steps.iter().position(|s| s.dataset == "orders").unwrap()
    );
    let zh = p.render(Lang::ZhCn);
    assert!(zh.contains("法定留存，仅存储"), "{zh}");
    assert!(zh.contains("电子商务法第三十一条"));
    assert!(zh.contains("人工任务"));
    assert!(
        zh.contains("refunds.payment_id → payments.order_id → orders.user_id = :subject"),
        "{zh}"
    );
    let en = p.render(Lang::En);
    assert!(en.contains("phone=random"), "{en}");
    assert!(en.contains("nickname=redact"));
    assert!(en.contains("Manual tasks"));
}

#[test]
fn transfer_conditions_fail_one_by_one() {
    let proj = project();
    let p = plan(Operation::Transfer);
    let all = Targets::from_pairs(["shop=sqlite://unused.db"]).unwrap();
    let ok = TransferInput {
        identity_verified: true,
    };
    assert!(exec::check_transfer_conditions(&proj, &p, &all, &ok).is_ok());
    // 1: identity.
    let e =
        exec::check_transfer_conditions(&proj, &p, &all, &TransferInput::default()).unwrap_err();
    assert_eq!(e.conditions(), vec![TransferCondition::IdentityVerified]);
    assert!(e.zh().contains("条件一"));
    assert!(e.to_string().contains("condition 1"));
    // 3: no target for the connection.
    let none = Targets::default();
    let e = exec::check_transfer_conditions(&proj, &p, &none, &ok).unwrap_err();
    assert_eq!(e.conditions(), vec![TransferCondition::TechnicallyFeasible]);
    assert!(e.to_string().contains("connection `shop`"));
    // 2 and 4 from edited maps.
    let dir = tempfile::tempdir().unwrap();
    let shop = support::fixtures().join("shop");
    std::fs::create_dir_all(dir.path().join("datamap")).unwrap();
    std::fs::copy(shop.join("xiezhi.yaml"), dir.path().join("xiezhi.yaml")).unwrap();
    let text = std::fs::read_to_string(shop.join("datamap/shop.yaml")).unwrap();
    let edited = text.replace(
        "    legal_basis: consent\n    consent: [general]\n",
        "    legal_basis: legal_obligation\n",
    );
    std::fs::write(dir.path().join("datamap/shop.yaml"), &edited).unwrap();
    let proj2 = xiezhi_map::load_project(dir.path()).unwrap();
    let e = exec::check_transfer_conditions(&proj2, &p, &all, &ok).unwrap_err();
    assert_eq!(e.conditions(), vec![TransferCondition::ConsentOrContract]);
    assert!(e.to_string().contains("messages"), "{e}");
    let edited = text.replace(
        "{ name: recipient_id, pi_type: device_id, third_party: true }",
        "{ name: recipient_id, pi_type: device_id }",
    );
    std::fs::write(dir.path().join("datamap/shop.yaml"), &edited).unwrap();
    let proj3 = xiezhi_map::load_project(dir.path()).unwrap();
    let e = exec::check_transfer_conditions(&proj3, &p, &all, &ok).unwrap_err();
    assert_eq!(e.conditions(), vec![TransferCondition::NoHarmToOthers]);
    assert!(e.zh().contains("条件四"));
}

#[test]
fn fee_only_beyond_the_reasonable_range_and_never_above_cost() {
    let rule = exec::FeeRule {
        reasonable_per_year: 2,
        cost_cny: 30,
    };
    assert!(!exec::fee_decision(Some(rule), 1).allowed);
    assert!(!exec::fee_decision(Some(rule), 2).allowed);
    let d = exec::fee_decision(Some(rule), 3);
    assert!(d.allowed);
    assert_eq!(d.max_fee_cny, 30);
    assert!(!exec::fee_decision(None, 100).allowed);
}

// ---------------------------------------------------------------------------------------------
// Kill test: the test binary re-executes itself as a child that erases and pauses after
// committing step K (test-only hook `EraseOptions::after_step`); the parent SIGKILLs it, reruns
// and checks that every step ran exactly once.

const CHILD_ENV: &str = "XIEZHI_TEST_KILL_CHILD";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return; // Only does something when re-executed by the kill tests.
    };
    let mut parts = spec.split('|');
    let (dsn, k, s, marker) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap().to_owned(),
    );
    let k: usize = k.parse().unwrap();
    let targets = Targets::from_pairs([format!("shop={dsn}")]).unwrap();
    let hook = move |step: usize, _name: &str| {
        if step == k {
            std::fs::write(&marker, format!("PAUSED {step}")).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(600));
        }
    };
    let opts = EraseOptions {
        after_step: Some(&hook),
    };
    exec::erase_with(
        &plan(Operation::Erase),
        &targets,
        "req-kill",
        &Subject::Int(s.parse().unwrap()),
        &opts,
    )
    .await
    .unwrap();
}

async fn kill_scenario(kind: Dialect, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let Some((dsn, pool)) = setup(kind, name, dir.path(), 40).await else {
        return;
    };
    let s = pick_subject(&pool).await;
    let k = 7;
    let marker = dir.path().join("paused");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "kill_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{dsn}|{k}|{s}|{}", marker.display()))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut paused = false;
    for _ in 0..1200 {
        if std::fs::read_to_string(&marker).is_ok_and(|m| m == "PAUSED 7") {
            paused = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(paused, "the child never reached step {k}");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let done: i64 = sqlx::query_scalar::<sqlx::Any, i64>(
        "SELECT COUNT(*) FROM xiezhi_rights_journal WHERE request_id = 'req-kill'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(done, k as i64, "exactly the committed steps are journaled");
    let targets = Targets::from_pairs([format!("shop={dsn}")]).unwrap();
    let p = plan(Operation::Erase);
    let rep = exec::erase(&p, &targets, "req-kill", &Subject::Int(s))
        .await
        .unwrap();
    for (i, st) in rep.steps.iter().enumerate() {
        assert_eq!(
            st.skipped_already_done,
            i < k,
            "step {} ({})",
            i + 1,
            st.step
        );
    }
    let rows = sqlx::query(
        "SELECT step, COUNT(*) FROM xiezhi_rights_journal WHERE request_id = 'req-kill' GROUP BY step",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), p.steps.len());
    for r in rows {
        assert_eq!(r.try_get::<i64, _>(1).unwrap(), 1);
    }
    for t in support::TABLES {
        if !HELD.contains(t) && *t != "users" {
            assert_eq!(truth_count(&pool, t, s).await, 0, "{t}");
        }
    }
    fk_check(&pool, kind).await;
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_and_resume_runs_each_step_once() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    kill_scenario(Dialect::Sqlite, "xz_kill_sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill_and_resume_runs_each_step_once() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    kill_scenario(Dialect::Postgres, "xz_kill_pg").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql_kill_and_resume_runs_each_step_once() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    kill_scenario(Dialect::MySql, "xz_kill_my").await;
}
