//! Estimating the people and PI types an incident affects from the data map (SR-INC-01): given
//! the ids of the affected systems and datasets, which datasets are involved, how many people
//! they hold, which PI types (and sensitive PI types) they contain and whether minors are among
//! the people. Pure: reads a loaded [`xiezhi_map::Project`], never a database.
//!
//! Counting (every person once, as the grading guide counts people):
//!
//! - An affected system brings every dataset whose `system` is that id.
//! - A dataset counts its `subject_count`. Datasets of one organisation mostly hold the same
//!   people, so the **upper bound** (used for grading, the safe side) is the sum of the counts,
//!   capped by `scale.pi_subjects` of `xiezhi.yaml` (nobody is counted who is not a subject at
//!   all); the **lower bound** is the largest single count.
//! - A PI dataset without `subject_count` could hold anyone: the upper bound becomes
//!   `scale.pi_subjects`; without that, the estimate is unknown and the operator must give a
//!   number.
//! - Sensitive PI: fields marked `sensitive` or whose PI type is sensitive under the default
//!   pack (GB/T 35273-2020). People with sensitive PI are the sum over datasets holding such
//!   fields, capped by `scale.sensitive_pi_subjects` and by the upper bound.
//!
//! The estimate is a starting point: the operator overrides it with a confirmed number.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use xiezhi_map::Project;
use xiezhi_map::model::{Dataset, SubjectKind};
use xiezhi_model::{Lang, PiType, SensitivityPack};

/// One dataset taken into the estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetBasis {
    /// Dataset id.
    pub id: String,
    /// Its system id.
    pub system: String,
    /// `subject_count` from the data map (None when not recorded).
    pub subject_count: Option<u64>,
    /// PI types of its fields.
    pub pi_types: Vec<PiType>,
    /// Sensitive PI types of its fields.
    pub sensitive_types: Vec<PiType>,
    /// It holds PI of minors (`subjects` lists minors or children under 14).
    pub minors: bool,
}

/// The estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// System ids asked for.
    pub systems: Vec<String>,
    /// Dataset ids asked for.
    pub datasets: Vec<String>,
    /// The datasets taken into account (asked for, or held by an affected system).
    pub basis: Vec<DatasetBasis>,
    /// Upper bound of the people affected (used for grading); None when unknown.
    pub people: Option<u64>,
    /// Lower bound: the largest single dataset count.
    pub people_min: Option<u64>,
    /// People whose sensitive PI is affected (upper bound).
    pub sensitive_people: Option<u64>,
    /// PI types involved.
    pub pi_types: Vec<PiType>,
    /// Sensitive PI types involved.
    pub sensitive_types: Vec<PiType>,
    /// Minors are among the people.
    pub involves_minors: bool,
    /// Display names of the affected systems (`name (id)`), for the report.
    pub system_names: Vec<String>,
    /// How the numbers were reached and what is uncertain, zh-CN.
    pub notes_zh: Vec<String>,
    /// The same, en.
    pub notes_en: Vec<String>,
}

/// Errors of the estimate: ids the data map does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimateError {
    /// An affected system id is not a `systems` id of the data map.
    #[error(
        "affected system `{0}` is not a `systems` id of the data map; check the id (`xiezhi map check` lists the map) or leave it out"
    )]
    UnknownSystem(String),
    /// An affected dataset id is not a `datasets` id of the data map.
    #[error(
        "affected dataset `{0}` is not a `datasets` id of the data map; check the id (`xiezhi map check` lists the map) or leave it out"
    )]
    UnknownDataset(String),
}

fn dataset_basis(d: &Dataset) -> DatasetBasis {
    let mut types = BTreeSet::new();
    let mut sensitive = BTreeSet::new();
    for f in &d.fields {
        if let Some(t) = &f.pi_type {
            let ty = t.value.0;
            types.insert(ty);
            if f.sensitive || SensitivityPack::default().is_sensitive(ty) {
                sensitive.insert(ty);
            }
        }
    }
    DatasetBasis {
        id: d.id.value.clone(),
        system: d.system.value.clone(),
        subject_count: d.subject_count,
        pi_types: sort_types(types),
        sensitive_types: sort_types(sensitive),
        minors: d
            .subjects
            .iter()
            .any(|s| matches!(s, SubjectKind::Minors | SubjectKind::ChildrenUnder14)),
    }
}

fn sort_types(set: BTreeSet<PiType>) -> Vec<PiType> {
    let mut v: Vec<PiType> = set.into_iter().collect();
    v.sort_by_key(|t| t.id());
    v
}

/// Estimates the people and PI types affected when `systems` and `datasets` (ids of the data
/// map) are affected.
pub fn estimate(
    project: &Project,
    systems: &[String],
    datasets: &[String],
) -> Result<Estimate, EstimateError> {
    let all_systems: Vec<_> = project.each(|m| &m.systems).map(|(_, s)| s).collect();
    let all_datasets: Vec<_> = project.each(|m| &m.datasets).map(|(_, d)| d).collect();
    let mut system_names = Vec::new();
    for id in systems {
        let s = all_systems
            .iter()
            .find(|s| s.id.value == *id)
            .ok_or_else(|| EstimateError::UnknownSystem(id.clone()))?;
        system_names.push(format!("{} ({})", s.name, s.id.value));
    }
    let mut chosen: Vec<&Dataset> = Vec::new();
    for id in datasets {
        let d = all_datasets
            .iter()
            .find(|d| d.id.value == *id)
            .ok_or_else(|| EstimateError::UnknownDataset(id.clone()))?;
        if !chosen.iter().any(|c| c.id.value == d.id.value) {
            chosen.push(d);
        }
    }
    for d in &all_datasets {
        if systems.contains(&d.system.value) && !chosen.iter().any(|c| c.id.value == d.id.value) {
            chosen.push(d);
        }
    }
    // Systems of datasets named directly are affected too (for the report's item 1).
    for d in &chosen {
        if let Some(s) = all_systems.iter().find(|s| s.id.value == d.system.value) {
            let name = format!("{} ({})", s.name, s.id.value);
            if !system_names.contains(&name) {
                system_names.push(name);
            }
        }
    }
    let basis: Vec<DatasetBasis> = chosen.iter().map(|d| dataset_basis(d)).collect();
    Ok(combine(project, systems, datasets, basis, system_names))
}

fn combine(
    project: &Project,
    systems: &[String],
    datasets: &[String],
    basis: Vec<DatasetBasis>,
    system_names: Vec<String>,
) -> Estimate {
    let scale = &project.profile.scale;
    let mut notes_zh = Vec::new();
    let mut notes_en = Vec::new();
    let pi_sets: Vec<&DatasetBasis> = basis.iter().filter(|b| !b.pi_types.is_empty()).collect();
    let uncounted: Vec<&str> = pi_sets
        .iter()
        .filter(|b| b.subject_count.is_none())
        .map(|b| b.id.as_str())
        .collect();
    let sum: u64 = pi_sets
        .iter()
        .filter_map(|b| b.subject_count)
        .fold(0u64, u64::saturating_add);
    let max = pi_sets.iter().filter_map(|b| b.subject_count).max();
    let people = if pi_sets.is_empty() {
        notes_zh.push("受影响的数据集中没有标注个人信息类型的字段：人数估算为0。".to_owned());
        notes_en.push("No affected dataset has a field with a PI type: 0 people estimated.".into());
        Some(0)
    } else if !uncounted.is_empty() {
        match scale.pi_subjects {
            Some(total) => {
                notes_zh.push(format!(
                    "数据集{}未记录subject_count，按全部个人信息主体（scale.pi_subjects = {}）估算上限。",
                    uncounted.join("、"),
                    crate::group_digits(total)
                ));
                notes_en.push(format!(
                    "Dataset(s) {} record no subject_count: the upper bound is every PI subject (scale.pi_subjects = {}).",
                    uncounted.join(", "),
                    crate::group_digits(total)
                ));
                Some(total)
            }
            None => {
                notes_zh.push(format!(
                    "数据集{}未记录subject_count，xiezhi.yaml也未记录scale.pi_subjects：无法估算人数，请填写确认的人数。",
                    uncounted.join("、")
                ));
                notes_en.push(format!(
                    "Dataset(s) {} record no subject_count and xiezhi.yaml has no scale.pi_subjects: the people cannot be estimated; give the confirmed number.",
                    uncounted.join(", ")
                ));
                None
            }
        }
    } else {
        let capped = scale.pi_subjects.map_or(sum, |t| sum.min(t));
        notes_zh.push(format!(
            "人数上限为各数据集subject_count之和{}{}；下限为单个数据集的最大人数{}（同一批用户可能出现在多个数据集中）。",
            crate::group_digits(sum),
            if capped < sum {
                format!("，以全部个人信息主体数{}为限", crate::group_digits(capped))
            } else {
                String::new()
            },
            crate::group_digits(max.unwrap_or(0))
        ));
        notes_en.push(format!(
            "Upper bound: the sum of the datasets' subject_count, {}{}; lower bound: the largest single dataset, {} (the same users appear in several datasets).",
            crate::group_digits(sum),
            if capped < sum {
                format!(", capped at all PI subjects, {}", crate::group_digits(capped))
            } else {
                String::new()
            },
            crate::group_digits(max.unwrap_or(0))
        ));
        Some(capped)
    };
    let sens_sets: Vec<&DatasetBasis> = pi_sets
        .iter()
        .copied()
        .filter(|b| !b.sensitive_types.is_empty())
        .collect();
    let sensitive_people = if sens_sets.is_empty() {
        Some(0)
    } else if sens_sets.iter().any(|b| b.subject_count.is_none()) {
        scale.sensitive_pi_subjects.or(people)
    } else {
        let s = sens_sets
            .iter()
            .filter_map(|b| b.subject_count)
            .fold(0u64, u64::saturating_add);
        let s = scale.sensitive_pi_subjects.map_or(s, |t| s.min(t));
        Some(people.map_or(s, |p| s.min(p)))
    };
    let mut types = BTreeSet::new();
    let mut sens = BTreeSet::new();
    for b in &basis {
        types.extend(b.pi_types.iter().copied());
        sens.extend(b.sensitive_types.iter().copied());
    }
    let people_min = if pi_sets.is_empty() { Some(0) } else { max };
    Estimate {
        systems: systems.to_vec(),
        datasets: datasets.to_vec(),
        involves_minors: basis.iter().any(|b| b.minors && !b.pi_types.is_empty()),
        basis,
        people,
        people_min,
        sensitive_people,
        pi_types: sort_types(types),
        sensitive_types: sort_types(sens),
        system_names,
        notes_zh,
        notes_en,
    }
}

impl Estimate {
    /// The notes in `lang`.
    pub fn notes(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::ZhCn => &self.notes_zh,
            Lang::En => &self.notes_en,
        }
    }

    /// A short text block: people (range), sensitive, PI types, minors, notes.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let n = |v: Option<u64>| {
            v.map_or_else(
                || {
                    if zh {
                        "未知".to_owned()
                    } else {
                        "unknown".to_owned()
                    }
                },
                crate::group_digits,
            )
        };
        let types = |ts: &[PiType]| {
            if ts.is_empty() {
                "—".to_owned()
            } else {
                ts.iter()
                    .map(|t| if zh { t.name_zh() } else { t.name_en() })
                    .collect::<Vec<_>>()
                    .join(if zh { "、" } else { ", " })
            }
        };
        let mut s = if zh {
            format!(
                "数据地图估算：受影响人数 {}（下限 {}），其中敏感个人信息 {}；数据集：{}\n个人信息类型：{}\n敏感个人信息类型：{}\n涉及未成年人：{}\n",
                n(self.people),
                n(self.people_min),
                n(self.sensitive_people),
                self.basis
                    .iter()
                    .map(|b| b.id.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                types(&self.pi_types),
                types(&self.sensitive_types),
                if self.involves_minors { "是" } else { "否" }
            )
        } else {
            format!(
                "Data-map estimate: {} people affected (at least {}), {} with sensitive PI; datasets: {}\nPI types: {}\nSensitive PI types: {}\nMinors involved: {}\n",
                n(self.people),
                n(self.people_min),
                n(self.sensitive_people),
                self.basis
                    .iter()
                    .map(|b| b.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                types(&self.pi_types),
                types(&self.sensitive_types),
                if self.involves_minors { "yes" } else { "no" }
            )
        };
        for note in self.notes(lang) {
            s.push_str("- ");
            s.push_str(note);
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "organisation:\n  name: 示例商城\nscale:\n  pi_subjects: 1500000\n  sensitive_pi_subjects: 200000\n";

    fn project(datamap: &str) -> Project {
        xiezhi_map::load_texts(PROFILE, &[("datamap/m.yaml", datamap)]).unwrap()
    }

    const MAP: &str = r#"
systems:
  - id: shop
    name: 商城
  - id: crm
    name: 客服
datasets:
  - id: users
    name: 用户表
    system: shop
    storage: {location: "mysql://shop/users", region: cn-north}
    subjects: [users, minors]
    subject_count: 1000000
    fields:
      - {name: phone, pi_type: cn_mobile}
      - {name: id_no, pi_type: cn_resident_id}
  - id: orders
    name: 订单
    system: shop
    storage: {location: "mysql://shop/orders", region: cn-north}
    subjects: [users]
    subject_count: 800000
    fields:
      - {name: addr, pi_type: cn_address}
  - id: tickets
    name: 工单
    system: crm
    storage: {location: "pg://crm/tickets", region: cn-north}
    subjects: [users]
    fields:
      - {name: name, pi_type: person_name}
"#;

    #[test]
    fn system_brings_its_datasets_and_sum_is_capped() {
        let p = project(MAP);
        let e = estimate(&p, &["shop".into()], &[]).unwrap();
        assert_eq!(
            e.basis.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
            ["users", "orders"]
        );
        // 1,000,000 + 800,000 capped at scale.pi_subjects 1,500,000.
        assert_eq!(e.people, Some(1_500_000));
        assert_eq!(e.people_min, Some(1_000_000));
        assert_eq!(e.pi_types.len(), 3);
        assert_eq!(e.sensitive_types, vec![PiType::CnResidentId]);
        assert_eq!(e.sensitive_people, Some(200_000));
        assert!(e.involves_minors);
        assert_eq!(e.system_names, ["商城 (shop)"]);
    }

    #[test]
    fn cap_applies_only_above_the_subject_total() {
        // 1,000,000 + 500,000 = scale.pi_subjects exactly: not capped (no cap note).
        let map = MAP.replace("subject_count: 800000", "subject_count: 500000");
        let e = estimate(&project(&map), &["shop".into()], &[]).unwrap();
        assert_eq!(e.people, Some(1_500_000));
        assert!(!e.notes_en[0].contains("capped"), "{:?}", e.notes_en);
        // One more person: capped at 1,500,000 and said so.
        let map = MAP.replace("subject_count: 800000", "subject_count: 500001");
        let e = estimate(&project(&map), &["shop".into()], &[]).unwrap();
        assert_eq!(e.people, Some(1_500_000));
        assert!(e.notes_en[0].contains("capped"), "{:?}", e.notes_en);
    }

    #[test]
    fn one_dataset_counts_itself() {
        let p = project(MAP);
        let e = estimate(&p, &[], &["orders".into()]).unwrap();
        assert_eq!(e.people, Some(800_000));
        assert_eq!(e.sensitive_people, Some(0));
        assert!(!e.involves_minors);
        assert_eq!(e.system_names, ["商城 (shop)"]);
    }

    #[test]
    fn uncounted_dataset_falls_back_to_scale_or_unknown() {
        let p = project(MAP);
        let e = estimate(&p, &["crm".into()], &[]).unwrap();
        assert_eq!(e.people, Some(1_500_000));
        assert!(e.notes_en[0].contains("tickets"));
        let bare = xiezhi_map::load_texts("organisation:\n  name: X\n", &[("datamap/m.yaml", MAP)])
            .unwrap();
        let e = estimate(&bare, &["crm".into()], &[]).unwrap();
        assert_eq!(e.people, None);
        assert!(e.render(Lang::ZhCn).contains("未知"));
    }

    #[test]
    fn unknown_ids_are_errors() {
        let p = project(MAP);
        assert_eq!(
            estimate(&p, &["nope".into()], &[]),
            Err(EstimateError::UnknownSystem("nope".into()))
        );
        assert_eq!(
            estimate(&p, &[], &["nope".into()]),
            Err(EstimateError::UnknownDataset("nope".into()))
        );
    }
}
