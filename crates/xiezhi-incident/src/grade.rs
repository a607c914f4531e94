//! Grading under the 2025 grading guide (网络安全事件分级指南, annex to the Incident Reporting
//! Measures), catalog 4.9.
//!
//! The numeric thresholds are data ([`THRESHOLDS`]), each with its source and confidence mark;
//! "以上" includes the figure (catalog 0.2, \[C2\]), so every comparison is `value >= threshold`.
//! Criteria the catalog gives without a number are taken from the operator's assessment
//! ([`crate::AssessedCriterion`]). The grade is the highest level any criterion reaches, and
//! every criterion looked at leaves a [`Decision`] (evidence) in zh-CN and en.

use serde::Serialize;
use xiezhi_model::Lang;

use crate::model::{Incident, Level, OtherCriterion};
use crate::time::Timestamp;
use crate::{Confidence, group_digits};

/// The grading guide, as cited in evidence.
pub const GUIDE_ZH: &str = "《网络安全事件报告管理办法》附件《网络安全事件分级指南》";
/// The grading guide, in English.
pub const GUIDE_EN: &str = "Incident Reporting Measures (CAC 2025), annex: incident grading guide";

/// First day the Incident Measures (and the guide) are in force, Beijing time: 2025-11-01 \[C2\].
pub const MEASURES_EFFECTIVE: (i32, u32, u32) = (2025, 11, 1);

/// A graded criterion with a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// 个人信息泄露人数 — people whose PI leaked.
    PiLeakPeople,
    /// 直接经济损失 (yuan).
    DirectEconomicLoss,
    /// A criterion without a number, assessed by the operator.
    Assessed(OtherCriterion),
}

impl Criterion {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Criterion::PiLeakPeople, Lang::ZhCn) => "个人信息泄露人数",
            (Criterion::PiLeakPeople, Lang::En) => "people whose personal information leaked",
            (Criterion::DirectEconomicLoss, Lang::ZhCn) => "直接经济损失",
            (Criterion::DirectEconomicLoss, Lang::En) => "direct economic loss",
            (Criterion::Assessed(c), lang) => c.name(lang),
        }
    }
}

/// One numeric threshold of the guide: `value >= min_inclusive` reaches `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// The criterion.
    pub criterion: Criterion,
    /// The level reached.
    pub level: Level,
    /// Inclusive lower bound ("以上").
    pub min_inclusive: u64,
    /// How the guide words it.
    pub wording_zh: &'static str,
    /// Confidence mark of the catalog entry.
    pub confidence: Confidence,
}

/// The guide's numeric thresholds as listed in catalog 4.9 and section 5 (highest first per
/// criterion). PI leakage \[C2: R3, freshfromchina, de-line\]; economic loss ¥5M and ¥20M are
/// **\[UNCONFIRMED\]** (catalog open point 10), ¥100M \[C2\].
pub const THRESHOLDS: &[Threshold] = &[
    Threshold {
        criterion: Criterion::PiLeakPeople,
        level: Level::EspeciallyMajor,
        min_inclusive: 100_000_000,
        wording_zh: "1亿人以上个人信息泄露",
        confidence: Confidence::C2,
    },
    Threshold {
        criterion: Criterion::PiLeakPeople,
        level: Level::Major,
        min_inclusive: 10_000_000,
        wording_zh: "1000万人以上个人信息泄露",
        confidence: Confidence::C2,
    },
    Threshold {
        criterion: Criterion::PiLeakPeople,
        level: Level::RelativelyLarge,
        min_inclusive: 1_000_000,
        wording_zh: "100万人以上个人信息泄露",
        confidence: Confidence::C2,
    },
    Threshold {
        criterion: Criterion::DirectEconomicLoss,
        level: Level::EspeciallyMajor,
        min_inclusive: 100_000_000,
        wording_zh: "1亿元以上直接经济损失",
        confidence: Confidence::C2,
    },
    Threshold {
        criterion: Criterion::DirectEconomicLoss,
        level: Level::Major,
        min_inclusive: 20_000_000,
        wording_zh: "2000万元以上直接经济损失",
        confidence: Confidence::Unconfirmed,
    },
    Threshold {
        criterion: Criterion::DirectEconomicLoss,
        level: Level::RelativelyLarge,
        min_inclusive: 5_000_000,
        wording_zh: "500万元以上直接经济损失",
        confidence: Confidence::Unconfirmed,
    },
];

/// Why one criterion gives one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The criterion.
    pub criterion: Criterion,
    /// The recorded value (people or yuan), for numeric criteria.
    pub value: Option<u64>,
    /// The threshold that was met, if any.
    pub threshold: Option<u64>,
    /// The level this criterion reaches.
    pub level: Level,
    /// Source, zh-CN.
    pub source_zh: &'static str,
    /// Source, en.
    pub source_en: &'static str,
    /// Confidence mark of the rule applied.
    pub confidence: Confidence,
    /// Explanation, zh-CN.
    pub zh: String,
    /// Explanation, en.
    pub en: String,
}

impl Decision {
    /// Explanation in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A remark on the grading (not a decision): missing data, dates, unconfirmed rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// zh-CN.
    pub zh: String,
    /// en.
    pub en: String,
}

/// The grade of an incident with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grading {
    /// The grade: the highest level any criterion reaches.
    pub level: Level,
    /// "Relatively large" and above must be reported under the Incident Measures \[C2\].
    pub reportable: bool,
    /// The Incident Measures were in force when the incident was detected.
    pub measures_in_force: bool,
    /// One decision per criterion looked at.
    pub decisions: Vec<Decision>,
    /// Confidence of the grade: the weakest mark among the decisions that reach `level`.
    pub confidence: Confidence,
    /// Remarks.
    pub notes: Vec<Note>,
}

fn numeric(criterion: Criterion, value: u64, unit: (&str, &str)) -> Decision {
    let hit = THRESHOLDS
        .iter()
        .filter(|t| t.criterion == criterion)
        .find(|t| value >= t.min_inclusive);
    let v = group_digits(value);
    match hit {
        Some(t) => Decision {
            criterion,
            value: Some(value),
            threshold: Some(t.min_inclusive),
            level: t.level,
            source_zh: GUIDE_ZH,
            source_en: GUIDE_EN,
            confidence: t.confidence,
            zh: format!(
                "{}为{v}{}，达到“{}”（“以上”含本数），定为{}事件",
                criterion.name(Lang::ZhCn),
                unit.0,
                t.wording_zh,
                t.level.name(Lang::ZhCn)
            ),
            en: format!(
                "{}, at or above the threshold of {}{} (\"以上\" includes the figure): {} incident",
                capitalise(&en_phrase(criterion, &v)),
                group_digits(t.min_inclusive),
                unit.1,
                t.level.name(Lang::En)
            ),
        },
        None => {
            let lowest = THRESHOLDS
                .iter()
                .filter(|t| t.criterion == criterion)
                .map(|t| (t.min_inclusive, t.confidence))
                .min();
            let (low, conf) = lowest.unwrap_or((0, Confidence::C2));
            Decision {
                criterion,
                value: Some(value),
                threshold: None,
                level: Level::General,
                source_zh: GUIDE_ZH,
                source_en: GUIDE_EN,
                confidence: conf,
                zh: format!(
                    "{}为{v}{}，低于较大事件门槛{}{}，按此项为一般事件",
                    criterion.name(Lang::ZhCn),
                    unit.0,
                    group_digits(low),
                    unit.0
                ),
                en: format!(
                    "{}, below the relatively-large threshold of {}{}: general by this criterion",
                    capitalise(&en_phrase(criterion, &v)),
                    group_digits(low),
                    unit.1
                ),
            }
        }
    }
}

fn en_phrase(criterion: Criterion, v: &str) -> String {
    match criterion {
        Criterion::PiLeakPeople => format!("personal information of {v} people leaked"),
        Criterion::DirectEconomicLoss => format!("direct economic loss of {v} yuan"),
        Criterion::Assessed(c) => c.name(Lang::En).to_owned(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Grades an incident. Pure: the result depends only on the record.
pub fn grade(inc: &Incident) -> Grading {
    let mut decisions = Vec::new();
    let mut notes = Vec::new();

    if let Some(pi) = &inc.pi {
        decisions.push(numeric(
            Criterion::PiLeakPeople,
            pi.people,
            ("人", " people"),
        ));
        if pi.estimated {
            notes.push(Note {
                zh: "个人信息涉及人数为估算值，确认后请重新定级".into(),
                en: "The number of people is an estimate; re-grade once it is confirmed".into(),
            });
        }
    }
    if let Some(loss) = inc.direct_economic_loss_cny {
        decisions.push(numeric(
            Criterion::DirectEconomicLoss,
            loss,
            ("元", " yuan"),
        ));
    }
    for a in &inc.assessed {
        decisions.push(Decision {
            criterion: Criterion::Assessed(a.criterion),
            value: None,
            threshold: None,
            level: a.level,
            source_zh: GUIDE_ZH,
            source_en: GUIDE_EN,
            confidence: Confidence::Unconfirmed,
            zh: format!(
                "运营者评估“{}”达到{}事件：{}",
                a.criterion.name(Lang::ZhCn),
                a.level.name(Lang::ZhCn),
                a.reason.get(Lang::ZhCn)
            ),
            en: format!(
                "The operator assesses \"{}\" as a {} incident: {}",
                a.criterion.name(Lang::En),
                a.level.name(Lang::En),
                a.reason.get(Lang::En)
            ),
        });
    }
    if inc.outage_minutes.is_some()
        && !inc
            .assessed
            .iter()
            .any(|a| a.criterion == OtherCriterion::SystemOutage)
    {
        notes.push(Note {
            zh: "已记录中断时长，但需求目录未收录中断时长门槛：请按分级指南评估并记录“系统中断运行”判定及理由".into(),
            en: "An outage duration is recorded but the catalog holds no outage threshold: assess the \"system outage\" criterion against the guide and record the level with reasons".into(),
        });
    }
    if decisions.is_empty() {
        notes.push(Note {
            zh: "未记录任何分级要素（个人信息人数、经济损失或评估判定），暂定为一般事件".into(),
            en: "No grading criterion recorded (PI people, economic loss or an assessment); general for now".into(),
        });
    }

    let level = decisions
        .iter()
        .map(|d| d.level)
        .max()
        .unwrap_or(Level::General);
    let confidence = decisions
        .iter()
        .filter(|d| d.level == level)
        .map(|d| d.confidence)
        .max()
        .unwrap_or(Confidence::C2);
    let measures_in_force = in_force(inc.detected_at);
    if !measures_in_force {
        notes.push(Note {
            zh: "发现时间早于2025年11月1日，《网络安全事件报告管理办法》尚未施行，定级仅供参考".into(),
            en: "Detected before 1 Nov 2025, when the Incident Reporting Measures were not yet in force; the grade is for reference only".into(),
        });
    }
    if confidence == Confidence::Unconfirmed {
        notes.push(Note {
            zh: "定级所依据的门槛或判定在需求目录中标为 [UNCONFIRMED]，对外报告前请核对原文".into(),
            en: "The grade rests on a threshold or assessment marked [UNCONFIRMED] in the catalog; check the official text before relying on it".into(),
        });
    }
    Grading {
        level,
        reportable: measures_in_force && level.is_reportable(),
        measures_in_force,
        decisions,
        confidence,
        notes,
    }
}

/// `true` when the Incident Measures are in force at `t` (Beijing date ≥ 2025-11-01).
pub fn in_force(t: Timestamp) -> bool {
    let (y, m, d) = MEASURES_EFFECTIVE;
    Timestamp::beijing_date(y, m, d).is_some_and(|start| t >= start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssessedCriterion, IncidentKind, PiImpact, ReporterType, Text};

    fn inc(people: Option<u64>, loss: Option<u64>) -> Incident {
        let mut i = Incident::new(
            "T",
            Text::zh("测试"),
            IncidentKind::DataLeak,
            ReporterType::Other,
            Timestamp::beijing_date(2026, 3, 1).unwrap_or(Timestamp(0)),
        );
        i.pi = people.map(|people| PiImpact {
            people,
            ..PiImpact::default()
        });
        i.direct_economic_loss_cny = loss;
        i
    }

    #[test]
    fn pi_leak_boundaries_are_inclusive() {
        let cases = [
            (0, Level::General),
            (999_999, Level::General),
            (1_000_000, Level::RelativelyLarge),
            (9_999_999, Level::RelativelyLarge),
            (10_000_000, Level::Major),
            (99_999_999, Level::Major),
            (100_000_000, Level::EspeciallyMajor),
            (u64::MAX, Level::EspeciallyMajor),
        ];
        for (people, want) in cases {
            let g = grade(&inc(Some(people), None));
            assert_eq!(g.level, want, "{people}");
            assert_eq!(g.reportable, want >= Level::RelativelyLarge, "{people}");
            assert_eq!(g.confidence, Confidence::C2);
            assert_eq!(g.decisions.len(), 1);
            assert_eq!(g.decisions[0].source_zh, GUIDE_ZH);
        }
        let g = grade(&inc(Some(1_000_000), None));
        assert_eq!(
            g.decisions[0].zh,
            "个人信息泄露人数为1,000,000人，达到“100万人以上个人信息泄露”（“以上”含本数），定为较大事件"
        );
        assert_eq!(
            g.decisions[0].en,
            "Personal information of 1,000,000 people leaked, at or above the threshold of 1,000,000 people (\"以上\" includes the figure): relatively large incident"
        );
        assert_eq!(g.decisions[0].threshold, Some(1_000_000));
    }

    #[test]
    fn economic_loss_boundaries_and_confidence() {
        let cases = [
            (4_999_999, Level::General, Confidence::Unconfirmed),
            (5_000_000, Level::RelativelyLarge, Confidence::Unconfirmed),
            (19_999_999, Level::RelativelyLarge, Confidence::Unconfirmed),
            (20_000_000, Level::Major, Confidence::Unconfirmed),
            (99_999_999, Level::Major, Confidence::Unconfirmed),
            (100_000_000, Level::EspeciallyMajor, Confidence::C2),
        ];
        for (loss, want, conf) in cases {
            let g = grade(&inc(None, Some(loss)));
            assert_eq!((g.level, g.confidence), (want, conf), "{loss}");
        }
    }

    #[test]
    fn highest_criterion_wins_and_assessments_count() {
        let mut i = inc(Some(1_000_000), Some(20_000_000));
        let g = grade(&i);
        assert_eq!(g.level, Level::Major);
        assert_eq!(g.decisions.len(), 2);
        i.assessed.push(AssessedCriterion {
            criterion: OtherCriterion::NationalSecurityThreat,
            level: Level::EspeciallyMajor,
            reason: Text::zh("涉及重要数据"),
        });
        let g = grade(&i);
        assert_eq!(g.level, Level::EspeciallyMajor);
        assert_eq!(g.confidence, Confidence::Unconfirmed);
    }

    #[test]
    fn before_effective_date_not_reportable() {
        let mut i = inc(Some(5_000_000), None);
        i.detected_at = Timestamp::beijing_date(2025, 11, 1)
            .unwrap_or(Timestamp(0))
            .plus_ms(-1);
        let g = grade(&i);
        assert_eq!(g.level, Level::RelativelyLarge);
        assert!(!g.measures_in_force && !g.reportable);
        i.detected_at = i.detected_at.plus_ms(1);
        assert!(grade(&i).reportable);
    }

    #[test]
    fn outage_without_assessment_is_noted() {
        let mut i = inc(None, None);
        i.outage_minutes = Some(600);
        let g = grade(&i);
        assert_eq!(g.level, Level::General);
        assert!(g.notes.iter().any(|n| n.en.contains("no outage threshold")));
    }
}
