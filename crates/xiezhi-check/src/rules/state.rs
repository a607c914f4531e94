//! Service providers to state organs, CII operators and public infrastructure (Reg. art. 16):
//! the principal's data is used only for the agreed activities, and not correlated with other
//! data without its consent.

use super::{Ctx, Hit, REG_790, Rule, Severity, dataset};
use crate::Confidence;
use crate::penalty::GroupId;

pub(super) const RULES: &[Rule] = &[Rule {
    id: "NDSR-16-purpose-binding",
    sr: "SR-RULE-07",
    articles: &["Reg. 16", "Reg. 17"],
    effective_from: REG_790,
    effective_to: None,
    penalty: GroupId::Reg55,
    severity: Severity::High,
    title_zh: "为国家机关等提供服务，未经委托方同意不得使用其数据或进行关联分析",
    title_en: "Data of a state organ or CII principal is used only as agreed and not correlated without consent",
    confidence: Confidence::C2,
    group: "state",
    check: check_principal,
}];

fn check_principal(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    let mut hits = Vec::new();
    for (file, a) in p.each(|m| &m.activities) {
        let used: Vec<_> = a
            .datasets
            .iter()
            .filter_map(|d| dataset(p, &d.value))
            .collect();
        for d in used.iter() {
            let Some(pr) = &d.principal else { continue };
            if contract_missing_or_unpermitted(pr, &a.id.value) {
                hits.push(Hit::at(
                    file,
                    &a.id,
                    format!(
                        "处理活动 {} 使用 {} 的数据（{}）但不在其同意的活动之列（principal.permitted_activities）",
                        a.id, pr.name, d.id
                    ),
                    format!(
                        "activity {} uses data of {} ({}) but is not among the activities it agreed to (principal.permitted_activities)",
                        a.id, pr.name, d.id
                    ),
                ));
            }
            let others: Vec<&str> = used
                .iter()
                .filter(|o| o.id.value != d.id.value)
                .filter(|o| o.principal.as_ref().is_none_or(|op| op.name != pr.name))
                .map(|o| o.id.value.as_str())
                .collect();
            if !others.is_empty() && !pr.correlation_consented {
                let list = others.join(", ");
                hits.push(Hit::at(
                    file,
                    &a.id,
                    format!(
                        "处理活动 {} 将 {} 的数据（{}）与其他数据（{list}）关联分析，未经其同意",
                        a.id, pr.name, d.id
                    ),
                    format!(
                        "activity {} correlates data of {} ({}) with other data ({list}) without its consent",
                        a.id, pr.name, d.id
                    ),
                ));
            }
        }
    }
    hits
}

fn contract_missing_or_unpermitted(pr: &xiezhi_map::model::Principal, activity: &str) -> bool {
    !pr.permitted_activities.iter().any(|x| x.value == activity)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use xiezhi_map::model::Id;

    #[test]
    fn purpose_binding_and_correlation() {
        let rule = "NDSR-16-purpose-binding";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        // parking-ops also joins the users table: correlation analysis.
        for f in &mut p.files {
            for a in &mut f.map.activities {
                if a.id.value == "parking-ops" {
                    a.datasets.push(Id {
                        value: "users".into(),
                        line: 1,
                        column: 1,
                    });
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        for f in &mut p.files {
            for d in &mut f.map.datasets {
                if let Some(pr) = &mut d.principal {
                    pr.correlation_consented = true;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 0);
        // Another activity using the principal's data without its agreement.
        for f in &mut p.files {
            for a in &mut f.map.activities {
                if a.id.value == "recommend" {
                    a.datasets.push(Id {
                        value: "city-parking".into(),
                        line: 1,
                        column: 1,
                    });
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }
}
