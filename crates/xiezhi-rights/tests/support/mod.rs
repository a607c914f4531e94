//! Test support shared by the integration tests and the benchmark example: the shop schema,
//! a deterministic data generator, and per-test databases on SQLite, PostgreSQL and MariaDB.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use sqlx::{AnyPool, AssertSqlSafe};
use xiezhi_rights::exec::Dialect;

/// The fixture directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every table of the schema, parents first (the order rows are inserted in).
pub const TABLES: &[&str] = &[
    "shops",
    "products",
    "users",
    "user_profiles",
    "addresses",
    "orders",
    "order_items",
    "payments",
    "refunds",
    "invoices",
    "reviews",
    "review_images",
    "carts",
    "cart_items",
    "favorites",
    "messages",
    "login_logs",
    "devices",
    "coupons_issued",
    "support_tickets",
    "ticket_messages",
];

pub fn schema_sql(d: Dialect) -> String {
    let f = match d {
        Dialect::Postgres => "schema.pg.sql",
        Dialect::MySql => "schema.mysql.sql",
        Dialect::Sqlite => "schema.sqlite.sql",
    };
    std::fs::read_to_string(fixtures().join(f)).unwrap()
}

pub async fn create_schema(pool: &AnyPool, d: Dialect) {
    let text: String = schema_sql(d)
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for stmt in text.split(';') {
        if stmt.trim().is_empty() {
            continue;
        }
        sqlx::raw_sql(AssertSqlSafe(stmt.to_owned()))
            .execute(pool)
            .await
            .unwrap();
    }
}

/// A small deterministic PRNG (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Rows per table under construction, as SQL literal tuples.
#[derive(Default)]
struct Batch {
    rows: Vec<(usize, String)>,
}

/// Per-table id counters.
pub struct Generator {
    rng: Rng,
    next_id: Vec<i64>,
    pub shops: i64,
    pub products: i64,
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ts(d: Dialect, days_ago: u64) -> String {
    // 2026-01-01 minus days, as a date-time literal every dialect accepts.
    let base = 20454i64; // days from 1970-01-01 to 2026-01-01
    let day = base - days_ago as i64;
    let (y, m, dd) = civil(day);
    let s = format!("{y:04}-{m:02}-{dd:02} 10:00:00");
    match d {
        Dialect::Postgres => format!("TIMESTAMP '{s}'"),
        _ => format!("'{s}'"),
    }
}

/// Days since the epoch to (year, month, day) (H. Hinnant's algorithm).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            next_id: vec![1; TABLES.len()],
            shops: 50,
            products: 2000,
        }
    }

    fn id(&mut self, table: &str) -> i64 {
        let i = TABLES.iter().position(|t| *t == table).unwrap();
        let v = self.next_id[i];
        self.next_id[i] += 1;
        v
    }

    /// Inserts shops and products (non-PI reference data).
    pub async fn load_reference(&mut self, pool: &AnyPool, d: Dialect) {
        let mut b = Batch::default();
        for s in 1..=self.shops {
            b.rows
                .push((0, format!("({s}, {})", q(&format!("店铺{s}")))));
        }
        for p in 1..=self.products {
            let shop = (p % self.shops) + 1;
            b.rows.push((
                1,
                format!("({p}, {shop}, {}, {})", q(&format!("商品{p}")), 100 + p),
            ));
        }
        flush(pool, d, b).await;
    }

    /// Inserts subjects with user ids `first..first+n` and all their rows, in batches of
    /// `chunk` subjects. Messages go to other users of the same chunk.
    pub async fn load_subjects(
        &mut self,
        pool: &AnyPool,
        d: Dialect,
        first: i64,
        n: i64,
        chunk: i64,
    ) {
        let mut start = first;
        while start < first + n {
            let len = chunk.min(first + n - start);
            let b = self.chunk(d, start, len);
            flush(pool, d, b).await;
            start += len;
        }
    }

    fn chunk(&mut self, d: Dialect, start: i64, len: i64) -> Batch {
        let mut b = Batch::default();
        let t = |name: &str| TABLES.iter().position(|x| *x == name).unwrap();
        for u in start..start + len {
            let r = &mut self.rng;
            let created = ts(d, 30 + r.below(2000));
            b.rows.push((
                t("users"),
                format!(
                    "({u}, {}, {}, {}, {}, {created})",
                    q(&format!("1{:010}", u)),
                    if r.below(3) == 0 {
                        "NULL".to_owned()
                    } else {
                        q(&format!("u{u}@example.cn"))
                    },
                    q(&format!("昵称{u}")),
                    q(&format!("张{u}")),
                ),
            ));
            let pid = self.id("user_profiles");
            b.rows.push((
                t("user_profiles"),
                format!(
                    "({pid}, {u}, 'F', '1990-01-01', {})",
                    q(&format!("简介{u}"))
                ),
            ));
            for _ in 0..1 + self.rng.below(2) {
                let id = self.id("addresses");
                b.rows.push((
                    t("addresses"),
                    format!(
                        "({id}, {u}, {}, {}, {})",
                        q(&format!("收件人{u}")),
                        q(&format!("139{u:08}")),
                        q(&format!("北京市海淀区{u}号"))
                    ),
                ));
            }
            let mut orders = Vec::new();
            for _ in 0..self.rng.below(4) {
                let o = self.id("orders");
                orders.push(o);
                let shop = 1 + self.rng.below(self.shops as u64) as i64;
                let when = ts(d, self.rng.below(1500));
                b.rows.push((
                    t("orders"),
                    format!(
                        "({o}, {u}, {shop}, 'done', {}, {}, {}, {}, {when})",
                        1000 + o % 997,
                        q(&format!("收件人{u}")),
                        q(&format!("138{u:08}")),
                        q(&format!("上海市{u}号"))
                    ),
                ));
                for _ in 0..1 + self.rng.below(2) {
                    let i = self.id("order_items");
                    let p = 1 + self.rng.below(self.products as u64);
                    b.rows
                        .push((t("order_items"), format!("({i}, {o}, {p}, 1, 500, {when})")));
                }
                let pay = self.id("payments");
                b.rows.push((
                    t("payments"),
                    format!("({pay}, {o}, 1500, 'card', '1234', {when})"),
                ));
                if self.rng.below(4) == 0 {
                    let rf = self.id("refunds");
                    b.rows.push((
                        t("refunds"),
                        format!("({rf}, {pay}, 500, '质量问题', {when})"),
                    ));
                }
                if self.rng.below(2) == 0 {
                    let inv = self.id("invoices");
                    b.rows.push((
                        t("invoices"),
                        format!("({inv}, {o}, '个人', NULL, 1500, {when})"),
                    ));
                }
            }
            for _ in 0..self.rng.below(3) {
                let rv = self.id("reviews");
                let p = 1 + self.rng.below(self.products as u64);
                let ord = orders.first().map_or("NULL".to_owned(), |o| o.to_string());
                b.rows.push((
                    t("reviews"),
                    format!("({rv}, {u}, {p}, {ord}, 5, '好评', {})", ts(d, 10)),
                ));
                if self.rng.below(2) == 0 {
                    let im = self.id("review_images");
                    b.rows.push((
                        t("review_images"),
                        format!("({im}, {rv}, 'https://img.example.cn/{rv}.jpg')"),
                    ));
                }
            }
            let cart = self.id("carts");
            b.rows
                .push((t("carts"), format!("({cart}, {u}, {})", ts(d, 1))));
            for _ in 0..self.rng.below(3) {
                let ci = self.id("cart_items");
                let p = 1 + self.rng.below(self.products as u64);
                b.rows
                    .push((t("cart_items"), format!("({ci}, {cart}, {p}, 1)")));
            }
            for _ in 0..self.rng.below(3) {
                let f = self.id("favorites");
                let p = 1 + self.rng.below(self.products as u64);
                b.rows
                    .push((t("favorites"), format!("({f}, {u}, {p}, {})", ts(d, 5))));
            }
            if len > 1 {
                for _ in 0..self.rng.below(3) {
                    let m = self.id("messages");
                    let other =
                        start + (u - start + 1 + self.rng.below((len - 1) as u64) as i64) % len;
                    b.rows.push((
                        t("messages"),
                        format!("({m}, {u}, {other}, '你好', {})", ts(d, 3)),
                    ));
                }
            }
            for _ in 0..1 + self.rng.below(2) {
                let l = self.id("login_logs");
                b.rows.push((
                    t("login_logs"),
                    format!(
                        "({l}, {u}, '10.0.{}.{}', 'app/1.0', {})",
                        u % 250,
                        l % 250,
                        ts(d, 2)
                    ),
                ));
            }
            let dv = self.id("devices");
            b.rows.push((
                t("devices"),
                format!(
                    "({dv}, {u}, {}, NULL, {})",
                    q(&format!("dev-{u}")),
                    ts(d, 1)
                ),
            ));
            for _ in 0..self.rng.below(2) {
                let c = self.id("coupons_issued");
                let used = if self.rng.below(2) == 0 {
                    orders.first().map_or("NULL".to_owned(), |o| o.to_string())
                } else {
                    "NULL".to_owned()
                };
                b.rows.push((
                    t("coupons_issued"),
                    format!("({c}, {u}, 'C{c}', {used}, {})", ts(d, 20)),
                ));
            }
            if self.rng.below(3) == 0 {
                let st = self.id("support_tickets");
                let ord = orders.first().map_or("NULL".to_owned(), |o| o.to_string());
                b.rows.push((
                    t("support_tickets"),
                    format!("({st}, {u}, {ord}, '物流问题', {})", ts(d, 7)),
                ));
                for _ in 0..1 + self.rng.below(2) {
                    let tm = self.id("ticket_messages");
                    b.rows.push((
                        t("ticket_messages"),
                        format!("({tm}, {st}, 'user', '请尽快处理')"),
                    ));
                }
            }
        }
        b
    }
}

async fn flush(pool: &AnyPool, _d: Dialect, mut b: Batch) {
    b.rows.sort_by_key(|(t, _)| *t);
    let mut i = 0;
    while i < b.rows.len() {
        let table = b.rows[i].0;
        let mut j = i;
        while j < b.rows.len() && b.rows[j].0 == table {
            j += 1;
        }
        for part in b.rows[i..j].chunks(1000) {
            let vals: Vec<&str> = part.iter().map(|(_, v)| v.as_str()).collect();
            let sql = format!("INSERT INTO {} VALUES {}", TABLES[table], vals.join(","));
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(pool)
                .await
                .unwrap();
        }
        i = j;
    }
}

/// A fresh database for one test: `(dsn, dialect)`, or `None` (printed SKIPPED) when the
/// server's variable is unset. PostgreSQL: a schema `name` via search_path; MariaDB: a
/// database `name`; SQLite: a file in `dir`.
pub async fn fresh_db(kind: Dialect, name: &str, dir: &Path) -> Option<String> {
    sqlx::any::install_default_drivers();
    match kind {
        Dialect::Sqlite => {
            let p = dir.join(format!("{name}.db"));
            Some(format!("sqlite://{}?mode=rwc", p.display()))
        }
        Dialect::Postgres => {
            let Ok(base) = std::env::var("XIEZHI_TEST_POSTGRES") else {
                eprintln!(
                    "SKIPPED: set XIEZHI_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test to run {name} on PostgreSQL"
                );
                return None;
            };
            let pool = AnyPool::connect(&base).await.unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            )))
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
            let sep = if base.contains('?') { '&' } else { '?' };
            Some(format!("{base}{sep}options=-c%20search_path%3D{name}"))
        }
        Dialect::MySql => {
            let Ok(base) = std::env::var("XIEZHI_TEST_MYSQL") else {
                eprintln!(
                    "SKIPPED: set XIEZHI_TEST_MYSQL=mysql://root@127.0.0.1:3306/test to run {name} on MariaDB/MySQL"
                );
                return None;
            };
            let pool = AnyPool::connect(&base).await.unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
                .execute(&pool)
                .await
                .unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!(
                "CREATE DATABASE {name} CHARACTER SET utf8mb4"
            )))
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
            let (head, _) = base.rsplit_once('/').unwrap();
            Some(format!("{head}/{name}"))
        }
    }
}

/// Counts rows of every table.
pub async fn counts(pool: &AnyPool) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = sqlx::query_scalar::<sqlx::Any, i64>(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {t}"
        )))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push(((*t).to_owned(), n));
    }
    out
}
