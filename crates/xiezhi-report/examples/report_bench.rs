//! Speed of the assessments and annual reports on a large data map: writes a synthetic project
//! of 500 systems and 20,000 fields to a temporary directory, loads it with
//! `xiezhi_map::load_project`, then builds every report kind in both languages and renders each
//! in HTML, Markdown and JSON. Bar: under 5 s for all of them (issue 7).
//!
//! `cargo run --release -p xiezhi-report --example report_bench [-- SYSTEMS FIELDS]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::time::Instant;

use xiezhi_model::{Lang, PiType};
use xiezhi_report::assess::{
    Answers, Evidence, Format, Period, ReportInput, ReportKind, build, render,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let systems: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(500);
    let fields: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    write_project(dir.path(), systems, fields);
    let written = t0.elapsed();
    let t1 = Instant::now();
    let project = xiezhi_map::load_project(dir.path()).unwrap_or_else(|e| panic!("{:?}", e.0));
    let loaded = t1.elapsed();
    let evidence: Evidence =
        serde_json::from_str(include_str!("../tests/fixtures/evidence.json")).unwrap();
    let answers = Answers::default();
    let period = Period::year_end(2026).unwrap();
    let t2 = Instant::now();
    let mut bytes = 0usize;
    let mut per_kind = Vec::new();
    for kind in ReportKind::ALL {
        let tk = Instant::now();
        for lang in [Lang::ZhCn, Lang::En] {
            let input = ReportInput {
                kind,
                project: &project,
                evidence: &evidence,
                answers: &answers,
                period,
                lang,
                subject: None,
            };
            let doc = build(&input).unwrap();
            for format in Format::ALL {
                bytes += render(&doc, format).len();
            }
        }
        per_kind.push((kind, tk.elapsed()));
    }
    let reports = t2.elapsed();
    println!(
        "synthetic data map: {systems} systems, {fields} fields (written in {:.2?}, loaded in {:.2?})",
        written, loaded
    );
    for (k, d) in &per_kind {
        println!("  {:<24} {:>9.2?}  (2 languages × 3 formats)", k.id(), d);
    }
    println!(
        "all 7 reports × 2 languages × 3 formats: {:.2?} ({:.1} MB rendered)",
        reports,
        bytes as f64 / 1e6
    );
    println!("total including load: {:.2?}", loaded + reports);
}

/// Writes `xiezhi.yaml` and `datamap/*.yaml`: `systems` systems with 4 datasets each and
/// `fields` fields spread over them; 1 in 50 datasets holds important data; an activity per 10
/// datasets, a recipient per 20, a transfer per 100, assessments for some of them.
fn write_project(dir: &std::path::Path, systems: usize, fields: usize) {
    let profile = include_str!("../../../examples/project/xiezhi.yaml");
    std::fs::write(dir.join("xiezhi.yaml"), profile).unwrap();
    std::fs::create_dir_all(dir.join("datamap")).unwrap();
    let datasets = systems * 4;
    let per_ds = fields.div_ceil(datasets.max(1));
    let types: Vec<PiType> = PiType::ALL
        .iter()
        .copied()
        .filter(|t| t.is_personal())
        .collect();
    let mut s = String::from("systems:\n");
    for i in 0..systems {
        writeln!(
            s,
            "  - {{ id: sys-{i}, name: 系统 {i}, owner: 团队 {}, hosting: cn-north-1 }}",
            i % 17
        )
        .unwrap();
    }
    s.push_str("datasets:\n");
    let mut left = fields;
    for d in 0..datasets {
        writeln!(
            s,
            "  - id: ds-{d}\n    name: 数据集 {d}\n    system: sys-{}\n    storage: {{ location: mysql://db{}/t{d}, region: CN }}\n    subjects: [users]\n    subject_count: {}",
            d / 4,
            d / 4,
            1000 + d * 37
        )
        .unwrap();
        if d % 50 == 7 {
            s.push_str("    important_data: { state: declared, catalogue: 行业目录 }\n");
        }
        s.push_str("    fields:\n");
        let n = per_ds.min(left);
        left -= n;
        for f in 0..n {
            let k = d * per_ds + f;
            if k % 5 == 4 {
                writeln!(
                    s,
                    "      - {{ name: c{f}, grade: general, level: general-1 }}"
                )
                .unwrap();
            } else if k.is_multiple_of(11) {
                writeln!(s, "      - {{ name: c{f} }}").unwrap();
            } else {
                let t = types[k % types.len()];
                let label = if k.is_multiple_of(7) {
                    ", label: suggested"
                } else {
                    ""
                };
                writeln!(s, "      - {{ name: c{f}, pi_type: {}, grade: general, level: general-3{label} }}", t.id()).unwrap();
            }
        }
    }
    std::fs::write(dir.join("datamap/systems.yaml"), s).unwrap();
    let mut s = String::from("recipients:\n");
    let recipients = datasets / 20;
    for r in 0..recipients {
        let rel = ["entrusted", "provided", "joint"][r % 3];
        writeln!(
            s,
            "  - id: rcp-{r}\n    name: 接收方 {r}\n    relationship: {rel}\n    country: {}\n    contract: {{ reference: HT-{r}, purpose: 服务, method: 接口, scope: 订单, security_obligations: 加密 }}\n    datasets: [ds-{}, ds-{}]\n    pi_types: [cn_mobile]\n    records: {{ location: 档案库, retention_years: 3 }}",
            if r % 10 == 0 { "SG" } else { "CN" },
            r * 20,
            (r * 20 + 7) % datasets
        )
        .unwrap();
    }
    s.push_str("activities:\n");
    for a in 0..datasets / 10 {
        writeln!(
            s,
            "  - id: act-{a}\n    name: 处理活动 {a}\n    purpose: 目的 {a}\n    method: 方式\n    legal_basis: contract\n    pi_types: [person_name, cn_mobile]\n    datasets: [ds-{}, ds-{}]\n    recipients: [rcp-{}]\n    retention: {{ days: 365, on_expiry: delete }}\n    records: {{ location: 档案库, retention_years: 3 }}\n    automated_decision: {}",
            a * 10,
            a * 10 + 1,
            a % recipients.max(1),
            a.is_multiple_of(4)
        )
        .unwrap();
    }
    s.push_str("transfers:\n");
    for t in 0..recipients / 10 {
        writeln!(
            s,
            "  - id: xb-{t}\n    destination: SG\n    recipient: rcp-{}\n    scenario: general\n    datasets: [ds-{}]\n    subjects_by_year:\n      - {{ year: 2025, general: {}, sensitive: 0 }}\n      - {{ year: 2026, general: {}, sensitive: 10 }}\n    mechanism: standard_contract\n    valid_from: 2025-06-20\n    filed: 2025-06-25",
            t * 10,
            t * 200,
            5000 + t,
            6000 + t
        )
        .unwrap();
    }
    s.push_str("assessments:\n");
    for a in 0..datasets / 40 {
        writeln!(
            s,
            "  - {{ id: pia-{a}, kind: pipia, covers: [act-{a}], completed: 2025-03-20 }}"
        )
        .unwrap();
    }
    s.push_str("  - { id: audit-1, kind: compliance_audit, completed: 2025-09-30, performed_by: 审计所 }\n");
    std::fs::write(dir.join("datamap/flows.yaml"), s).unwrap();
}
