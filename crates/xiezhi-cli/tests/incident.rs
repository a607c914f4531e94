//! `xiezhi incident` end to end on SQLite: open (data-map estimate, grading, clocks) → update to
//! 1,000,000 people re-grades → initial report with missing fields → supplementary → e-mail
//! notice through a real SMTP server (Python aiosmtpd, the sink of xiezhi-identity's tests;
//! SKIPPED without it unless `XIEZHI_REQUIRE_SMTP=1`) → exemption refused without reasons →
//! close needs the summary report → the audit chain verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

fn xiezhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiezhi"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("XIEZHI_DATABASE")
        .output()
        .expect("run the xiezhi binary")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "xiezhi failed ({:?}):\n{}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn fails(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "expected an error:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}

const PROFILE: &str = "organisation:\n  name: 示例商城\nscale:\n  pi_subjects: 2000000\n  sensitive_pi_subjects: 100000\n";
const MAP: &str = r#"
systems:
  - id: shop
    name: 商城
  - id: crm
    name: 客服系统
datasets:
  - id: users
    name: 用户表
    system: shop
    storage: {location: "mysql://shop/users", region: cn-north}
    subjects: [users]
    subject_count: 300000
    fields:
      - {name: phone, pi_type: cn_mobile}
      - {name: id_no, pi_type: cn_resident_id, sensitive: true}
  - id: tickets
    name: 工单
    system: crm
    storage: {location: "pg://crm/tickets", region: cn-north}
    subjects: [users]
    subject_count: 5000
    fields:
      - {name: email, pi_type: email}
"#;
const DRAFT: &str = r#"
organisation: 示例商城
sms_signature: 示例商城
what_happened: 11月29日，我们发现用户表遭未授权访问，部分用户的手机号码和身份证号码可能已泄露。
cause: 一台测试服务器的访问控制配置错误。
possible_harm: 您可能收到冒充我们的诈骗电话或短信。
remedies_taken: 已关闭该服务器，修复配置，并向网信部门报告。
what_you_can_do: 请警惕自称客服的来电，不要向任何人透露验证码。
contact: 客服热线 400-000-0000
full_notice_url: https://shop.example/notice/1
"#;

struct World {
    dir: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("datamap")).unwrap();
        std::fs::write(dir.path().join("xiezhi.yaml"), PROFILE).unwrap();
        std::fs::write(dir.path().join("datamap/map.yaml"), MAP).unwrap();
        std::fs::write(dir.path().join("draft.yaml"), DRAFT).unwrap();
        World { dir }
    }
    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn d(&self) -> String {
        self.dir.path().display().to_string()
    }
    fn run(&self, args: &[&str], now: &str) -> Output {
        let d = self.d();
        let mut all: Vec<&str> = args.to_vec();
        all.extend([d.as_str(), "--now", now]);
        xiezhi(&all)
    }
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

fn clock<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no clock {id} in {v:#}"))
}

fn smtp_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("XIEZHI_REQUIRE_SMTP").as_deref() != Ok("1"),
            "XIEZHI_REQUIRE_SMTP=1 but python3 cannot import aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
        );
        println!(
            "SKIPPED: the e-mail notice step needs Python aiosmtpd (python3 -m pip install aiosmtpd==1.4.6)"
        );
    }
    ok
}

struct Sink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sink() -> Sink {
    let dir = tempfile::tempdir().unwrap();
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../xiezhi-identity/tests/smtp_sink.py");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new("python3")
        .arg(&script)
        .args(["--port", &port.to_string(), "--out"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "READY");
    Sink { child, port, dir }
}

fn mails(dir: &Path, n: usize) -> Vec<Value> {
    for _ in 0..200 {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        if files.len() >= n {
            files.sort();
            return files
                .iter()
                .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
                .collect();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no mail arrived at the SMTP sink");
}

const DISCOVERED: &str = "2026-11-29T10:00:00+08:00";

#[test]
fn incident_lifecycle_end_to_end() {
    let w = World::new();

    // Open: the estimate from the data map (300,000 people in `users`), graded general.
    let out = ok(&w.run(
        &[
            "incident",
            "open",
            "--id",
            "INC-E2E",
            "--kind",
            "data-leak",
            "--title",
            "用户表泄露",
            "--discovered",
            DISCOVERED,
            "--system",
            "shop",
            "--contact",
            "安全部 010-0000",
        ],
        "2026-11-29T11:00:00+08:00",
    ));
    assert!(out.contains("数据地图估算：受影响人数 300,000"), "{out}");
    assert!(out.contains("居民身份证号码"), "{out}");
    assert!(out.contains("事件分级：一般"), "{out}");
    assert!(out.contains("已过1小时"), "{out}");

    // Unknown data-map ids are refused.
    let err = fails(&w.run(
        &[
            "incident",
            "open",
            "--kind",
            "data-leak",
            "--title",
            "x",
            "--discovered",
            DISCOVERED,
            "--dataset",
            "nope",
        ],
        "2026-11-29T11:00:00+08:00",
    ));
    assert!(err.contains("`nope`"), "{err}");

    // Update to 1,000,000 confirmed people: relatively large, the 4-hour clock runs.
    let out = ok(&w.run(
        &[
            "incident", "update", "INC-E2E", "--people", "1000000", "--lang", "en",
        ],
        "2026-11-29T11:30:00+08:00",
    ));
    assert!(
        out.contains("Re-graded: general → relatively large"),
        "{out}"
    );
    let v = json(&ok(&w.run(
        &["incident", "show", "INC-E2E", "--json"],
        "2026-11-29T13:59:59+08:00",
    )));
    assert_eq!(v["grading"]["level"], "relatively_large");
    let initial = clock(&v, "initial-report");
    assert_eq!(initial["status"], "running");
    assert_eq!(initial["time_left_ms"], 1000);
    assert_eq!(v["incident"]["pi"]["estimated"], false);
    assert_eq!(v["incident"]["pi"]["sensitive_people"], 100_000);
    let after = json(&ok(&w.run(
        &["incident", "show", "INC-E2E", "--json"],
        "2026-11-29T14:00:00.001+08:00",
    )));
    assert_eq!(clock(&after, "initial-report")["status"], "overdue");

    // The initial report needs items 1–2: the location is missing.
    let err = fails(&w.run(
        &["incident", "report", "INC-E2E", "--kind", "initial"],
        "2026-11-29T12:00:00+08:00",
    ));
    assert!(err.contains("location"), "{err}");
    ok(&w.run(
        &["incident", "update", "INC-E2E", "--location", "北京机房"],
        "2026-11-29T12:05:00+08:00",
    ));
    let o = w.run(
        &[
            "incident",
            "report",
            "INC-E2E",
            "--kind",
            "initial",
            "--out",
            w.p("initial.md").to_str().unwrap(),
        ],
        "2026-11-29T12:10:00+08:00",
    );
    ok(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("待补报：") && stderr.contains("初步分析的事件原因"),
        "{stderr}"
    );
    let report = std::fs::read_to_string(w.p("initial.md")).unwrap();
    assert!(report.contains("首次报告"), "{report}");
    assert!(report.contains("（待补报）"), "{report}");
    assert!(report.contains("1,000,000"), "{report}");
    let v = json(&ok(&w.run(
        &["incident", "show", "INC-E2E", "--json"],
        "2026-11-29T12:10:00+08:00",
    )));
    assert_eq!(clock(&v, "initial-report")["status"], "done");
    assert_eq!(clock(&v, "supplementary-report")["status"], "asap");

    // Supplement everything, file the supplementary report: its clock is done.
    ok(&w.run(
        &[
            "incident",
            "update",
            "INC-E2E",
            "--impact",
            "用户手机号和身份证号可能泄露",
            "--measures",
            "已下线测试服务器",
            "--trend",
            "未见扩散",
            "--cause",
            "访问控制配置错误",
            "--clues",
            "访问日志已留存",
            "--further-measures",
            "全面排查配置",
            "--site",
            "已保全现场镜像",
        ],
        "2026-11-29T15:00:00+08:00",
    ));
    let o = w.run(
        &[
            "incident",
            "report",
            "INC-E2E",
            "--kind",
            "supplementary",
            "--lang",
            "en",
            "--format",
            "text",
        ],
        "2026-11-29T15:10:00+08:00",
    );
    let text = ok(&o);
    assert!(text.contains("supplementary report"), "{text}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing left to supplement"));
    let v = json(&ok(&w.run(
        &["incident", "show", "INC-E2E", "--json"],
        "2026-11-29T15:10:00+08:00",
    )));
    assert_eq!(clock(&v, "supplementary-report")["status"], "done");

    // SMS: rendered within one segment, written to a file.
    let o = w.run(
        &[
            "incident",
            "notify",
            "INC-E2E",
            "--channel",
            "sms",
            "--draft",
            w.p("draft.yaml").to_str().unwrap(),
            "--out",
            w.p("sms.txt").to_str().unwrap(),
        ],
        "2026-11-29T15:20:00+08:00",
    );
    ok(&o);
    let sms = std::fs::read_to_string(w.p("sms.txt")).unwrap();
    assert!(sms.starts_with("【示例商城】"), "{sms}");
    assert!(sms.trim_end().encode_utf16().count() <= 70, "{sms}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 条"));

    // E-mail through a real SMTP server; addresses are neither stored nor printed.
    let addresses = ["alice@example.cn", "bob@example.cn", "carol@example.cn"];
    std::fs::write(
        w.p("recipients.txt"),
        format!("# affected users\n{}\n\n", addresses.join("\n")),
    )
    .unwrap();
    if smtp_available() {
        let sink = start_sink();
        let port = format!("127.0.0.1:{}", sink.port);
        let o = w.run(
            &[
                "incident",
                "notify",
                "INC-E2E",
                "--channel",
                "email",
                "--draft",
                w.p("draft.yaml").to_str().unwrap(),
                "--recipients",
                w.p("recipients.txt").to_str().unwrap(),
                "--smtp",
                &port,
                "--smtp-from",
                "security@shop.example",
            ],
            "2026-11-29T16:00:00+08:00",
        );
        ok(&o);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(all.contains("对象 3 个，送达 3 个，失败 0 个"), "{all}");
        for a in addresses {
            assert!(!all.contains(a));
        }
        let got = mails(sink.dir.path(), 3);
        let mut to: Vec<String> = got
            .iter()
            .map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned())
            .collect();
        to.sort();
        assert_eq!(to, addresses);
        assert!(
            got[0]["subject"]
                .as_str()
                .unwrap()
                .contains("个人信息安全通知")
        );
        let body = got[0]["body"].as_str().unwrap();
        assert!(
            body.contains("手机号码") && body.contains("400-000-0000"),
            "{body}"
        );
        let v = json(&ok(&w.run(
            &["incident", "show", "INC-E2E", "--json"],
            "2026-11-29T16:00:00+08:00",
        )));
        assert_eq!(clock(&v, "notify-affected")["status"], "done");
        let ev = v["events"]
            .as_array()
            .unwrap()
            .iter()
            .rfind(|e| e["kind"] == "notified")
            .unwrap();
        assert_eq!(ev["data"]["recipients"], 3);
        assert_eq!(ev["data"]["delivered"], 3);
        assert_eq!(ev["data"]["channel"], "email");
    }
    // No recipient address anywhere in the database (main file and WAL).
    for f in std::fs::read_dir(w.p(".xiezhi")).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for a in addresses {
            assert!(!text.contains(a), "address stored in the database");
        }
    }
    // In-app with --json: the notice inside the JSON, the count recorded.
    let v = json(&ok(&w.run(
        &[
            "incident",
            "notify",
            "INC-E2E",
            "--channel",
            "in-app",
            "--draft",
            w.p("draft.yaml").to_str().unwrap(),
            "--delivered",
            "1000000",
            "--json",
        ],
        "2026-11-29T16:05:00+08:00",
    )));
    assert_eq!(v["delivered"], 1_000_000);
    assert!(v["body"].as_str().unwrap().contains("客服热线"), "{v}");

    // Exemption without reasons is refused; with reasons it is recorded.
    let err = fails(&w.run(
        &["incident", "notify", "INC-E2E", "--exempt"],
        "2026-11-29T16:10:00+08:00",
    ));
    assert!(err.contains("needs reasons"), "{err}");
    let err = fails(&w.run(
        &["incident", "notify", "INC-E2E", "--exempt", "--reason", " "],
        "2026-11-29T16:10:00+08:00",
    ));
    assert!(err.contains("blank"), "{err}");
    let out = ok(&w.run(
        &[
            "incident",
            "notify",
            "INC-E2E",
            "--exempt",
            "--reason",
            "泄露数据已加密且密钥未泄露",
        ],
        "2026-11-29T16:15:00+08:00",
    ));
    assert!(out.contains("免予通知个人的决定"), "{out}");

    // Close: the summary report is due once handling ended.
    ok(&w.run(
        &[
            "incident",
            "update",
            "INC-E2E",
            "--handling-ended",
            "2026-11-30T10:00:00+08:00",
        ],
        "2026-11-30T10:00:00+08:00",
    ));
    let v = json(&ok(
        &w.run(&["incident", "list", "--json"], "2026-11-30T10:00:00+08:00")
    ));
    let summary = clock(&v[0], "summary-report");
    assert_eq!(summary["status"], "running");
    assert_eq!(summary["due"], "2026-12-30T16:00:00.000Z"); // 30 Dec 24:00 Beijing time
    let err = fails(&w.run(
        &["incident", "close", "INC-E2E"],
        "2026-11-30T11:00:00+08:00",
    ));
    assert!(err.contains("summary report"), "{err}");
    let err = fails(&w.run(
        &["incident", "report", "INC-E2E", "--kind", "summary"],
        "2026-11-30T11:00:00+08:00",
    ));
    assert!(err.contains("still empty"), "{err}");
    ok(&w.run(
        &[
            "incident",
            "update",
            "INC-E2E",
            "--summary-cause",
            "配置错误",
            "--summary-measures",
            "下线并修复",
            "--summary-harm",
            "100万人信息可能泄露",
            "--accountability",
            "已追责",
            "--rectification",
            "已整改",
            "--lessons",
            "上线前复核配置",
        ],
        "2026-12-01T10:00:00+08:00",
    ));
    ok(&w.run(
        &["incident", "report", "INC-E2E", "--kind", "summary"],
        "2026-12-01T11:00:00+08:00",
    ));
    let out = ok(&w.run(
        &["incident", "close", "INC-E2E", "--lang", "en"],
        "2026-12-01T12:00:00+08:00",
    ));
    assert!(out.contains("(data leak, closed)"), "{out}");
    let err = fails(&w.run(
        &["incident", "update", "INC-E2E", "--people", "5"],
        "2026-12-01T12:00:00+08:00",
    ));
    assert!(err.contains("closed"), "{err}");
    let list = ok(&w.run(&["incident", "list"], "2026-12-01T12:00:00+08:00"));
    assert!(list.contains("共 0 起"), "{list}");
    let list = ok(&w.run(
        &["incident", "list", "--state", "all"],
        "2026-12-01T12:00:00+08:00",
    ));
    assert!(list.contains("INC-E2E"), "{list}");

    // The event log and the audit chain.
    let v = json(&ok(&w.run(
        &["incident", "show", "INC-E2E", "--json"],
        "2026-12-01T12:00:00+08:00",
    )));
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"opened"));
    assert_eq!(kinds.last(), Some(&"closed"));
    assert!(kinds.contains(&"exemption") && kinds.contains(&"reported"));
    let d = w.d();
    let out = ok(&xiezhi(&["audit", "verify", &d]));
    assert!(!out.is_empty());
}

#[test]
fn override_update_document_and_duties_done() {
    let w = World::new();
    // The operator's number overrides the estimate of the dataset (5,000 → 10,000,000: major).
    let v = json(&ok(&w.run(
        &[
            "incident",
            "open",
            "--id",
            "INC-2",
            "--kind",
            "ransomware",
            "--reporter",
            "cii-operator",
            "--title",
            "工单系统勒索",
            "--discovered",
            DISCOVERED,
            "--dataset",
            "tickets",
            "--people",
            "10000000",
            "--json",
        ],
        "2026-11-29T10:30:00+08:00",
    )));
    assert_eq!(v["grading"]["level"], "major");
    assert_eq!(v["incident"]["pi"]["people"], 10_000_000);
    assert_eq!(v["incident"]["pi"]["estimated"], false);
    assert_eq!(v["estimate"]["people"], 5000);
    assert_eq!(v["incident"]["affected_systems"], json!(["客服系统 (crm)"]));
    // CII operator: two 1-hour clocks, due 11:00.
    for id in [
        "initial-report.protection-dept",
        "initial-report.public-security",
    ] {
        assert_eq!(clock(&v, id)["due"], "2026-11-29T03:00:00.000Z");
        assert_eq!(clock(&v, id)["time_left_ms"], 1_800_000);
    }
    // An update document, then duties done by clock id.
    std::fs::write(
        w.p("update.yaml"),
        "ransom_demand: 要求支付比特币\nassessed:\n  - criterion: system_outage\n    level: especially_major\n    reason: 客服系统全部中断\n",
    )
    .unwrap();
    let v = json(&ok(&w.run(
        &[
            "incident",
            "update",
            "INC-2",
            "--from",
            w.p("update.yaml").to_str().unwrap(),
            "--done",
            "pipl57-notify-authority=2026-11-29T10:40:00+08:00",
            "--json",
        ],
        "2026-11-29T10:45:00+08:00",
    )));
    assert_eq!(v["grading"]["level"], "especially_major");
    assert_eq!(clock(&v, "pipl57-notify-authority")["status"], "done");
    assert_eq!(v["result"]["changed"]["level_before"], "major");
    let err = fails(&w.run(
        &["incident", "update", "INC-2", "--done", "no-such-clock"],
        "2026-11-29T10:45:00+08:00",
    ));
    assert!(err.contains("not a clock id"), "{err}");
    std::fs::write(w.p("typo.yaml"), "peple: 3\n").unwrap();
    let err = fails(&w.run(
        &[
            "incident",
            "update",
            "INC-2",
            "--from",
            w.p("typo.yaml").to_str().unwrap(),
        ],
        "2026-11-29T10:45:00+08:00",
    ));
    assert!(err.contains("peple"), "{err}");
    // The same id twice is refused.
    let err = fails(&w.run(
        &[
            "incident",
            "open",
            "--id",
            "INC-2",
            "--kind",
            "other",
            "--title",
            "x",
            "--discovered",
            DISCOVERED,
        ],
        "2026-11-29T10:45:00+08:00",
    ));
    assert!(err.contains("exists already"), "{err}");
}
