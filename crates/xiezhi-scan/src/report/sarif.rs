//! SARIF 2.1.0: one run, written incrementally.
//!
//! * `tool.driver.rules` holds one reporting descriptor for every PI type
//!   ([`PiType::ALL`], in that order, so `ruleIndex` is [`PiType::index`]): the rules come before
//!   the results in the document and results are streamed, so the rules cannot be limited to
//!   the types seen. Descriptions are in the chosen language; the default level is `error` for
//!   types that are sensitive under the pack, `note` for non-personal types (`cn_uscc`) and
//!   `warning` otherwise. Tags are `privacy`, `pii` (personal types only) and the category id.
//! * `run.columnKind` is `unicodeCodePoints`: Xiezhi counts columns in characters.
//! * Each result carries the masked value only (the raw value appears solely as
//!   `properties.value`, and only when the finding has it). Match findings get a region with
//!   `startLine`/`startColumn` and, when the byte offsets are known, `byteOffset`/`byteLength`;
//!   spreadsheet cells add a logical location (`kind` `cell`, `fullyQualifiedName` `Sheet!C5`).
//!   Column findings get region `startLine` 1 and a logical location of kind `column`; database
//!   columns (no path) have no physical location.
//! * `partialFingerprints["xiezhi/v1"]` is FNV-1a 64 (hex) of path, type and byte offset (or
//!   sheet and cell, or line and column) for matches, and of path/source, table, sheet, column
//!   and type for columns. Values never enter the hash (a hash of a short number is reversible).
//! * Artifact URIs: relative paths stay relative, `./` is dropped, and every byte other than
//!   `A-Z a-z 0-9 - . _ ~ /` is percent-encoded (UTF-8); absolute paths become `file://` URIs.
//!   On Windows `\` is read as a separator.
//! * `invocations[0]` has `executionSuccessful: true`, `commandLine` (the whole command line,
//!   program included, quoted POSIX-shell style when needed), `arguments` (without the program,
//!   as SARIF defines them), and the warnings (at most
//!   [`WARNING_CAP`](super::WARNING_CAP)) as `toolExecutionNotifications` of level `warning`.
//! * `run.properties` holds `pack`, `summary` and, when warnings were left out,
//!   `warnings_omitted`.

use std::io::{self, Write};

use serde::Serialize;
use xiezhi_model::{ColumnFinding, Finding, Lang, MatchFinding, PiType, SensitivityPack, Warning};

use xiezhi_model::sarif::{
    INFORMATION_URI, SCHEMA, artifact_uri, command_line, fingerprint, lang_tag,
};

use super::{ReportOptions, Reporter, WarningBuffer, finished_error, write_json};
use crate::summary::Summary;

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    information_uri: &'static str,
    version: &'a str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    category: &'static str,
    sensitive: bool,
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fully_qualified_name: Option<String>,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "xiezhi/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    confidence: f32,
    evidence: &'a [String],
    category: &'static str,
    sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    masked: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sampled: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    command_line: Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    arguments: &'a [String],
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    properties: NotificationProperties,
}

#[derive(Serialize)]
struct NotificationProperties {
    reason: &'static str,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    pack: &'static str,
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings_omitted: Option<u64>,
}

/// Writes SARIF 2.1.0.
#[derive(Debug)]
pub(crate) struct SarifReporter<W: Write> {
    out: W,
    options: ReportOptions,
    /// `None` before the head is written, then whether a result has been written.
    results: Option<bool>,
    finished: bool,
    warnings: WarningBuffer,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter writing to `out`.
    pub(crate) fn new(out: W, options: ReportOptions) -> Self {
        SarifReporter {
            out,
            options,
            results: None,
            finished: false,
            warnings: WarningBuffer::default(),
        }
    }

    /// Writes everything up to the opening of `results`, once. Returns whether a result was
    /// written already.
    fn start(&mut self) -> io::Result<bool> {
        if self.finished {
            return Err(finished_error());
        }
        if let Some(any) = self.results {
            return Ok(any);
        }
        let ReportOptions {
            tool_version,
            pack,
            lang,
            ..
        } = &self.options;
        let driver = Driver {
            name: "xiezhi",
            information_uri: INFORMATION_URI,
            version: tool_version,
            rules: PiType::ALL.iter().map(|&t| rule(t, *pack, *lang)).collect(),
        };
        self.out.write_all(br#"{"$schema":"#)?;
        write_json(&mut self.out, SCHEMA)?;
        self.out
            .write_all(br#","version":"2.1.0","runs":[{"tool":{"driver":"#)?;
        write_json(&mut self.out, &driver)?;
        self.out.write_all(br#"},"language":"#)?;
        write_json(&mut self.out, lang_tag(*lang))?;
        self.out
            .write_all(br#","columnKind":"unicodeCodePoints","results":["#)?;
        self.results = Some(false);
        Ok(false)
    }

    #[cfg(test)]
    pub(crate) fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        let any = self.start()?;
        self.out.write_all(if any { b",\n" } else { b"\n" })?;
        let result = match finding {
            Finding::Match(m) => match_result(m, self.options.lang),
            Finding::Column(c) => column_result(c, self.options.lang),
        };
        write_json(&mut self.out, &result)?;
        self.results = Some(true);
        Ok(())
    }

    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        if self.finished {
            return Err(finished_error());
        }
        self.warnings.push(warning);
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let any = self.start()?;
        self.finished = true;
        self.out.write_all(if any {
            b"\n],\"invocations\":["
        } else {
            b"],\"invocations\":["
        })?;
        let warnings = std::mem::take(&mut self.warnings);
        let args = &self.options.command_line;
        let invocation = Invocation {
            execution_successful: true,
            command_line: (!args.is_empty()).then(|| command_line(args)),
            arguments: args.get(1..).unwrap_or_default(),
            tool_execution_notifications: warnings.kept.iter().map(notification).collect(),
        };
        write_json(&mut self.out, &invocation)?;
        self.out.write_all(br#"],"properties":"#)?;
        let properties = RunProperties {
            pack: self.options.pack.id(),
            summary,
            warnings_omitted: (warnings.omitted > 0).then_some(warnings.omitted),
        };
        write_json(&mut self.out, &properties)?;
        self.out.write_all(b"}]}\n")?;
        self.out.flush()
    }
}

/// SARIF level of a type: non-personal types are notes, sensitive ones errors.
fn level(t: PiType, sensitive: bool) -> &'static str {
    if !t.is_personal() {
        "note"
    } else if sensitive {
        "error"
    } else {
        "warning"
    }
}

/// `cn_resident_id` → `CnResidentId`.
fn pascal(id: &str) -> String {
    id.split('_')
        .flat_map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

fn rule(t: PiType, pack: SensitivityPack, lang: Lang) -> Rule {
    let sensitive = pack.is_sensitive(t);
    let category = t.category();
    let mut tags = vec!["privacy"];
    if t.is_personal() {
        tags.push("pii");
    }
    tags.push(category.id());
    let full = match lang {
        Lang::ZhCn => {
            let status = if !t.is_personal() {
                "非个人信息，仅作上下文参考。".to_owned()
            } else if sensitive {
                format!("在 {pack} 下属于敏感个人信息：{}。", pack.basis(t))
            } else {
                format!("在 {pack} 下属于一般个人信息。")
            };
            format!(
                "{}（{}）。GB/T 35273 类别：{}。{status}",
                t.name_zh(),
                t.id(),
                category.name_zh()
            )
        }
        Lang::En => {
            let status = if !t.is_personal() {
                "Not personal information; reported for context.".to_owned()
            } else if sensitive {
                format!(
                    "Sensitive personal information under {pack}: {}.",
                    pack.basis(t)
                )
            } else {
                format!("General personal information under {pack}.")
            };
            format!(
                "{} ({}). GB/T 35273 category: {}. {status}",
                t.name_en(),
                t.id(),
                category.name_en()
            )
        }
    };
    Rule {
        id: t.id(),
        name: pascal(t.id()),
        short_description: Text {
            text: t.name(lang).to_owned(),
        },
        full_description: Text { text: full },
        default_configuration: Configuration {
            level: level(t, sensitive),
        },
        properties: RuleProperties {
            category: category.id(),
            sensitive,
            tags,
        },
    }
}

fn match_result(m: &MatchFinding, lang: Lang) -> SarifResult<'_> {
    let text = match lang {
        Lang::ZhCn => format!(
            "{} {}（置信度 {:.2}）",
            m.pi_type.name_zh(),
            m.masked,
            m.confidence
        ),
        Lang::En => format!(
            "{} {} (confidence {:.2})",
            m.pi_type.name_en(),
            m.masked,
            m.confidence
        ),
    };
    let region = Region {
        start_line: m.line.max(1),
        start_column: Some(m.column.max(1)),
        byte_offset: m.start,
        byte_length: m.start.zip(m.end).map(|(s, e)| e.saturating_sub(s)),
    };
    let logical = match (m.sheet.as_deref(), m.cell.as_deref()) {
        (Some(sheet), Some(cell)) => vec![LogicalLocation {
            name: cell,
            fully_qualified_name: Some(format!("{sheet}!{cell}")),
            kind: "cell",
        }],
        (Some(sheet), None) => vec![LogicalLocation {
            name: sheet,
            fully_qualified_name: None,
            kind: "sheet",
        }],
        (None, Some(cell)) => vec![LogicalLocation {
            name: cell,
            fully_qualified_name: None,
            kind: "cell",
        }],
        (None, None) => Vec::new(),
    };
    let anchor = match (m.start, m.sheet.as_deref(), m.cell.as_deref()) {
        (Some(start), _, _) => start.to_string(),
        (None, Some(sheet), Some(cell)) => format!("{sheet}!{cell}"),
        _ => format!("{}:{}", m.line, m.column),
    };
    SarifResult {
        rule_id: m.pi_type.id(),
        rule_index: m.pi_type.index(),
        level: level(m.pi_type, m.sensitive),
        message: Text { text },
        locations: [Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: artifact_uri(&m.path),
                },
                region: Some(region),
            }),
            logical_locations: logical,
        }],
        partial_fingerprints: Fingerprints {
            v1: fingerprint(&["m", &m.path, m.pi_type.id(), &anchor]),
        },
        properties: ResultProperties {
            confidence: m.confidence,
            evidence: &m.evidence,
            category: m.category.id(),
            sensitive: m.sensitive,
            masked: Some(&m.masked),
            sampled: None,
            matched: None,
            field: m.field.as_deref(),
            encoding: m.encoding.as_deref(),
            source: None,
            table: None,
            value: m.value.as_deref(),
        },
    }
}

fn column_result(c: &ColumnFinding, lang: Lang) -> SarifResult<'_> {
    let text = match lang {
        Lang::ZhCn => format!(
            "列「{}」含{}（抽样 {} 个值中 {} 个匹配，置信度 {:.2}）",
            c.column,
            c.pi_type.name_zh(),
            c.sampled,
            c.matched,
            c.confidence
        ),
        Lang::En => format!(
            "Column \"{}\" holds {} ({} of {} sampled values matched, confidence {:.2})",
            c.column,
            c.pi_type.name_en(),
            c.matched,
            c.sampled,
            c.confidence
        ),
    };
    let container = c.table.as_deref().or(c.sheet.as_deref());
    let mut logical = Vec::with_capacity(1);
    logical.push(LogicalLocation {
        name: &c.column,
        fully_qualified_name: container.map(|t| format!("{t}.{}", c.column)),
        kind: "column",
    });
    let physical = c.path.as_deref().map(|path| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: artifact_uri(path),
        },
        region: Some(Region {
            start_line: 1,
            start_column: None,
            byte_offset: None,
            byte_length: None,
        }),
    });
    let place = c.path.as_deref().or(c.source.as_deref()).unwrap_or("");
    let fp = fingerprint(&[
        "c",
        place,
        c.table.as_deref().unwrap_or(""),
        c.sheet.as_deref().unwrap_or(""),
        &c.column,
        c.pi_type.id(),
    ]);
    SarifResult {
        rule_id: c.pi_type.id(),
        rule_index: c.pi_type.index(),
        level: level(c.pi_type, c.sensitive),
        message: Text { text },
        locations: [Location {
            physical_location: physical,
            logical_locations: logical,
        }],
        partial_fingerprints: Fingerprints { v1: fp },
        properties: ResultProperties {
            confidence: c.confidence,
            evidence: &c.evidence,
            category: c.category.id(),
            sensitive: c.sensitive,
            masked: None,
            sampled: Some(c.sampled),
            matched: Some(c.matched),
            field: None,
            encoding: None,
            source: c.source.as_deref(),
            table: c.table.as_deref(),
            value: None,
        },
    }
}

fn notification(w: &Warning) -> Notification<'_> {
    Notification {
        level: "warning",
        message: Text {
            text: w.message.clone(),
        },
        locations: [Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: artifact_uri(&w.path),
                },
                region: w.line.map(|l| Region {
                    start_line: l.max(1),
                    start_column: None,
                    byte_offset: None,
                    byte_length: None,
                }),
            }),
            logical_locations: Vec::new(),
        }],
        properties: NotificationProperties {
            reason: w.reason.id(),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::report::WARNING_CAP;
    use crate::report::test_support::*;

    fn options(lang: Lang) -> ReportOptions {
        ReportOptions {
            tool_version: "0.1.0".into(),
            pack: SensitivityPack::Gbt35273_2020,
            lang,
            command_line: vec![
                "xiezhi".into(),
                "scan".into(),
                "my dir".into(),
                "--format".into(),
                "sarif".into(),
            ],
        }
    }

    fn run_with(findings: &[Finding], lang: Lang, warnings: usize) -> Value {
        let mut r = SarifReporter::new(Vec::new(), options(lang));
        for _ in 0..warnings {
            r.warning(&warning()).unwrap();
        }
        for f in findings {
            r.finding(f).unwrap();
        }
        r.finish(&summary()).unwrap();
        let text = String::from_utf8(r.into_inner()).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        check_structure(&doc);
        doc
    }

    fn run(findings: &[Finding]) -> Value {
        run_with(findings, Lang::ZhCn, 1)
    }

    /// The required SARIF 2.1.0 properties and the invariants consumers rely on.
    fn check_structure(doc: &Value) {
        assert_eq!(doc["$schema"], SCHEMA);
        assert_eq!(doc["version"], "2.1.0");
        let runs = doc["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "xiezhi");
        assert_eq!(driver["version"], "0.1.0");
        assert!(
            driver["informationUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), PiType::COUNT);
        for (i, rule) in rules.iter().enumerate() {
            assert_eq!(rule["id"], PiType::ALL[i].id());
            assert!(
                !rule["shortDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .is_empty()
            );
            assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["error", "warning", "note"].contains(&level));
        }
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
            let fp = result["partialFingerprints"]["xiezhi/v1"].as_str().unwrap();
            assert_eq!(fp.len(), 16);
            let loc = &result["locations"][0];
            if let Some(region) = loc["physicalLocation"].get("region") {
                assert!(region["startLine"].as_u64().unwrap() >= 1);
                let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap();
                assert!(uri.is_ascii() && !uri.contains(' '), "{uri}");
            }
        }
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], true);
        assert!(run["properties"]["summary"].is_object());
    }

    #[test]
    fn zero_findings_parse() {
        let doc = run_with(&[], Lang::ZhCn, 0);
        assert_eq!(doc["runs"][0]["results"], Value::Array(vec![]));
        assert_eq!(
            doc["runs"][0]["invocations"][0]["toolExecutionNotifications"],
            Value::Array(vec![])
        );
    }

    #[test]
    fn match_result_in_chinese() {
        let doc = run(&[id_match(None)]);
        let run = &doc["runs"][0];
        assert_eq!(run["language"], "zh-CN");
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "cn_resident_id");
        assert_eq!(r["ruleIndex"], 0);
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "居民身份证号码 1101**********123X（置信度 0.98）"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "logs/%E5%AE%A2%E6%88%B7%20a.log"
        );
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 17);
        assert_eq!(loc["region"]["byteOffset"], 1234);
        assert_eq!(loc["region"]["byteLength"], 18);
        assert!(r["locations"][0].get("logicalLocations").is_none());
        let p = &r["properties"];
        assert_eq!(p["masked"], "1101**********123X");
        assert_eq!(p["category"], "identity_document");
        assert_eq!(p["sensitive"], true);
        assert_eq!(p["evidence"][1], "context:身份证");
        assert!(p.get("value").is_none());
        let rule = &run["tool"]["driver"]["rules"][0];
        assert_eq!(rule["name"], "CnResidentId");
        assert_eq!(rule["shortDescription"]["text"], "居民身份证号码");
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(
            full.contains("个人身份信息") && full.contains("敏感个人信息"),
            "{full}"
        );
        assert_eq!(rule["defaultConfiguration"]["level"], "error");
        assert_eq!(
            rule["properties"]["tags"],
            serde_json::json!(["privacy", "pii", "identity_document"])
        );
    }

    #[test]
    fn english_messages_and_rules() {
        let doc = run_with(&[id_match(None), column()], Lang::En, 0);
        let run = &doc["runs"][0];
        assert_eq!(run["language"], "en");
        assert_eq!(
            run["results"][0]["message"]["text"],
            "PRC resident identity card number 1101**********123X (confidence 0.98)"
        );
        assert_eq!(
            run["results"][1]["message"]["text"],
            "Column \"sfzh\" holds PRC resident identity card number (996 of 1000 sampled values matched, confidence 0.99)"
        );
        let rule = &run["tool"]["driver"]["rules"][PiType::CnMobile.index()];
        assert_eq!(
            rule["shortDescription"]["text"],
            "Mainland China mobile number"
        );
        assert_eq!(rule["defaultConfiguration"]["level"], "warning");
        assert!(
            rule["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .contains("basic personal profile")
        );
    }

    #[test]
    fn pack_decides_rule_levels() {
        let mut r = SarifReporter::new(
            Vec::new(),
            ReportOptions {
                pack: SensitivityPack::Gbt45574_2025,
                ..options(Lang::ZhCn)
            },
        );
        r.finish(&summary()).unwrap();
        let doc: Value = serde_json::from_slice(&r.into_inner()).unwrap();
        let rules = &doc["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(
            rules[PiType::CnResidentId.index()]["defaultConfiguration"]["level"],
            "warning"
        );
        assert_eq!(
            rules[PiType::BankCard.index()]["defaultConfiguration"]["level"],
            "error"
        );
        assert_eq!(doc["runs"][0]["properties"]["pack"], "gbt45574-2025");
    }

    #[test]
    fn spreadsheet_match_has_no_offsets_and_a_cell() {
        let doc = run(&[sheet_match()]);
        let r = &doc["runs"][0]["results"][0];
        assert_eq!(r["level"], "warning");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 5);
        assert_eq!(region["startColumn"], 3);
        assert!(region.get("byteOffset").is_none() && region.get("byteLength").is_none());
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "export/%E5%AE%A2%E6%88%B7%20%E5%90%8D%E5%8D%95.xlsx"
        );
        let logical = &r["locations"][0]["logicalLocations"][0];
        assert_eq!(logical["name"], "C5");
        assert_eq!(logical["fullyQualifiedName"], "Sheet 1!C5");
        assert_eq!(logical["kind"], "cell");
        assert_eq!(r["properties"]["field"], "手机");
    }

    #[test]
    fn column_result() {
        let doc = run(&[column()]);
        let r = &doc["runs"][0]["results"][0];
        assert_eq!(
            r["message"]["text"],
            "列「sfzh」含居民身份证号码（抽样 1000 个值中 996 个匹配，置信度 0.99）"
        );
        let loc = &r["locations"][0];
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "export/users.csv"
        );
        assert_eq!(
            loc["physicalLocation"]["region"],
            serde_json::json!({"startLine": 1})
        );
        assert_eq!(
            loc["logicalLocations"][0],
            serde_json::json!({"name": "sfzh", "kind": "column"})
        );
        assert_eq!(r["properties"]["sampled"], 1000);
        assert_eq!(r["properties"]["matched"], 996);
        assert!(r["properties"].get("masked").is_none());

        // A database column: no physical location.
        let Finding::Column(mut c) = column() else {
            unreachable!()
        };
        c.path = None;
        c.source = Some("mysql://app@db/crm".into());
        c.table = Some("users".into());
        let doc = run(&[Finding::Column(c)]);
        let r = &doc["runs"][0]["results"][0];
        assert!(r["locations"][0].get("physicalLocation").is_none());
        assert_eq!(
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            "users.sfzh"
        );
        assert_eq!(r["properties"]["table"], "users");
    }

    #[test]
    fn non_personal_types_are_notes() {
        let doc = run(&[uscc()]);
        let r = &doc["runs"][0]["results"][0];
        assert_eq!(r["level"], "note");
        let rule = &doc["runs"][0]["tool"]["driver"]["rules"][PiType::CnUscc.index()];
        assert_eq!(rule["defaultConfiguration"]["level"], "note");
        assert_eq!(
            rule["properties"]["tags"],
            serde_json::json!(["privacy", "organisation"])
        );
    }

    #[test]
    fn value_only_when_present() {
        let doc = run(&[id_match(Some("11010519491231002X"))]);
        let r = &doc["runs"][0]["results"][0];
        assert_eq!(r["properties"]["value"], "11010519491231002X");
        assert!(
            !r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("11010519491231002X")
        );
        let a = &run(&[id_match(None)])["runs"][0]["results"][0]["partialFingerprints"];
        assert_eq!(
            &r["partialFingerprints"], a,
            "the value must not enter the fingerprint"
        );
    }

    #[test]
    fn invocation_and_notifications() {
        let doc = run_with(&[id_match(None)], Lang::ZhCn, WARNING_CAP + 2);
        let run = &doc["runs"][0];
        let inv = &run["invocations"][0];
        assert_eq!(inv["commandLine"], "xiezhi scan 'my dir' --format sarif");
        assert_eq!(
            inv["arguments"],
            serde_json::json!(["scan", "my dir", "--format", "sarif"])
        );
        let notes = inv["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), WARNING_CAP);
        assert_eq!(notes[0]["level"], "warning");
        assert_eq!(notes[0]["message"]["text"], "looks binary; skipped");
        assert_eq!(notes[0]["properties"]["reason"], "binary");
        let loc = &notes[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "bin/x%20y.dat");
        assert_eq!(loc["region"]["startLine"], 7);
        assert_eq!(run["properties"]["warnings_omitted"], 2);
        assert_eq!(run["properties"]["summary"]["warnings"]["binary"], 1);
        assert_eq!(
            run["properties"]["summary"]["by_type"]["cn_resident_id"]["files"],
            2
        );
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = match_result(
            match &id_match(None) {
                Finding::Match(m) => m,
                _ => unreachable!(),
            },
            Lang::En,
        )
        .partial_fingerprints
        .v1;
        let Finding::Match(mut m) = id_match(None) else {
            unreachable!()
        };
        m.confidence = 0.5;
        m.line = 99;
        assert_eq!(match_result(&m, Lang::ZhCn).partial_fingerprints.v1, a);
        m.start = Some(1);
        assert_ne!(match_result(&m, Lang::ZhCn).partial_fingerprints.v1, a);
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("cn_resident_id"), "CnResidentId");
        assert_eq!(pascal("ipv4"), "Ipv4");
    }
}
