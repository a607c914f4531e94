//! Entity classification (catalog 1.2, SR-DISC-07): the role flags computed from the counts and
//! the data map, and the rules flagging declared roles that contradict them.
//!
//! Comparisons follow catalog 0.2: "以上" includes the number (`>=`), "超过" excludes it (`>`).

use serde::Serialize;
use xiezhi_map::Project;
use xiezhi_map::model::{ImportantDataState, SubjectKind};

use super::{Ctx, Hit, REG_790, Rule, Severity};
use crate::Confidence;
use crate::penalty::GroupId;

/// Art. 28: processors of the PI of 10,000,000 individuals or more (以上, inclusive).
pub const ART28_PI_SUBJECTS: u64 = 10_000_000;
/// Art. 62(8): large platform by registered users (以上, inclusive).
pub const ART62_REGISTERED_USERS: u64 = 50_000_000;
/// Art. 62(8): large platform by monthly active users (以上, inclusive).
pub const ART62_MONTHLY_ACTIVE_USERS: u64 = 10_000_000;
/// PIPO notice: PI of 1,000,000 people or more (以上, inclusive).
pub const PIPO_PI_SUBJECTS: u64 = 1_000_000;
/// Audit Measures: PI of more than 10,000,000 people (超过, exclusive) → audit every 2 years.
pub const AUDIT_BIENNIAL_PI_SUBJECTS: u64 = 10_000_000;

/// Role flags computed from `scale` and the data map (catalog 1.2). A count that is not given
/// never switches a flag on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DerivedRoles {
    /// `pi_10m`: PI of ≥10,000,000 people (art. 28 → arts. 30, 32).
    pub pi_10m: bool,
    /// `pi_over_1m`: PI of ≥1,000,000 people (PIPO designation and filing).
    pub pi_over_1m: bool,
    /// `pi_over_10m_strict`: PI of >10,000,000 people (biennial compliance audit).
    pub pi_over_10m_strict: bool,
    /// Candidate large platform: ≥50,000,000 registered or ≥10,000,000 monthly active users
    /// (the qualitative conditions of art. 62(8) need a person's confirmation).
    pub large_platform_candidate: bool,
    /// Minors' PI: `minor_subjects` > 0 or a dataset of minors or children.
    pub processes_minors_pi: bool,
    /// Children's PI: `under14_subjects` > 0 or a dataset of children under 14.
    pub processes_under14_pi: bool,
    /// A dataset holds data confirmed as important data.
    pub important_data_processor: bool,
    /// The data map lists crawlers.
    pub automated_collector: bool,
    /// The data map lists generative-AI training datasets.
    pub genai_provider: bool,
    /// An activity pushes information by automated decision-making.
    pub automated_push: bool,
    /// A dataset holds a state organ's, CII operator's or public infrastructure's data.
    pub serves_state_organs_or_cii: bool,
}

/// Computes the role flags of catalog 1.2 from the counts and the data map.
pub fn classify(p: &Project) -> DerivedRoles {
    let s = &p.profile.scale;
    let ge = |n: Option<u64>, t: u64| n.is_some_and(|n| n >= t);
    let subjects = |k: &[SubjectKind]| {
        p.each(|m| &m.datasets)
            .any(|(_, d)| d.subjects.iter().any(|s| k.contains(s)))
    };
    DerivedRoles {
        pi_10m: ge(s.pi_subjects, ART28_PI_SUBJECTS),
        pi_over_1m: ge(s.pi_subjects, PIPO_PI_SUBJECTS),
        pi_over_10m_strict: s
            .pi_subjects
            .is_some_and(|n| n > AUDIT_BIENNIAL_PI_SUBJECTS),
        large_platform_candidate: ge(s.registered_users, ART62_REGISTERED_USERS)
            || ge(s.monthly_active_users, ART62_MONTHLY_ACTIVE_USERS),
        processes_minors_pi: s.minor_subjects.is_some_and(|n| n > 0)
            || s.under14_subjects.is_some_and(|n| n > 0)
            || subjects(&[SubjectKind::Minors, SubjectKind::ChildrenUnder14]),
        processes_under14_pi: s.under14_subjects.is_some_and(|n| n > 0)
            || subjects(&[SubjectKind::ChildrenUnder14]),
        important_data_processor: p.each(|m| &m.datasets).any(|(_, d)| {
            d.important_data
                .as_ref()
                .is_some_and(|i| i.state == ImportantDataState::Confirmed)
        }),
        automated_collector: p.each(|m| &m.crawlers).next().is_some(),
        genai_provider: p.each(|m| &m.training_datasets).next().is_some(),
        automated_push: p.each(|m| &m.activities).any(|(_, a)| a.push),
        serves_state_organs_or_cii: p.each(|m| &m.datasets).any(|(_, d)| d.principal.is_some()),
    }
}

/// Whether the organisation counts as an important-data processor (declared or derived).
pub(super) fn important_data_processor(p: &Project) -> bool {
    p.profile.roles.important_data_processor || classify(p).important_data_processor
}

/// Whether the organisation is a large platform: declared (the counts alone make a candidate
/// that a person confirms, catalog 1.1; `NDSR-62-large-platform` flags the mismatch).
pub(super) fn large_platform(p: &Project) -> bool {
    p.profile.roles.large_platform
}

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-62-large-platform",
        sr: "SR-DISC-07",
        articles: &["Reg. 62(8)", "Reg. 44-46"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "用户规模与声明的大型网络平台身份不一致",
        title_en: "User counts contradict the declared large-platform role (art. 62(8))",
        confidence: Confidence::C2,
        group: "entity",
        check: check_large_platform,
    },
    Rule {
        id: "NDSR-2-role-flags",
        sr: "SR-DISC-07",
        articles: &[
            "Reg. 2", "Reg. 16", "Reg. 18", "Reg. 19", "Reg. 29", "Reg. 42", "PIPL 28", "PIPL 31",
        ],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg58,
        severity: Severity::Medium,
        title_zh: "声明的角色与数据地图中的事实不一致",
        title_en: "A declared role flag contradicts the facts in the data map",
        confidence: Confidence::C2,
        group: "entity",
        check: check_role_flags,
    },
];

fn check_large_platform(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    let s = &p.profile.scale;
    let derived = classify(p).large_platform_candidate;
    let declared = p.profile.roles.large_platform;
    if derived && !declared {
        return vec![Hit::profile(c.p, "roles.large_platform", 
            "用户规模达到第六十二条第八项的大型网络平台标准（注册用户5000万以上或月活1000万以上），但 roles.large_platform 为 false；请确认业务类型与影响条件".to_string(),
            "user counts meet art. 62(8) (50,000,000+ registered or 10,000,000+ monthly active users) but roles.large_platform is false; confirm the qualitative conditions".to_string(),
        )];
    }
    let both_known_below = matches!(
        (s.registered_users, s.monthly_active_users),
        (Some(r), Some(m)) if r < ART62_REGISTERED_USERS && m < ART62_MONTHLY_ACTIVE_USERS
    );
    if declared && both_known_below {
        return vec![Hit::profile(c.p, "roles.large_platform", 
            "roles.large_platform 为 true，但注册用户不足5000万且月活不足1000万（第六十二条第八项的数量条件未满足）".to_string(),
            "roles.large_platform is true but registered users are below 50,000,000 and monthly active users below 10,000,000 (art. 62(8) counts not met)".to_string(),
        )];
    }
    Vec::new()
}

fn check_role_flags(c: &Ctx<'_>) -> Vec<Hit> {
    let d = classify(c.p);
    let r = &c.p.profile.roles;
    let pairs: [(bool, bool, &str, &str, &str); 7] = [
        (
            d.processes_minors_pi,
            r.processes_minors_pi,
            "processes_minors_pi",
            "数据地图或 scale 显示处理未成年人个人信息",
            "the data map or scale shows minors' PI",
        ),
        (
            d.processes_under14_pi,
            r.processes_under14_pi,
            "processes_under14_pi",
            "数据地图或 scale 显示处理不满十四周岁儿童个人信息",
            "the data map or scale shows PI of children under 14",
        ),
        (
            d.important_data_processor,
            r.important_data_processor,
            "important_data_processor",
            "有数据集的重要数据状态为 confirmed",
            "a dataset holds data confirmed as important data",
        ),
        (
            d.automated_collector,
            r.automated_collector,
            "automated_collector",
            "数据地图登记了爬虫",
            "the data map lists crawlers",
        ),
        (
            d.genai_provider,
            r.genai_provider,
            "genai_provider",
            "数据地图登记了生成式人工智能训练数据",
            "the data map lists generative-AI training datasets",
        ),
        (
            d.automated_push,
            r.automated_push,
            "automated_push",
            "有处理活动进行自动化推送",
            "an activity pushes information automatically",
        ),
        (
            d.serves_state_organs_or_cii,
            r.serves_state_organs_or_cii,
            "serves_state_organs_or_cii",
            "有数据集属于国家机关、关键信息基础设施运营者或公共基础设施（principal）",
            "a dataset belongs to a state organ, CII operator or public infrastructure (principal)",
        ),
    ];
    pairs
        .iter()
        .filter(|(derived, declared, ..)| *derived && !*declared)
        .map(|(_, _, flag, zh, en)| {
            Hit::profile(
                c.p,
                &format!("roles.{flag}"),
                format!("{zh}，但 roles.{flag} 为 false"),
                format!("{en} but roles.{flag} is false"),
            )
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn thresholds_inclusive_and_exclusive() {
        let mut p = clean();
        p.profile.scale.pi_subjects = Some(9_999_999);
        let d = classify(&p);
        assert!(!d.pi_10m && d.pi_over_1m && !d.pi_over_10m_strict);
        p.profile.scale.pi_subjects = Some(10_000_000);
        let d = classify(&p);
        assert!(d.pi_10m && !d.pi_over_10m_strict);
        p.profile.scale.pi_subjects = Some(10_000_001);
        assert!(classify(&p).pi_over_10m_strict);
        p.profile.scale.pi_subjects = Some(999_999);
        assert!(!classify(&p).pi_over_1m);
        p.profile.scale.pi_subjects = Some(1_000_000);
        assert!(classify(&p).pi_over_1m);
        p.profile.scale.pi_subjects = None;
        assert!(!classify(&p).pi_over_1m);
    }

    #[test]
    fn art62_boundaries() {
        let mut p = clean();
        let rule = "NDSR-62-large-platform";
        p.profile.roles.large_platform = false;
        p.profile.scale.registered_users = Some(49_999_999);
        p.profile.scale.monthly_active_users = Some(9_999_999);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.scale.registered_users = Some(50_000_000);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        p.profile.scale.registered_users = Some(1);
        p.profile.scale.monthly_active_users = Some(10_000_000);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        // Declared a large platform while both counts are below: contradiction.
        p.profile.roles.large_platform = true;
        p.profile.scale.monthly_active_users = Some(9_999_999);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        p.profile.scale.monthly_active_users = None;
        assert_eq!(hits(&p, rule, AS_OF), 0);
        assert_eq!(hits(&p, rule, "2024-12-31"), 0);
    }

    #[test]
    fn declared_roles_must_match_the_map() {
        let rule = "NDSR-2-role-flags";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.roles.processes_under14_pi = false;
        p.profile.scale.under14_subjects = Some(0);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        p.profile.scale.under14_subjects = Some(1);
        // under-14 → also minors (declared true in the example): one hit.
        assert_eq!(hits(&p, rule, AS_OF), 1);
        let mut p = clean();
        p.profile.roles.automated_collector = false;
        p.profile.roles.genai_provider = false;
        assert_eq!(hits(&p, rule, AS_OF), 2);
        let mut p = clean();
        p.profile.roles.important_data_processor = false;
        assert_eq!(hits(&p, rule, AS_OF), 1);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if let Some(i) = &mut d.important_data {
                    i.state = ImportantDataState::Declared;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }
}
