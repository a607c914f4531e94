//! Platform service providers (Reg. arts. 40–46; PIPL 24, 58).

use xiezhi_map::model::RecipientKind;

use super::entity::large_platform;
use super::{Ctx, Hit, REG_790, Rule, Severity, first_due, join, to_date};
use crate::Confidence;
use crate::penalty::GroupId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-40-third-party-obligations",
        sr: "SR-RULE-02",
        articles: &["Reg. 40 para 1", "Reg. 40 para 2"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "平台须通过规则或合同明确接入的第三方（SDK等）的数据安全保护义务",
        title_en: "Platforms fix the data security duties of third parties (SDKs etc.) by rules or contract",
        confidence: Confidence::C2,
        group: "platform",
        check: check_third_parties,
    },
    Rule {
        id: "NDSR-42-recommendation-controls",
        sr: "SR-RULE-02",
        articles: &["Reg. 42", "PIPL 24", "Algorithm Provisions 17"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "自动化推送须提供关闭个性化推荐、拒绝推送和删除用户标签的功能",
        title_en: "Automated push needs a recommendation off-switch, push refusal and tag deletion",
        confidence: Confidence::C2,
        group: "platform",
        check: check_push_controls,
    },
    Rule {
        id: "NDSR-44-social-responsibility-report",
        sr: "SR-RULE-08",
        articles: &["Reg. 44", "PIPL 58"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::Medium,
        title_zh: "大型网络平台每年发布个人信息保护社会责任报告并设外部成员为主的监督机构",
        title_en: "Large platforms publish a yearly PI protection social responsibility report and keep an external supervisory body",
        confidence: Confidence::C2,
        group: "platform",
        check: check_social_report,
    },
    Rule {
        id: "NDSR-46-user-data-access",
        sr: "SR-RULE-08",
        articles: &["Reg. 46", "PIPL 24"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Pipl66,
        severity: Severity::High,
        title_zh: "大型网络平台不得无正当理由限制用户获取其产生的数据，不得实施不合理差别待遇",
        title_en: "Large platforms let users get the data they generated and review differential treatment",
        confidence: Confidence::C2,
        group: "platform",
        check: check_user_data,
    },
];

fn check_third_parties(c: &Ctx<'_>) -> Vec<Hit> {
    let r = &c.p.profile.roles;
    if !(r.platform_service_provider || r.preinstall_device_maker) {
        return Vec::new();
    }
    c.p.each(|m| &m.recipients)
        .filter(|(_, x)| x.kind == RecipientKind::Sdk)
        .filter(|(_, x)| {
            x.contract
                .as_ref()
                .is_none_or(|k| k.security_obligations.is_none())
        })
        .map(|(file, x)| {
            Hit::at(
                file,
                &x.id,
                format!("第三方 SDK {} 的合同或平台规则未约定数据安全保护义务（第四十条）", x.id),
                format!(
                    "third-party SDK {}: no data security duties fixed by contract or platform rules (art. 40)",
                    x.id
                ),
            )
        })
        .collect()
}

fn check_push_controls(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.activities)
        .filter(|(_, a)| a.push || a.recommendation)
        .filter_map(|(file, a)| {
            let k = a.push_controls.clone().unwrap_or_default();
            let missing: Vec<&str> = [
                ("off_switch", !k.off_switch),
                ("refuse_push", !k.refuse_push),
                ("delete_tags", !k.delete_tags),
            ]
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
                &a.id,
                format!(
                    "处理活动 {} 进行个性化推荐或推送，缺少：{list}（第四十二条）",
                    a.id
                ),
                format!(
                    "activity {} recommends or pushes but lacks: {list} (art. 42)",
                    a.id
                ),
            ))
        })
        .collect()
}

fn check_social_report(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !large_platform(p) {
        return Vec::new();
    }
    let d = &p.profile.platform;
    let mut hits = Vec::new();
    match to_date(d.social_responsibility_report) {
        None if c.as_of <= first_due(REG_790, 1) => {}
        None => hits.push(Hit::profile(c.p, "platform.social_responsibility_report", 
            "大型网络平台未记录个人信息保护社会责任报告（platform.social_responsibility_report）".into(),
            "large platform with no PI protection social responsibility report (platform.social_responsibility_report)".into(),
        )),
        Some(last) => {
            let due = last.add_years(1);
            if c.as_of > due {
                hits.push(Hit::profile(c.p, "platform.social_responsibility_report", 
                    format!("上一份社会责任报告发布于 {last}，下一份应于 {due} 前发布，已逾期（第四十四条）"),
                    format!("the last social responsibility report was published {last}; the next was due by {due} (art. 44)"),
                ));
            }
        }
    }
    if d.external_supervisory_body.is_none() {
        hits.push(Hit::profile(c.p, "platform.external_supervisory_body", 
            "大型网络平台未设立主要由外部成员组成的独立机构（platform.external_supervisory_body）".into(),
            "large platform without an independent body of mainly external members (platform.external_supervisory_body)".into(),
        ));
    }
    hits
}

fn check_user_data(c: &Ctx<'_>) -> Vec<Hit> {
    let p = c.p;
    if !large_platform(p) {
        return Vec::new();
    }
    let d = &p.profile.platform;
    let mut missing = Vec::new();
    if !d.user_data_export {
        missing.push("user_data_export");
    }
    if d.differential_treatment_review.is_none() {
        missing.push("differential_treatment_review");
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let list = join(&missing);
    vec![Hit::profile(
        c.p,
        "platform",
        format!("大型网络平台缺少：platform.{list}（第四十六条）"),
        format!("large platform lacks: platform.{list} (art. 46)"),
    )]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;

    #[test]
    fn sdk_obligations() {
        let rule = "NDSR-40-third-party-obligations";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for r in &mut f.map.recipients {
                if let Some(k) = &mut r.contract {
                    k.security_obligations = None;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1, "only the SDK");
        p.profile.roles.platform_service_provider = false;
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }

    #[test]
    fn push_controls() {
        let rule = "NDSR-42-recommendation-controls";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for a in &mut f.map.activities {
                if let Some(k) = &mut a.push_controls {
                    k.delete_tags = false;
                }
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn large_platform_duties() {
        let report = "NDSR-44-social-responsibility-report";
        let data = "NDSR-46-user-data-access";
        let mut p = clean();
        p.profile.platform.user_data_export = false;
        p.profile.platform.social_responsibility_report = Some(map_date("2025-06-30"));
        // Not a large platform: nothing applies.
        assert_eq!(hits(&p, report, AS_OF), 0);
        assert_eq!(hits(&p, data, AS_OF), 0);
        p.profile.scale.registered_users = Some(50_000_000);
        p.profile.roles.large_platform = true;
        assert_eq!(hits(&p, data, AS_OF), 1);
        assert_eq!(hits(&p, report, "2026-06-30"), 0);
        assert_eq!(hits(&p, report, "2026-07-01"), 1);
        p.profile.platform.external_supervisory_body = None;
        assert_eq!(hits(&p, report, "2026-06-30"), 1);
    }
}
