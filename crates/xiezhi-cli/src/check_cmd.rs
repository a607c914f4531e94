//! `xiezhi check [DIR]`: runs the article-level rules on the data map and prints findings, or
//! lists the rule catalog (`--list-rules`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use comfy_table::{ContentArrangement, Table, presets};
use xiezhi_check::Date;
use xiezhi_check::date::PrcWorkdays;
use xiezhi_check::penalty::FineRange;
use xiezhi_check::report::{
    SarifOptions, findings_markdown, findings_sarif, rule_rows, rules_markdown,
};
use xiezhi_check::rules::{Finding, Severity, evaluate_with};
use xiezhi_map::{Project, load_project};
use xiezhi_model::Lang;

use crate::cli::{CheckArgs, CheckFailOn, CheckFormat};

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// Runs the rules with the PRC working-day calendar; when a working-day clock leaves the
/// calendar's years, runs them again counting calendar days (earlier or equal deadlines) and
/// says so on stderr.
fn evaluate_prc(project: &Project, as_of: Date, lang: Lang) -> Vec<Finding> {
    let cal = match PrcWorkdays::new() {
        Ok(cal) => cal,
        Err(e) => {
            eprintln!(
                "{}: {e}",
                tr(
                    lang,
                    "警告：工作日历不可用，按自然日计算",
                    "warning: working-day calendar unavailable, counting calendar days"
                )
            );
            return evaluate_with(project, as_of, None);
        }
    };
    let findings = evaluate_with(project, as_of, Some(&cal));
    match cal.outside_date() {
        None => findings,
        Some(day) => {
            match lang {
                Lang::ZhCn => eprintln!(
                    "注意：{day} 超出工作日历覆盖的年份（{}），工作日期限按自然日近似计算（期限只会更早）",
                    cal.covered()
                ),
                Lang::En => eprintln!(
                    "note: {day} is outside the working-day calendar's years ({}); working-day deadlines are approximated with calendar days (never later than the real ones)",
                    cal.covered()
                ),
            }
            evaluate_with(project, as_of, None)
        }
    }
}

/// Returns `true` when a finding reaches `--fail-on` (exit 1).
pub fn run(args: &CheckArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    if args.list_rules {
        let text = list_rules(args.format, lang)?;
        write_output(args.output.as_deref(), &text)?;
        return Ok(false);
    }
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let project = load(&args.dir)?;
    let findings = evaluate_prc(&project, as_of, lang);
    let text = match args.format {
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&findings)?;
            s.push('\n');
            s
        }
        CheckFormat::Markdown => findings_markdown(&findings, as_of, lang),
        CheckFormat::Sarif => {
            let argv: Vec<String> = std::env::args().collect();
            let root = std::fs::canonicalize(&args.dir)
                .ok()
                .and_then(|p| p.to_str().map(str::to_owned))
                .map(|p| {
                    let mut uri = xiezhi_model::sarif::artifact_uri(&p);
                    if !uri.ends_with('/') {
                        uri.push('/');
                    }
                    uri
                });
            let doc = findings_sarif(
                &findings,
                &SarifOptions {
                    tool_version: env!("CARGO_PKG_VERSION"),
                    lang,
                    command_line: &argv,
                    project_root_uri: root,
                    as_of,
                },
            );
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
        CheckFormat::Table => findings_table(&findings, as_of, lang),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(fails(&findings, args.fail_on))
}

/// Whether `findings` reach `--fail-on`.
fn fails(findings: &[Finding], fail_on: CheckFailOn) -> bool {
    let threshold = match fail_on {
        CheckFailOn::High => Some(Severity::High),
        CheckFailOn::Medium => Some(Severity::Medium),
        CheckFailOn::Never => None,
    };
    threshold.is_some_and(|t| findings.iter().any(|f| f.severity >= t))
}

/// `--as-of` or today (UTC).
pub fn parse_as_of(s: Option<&str>) -> Result<Date> {
    match s {
        Some(s) => Date::parse(s).map_err(|e| anyhow::anyhow!("--as-of {s}: {e}")),
        None => Ok(today()),
    }
}

/// Loads the project, printing every load error to stderr.
pub fn load(dir: &Path) -> Result<Project> {
    match load_project(dir) {
        Ok(p) => Ok(p),
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            bail!(
                "the data map in {} has {} error(s); run `xiezhi map check`",
                dir.display(),
                errors.0.len()
            );
        }
    }
}

/// Writes `text` to `path` or stdout.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to stdout")
        }
    }
}

fn range(r: Option<FineRange>) -> String {
    r.map_or_else(|| "-".to_string(), |r| r.text())
}

fn findings_table(findings: &[Finding], as_of: Date, lang: Lang) -> String {
    let mut out = String::new();
    for f in findings {
        let e = &f.exposure;
        let cap = match (e.turnover_cap_yuan, e.entity_max_with_cap) {
            (Some(_), Some(max)) => format!(
                "  {}: ¥{}",
                tr(lang, "按营业额计上限", "ceiling with turnover"),
                xiezhi_check::group_digits(max)
            ),
            _ => String::new(),
        };
        let mitigation = if e.mitigation.is_empty() {
            String::new()
        } else {
            let grounds: Vec<&str> = e.mitigation.iter().map(|m| m.text(lang)).collect();
            format!(
                "\n  {}: {}",
                tr(
                    lang,
                    "已记录的第五十九条从轻情节",
                    "art. 59 grounds on record"
                ),
                grounds.join("; ")
            )
        };
        out.push_str(&format!(
            "{} [{}] {} {} ({}) {}\n  {}\n  {} {}: {}  {}: {}{cap}{mitigation}\n",
            f.location(),
            f.severity.label(lang),
            f.rule,
            f.articles.join(", "),
            f.sr,
            f.confidence.mark(),
            f.message(lang),
            e.group.as_str(),
            tr(lang, "单位罚款", "entity fine"),
            range(e.entity),
            tr(lang, "责任人员罚款", "responsible persons"),
            range(e.persons),
        ));
    }
    let high = findings
        .iter()
        .filter(|f| f.severity == Severity::High)
        .count();
    let medium = findings.len() - high;
    out.push_str(&match lang {
        Lang::ZhCn => format!(
            "{} 项发现（高 {high}，中 {medium}；截至 {as_of}）\n",
            findings.len()
        ),
        Lang::En => format!(
            "{} finding(s) ({high} high, {medium} medium) as of {as_of}\n",
            findings.len()
        ),
    });
    out
}

fn list_rules(format: CheckFormat, lang: Lang) -> Result<String> {
    Ok(match format {
        CheckFormat::Markdown => rules_markdown(),
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rule_rows())?;
            s.push('\n');
            s
        }
        CheckFormat::Sarif => {
            bail!("--list-rules prints table, json or markdown; SARIF carries the rules of a check")
        }
        CheckFormat::Table => {
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(vec![
                    tr(lang, "规则", "rule"),
                    "SR",
                    tr(lang, "条款", "articles"),
                    tr(lang, "施行", "in force"),
                    tr(lang, "严重程度", "severity"),
                    tr(lang, "处罚组与罚款区间", "penalty group and ranges"),
                    tr(lang, "标题", "title"),
                ]);
            for r in rule_rows() {
                t.add_row(vec![
                    r.id.to_string(),
                    r.sr.to_string(),
                    r.articles.join(", "),
                    r.in_force(),
                    r.severity.label(lang).to_string(),
                    format!("{}: {}", r.penalty.group, r.penalty.ranges(lang)),
                    match lang {
                        Lang::ZhCn => r.title_zh,
                        Lang::En => r.title_en,
                    }
                    .to_string(),
                ]);
            }
            format!("{t}\n")
        }
    })
}

/// Today's date (UTC) from the system clock.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use xiezhi_check::penalty::{GroupId, exposure};

    fn finding(severity: Severity) -> Finding {
        Finding {
            rule: "NDSR-21-retention",
            sr: "SR-NOTICE-01",
            articles: vec!["Reg. 21(3)"],
            severity,
            message_zh: String::new(),
            message_en: String::new(),
            file: "datamap/activities.yaml".into(),
            line: 1,
            column: 1,
            exposure: exposure(GroupId::Pipl66, None),
            confidence: xiezhi_check::Confidence::C2,
        }
    }

    #[test]
    fn fail_on_thresholds() {
        let medium = [finding(Severity::Medium)];
        let high = [finding(Severity::Medium), finding(Severity::High)];
        assert!(!fails(&[], CheckFailOn::Medium));
        assert!(fails(&medium, CheckFailOn::Medium));
        assert!(!fails(&medium, CheckFailOn::High));
        assert!(fails(&high, CheckFailOn::High));
        assert!(!fails(&high, CheckFailOn::Never));
    }
}
