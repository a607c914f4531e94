//! Benchmark of rights execution on the 21-table shop schema (called by
//! `bench/rights_exec.sh`): loads N subjects, then times access and erasure of single subjects
//! and prints median / p95 / max, plus EXPLAIN of one key-path query.
//!
//! ```text
//! cargo run --release -p xiezhi-rights --example rights_bench -- <dsn> <subjects> <samples> [--no-load]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use sqlx::{AnyPool, AssertSqlSafe, Row as _};
use xiezhi_rights::exec::{self, Dialect, Operation, PlanOptions, Subject, Targets};

fn stats(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = v.len();
    let med = v[n / 2];
    let p95 = v[((n as f64 * 0.95).ceil() as usize)
        .saturating_sub(1)
        .min(n - 1)];
    println!(
        "{name:<8} n={n} median={:.1} ms p95={:.1} ms max={:.1} ms",
        ms(med),
        ms(p95),
        ms(v[n - 1])
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: rights_bench <dsn> <subjects> <samples> [--no-load]");
        std::process::exit(2);
    }
    let dsn = &args[1];
    let n: i64 = args[2].parse().unwrap();
    let samples: u64 = args[3].parse().unwrap();
    let load = !args.iter().any(|a| a == "--no-load");
    sqlx::any::install_default_drivers();
    let kind = Dialect::of_dsn(dsn).unwrap();
    let pool = AnyPool::connect(dsn).await.unwrap();
    if load {
        for t in support::TABLES.iter().rev() {
            sqlx::raw_sql(AssertSqlSafe(format!("DROP TABLE IF EXISTS {t}")))
                .execute(&pool)
                .await
                .unwrap();
        }
        sqlx::raw_sql("DROP TABLE IF EXISTS xiezhi_rights_journal")
            .execute(&pool)
            .await
            .unwrap();
        if kind == Dialect::Sqlite {
            sqlx::raw_sql("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF")
                .execute(&pool)
                .await
                .unwrap();
        }
        support::create_schema(&pool, kind).await;
        // PostgreSQL: bulk load without per-row foreign-key triggers and without waiting for
        // the WAL flush of each statement (the generator's rows are consistent by
        // construction; the timed part below uses the normal pool with every constraint on).
        let load_pool = if kind == Dialect::Postgres {
            let extra =
                "-c%20synchronous_commit%3Doff%20-c%20session_replication_role%3Dreplica%20";
            let d = if dsn.contains("options=") {
                dsn.replacen("options=", &format!("options={extra}"), 1)
            } else if dsn.contains('?') {
                format!("{dsn}&options={extra}")
            } else {
                format!("{dsn}?options={extra}")
            };
            AnyPool::connect(&d).await.unwrap()
        } else {
            pool.clone()
        };
        let mut g = support::Generator::new(7);
        g.load_reference(&load_pool, kind).await;
        let t0 = Instant::now();
        let step = 50_000.min(n);
        let mut first = 1;
        while first <= n {
            let len = step.min(n - first + 1);
            g.load_subjects(&load_pool, kind, first, len, 2000).await;
            first += len;
            let rows: i64 = {
                let mut s = 0;
                for (_, c) in support::counts(&pool).await {
                    s += c;
                }
                s
            };
            println!(
                "loaded {} subjects, {rows} rows, {:.0} s",
                first - 1,
                t0.elapsed().as_secs_f64()
            );
        }
        let analyze = match kind {
            Dialect::Postgres => "ANALYZE",
            Dialect::MySql => "SELECT 1",
            Dialect::Sqlite => "ANALYZE",
        };
        sqlx::raw_sql(analyze).execute(&pool).await.unwrap();
        if kind == Dialect::MySql {
            for t in support::TABLES {
                sqlx::raw_sql(AssertSqlSafe(format!("ANALYZE TABLE {t}")))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            }
        }
        println!("load: {n} subjects in {:.0} s", t0.elapsed().as_secs_f64());
    }
    let mut total = 0i64;
    for (t, c) in support::counts(&pool).await {
        total += c;
        print!("{t}={c} ");
    }
    println!("\ntotal rows: {total}");

    let project = xiezhi_map::load_project(&support::fixtures().join("shop")).unwrap();
    let access_plan = exec::plan(&project, Operation::Access, &PlanOptions::default()).unwrap();
    let erase_plan = exec::plan(&project, Operation::Erase, &PlanOptions::default()).unwrap();
    let targets = Targets::from_pairs([format!("shop={dsn}")]).unwrap();

    // EXPLAIN of the deepest key path (refunds → payments → orders → users).
    let q = "SELECT COUNT(*) FROM refunds WHERE payment_id IN (SELECT t1.id FROM payments t1 WHERE t1.order_id IN (SELECT t2.id FROM orders t2 WHERE t2.user_id = 12345))";
    let explain = match kind {
        Dialect::Sqlite => format!("EXPLAIN QUERY PLAN {q}"),
        _ => format!("EXPLAIN {q}"),
    };
    println!("EXPLAIN {q}");
    for r in sqlx::raw_sql(AssertSqlSafe(explain))
        .fetch_all(&pool)
        .await
        .unwrap()
    {
        let cols = r.len();
        let mut line = Vec::new();
        for i in 0..cols {
            if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                line.push(v.unwrap_or_default());
            } else if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                line.push(v.map(|x| x.to_string()).unwrap_or_default());
            }
        }
        println!("  {}", line.join(" | "));
    }

    let mut rng = support::Rng::new(99);
    let mut acc = Vec::new();
    let mut era = Vec::new();
    let mut rows_seen = 0usize;
    for i in 0..samples {
        let s = Subject::Int(1 + rng.below(n as u64) as i64);
        let t = Instant::now();
        let pkg = exec::access(&access_plan, &targets, &s).await.unwrap();
        acc.push(t.elapsed());
        rows_seen += pkg
            .manifest
            .files
            .iter()
            .filter_map(|f| f.rows)
            .sum::<u64>() as usize;
        let t = Instant::now();
        let rep = exec::erase(
            &erase_plan,
            &targets,
            &format!("bench-{i}-{}", std::process::id()),
            &s,
        )
        .await
        .unwrap();
        era.push(t.elapsed());
        assert_eq!(rep.steps.len(), erase_plan.steps.len());
    }
    println!(
        "backend={kind:?} subjects={n} samples={samples} rows_per_access_avg={:.1}",
        rows_seen as f64 / samples as f64
    );
    stats("access", acc);
    stats("erase", era);
}
