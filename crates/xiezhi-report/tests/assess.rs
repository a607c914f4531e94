//! The assessments and annual reports of `examples/project` (what `xiezhi init` writes) with a
//! fixed evidence file and the committed answers file (`examples/project-answers.yaml`): every
//! report in both languages and all three formats, compared byte for byte with
//! `tests/golden/assess/`. Regenerate with `XIEZHI_BLESS=1 cargo test -p xiezhi-report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xiezhi_model::Lang;
use xiezhi_report::assess::{
    Answers, AssessError, Date, Document, Evidence, Format, MissingKind, Period, ReportInput,
    ReportKind, audit_frequency, build, render,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> xiezhi_map::Project {
    let dir = root().join("examples/project");
    xiezhi_map::load_project(&dir).unwrap_or_else(|e| panic!("example loads: {:?}", e.0))
}

fn evidence() -> Evidence {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evidence.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn answers() -> Answers {
    let p = root().join("examples/project-answers.yaml");
    Answers::from_yaml(&std::fs::read_to_string(&p).unwrap(), &p).unwrap_or_else(|e| panic!("{e}"))
}

fn period() -> Period {
    Period {
        year: 2026,
        as_of: Date::new(2026, 11, 28).unwrap(),
    }
}

fn doc(
    kind: ReportKind,
    project: &xiezhi_map::Project,
    evidence: &Evidence,
    answers: &Answers,
    lang: Lang,
    subject: Option<&str>,
) -> Result<Document, AssessError> {
    build(&ReportInput {
        kind,
        project,
        evidence,
        answers,
        period: period(),
        lang,
        subject: subject.map(str::to_string),
    })
}

fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

#[test]
fn every_report_matches_the_golden_files() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/assess");
    let bless = std::env::var_os("XIEZHI_BLESS").is_some();
    let mut stale = Vec::new();
    for kind in ReportKind::ALL {
        for lang in [Lang::ZhCn, Lang::En] {
            let d = doc(kind, &project, &ev, &ans, lang, None).unwrap();
            for format in Format::ALL {
                let text = render(&d, format);
                let path = golden.join(format!(
                    "{}.{}.{}",
                    kind.id(),
                    tag(lang),
                    format.extension()
                ));
                if bless {
                    std::fs::create_dir_all(&golden).unwrap();
                    std::fs::write(&path, &text).unwrap();
                    continue;
                }
                let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                    panic!(
                        "{} is missing ({e}); run with XIEZHI_BLESS=1",
                        path.display()
                    )
                });
                if committed != text {
                    stale.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "golden files differ (regenerate with XIEZHI_BLESS=1 and review the diff): {stale:?}"
    );
}

#[test]
fn the_complete_answers_file_leaves_nothing_missing() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    for kind in ReportKind::ALL {
        for lang in [Lang::ZhCn, Lang::En] {
            let d = doc(kind, &project, &ev, &ans, lang, None).unwrap();
            assert!(d.missing.is_empty(), "{kind} {lang:?}: {:#?}", d.missing);
            assert!(
                d.unused_answers.is_empty(),
                "{kind}: {:?}",
                d.unused_answers
            );
        }
    }
}

#[test]
fn without_answers_every_open_question_is_listed() {
    let project = example();
    let ev = evidence();
    let empty = Answers::default();
    let full = answers();
    for kind in ReportKind::ALL {
        let d = doc(kind, &project, &ev, &empty, Lang::ZhCn, None).unwrap();
        let asked: BTreeSet<String> = d
            .missing
            .iter()
            .filter(|m| m.kind == MissingKind::Answer)
            .map(|m| m.question.clone())
            .collect();
        let given: BTreeSet<String> = full.of(kind).keys().cloned().collect();
        assert_eq!(asked, given, "{kind}");
        // Nothing but answers is missing with full evidence.
        assert!(
            d.missing.iter().all(|m| m.kind == MissingKind::Answer),
            "{kind}"
        );
        // Every open question is shown in place, marked as open.
        let md = render(&d, Format::Markdown);
        for q in &asked {
            assert!(
                md.contains(&format!("answers: {}.{q}", kind.id())),
                "{kind}: {q}"
            );
        }
    }
}

#[test]
fn an_answer_left_blank_is_exactly_what_is_missing() {
    let project = example();
    let ev = evidence();
    let mut ans = answers();
    ans.of_mut(ReportKind::ImportantDataAnnual)
        .insert("incidents".into(), "   ".into());
    ans.of_mut(ReportKind::Pipia).remove("recommend.impact");
    let d = doc(
        ReportKind::ImportantDataAnnual,
        &project,
        &ev,
        &ans,
        Lang::En,
        None,
    )
    .unwrap();
    let missing: Vec<(&str, &str)> = d
        .missing
        .iter()
        .map(|m| (m.section.as_str(), m.question.as_str()))
        .collect();
    assert_eq!(missing, vec![("risks", "incidents")]);
    assert_eq!(
        d.missing[0].location,
        "answers: important-data-annual.incidents"
    );
    let d = doc(ReportKind::Pipia, &project, &ev, &ans, Lang::ZhCn, None).unwrap();
    let missing: Vec<&str> = d.missing.iter().map(|m| m.question.as_str()).collect();
    assert_eq!(missing, vec!["recommend.impact"]);
}

#[test]
fn without_evidence_the_report_says_what_to_run() {
    let project = example();
    let ans = answers();
    let none = Evidence::default();
    let d = doc(
        ReportKind::PlatformPiAnnual,
        &project,
        &none,
        &ans,
        Lang::En,
        None,
    )
    .unwrap();
    let names: BTreeSet<&str> = d
        .missing
        .iter()
        .filter(|m| m.kind == MissingKind::Evidence)
        .map(|m| m.question.as_str())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["consent", "rights", "rules_versions"])
    );
    let md = render(&d, Format::Markdown);
    assert!(md.contains("xiezhi rights stats"), "{md}");
    let d = doc(
        ReportKind::ImportantDataAnnual,
        &project,
        &none,
        &ans,
        Lang::ZhCn,
        None,
    )
    .unwrap();
    assert!(
        d.missing
            .iter()
            .any(|m| m.question == "audit" && m.location.contains("evidence: audit"))
    );
}

/// Values that look like PI in the example data files (e-mail addresses, mobile numbers).
fn pi_like_values() -> Vec<String> {
    let mut out = Vec::new();
    let dir = root().join("examples/data");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for w in text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '@' || c == '.' || c == '_'))
            {
                let w = w.trim_matches('.');
                let digits = w.chars().all(|c| c.is_ascii_digit());
                if (w.contains('@') && w.contains('.') && w.len() > 6)
                    || (digits && w.len() == 11 && w.starts_with('1'))
                {
                    out.push(w.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_data_content_appears_in_any_report() {
    // A field's fixed redaction value is the only value-like thing the data map can hold; put a
    // marker there and in a dataset of the example, and look for it and for the example data's
    // PI-looking values in every rendered report.
    let dir = root().join("examples/project");
    let profile = std::fs::read_to_string(dir.join("xiezhi.yaml")).unwrap();
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir.join("datamap")).unwrap().flatten() {
        let name = e.file_name().into_string().unwrap();
        let mut text = std::fs::read_to_string(e.path()).unwrap();
        if name == "systems.yaml" {
            text = text.replace(
                "- { name: real_name, pi_type: person_name,",
                "- { name: real_name, redact_value: \"MARKER-张三-13800138000\", pi_type: person_name,",
            );
            assert!(text.contains("MARKER"));
        }
        files.push((name, text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let project = xiezhi_map::load_texts(&profile, &refs).unwrap_or_else(|e| panic!("{:?}", e.0));
    let values = pi_like_values();
    assert!(values.len() > 5, "{values:?}");
    let (ev, ans) = (evidence(), answers());
    for kind in ReportKind::ALL {
        for lang in [Lang::ZhCn, Lang::En] {
            let d = doc(kind, &project, &ev, &ans, lang, None).unwrap();
            for format in Format::ALL {
                let text = render(&d, format);
                assert!(
                    !text.contains("MARKER") && !text.contains("13800138000"),
                    "{kind}"
                );
                for v in &values {
                    assert!(!text.contains(v.as_str()), "{kind} {format:?} contains {v}");
                }
            }
        }
    }
}

#[test]
fn audit_frequency_boundary_excludes_ten_million() {
    // "超过一千万人": more than 10,000,000, the number itself excluded.
    assert!(!audit_frequency(Some(10_000_000), false).biennial);
    assert!(audit_frequency(Some(10_000_001), false).biennial);
    assert!(!audit_frequency(Some(9_999_999), false).biennial);
    assert!(!audit_frequency(None, false).biennial);
    assert_eq!(
        audit_frequency(Some(10_000_001), false).max_years(),
        Some(2)
    );
    assert_eq!(audit_frequency(Some(10_000_000), false).max_years(), None);
    assert!(audit_frequency(Some(10), true).yearly_minors);
}

fn with_subjects(n: u64) -> xiezhi_map::Project {
    let dir = root().join("examples/project");
    let profile = std::fs::read_to_string(dir.join("xiezhi.yaml"))
        .unwrap()
        .replace("pi_subjects: 12500000", &format!("pi_subjects: {n}"));
    assert!(profile.contains(&format!("pi_subjects: {n}")));
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir.join("datamap")).unwrap().flatten() {
        files.push((
            e.file_name().into_string().unwrap(),
            std::fs::read_to_string(e.path()).unwrap(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    xiezhi_map::load_texts(&profile, &refs).unwrap_or_else(|e| panic!("{:?}", e.0))
}

#[test]
fn compliance_audit_report_applies_the_two_year_rule_above_ten_million_only() {
    let (ev, ans) = (evidence(), answers());
    let at = with_subjects(10_000_000);
    let d = doc(ReportKind::ComplianceAudit, &at, &ev, &ans, Lang::En, None).unwrap();
    let md = render(&d, Format::Markdown);
    assert!(md.contains("Not more than 10,000,000 people"), "{md}");
    assert!(!md.contains("Next due by"));
    let above = with_subjects(10_000_001);
    let d = doc(
        ReportKind::ComplianceAudit,
        &above,
        &ev,
        &ans,
        Lang::En,
        None,
    )
    .unwrap();
    let md = render(&d, Format::Markdown);
    assert!(
        md.contains("a compliance audit at least every 2 years"),
        "{md}"
    );
    // The latest audit (2026-03-31, a minors' audit: it counts too, as in `xiezhi check`) → next
    // by 2028-03-31.
    assert!(
        md.contains("| Next due by | 2028-03-31 (489 days left as of 2026-11-28) |"),
        "{md}"
    );
}

#[test]
fn important_data_annual_has_the_seven_parts_of_article_33() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    let d = doc(
        ReportKind::ImportantDataAnnual,
        &project,
        &ev,
        &ans,
        Lang::ZhCn,
        None,
    )
    .unwrap();
    let ids: Vec<&str> = d.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "basics",
            "important-data",
            "measures",
            "risks",
            "flows",
            "cross-border",
            "other"
        ]
    );
    let md = render(&d, Format::Markdown);
    for needle in [
        "物流网点与地理数据",       // the important dataset
        "行业重要数据目录（示例）", // its catalogue
        "数据安全委员会",           // the security body
        "李示例",                   // the security officer
        "security@legou.example",   // officer contact from the answers
        "CSL-21-log-retention",     // a check finding as a risk
        "184233",                   // audit chain head
        "xb-sg-analytics",          // cross-border
        "不包含数据内容本身",
    ] {
        assert!(md.contains(needle), "missing {needle:?}");
    }
    // Large platforms get part 8.
    let profile = std::fs::read_to_string(root().join("examples/project/xiezhi.yaml"))
        .unwrap()
        .replace("large_platform: false", "large_platform: true");
    let dir = root().join("examples/project/datamap");
    let files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let large = xiezhi_map::load_texts(&profile, &refs).unwrap_or_else(|e| panic!("{:?}", e.0));
    let d = doc(
        ReportKind::ImportantDataAnnual,
        &large,
        &ev,
        &ans,
        Lang::En,
        None,
    )
    .unwrap();
    assert_eq!(
        d.sections.last().map(|s| s.id.as_str()),
        Some("large-platform")
    );
    let open: Vec<&str> = d.missing.iter().map(|m| m.question.as_str()).collect();
    assert_eq!(open, ["key_business", "supply_chain"]);
    assert!(
        render(&d, Format::Markdown).contains("com.example.push")
            || render(&d, Format::Markdown).contains("示例推送 SDK")
    );
}

#[test]
fn per_subject_reports() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    let d = doc(
        ReportKind::Pipia,
        &project,
        &ev,
        &ans,
        Lang::En,
        Some("recommend"),
    )
    .unwrap();
    assert_eq!(d.sections.len(), 2);
    assert_eq!(d.sections[1].id, "activity-recommend");
    let md = render(&d, Format::Markdown);
    assert!(md.contains("(2) automated decision-making | yes"), "{md}");
    assert!(md.contains("at least three years"));
    // art. 31 for one recipient: the six items are asked.
    let d = doc(
        ReportKind::Art31,
        &project,
        &ev,
        &Answers::default(),
        Lang::ZhCn,
        Some("courier"),
    )
    .unwrap();
    let qs: Vec<&str> = d.missing.iter().map(|m| m.question.as_str()).collect();
    assert_eq!(
        qs,
        [
            "courier.legality",
            "courier.risks",
            "courier.recipient_integrity",
            "courier.contract_binding",
            "courier.measures",
            "courier.other"
        ]
    );
    let err = doc(
        ReportKind::Pipia,
        &project,
        &ev,
        &ans,
        Lang::En,
        Some("nope"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("recommend"), "{err}");
    assert!(err.render(Lang::ZhCn).contains("nope"));
}

#[test]
fn answers_errors_name_the_line() {
    let p = Path::new("answers.yaml");
    let err =
        Answers::from_yaml("pipia:\n  a.b: x\nimportant-data-anual:\n  x: y\n", p).unwrap_err();
    let s = err.to_string();
    assert!(s.starts_with("answers.yaml:3:"), "{s}");
    assert!(
        s.contains("important-data-anual") && s.contains("important-data-annual"),
        "{s}"
    );
    let err = Answers::from_yaml("pipia:\n  - a\n", p).unwrap_err();
    assert!(err.to_string().starts_with("answers.yaml:2:"), "{err}");
    let err = Answers::from_yaml("xborder:\n  a: ~\n", p).unwrap_err();
    assert!(err.to_string().starts_with("answers.yaml:2:"), "{err}");
    assert_eq!(Answers::from_yaml("", p).unwrap(), Answers::default());
    assert_eq!(
        Answers::from_yaml("# only a comment\n", p).unwrap(),
        Answers::default()
    );
    // A question answered twice is an error, not a silent overwrite.
    let err = Answers::from_yaml("pipia:\n  a.b: x\n  a.b: y\n", p).unwrap_err();
    assert!(err.to_string().starts_with("answers.yaml:3:"), "{err}");
    assert_eq!(
        Answers::from_yaml("pipia: {}\n", p).unwrap(),
        Answers::default()
    );
}

#[test]
fn templates_parse_and_list_every_open_question() {
    let project = example();
    for kind in ReportKind::ALL {
        for lang in [Lang::ZhCn, Lang::En] {
            let t = Answers::template(kind, &project, lang);
            let a = Answers::from_yaml(&t, Path::new("template.yaml"))
                .unwrap_or_else(|e| panic!("{kind}: {e}\n{t}"));
            let keys: BTreeSet<String> = a.of(kind).keys().cloned().collect();
            let full: BTreeSet<String> = answers().of(kind).keys().cloned().collect();
            assert_eq!(keys, full, "{kind}");
            assert!(a.of(kind).values().all(|v| v.is_empty()));
        }
    }
}

#[test]
fn html_is_printable_and_self_contained() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    let d = doc(
        ReportKind::PlatformPiAnnual,
        &project,
        &ev,
        &ans,
        Lang::ZhCn,
        None,
    )
    .unwrap();
    let html = render(&d, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("font:15px/1.7 \"Noto Sans CJK SC\",\"Noto Serif CJK SC\""));
    assert!(html.contains("@page{size:A4"));
    assert!(html.contains("break-before:page"));
    for id in [
        "chart-pi-types",
        "chart-rights-outcome",
        "chart-rights-time",
    ] {
        assert!(html.contains(&format!("<figure id=\"{id}\">")), "{id}");
    }
    assert!(html.contains("<svg"));
    assert!(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("<link"));
    assert!(
        html.contains("id=\"sources\"")
            && html.contains("id=\"missing\"")
            && html.contains("class=\"toc\"")
    );
    let d = doc(
        ReportKind::ImportantDataAnnual,
        &project,
        &ev,
        &ans,
        Lang::En,
        None,
    )
    .unwrap();
    assert!(render(&d, Format::Html).contains("<figure id=\"chart-labels\">"));
    // JSON is the document.
    let json: serde_json::Value = serde_json::from_str(&render(&d, Format::Json)).unwrap();
    assert_eq!(json["kind"], "important-data-annual");
    assert_eq!(json["lang"], "en");
    assert!(json["sources"].as_array().unwrap().len() > 5);
}

#[test]
fn every_cited_source_is_listed_and_every_figure_cites_one() {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    for kind in ReportKind::ALL {
        let d = doc(kind, &project, &ev, &ans, Lang::En, None).unwrap();
        let ids: BTreeSet<&str> = d.sources.iter().map(|s| s.id.as_str()).collect();
        for s in &d.sections {
            for b in &s.blocks {
                let cited: Vec<&String> = match b {
                    xiezhi_report::assess::Block::Facts { rows } => {
                        rows.iter().map(|r| &r.source).collect()
                    }
                    xiezhi_report::assess::Block::Table(t) => {
                        assert!(
                            !t.sources.is_empty(),
                            "{kind}: table {} cites nothing",
                            t.caption
                        );
                        t.sources.iter().collect()
                    }
                    xiezhi_report::assess::Block::Chart(c) => {
                        assert!(!c.sources.is_empty(), "{kind}: chart {}", c.title);
                        c.sources.iter().collect()
                    }
                    xiezhi_report::assess::Block::Para { sources, .. } => sources.iter().collect(),
                    _ => Vec::new(),
                };
                for c in cited {
                    assert!(ids.contains(c.as_str()), "{kind}: {c} not in sources");
                }
            }
        }
    }
}

#[test]
fn one_template_covers_every_kind() {
    let project = example();
    for lang in [Lang::ZhCn, Lang::En] {
        let t = Answers::template_all(&project, lang);
        let a =
            Answers::from_yaml(&t, Path::new("all.yaml")).unwrap_or_else(|e| panic!("{e}\n{t}"));
        let full = answers();
        for kind in ReportKind::ALL {
            let keys: BTreeSet<&String> = a.of(kind).keys().collect();
            assert_eq!(
                keys,
                full.of(kind).keys().collect::<BTreeSet<_>>(),
                "{kind}"
            );
        }
        // Filling in every blank of the template leaves nothing missing.
        let mut filled = a.clone();
        for kind in ReportKind::ALL {
            for v in filled.of_mut(kind).values_mut() {
                *v = "answered".into();
            }
            let d = doc(kind, &project, &evidence(), &filled, lang, None).unwrap();
            assert!(d.missing.is_empty(), "{kind}: {:?}", d.missing);
        }
    }
}

fn audit_at(as_of: Date) -> String {
    let project = example();
    let (ev, ans) = (evidence(), answers());
    let d = build(&ReportInput {
        kind: ReportKind::ComplianceAudit,
        project: &project,
        evidence: &ev,
        answers: &ans,
        period: Period {
            year: as_of.year(),
            as_of,
        },
        lang: Lang::En,
        subject: None,
    })
    .unwrap();
    render(&d, Format::Markdown)
}

#[test]
fn audit_due_dates_are_overdue_only_after_the_day() {
    // Minors' audit 2026-03-31 → yearly → due 2027-03-31.
    let md = audit_at(Date::new(2027, 3, 31).unwrap());
    assert!(
        md.contains("| Next minors' audit due by | 2027-03-31 |"),
        "{md}"
    );
    let md = audit_at(Date::new(2027, 4, 1).unwrap());
    assert!(
        md.contains("| Next minors' audit due by | 2027-03-31 (overdue) |"),
        "{md}"
    );
    // Latest audit 2026-03-31 → every 2 years → due 2028-03-31.
    let md = audit_at(Date::new(2028, 3, 31).unwrap());
    assert!(
        md.contains("| Next due by | 2028-03-31 (0 days left as of 2028-03-31) |"),
        "{md}"
    );
    let md = audit_at(Date::new(2028, 4, 1).unwrap());
    assert!(
        md.contains("| Next due by | 2028-03-31 (overdue) |"),
        "{md}"
    );
}

#[test]
fn pipia_records_need_three_years() {
    let dir = root().join("examples/project");
    let profile = std::fs::read_to_string(dir.join("xiezhi.yaml")).unwrap();
    let (ev, ans) = (evidence(), answers());
    for (years, expect) in [
        (3, "kept at 合规档案库 for 3 years (at least three)"),
        (2, "kept for only 2 year(s), fewer than the three required"),
    ] {
        let mut files = Vec::new();
        for e in std::fs::read_dir(dir.join("datamap")).unwrap().flatten() {
            let name = e.file_name().into_string().unwrap();
            let mut text = std::fs::read_to_string(e.path()).unwrap();
            if name == "activities.yaml" {
                text = text.replacen(
                    "records: { location: 合规档案库, retention_years: 3 }   # PIPL 56",
                    &format!(
                        "records: {{ location: 合规档案库, retention_years: {years} }}   # PIPL 56"
                    ),
                    1,
                );
            }
            files.push((name, text));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let project =
            xiezhi_map::load_texts(&profile, &refs).unwrap_or_else(|e| panic!("{:?}", e.0));
        let d = doc(
            ReportKind::Pipia,
            &project,
            &ev,
            &ans,
            Lang::En,
            Some("account"),
        )
        .unwrap();
        let md = render(&d, Format::Markdown);
        assert!(md.contains(expect), "{years}: {md}");
    }
}

#[test]
fn kinds_parse_and_have_titles_in_both_languages() {
    for k in ReportKind::ALL {
        assert_eq!(ReportKind::parse(k.id()), Some(k));
        assert!(!k.title(Lang::ZhCn).is_ascii());
        assert!(k.title(Lang::En).is_ascii());
    }
    assert_eq!(ReportKind::parse("art33"), None);
    assert_eq!(ReportKind::ALL.len(), 7);
}

#[test]
fn charts_show_at_most_twenty_systems() {
    let profile = "organisation:\n  name: 测试公司\n";
    let (ev, ans) = (evidence(), Answers::default());
    for (n, bars, note) in [(20usize, 20usize, false), (21, 20, true)] {
        let mut s = String::from("systems:\n");
        for i in 0..n {
            s.push_str(&format!("  - {{ id: s{i}, name: sys{i} }}\n"));
        }
        s.push_str("datasets:\n");
        for i in 0..n {
            s.push_str(&format!(
                "  - id: d{i}\n    name: d{i}\n    system: s{i}\n    storage: {{ location: db/t{i}, region: CN }}\n    fields:\n      - {{ name: m, pi_type: cn_mobile }}\n"
            ));
        }
        let project = xiezhi_map::load_texts(profile, &[("m.yaml", s.as_str())])
            .unwrap_or_else(|e| panic!("{:?}", e.0));
        let d = doc(
            ReportKind::PlatformPiAnnual,
            &project,
            &ev,
            &ans,
            Lang::En,
            None,
        )
        .unwrap();
        let chart = d
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .find_map(|b| match b {
                xiezhi_report::assess::Block::Chart(c) if c.id == "chart-pi-types" => Some(c),
                _ => None,
            })
            .unwrap();
        assert_eq!(chart.bars.len(), bars, "{n}");
        assert_eq!(chart.note.is_some(), note, "{n}");
    }
}

#[test]
fn answer_keys_no_question_asked_for_are_listed() {
    let project = example();
    let ev = evidence();
    let mut ans = answers();
    ans.of_mut(ReportKind::Pipia)
        .insert("recomend.impact".into(), "typo".into());
    let d = doc(ReportKind::Pipia, &project, &ev, &ans, Lang::En, None).unwrap();
    assert_eq!(d.unused_answers, ["pipia.recomend.impact"]);
    assert!(render(&d, Format::Markdown).contains("pipia.recomend.impact"));
    assert!(render(&d, Format::Html).contains("pipia.recomend.impact"));
    // A subject report asks only its own questions; the other activities' answers are not
    // reported as unused, the typo still is.
    let d = doc(
        ReportKind::Pipia,
        &project,
        &ev,
        &ans,
        Lang::En,
        Some("account"),
    )
    .unwrap();
    assert!(d.missing.is_empty());
    assert_eq!(d.unused_answers, ["pipia.recomend.impact"]);
}

#[test]
fn pipia_reports_kept_fewer_than_three_years_are_flagged() {
    let dir = root().join("examples/project");
    let profile = std::fs::read_to_string(dir.join("xiezhi.yaml")).unwrap();
    let (ev, ans) = (evidence(), answers());
    for (years, flagged) in [(3, false), (2, true)] {
        let mut files = Vec::new();
        for e in std::fs::read_dir(dir.join("datamap")).unwrap().flatten() {
            let name = e.file_name().into_string().unwrap();
            let mut text = std::fs::read_to_string(e.path()).unwrap();
            if name == "assessments.yaml" {
                text = text.replacen(
                    "retention_years: 3 }   # PIPL 56",
                    &format!("retention_years: {years} }}   # PIPL 56"),
                    1,
                );
            }
            files.push((name, text));
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let project =
            xiezhi_map::load_texts(&profile, &refs).unwrap_or_else(|e| panic!("{:?}", e.0));
        let md = render(
            &doc(ReportKind::Pipia, &project, &ev, &ans, Lang::En, None).unwrap(),
            Format::Markdown,
        );
        assert_eq!(
            md.contains("kept fewer than three years (assessments\\[\\].records): pipia-recommend"),
            flagged,
            "{years}: {md}"
        );
    }
}
