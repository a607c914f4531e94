//! Cross-border transfer decision (catalog 4.1: Provisions on Promoting and Regulating
//! Cross-Border Data Flows, CAC Order 16, "CBDF"; Regulation arts. 35 and 37).
//!
//! [`decide`] takes one [`Transfer`]; [`decide_ledger`] takes a year's ledger and applies the
//! anti-splitting rule: for the same exporter and the same calendar year, the individuals of all
//! transfers not covered by a scenario exemption (CBDF arts. 3–6) are summed before the art. 7/8
//! thresholds are compared. Every decision carries the path taken through the table, each step
//! with its provision, the numbers compared and the catalog's confidence mark.
//!
//! Thresholds (catalog section 5; "以上" includes the number, "不满" excludes it):
//! - exempt (art. 5(4)): non-CIIO, general PI **不满 100,000** individuals, no sensitive PI;
//! - standard contract or certification (art. 8): general PI **100,000 以上、不满 1,000,000**, or
//!   sensitive PI **不满 10,000** (at least 1);
//! - security assessment (art. 7): CIIO providing any PI or important data; important data;
//!   general PI **1,000,000 以上**; sensitive PI **10,000 以上**.
//!
//! Clocks: security-assessment validity (3 years, extension window within the 60 working days
//! before expiry) and standard-contract filing (within 10 working days of the contract taking
//! effect, [UNCONFIRMED]). Working days need the PRC holiday calendar (catalog 0.2); without a
//! [`WorkdayCalendar`] the clocks count calendar days and say so ([`DayBasis::CalendarDaysApprox`]).

use crate::date::{Date, WorkdayCalendar};
use crate::{Confidence, Lang, group_digits};
use serde::{Deserialize, Serialize};

/// `xborder.exempt_max_nonsensitive`: exempt below this many individuals (不满).
pub const EXEMPT_BELOW_GENERAL: u64 = 100_000;
/// `xborder.scc_range_nonsensitive` lower bound (以上).
pub const SCC_MIN_GENERAL: u64 = 100_000;
/// `xborder.assessment_nonsensitive_min` (以上).
pub const ASSESSMENT_MIN_GENERAL: u64 = 1_000_000;
/// `xborder.scc_range_sensitive` lower bound (以上).
pub const SCC_MIN_SENSITIVE: u64 = 1;
/// `xborder.assessment_sensitive_min` (以上).
pub const ASSESSMENT_MIN_SENSITIVE: u64 = 10_000;
/// `xborder.assessment_validity_years`.
pub const ASSESSMENT_VALIDITY_YEARS: i32 = 3;
/// `xborder.extension_window_working_days`.
pub const EXTENSION_WINDOW_WORKING_DAYS: u32 = 60;
/// `xborder.scc_filing_working_days` [UNCONFIRMED].
pub const SCC_FILING_WORKING_DAYS: u32 = 10;

/// The scenario a transfer falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// No special scenario: the art. 7/8 thresholds decide.
    #[default]
    General,
    /// E4, CBDF art. 5(1): necessary to conclude or perform a contract with the individual
    /// (cross-border shopping, delivery, payment, account opening, booking, visa, exams …).
    ContractWithIndividual,
    /// E5, CBDF art. 5(2): cross-border HR management under lawful labour rules and collective
    /// contracts.
    HrManagement,
    /// E6, CBDF art. 5(3): emergency, to protect a natural person's life, health and property.
    Emergency,
    /// E2, CBDF art. 3: data from trade, transport, academic cooperation, manufacturing or
    /// marketing containing no PI and no important data.
    NoPiNoImportantData,
    /// E3, CBDF art. 4: PI collected abroad, processed in China and sent back, with no domestic
    /// PI or important data introduced.
    TransitOnly,
    /// E8, CBDF art. 6: free-trade-zone data outside the zone's negative list.
    FtzOutsideNegativeList,
    /// Regulation art. 35(6): necessary to perform statutory duties or obligations. Not in the
    /// CBDF table; treated as exempt from the mechanisms [UNCONFIRMED, our reading].
    StatutoryDuty,
}

impl Scenario {
    /// Scenarios that exempt the transfer and keep it out of the art. 7/8 counts.
    pub fn is_exemption(self) -> bool {
        self != Scenario::General
    }

    /// Whether the scenario exemption applies to `t`: a declared "no PI, no important data"
    /// scenario contradicted by the transfer's own counts does not apply.
    pub fn applies_to(self, t: &Transfer) -> bool {
        if self == Scenario::NoPiNoImportantData {
            let pi = t.general_pi_individuals > 0 || t.sensitive_pi_individuals > 0;
            return !(pi || t.important_data == ImportantData::NotifiedOrPublished);
        }
        self.is_exemption()
    }

    /// Exemptions that cover PI only; important data still needs an assessment.
    fn covers_pi_only(self) -> bool {
        matches!(
            self,
            Scenario::ContractWithIndividual
                | Scenario::HrManagement
                | Scenario::Emergency
                | Scenario::StatutoryDuty
        )
    }

    /// Description in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Scenario::General, Lang::ZhCn) => "一般情形",
            (Scenario::General, Lang::En) => "general case",
            (Scenario::ContractWithIndividual, Lang::ZhCn) => {
                "为订立、履行个人作为一方当事人的合同所必需"
            }
            (Scenario::ContractWithIndividual, Lang::En) => {
                "necessary for a contract to which the individual is a party"
            }
            (Scenario::HrManagement, Lang::ZhCn) => {
                "按照依法制定的劳动规章制度和依法签订的集体合同实施跨境人力资源管理所必需"
            }
            (Scenario::HrManagement, Lang::En) => {
                "necessary for cross-border HR management under lawful labour rules and collective contracts"
            }
            (Scenario::Emergency, Lang::ZhCn) => "紧急情况下为保护自然人的生命健康和财产安全所必需",
            (Scenario::Emergency, Lang::En) => {
                "necessary in an emergency to protect a natural person's life, health and property"
            }
            (Scenario::NoPiNoImportantData, Lang::ZhCn) => {
                "国际贸易、跨境运输、学术合作、跨国生产制造和市场营销等活动中收集和产生的数据，不包含个人信息或者重要数据"
            }
            (Scenario::NoPiNoImportantData, Lang::En) => {
                "data from trade, transport, academic cooperation, manufacturing or marketing containing no PI or important data"
            }
            (Scenario::TransitOnly, Lang::ZhCn) => {
                "境外收集和产生的个人信息传输至境内处理后向境外提供，未引入境内个人信息或者重要数据"
            }
            (Scenario::TransitOnly, Lang::En) => {
                "PI collected abroad, processed in China and sent back, with no domestic PI or important data introduced"
            }
            (Scenario::FtzOutsideNegativeList, Lang::ZhCn) => "自由贸易试验区负面清单外的数据",
            (Scenario::FtzOutsideNegativeList, Lang::En) => {
                "free-trade-zone data outside the zone's negative list"
            }
            (Scenario::StatutoryDuty, Lang::ZhCn) => "为履行法定职责或者法定义务所必需",
            (Scenario::StatutoryDuty, Lang::En) => {
                "necessary to perform statutory duties or obligations"
            }
        }
    }
}

/// Important-data status of what the transfer contains (Regulation art. 37; CBDF art. 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImportantData {
    /// No important data.
    #[default]
    None,
    /// Identified or declared by the processor, but not notified or published as important data
    /// by the region or department (E1: need not be declared as important data).
    IdentifiedNotNotified,
    /// Notified or published as important data.
    NotifiedOrPublished,
}

/// The data exporter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Exporter {
    /// Exporter id; entities of the same processor should share it so that volumes are
    /// aggregated (anti-splitting).
    pub id: String,
    /// Critical information infrastructure operator (关键信息基础设施运营者).
    pub ciio: bool,
}

/// A mechanism already in place for a transfer, with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum InPlace {
    /// Passed the CAC data export security assessment.
    SecurityAssessment {
        /// Date the assessment result was issued.
        passed_on: Date,
        /// An extension was approved (validity +3 years).
        #[serde(default)]
        extended: bool,
    },
    /// Standard contract for PI export.
    StandardContract {
        /// Date the contract took effect.
        effective_on: Date,
        /// Date it was filed with the provincial CAC, if filed.
        #[serde(default)]
        filed_on: Option<Date>,
    },
    /// PI protection certification.
    Certification {
        /// Date of certification.
        certified_on: Date,
        /// Last day of validity, if the certificate states one.
        #[serde(default)]
        valid_until: Option<Date>,
    },
}

/// One cross-border transfer as the decision needs it. The data map is mapped onto this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Transfer {
    /// Transfer id.
    pub id: String,
    /// Who sends the data.
    pub exporter: Exporter,
    /// Calendar year the counts belong to (counted from 1 January).
    pub year: i32,
    /// Scenario.
    #[serde(default)]
    pub scenario: Scenario,
    /// Destination country or region.
    #[serde(default)]
    pub destination: String,
    /// Foreign recipient.
    #[serde(default)]
    pub recipient: String,
    /// Individuals whose PI, **excluding sensitive PI**, is provided, since 1 January.
    #[serde(default)]
    pub general_pi_individuals: u64,
    /// Individuals whose sensitive PI is provided, since 1 January.
    #[serde(default)]
    pub sensitive_pi_individuals: u64,
    /// Important data involved.
    #[serde(default)]
    pub important_data: ImportantData,
    /// Mechanism in place.
    #[serde(default)]
    pub in_place: Option<InPlace>,
}

/// The mechanism the rules require, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// No PI and no important data provided: nothing to do under CBDF.
    None,
    /// Exempt from assessment, standard contract and certification.
    Exempt,
    /// Standard contract or PI protection certification.
    StandardContractOrCertification,
    /// CAC data export security assessment.
    SecurityAssessment,
}

impl Mechanism {
    /// Short label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Mechanism::None, Lang::ZhCn) => "无需出境机制",
            (Mechanism::None, Lang::En) => "no mechanism needed",
            (Mechanism::Exempt, Lang::ZhCn) => "免予申报安全评估、订立标准合同、通过认证",
            (Mechanism::Exempt, Lang::En) => {
                "exempt from security assessment, standard contract and certification"
            }
            (Mechanism::StandardContractOrCertification, Lang::ZhCn) => {
                "订立个人信息出境标准合同或者通过个人信息保护认证"
            }
            (Mechanism::StandardContractOrCertification, Lang::En) => {
                "standard contract or PI protection certification"
            }
            (Mechanism::SecurityAssessment, Lang::ZhCn) => "申报数据出境安全评估",
            (Mechanism::SecurityAssessment, Lang::En) => "CAC data export security assessment",
        }
    }
}

/// Which count a threshold step compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// Individuals of PI excluding sensitive PI.
    GeneralPi,
    /// Individuals of sensitive PI.
    SensitivePi,
}

/// Comparison, named by the Chinese drafting word (catalog 0.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// 以上: at or above (includes the number).
    AtLeast,
    /// 不满: less than (excludes the number).
    LessThan,
    /// 超过: more than (excludes the number).
    MoreThan,
    /// Equal to (used for "no sensitive PI": 0 = 0).
    Equal,
}

impl Op {
    /// Applies the comparison.
    pub fn holds(self, value: u64, threshold: u64) -> bool {
        match self {
            Op::AtLeast => value >= threshold,
            Op::LessThan => value < threshold,
            Op::MoreThan => value > threshold,
            Op::Equal => value == threshold,
        }
    }

    fn symbol(self, holds: bool) -> &'static str {
        match (self, holds) {
            (Op::AtLeast, true) => "≥",
            (Op::AtLeast, false) => "<",
            (Op::LessThan, true) => "<",
            (Op::LessThan, false) => "≥",
            (Op::MoreThan, true) => ">",
            (Op::MoreThan, false) => "≤",
            (Op::Equal, true) => "=",
            (Op::Equal, false) => "≠",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Op::AtLeast => "以上",
            Op::LessThan => "不满",
            Op::MoreThan => "超过",
            Op::Equal => "",
        }
    }
}

/// What a step tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "test")]
pub enum Test {
    /// The transfer's scenario.
    Scenario {
        /// The scenario checked for.
        scenario: Scenario,
    },
    /// Whether scenario facts contradict the counts (E2 declared but PI or important data present).
    ScenarioContradicted {
        /// The scenario declared.
        scenario: Scenario,
    },
    /// Exporter is a CIIO (and provides PI or important data).
    Ciio,
    /// Important data notified or published.
    ImportantData,
    /// Important data identified or declared but not notified/published (E1).
    ImportantDataNotNotified,
    /// Nothing regulated is provided (no PI, no important data).
    NothingProvided,
    /// A count compared with a threshold.
    Count {
        /// Which count.
        subject: Subject,
        /// The count.
        value: u64,
        /// The comparison.
        op: Op,
        /// The threshold.
        threshold: u64,
        /// Number of transfers summed into `value` (1 for a single transfer).
        summed_over: usize,
    },
}

/// One step of the path through the decision table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Row of the catalog 4.1 table (E1…E8, A1…A4, S1, S2) or a helper row (`R37`, `NONE`).
    pub row: &'static str,
    /// The provision, zh-CN.
    pub provision_zh: &'static str,
    /// The provision, en.
    pub provision_en: &'static str,
    /// The test.
    pub test: Test,
    /// Whether the test held.
    pub holds: bool,
    /// The mechanism this step concluded, if it decided.
    pub outcome: Option<Mechanism>,
    /// Confidence mark of the row.
    pub confidence: Confidence,
}

/// How a clock date was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayBasis {
    /// Years per Civil Code arts. 201–202.
    CalendarYears,
    /// Working days from the supplied PRC working-day calendar.
    WorkingDays,
    /// The rule counts working days but no holiday calendar was supplied: this many calendar
    /// days were counted instead. For a deadline this is earlier than (or equal to) the true
    /// date; for a window opening it is later than the true opening.
    CalendarDaysApprox {
        /// The working days the rule states.
        working_days: u32,
    },
}

/// What a clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Last day the security-assessment result is valid (CBDF art. 9).
    AssessmentExpires,
    /// First day of the extension-application window (60 working days before expiry).
    ExtensionWindowOpens,
    /// Last day to file the standard contract with the provincial CAC.
    StandardContractFilingDue,
    /// Last day the certification is valid (as stated on the certificate).
    CertificationExpires,
}

/// A dated clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// What it measures.
    pub kind: ClockKind,
    /// The date.
    pub date: Date,
    /// How it was computed.
    pub basis: DayBasis,
    /// Confidence mark of the rule.
    pub confidence: Confidence,
}

/// Whether the mechanism in place meets the requirement as of the decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compliance {
    /// Nothing required (exempt or nothing provided).
    NotRequired,
    /// The mechanism in place satisfies the requirement.
    Satisfied,
    /// Satisfied, and the assessment extension window is open: apply now.
    ExtensionWindowOpen,
    /// Standard contract in place, filing not yet made and not yet due.
    FilingPending,
    /// Standard contract in place but the filing deadline passed without filing, or it was
    /// filed late.
    FilingOverdue,
    /// A mechanism is in place but is weaker than required.
    Insufficient,
    /// The mechanism in place has expired.
    Expired,
    /// No mechanism in place although one is required.
    Missing,
}

/// The decision for one transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Transfer id (or `exporter/year` for a ledger summary).
    pub transfer_id: String,
    /// Required mechanism.
    pub required: Mechanism,
    /// The path through the table, in order.
    pub path: Vec<Step>,
    /// General-PI individuals compared (summed over the ledger where aggregated).
    pub general_pi_individuals: u64,
    /// Sensitive-PI individuals compared (summed over the ledger where aggregated).
    pub sensitive_pi_individuals: u64,
    /// Weakest confidence mark among the steps that decided.
    pub confidence: Confidence,
    /// PIPL duties remain even when exempt: notice, separate consent (PIPL 39), PI impact
    /// assessment (PIPL 55(4)) [C2]. True whenever PI is provided.
    pub pipl_duties_remain: bool,
    /// Clocks of the mechanism in place.
    pub clocks: Vec<Clock>,
    /// Status of the mechanism in place against the requirement.
    pub compliance: Compliance,
    /// Decision date the clocks were judged at.
    pub as_of: Date,
}

struct Row {
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    conf: Confidence,
}

const E1: Row = Row {
    id: "E1",
    zh: "《促进和规范数据跨境流动规定》第二条",
    en: "CBDF art. 2",
    conf: Confidence::C2,
};
const E2: Row = Row {
    id: "E2",
    zh: "《促进和规范数据跨境流动规定》第三条",
    en: "CBDF art. 3",
    conf: Confidence::C2,
};
const E3: Row = Row {
    id: "E3",
    zh: "《促进和规范数据跨境流动规定》第四条",
    en: "CBDF art. 4",
    conf: Confidence::C2,
};
const E4: Row = Row {
    id: "E4",
    zh: "《促进和规范数据跨境流动规定》第五条第（一）项",
    en: "CBDF art. 5(1)",
    conf: Confidence::C2,
};
const E5: Row = Row {
    id: "E5",
    zh: "《促进和规范数据跨境流动规定》第五条第（二）项",
    en: "CBDF art. 5(2)",
    conf: Confidence::C2,
};
const E6: Row = Row {
    id: "E6",
    zh: "《促进和规范数据跨境流动规定》第五条第（三）项",
    en: "CBDF art. 5(3)",
    conf: Confidence::C2,
};
const E7: Row = Row {
    id: "E7",
    zh: "《促进和规范数据跨境流动规定》第五条第（四）项",
    en: "CBDF art. 5(4)",
    conf: Confidence::C2,
};
const E8: Row = Row {
    id: "E8",
    zh: "《促进和规范数据跨境流动规定》第六条",
    en: "CBDF art. 6",
    conf: Confidence::C2,
};
const R35_6: Row = Row {
    id: "R35-6",
    zh: "《网络数据安全管理条例》第三十五条第（六）项",
    en: "Regulation art. 35(6)",
    conf: Confidence::Unconfirmed,
};
const A1: Row = Row {
    id: "A1",
    zh: "《促进和规范数据跨境流动规定》第七条第（一）项",
    en: "CBDF art. 7(1)",
    conf: Confidence::C2,
};
const A2: Row = Row {
    id: "A2",
    zh: "《促进和规范数据跨境流动规定》第七条第（二）项；条例第三十七条",
    en: "CBDF art. 7(2); Regulation art. 37",
    conf: Confidence::C2,
};
const A3: Row = Row {
    id: "A3",
    zh: "《促进和规范数据跨境流动规定》第七条第（二）项",
    en: "CBDF art. 7(2)",
    conf: Confidence::C2,
};
const A4: Row = A3;
const S1: Row = Row {
    id: "S1",
    zh: "《促进和规范数据跨境流动规定》第八条",
    en: "CBDF art. 8",
    conf: Confidence::C2,
};
const S2: Row = S1;
const NONE_ROW: Row = Row {
    id: "NONE",
    zh: "《促进和规范数据跨境流动规定》第七条、第八条",
    en: "CBDF arts. 7–8",
    conf: Confidence::C2,
};

struct Path {
    steps: Vec<Step>,
    summed_over: usize,
}

impl Path {
    fn push(&mut self, row: &Row, test: Test, holds: bool, outcome: Option<Mechanism>) {
        let id = match (&test, row.id) {
            (
                Test::Count {
                    subject: Subject::SensitivePi,
                    ..
                },
                "A3",
            ) => "A4",
            (
                Test::Count {
                    subject: Subject::SensitivePi,
                    ..
                },
                "S1",
            ) => "S2",
            _ => row.id,
        };
        self.steps.push(Step {
            row: id,
            provision_zh: row.zh,
            provision_en: row.en,
            test,
            holds,
            outcome: if holds { outcome } else { None },
            confidence: row.conf,
        });
    }

    fn count(
        &mut self,
        row: &Row,
        subject: Subject,
        value: u64,
        op: Op,
        threshold: u64,
        outcome: Mechanism,
    ) -> bool {
        let holds = op.holds(value, threshold);
        self.push(
            row,
            Test::Count {
                subject,
                value,
                op,
                threshold,
                summed_over: self.summed_over,
            },
            holds,
            Some(outcome),
        );
        holds
    }
}

fn scenario_row(s: Scenario) -> &'static Row {
    match s {
        Scenario::General => &NONE_ROW,
        Scenario::ContractWithIndividual => &E4,
        Scenario::HrManagement => &E5,
        Scenario::Emergency => &E6,
        Scenario::NoPiNoImportantData => &E2,
        Scenario::TransitOnly => &E3,
        Scenario::FtzOutsideNegativeList => &E8,
        Scenario::StatutoryDuty => &R35_6,
    }
}

/// Counts to compare, possibly summed over a ledger.
#[derive(Debug, Clone, Copy)]
struct Counts {
    general: u64,
    sensitive: u64,
    summed_over: usize,
}

fn walk(t: &Transfer, ciio: bool, counts: Counts) -> (Mechanism, Path) {
    let mut p = Path {
        steps: Vec::new(),
        summed_over: counts.summed_over,
    };
    let own_pi = t.general_pi_individuals > 0 || t.sensitive_pi_individuals > 0;

    // E1: important data not yet notified/published need not be declared as important data.
    let mut important = t.important_data == ImportantData::NotifiedOrPublished;
    if t.important_data == ImportantData::IdentifiedNotNotified {
        p.push(&E1, Test::ImportantDataNotNotified, true, None);
        important = false;
    }

    // Scenario exemptions first (CBDF arts. 3–6; Reg. 35(6)).
    let s = t.scenario;
    if s.is_exemption() {
        let row = scenario_row(s);
        if s == Scenario::NoPiNoImportantData && (own_pi || important) {
            p.push(row, Test::ScenarioContradicted { scenario: s }, true, None);
        } else if s.covers_pi_only() && important {
            // The exemption covers the PI; the important data still needs an assessment.
            p.push(row, Test::Scenario { scenario: s }, true, None);
            p.push(
                &A2,
                Test::ImportantData,
                true,
                Some(Mechanism::SecurityAssessment),
            );
            return (Mechanism::SecurityAssessment, p);
        } else {
            p.push(
                row,
                Test::Scenario { scenario: s },
                true,
                Some(Mechanism::Exempt),
            );
            return (Mechanism::Exempt, p);
        }
    }

    let any_pi = counts.general > 0 || counts.sensitive > 0;
    // A1: CIIO providing any PI or important data.
    if ciio {
        let holds = any_pi || important;
        p.push(&A1, Test::Ciio, holds, Some(Mechanism::SecurityAssessment));
        if holds {
            return (Mechanism::SecurityAssessment, p);
        }
    }
    // A2: important data.
    if important {
        p.push(
            &A2,
            Test::ImportantData,
            true,
            Some(Mechanism::SecurityAssessment),
        );
        return (Mechanism::SecurityAssessment, p);
    }
    if !any_pi {
        p.push(
            &NONE_ROW,
            Test::NothingProvided,
            true,
            Some(Mechanism::None),
        );
        return (Mechanism::None, p);
    }
    // E7: non-CIIO, general PI 不满 100,000 and no sensitive PI.
    let g = counts.general;
    let sv = counts.sensitive;
    let no_sensitive = p.count(
        &E7,
        Subject::SensitivePi,
        sv,
        Op::Equal,
        0,
        Mechanism::Exempt,
    );
    if no_sensitive {
        // The sensitive check alone does not decide: clear its outcome.
        if let Some(last) = p.steps.last_mut() {
            last.outcome = None;
        }
        if p.count(
            &E7,
            Subject::GeneralPi,
            g,
            Op::LessThan,
            EXEMPT_BELOW_GENERAL,
            Mechanism::Exempt,
        ) {
            return (Mechanism::Exempt, p);
        }
    }
    // A4, A3: assessment thresholds.
    if p.count(
        &A4,
        Subject::SensitivePi,
        sv,
        Op::AtLeast,
        ASSESSMENT_MIN_SENSITIVE,
        Mechanism::SecurityAssessment,
    ) {
        return (Mechanism::SecurityAssessment, p);
    }
    if p.count(
        &A3,
        Subject::GeneralPi,
        g,
        Op::AtLeast,
        ASSESSMENT_MIN_GENERAL,
        Mechanism::SecurityAssessment,
    ) {
        return (Mechanism::SecurityAssessment, p);
    }
    // S1, S2: standard contract or certification.
    if p.count(
        &S1,
        Subject::GeneralPi,
        g,
        Op::AtLeast,
        SCC_MIN_GENERAL,
        Mechanism::StandardContractOrCertification,
    ) {
        return (Mechanism::StandardContractOrCertification, p);
    }
    if p.count(
        &S2,
        Subject::SensitivePi,
        sv,
        Op::AtLeast,
        SCC_MIN_SENSITIVE,
        Mechanism::StandardContractOrCertification,
    ) {
        return (Mechanism::StandardContractOrCertification, p);
    }
    // Unreachable with any_pi (E7 or S1/S2 holds), kept total: no PI counted.
    p.push(
        &NONE_ROW,
        Test::NothingProvided,
        true,
        Some(Mechanism::None),
    );
    (Mechanism::None, p)
}

/// Clocks of a security assessment passed on `passed_on`.
///
/// Validity is 3 years (Civil Code periods: 2024-02-29 → 2027-02-28); an approved extension adds
/// 3 years. The extension window opens 60 working days before expiry; without `cal`, 60
/// calendar days are counted instead (later than the true opening).
pub fn assessment_clocks(
    passed_on: Date,
    extended: bool,
    cal: Option<&dyn WorkdayCalendar>,
) -> [Clock; 2] {
    let mut expires = passed_on.add_years(ASSESSMENT_VALIDITY_YEARS);
    if extended {
        expires = expires.add_years(ASSESSMENT_VALIDITY_YEARS);
    }
    let (opens, basis) = match cal {
        Some(c) => (
            expires.sub_working_days(EXTENSION_WINDOW_WORKING_DAYS, c),
            DayBasis::WorkingDays,
        ),
        None => (
            expires.add_days(-i64::from(EXTENSION_WINDOW_WORKING_DAYS)),
            DayBasis::CalendarDaysApprox {
                working_days: EXTENSION_WINDOW_WORKING_DAYS,
            },
        ),
    };
    [
        Clock {
            kind: ClockKind::AssessmentExpires,
            date: expires,
            basis: DayBasis::CalendarYears,
            confidence: Confidence::C2,
        },
        Clock {
            kind: ClockKind::ExtensionWindowOpens,
            date: opens,
            basis,
            confidence: Confidence::C2,
        },
    ]
}

/// Filing deadline of a standard contract that took effect on `effective_on`: within 10 working
/// days [UNCONFIRMED: one provincial guide]. Without `cal`, 10 calendar days are counted
/// (earlier than or equal to the true deadline).
pub fn scc_filing_clock(effective_on: Date, cal: Option<&dyn WorkdayCalendar>) -> Clock {
    let (date, basis) = match cal {
        Some(c) => (
            effective_on.add_working_days(SCC_FILING_WORKING_DAYS, c),
            DayBasis::WorkingDays,
        ),
        None => (
            effective_on.add_days(i64::from(SCC_FILING_WORKING_DAYS)),
            DayBasis::CalendarDaysApprox {
                working_days: SCC_FILING_WORKING_DAYS,
            },
        ),
    };
    Clock {
        kind: ClockKind::StandardContractFilingDue,
        date,
        basis,
        confidence: Confidence::Unconfirmed,
    }
}

fn judge(
    required: Mechanism,
    in_place: Option<&InPlace>,
    as_of: Date,
    cal: Option<&dyn WorkdayCalendar>,
) -> (Vec<Clock>, Compliance) {
    let mut clocks = Vec::new();
    let strength = match in_place {
        None => None,
        Some(InPlace::SecurityAssessment {
            passed_on,
            extended,
        }) => {
            let c = assessment_clocks(*passed_on, *extended, cal);
            clocks.extend(c);
            let status = if as_of > c[0].date {
                Compliance::Expired
            } else if as_of >= c[1].date {
                Compliance::ExtensionWindowOpen
            } else {
                Compliance::Satisfied
            };
            Some((Mechanism::SecurityAssessment, status))
        }
        Some(InPlace::StandardContract {
            effective_on,
            filed_on,
        }) => {
            let c = scc_filing_clock(*effective_on, cal);
            clocks.push(c);
            let status = match filed_on {
                Some(f) if *f <= c.date => Compliance::Satisfied,
                Some(_) => Compliance::FilingOverdue,
                None if as_of <= c.date => Compliance::FilingPending,
                None => Compliance::FilingOverdue,
            };
            Some((Mechanism::StandardContractOrCertification, status))
        }
        Some(InPlace::Certification { valid_until, .. }) => {
            let status = match valid_until {
                Some(v) => {
                    clocks.push(Clock {
                        kind: ClockKind::CertificationExpires,
                        date: *v,
                        basis: DayBasis::CalendarYears,
                        confidence: Confidence::Unconfirmed,
                    });
                    if as_of > *v {
                        Compliance::Expired
                    } else {
                        Compliance::Satisfied
                    }
                }
                None => Compliance::Satisfied,
            };
            Some((Mechanism::StandardContractOrCertification, status))
        }
    };
    let compliance = match (required, strength) {
        (Mechanism::None | Mechanism::Exempt, _) => Compliance::NotRequired,
        (_, None) => Compliance::Missing,
        (req, Some((have, _))) if have < req => Compliance::Insufficient,
        (_, Some((_, status))) => status,
    };
    (clocks, compliance)
}

fn finish(
    t: &Transfer,
    id: String,
    counts: Counts,
    required: Mechanism,
    path: Path,
    as_of: Date,
    cal: Option<&dyn WorkdayCalendar>,
) -> Decision {
    let confidence = path
        .steps
        .iter()
        .filter(|s| s.holds)
        .fold(Confidence::C2, |c, s| c.weakest(s.confidence));
    let (clocks, compliance) = judge(required, t.in_place.as_ref(), as_of, cal);
    Decision {
        transfer_id: id,
        required,
        path: path.steps,
        general_pi_individuals: counts.general,
        sensitive_pi_individuals: counts.sensitive,
        confidence,
        pipl_duties_remain: t.general_pi_individuals > 0 || t.sensitive_pi_individuals > 0,
        clocks,
        compliance,
        as_of,
    }
}

/// Decides one transfer on its own counts. `cal` is the PRC working-day calendar if the caller
/// has one; without it working-day clocks count calendar days ([`DayBasis::CalendarDaysApprox`]).
pub fn decide(t: &Transfer, as_of: Date, cal: Option<&dyn WorkdayCalendar>) -> Decision {
    let counts = Counts {
        general: t.general_pi_individuals,
        sensitive: t.sensitive_pi_individuals,
        summed_over: 1,
    };
    let (required, path) = walk(t, t.exporter.ciio, counts);
    finish(t, t.id.clone(), counts, required, path, as_of, cal)
}

/// The decision for one exporter's calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerDecision {
    /// Exporter id.
    pub exporter: String,
    /// Calendar year.
    pub year: i32,
    /// CIIO (true if any transfer of the group says so).
    pub ciio: bool,
    /// Ids of transfers whose counts were summed (not under a scenario exemption).
    pub counted: Vec<String>,
    /// Ids of transfers left out of the sums because a scenario exemption covers them
    /// (Filing Guide v2: transfers under CBDF arts. 3–6 follow those articles).
    pub excluded: Vec<String>,
    /// Sum of general-PI individuals over `counted`. Individuals appearing in several transfers
    /// are counted once per transfer: the catalog's per-natural-person deduplication is
    /// [UNCONFIRMED] and needs identity data this crate does not have.
    pub general_pi_individuals: u64,
    /// Sum of sensitive-PI individuals over `counted`.
    pub sensitive_pi_individuals: u64,
    /// The strongest mechanism required by any transfer of the group.
    pub required: Mechanism,
    /// Per-transfer decisions, compared against the year's sums.
    pub transfers: Vec<Decision>,
}

/// Decides a ledger: groups transfers by (exporter id, year), sums the counts of transfers not
/// covered by a scenario exemption (anti-splitting, catalog 4.1 "No splitting"; excluded per
/// Filing Guide v2), and decides every transfer against the year's sums. Groups come out in the
/// order they first appear.
pub fn decide_ledger(
    transfers: &[Transfer],
    as_of: Date,
    cal: Option<&dyn WorkdayCalendar>,
) -> Vec<LedgerDecision> {
    let mut keys: Vec<(String, i32)> = Vec::new();
    for t in transfers {
        let k = (t.exporter.id.clone(), t.year);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(exporter, year)| {
            let group: Vec<&Transfer> = transfers
                .iter()
                .filter(|t| t.exporter.id == exporter && t.year == year)
                .collect();
            let ciio = group.iter().any(|t| t.exporter.ciio);
            let (counted, excluded): (Vec<&Transfer>, Vec<&Transfer>) =
                group.iter().partition(|t| !t.scenario.applies_to(t));
            let sums = Counts {
                general: counted
                    .iter()
                    .fold(0u64, |a, t| a.saturating_add(t.general_pi_individuals)),
                sensitive: counted
                    .iter()
                    .fold(0u64, |a, t| a.saturating_add(t.sensitive_pi_individuals)),
                summed_over: counted.len(),
            };
            let decisions: Vec<Decision> = group
                .iter()
                .map(|t| {
                    let counts = if t.scenario.applies_to(t) {
                        Counts {
                            general: t.general_pi_individuals,
                            sensitive: t.sensitive_pi_individuals,
                            summed_over: 1,
                        }
                    } else {
                        sums
                    };
                    let (required, path) = walk(t, ciio, counts);
                    finish(t, t.id.clone(), counts, required, path, as_of, cal)
                })
                .collect();
            let required = decisions
                .iter()
                .map(|d| d.required)
                .max()
                .unwrap_or(Mechanism::None);
            LedgerDecision {
                exporter,
                year,
                ciio,
                counted: counted.iter().map(|t| t.id.clone()).collect(),
                excluded: excluded.iter().map(|t| t.id.clone()).collect(),
                general_pi_individuals: sums.general,
                sensitive_pi_individuals: sums.sensitive,
                required,
                transfers: decisions,
            }
        })
        .collect()
}

impl Step {
    /// One line describing the step in `lang`, e.g.
    /// `[A3 · CBDF art. 7(2)] general PI individuals 1,000,000 ≥ 1,000,000 (以上) → CAC data export security assessment [C2]`.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let prov = if zh {
            self.provision_zh
        } else {
            self.provision_en
        };
        let body = match self.test {
            Test::Scenario { scenario } => {
                if zh {
                    format!("情形：{}", scenario.text(lang))
                } else {
                    format!("scenario: {}", scenario.text(lang))
                }
            }
            Test::ScenarioContradicted { scenario } => {
                if zh {
                    format!(
                        "申报情形“{}”与数据不符（含个人信息或重要数据），不适用豁免",
                        scenario.text(lang)
                    )
                } else {
                    format!(
                        "declared scenario \"{}\" contradicted by the data (PI or important data present): exemption not applied",
                        scenario.text(lang)
                    )
                }
            }
            Test::Ciio => match (zh, self.holds) {
                (true, true) => "关键信息基础设施运营者向境外提供个人信息或者重要数据".to_string(),
                (true, false) => "关键信息基础设施运营者，但未提供个人信息或者重要数据".to_string(),
                (false, true) => "CIIO providing PI or important data".to_string(),
                (false, false) => "CIIO, but no PI or important data provided".to_string(),
            },
            Test::ImportantData => {
                if zh {
                    "向境外提供重要数据（已被告知或者公开发布为重要数据）".to_string()
                } else {
                    "important data provided (notified or published as important data)".to_string()
                }
            }
            Test::ImportantDataNotNotified => {
                if zh {
                    "未被相关部门、地区告知或者公开发布为重要数据的，不需要作为重要数据申报"
                        .to_string()
                } else {
                    "data not notified or published as important data need not be declared as important data".to_string()
                }
            }
            Test::NothingProvided => {
                if zh {
                    "未向境外提供个人信息或者重要数据".to_string()
                } else {
                    "no PI and no important data provided".to_string()
                }
            }
            Test::Count {
                subject,
                value,
                op,
                threshold,
                summed_over,
            } => {
                let what = match (subject, zh) {
                    (Subject::GeneralPi, true) => "个人信息（不含敏感个人信息）人数",
                    (Subject::GeneralPi, false) => "general PI individuals (excl. sensitive)",
                    (Subject::SensitivePi, true) => "敏感个人信息人数",
                    (Subject::SensitivePi, false) => "sensitive PI individuals",
                };
                let summed = match (summed_over > 1, zh) {
                    (false, _) => String::new(),
                    (true, true) => format!("（当年1月1日起累计，{summed_over}项传输合计）"),
                    (true, false) => {
                        format!(" (since 1 January, summed over {summed_over} transfers)")
                    }
                };
                let word = op.word();
                let word = match (word.is_empty(), zh, self.holds) {
                    (true, _, _) => String::new(),
                    (false, true, _) => format!("（{word}）"),
                    (false, false, _) => {
                        let gloss = match op {
                            Op::AtLeast => "at or above",
                            Op::LessThan => "less than",
                            Op::MoreThan => "more than",
                            Op::Equal => "",
                        };
                        format!(" ({word}, {gloss})")
                    }
                };
                format!(
                    "{what}{summed} {} {} {}{word}",
                    group_digits(value),
                    op.symbol(self.holds),
                    group_digits(threshold)
                )
            }
        };
        let tail = match self.outcome {
            Some(m) => format!(" → {}", m.label(lang)),
            None if !self.holds => {
                if zh {
                    " ✗".to_string()
                } else {
                    " ✗ (does not apply)".to_string()
                }
            }
            None => String::new(),
        };
        format!(
            "[{} · {}] {}{} {}",
            self.row,
            prov,
            body,
            tail,
            self.confidence.mark()
        )
    }
}

impl Decision {
    /// The path as lines of text in `lang`.
    pub fn path_text(&self, lang: Lang) -> Vec<String> {
        self.path.iter().map(|s| s.text(lang)).collect()
    }
}

/// The status of a mechanism in place, in `lang`.
pub fn compliance_text(c: Compliance, lang: Lang) -> &'static str {
    match (c, lang) {
        (Compliance::NotRequired, Lang::ZhCn) => "无需出境机制",
        (Compliance::NotRequired, Lang::En) => "no mechanism required",
        (Compliance::Satisfied, Lang::ZhCn) => "现有机制满足要求",
        (Compliance::Satisfied, Lang::En) => "mechanism in place satisfies the requirement",
        (Compliance::ExtensionWindowOpen, Lang::ZhCn) => {
            "现有评估有效，已进入延期申请期，请申请延期"
        }
        (Compliance::ExtensionWindowOpen, Lang::En) => {
            "assessment valid; the extension window is open — apply for extension"
        }
        (Compliance::FilingPending, Lang::ZhCn) => "标准合同已生效，尚未备案（未到期限）",
        (Compliance::FilingPending, Lang::En) => "standard contract in effect, filing not yet due",
        (Compliance::FilingOverdue, Lang::ZhCn) => "标准合同未在期限内备案",
        (Compliance::FilingOverdue, Lang::En) => "standard contract not filed within the deadline",
        (Compliance::Insufficient, Lang::ZhCn) => "现有机制弱于要求",
        (Compliance::Insufficient, Lang::En) => "mechanism in place is weaker than required",
        (Compliance::Expired, Lang::ZhCn) => "现有机制已过期",
        (Compliance::Expired, Lang::En) => "mechanism in place has expired",
        (Compliance::Missing, Lang::ZhCn) => "缺少所需机制",
        (Compliance::Missing, Lang::En) => "required mechanism missing",
    }
}

/// One clock as text in `lang`: what it measures, the date, how it was counted (and which way an
/// approximation errs) and the confidence mark.
pub fn clock_text(c: &Clock, lang: Lang) -> String {
    let zh = lang == Lang::ZhCn;
    let what = match (c.kind, zh) {
        (ClockKind::AssessmentExpires, true) => "安全评估结果有效期至",
        (ClockKind::AssessmentExpires, false) => "security assessment valid until",
        (ClockKind::ExtensionWindowOpens, true) => "可申请延期自",
        (ClockKind::ExtensionWindowOpens, false) => "extension may be applied for from",
        (ClockKind::StandardContractFilingDue, true) => "标准合同备案截止",
        (ClockKind::StandardContractFilingDue, false) => "standard contract filing due by",
        (ClockKind::CertificationExpires, true) => "认证有效期至",
        (ClockKind::CertificationExpires, false) => "certification valid until",
    };
    let basis = match (c.basis, zh) {
        (DayBasis::CalendarYears, true) => {
            "按年计算（民法典第二百零一条、第二百零二条）".to_string()
        }
        (DayBasis::CalendarYears, false) => "years, Civil Code arts. 201–202".to_string(),
        (DayBasis::WorkingDays, true) => "按所提供的工作日日历计算".to_string(),
        (DayBasis::WorkingDays, false) => "working days from the supplied calendar".to_string(),
        (DayBasis::CalendarDaysApprox { working_days }, true) => format!(
            "规则为{working_days}个工作日；未提供法定节假日日历，按{working_days}个自然日近似计算"
        ),
        (DayBasis::CalendarDaysApprox { working_days }, false) => format!(
            "the rule says {working_days} working days; no PRC holiday calendar supplied, so {working_days} calendar days were counted (approximation)"
        ),
    };
    let direction = match (c.basis, c.kind, zh) {
        (DayBasis::CalendarDaysApprox { .. }, ClockKind::ExtensionWindowOpens, true) => {
            "；实际申请期开始得更早"
        }
        (DayBasis::CalendarDaysApprox { .. }, ClockKind::ExtensionWindowOpens, false) => {
            "; the true window opens earlier"
        }
        (DayBasis::CalendarDaysApprox { .. }, _, true) => "；实际截止日不早于此日",
        (DayBasis::CalendarDaysApprox { .. }, _, false) => "; the true deadline is no earlier",
        _ => "",
    };
    let basis = format!("{basis}{direction}");
    if zh {
        format!("{what} {}（{basis}）{}", c.date, c.confidence.mark())
    } else {
        format!("{what} {} ({basis}) {}", c.date, c.confidence.mark())
    }
}

/// Renders a decision as plain text in `lang`: the required mechanism, the path, the clocks and
/// the status of the mechanism in place.
pub fn render_decision(d: &Decision, lang: Lang) -> String {
    let zh = lang == Lang::ZhCn;
    let mut out = String::new();
    if zh {
        out.push_str(&format!(
            "数据出境 {}：{} {}\n路径：\n",
            d.transfer_id,
            d.required.label(lang),
            d.confidence.mark()
        ));
    } else {
        out.push_str(&format!(
            "Transfer {}: {} {}\nPath:\n",
            d.transfer_id,
            d.required.label(lang),
            d.confidence.mark()
        ));
    }
    for (i, line) in d.path_text(lang).iter().enumerate() {
        out.push_str(&format!("  {}. {line}\n", i + 1));
    }
    for c in &d.clocks {
        out.push_str(&format!("  · {}\n", clock_text(c, lang)));
    }
    out.push_str(&if zh {
        format!(
            "状态（截至 {}）：{}\n",
            d.as_of,
            compliance_text(d.compliance, lang)
        )
    } else {
        format!(
            "Status as of {}: {}\n",
            d.as_of,
            compliance_text(d.compliance, lang)
        )
    });
    if d.pipl_duties_remain {
        out.push_str(if zh {
            "个人信息保护法义务仍适用：告知、单独同意（第三十九条）、个人信息保护影响评估（第五十五条）[C2]\n"
        } else {
            "PIPL duties still apply: notice, separate consent (art. 39), PI impact assessment (art. 55) [C2]\n"
        });
    }
    out
}

/// Renders a ledger decision as plain text in `lang`: the year's sums, the strongest mechanism
/// required, then every transfer as [`render_decision`] prints it.
pub fn render_ledger(l: &LedgerDecision, lang: Lang) -> String {
    let zh = lang == Lang::ZhCn;
    let mut out = if zh {
        format!(
            "数据处理者 {}，{} 年（自1月1日起累计，防拆分合并计算）：个人信息（不含敏感个人信息）{} 人，敏感个人信息 {} 人，计入 {} 项传输，豁免情形 {} 项。所需机制：{}\n",
            l.exporter,
            l.year,
            group_digits(l.general_pi_individuals),
            group_digits(l.sensitive_pi_individuals),
            l.counted.len(),
            l.excluded.len(),
            l.required.label(lang)
        )
    } else {
        format!(
            "Exporter {}, year {} (since 1 January, summed against splitting): general PI {} individuals, sensitive PI {}, {} transfers counted, {} under scenario exemptions. Required: {}\n",
            l.exporter,
            l.year,
            group_digits(l.general_pi_individuals),
            group_digits(l.sensitive_pi_individuals),
            l.counted.len(),
            l.excluded.len(),
            l.required.label(lang)
        )
    };
    out.push_str(if zh {
        "注：同一自然人出现在多项传输中时会被重复计数（按自然人去重的规则 [UNCONFIRMED]）\n"
    } else {
        "Note: a person appearing in several transfers is counted once per transfer (per-person deduplication rule [UNCONFIRMED])\n"
    });
    for d in &l.transfers {
        out.push('\n');
        out.push_str(&render_decision(d, lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafting_words_include_or_exclude_the_number() {
        // 以上 includes, 不满 and 超过 exclude (catalog 0.2).
        assert!(Op::AtLeast.holds(100_000, 100_000));
        assert!(!Op::AtLeast.holds(99_999, 100_000));
        assert!(!Op::LessThan.holds(100_000, 100_000));
        assert!(Op::LessThan.holds(99_999, 100_000));
        assert!(!Op::MoreThan.holds(10_000_000, 10_000_000));
        assert!(Op::MoreThan.holds(10_000_001, 10_000_000));
    }

    #[test]
    fn mechanisms_order_by_strength() {
        assert!(Mechanism::SecurityAssessment > Mechanism::StandardContractOrCertification);
        assert!(Mechanism::StandardContractOrCertification > Mechanism::Exempt);
        assert!(Mechanism::Exempt > Mechanism::None);
    }
}
