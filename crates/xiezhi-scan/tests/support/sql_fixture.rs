//! A school-and-shop fixture schema for the database tests: 22 tables with foreign keys,
//! misleading column names, Chinese and pinyin column names and comments. Every value is
//! synthetic (generated here, IDs and card numbers with valid check digits).

#![allow(dead_code)]

use xiezhi_model::PiType;

/// How a column's values are made.
#[derive(Debug, Clone, Copy)]
pub enum Gen {
    /// 1, 2, 3…
    Seq,
    /// A row of another table (1..=ROWS).
    Ref,
    /// 0 or 1.
    Flag,
    /// `2024-2025`.
    YearCode,
    /// A valid 18-digit resident ID.
    ResidentId,
    /// An 11-digit mainland mobile number.
    Mobile,
    /// `user123@example.com`.
    Email,
    /// A Chinese name.
    Name,
    /// A Chinese address.
    Address,
    /// A UnionPay card number with a valid Luhn digit.
    BankCard,
    /// An IPv4 address.
    Ipv4,
    /// `19900305`.
    BirthDate,
    /// `12.50`.
    Amount,
    /// `20261128000123` (14 digits).
    OrderNo,
    /// A word from a fixed list.
    Word(&'static [&'static str]),
    /// Hex digest.
    Hash,
    /// `2026-11-28 10:00:00`.
    Timestamp,
    /// Small integers.
    Small,
}

/// A column.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub sql_type: &'static str,
    pub comment: Option<&'static str>,
    pub r#gen: Gen,
    /// The PI type the column really holds.
    pub truth: Option<PiType>,
}

/// A table.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub comment: Option<&'static str>,
    pub cols: Vec<Col>,
    /// (column, referenced table)
    pub fks: Vec<(&'static str, &'static str)>,
}

pub const ROWS: usize = 120;

const fn c(name: &'static str, sql_type: &'static str, r#gen: Gen) -> Col {
    Col {
        name,
        sql_type,
        comment: None,
        r#gen,
        truth: None,
    }
}

const fn pi(name: &'static str, sql_type: &'static str, r#gen: Gen, t: PiType) -> Col {
    Col {
        name,
        sql_type,
        comment: None,
        r#gen,
        truth: Some(t),
    }
}

const fn with_comment(mut col: Col, comment: &'static str) -> Col {
    col.comment = Some(comment);
    col
}

const STATUS: &[&str] = &["paid", "shipped", "cancelled"];
const PHONE_MODELS: &[&str] = &["iPhone 15", "Mate 60", "Xiaomi 14", "Pixel 8"];
const ID_TYPES: &[&str] = &["居民身份证", "护照", "港澳居民来往内地通行证"];
const ADDRESS_TYPES: &[&str] = &["home", "work", "other"];
const DEPTS: &[&str] = &["计算机学院", "数学学院", "外国语学院"];
const COURSES: &[&str] = &["数据结构", "线性代数", "大学英语"];
const PRODUCTS: &[&str] = &["保温杯", "机械键盘", "雨伞"];
const EVENTS: &[&str] = &["login", "logout", "export"];
const MIME: &[&str] = &["image/png", "application/pdf"];

/// The fixture tables, parents before children.
pub fn tables() -> Vec<Table> {
    use Gen::*;
    use PiType as P;
    let id = c("id", "INTEGER", Seq);
    vec![
        Table {
            name: "departments",
            comment: Some("院系"),
            cols: vec![
                id,
                c("dept_name", "VARCHAR(64)", Word(DEPTS)),
                c("budget_amount", "DECIMAL(12,2)", Amount),
            ],
            fks: vec![],
        },
        Table {
            name: "students",
            comment: Some("学生信息表"),
            cols: vec![
                id,
                with_comment(pi("xm", "VARCHAR(32)", Name, P::PersonName), "学生姓名"),
                pi("sfzh", "VARCHAR(18)", ResidentId, P::CnResidentId),
                pi("sjhm", "VARCHAR(11)", Mobile, P::CnMobile),
                pi("dz", "VARCHAR(200)", Address, P::CnAddress),
                pi("csrq", "VARCHAR(8)", BirthDate, P::DateOfBirth),
                c("email_verified", "INTEGER", Flag),
                c("academic_year_code", "VARCHAR(16)", YearCode),
                c("dept_id", "INTEGER", Ref),
            ],
            fks: vec![("dept_id", "departments")],
        },
        Table {
            name: "teachers",
            comment: Some("教师"),
            cols: vec![
                id,
                pi("姓名", "VARCHAR(32)", Name, P::PersonName),
                pi("手机号码", "VARCHAR(11)", Mobile, P::CnMobile),
                pi("邮箱", "VARCHAR(64)", Email, P::Email),
                c("dept_id", "INTEGER", Ref),
            ],
            fks: vec![("dept_id", "departments")],
        },
        Table {
            name: "courses",
            comment: None,
            cols: vec![
                id,
                c("course_code", "VARCHAR(16)", OrderNo),
                c("title", "VARCHAR(64)", Word(COURSES)),
                c("credit_hours", "INTEGER", Small),
            ],
            fks: vec![],
        },
        Table {
            name: "enrollments",
            comment: Some("选课"),
            cols: vec![
                id,
                c("student_id", "INTEGER", Ref),
                c("course_id", "INTEGER", Ref),
                c("academic_year_code", "VARCHAR(16)", YearCode),
                c("score", "INTEGER", Small),
            ],
            fks: vec![("student_id", "students"), ("course_id", "courses")],
        },
        Table {
            name: "customers",
            comment: Some("客户"),
            cols: vec![
                id,
                pi("full_name", "VARCHAR(32)", Name, P::PersonName),
                pi("email", "VARCHAR(64)", Email, P::Email),
                pi("phone", "VARCHAR(20)", Mobile, P::CnMobile),
                c("email_verified", "INTEGER", Flag),
                c("created_at", "VARCHAR(19)", Timestamp),
            ],
            fks: vec![],
        },
        Table {
            name: "orders",
            comment: Some("订单"),
            cols: vec![
                id,
                c("customer_id", "INTEGER", Ref),
                c("order_no", "VARCHAR(20)", OrderNo),
                c("amount", "DECIMAL(12,2)", Amount),
                c("status", "VARCHAR(16)", Word(STATUS)),
            ],
            fks: vec![("customer_id", "customers")],
        },
        Table {
            name: "order_items",
            comment: None,
            cols: vec![
                id,
                c("order_id", "INTEGER", Ref),
                c("product_name", "VARCHAR(64)", Word(PRODUCTS)),
                c("qty", "INTEGER", Small),
            ],
            fks: vec![("order_id", "orders")],
        },
        Table {
            name: "payments",
            comment: Some("支付"),
            cols: vec![
                id,
                c("order_id", "INTEGER", Ref),
                pi("card_no", "VARCHAR(19)", BankCard, P::BankCard),
                c("amount", "DECIMAL(12,2)", Amount),
                c("trade_no", "VARCHAR(20)", OrderNo),
            ],
            fks: vec![("order_id", "orders")],
        },
        Table {
            name: "addresses",
            comment: Some("收货地址"),
            cols: vec![
                id,
                c("customer_id", "INTEGER", Ref),
                pi("receiver_name", "VARCHAR(32)", Name, P::PersonName),
                pi("receiver_phone", "VARCHAR(20)", Mobile, P::CnMobile),
                pi("detail_address", "VARCHAR(200)", Address, P::CnAddress),
                c("address_type", "VARCHAR(16)", Word(ADDRESS_TYPES)),
            ],
            fks: vec![("customer_id", "customers")],
        },
        Table {
            name: "login_logs",
            comment: None,
            cols: vec![
                id,
                c("customer_id", "INTEGER", Ref),
                pi("login_ip", "VARCHAR(15)", Ipv4, P::Ipv4),
                c("login_at", "VARCHAR(19)", Timestamp),
            ],
            fks: vec![("customer_id", "customers")],
        },
        Table {
            name: "products",
            comment: None,
            cols: vec![
                id,
                c("product_name", "VARCHAR(64)", Word(PRODUCTS)),
                c("price", "DECIMAL(12,2)", Amount),
            ],
            fks: vec![],
        },
        Table {
            name: "employees",
            comment: Some("员工"),
            cols: vec![
                id,
                pi("员工姓名", "VARCHAR(32)", Name, P::PersonName),
                pi("身份证号", "VARCHAR(18)", ResidentId, P::CnResidentId),
                c("入职年份", "INTEGER", Small),
                c("dept_id", "INTEGER", Ref),
            ],
            fks: vec![("dept_id", "departments")],
        },
        Table {
            name: "device_inventory",
            comment: None,
            cols: vec![
                id,
                c("phone_model", "VARCHAR(32)", Word(PHONE_MODELS)),
                c("ip_whitelist_enabled", "INTEGER", Flag),
            ],
            fks: vec![],
        },
        Table {
            name: "document_types",
            comment: None,
            cols: vec![id, c("id_card_type", "VARCHAR(32)", Word(ID_TYPES))],
            fks: vec![],
        },
        Table {
            name: "mobile_orders",
            comment: None,
            cols: vec![
                id,
                c("mobile_order_no", "VARCHAR(20)", OrderNo),
                c("customer_id", "INTEGER", Ref),
            ],
            fks: vec![("customer_id", "customers")],
        },
        Table {
            name: "contact_misc",
            comment: Some("联系方式（旧系统迁移）"),
            cols: vec![
                id,
                with_comment(pi("c1", "VARCHAR(20)", Mobile, P::CnMobile), "手机号码"),
                with_comment(c("c2", "VARCHAR(32)", Word(STATUS)), "备注"),
            ],
            fks: vec![],
        },
        Table {
            name: "audit_events",
            comment: None,
            cols: vec![
                id,
                c("event_type", "VARCHAR(16)", Word(EVENTS)),
                c("payload_hash", "VARCHAR(64)", Hash),
                c("created_at", "VARCHAR(19)", Timestamp),
            ],
            fks: vec![],
        },
        Table {
            name: "attachments",
            comment: None,
            cols: vec![
                id,
                c("file_name", "VARCHAR(64)", Word(MIME)),
                c("mime_type", "VARCHAR(32)", Word(MIME)),
                c("size_bytes", "INTEGER", Small),
            ],
            fks: vec![],
        },
        Table {
            name: "settings",
            comment: None,
            cols: vec![
                id,
                c("setting_key", "VARCHAR(32)", Word(EVENTS)),
                c("setting_value", "VARCHAR(32)", Small),
            ],
            fks: vec![],
        },
        Table {
            name: "exam_sessions",
            comment: Some("考试场次"),
            cols: vec![
                id,
                c("academic_year_code", "VARCHAR(16)", YearCode),
                c("room_no", "INTEGER", Small),
                c("course_id", "INTEGER", Ref),
            ],
            fks: vec![("course_id", "courses")],
        },
        Table {
            name: "guardians",
            comment: Some("监护人"),
            cols: vec![
                id,
                c("student_id", "INTEGER", Ref),
                pi("jhr_xm", "VARCHAR(32)", Name, P::PersonName),
                pi("lxdh", "VARCHAR(11)", Mobile, P::CnMobile),
            ],
            fks: vec![("student_id", "students")],
        },
    ]
}

/// A tiny deterministic generator.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// A valid 18-digit resident ID (GB 11643: ISO 7064 MOD 11-2 check digit).
pub fn resident_id(r: &mut Rng) -> String {
    let region = r.pick(&["110105", "310104", "440305", "330106", "510107"]);
    let year = 1960 + r.below(45);
    let month = 1 + r.below(12);
    let day = 1 + r.below(28);
    let body = format!("{region}{year:04}{month:02}{day:02}{:03}", r.below(1000));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// A UnionPay (ICBC BIN 622202) card number with a valid Luhn digit.
pub fn bank_card(r: &mut Rng) -> String {
    let mut digits = String::from("622202");
    for _ in 0..12 {
        digits.push(char::from(b'0' + r.below(10) as u8));
    }
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    let check = (10 - sum % 10) % 10;
    format!("{digits}{check}")
}

/// One value.
pub fn value(g: Gen, row: usize, r: &mut Rng) -> String {
    match g {
        Gen::Seq => (row + 1).to_string(),
        Gen::Ref => (1 + r.below(ROWS as u64)).to_string(),
        Gen::Flag => r.below(2).to_string(),
        Gen::YearCode => {
            let y = 2018 + r.below(8);
            format!("{y}-{}", y + 1)
        }
        Gen::ResidentId => resident_id(r),
        Gen::Mobile => format!(
            "1{}{:09}",
            r.pick(&["38", "39", "58", "86", "77", "35"]),
            r.below(1_000_000_000)
        )
        .chars()
        .take(11)
        .collect(),
        Gen::Email => format!(
            "{}{}@campus-mail.cn",
            r.pick(&["li", "wang", "zhang", "chen", "user"]),
            r.below(100_000)
        ),
        Gen::Name => {
            let s = r.pick(&[
                "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
            ]);
            let g = r.pick(&[
                "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "军", "杰", "秀英",
                "建华", "志强", "晓明",
            ]);
            format!("{s}{g}")
        }
        Gen::Address => {
            let base = r.pick(&[
                "北京市海淀区中关村大街",
                "上海市浦东新区世纪大道",
                "广东省深圳市南山区科技园路",
                "浙江省杭州市西湖区文三路",
                "四川省成都市武侯区人民南路",
            ]);
            format!(
                "{base}{}号{}栋{}室",
                1 + r.below(300),
                1 + r.below(20),
                101 + r.below(900)
            )
        }
        Gen::BankCard => bank_card(r),
        Gen::Ipv4 => format!(
            "{}.{}.{}.{}",
            10 + r.below(200),
            r.below(256),
            r.below(256),
            1 + r.below(254)
        ),
        Gen::BirthDate => format!(
            "{}{:02}{:02}",
            1960 + r.below(45),
            1 + r.below(12),
            1 + r.below(28)
        ),
        Gen::Amount => format!("{}.{:02}", r.below(10_000), r.below(100)),
        Gen::OrderNo => format!("2026{:010}", r.below(10_000_000_000)),
        Gen::Word(w) => r.pick(w).to_owned(),
        Gen::Hash => format!(
            "{:016x}{:016x}{:016x}{:016x}",
            r.next(),
            r.next(),
            r.next(),
            r.next()
        ),
        Gen::Timestamp => format!(
            "2026-{:02}-{:02} {:02}:{:02}:00",
            1 + r.below(12),
            1 + r.below(28),
            r.below(24),
            r.below(60)
        ),
        Gen::Small => r.below(100).to_string(),
    }
}

/// SQL dialect of the generated DDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Postgres,
    MySql,
    Sqlite,
}

fn q(flavor: Flavor, ident: &str) -> String {
    match flavor {
        Flavor::MySql => format!("`{}`", ident.replace('`', "``")),
        _ => format!("\"{}\"", ident.replace('"', "\"\"")),
    }
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Statements creating and filling the fixture in `schema` (PostgreSQL schema, MySQL database;
/// ignored for SQLite).
pub fn statements(flavor: Flavor, schema: &str) -> Vec<String> {
    let prefix = match flavor {
        Flavor::Sqlite => String::new(),
        _ => format!("{}.", q(flavor, schema)),
    };
    let mut out = Vec::new();
    let mut rng = Rng::new(20261128);
    for t in tables() {
        let mut defs: Vec<String> = t
            .cols
            .iter()
            .map(|c| {
                let mut d = format!("{} {}", q(flavor, c.name), c.sql_type);
                if c.name == "id" {
                    d.push_str(" PRIMARY KEY");
                }
                if flavor == Flavor::MySql
                    && let Some(cm) = c.comment
                {
                    d.push_str(&format!(" COMMENT {}", lit(cm)));
                }
                d
            })
            .collect();
        for (col, parent) in &t.fks {
            defs.push(format!(
                "FOREIGN KEY ({}) REFERENCES {prefix}{}({})",
                q(flavor, col),
                q(flavor, parent),
                q(flavor, "id")
            ));
        }
        let mut create = format!(
            "CREATE TABLE {prefix}{} ({})",
            q(flavor, t.name),
            defs.join(", ")
        );
        if flavor == Flavor::MySql {
            create.push_str(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
            if let Some(cm) = t.comment {
                create.push_str(&format!(" COMMENT={}", lit(cm)));
            }
        }
        out.push(create);
        if flavor == Flavor::Postgres {
            if let Some(cm) = t.comment {
                out.push(format!(
                    "COMMENT ON TABLE {prefix}{} IS {}",
                    q(flavor, t.name),
                    lit(cm)
                ));
            }
            for c in &t.cols {
                if let Some(cm) = c.comment {
                    out.push(format!(
                        "COMMENT ON COLUMN {prefix}{}.{} IS {}",
                        q(flavor, t.name),
                        q(flavor, c.name),
                        lit(cm)
                    ));
                }
            }
        }
        let rows: Vec<String> = (0..ROWS)
            .map(|row| {
                let vals: Vec<String> = t
                    .cols
                    .iter()
                    .map(|c| {
                        let v = value(c.r#gen, row, &mut rng);
                        if c.sql_type.starts_with("VARCHAR") {
                            lit(&v)
                        } else {
                            v
                        }
                    })
                    .collect();
                format!("({})", vals.join(", "))
            })
            .collect();
        out.push(format!(
            "INSERT INTO {prefix}{} VALUES {}",
            q(flavor, t.name),
            rows.join(", ")
        ));
    }
    out
}

/// The (table, column, type) set the scan must report.
pub fn expected() -> Vec<(String, String, PiType)> {
    let mut v: Vec<(String, String, PiType)> = tables()
        .iter()
        .flat_map(|t| {
            t.cols
                .iter()
                .filter_map(|c| c.truth.map(|ty| (t.name.to_owned(), c.name.to_owned(), ty)))
                .collect::<Vec<_>>()
        })
        .collect();
    v.sort();
    v
}

/// A name unique to this test run.
pub fn run_name(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("xiezhi_{tag}_{}_{nanos}", std::process::id())
}
