//! Loading the example project and one test per error kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;

use xiezhi_map::{ErrorKind, LoadError, init_project, json_schema, load_project};

fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init_project(dir.path()).unwrap();
    dir
}

/// Replaces `from` with `to` in one example file (it must occur).
fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from} not in {rel}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

fn errors(dir: &Path) -> Vec<LoadError> {
    match load_project(dir) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.0,
    }
}

fn one(dir: &Path, kind: ErrorKind) -> LoadError {
    let errs = errors(dir);
    let found: Vec<_> = errs.iter().filter(|e| e.kind == kind).collect();
    assert_eq!(found.len(), 1, "{errs:#?}");
    found[0].clone()
}

fn line_of(dir: &Path, rel: &str, needle: &str) -> u64 {
    let text = fs::read_to_string(dir.join(rel)).unwrap();
    let i = text.lines().position(|l| l.contains(needle)).unwrap();
    i as u64 + 1
}

#[test]
fn example_loads_cleanly_and_covers_every_section() {
    let dir = example();
    let p = load_project(dir.path()).unwrap_or_else(|e| panic!("{:#?}", e.0));
    assert!(p.profile.roles.platform_service_provider);
    assert_eq!(p.profile.scale.pi_subjects, Some(12_500_000));
    assert!(p.profile.officers.pipo.is_some());
    assert!(p.each(|m| &m.systems).count() >= 2);
    assert!(p.each(|m| &m.datasets).count() >= 3);
    assert!(p.each(|m| &m.activities).count() >= 3);
    assert!(p.each(|m| &m.recipients).count() >= 3);
    assert_eq!(p.each(|m| &m.transfers).count(), 1);
    assert_eq!(p.each(|m| &m.crawlers).count(), 1);
    assert_eq!(p.each(|m| &m.training_datasets).count(), 1);
    assert!(p.each(|m| &m.assessments).count() >= 4);
    let (file, ds) = p.each(|m| &m.datasets).next().unwrap();
    assert_eq!(file, Path::new("datamap/systems.yaml"));
    assert_eq!(ds.id.value, "users");
    assert_eq!(
        ds.id.line,
        line_of(dir.path(), "datamap/systems.yaml", "id: users")
    );
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = example();
    let before = fs::read_to_string(dir.path().join("xiezhi.yaml")).unwrap();
    assert!(init_project(dir.path()).is_err());
    assert_eq!(
        fs::read_to_string(dir.path().join("xiezhi.yaml")).unwrap(),
        before
    );
}

#[test]
fn syntax_error() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/ai.yaml",
        "purpose: 公开商品价格比对",
        "purpose: [unclosed",
    );
    let e = one(dir.path(), ErrorKind::Syntax);
    assert_eq!(e.file, Path::new("datamap/ai.yaml"));
    assert!(e.line > 0 && e.column > 0, "{e}");
    assert!(e.hint.is_some());
}

#[test]
fn unknown_key_suggests_closest() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/activities.yaml",
        "    purpose: 商品推荐",
        "    purpsoe: 商品推荐",
    );
    let e = one(dir.path(), ErrorKind::UnknownKey);
    assert_eq!(e.file, Path::new("datamap/activities.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/activities.yaml", "purpsoe")
    );
    assert_eq!(e.column, 5);
    assert!(
        e.hint
            .as_ref()
            .unwrap()
            .en
            .contains("did you mean `purpose`"),
        "{e}"
    );
}

#[test]
fn wrong_type() {
    let dir = example();
    edit(
        dir.path(),
        "xiezhi.yaml",
        "registered_users: 12000000",
        "registered_users: many",
    );
    let e = one(dir.path(), ErrorKind::WrongType);
    assert_eq!(e.file, Path::new("xiezhi.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "xiezhi.yaml", "registered_users")
    );
    assert_eq!(e.column, 21);
    assert!(!e.to_string().contains("many"), "echoes the value: {e}");
    assert!(e.hint.is_some());
}

#[test]
fn duplicate_key() {
    let dir = example();
    edit(
        dir.path(),
        "xiezhi.yaml",
        "  public_facing: true\n",
        "  public_facing: true\n  public_facing: false\n",
    );
    let e = one(dir.path(), ErrorKind::DuplicateKey);
    assert_eq!(
        e.line,
        line_of(dir.path(), "xiezhi.yaml", "public_facing: false")
    );
    assert_eq!(e.column, 3);
    assert!(e.message.en.contains("public_facing"));
    assert!(e.hint.is_some());
}

#[test]
fn duplicate_id_across_files() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/ai.yaml",
        "id: price-crawler",
        "id: users",
    );
    // Files load in name order: ai.yaml defines `users` first.
    let e = one(dir.path(), ErrorKind::DuplicateId);
    assert_eq!(e.file, Path::new("datamap/systems.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/systems.yaml", "id: users")
    );
    assert_eq!(e.column, 9);
    let first = line_of(dir.path(), "datamap/ai.yaml", "id: users");
    assert!(
        e.hint
            .as_ref()
            .unwrap()
            .en
            .contains(&format!("datamap/ai.yaml:{first}:9")),
        "{e}"
    );
}

#[test]
fn dangling_reference_between_files() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/activities.yaml",
        "datasets: [orders]",
        "datasets: [order]",
    );
    let e = one(dir.path(), ErrorKind::DanglingReference);
    assert_eq!(e.file, Path::new("datamap/activities.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/activities.yaml", "[order]")
    );
    assert_eq!(e.column, 16);
    assert!(
        e.hint
            .as_ref()
            .unwrap()
            .en
            .contains("did you mean `orders`"),
        "{e}"
    );
}

#[test]
fn unknown_pi_type_lists_valid_ids() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/recipients.yaml",
        "pi_types: [device_id]",
        "pi_types: [device_idd]",
    );
    let e = one(dir.path(), ErrorKind::UnknownPiType);
    assert_eq!(e.file, Path::new("datamap/recipients.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/recipients.yaml", "device_idd")
    );
    assert!(e.column > 0);
    assert!(!e.message.en.contains("device_idd"));
    assert!(
        e.hint.as_ref().unwrap().en.contains("cn_resident_id"),
        "{e}"
    );
}

#[test]
fn invalid_date() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/assessments.yaml",
        "completed: 2025-09-30",
        "completed: 2025-02-30",
    );
    let e = one(dir.path(), ErrorKind::InvalidDate);
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/assessments.yaml", "2025-02-30")
    );
    assert_eq!(e.column, 16);
    assert!(e.hint.as_ref().unwrap().en.contains("YYYY-MM-DD"));
}

#[test]
fn invalid_general_level() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/systems.yaml",
        "level: general-2",
        "level: general-9",
    );
    let e = one(dir.path(), ErrorKind::InvalidValue);
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/systems.yaml", "general-9")
    );
    assert!(e.hint.as_ref().unwrap().en.contains("general-4"));
}

#[test]
fn errors_from_several_files_are_all_reported() {
    let dir = example();
    // Parse errors: one per file, every file.
    edit(
        dir.path(),
        "datamap/ai.yaml",
        "    purpose: 公开",
        "    purpos: 公开",
    );
    edit(
        dir.path(),
        "xiezhi.yaml",
        "minor_subjects: 20000",
        "minor_subjects: -1",
    );
    let errs = errors(dir.path());
    assert_eq!(errs.len(), 2, "{errs:#?}");

    // Cross-file errors: all of them.
    let dir = example();
    edit(
        dir.path(),
        "datamap/transfers.yaml",
        "recipient: sg-analytics",
        "recipient: sg-analytic",
    );
    edit(
        dir.path(),
        "datamap/activities.yaml",
        "recipients: [courier]",
        "recipients: [courierx]",
    );
    edit(
        dir.path(),
        "datamap/assessments.yaml",
        "id: risk-2025",
        "id: orders",
    );
    let errs = errors(dir.path());
    let kinds: Vec<ErrorKind> = errs.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::DuplicateId,
            ErrorKind::DanglingReference,
            ErrorKind::DanglingReference
        ],
        "{errs:#?}"
    );
}

#[test]
fn missing_profile() {
    let dir = tempfile::tempdir().unwrap();
    let e = one(dir.path(), ErrorKind::Io);
    assert!(e.hint.as_ref().unwrap().en.contains("xiezhi init"));
}

#[test]
fn schema_is_json_and_names_the_keys() {
    let s = json_schema();
    let text = serde_json::to_string(&s).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(back["anyOf"].is_array());
    for key in [
        "organisation",
        "roles",
        "officers",
        "scale",
        "systems",
        "datasets",
        "activities",
        "recipients",
        "transfers",
        "crawlers",
        "training_datasets",
        "assessments",
        "controls",
        "notice",
        "rights_channels",
        "mitigation",
        "principal",
        "records",
        "individuals_notified",
        "cn_resident_id",
        "additionalProperties",
    ] {
        assert!(text.contains(&format!("\"{key}\"")), "schema lacks {key}");
    }
}

#[test]
fn a_file_that_fails_to_parse_does_not_cause_dangling_references() {
    let dir = example();
    // The profile fails: no level errors follow; activities.yaml fails: no dangling refs.
    edit(
        dir.path(),
        "xiezhi.yaml",
        "registered_users: 12000000",
        "registered_users: x",
    );
    edit(
        dir.path(),
        "datamap/activities.yaml",
        "  - id: recommend",
        "  - idd: recommend",
    );
    let errs = errors(dir.path());
    let kinds: Vec<ErrorKind> = errs.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![ErrorKind::WrongType, ErrorKind::UnknownKey],
        "{errs:#?}"
    );
}

#[test]
fn assessment_may_cover_any_entity_but_not_nothing() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/assessments.yaml",
        "covers: [logistics-map]",
        "covers: [logistic-map]",
    );
    let e = one(dir.path(), ErrorKind::DanglingReference);
    assert!(e.message.en.contains("in any section"), "{e}");
    assert!(
        e.hint.as_ref().unwrap().en.contains("`logistics-map`"),
        "{e}"
    );
}

#[test]
fn errors_never_echo_values() {
    const PI: &str = "13812345678";
    let dir = example();
    edit(
        dir.path(),
        "xiezhi.yaml",
        "registered_users: 12000000",
        &format!("registered_users: {PI}x"),
    );
    edit(
        dir.path(),
        "datamap/activities.yaml",
        "legal_basis: contract",
        &format!("legal_basis: {PI}"),
    );
    edit(
        dir.path(),
        "datamap/assessments.yaml",
        "completed: 2025-09-30",
        &format!("completed: {PI}"),
    );
    edit(
        dir.path(),
        "datamap/recipients.yaml",
        "pi_types: [device_id]",
        &format!("pi_types: [{PI}]"),
    );
    edit(
        dir.path(),
        "datamap/systems.yaml",
        "subjects: [users]",
        &format!("subjects: [{{a: {PI}}}]"),
    );
    edit(
        dir.path(),
        "datamap/ai.yaml",
        "respects_robots_txt: true",
        &format!("respects_robots_txt: {PI}"),
    );
    edit(
        dir.path(),
        "datamap/transfers.yaml",
        "year: 2025",
        &format!("year: {PI}"),
    );
    let errs = errors(dir.path());
    assert_eq!(errs.len(), 7, "{errs:#?}");
    for e in &errs {
        for lang in [xiezhi_model::Lang::ZhCn, xiezhi_model::Lang::En] {
            let r = e.render(lang);
            assert!(!r.contains(PI), "{r}");
        }
    }
}

#[test]
fn one_error_per_item_in_the_same_file() {
    let dir = example();
    let f = "datamap/activities.yaml";
    edit(
        dir.path(),
        f,
        "    purpose: 商品推荐",
        "    purpsoe: 商品推荐",
    );
    edit(
        dir.path(),
        f,
        "legal_basis: contract",
        "legal_basis: contrct",
    );
    edit(dir.path(), f, "started: 2020-06-01", "started: 2020-06-31");
    let errs = errors(dir.path());
    let got: Vec<(u64, ErrorKind)> = errs.iter().map(|e| (e.line, e.kind)).collect();
    assert_eq!(
        got,
        vec![
            (line_of(dir.path(), f, "2020-06-31"), ErrorKind::InvalidDate),
            (line_of(dir.path(), f, "contrct"), ErrorKind::InvalidValue),
            (line_of(dir.path(), f, "purpsoe"), ErrorKind::UnknownKey),
        ],
        "{errs:#?}"
    );
    assert!(errs.iter().all(|e| e.file == Path::new(f) && e.column > 0));
}

#[test]
fn one_error_per_profile_section() {
    let dir = example();
    edit(
        dir.path(),
        "xiezhi.yaml",
        "  public_facing: true",
        "  public_facin: true",
    );
    edit(
        dir.path(),
        "xiezhi.yaml",
        "registered_users: 12000000",
        "registered_users: x",
    );
    edit(
        dir.path(),
        "xiezhi.yaml",
        "appointed: 2025-01-02",
        "appointed: 2025-01-32",
    );
    let errs = errors(dir.path());
    let kinds: Vec<ErrorKind> = errs.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::UnknownKey,
            ErrorKind::WrongType,
            ErrorKind::InvalidDate
        ],
        "{errs:#?}"
    );
    assert_eq!(
        errs[2].line,
        line_of(dir.path(), "xiezhi.yaml", "2025-01-32")
    );
}

#[test]
fn principal_must_name_existing_activities() {
    let dir = example();
    edit(
        dir.path(),
        "datamap/systems.yaml",
        "permitted_activities: [parking-ops]",
        "permitted_activities: [parking-op]",
    );
    let e = one(dir.path(), ErrorKind::DanglingReference);
    assert_eq!(e.file, Path::new("datamap/systems.yaml"));
    assert_eq!(
        e.line,
        line_of(dir.path(), "datamap/systems.yaml", "[parking-op]")
    );
    assert!(e.hint.as_ref().unwrap().en.contains("parking-ops"), "{e}");
}

#[test]
fn example_exercises_the_compliance_sections() {
    let dir = example();
    let p = load_project(dir.path()).unwrap_or_else(|e| panic!("{:#?}", e.0));
    let pr = &p.profile;
    assert_eq!(pr.controls.log_retention_months, Some(3));
    assert!(pr.notice.rights_channels.withdraw_consent.is_some());
    assert!(pr.platform.user_data_export);
    assert_eq!(pr.mitigation.len(), 1);
    assert!(pr.scale.pi_1m_reached.is_some());
    let officer = pr.officers.data_security_officer.as_ref().unwrap();
    assert!(officer.management_member && officer.direct_reporting);
    assert!(p.each(|m| &m.datasets).any(|(_, d)| d.principal.is_some()));
    assert!(p.each(|m| &m.recipients).all(|(_, r)| r.records.is_some()));
    assert!(
        p.each(|m| &m.transfers)
            .all(|(_, t)| t.individuals_notified)
    );
    assert!(p.each(|m| &m.assessments).any(|(_, a)| a.minors_pi));
    assert!(
        p.each(|m| &m.activities)
            .any(|(_, a)| a.push_controls.is_some())
    );
}

#[test]
fn new_profile_sections_report_unknown_keys() {
    let dir = example();
    edit(
        dir.path(),
        "xiezhi.yaml",
        "  backup: true",
        "  backups: true",
    );
    let e = one(dir.path(), ErrorKind::UnknownKey);
    assert_eq!(e.line, line_of(dir.path(), "xiezhi.yaml", "backups"));
}

#[test]
fn profile_keys_have_positions() {
    let dir = example();
    let p = load_project(dir.path()).unwrap();
    let k = p.profile_position("controls.log_retention_months").unwrap();
    assert_eq!(
        k.line,
        line_of(dir.path(), "xiezhi.yaml", "log_retention_months:")
    );
    assert_eq!(k.column, 3);
    // Unwritten keys fall back to the nearest written ancestor.
    let k = p.profile_position("notice.children_rules").unwrap();
    assert_eq!(k.path, "notice");
    assert_eq!(k.line, line_of(dir.path(), "xiezhi.yaml", "notice:"));
    assert!(p.profile_position("nothing.here").is_none());
    assert!(p.profile_keys.iter().all(|k| !k.path.contains(' ')));
}

#[test]
fn load_texts_matches_load_project() {
    use xiezhi_map::{TEMPLATE, load_texts};
    let profile = TEMPLATE
        .iter()
        .find(|(p, _)| *p == "xiezhi.yaml")
        .unwrap()
        .1;
    let files: Vec<(&str, &str)> = TEMPLATE
        .iter()
        .filter_map(|(p, t)| p.strip_prefix("datamap/").map(|n| (n, *t)))
        .rev()
        .collect();
    let from_texts = load_texts(profile, &files).unwrap();
    let dir = example();
    let from_files = load_project(dir.path()).unwrap();
    let paths = |p: &xiezhi_map::Project| -> Vec<String> {
        p.files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect()
    };
    assert_eq!(paths(&from_texts), paths(&from_files));
    assert_eq!(
        from_texts.each(|m| &m.transfers).count(),
        from_files.each(|m| &m.transfers).count()
    );
    // The same error, at the same place, from texts.
    let bad: Vec<(&str, &str)> = vec![("x.yaml", "systems:\n  - id: a\n    nmae: b\n")];
    let e = load_texts(profile, &bad).unwrap_err().0;
    assert_eq!(e[0].file, Path::new("datamap/x.yaml"));
    assert_eq!((e[0].line, e[0].kind), (3, ErrorKind::UnknownKey), "{e:#?}");
}

#[test]
fn lone_carriage_returns_end_lines_as_in_yaml() {
    use xiezhi_map::{TEMPLATE, load_texts};
    let profile = TEMPLATE
        .iter()
        .find(|(p, _)| *p == "xiezhi.yaml")
        .unwrap()
        .1;
    // Old Mac line ends: YAML counts each CR as a line break, and so must the item re-parse.
    // Both items have an unknown key: one error per item, at the lines YAML counts.
    let text = "systems:\r  - id: a\r    nmae: A\r    owner: o\r  - id: b\r    nmae: B\r";
    let e = load_texts(profile, &[("x.yaml", text)]).unwrap_err().0;
    let at: Vec<(u64, ErrorKind)> = e.iter().map(|e| (e.line, e.kind)).collect();
    assert_eq!(
        at,
        vec![(3, ErrorKind::UnknownKey), (6, ErrorKind::UnknownKey)],
        "{e:#?}"
    );
    // The same file with LF line ends reports the same.
    let lf = text.replace('\r', "\n");
    let e2 = load_texts(profile, &[("x.yaml", &lf)]).unwrap_err().0;
    assert_eq!(e2.iter().map(|e| (e.line, e.kind)).collect::<Vec<_>>(), at);
}
