//! The rendered rules of `examples/project` in both languages and all three formats, compared
//! byte for byte with `tests/golden/`. Regenerate with `XIEZHI_BLESS=1 cargo test -p xiezhi-report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use xiezhi_model::Lang;
use xiezhi_report::rules::{Format, Scope, render};

fn example() -> xiezhi_map::Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/project");
    xiezhi_map::load_project(&dir).unwrap_or_else(|e| panic!("example loads: {:?}", e.0))
}

#[test]
fn example_rules_match_the_golden_files() {
    let project = example();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("XIEZHI_BLESS").is_some();
    let mut stale = Vec::new();
    for (lang, tag) in [(Lang::ZhCn, "zh-CN"), (Lang::En, "en")] {
        for format in [Format::Html, Format::Markdown, Format::Json] {
            let text = render(&project, lang, format, Scope::General)
                .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
            let path = golden.join(format!("rules.{tag}.{}", format.extension()));
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
    assert!(
        stale.is_empty(),
        "golden files differ (regenerate with XIEZHI_BLESS=1 and review the diff): {stale:?}"
    );
}

#[test]
fn example_rules_state_every_art21_section() {
    let project = example();
    let md = render(&project, Lang::ZhCn, Format::Markdown, Scope::General).unwrap();
    for needle in [
        "示例乐购网络科技有限公司",
        "privacy@legou.example",
        "王示例",                         // PIPO
        "网络实名制要求核验身份证件号码", // sensitive necessity
        "1095 天",
        "服务合同期满后移交并删除", // how the period is determined
        "已收集个人信息清单",
        "mysql://shop/users",  // storage location
        "com.example.push",    // SDK in the sharing list
        "dpo@courier.example", // recipient contact
        "注销账号",
        "App「设置-注销账号」",
        "撤回同意",
        "Example Analytics Pte. Ltd.", // cross-border
    ] {
        assert!(md.contains(needle), "missing {needle:?}");
    }
    // The ended 2023 campaign is not current processing.
    assert!(!md.contains("2023 年双十一抽奖活动"));
    // No children's section: the example processes no PI of children under 14.
    assert!(!md.contains("不满十四周岁儿童的个人信息\n"));
}

#[test]
fn html_is_one_accessible_self_contained_page() {
    let project = example();
    let html = render(&project, Lang::ZhCn, Format::Html, Scope::General).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("@media print"));
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("<th scope=\"row\">"));
    assert_eq!(html.matches("<h1").count(), 1);
    for external in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(external), "external resource {external:?}");
    }
    let en = render(&project, Lang::En, Format::Html, Scope::General).unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("List of personal information shared with third parties"));
}

#[test]
fn json_has_a_stable_structure() {
    let project = example();
    let json = render(&project, Lang::En, Format::Json, Scope::General).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "lang",
        "scope",
        "title",
        "controller",
        "activities",
        "collected",
        "sharing",
        "cross_border",
        "rights",
        "children",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["rights"].as_array().unwrap().len(), 9);
    assert_eq!(v["rights"][7]["right"]["id"], "cancel_account");
    let account = &v["activities"][0];
    assert_eq!(account["id"], "account");
    assert_eq!(account["legal_basis"]["id"], "legal_obligation");
    assert!(account["sensitive"]["pi_types"][0]["id"].is_string());
    let sdk = v["sharing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"]["id"] == "sdk")
        .unwrap();
    assert_eq!(sdk["sdk"]["package"], "com.example.push");
}

/// The example with the users dataset holding PI of children under 14, the dedicated rules
/// named and a responsible person designated.
fn example_with_children() -> xiezhi_map::Project {
    use xiezhi_map::model::{Contact, Officer, SubjectKind};
    let mut p = example();
    for f in &mut p.files {
        for d in &mut f.map.datasets {
            if d.id.value == "users" {
                d.subjects.push(SubjectKind::ChildrenUnder14);
            }
        }
    }
    p.profile.notice.children_rules = Some("儿童个人信息保护规则 v1".into());
    p.profile.officers.children_officer = Some(Officer {
        name: "赵示例".into(),
        title: Some("儿童个人信息保护专员".into()),
        contact: Some(Contact {
            email: Some("children@legou.example".into()),
            ..Contact::default()
        }),
        appointed: None,
        filed: None,
        management_member: false,
        direct_reporting: false,
        background_check: None,
    });
    p
}

#[test]
fn children_rules_match_the_golden_files() {
    let project = example_with_children();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("XIEZHI_BLESS").is_some();
    for (lang, tag) in [(Lang::ZhCn, "zh-CN"), (Lang::En, "en")] {
        let text = render(&project, lang, Format::Markdown, Scope::Children)
            .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
        let path = golden.join(format!("children.{tag}.md"));
        if bless {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{} is missing ({e}); run with XIEZHI_BLESS=1",
                path.display()
            )
        });
        assert!(
            committed == text,
            "{} differs (regenerate with XIEZHI_BLESS=1 and review the diff)",
            path.display()
        );
    }
}
