//! Penalty groups of the requirements catalog, section 3, as data, and the exposure of a group.
//!
//! The Regulation names the articles of its own groups 55–57; for every other article it points
//! to the CSL, DSL or PIPL (art. 58). Mapping a Regulation article to a particular law article
//! (e.g. Reg. 21 → PIPL 66) is **our interpretation** for exposure estimates; groups reached
//! that way say so in [`PenaltyGroup::interpretation`].

use crate::{Confidence, Lang, group_digits};
use serde::Serialize;

/// Identifier of a penalty group (catalog section 3, one row each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupId {
    /// Regulation art. 55.
    Reg55,
    /// Regulation art. 56.
    Reg56,
    /// Regulation art. 57.
    Reg57,
    /// Regulation art. 58 (penalties under CSL / DSL / PIPL).
    Reg58,
    /// PIPL art. 66.
    Pipl66,
    /// DSL art. 45.
    Dsl45,
    /// DSL art. 46.
    Dsl46,
    /// CSL (2016 numbering) art. 64.
    Csl64,
    /// Algorithm Recommendation Provisions art. 31.
    Algo31,
    /// Regulation on Minors' Online Protection arts. 54–56.
    Minors54To56,
}

impl GroupId {
    /// Every group, in catalog order.
    pub const ALL: [GroupId; 10] = [
        GroupId::Reg55,
        GroupId::Reg56,
        GroupId::Reg57,
        GroupId::Reg58,
        GroupId::Pipl66,
        GroupId::Dsl45,
        GroupId::Dsl46,
        GroupId::Csl64,
        GroupId::Algo31,
        GroupId::Minors54To56,
    ];

    /// Stable id, e.g. `reg-55`, `pipl-66`.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupId::Reg55 => "reg-55",
            GroupId::Reg56 => "reg-56",
            GroupId::Reg57 => "reg-57",
            GroupId::Reg58 => "reg-58",
            GroupId::Pipl66 => "pipl-66",
            GroupId::Dsl45 => "dsl-45",
            GroupId::Dsl46 => "dsl-46",
            GroupId::Csl64 => "csl-64",
            GroupId::Algo31 => "algo-31",
            GroupId::Minors54To56 => "minors-54-56",
        }
    }

    /// The group's data.
    pub fn group(self) -> &'static PenaltyGroup {
        group(self)
    }
}

/// A fine range in yuan; `min` is 0 where the text only gives an upper bound ("≤").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FineRange {
    /// Lower bound in yuan.
    pub min: u64,
    /// Upper bound in yuan.
    pub max: u64,
}

const fn r(min: u64, max: u64) -> Option<FineRange> {
    Some(FineRange { min, max })
}

impl FineRange {
    /// `¥10,000–100,000` or `≤ ¥1,000,000`.
    pub fn text(self) -> String {
        if self.min == 0 {
            format!("≤ ¥{}", group_digits(self.max))
        } else {
            format!("¥{}–{}", group_digits(self.min), group_digits(self.max))
        }
    }
}

/// Measures other than fines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Order to correct (责令改正).
    OrderToCorrect,
    /// Warning (警告).
    Warning,
    /// Confiscation of illegal gains (没收违法所得).
    Confiscation,
    /// Public criticism (通报批评).
    PublicCriticism,
    /// Suspend or terminate the offending application (暂停或者终止提供服务).
    SuspendApp,
    /// Suspension of related business / rectification (暂停相关业务、停业整顿).
    SuspendBusiness,
    /// Suspension of information updates (暂停信息更新).
    SuspendInformationUpdates,
    /// Website closure (关闭网站).
    CloseWebsite,
    /// Revocation of the business permit or licence, or referral for it (吊销相关业务许可证或者营业执照).
    RevokeLicence,
    /// Ban of responsible persons from director/supervisor/senior-manager/PIPO posts (禁止担任职务).
    BanFromPosts,
    /// Fine of 1–10 times the illegal gains (违法所得一倍以上十倍以下罚款).
    GainsMultiple,
}

impl Measure {
    /// Description in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Measure::OrderToCorrect, Lang::ZhCn) => "责令改正",
            (Measure::OrderToCorrect, Lang::En) => "order to correct",
            (Measure::Warning, Lang::ZhCn) => "警告",
            (Measure::Warning, Lang::En) => "warning",
            (Measure::Confiscation, Lang::ZhCn) => "没收违法所得",
            (Measure::Confiscation, Lang::En) => "confiscation of illegal gains",
            (Measure::PublicCriticism, Lang::ZhCn) => "通报批评",
            (Measure::PublicCriticism, Lang::En) => "public criticism",
            (Measure::SuspendApp, Lang::ZhCn) => "暂停或者终止提供服务（应用程序）",
            (Measure::SuspendApp, Lang::En) => "suspend or terminate the offending app",
            (Measure::SuspendBusiness, Lang::ZhCn) => "暂停相关业务、停业整顿",
            (Measure::SuspendBusiness, Lang::En) => "suspend business / order rectification",
            (Measure::SuspendInformationUpdates, Lang::ZhCn) => "暂停信息更新",
            (Measure::SuspendInformationUpdates, Lang::En) => "suspend information updates",
            (Measure::CloseWebsite, Lang::ZhCn) => "关闭网站",
            (Measure::CloseWebsite, Lang::En) => "close website",
            (Measure::RevokeLicence, Lang::ZhCn) => "吊销相关业务许可证或者营业执照",
            (Measure::RevokeLicence, Lang::En) => "revoke business permit or licence",
            (Measure::BanFromPosts, Lang::ZhCn) => {
                "一定期限内禁止担任董事、监事、高级管理人员和个人信息保护负责人"
            }
            (Measure::BanFromPosts, Lang::En) => {
                "ban from director, supervisor, senior-manager and PIPO posts for a period"
            }
            (Measure::GainsMultiple, Lang::ZhCn) => "违法所得一倍以上十倍以下罚款",
            (Measure::GainsMultiple, Lang::En) => "fine of 1–10× illegal gains",
        }
    }
}

/// One tier of a group (base, upper, or a further aggravated tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tier {
    /// When this tier applies, zh-CN.
    pub when_zh: &'static str,
    /// When this tier applies, en.
    pub when_en: &'static str,
    /// Fine on the entity (the processor), if the tier has one.
    pub entity: Option<FineRange>,
    /// Fine on directly responsible persons, if the tier has one.
    pub persons: Option<FineRange>,
    /// Other measures.
    pub measures: &'static [Measure],
    /// Confidence mark of this tier.
    pub confidence: Confidence,
}

/// The PIPL 66 style cap: a fixed amount or a share of previous-year turnover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TurnoverCap {
    /// Fixed cap in yuan (50,000,000).
    pub fixed_max: u64,
    /// Percent of the previous year's turnover (5).
    pub percent: u64,
}

/// One penalty group (a row of catalog section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PenaltyGroup {
    /// Group id.
    pub id: GroupId,
    /// The provision imposing the penalty, zh-CN.
    pub provision_zh: &'static str,
    /// The provision imposing the penalty, en.
    pub provision_en: &'static str,
    /// Articles whose violation falls into this group, zh-CN.
    pub articles_zh: &'static str,
    /// Articles whose violation falls into this group, en.
    pub articles_en: &'static str,
    /// Tiers, mildest first.
    pub tiers: &'static [Tier],
    /// Turnover-based cap on the entity fine (PIPL 66 serious tier, Minors Reg. 54).
    pub turnover_cap: Option<TurnoverCap>,
    /// The mapping of Regulation articles to this group is our interpretation (via art. 58).
    pub interpretation: bool,
    /// Note shown with the group, zh-CN.
    pub note_zh: &'static str,
    /// Note shown with the group, en.
    pub note_en: &'static str,
}

impl PenaltyGroup {
    /// Weakest confidence mark among the tiers.
    pub fn confidence(&self) -> Confidence {
        self.tiers
            .iter()
            .fold(Confidence::C2, |c, t| c.weakest(t.confidence))
    }

    /// Provision name in `lang`.
    pub fn provision(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.provision_zh,
            Lang::En => self.provision_en,
        }
    }

    /// Covered articles in `lang`.
    pub fn articles(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.articles_zh,
            Lang::En => self.articles_en,
        }
    }
}

use Measure::*;

static GROUPS: [PenaltyGroup; 10] = [
    PenaltyGroup {
        id: GroupId::Reg55,
        provision_zh: "《网络数据安全管理条例》第五十五条",
        provision_en: "Regulation art. 55",
        articles_zh: "第十二条、第十六条至第二十条、第二十二条、第四十条第一款和第二款、第四十一条、第四十二条",
        articles_en: "arts. 12, 16–20, 22, 40 paras 1–2, 41, 42",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: None,
                persons: None,
                measures: &[OrderToCorrect, Warning, Confiscation],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "拒不改正或者情节严重",
                when_en: "refuses to correct or serious",
                entity: r(0, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::C2,
            },
        ],
        turnover_cap: None,
        interpretation: false,
        note_zh: "",
        note_en: "",
    },
    PenaltyGroup {
        id: GroupId::Reg56,
        provision_zh: "《网络数据安全管理条例》第五十六条",
        provision_en: "Regulation art. 56",
        articles_zh: "第十三条",
        articles_en: "art. 13",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: r(100_000, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning],
                confidence: Confidence::Off1,
            },
            Tier {
                when_zh: "拒不改正或者情节严重",
                when_en: "refuses to correct or serious",
                entity: r(1_000_000, 10_000_000),
                persons: r(100_000, 1_000_000),
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: None,
        interpretation: false,
        note_zh: "金额仅有官方文本副本一个来源（目录第7节第4点）",
        note_en: "amounts from the official-text copy only (catalog section 7, point 4)",
    },
    PenaltyGroup {
        id: GroupId::Reg57,
        provision_zh: "《网络数据安全管理条例》第五十七条",
        provision_en: "Regulation art. 57",
        articles_zh: "第二十九条第二款、第三十条第二款和第三款、第三十一条、第三十二条",
        articles_en: "art. 29 para 2, art. 30 paras 2–3, arts. 31, 32",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: r(50_000, 500_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "拒不改正或者造成大量数据泄露等严重后果",
                when_en: "refuses, or serious consequences such as large-scale data leakage",
                entity: r(500_000, 2_000_000),
                persons: r(50_000, 200_000),
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: None,
        interpretation: false,
        note_zh: "",
        note_en: "",
    },
    PenaltyGroup {
        id: GroupId::Reg58,
        provision_zh: "《网络数据安全管理条例》第五十八条",
        provision_en: "Regulation art. 58",
        articles_zh: "其他条款",
        articles_en: "all other articles",
        tiers: &[Tier {
            when_zh: "依照网络安全法、数据安全法、个人信息保护法处罚",
            when_en: "penalties under the CSL, DSL or PIPL",
            entity: None,
            persons: None,
            measures: &[],
            confidence: Confidence::C2,
        }],
        turnover_cap: None,
        interpretation: false,
        note_zh: "金额取决于所适用的法律条款（如个人信息保护法第六十六条、数据安全法第四十五条）",
        note_en: "amounts depend on the law article applied (e.g. PIPL 66, DSL 45)",
    },
    PenaltyGroup {
        id: GroupId::Pipl66,
        provision_zh: "《个人信息保护法》第六十六条",
        provision_en: "PIPL art. 66",
        articles_zh: "个人信息保护义务（经条例第五十八条：第二十一条、第二十三条至第二十七条、第三十五条、第四十四条至第四十六条）",
        articles_en: "PI duties (via Reg. art. 58: arts. 21, 23–27, 35, 44–46)",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: None,
                persons: None,
                measures: &[OrderToCorrect, Warning, Confiscation, SuspendApp],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "拒不改正",
                when_en: "refuses to correct",
                entity: r(0, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "情节严重（省级以上履行个人信息保护职责的部门）",
                when_en: "serious (provincial-level authority)",
                entity: r(0, 50_000_000),
                persons: r(100_000, 1_000_000),
                measures: &[SuspendBusiness, RevokeLicence, BanFromPosts],
                confidence: Confidence::C2,
            },
        ],
        turnover_cap: Some(TurnoverCap {
            fixed_max: 50_000_000,
            percent: 5,
        }),
        interpretation: true,
        note_zh: "情节严重的，处五千万元以下或者上一年度营业额百分之五以下罚款",
        note_en: "serious cases: up to ¥50,000,000 or up to 5% of the previous year's turnover",
    },
    PenaltyGroup {
        id: GroupId::Dsl45,
        provision_zh: "《数据安全法》第四十五条",
        provision_en: "DSL art. 45",
        articles_zh: "数据安全保护义务（经条例第五十八条：第九条、第十一条、第三十三条；数据安全法第二十七条、第二十九条、第三十条）",
        articles_en: "data security duties (via Reg. art. 58: arts. 9, 11, 33; DSL 27, 29, 30)",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: r(50_000, 500_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "拒不改正或者造成大量数据泄露等严重后果",
                when_en: "refuses or large-scale leakage",
                entity: r(500_000, 2_000_000),
                persons: r(50_000, 200_000),
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::C2,
            },
            Tier {
                when_zh: "违反国家核心数据管理制度，危害国家主权、安全和发展利益",
                when_en: "core-data violations harming national sovereignty, security or development interests",
                entity: r(2_000_000, 10_000_000),
                persons: None,
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::C2,
            },
        ],
        turnover_cap: None,
        interpretation: true,
        note_zh: "",
        note_en: "",
    },
    PenaltyGroup {
        id: GroupId::Dsl46,
        provision_zh: "《数据安全法》第四十六条",
        provision_en: "DSL art. 46",
        articles_zh: "违法向境外提供重要数据（条例第三十七条、第三十八条）",
        articles_en: "important data sent abroad unlawfully (Reg. arts. 37–38)",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: r(100_000, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning],
                confidence: Confidence::Off1,
            },
            Tier {
                when_zh: "情节严重",
                when_en: "serious",
                entity: r(1_000_000, 10_000_000),
                persons: r(100_000, 1_000_000),
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: None,
        interpretation: true,
        note_zh: "",
        note_en: "",
    },
    PenaltyGroup {
        id: GroupId::Csl64,
        provision_zh: "《网络安全法》（2016年版）第六十四条",
        provision_en: "CSL (2016) art. 64",
        articles_zh: "网络安全法第二十二条第三款、第四十一条至第四十三条",
        articles_en: "CSL 22(3), 41–43",
        tiers: &[
            Tier {
                when_zh: "一般情形（无违法所得的，处一百万元以下罚款）",
                when_en: "base (fine up to ¥1,000,000 where there are no illegal gains)",
                entity: r(0, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning, Confiscation, GainsMultiple],
                confidence: Confidence::Off1,
            },
            Tier {
                when_zh: "情节严重",
                when_en: "serious",
                entity: None,
                persons: None,
                measures: &[SuspendBusiness, CloseWebsite, RevokeLicence],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: None,
        interpretation: true,
        note_zh: "已被2025年10月28日修正决定（2026年1月1日施行）部分取代，新金额未取得 [UNCONFIRMED]",
        note_en: "superseded in part by the 28 Oct 2025 amendment (in force 1 Jan 2026); new amounts not retrieved [UNCONFIRMED]",
    },
    PenaltyGroup {
        id: GroupId::Algo31,
        provision_zh: "《互联网信息服务算法推荐管理规定》第三十一条",
        provision_en: "Algorithm Recommendation Provisions art. 31",
        articles_zh: "如第十七条（关闭算法推荐、用户标签）",
        articles_en: "e.g. art. 17 (recommendation off, tags)",
        tiers: &[
            Tier {
                when_zh: "一般情形",
                when_en: "base",
                entity: None,
                persons: None,
                measures: &[Warning, PublicCriticism, OrderToCorrect],
                confidence: Confidence::Off1,
            },
            Tier {
                when_zh: "拒不改正或者情节严重",
                when_en: "refuses or serious",
                entity: r(10_000, 100_000),
                persons: None,
                measures: &[SuspendInformationUpdates],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: None,
        interpretation: true,
        note_zh: "",
        note_en: "",
    },
    PenaltyGroup {
        id: GroupId::Minors54To56,
        provision_zh: "《未成年人网络保护条例》第五十四条至第五十六条",
        provision_en: "Minors Regulation arts. 54–56",
        articles_zh: "未成年人网络保护义务（如第二十条平台义务、第三十六条访问控制）",
        articles_en: "minors-protection duties (e.g. art. 20 platform duties, art. 36 access control)",
        tiers: &[
            Tier {
                when_zh: "第五十六条：违法所得一百万元以上的处一倍以上十倍以下罚款，否则处十万元以上一百万元以下",
                when_en: "art. 56: 1–10× gains if gains ≥ ¥1,000,000, else ¥100,000–1,000,000",
                entity: r(100_000, 1_000_000),
                persons: r(10_000, 100_000),
                measures: &[OrderToCorrect, Warning, Confiscation, GainsMultiple],
                confidence: Confidence::Off1,
            },
            Tier {
                when_zh: "第五十四条第二款：情节严重（第二十条第一项、第五项）",
                when_en: "art. 54 para 2: serious (art. 20(1)/(5))",
                entity: r(0, 50_000_000),
                persons: None,
                measures: &[SuspendBusiness, RevokeLicence],
                confidence: Confidence::Off1,
            },
        ],
        turnover_cap: Some(TurnoverCap {
            fixed_max: 50_000_000,
            percent: 5,
        }),
        interpretation: true,
        note_zh: "",
        note_en: "",
    },
];

/// The data of one group.
pub fn group(id: GroupId) -> &'static PenaltyGroup {
    match id {
        GroupId::Reg55 => &GROUPS[0],
        GroupId::Reg56 => &GROUPS[1],
        GroupId::Reg57 => &GROUPS[2],
        GroupId::Reg58 => &GROUPS[3],
        GroupId::Pipl66 => &GROUPS[4],
        GroupId::Dsl45 => &GROUPS[5],
        GroupId::Dsl46 => &GROUPS[6],
        GroupId::Csl64 => &GROUPS[7],
        GroupId::Algo31 => &GROUPS[8],
        GroupId::Minors54To56 => &GROUPS[9],
    }
}

/// Every group in catalog order.
pub fn groups() -> &'static [PenaltyGroup] {
    &GROUPS
}

/// Exposure of one penalty group: the overall fine ranges across its tiers and, where the group
/// has a turnover cap and the revenue is known, that cap in yuan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    /// The group.
    pub group: GroupId,
    /// Lowest and highest fixed-amount entity fine across the tiers (None if the group has no
    /// fixed-amount fine on the entity).
    pub entity: Option<FineRange>,
    /// Lowest and highest fine on responsible persons across the tiers.
    pub persons: Option<FineRange>,
    /// 5% of `annual_revenue` where the group has a turnover cap and revenue was given.
    pub turnover_cap_yuan: Option<u64>,
    /// The highest entity fine the text allows: the larger of the fixed maximum and the
    /// turnover cap. Reading "¥50M or 5% of turnover" as "whichever is higher" is our
    /// interpretation.
    pub entity_max_with_cap: Option<u64>,
    /// Every non-fine measure, without duplicates.
    pub measures: Vec<Measure>,
    /// Weakest confidence mark of the group.
    pub confidence: Confidence,
    /// The article mapping is our interpretation (via Reg. art. 58).
    pub interpretation: bool,
    /// Reg. art. 59 grounds for a lighter, reduced or no penalty that the organisation recorded
    /// (empty from [`exposure`]; the rule checks fill it from the profile).
    pub mitigation: Vec<Mitigation>,
}

/// Exposure of `group`; `annual_revenue` is the previous year's turnover in yuan.
pub fn exposure(group_id: GroupId, annual_revenue: Option<u64>) -> Exposure {
    let g = group(group_id);
    let span = |f: fn(&Tier) -> Option<FineRange>| {
        g.tiers
            .iter()
            .filter_map(f)
            .fold(None, |acc: Option<FineRange>, x| {
                Some(match acc {
                    None => x,
                    Some(a) => FineRange {
                        min: a.min.min(x.min),
                        max: a.max.max(x.max),
                    },
                })
            })
    };
    let entity = span(|t| t.entity);
    let persons = span(|t| t.persons);
    let turnover_cap_yuan = match (g.turnover_cap, annual_revenue) {
        (Some(cap), Some(rev)) => Some((u128::from(rev) * u128::from(cap.percent) / 100) as u64),
        _ => None,
    };
    let entity_max_with_cap = match (entity, turnover_cap_yuan) {
        (Some(e), Some(c)) => Some(e.max.max(c)),
        (Some(e), None) => Some(e.max),
        (None, c) => c,
    };
    let mut measures = Vec::new();
    for m in g.tiers.iter().flat_map(|t| t.measures.iter()) {
        if !measures.contains(m) {
            measures.push(*m);
        }
    }
    Exposure {
        group: group_id,
        entity,
        persons,
        turnover_cap_yuan,
        entity_max_with_cap,
        measures,
        confidence: g.confidence(),
        interpretation: g.interpretation,
        mitigation: Vec::new(),
    }
}

impl Exposure {
    /// One-paragraph description in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let g = group(self.group);
        let mut out = String::new();
        let zh = lang == Lang::ZhCn;
        out.push_str(g.provision(lang));
        out.push_str(if zh {
            "（适用于："
        } else {
            " (applies to: "
        });
        out.push_str(g.articles(lang));
        out.push_str(if zh { "）" } else { ")" });
        for t in g.tiers {
            out.push_str(if zh { "；" } else { "; " });
            out.push_str(if zh { t.when_zh } else { t.when_en });
            out.push_str(if zh { "：" } else { ": " });
            let mut parts: Vec<String> = Vec::new();
            if let Some(e) = t.entity {
                parts.push(if zh {
                    format!("单位罚款 {}", e.text())
                } else {
                    format!("entity fine {}", e.text())
                });
            }
            if let Some(p) = t.persons {
                parts.push(if zh {
                    format!("直接负责人员罚款 {}", p.text())
                } else {
                    format!("responsible persons {}", p.text())
                });
            }
            parts.extend(t.measures.iter().map(|m| m.text(lang).to_string()));
            out.push_str(&parts.join(if zh { "、" } else { ", " }));
            out.push(' ');
            out.push_str(t.confidence.mark());
        }
        if let Some(cap) = self.turnover_cap_yuan {
            out.push_str(&if zh {
                format!("；上一年度营业额5%为 ¥{}", group_digits(cap))
            } else {
                format!("; 5% of previous-year turnover is ¥{}", group_digits(cap))
            });
        }
        let note = if zh { g.note_zh } else { g.note_en };
        if !note.is_empty() {
            out.push_str(if zh { "。注：" } else { ". Note: " });
            out.push_str(note);
        }
        if self.interpretation {
            out.push_str(if zh {
                "。条款对应关系为本项目的解释（条例第五十八条）"
            } else {
                ". The article mapping is our interpretation (Reg. art. 58)"
            });
        }
        if !self.mitigation.is_empty() {
            let grounds: Vec<&str> = self.mitigation.iter().map(|m| m.text(lang)).collect();
            out.push_str(if zh {
                "。已记录"
            } else {
                ". Recorded under "
            });
            out.push_str(Mitigation::provision(lang));
            out.push_str(if zh { "的情形：" } else { ": " });
            out.push_str(&grounds.join(if zh { "；" } else { "; " }));
        }
        out
    }
}

/// The penalty groups a violation of Regulation article `article` (paragraph `paragraph`, if
/// known) falls into, per catalog section 3. Groups 55–57 are named by the Regulation; the
/// PIPL 66 / DSL 45 / DSL 46 mappings are our interpretation via art. 58 (see
/// [`PenaltyGroup::interpretation`]). Where only some paragraphs of an article belong to a
/// group (arts. 29, 30, 40) and `paragraph` is `None`, both candidates are returned, the more
/// specific one first. Every other article maps to [`GroupId::Reg58`].
pub fn groups_for_article(article: u32, paragraph: Option<u32>) -> Vec<GroupId> {
    let split = |in_group: &[u32], g: GroupId| match paragraph {
        Some(p) if in_group.contains(&p) => vec![g],
        Some(_) => vec![GroupId::Reg58],
        None => vec![g, GroupId::Reg58],
    };
    match article {
        12 | 16..=20 | 22 | 41 | 42 => vec![GroupId::Reg55],
        40 => split(&[1, 2], GroupId::Reg55),
        13 => vec![GroupId::Reg56],
        29 => split(&[2], GroupId::Reg57),
        30 => split(&[2, 3], GroupId::Reg57),
        31 | 32 => vec![GroupId::Reg57],
        21 | 23..=27 | 35 | 44..=46 => vec![GroupId::Pipl66],
        9 | 11 | 33 => vec![GroupId::Dsl45],
        37 | 38 => vec![GroupId::Dsl46],
        _ => vec![GroupId::Reg58],
    }
}

/// Grounds for a lighter, reduced or no penalty (Regulation art. 59, per the Administrative
/// Penalty Law) [C2].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mitigation {
    /// Actively eliminated or reduced the harmful consequences.
    EliminatedHarm,
    /// Minor violation, promptly corrected, no harmful consequences.
    MinorCorrectedNoHarm,
    /// First violation, minor harm, promptly corrected.
    FirstMinorCorrected,
}

impl Mitigation {
    /// Every ground, in the article's order.
    pub const ALL: [Mitigation; 3] = [
        Mitigation::EliminatedHarm,
        Mitigation::MinorCorrectedNoHarm,
        Mitigation::FirstMinorCorrected,
    ];

    /// Description in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Mitigation::EliminatedHarm, Lang::ZhCn) => {
                "主动消除或者减轻危害后果（可从轻或者减轻处罚）"
            }
            (Mitigation::EliminatedHarm, Lang::En) => {
                "actively eliminated or reduced the harm (lighter or reduced penalty)"
            }
            (Mitigation::MinorCorrectedNoHarm, Lang::ZhCn) => {
                "违法行为轻微并及时改正，没有造成危害后果（不予处罚）"
            }
            (Mitigation::MinorCorrectedNoHarm, Lang::En) => {
                "minor violation promptly corrected without harm (no penalty)"
            }
            (Mitigation::FirstMinorCorrected, Lang::ZhCn) => {
                "初次违法且危害后果轻微并及时改正（可以不予处罚）"
            }
            (Mitigation::FirstMinorCorrected, Lang::En) => {
                "first violation, minor harm, promptly corrected (may go unpunished)"
            }
        }
    }

    /// The provision, in `lang`.
    pub fn provision(lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => "《网络数据安全管理条例》第五十九条",
            Lang::En => "Regulation art. 59",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_map_to_their_rows() {
        for id in GroupId::ALL {
            assert_eq!(group(id).id, id);
        }
        assert_eq!(groups().len(), GroupId::ALL.len());
    }

    #[test]
    fn reg55_fixture() {
        let e = exposure(GroupId::Reg55, None);
        assert_eq!(e.entity, r(0, 1_000_000));
        assert_eq!(e.persons, r(10_000, 100_000));
        assert!(e.measures.contains(&Measure::RevokeLicence));
        assert_eq!(e.confidence, Confidence::C2);
        assert_eq!(e.turnover_cap_yuan, None);
    }

    #[test]
    fn reg56_and_57_fixtures() {
        let g = group(GroupId::Reg56);
        assert_eq!(g.tiers[0].entity, r(100_000, 1_000_000));
        assert_eq!(g.tiers[1].entity, r(1_000_000, 10_000_000));
        assert_eq!(g.tiers[0].persons, r(10_000, 100_000));
        assert_eq!(g.tiers[1].persons, r(100_000, 1_000_000));
        assert_eq!(g.confidence(), Confidence::Off1);
        let g = group(GroupId::Reg57);
        assert_eq!(g.tiers[0].entity, r(50_000, 500_000));
        assert_eq!(g.tiers[1].entity, r(500_000, 2_000_000));
        assert_eq!(g.tiers[1].persons, r(50_000, 200_000));
        assert_eq!(g.tiers[0].confidence, Confidence::C2);
        assert_eq!(g.tiers[1].confidence, Confidence::Off1);
        assert_eq!(exposure(GroupId::Reg57, None).confidence, Confidence::Off1);
    }

    #[test]
    fn pipl66_turnover_cap() {
        let e = exposure(GroupId::Pipl66, None);
        assert_eq!(e.entity, r(0, 50_000_000));
        assert_eq!(e.turnover_cap_yuan, None);
        assert_eq!(e.entity_max_with_cap, Some(50_000_000));
        // 5% of 2 billion = 100 million > 50 million.
        let e = exposure(GroupId::Pipl66, Some(2_000_000_000));
        assert_eq!(e.turnover_cap_yuan, Some(100_000_000));
        assert_eq!(e.entity_max_with_cap, Some(100_000_000));
        // Small revenue: the fixed cap stays the maximum.
        let e = exposure(GroupId::Pipl66, Some(10_000_000));
        assert_eq!(e.turnover_cap_yuan, Some(500_000));
        assert_eq!(e.entity_max_with_cap, Some(50_000_000));
        assert!(e.interpretation);
        // Revenue near u64::MAX does not overflow.
        assert!(
            exposure(GroupId::Pipl66, Some(u64::MAX))
                .turnover_cap_yuan
                .is_some()
        );
    }

    #[test]
    fn no_turnover_cap_where_not_applicable() {
        let e = exposure(GroupId::Reg55, Some(2_000_000_000));
        assert_eq!(e.turnover_cap_yuan, None);
        assert_eq!(e.entity_max_with_cap, Some(1_000_000));
    }

    #[test]
    fn reg58_has_no_own_amounts() {
        let e = exposure(GroupId::Reg58, None);
        assert_eq!(e.entity, None);
        assert_eq!(e.entity_max_with_cap, None);
    }

    #[test]
    fn dsl45_core_data_tier() {
        let e = exposure(GroupId::Dsl45, None);
        assert_eq!(e.entity, r(50_000, 10_000_000));
        assert_eq!(e.persons, r(10_000, 200_000));
    }

    #[test]
    fn csl64_carries_unconfirmed_note() {
        let d = exposure(GroupId::Csl64, None).describe(Lang::En);
        assert!(d.contains("[UNCONFIRMED]"), "{d}");
    }

    #[test]
    fn describe_bilingual() {
        let e = exposure(GroupId::Pipl66, Some(2_000_000_000));
        let zh = e.describe(Lang::ZhCn);
        let en = e.describe(Lang::En);
        assert!(zh.contains("个人信息保护法"), "{zh}");
        assert!(zh.contains("¥100,000,000"), "{zh}");
        assert!(en.contains("PIPL art. 66"), "{en}");
        assert!(en.contains("≤ ¥50,000,000"), "{en}");
        assert!(en.contains("interpretation"), "{en}");
    }

    #[test]
    fn article_to_group_mapping() {
        assert_eq!(groups_for_article(12, None), vec![GroupId::Reg55]);
        assert_eq!(groups_for_article(13, None), vec![GroupId::Reg56]);
        assert_eq!(groups_for_article(29, Some(2)), vec![GroupId::Reg57]);
        assert_eq!(groups_for_article(29, Some(1)), vec![GroupId::Reg58]);
        assert_eq!(
            groups_for_article(29, None),
            vec![GroupId::Reg57, GroupId::Reg58]
        );
        assert_eq!(groups_for_article(30, Some(3)), vec![GroupId::Reg57]);
        assert_eq!(groups_for_article(40, Some(3)), vec![GroupId::Reg58]);
        assert_eq!(groups_for_article(40, Some(1)), vec![GroupId::Reg55]);
        assert_eq!(groups_for_article(35, None), vec![GroupId::Pipl66]);
        assert_eq!(groups_for_article(33, None), vec![GroupId::Dsl45]);
        assert_eq!(groups_for_article(37, None), vec![GroupId::Dsl46]);
        assert_eq!(groups_for_article(28, None), vec![GroupId::Reg58]);
    }

    #[test]
    fn mitigation_bilingual() {
        for m in Mitigation::ALL {
            assert!(!m.text(Lang::ZhCn).is_empty());
            assert!(!m.text(Lang::En).is_empty());
        }
        assert_eq!(Mitigation::provision(Lang::En), "Regulation art. 59");
    }
}
