//! Crawlers (Reg. arts. 18, 24) and generative-AI training data (Reg. art. 19; GenAI Measures 7).

use super::{Ctx, Hit, REG_790, Rule, Severity, join};
use crate::Confidence;
use crate::penalty::GroupId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "NDSR-18-crawler-governance",
        sr: "SR-RULE-05",
        articles: &["Reg. 18", "Reg. 24"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::High,
        title_zh: "自动化采集须事先评估影响、不得侵入或干扰他人网络，并清除不必要的个人信息",
        title_en: "Crawlers: prior impact assessment, no intrusion or disruption, purge of unnecessary PI",
        confidence: Confidence::C2,
        group: "crawler_ai",
        check: check_crawlers,
    },
    Rule {
        id: "NDSR-19-training-data",
        sr: "SR-RULE-06",
        articles: &["Reg. 19", "GenAI Measures 7"],
        effective_from: REG_790,
        effective_to: None,
        penalty: GroupId::Reg55,
        severity: Severity::Medium,
        title_zh: "生成式人工智能训练数据须登记来源、合法性基础、质量与安全措施",
        title_en: "GenAI training data: sources, lawful basis, quality checks and safeguards on record",
        confidence: Confidence::C2,
        group: "crawler_ai",
        check: check_training,
    },
];

fn check_crawlers(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.crawlers)
        .filter_map(|(file, k)| {
            let mut problems = Vec::new();
            if k.impact_assessed.is_none() {
                problems.push("impact_assessed");
            }
            if k.bypasses_access_controls {
                problems.push("bypasses_access_controls");
            }
            if !k.respects_robots_txt {
                problems.push("respects_robots_txt");
            }
            if k.max_requests_per_second.is_none_or(|r| r <= 0.0) {
                problems.push("max_requests_per_second");
            }
            if !k.pi_types.is_empty() && !k.purges_unnecessary_pi {
                problems.push("purges_unnecessary_pi");
            }
            if problems.is_empty() {
                return None;
            }
            let list = join(&problems);
            Some(Hit::at(
                file,
                &k.id,
                format!("爬虫 {} 不符合：{list}（第十八条、第二十四条）", k.id),
                format!("crawler {} fails: {list} (arts. 18, 24)", k.id),
            ))
        })
        .collect()
}

fn check_training(c: &Ctx<'_>) -> Vec<Hit> {
    c.p.each(|m| &m.training_datasets)
        .filter_map(|(file, t)| {
            let mut missing = Vec::new();
            if t.sources.is_empty() {
                missing.push("sources");
            }
            if t.licence.is_none() {
                missing.push("licence");
            }
            if t.quality_checks.is_empty() {
                missing.push("quality_checks");
            }
            if t.safeguards.is_empty() {
                missing.push("safeguards");
            }
            if (t.contains_pi || !t.pi_types.is_empty()) && t.legal_basis.is_none() {
                missing.push("legal_basis");
            }
            if missing.is_empty() {
                return None;
            }
            let list = join(&missing);
            Some(Hit::at(
                file,
                &t.id,
                format!("训练数据 {} 缺少：{list}（第十九条）", t.id),
                format!("training dataset {} lacks: {list} (art. 19)", t.id),
            ))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::testkit::*;
    use xiezhi_map::model::LegalBasis;

    #[test]
    fn crawler() {
        let rule = "NDSR-18-crawler-governance";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for k in &mut f.map.crawlers {
                k.bypasses_access_controls = true;
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        let mut p = clean();
        for f in &mut p.files {
            for k in &mut f.map.crawlers {
                k.max_requests_per_second = Some(0.0);
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
    }

    #[test]
    fn training_data() {
        let rule = "NDSR-19-training-data";
        let mut p = clean();
        assert_eq!(hits(&p, rule, AS_OF), 0);
        for f in &mut p.files {
            for t in &mut f.map.training_datasets {
                t.contains_pi = true;
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 1);
        for f in &mut p.files {
            for t in &mut f.map.training_datasets {
                t.legal_basis = Some(LegalBasis::Consent);
            }
        }
        assert_eq!(hits(&p, rule, AS_OF), 0);
    }
}
