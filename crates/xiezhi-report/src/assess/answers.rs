//! The answers file: what cannot be derived from the data map or the store, answered by people.
//!
//! ```yaml
//! important-data-annual:
//!   incidents: 本年度未发生网络数据安全事件。
//! pipia:
//!   recommend.impact: …
//! ```
//!
//! One mapping per report kind (its id), question id → text. Unknown report kinds are
//! rejected with their line; answer keys no question asked for are listed in the document
//! (`unused_answers`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use xiezhi_map::Project;
use xiezhi_model::Lang;

use super::model::MissingKind;
use super::{AssessError, Evidence, Period, ReportInput, ReportKind, build};

/// Answers to the open questions, per report kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// `important-data-annual` (Reg. art. 33).
    #[serde(rename = "important-data-annual", default)]
    pub important_data_annual: BTreeMap<String, String>,
    /// `platform-pi-annual` (Reg. art. 44).
    #[serde(rename = "platform-pi-annual", default)]
    pub platform_pi_annual: BTreeMap<String, String>,
    /// `pipia` (PIPL 55–56); keys `<activity id>.<question>`.
    #[serde(default)]
    pub pipia: BTreeMap<String, String>,
    /// `art31` (Reg. art. 31); keys `<flow id>.<question>`.
    #[serde(default)]
    pub art31: BTreeMap<String, String>,
    /// `compliance-audit` (PIPL 54).
    #[serde(rename = "compliance-audit", default)]
    pub compliance_audit: BTreeMap<String, String>,
    /// `inspection-pack` (Reg. art. 50).
    #[serde(rename = "inspection-pack", default)]
    pub inspection_pack: BTreeMap<String, String>,
    /// `xborder` (Reg. arts. 35–38; CAC Order 16).
    #[serde(default)]
    pub xborder: BTreeMap<String, String>,
}

impl Answers {
    /// Parses an answers file. Errors name the file, line and column and say what to change.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Answers, AssessError> {
        if text.trim().is_empty() {
            return Ok(Answers::default());
        }
        serde_saphyr::from_str::<Answers>(text).map_err(|e| convert(&e, path))
    }

    /// The answers of one report kind.
    pub fn of(&self, kind: ReportKind) -> &BTreeMap<String, String> {
        match kind {
            ReportKind::ImportantDataAnnual => &self.important_data_annual,
            ReportKind::PlatformPiAnnual => &self.platform_pi_annual,
            ReportKind::Pipia => &self.pipia,
            ReportKind::Art31 => &self.art31,
            ReportKind::ComplianceAudit => &self.compliance_audit,
            ReportKind::InspectionPack => &self.inspection_pack,
            ReportKind::Xborder => &self.xborder,
        }
    }

    /// The mutable answers of one report kind.
    pub fn of_mut(&mut self, kind: ReportKind) -> &mut BTreeMap<String, String> {
        match kind {
            ReportKind::ImportantDataAnnual => &mut self.important_data_annual,
            ReportKind::PlatformPiAnnual => &mut self.platform_pi_annual,
            ReportKind::Pipia => &mut self.pipia,
            ReportKind::Art31 => &mut self.art31,
            ReportKind::ComplianceAudit => &mut self.compliance_audit,
            ReportKind::InspectionPack => &mut self.inspection_pack,
            ReportKind::Xborder => &mut self.xborder,
        }
    }

    /// The answer to `question` of `kind`, when given and not blank.
    pub fn get(&self, kind: ReportKind, question: &str) -> Option<&str> {
        self.of(kind)
            .get(question)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    /// A YAML skeleton with every open question of `kind` for `project` (all subjects), each
    /// with a comment explaining it. Questions the data map already answers are left out.
    pub fn template(kind: ReportKind, project: &Project, lang: Lang) -> String {
        let as_of = project
            .profile
            .scale
            .as_of
            .and_then(|d| xiezhi_check::date::from_map(Some(d)))
            .or_else(|| xiezhi_check::Date::new(2026, 12, 31).ok());
        let Some(as_of) = as_of else {
            return String::new();
        };
        let empty = Answers::default();
        let evidence = Evidence::default();
        let input = ReportInput {
            kind,
            project,
            evidence: &evidence,
            answers: &empty,
            period: Period {
                year: as_of.year(),
                as_of,
            },
            lang,
            subject: None,
        };
        Self::template_for(&input)
    }

    /// [`Answers::template`] for a given input (its answers are ignored: every question the
    /// report asks is listed, answered or not, and an existing answer is kept as the value).
    pub fn template_for(input: &ReportInput) -> String {
        let mut out = header(input.lang).to_string();
        out.push_str(&kind_body(input));
        out
    }

    /// One answers file for every report kind of `project` (the template of each kind, in
    /// [`ReportKind::ALL`] order, under one header).
    pub fn template_all(project: &Project, lang: Lang) -> String {
        let mut out = header(lang).to_string();
        for kind in ReportKind::ALL {
            out.push('\n');
            let t = Answers::template(kind, project, lang);
            out.push_str(t.strip_prefix(header(lang)).unwrap_or(&t));
        }
        out
    }
}

fn header(lang: Lang) -> &'static str {
    if lang == Lang::ZhCn {
        "# Xiezhi 报告答复文件（无法从数据地图和服务存储得出的内容，由人工填写）。\n# 每个问题一行；多行文字用 `|` 块。留空的问题会列在报告的“仍缺内容”中。\n"
    } else {
        "# Xiezhi report answers: what the data map and the service store cannot tell, written by people.\n# One question per key; use a `|` block for several lines. Blank questions are listed under \"still missing\" in the report.\n"
    }
}

/// The `kind:` mapping with every question the report asks, each with its comment.
fn kind_body(input: &ReportInput) -> String {
    let lang = input.lang;
    let empty = Answers::default();
    let blank = ReportInput {
        answers: &empty,
        subject: input.subject.clone(),
        ..*input
    };
    let kind = input.kind;
    let mut out = String::new();
    let doc = match build(&blank) {
        Ok(d) => d,
        Err(e) => {
            out.push_str(&format!(
                "# {}\n{}: {{}}\n",
                e.render(lang).replace('\n', " "),
                kind.id()
            ));
            return out;
        }
    };
    let mut body = String::new();
    for m in doc.missing.iter().filter(|m| m.kind == MissingKind::Answer) {
        let value = input.answers.get(kind, &m.question).unwrap_or("");
        body.push_str(&format!(
            "  # [{}] {}\n  {}: {}\n",
            m.section,
            m.what.replace('\n', " "),
            yaml_str(&m.question),
            yaml_value(value)
        ));
    }
    if body.is_empty() {
        out.push_str(if lang == Lang::ZhCn {
            "# 本报告没有需要人工回答的问题：全部内容来自数据地图和服务存储。\n"
        } else {
            "# This report asks no questions: everything comes from the data map and the service store.\n"
        });
        out.push_str(&format!("{}: {{}}\n", kind.id()));
    } else {
        out.push_str(&format!("{}:\n{body}", kind.id()));
    }
    out
}

/// A YAML double-quoted string.
fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value: quoted on one line, a `|` block when it spans lines.
fn yaml_value(s: &str) -> String {
    if s.contains('\n') {
        let mut out = String::from("|\n");
        for line in s.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
        out.trim_end_matches('\n').to_string()
    } else {
        yaml_str(s)
    }
}

fn convert(err: &serde_saphyr::Error, path: &Path) -> AssessError {
    use serde_saphyr::Error as E;
    let err = err.without_snippet();
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let (message, hint) = match err {
        E::SerdeUnknownField { field, .. } => (
            format!("unknown report kind `{field}` · 未知的报告类型"),
            format!(
                "use one of: {}",
                ReportKind::ALL
                    .iter()
                    .map(|k| k.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        E::SerdeInvalidType { expected, .. } => (
            format!("wrong type: expected {expected} · 类型错误"),
            "each report kind is a mapping of question id to text; quote a value that looks like a number or a date".to_string(),
        ),
        E::NullIntoString { .. } => (
            "an answer is empty (null) · 答复为空".to_string(),
            "write the answer as text, or \"\" to leave it open".to_string(),
        ),
        other => (
            other.to_string(),
            "check the indentation: `kind:` at the start of the line, `question: text` indented under it".to_string(),
        ),
    };
    AssessError::Answers {
        path: path.to_path_buf(),
        line,
        column,
        message,
        hint,
    }
}
