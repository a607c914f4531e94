//! Output of `xiezhi check`: the rule catalog as rows, Markdown (`docs/rules.md`) and JSON, and
//! the findings as a Markdown report grouped by article or as SARIF 2.1.0.
//!
//! Everything here renders to a `String`; the caller writes it. The SARIF pieces shared with
//! `xiezhi scan` (schema URI, artifact URIs, fingerprints, command line) come from
//! [`xiezhi_model::sarif`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use xiezhi_model::sarif;

use crate::date::Date;
use crate::penalty::{FineRange, GroupId, exposure, group};
use crate::rules::{Finding, Rule, Severity, catalog};
use crate::{Lang, group_digits};

impl Severity {
    /// Stable id: `high` or `medium`.
    pub fn id(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
        }
    }

    /// Label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::High, Lang::ZhCn) => "高",
            (Severity::High, Lang::En) => "high",
            (Severity::Medium, Lang::ZhCn) => "中",
            (Severity::Medium, Lang::En) => "medium",
        }
    }

    /// SARIF `level`: high → `error`, medium → `warning`.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::High => "error",
            Severity::Medium => "warning",
        }
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// The penalty group of a rule with its fine ranges (no turnover known).
#[derive(Debug, Clone, Serialize)]
pub struct PenaltyRow {
    /// Group id, e.g. `pipl-66`.
    pub group: &'static str,
    /// The provision imposing the penalty, zh-CN.
    pub provision_zh: &'static str,
    /// The provision imposing the penalty, en.
    pub provision_en: &'static str,
    /// Fixed-amount entity fine across the tiers.
    pub entity: Option<FineRange>,
    /// Fine on responsible persons across the tiers.
    pub persons: Option<FineRange>,
    /// Percent of previous-year turnover the entity fine may reach instead (PIPL 66).
    pub turnover_cap_percent: Option<u64>,
    /// Confidence mark of the group's amounts.
    pub confidence: &'static str,
    /// The article → group mapping is our interpretation (Reg. art. 58).
    pub interpretation: bool,
}

impl PenaltyRow {
    /// The row of group `id`.
    pub fn of(id: GroupId) -> PenaltyRow {
        let g = group(id);
        let e = exposure(id, None);
        PenaltyRow {
            group: id.as_str(),
            provision_zh: g.provision_zh,
            provision_en: g.provision_en,
            entity: e.entity,
            persons: e.persons,
            turnover_cap_percent: g.turnover_cap.map(|c| c.percent),
            confidence: e.confidence.mark(),
            interpretation: g.interpretation,
        }
    }

    /// `entity ¥…; persons ¥…; or 5% of turnover` in `lang`.
    pub fn ranges(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let mut parts = Vec::new();
        if let Some(e) = self.entity {
            parts.push(if zh {
                format!("单位 {}", e.text())
            } else {
                format!("entity {}", e.text())
            });
        }
        if let Some(p) = self.persons {
            parts.push(if zh {
                format!("责任人员 {}", p.text())
            } else {
                format!("persons {}", p.text())
            });
        }
        if let Some(pct) = self.turnover_cap_percent {
            parts.push(if zh {
                format!("或上一年度营业额{pct}%")
            } else {
                format!("or {pct}% of prior-year turnover")
            });
        }
        if parts.is_empty() {
            return if zh {
                "无罚款金额（其他处罚措施）".into()
            } else {
                "no fine amount (other measures)".into()
            };
        }
        parts.join(if zh { "；" } else { "; " })
    }
}

/// A catalog rule as data (`xiezhi check --list-rules --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    /// Rule id.
    pub id: &'static str,
    /// Catalog requirement.
    pub sr: &'static str,
    /// Articles enforced.
    pub articles: Vec<&'static str>,
    /// First day in force.
    pub effective_from: String,
    /// Last day in force, if any.
    pub effective_to: Option<String>,
    /// Severity of its findings.
    pub severity: Severity,
    /// Title, zh-CN.
    pub title_zh: &'static str,
    /// Title, en.
    pub title_en: &'static str,
    /// Penalty group and ranges.
    pub penalty: PenaltyRow,
    /// Confidence mark of the catalog entry the rule encodes (`[C2]`, `[OFF-1]`, …).
    pub confidence: &'static str,
}

impl RuleRow {
    /// The row of `rule`.
    pub fn of(rule: &Rule) -> RuleRow {
        RuleRow {
            id: rule.id,
            sr: rule.sr,
            articles: rule.articles.to_vec(),
            effective_from: ymd(rule.effective_from),
            effective_to: rule.effective_to.map(ymd),
            severity: rule.severity,
            title_zh: rule.title_zh,
            title_en: rule.title_en,
            penalty: PenaltyRow::of(rule.penalty),
            confidence: rule.confidence.mark(),
        }
    }

    /// `2025-01-01 –` or `2025-01-01 – 2026-12-31`.
    pub fn in_force(&self) -> String {
        match &self.effective_to {
            Some(to) => format!("{} – {to}", self.effective_from),
            None => format!("{} –", self.effective_from),
        }
    }
}

/// Every catalog rule as a row, in catalog order.
pub fn rule_rows() -> Vec<RuleRow> {
    catalog().iter().map(RuleRow::of).collect()
}

/// Escapes text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The command that regenerates `docs/rules.md`.
pub const RULES_DOC_COMMAND: &str =
    "cargo run -q -p xiezhi -- check --list-rules --format markdown > docs/rules.md";

/// `docs/rules.md`: the rule catalog in both languages, then the penalty groups it uses.
pub fn rules_markdown() -> String {
    let rows = rule_rows();
    let mut out = String::new();
    out.push_str("# Xiezhi rule catalog / 规则目录\n\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the rule catalog (xiezhi-check `rules::catalog()`); do not edit.\n     Regenerate: {RULES_DOC_COMMAND} -->\n"
    );
    let _ = writeln!(
        out,
        "{} rules. Each finding of `xiezhi check` carries its rule's articles and the exposure of its penalty group (catalog section 3); `xiezhi check --as-of DATE` runs the rules in force on DATE. Severity `high`: a legal precondition of processing is missing; `medium`: a record or declaration is incomplete. This is an engineering aid, not legal advice.\n",
        rows.len()
    );
    let _ = writeln!(
        out,
        "共 {} 条规则。`xiezhi check` 的每项发现都标明所依据的条款及其处罚组的风险敞口（目录第3节）；`--as-of 日期` 只运行该日有效的规则。严重程度“高”：缺少处理的法定前提；“中”：记录或声明不完整。本工具为工程辅助，不构成法律意见。\n",
        rows.len()
    );
    out.push_str("| Rule 规则 | SR | Articles 条款 | In force 施行 | Severity 严重程度 | Confidence 可信度 | Penalty 处罚组 | 标题 | Title |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for r in &rows {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} / {} | {} | [{}](#{}) | {} | {} |",
            r.id,
            r.sr,
            cell(&r.articles.join(", ")),
            r.in_force(),
            r.severity.id(),
            r.severity.label(Lang::ZhCn),
            r.confidence,
            r.penalty.group,
            r.penalty.group,
            cell(r.title_zh),
            cell(r.title_en),
        );
    }
    out.push_str("\n## Penalty groups / 处罚组\n\n");
    out.push_str("Fine ranges span every tier of the group (catalog section 3); `≤` means the text gives only an upper bound.\n\n罚款区间覆盖该组全部档次（目录第3节）；`≤` 表示条文只规定上限。\n");
    let mut seen: Vec<GroupId> = Vec::new();
    for rule in catalog() {
        if seen.contains(&rule.penalty) {
            continue;
        }
        seen.push(rule.penalty);
        let p = PenaltyRow::of(rule.penalty);
        let e = exposure(rule.penalty, None);
        let used: Vec<String> = catalog()
            .iter()
            .filter(|r| r.penalty == rule.penalty)
            .map(|r| format!("`{}`", r.id))
            .collect();
        let _ = writeln!(
            out,
            "\n### {}\n\n- {} / {}\n- Ranges: {}\n- 区间：{}\n- Rules 规则: {}\n- {}\n- {}",
            p.group,
            p.provision_zh,
            p.provision_en,
            p.ranges(Lang::En),
            p.ranges(Lang::ZhCn),
            used.join(", "),
            e.describe(Lang::ZhCn),
            e.describe(Lang::En),
        );
    }
    out
}

/// Counts of findings by severity.
fn counts(findings: &[Finding]) -> (usize, usize) {
    let high = findings
        .iter()
        .filter(|f| f.severity == Severity::High)
        .count();
    (high, findings.len() - high)
}

/// A Markdown report of `findings`, grouped by each finding's first (primary) article, with the
/// exposure of every penalty group met in the group.
pub fn findings_markdown(findings: &[Finding], as_of: Date, lang: Lang) -> String {
    let zh = lang == Lang::ZhCn;
    let (high, medium) = counts(findings);
    let mut out = String::new();
    if zh {
        let _ = writeln!(
            out,
            "# Xiezhi 合规检查报告\n\n截至 {as_of}：{} 项发现（高 {high}，中 {medium}）。本报告为工程辅助，不构成法律意见。",
            findings.len()
        );
    } else {
        let _ = writeln!(
            out,
            "# Xiezhi compliance check\n\nAs of {as_of}: {} finding(s) ({high} high, {medium} medium). An engineering aid, not legal advice.",
            findings.len()
        );
    }
    let mut by_article: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for f in findings {
        let a = f.articles.first().copied().unwrap_or("-");
        if !order.contains(&a) {
            order.push(a);
        }
        by_article.entry(a).or_default().push(f);
    }
    for a in order {
        let group = by_article.get(a).map(Vec::as_slice).unwrap_or_default();
        let _ = writeln!(out, "\n## {a}\n");
        let mut groups: Vec<GroupId> = Vec::new();
        for f in group {
            if !groups.contains(&f.exposure.group) {
                groups.push(f.exposure.group);
            }
        }
        for g in groups {
            if let Some(f) = group.iter().find(|f| f.exposure.group == g) {
                let e = &f.exposure;
                let _ = writeln!(
                    out,
                    "{} **{}** ({}) {}",
                    if zh { "处罚风险" } else { "Exposure" },
                    g.as_str(),
                    PenaltyRow::of(g).ranges(lang),
                    cell(&e.describe(lang))
                );
                if let Some(cap) = e
                    .entity_max_with_cap
                    .filter(|_| e.turnover_cap_yuan.is_some())
                {
                    let _ = writeln!(
                        out,
                        "\n{} ¥{}",
                        if zh {
                            "按上一年度营业额计，单位罚款上限"
                        } else {
                            "Entity fine ceiling with the prior-year turnover:"
                        },
                        group_digits(cap)
                    );
                }
                out.push('\n');
            }
        }
        out.push_str(if zh {
            "| 位置 | 规则 | 条款 | 严重程度 | 说明 |\n| --- | --- | --- | --- | --- |\n"
        } else {
            "| Location | Rule | Articles | Severity | Message |\n| --- | --- | --- | --- | --- |\n"
        });
        for f in group {
            let _ = writeln!(
                out,
                "| `{}` | `{}` ({}) | {} | {} | {} |",
                f.location(),
                f.rule,
                f.sr,
                cell(&f.articles.join(", ")),
                f.severity.label(lang),
                cell(f.message(lang))
            );
        }
    }
    out
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Level,
    properties: SarifRuleProperties,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SarifRuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    problem_severity: &'static str,
    /// GitHub code scanning reads this to rank results (0–10).
    security_severity: &'static str,
    sr: &'static str,
    articles: Vec<&'static str>,
    effective_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_to: Option<String>,
    penalty: PenaltyRow,
    title_zh: &'static str,
    title_en: &'static str,
    confidence: &'static str,
}

/// `NDSR-12-provision-contract` → `Ndsr12ProvisionContract`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let lower = part.to_ascii_lowercase();
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn sarif_rule(rule: &Rule, lang: Lang) -> SarifRule {
    let row = RuleRow::of(rule);
    let e = exposure(rule.penalty, None);
    let zh = lang == Lang::ZhCn;
    let articles = rule.articles.join(", ");
    let (help_text, help_md) = if zh {
        (
            format!(
                "{}\n条款：{articles}（{}，{}）\n施行：{}\n处罚（{}）：{}\n{}",
                rule.title_zh,
                rule.sr,
                rule.id,
                row.in_force(),
                row.penalty.group,
                row.penalty.ranges(lang),
                e.describe(lang)
            ),
            format!(
                "**{}**\n\n- 条款：{articles}\n- 目录要求：{}\n- 施行：{}\n- 处罚组 `{}`：{}\n\n{}\n\n在数据地图中补齐所缺项后重新运行 `xiezhi check`。",
                rule.title_zh,
                rule.sr,
                row.in_force(),
                row.penalty.group,
                row.penalty.ranges(lang),
                e.describe(lang)
            ),
        )
    } else {
        (
            format!(
                "{}\nArticles: {articles} ({}, {})\nIn force: {}\nPenalty ({}): {}\n{}",
                rule.title_en,
                rule.sr,
                rule.id,
                row.in_force(),
                row.penalty.group,
                row.penalty.ranges(lang),
                e.describe(lang)
            ),
            format!(
                "**{}**\n\n- Articles: {articles}\n- Catalog requirement: {}\n- In force: {}\n- Penalty group `{}`: {}\n\n{}\n\nRecord what is missing in the data map and run `xiezhi check` again.",
                rule.title_en,
                rule.sr,
                row.in_force(),
                row.penalty.group,
                row.penalty.ranges(lang),
                e.describe(lang)
            ),
        )
    };
    let mut tags = vec!["compliance".to_string(), "privacy".to_string()];
    tags.extend(rule.articles.iter().map(|a| a.to_string()));
    SarifRule {
        id: rule.id,
        name: pascal(rule.id),
        short_description: Text {
            text: rule.title(lang).to_string(),
        },
        full_description: Text {
            text: format!(
                "{} ({articles}) / {}",
                rule.title(lang),
                if zh { rule.title_en } else { rule.title_zh }
            ),
        },
        help: Help {
            text: help_text,
            markdown: help_md,
        },
        default_configuration: Level {
            level: rule.severity.sarif_level(),
        },
        properties: SarifRuleProperties {
            tags,
            precision: "high",
            problem_severity: match rule.severity {
                Severity::High => "error",
                Severity::Medium => "warning",
            },
            security_severity: match rule.severity {
                Severity::High => "8.0",
                Severity::Medium => "5.0",
            },
            sr: rule.sr,
            articles: rule.articles.to_vec(),
            effective_from: row.effective_from.clone(),
            effective_to: row.effective_to.clone(),
            penalty: row.penalty,
            title_zh: rule.title_zh,
            title_en: rule.title_en,
            confidence: row.confidence,
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "xiezhi/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    sr: &'static str,
    articles: &'a [&'static str],
    severity: Severity,
    message_zh: &'a str,
    message_en: &'a str,
    /// The finding concerns the file as a whole (its region is line 1).
    whole_file: bool,
    exposure: &'a crate::penalty::Exposure,
    confidence: &'static str,
}

/// The `uriBaseId` every artifact location of `xiezhi check` is relative to: the project
/// directory (where `xiezhi.yaml` is).
pub const SARIF_PROJECT_ROOT: &str = "PROJECTROOT";

/// What a SARIF log of `xiezhi check` needs besides the findings.
#[derive(Debug, Clone)]
pub struct SarifOptions<'a> {
    /// Tool version (`CARGO_PKG_VERSION` of the CLI).
    pub tool_version: &'a str,
    /// Message language.
    pub lang: Lang,
    /// The whole command line, program included (empty to leave it out).
    pub command_line: &'a [String],
    /// The project directory as a URI ending in `/` (absolute `file://` or relative), recorded
    /// as `originalUriBaseIds.PROJECTROOT`; `None` leaves the base to the consumer (GitHub
    /// code scanning resolves relative URIs against the repository root).
    pub project_root_uri: Option<String>,
    /// Decision date.
    pub as_of: Date,
}

/// SARIF 2.1.0 for `findings`: one `rule` per catalog rule (in catalog order, so `ruleIndex`
/// is the catalog position) and one result per finding, located at the YAML file (relative to
/// the project directory, `uriBaseId` [`SARIF_PROJECT_ROOT`]), line and column. Findings about
/// a file as a whole (line 0) point at its line 1 with `properties.whole_file` set, since GitHub
/// code scanning requires a start line.
pub fn findings_sarif(findings: &[Finding], o: &SarifOptions<'_>) -> serde_json::Value {
    let rules: Vec<SarifRule> = catalog().iter().map(|r| sarif_rule(r, o.lang)).collect();
    let results: Vec<SarifResult<'_>> = findings
        .iter()
        .map(|f| {
            let rule_index = catalog().iter().position(|r| r.id == f.rule).unwrap_or(0);
            let path = f.file.to_string_lossy().replace('\\', "/");
            SarifResult {
                rule_id: f.rule,
                rule_index,
                level: f.severity.sarif_level(),
                message: Text {
                    text: format!("{} [{}]", f.message(o.lang), f.articles.join(", ")),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: sarif::uri_for(&path, false),
                            uri_base_id: SARIF_PROJECT_ROOT,
                        },
                        // GitHub code scanning needs a start line on every result
                        // (GH1003): a finding about the whole file points at its line 1.
                        region: Region {
                            start_line: f.line.max(1),
                            start_column: (f.line > 0 && f.column > 0).then_some(f.column),
                        },
                    },
                }],
                partial_fingerprints: Fingerprints {
                    v1: sarif::fingerprint(&[f.rule, &path, &f.message_en]),
                },
                properties: ResultProperties {
                    sr: f.sr,
                    articles: &f.articles,
                    severity: f.severity,
                    message_zh: &f.message_zh,
                    message_en: &f.message_en,
                    whole_file: f.line == 0,
                    exposure: &f.exposure,
                    confidence: f.confidence.mark(),
                },
            }
        })
        .collect();
    let mut run = serde_json::json!({
        "tool": {"driver": {
            "name": "xiezhi",
            "informationUri": sarif::INFORMATION_URI,
            "version": o.tool_version,
            "rules": rules,
        }},
        "language": sarif::lang_tag(o.lang),
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
        }],
        "properties": {"as_of": o.as_of.to_string()},
    });
    if !o.command_line.is_empty() {
        run["invocations"][0]["commandLine"] = sarif::command_line(o.command_line).into();
        run["invocations"][0]["arguments"] = o.command_line.get(1..).unwrap_or_default().into();
    }
    if let Some(root) = &o.project_root_uri {
        run["originalUriBaseIds"] = serde_json::json!({ SARIF_PROJECT_ROOT: {"uri": root} });
    }
    serde_json::json!({
        "$schema": sarif::SCHEMA,
        "version": sarif::VERSION,
        "runs": [run],
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn finding(rule: &'static str, line: u64, severity: Severity) -> Finding {
        let r = catalog().iter().find(|r| r.id == rule).unwrap();
        Finding {
            rule: r.id,
            sr: r.sr,
            articles: r.articles.to_vec(),
            severity,
            message_zh: "接收方 cdn 无合同".into(),
            message_en: "recipient cdn has no contract".into(),
            file: PathBuf::from("datamap/recipients.yaml"),
            line,
            column: if line > 0 { 7 } else { 0 },
            exposure: exposure(r.penalty, Some(2_000_000_000)),
            confidence: r.confidence,
        }
    }

    #[test]
    fn pascal_names() {
        assert_eq!(
            pascal("NDSR-12-provision-contract"),
            "Ndsr12ProvisionContract"
        );
    }

    #[test]
    fn rules_doc_lists_every_rule_with_its_group() {
        let md = rules_markdown();
        for r in catalog() {
            assert!(
                md.contains(&format!("| `{}` | {} |", r.id, r.sr)),
                "{}",
                r.id
            );
            assert!(md.contains(&format!("### {}", r.penalty.as_str())));
            assert!(md.contains(r.title_zh) && md.contains(r.title_en));
        }
        assert!(md.contains(RULES_DOC_COMMAND));
    }

    #[test]
    fn sarif_rules_results_and_locations() {
        let fs = [
            finding("NDSR-12-provision-contract", 12, Severity::High),
            finding("NDSR-28-security-officer", 0, Severity::High),
        ];
        let args: Vec<String> = ["xiezhi", "check", "--format", "sarif"]
            .map(String::from)
            .into();
        let doc = findings_sarif(
            &fs,
            &SarifOptions {
                tool_version: "0.1.0",
                lang: Lang::En,
                command_line: &args,
                project_root_uri: Some("file:///repo/".into()),
                as_of: Date::parse("2025-06-30").unwrap(),
            },
        );
        assert_eq!(doc["version"], "2.1.0");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), catalog().len());
        for (i, r) in catalog().iter().enumerate() {
            assert_eq!(rules[i]["id"], r.id);
            assert_eq!(rules[i]["shortDescription"]["text"], r.title_en);
            let help = rules[i]["help"]["text"].as_str().unwrap();
            assert!(help.contains(r.articles[0]), "{help}");
            assert!(help.contains(r.penalty.as_str()), "{help}");
        }
        let r0 = &run["results"][0];
        assert_eq!(r0["ruleId"], "NDSR-12-provision-contract");
        assert_eq!(
            rules[r0["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r0["ruleId"]
        );
        assert_eq!(r0["level"], "error");
        let loc = &r0["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "datamap/recipients.yaml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], SARIF_PROJECT_ROOT);
        assert_eq!(loc["region"]["startLine"], 12);
        assert_eq!(loc["region"]["startColumn"], 7);
        // A finding about the file as a whole points at line 1, without a column.
        let whole = &run["results"][1];
        assert_eq!(
            whole["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert!(whole["locations"][0]["physicalLocation"]["region"]["startColumn"].is_null());
        assert_eq!(whole["properties"]["whole_file"], true);
        assert_eq!(r0["properties"]["whole_file"], false);
        assert_eq!(
            run["originalUriBaseIds"][SARIF_PROJECT_ROOT]["uri"],
            "file:///repo/"
        );
        assert_eq!(
            run["invocations"][0]["commandLine"],
            "xiezhi check --format sarif"
        );
        // Fingerprints ignore the line (edits above a finding do not make it new).
        let moved = finding("NDSR-12-provision-contract", 40, Severity::High);
        let doc2 = findings_sarif(
            &[moved],
            &SarifOptions {
                tool_version: "0.1.0",
                lang: Lang::ZhCn,
                command_line: &[],
                project_root_uri: None,
                as_of: Date::parse("2025-06-30").unwrap(),
            },
        );
        assert_eq!(
            doc2["runs"][0]["results"][0]["partialFingerprints"],
            r0["partialFingerprints"]
        );
        assert!(doc2["runs"][0]["originalUriBaseIds"].is_null());
        assert_eq!(doc2["runs"][0]["language"], "zh-CN");
    }

    #[test]
    fn markdown_groups_by_primary_article() {
        let fs = [
            finding("NDSR-12-provision-contract", 12, Severity::High),
            finding("NDSR-12-provision-contract", 30, Severity::High),
            finding("NDSR-21-retention", 5, Severity::Medium),
        ];
        let md = findings_markdown(&fs, Date::parse("2025-06-30").unwrap(), Lang::En);
        assert!(md.contains("3 finding(s) (2 high, 1 medium)"), "{md}");
        assert_eq!(md.matches("\n## Reg. 12\n").count(), 1, "{md}");
        assert_eq!(md.matches("\n## Reg. 21(3)\n").count(), 1, "{md}");
        assert!(md.contains("`datamap/recipients.yaml:30:7`"), "{md}");
        // PIPL 66 with a turnover of ¥2,000,000,000: ceiling ¥100,000,000.
        assert!(md.contains("¥100,000,000"), "{md}");
        let zh = findings_markdown(&fs, Date::parse("2025-06-30").unwrap(), Lang::ZhCn);
        assert!(zh.contains("高 2，中 1"), "{zh}");
    }
}
