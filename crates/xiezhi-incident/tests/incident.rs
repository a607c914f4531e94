//! End-to-end tests on the YAML fixtures: grading, clocks with a fake clock, the authority report
//! and the notices, with golden texts in `tests/golden/` (set `XIEZHI_UPDATE_GOLDEN=1` to rewrite
//! them after a deliberate change, then review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use xiezhi_incident::clocks::{
    INITIAL_REPORT, NOTIFY_AFFECTED, PIPL57_AUTHORITY, SUMMARY, SUPPLEMENTARY,
};
use xiezhi_incident::*;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn incident() -> Incident {
    let text = std::fs::read_to_string(dir().join("fixtures/incident.yaml")).unwrap();
    let inc: Incident = serde_saphyr::from_str(&text).unwrap();
    inc.validate().unwrap();
    inc
}

fn draft() -> NoticeDraft {
    let text = std::fs::read_to_string(dir().join("fixtures/notice.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn golden(name: &str, actual: &str) {
    let path = dir().join("golden").join(name);
    if std::env::var_os("XIEZHI_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with XIEZHI_UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "golden file {name} differs");
}

#[test]
fn yaml_rejects_unknown_keys() {
    let text = std::fs::read_to_string(dir().join("fixtures/incident.yaml")).unwrap();
    let typo = text.replace("reporter: other", "reporter: other\nreportr: cii_operator");
    assert!(serde_saphyr::from_str::<Incident>(&typo).is_err());
    let nested = text.replace("  estimated: true", "  estimate: true");
    assert!(serde_saphyr::from_str::<Incident>(&nested).is_err());
    let bad_reporter = text.replace("reporter: other", "reporter: ministry");
    assert!(serde_saphyr::from_str::<Incident>(&bad_reporter).is_err());
}

#[test]
fn fixture_grades_relatively_large_with_evidence() {
    let g = grade(&incident());
    assert_eq!(g.level, Level::RelativelyLarge);
    assert!(g.reportable);
    assert_eq!(g.confidence, Confidence::C2);
    assert_eq!(g.decisions[0].criterion, Criterion::PiLeakPeople);
    assert_eq!(g.decisions[0].threshold, Some(1_000_000));
    assert!(g.notes.iter().any(|n| n.en.contains("estimate")));
}

#[test]
fn fixture_clocks_with_fake_clock() {
    let inc = incident();
    let mut tl = Timeline::default();
    let now = ts("2026-03-01T12:30:00+08:00");
    let cs = clocks(&inc, &tl, now);
    let ids: Vec<&str> = cs.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [INITIAL_REPORT, NOTIFY_AFFECTED, PIPL57_AUTHORITY, SUMMARY]
    );
    let initial = &cs[0];
    assert_eq!(initial.due, Some(ts("2026-03-01T14:00:00+08:00")));
    assert_eq!(initial.time_left_ms, Some(90 * 60_000));
    assert_eq!(initial.recipient_zh, "属地省级网信部门");

    // Report first with what is known, supplement later.
    let r = AuthorityReport::from(&inc, ReportKind::Initial, now);
    assert!(r.missing_required().is_empty());
    tl.mark_done(INITIAL_REPORT, now);
    tl.initial_report_missing = r.missing_fields();
    tl.mark_done(PIPL57_AUTHORITY, now);
    let later = ts("2026-03-02T09:00:00+08:00");
    let cs = clocks(&inc, &tl, later);
    let sup = cs.iter().find(|c| c.id == SUPPLEMENTARY).unwrap();
    assert_eq!(sup.status, Status::Asap);
    assert!(sup.duty_zh.contains("初步分析的事件原因"));
    let table = render_clocks(&cs, Lang::ZhCn);
    golden("clocks.zh.md", &table);
    golden("clocks.en.md", &render_clocks(&cs, Lang::En));
}

#[test]
fn golden_initial_report_both_languages() {
    let inc = incident();
    let r = AuthorityReport::from(&inc, ReportKind::Initial, ts("2026-03-01T12:30:00+08:00"));
    assert_eq!(
        r.missing_fields(),
        [
            ReportField::PreliminaryCause,
            ReportField::TracingClues,
            ReportField::FurtherMeasures,
            ReportField::SitePreservation
        ]
    );
    golden(
        "report-initial.zh.md",
        &r.render(Lang::ZhCn, Format::Markdown),
    );
    golden(
        "report-initial.en.md",
        &r.render(Lang::En, Format::Markdown),
    );
    golden("report-initial.zh.txt", &r.render(Lang::ZhCn, Format::Text));
}

#[test]
fn golden_notices_both_languages() {
    let inc = incident();
    let n = Notice::new(&inc, draft()).unwrap();
    for lang in [Lang::ZhCn, Lang::En] {
        let tag = if lang == Lang::ZhCn { "zh" } else { "en" };
        let email = n.render(Channel::Email, lang).unwrap();
        let text = format!("Subject: {}\n\n{}\n", email.subject.unwrap(), email.body);
        golden(&format!("notice-email.{tag}.txt"), &text);
        let sms = n.render(Channel::Sms, lang).unwrap();
        let size = sms.sms.unwrap();
        assert_eq!(size.segments, 1, "{}", sms.body);
        assert!(size.units <= 70);
        assert!(sms.body.starts_with("【示例科技】"));
        assert!(sms.body.contains("https://ex.cn/n/7"));
        golden(&format!("notice-sms.{tag}.txt"), &format!("{}\n", sms.body));
        let ann = n.render(Channel::Announcement, lang).unwrap();
        assert!(ann.body.contains(if lang == Lang::ZhCn {
            "特此公告"
        } else {
            "To our users"
        }));
        let app = n.render(Channel::InApp, lang).unwrap();
        assert!(
            app.body
                .contains(inc.pi.as_ref().unwrap().types[0].name(lang))
        );
    }
}

#[test]
fn notice_never_contains_pi_values_only_types() {
    // The record holds no values; the rendered notice names the types of PI.
    let n = Notice::new(&incident(), draft()).unwrap();
    let body = n.render(Channel::Email, Lang::ZhCn).unwrap().body;
    assert!(body.contains("姓名、手机号码、中国地址"));
}

#[test]
fn sms_falls_back_then_fails_clearly() {
    let inc = incident();
    let mut d = draft();
    d.sms_max_segments = 3;
    let n = Notice::new(&inc, d.clone()).unwrap();
    let long = n.render(Channel::Sms, Lang::ZhCn).unwrap();
    assert!(long.body.contains("咨询：400-000-0000"), "{}", long.body);
    assert!(long.sms.unwrap().segments > 1);

    // A signature so long that even the minimal SMS needs 2 segments with max 1.
    d.sms_max_segments = 1;
    d.sms_signature = "签".repeat(60);
    let n = Notice::new(&inc, d).unwrap();
    let err = n.render(Channel::Sms, Lang::ZhCn).unwrap_err();
    assert!(
        matches!(
            err,
            NoticeError::SmsTooLong {
                segments: 2,
                max: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("sms_max_segments"));
}

#[test]
fn sms_segment_edge_70_vs_71() {
    // Minimal zh candidate: 【sig】个人信息安全事件通知，详情：URL. Tune the URL so that it is
    // exactly 70 units, then one more.
    let inc = incident();
    let mut d = draft();
    d.sms_signature = "签".repeat(30);
    let fixed = sms_units(&format!(
        "【{}】个人信息安全事件通知，详情：",
        d.sms_signature
    ));
    let base = "https://ex.cn/";
    let pad = 70 - fixed - base.len();
    d.full_notice_url = format!("{base}{}", "a".repeat(pad));
    let n = Notice::new(&inc, d.clone()).unwrap();
    let r = n.render(Channel::Sms, Lang::ZhCn).unwrap();
    assert_eq!(r.sms.unwrap().units, 70);
    assert_eq!(r.sms.unwrap().segments, 1);
    d.full_notice_url.push('b');
    let n = Notice::new(&inc, d).unwrap();
    let err = n.render(Channel::Sms, Lang::ZhCn).unwrap_err();
    assert_eq!(
        err,
        NoticeError::SmsTooLong {
            units: 71,
            segments: 2,
            max: 1
        }
    );
}

#[test]
fn notice_requires_content() {
    let inc = incident();
    let mut d = draft();
    d.cause = Text::zh("  ");
    assert_eq!(
        Notice::new(&inc, d).unwrap_err(),
        NoticeError::Missing("cause")
    );
    let mut d = draft();
    d.full_notice_url = "ex.cn/n/7".into();
    assert_eq!(Notice::new(&inc, d).unwrap_err(), NoticeError::BadUrl);
    let mut no_types = incident();
    no_types.pi.as_mut().unwrap().types.clear();
    assert_eq!(
        Notice::new(&no_types, draft()).unwrap_err(),
        NoticeError::NoPiTypes
    );
}

#[test]
fn exemption_in_timeline_yaml_needs_reasons() {
    let ok = "notice_exemption:\n  reasons: [泄露文件已加密且密钥未泄露]\n  decided_at: 2026-03-01T12:00:00+08:00\n";
    let tl: Timeline = serde_saphyr::from_str(ok).unwrap();
    let inc = incident();
    let c = clocks(&inc, &tl, ts("2026-03-01T12:30:00+08:00"));
    assert_eq!(
        c.iter().find(|c| c.id == NOTIFY_AFFECTED).unwrap().status,
        Status::Exempted
    );
    let none = "notice_exemption:\n  reasons: []\n  decided_at: 2026-03-01T12:00:00+08:00\n";
    let err = serde_saphyr::from_str::<Timeline>(none)
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs reasons"), "{err}");
    assert_eq!(
        Exemption::new(vec![], ts("2026-03-01T12:00:00+08:00")).unwrap_err(),
        ExemptionError::NoReasons
    );
}

#[test]
fn grading_and_clocks_serialise_for_the_api() {
    let inc = incident();
    let g = serde_json::to_value(grade(&inc)).unwrap();
    assert_eq!(g["level"], "relatively_large");
    assert_eq!(g["confidence"], "C2");
    assert_eq!(g["decisions"][0]["threshold"], 1_000_000);
    let cs = clocks(
        &inc,
        &Timeline::default(),
        ts("2026-03-01T14:00:00.001+08:00"),
    );
    let v = serde_json::to_value(&cs).unwrap();
    assert_eq!(v[0]["id"], "initial-report");
    assert_eq!(v[0]["status"], "overdue");
    assert_eq!(v[0]["due"], "2026-03-01T06:00:00.000Z");
    assert_eq!(
        v[0]["deadline"],
        serde_json::json!({"kind": "hours", "n": 4})
    );
    assert_eq!(v[1]["deadline"], serde_json::json!({"kind": "promptly"}));
    let back: Incident = serde_json::from_str(&serde_json::to_string(&inc).unwrap()).unwrap();
    assert_eq!(back, inc);
}

#[test]
fn golden_summary_report_and_its_clock() {
    let mut inc = incident();
    let t = |zh: &str, en: &str| Some(Text::both(zh, en));
    inc.summary = Some(SummaryDetails {
        cause: t(
            "运维变更未经复核，存储桶被设为公开读取。",
            "An unreviewed maintenance change made the bucket publicly readable.",
        ),
        measures: t(
            "关闭公开访问、轮换密钥、下线导出任务、通知受影响用户。",
            "Public access closed, keys rotated, export job disabled, affected users notified.",
        ),
        harm: t(
            "约120万人的姓名、手机号码和地址可能被获取。",
            "Names, mobile numbers and addresses of about 1.2 million people may have been obtained.",
        ),
        accountability: t(
            "对变更责任人和审批人按制度处理。",
            "The change owner and approver were dealt with under company rules.",
        ),
        rectification: t(
            "存储桶默认私有并增加配置扫描。",
            "Buckets are private by default and configuration scans were added.",
        ),
        lessons: t(
            "高风险配置变更必须双人复核。",
            "High-risk configuration changes need a second reviewer.",
        ),
    });
    let r = AuthorityReport::from(&inc, ReportKind::Summary, ts("2026-03-20T09:00:00+08:00"));
    assert!(r.missing_fields().is_empty());
    golden(
        "report-summary.zh.md",
        &r.render(Lang::ZhCn, Format::Markdown),
    );
    golden(
        "report-summary.en.md",
        &r.render(Lang::En, Format::Markdown),
    );

    let tl = Timeline {
        handling_ended_at: Some(ts("2026-03-05T18:00:00+08:00")),
        ..Timeline::default()
    };
    let due = ts("2026-04-05T00:00:00+08:00"); // day 30 is 4 Apr; due at its 24:00
    let c = clocks(&inc, &tl, due.plus_ms(-1));
    let s = c.iter().find(|c| c.id == SUMMARY).unwrap();
    assert_eq!((s.due, s.overdue), (Some(due), false));
    let c = clocks(&inc, &tl, due.plus_ms(1));
    assert!(c.iter().find(|c| c.id == SUMMARY).unwrap().overdue);
}
