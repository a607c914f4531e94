//! Cross-border transfers (Reg. arts. 35–38; CBDF; PIPL 38, 39, 55): the ledger decision of
//! catalog 4.1 with anti-splitting aggregation, the mechanism clocks, and the PIPL overlays that
//! remain even when a transfer is exempt.

use xiezhi_map::Project;
use xiezhi_map::model::{
    AssessmentKind, LegalBasis, Transfer, TransferMechanism, TransferScenario,
};

use super::{CBDF, Ctx, Hit, PIPL, REG_790, Rule, Severity, covering, dataset, to_date};
use crate::date::Date;
use crate::penalty::GroupId;
use crate::transfers::{important, project_transfers};
use crate::xborder::{self as xb, Compliance};
use crate::{Confidence, Lang};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "CBDF-transfer-mechanism",
        sr: "SR-XB-01",
        articles: &["Reg. 35", "Reg. 37", "PIPL 38", "CBDF 2-8"],
        effective_from: CBDF,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "出境传输须具备所要求的出境机制（按年度累计、防拆分）",
        title_en: "A cross-border transfer needs the mechanism the year's ledger requires (no splitting)",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_mechanism,
    },
    Rule {
        id: "NDSR-37-important-data-export",
        sr: "SR-XB-01",
        articles: &["Reg. 37", "Reg. 38", "DSL 31", "CBDF 2", "CBDF 7"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl46,
        severity: Severity::High,
        title_zh: "向境外提供重要数据须通过数据出境安全评估",
        title_en: "Important data goes abroad only after the CAC security assessment",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_important_export,
    },
    Rule {
        id: "CBDF-offshore-storage",
        sr: "SR-MAP-05",
        articles: &["Reg. 35", "PIPL 38", "CBDF 7", "CBDF 8"],
        effective_from: CBDF,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "境外存储的个人信息须登记为出境传输",
        title_en: "PI stored outside mainland China is recorded as a cross-border transfer",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_offshore_storage,
    },
    Rule {
        id: "CBDF-ledger-counts",
        sr: "SR-MAP-05",
        articles: &["Reg. 35", "CBDF 5", "CBDF 7", "CBDF 8"],
        effective_from: CBDF,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "出境台账须有当年自1月1日起累计的个人数",
        title_en: "The cross-border ledger records this year's individuals counted from 1 January",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_ledger_counts,
    },
    Rule {
        id: "CBDF-9-extension-window",
        sr: "SR-XB-02",
        articles: &["Reg. 38", "CBDF 9"],
        effective_from: CBDF,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "安全评估结果有效期届满前60个工作日内须申请延期",
        title_en: "Apply to extend a security assessment within 60 working days before it expires",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_extension_window,
    },
    Rule {
        id: "NDSR-38-approved-scale",
        sr: "SR-XB-02",
        articles: &["Reg. 38"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Dsl46,
        severity: Severity::High,
        title_zh: "通过安全评估后不得超出评估时明确的规模向境外提供数据",
        title_en: "After the security assessment, transfers stay within the approved scale",
        confidence: Confidence::Off1,
        group: "xborder",
        check: check_approved_scale,
    },
    Rule {
        id: "PIPL-39-separate-consent",
        sr: "SR-XB-03",
        articles: &["PIPL 39", "Reg. 35"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "基于同意向境外提供个人信息须取得单独同意",
        title_en: "PI provided abroad on consent needs separate consent",
        confidence: Confidence::Off1,
        group: "xborder",
        check: check_xb_consent,
    },
    Rule {
        id: "PIPL-39-recipient-notice",
        sr: "SR-XB-03",
        articles: &["PIPL 39"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "须告知境外接收方名称、联系方式、目的、方式、种类及行使权利的方式",
        title_en: "Tell individuals the foreign recipient's identity, contact, purpose, method, PI types and how to exercise rights",
        confidence: Confidence::Off1,
        group: "xborder",
        check: check_xb_notice,
    },
    Rule {
        id: "PIPL-55-xborder-pipia",
        sr: "SR-XB-03",
        articles: &["PIPL 55(4)", "PIPL 56"],
        effective_from: PIPL,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "向境外提供个人信息前须进行个人信息保护影响评估",
        title_en: "A PIPIA is done before PI is provided abroad",
        confidence: Confidence::C2,
        group: "xborder",
        check: check_xb_pipia,
    },
];

/// Decisions for every transfer of the data map for `as_of`'s calendar year, judged against the
/// year's aggregated ledger (anti-splitting), in map order.
pub(super) fn decisions(c: &Ctx<'_>) -> Vec<xb::Decision> {
    let inputs: Vec<xb::Transfer> = project_transfers(c.p, c.as_of.year())
        .into_iter()
        .map(|m| m.transfer)
        .collect();
    let mut by_id: Vec<xb::Decision> = xb::decide_ledger(&inputs, c.as_of, c.cal)
        .into_iter()
        .flat_map(|l| l.transfers)
        .collect();
    // Back to map order.
    let mut out = Vec::new();
    for t in &inputs {
        if let Some(i) = by_id.iter().position(|d| d.transfer_id == t.id) {
            out.push(by_id.swap_remove(i));
        }
    }
    out
}

fn check_mechanism(c: &Ctx<'_>) -> Vec<Hit> {
    mechanism_hits(c, false)
}

fn check_important_export(c: &Ctx<'_>) -> Vec<Hit> {
    mechanism_hits(c, true)
}

/// Mechanism findings for the transfers with (`important_only`) or without confirmed important
/// data; the important-data ones fall under art. 37 and DSL 46.
fn mechanism_hits(c: &Ctx<'_>, important_only: bool) -> Vec<Hit> {
    let ds = decisions(c);
    let mut hits = Vec::new();
    for ((file, t), d) in c.p.each(|m| &m.transfers).zip(ds.iter()) {
        let is_important = important(c.p, t) == xb::ImportantData::NotifiedOrPublished;
        if is_important != important_only {
            continue;
        }
        let (zh, en) = match d.compliance {
            Compliance::Missing => ("缺少出境机制", "no mechanism in place"),
            Compliance::Insufficient => ("现有机制不足", "mechanism in place is too weak"),
            Compliance::Expired => ("出境机制已过期", "mechanism has expired"),
            Compliance::FilingOverdue => ("标准合同备案逾期", "standard-contract filing overdue"),
            _ => continue,
        };
        let g = crate::group_digits(d.general_pi_individuals);
        let s = crate::group_digits(d.sensitive_pi_individuals);
        let year = c.as_of.year();
        hits.push(Hit::at(
            file,
            &t.id,
            format!(
                "出境传输 {}：{zh}；{year} 年累计（防拆分）一般个人信息 {g} 人、敏感个人信息 {s} 人，要求：{}",
                t.id,
                d.required.label(Lang::ZhCn)
            ),
            format!(
                "transfer {}: {en}; {year} ledger (aggregated, no splitting): {g} general-PI and {s} sensitive-PI individuals; required: {}",
                t.id,
                d.required.label(Lang::En)
            ),
        ));
    }
    hits
}

fn check_offshore_storage(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    p.each(|m| &m.datasets)
        .filter(|(_, d)| d.storage.offshore)
        .filter(|(_, d)| d.fields.iter().any(|f| f.pi_type.is_some() || f.sensitive))
        .filter(|(_, d)| {
            !p.each(|m| &m.transfers)
                .any(|(_, t)| t.datasets.iter().any(|x| x.value == d.id.value))
        })
        .map(|(file, d)| {
            Hit::at(
                file,
                &d.id,
                format!(
                    "数据集 {} 存储在境外（{}），但没有出境传输记录列出它",
                    d.id, d.storage.region
                ),
                format!(
                    "dataset {} is stored outside mainland China ({}) but no transfer lists it",
                    d.id, d.storage.region
                ),
            )
        })
        .collect()
}

fn check_ledger_counts(c: &Ctx<'_>) -> Vec<Hit> {
    let year = c.as_of.year();
    c.p.each(|m| &m.transfers)
        .filter(|(_, t)| {
            !matches!(t.scenario, TransferScenario::NonPersonalBusiness)
                && !t.subjects_by_year.iter().any(|y| i32::from(y.year) == year)
                && to_date(t.valid_until).is_none_or(|u| u.year() >= year)
        })
        .map(|(file, t)| {
            Hit::at(
                file,
                &t.id,
                format!("出境传输 {} 未记录 {year} 年的出境人数（subjects_by_year），无法判断出境机制", t.id),
                format!(
                    "transfer {} records no {year} counts (subjects_by_year); the mechanism cannot be decided",
                    t.id
                ),
            )
        })
        .collect()
}

fn check_extension_window(c: &Ctx<'_>) -> Vec<Hit> {
    let ds = decisions(c);
    let mut hits = Vec::new();
    for ((file, t), d) in c.p.each(|m| &m.transfers).zip(ds.iter()) {
        if d.compliance != Compliance::ExtensionWindowOpen {
            continue;
        }
        let expires = d
            .clocks
            .iter()
            .find(|k| k.kind == xb::ClockKind::AssessmentExpires)
            .map(|k| k.date);
        let Some(expires) = expires else { continue };
        hits.push(Hit::at(
            file,
            &t.id,
            format!("出境传输 {} 的安全评估结果将于 {expires} 到期，已进入延期申请期（到期前60个工作日）", t.id),
            format!(
                "transfer {}: the security assessment expires on {expires}; the extension window (60 working days before) is open",
                t.id
            ),
        ));
    }
    hits
}

fn check_approved_scale(c: &Ctx<'_>) -> Vec<Hit> {
    let year = c.as_of.year();
    let mut hits = Vec::new();
    for (file, t) in c.p.each(|m| &m.transfers) {
        let (TransferMechanism::SecurityAssessment, Some(a)) = (t.mechanism, &t.approved_scale)
        else {
            continue;
        };
        let Some(n) = t
            .subjects_by_year
            .iter()
            .find(|y| i32::from(y.year) == year)
        else {
            continue;
        };
        let over: Vec<String> = [
            ("general", n.general, a.general),
            ("sensitive", n.sensitive, a.sensitive),
        ]
        .iter()
        .filter_map(|(k, got, max)| {
            let max = (*max)?;
            (*got > max).then(|| {
                format!(
                    "{k} {} > {}",
                    crate::group_digits(*got),
                    crate::group_digits(max)
                )
            })
        })
        .collect();
        if over.is_empty() {
            continue;
        }
        let list = over.join(", ");
        hits.push(Hit::at(
            file,
            &t.id,
            format!(
                "出境传输 {} 在 {year} 年超出安全评估批准的规模：{list}（第三十八条）",
                t.id
            ),
            format!(
                "transfer {} exceeds the approved scale in {year}: {list} (art. 38)",
                t.id
            ),
        ));
    }
    hits
}

/// The transfer carries PI: counts in any year, or a transferred dataset with PI fields.
fn carries_pi(p: &Project, t: &Transfer) -> bool {
    t.subjects_by_year
        .iter()
        .any(|y| y.general > 0 || y.sensitive > 0)
        || t.datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
            .any(|d| d.fields.iter().any(|f| f.pi_type.is_some() || f.sensitive))
}

fn check_xb_consent(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.transfers)
        .filter(|(_, t)| carries_pi(c.p, t))
        .filter(|(_, t)| matches!(t.legal_basis, None | Some(LegalBasis::Consent)))
        .filter(|(_, t)| {
            !t.consent.iter().any(|k| {
                matches!(
                    k,
                    xiezhi_map::model::ConsentKind::Separate
                        | xiezhi_map::model::ConsentKind::Written
                )
            })
        })
        .map(|(file, t)| {
            let basis = if t.legal_basis.is_none() {
                ("未记录合法性基础，且", "records no legal basis and")
            } else {
                ("以同意为基础，但", "relies on consent but")
            };
            Hit::at(
                file,
                &t.id,
                format!(
                    "出境传输 {} {}无单独同意（个人信息保护法第三十九条）",
                    t.id, basis.0
                ),
                format!(
                    "transfer {} {} has no separate consent (PIPL 39)",
                    t.id, basis.1
                ),
            )
        })
        .collect()
}

fn check_xb_notice(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.transfers)
        .filter(|(_, t)| carries_pi(c.p, t) && !t.individuals_notified)
        .map(|(file, t)| {
            Hit::at(
                file,
                &t.id,
                format!("出境传输 {} 未记录已告知个人境外接收方 {} 的信息（individuals_notified）", t.id, t.recipient),
                format!(
                    "transfer {}: individuals were not told about the foreign recipient {} (individuals_notified)",
                    t.id, t.recipient
                ),
            )
        })
        .collect()
}

fn check_xb_pipia(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    p.each(|m| &m.transfers)
        .filter(|(_, t)| carries_pi(p, t))
        .filter_map(|(file, t)| {
            let by: Date = to_date(t.valid_from).map_or(c.as_of, |s| s.min(c.as_of));
            if !covering(p, AssessmentKind::Pipia, &t.id.value, by).is_empty() {
                return None;
            }
            Some(Hit::at(
                file,
                &t.id,
                format!("出境传输 {} 在 {by} 前无覆盖它的个人信息保护影响评估", t.id),
                format!(
                    "transfer {} has no PIPIA covering it completed by {by}",
                    t.id
                ),
            ))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use xiezhi_map::model::{ConsentKind, Id, ImportantDataState, YearCount};

    fn transfer(p: &mut Project, f: impl Fn(&mut Transfer)) {
        for file in &mut p.files {
            for t in &mut file.map.transfers {
                f(t);
            }
        }
    }

    fn counts(p: &mut Project, general: u64, sensitive: u64) {
        transfer(p, |t| {
            t.subjects_by_year = vec![YearCount {
                year: 2026,
                general,
                sensitive,
            }];
        });
    }

    const RULE: &str = "CBDF-transfer-mechanism";

    #[test]
    fn general_pi_thresholds() {
        let mut p = clean();
        // No mechanism: exempt below 100,000, SCC from 100,000, assessment from 1,000,000.
        transfer(&mut p, |t| t.mechanism = TransferMechanism::None);
        counts(&mut p, 99_999, 0);
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        counts(&mut p, 100_000, 0);
        assert_eq!(hits(&p, RULE, AS_OF), 1);
        // The example's standard contract covers up to 999,999 but not 1,000,000.
        let mut p = clean();
        counts(&mut p, 999_999, 0);
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        counts(&mut p, 1_000_000, 0);
        assert_eq!(hits(&p, RULE, AS_OF), 1);
    }

    #[test]
    fn sensitive_pi_thresholds() {
        let mut p = clean();
        counts(&mut p, 0, 9_999);
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        counts(&mut p, 0, 10_000);
        assert_eq!(hits(&p, RULE, AS_OF), 1);
        transfer(&mut p, |t| t.mechanism = TransferMechanism::None);
        counts(&mut p, 0, 1);
        assert_eq!(hits(&p, RULE, AS_OF), 1, "no floor for sensitive PI");
    }

    #[test]
    fn ledger_aggregates_split_transfers() {
        let mut p = clean();
        transfer(&mut p, |t| t.mechanism = TransferMechanism::None);
        counts(&mut p, 60_000, 0);
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        let mut second = p
            .files
            .iter()
            .flat_map(|f| f.map.transfers.iter())
            .next()
            .unwrap()
            .clone();
        second.id = Id {
            value: "xb-sg-2".into(),
            line: 99,
            column: 5,
        };
        p.files[0].map.transfers.push(second);
        // 60,000 + 60,000 = 120,000 ≥ 100,000: both need a standard contract or certification.
        assert_eq!(hits(&p, RULE, AS_OF), 2);
    }

    #[test]
    fn scc_filing_and_ledger_counts() {
        let mut p = clean();
        // Standard contract effective 2025-06-20: filing due 10 days later (no calendar).
        transfer(&mut p, |t| t.filed = Some(map_date("2025-06-30")));
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        transfer(&mut p, |t| t.filed = Some(map_date("2025-07-01")));
        assert_eq!(hits(&p, RULE, AS_OF), 1);
        let p = clean();
        assert_eq!(hits(&p, "CBDF-ledger-counts", AS_OF), 0);
        assert_eq!(hits(&p, "CBDF-ledger-counts", "2027-01-01"), 1);
    }

    #[test]
    fn assessment_validity_clock() {
        let mut p = clean();
        transfer(&mut p, |t| {
            t.mechanism = TransferMechanism::SecurityAssessment;
            t.valid_from = Some(map_date("2024-03-01"));
            t.filed = None;
        });
        counts(&mut p, 2_000_000, 0);
        // Expires 2027-03-01; window opens 60 calendar days before (no calendar): 2026-12-31.
        let w = "CBDF-9-extension-window";
        transfer(&mut p, |t| t.subjects_by_year[0].year = 2026);
        assert_eq!(hits(&p, w, "2026-12-30"), 0);
        assert_eq!(hits(&p, w, "2026-12-31"), 1);
        transfer(&mut p, |t| t.subjects_by_year[0].year = 2027);
        assert_eq!(hits(&p, w, "2027-03-01"), 1);
        assert_eq!(hits(&p, RULE, "2027-03-01"), 0);
        assert_eq!(hits(&p, RULE, "2027-03-02"), 1, "expired");
        assert_eq!(hits(&p, w, "2027-03-02"), 0);
    }

    #[test]
    fn important_data_needs_assessment() {
        let mut p = clean();
        transfer(&mut p, |t| {
            t.datasets.push(Id {
                value: "logistics-map".into(),
                line: 1,
                column: 1,
            })
        });
        assert_eq!(hits(&p, RULE, AS_OF), 0, "reported under art. 37 instead");
        assert_eq!(hits(&p, "NDSR-37-important-data-export", AS_OF), 1);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if let Some(i) = &mut d.important_data {
                    i.state = ImportantDataState::Declared;
                }
            }
        }
        // Declared but not notified or published (art. 37; CBDF 2): no assessment needed.
        assert_eq!(hits(&p, RULE, AS_OF), 0);
        assert_eq!(hits(&p, "NDSR-37-important-data-export", AS_OF), 0);
        // A valid security assessment satisfies art. 37.
        let mut p = clean();
        transfer(&mut p, |t| {
            t.datasets.push(Id {
                value: "logistics-map".into(),
                line: 1,
                column: 1,
            });
            t.mechanism = TransferMechanism::SecurityAssessment;
            t.valid_from = Some(map_date("2025-06-20"));
        });
        assert_eq!(hits(&p, "NDSR-37-important-data-export", AS_OF), 0);
    }

    #[test]
    fn approved_scale_not_exceeded() {
        let rule = "NDSR-38-approved-scale";
        let mut p = clean();
        transfer(&mut p, |t| {
            t.mechanism = TransferMechanism::SecurityAssessment;
            t.valid_from = Some(map_date("2025-06-20"));
            t.approved_scale = Some(xiezhi_map::model::ApprovedScale {
                general: Some(1_500_000),
                sensitive: Some(20_000),
            });
        });
        counts(&mut p, 1_500_000, 20_000);
        assert_eq!(hits(&p, rule, AS_OF), 0);
        counts(&mut p, 1_500_001, 20_000);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        counts(&mut p, 1_500_000, 20_001);
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn offshore_storage_is_a_transfer() {
        let rule = "CBDF-offshore-storage";
        let mut p = clean();
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if d.id.value == "orders" {
                    d.storage.offshore = true;
                }
            }
        }
        // xb-sg-analytics lists orders.
        assert_eq!(hits(&p, rule, AS_OF), 0);
        transfer(&mut p, |t| t.datasets.clear());
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn extension_window_in_working_days() {
        use crate::date::WeekendsOnly;
        let mut p = clean();
        transfer(&mut p, |t| {
            t.mechanism = TransferMechanism::SecurityAssessment;
            t.valid_from = Some(map_date("2024-03-01"));
        });
        counts(&mut p, 2_000_000, 0);
        let [expires, opens] =
            xb::assessment_clocks(date("2024-03-01"), false, Some(&WeekendsOnly));
        assert_eq!(expires.date, date("2027-03-01"));
        let n = |p: &Project, d: Date| {
            super::super::evaluate_with(p, d, Some(&WeekendsOnly))
                .iter()
                .filter(|f| f.rule == "CBDF-9-extension-window")
                .count()
        };
        assert_eq!(n(&p, opens.date.add_days(-1)), 0);
        assert_eq!(n(&p, opens.date), 1);
    }

    #[test]
    fn pipl_overlays() {
        let mut p = clean();
        for r in [
            "PIPL-39-separate-consent",
            "PIPL-39-recipient-notice",
            "PIPL-55-xborder-pipia",
        ] {
            assert_eq!(hits(&p, r, AS_OF), 0, "{r}");
        }
        transfer(&mut p, |t| t.consent = vec![ConsentKind::General]);
        assert_eq!(hits(&p, "PIPL-39-separate-consent", AS_OF), 1);
        transfer(&mut p, |t| t.legal_basis = Some(LegalBasis::Contract));
        assert_eq!(hits(&p, "PIPL-39-separate-consent", AS_OF), 0);
        transfer(&mut p, |t| t.individuals_notified = false);
        assert_eq!(hits(&p, "PIPL-39-recipient-notice", AS_OF), 1);
        // pipia-xb-sg completed 2025-05-30; the contract takes effect on valid_from.
        transfer(&mut p, |t| t.valid_from = Some(map_date("2025-05-30")));
        assert_eq!(hits(&p, "PIPL-55-xborder-pipia", AS_OF), 0);
        transfer(&mut p, |t| t.valid_from = Some(map_date("2025-05-29")));
        assert_eq!(hits(&p, "PIPL-55-xborder-pipia", AS_OF), 1);
    }
}
