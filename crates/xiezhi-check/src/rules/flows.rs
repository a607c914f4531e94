//! Provision, entrustment and joint processing (Reg. art. 12; PIPL 20–23; Reg. 21 sharing list).

use xiezhi_map::model::Relationship;

use super::{Ctx, Hit, REG_790, Rule, Severity, join, records_problem, to_date};
use crate::Confidence;
use crate::penalty::GroupId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-12-provision-contract",
        sr: "SR-MAP-01",
        articles: &["Reg. 12", "PIPL 21", "PIPL 23"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "提供或委托处理个人信息须约定目的、方式、范围和安全保护义务",
        title_en: "Provision or entrustment needs a contract fixing purpose, method, scope and security duties",
        confidence: Confidence::C2,
        group: "flows",
        check: check_provision_contract,
    },
    Rule {
        id: "NDSR-12-provision-records",
        sr: "SR-MAP-02",
        articles: &["Reg. 12"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::Medium,
        title_zh: "提供、委托处理的处理情况记录须至少保存三年",
        title_en: "Records of provision and entrustment are kept for at least 3 years",
        confidence: Confidence::C2,
        group: "flows",
        check: check_provision_records,
    },
    Rule {
        id: "NDSR-12-joint-allocation",
        sr: "SR-MAP-04",
        articles: &["Reg. 12 para 3", "PIPL 20"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::Medium,
        title_zh: "共同处理须约定各自的权利和义务",
        title_en: "Joint processing needs an agreed allocation of rights and duties",
        confidence: Confidence::C2,
        group: "flows",
        check: check_joint_allocation,
    },
    Rule {
        id: "NDSR-21-sharing-list",
        sr: "SR-MAP-01",
        articles: &["Reg. 21 para 2", "PIPL 23"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "第三方共享清单须列明接收方联系方式和个人信息种类",
        title_en: "The sharing list needs each recipient's contact and PI types",
        confidence: Confidence::C2,
        group: "flows",
        check: check_sharing_list,
    },
];

fn check_provision_contract(c: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, r) in c.p.each(|m| &m.recipients) {
        if !matches!(
            r.relationship,
            Relationship::Entrusted | Relationship::Provided
        ) {
            continue;
        }
        let Some(k) = &r.contract else {
            hits.push(Hit::at(
                file,
                &r.id,
                format!("接收方 {} 无合同（第十二条）", r.id),
                format!("recipient {} has no contract (art. 12)", r.id),
            ));
            continue;
        };
        let missing: Vec<&str> = [
            ("purpose", k.purpose.is_none()),
            ("method", k.method.is_none()),
            ("scope", k.scope.is_none()),
            ("security_obligations", k.security_obligations.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(n, _)| *n)
        .collect();
        if !missing.is_empty() {
            let list = join(&missing);
            hits.push(Hit::at(
                file,
                &r.id,
                format!(
                    "接收方 {} 的合同 {} 未约定：{list}（第十二条）",
                    r.id, k.reference
                ),
                format!(
                    "contract {} with recipient {} does not fix: {list} (art. 12)",
                    k.reference, r.id
                ),
            ));
        }
    }
    hits
}

fn check_provision_records(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.recipients)
        .filter(|(_, r)| {
            matches!(
                r.relationship,
                Relationship::Entrusted | Relationship::Provided
            )
        })
        .filter_map(|(file, r)| {
            let (zh, en) = records_problem(
                &format!("接收方 {}", r.id),
                &format!("recipient {}", r.id),
                r.records.as_ref(),
                to_date(r.ended),
            )?;
            Some(Hit::at(
                file,
                &r.id,
                format!("{zh}（第十二条）"),
                format!("{en} (art. 12)"),
            ))
        })
        .collect()
}

fn check_joint_allocation(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.recipients)
        .filter(|(_, r)| r.relationship == Relationship::Joint)
        .filter(|(_, r)| {
            r.contract
                .as_ref()
                .is_none_or(|k| k.allocation_of_duties.is_none())
        })
        .map(|(file, r)| {
            Hit::at(
                file,
                &r.id,
                format!("共同处理方 {} 未约定权利义务分配（第十二条第三款）", r.id),
                format!(
                    "joint processor {} has no allocation of rights and duties (art. 12 para 3)",
                    r.id
                ),
            )
        })
        .collect()
}

fn check_sharing_list(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.recipients)
        .filter_map(|(file, r)| {
            let no_contact = r
                .contact
                .as_ref()
                .is_none_or(|k| k.email.is_none() && k.phone.is_none() && k.address.is_none());
            let missing: Vec<&str> = [("contact", no_contact), ("pi_types", r.pi_types.is_empty())]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect();
            if missing.is_empty() {
                return None;
            }
            let list = join(&missing);
            Some(Hit::at(
                file,
                &r.id,
                format!(
                    "接收方 {} 缺少共享清单所需信息：{list}（第二十一条第二款）",
                    r.id
                ),
                format!(
                    "recipient {} lacks what the sharing list needs: {list} (art. 21 para 2)",
                    r.id
                ),
            ))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use xiezhi_map::model::Records;

    fn with_courier(p: &mut xiezhi_map::Project, f: impl Fn(&mut xiezhi_map::model::Recipient)) {
        for file in &mut p.files {
            for r in &mut file.map.recipients {
                if r.id.value == "courier" {
                    f(r);
                }
            }
        }
    }

    #[test]
    fn contract_fields() {
        let rule = "NDSR-12-provision-contract";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        with_courier(&mut p, |r| r.contract.as_mut().unwrap().scope = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        with_courier(&mut p, |r| r.contract = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
        assert_eq!(hits(&p, rule, "2024-12-31"), 0);
    }

    #[test]
    fn records_three_years_after_the_flow_ends() {
        let rule = "NDSR-12-provision-records";
        let mut p = clean();
        with_courier(&mut p, |r| {
            r.ended = Some(map_date("2025-06-30"));
            r.records = Some(Records {
                location: "archive".into(),
                retention_years: 3,
                deleted: Some(map_date("2028-06-30")),
            });
        });
        assert_eq!(hits(&p, rule, AS_OF), 0);
        with_courier(&mut p, |r| {
            r.records.as_mut().unwrap().deleted = Some(map_date("2028-06-29"))
        });
        assert_eq!(hits(&p, rule, AS_OF), 1);
        with_courier(&mut p, |r| {
            let rec = r.records.as_mut().unwrap();
            rec.deleted = None;
            rec.retention_years = 2;
        });
        assert_eq!(hits(&p, rule, AS_OF), 1);
        with_courier(&mut p, |r| r.records = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn joint_allocation() {
        let rule = "NDSR-12-joint-allocation";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if let Some(k) = &mut r.contract {
                    k.allocation_of_duties = None;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn sharing_list() {
        let rule = "NDSR-21-sharing-list";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        with_courier(&mut p, |r| r.pi_types.clear());
        assert_eq!(hits(&p, rule, AS_OF), 1);
        with_courier(&mut p, |r| r.contact = None);
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }
}
