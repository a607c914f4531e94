//! The report to the authority (Incident Measures art. 7, SR-INC-02): initial, supplementary
//! and summary reports, with the "report first, supplement later" list of missing fields.
//!
//! The content list follows catalog 4.9, which marks it **\[UNCONFIRMED\] as an exhaustive list**;
//! the rule that the first two items may be reported first and the rest supplemented is \[C2\].
//! The report carries counts of people and PI *types* only, never PI values.

use serde::{Deserialize, Serialize};
use xiezhi_model::Lang;

use crate::grade::{Grading, grade};
use crate::model::{Incident, IncidentKind, Text};
use crate::time::Timestamp;
use crate::{Confidence, group_digits};

/// One field of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportField {
    /// 事发单位名称及联系方式 (item 1).
    ReportingUnit,
    /// 发生事件的设施、系统、平台 (item 1).
    AffectedSystems,
    /// 事件发生地点 (item 2).
    Location,
    /// 已造成的影响和危害 (item 3).
    Impact,
    /// 已采取的应急处置措施及效果 (item 4).
    MeasuresTaken,
    /// 勒索软件事件的勒索信息 (item 5, ransomware only).
    RansomDemand,
    /// 事件发展态势及可能的进一步影响 (item 6).
    Trend,
    /// 初步分析的事件原因 (item 7).
    PreliminaryCause,
    /// 进一步调查分析所需的线索 (item 8).
    TracingClues,
    /// 拟采取的进一步措施及需要的支援 (item 9).
    FurtherMeasures,
    /// 事件现场保护情况 (item 10).
    SitePreservation,
    /// Summary: 事件原因.
    SummaryCause,
    /// Summary: 处置措施.
    SummaryMeasures,
    /// Summary: 危害.
    SummaryHarm,
    /// Summary: 责任处理.
    SummaryAccountability,
    /// Summary: 整改情况.
    SummaryRectification,
    /// Summary: 经验教训.
    SummaryLessons,
}

impl ReportField {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            ReportField::ReportingUnit => ("事发单位名称及联系方式", "reporting unit and contact"),
            ReportField::AffectedSystems => (
                "发生事件的设施、系统、平台",
                "affected facilities, systems and platforms",
            ),
            ReportField::Location => ("事件发生地点", "location"),
            ReportField::Impact => ("已造成的影响和危害", "impact and harm caused"),
            ReportField::MeasuresTaken => (
                "已采取的应急处置措施及效果",
                "emergency measures taken and their effect",
            ),
            ReportField::RansomDemand => ("勒索信息", "ransom demand"),
            ReportField::Trend => (
                "事件发展态势及可能造成的进一步影响",
                "trend and possible further impact",
            ),
            ReportField::PreliminaryCause => ("初步分析的事件原因", "preliminary cause analysis"),
            ReportField::TracingClues => (
                "进一步调查分析所需的线索",
                "clues for tracing and investigation",
            ),
            ReportField::FurtherMeasures => (
                "拟进一步采取的应对措施及需要的支援",
                "further measures planned and support requested",
            ),
            ReportField::SitePreservation => ("事件现场保护情况", "on-site preservation status"),
            ReportField::SummaryCause => ("事件原因", "cause"),
            ReportField::SummaryMeasures => ("处置措施", "measures taken"),
            ReportField::SummaryHarm => ("事件危害", "harm"),
            ReportField::SummaryAccountability => ("责任处理", "accountability"),
            ReportField::SummaryRectification => ("整改情况", "rectification"),
            ReportField::SummaryLessons => ("经验教训", "lessons learned"),
        };
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    /// `true` for the fields of the first two items, which even a first report must carry
    /// (the rest may be supplemented later).
    pub fn required_in_first_report(self) -> bool {
        matches!(
            self,
            ReportField::ReportingUnit | ReportField::AffectedSystems | ReportField::Location
        )
    }
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 首次报告.
    Initial,
    /// 补充报告.
    Supplementary,
    /// 总结报告 (within 30 days after handling ends).
    Summary,
}

impl ReportKind {
    fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReportKind::Initial, Lang::ZhCn) => "网络安全事件报告（首次报告）",
            (ReportKind::Initial, Lang::En) => "Cybersecurity incident report (initial report)",
            (ReportKind::Supplementary, Lang::ZhCn) => "网络安全事件报告（补充报告）",
            (ReportKind::Supplementary, Lang::En) => {
                "Cybersecurity incident report (supplementary report)"
            }
            (ReportKind::Summary, Lang::ZhCn) => "网络安全事件总结报告",
            (ReportKind::Summary, Lang::En) => "Cybersecurity incident summary report",
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Markdown.
    Markdown,
    /// Plain text (for e-mail, fax and web forms).
    Text,
}

/// A report built from an incident record and its grading.
#[derive(Debug, Clone)]
pub struct AuthorityReport<'a> {
    inc: &'a Incident,
    grading: Grading,
    kind: ReportKind,
    prepared_at: Timestamp,
}

enum Block {
    Heading(String),
    Item(String, String),
    Para(String),
}

const CN_NUM: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

fn filled(t: &Option<Text>) -> Option<&Text> {
    t.as_ref().filter(|t| !t.is_blank())
}

impl<'a> AuthorityReport<'a> {
    /// Builds the report of `kind` for `inc`, prepared at `prepared_at` (grades the incident).
    pub fn from(
        inc: &'a Incident,
        kind: ReportKind,
        prepared_at: Timestamp,
    ) -> AuthorityReport<'a> {
        AuthorityReport {
            inc,
            grading: grade(inc),
            kind,
            prepared_at,
        }
    }

    /// The grading the report states.
    pub fn grading(&self) -> &Grading {
        &self.grading
    }

    fn text_field(&self, f: ReportField) -> Option<&'a Text> {
        let d = &self.inc.details;
        let s = self.inc.summary.as_ref();
        match f {
            ReportField::Impact => filled(&d.impact),
            ReportField::MeasuresTaken => filled(&d.measures_taken),
            ReportField::RansomDemand => filled(&d.ransom_demand),
            ReportField::Trend => filled(&d.trend),
            ReportField::PreliminaryCause => filled(&d.preliminary_cause),
            ReportField::TracingClues => filled(&d.tracing_clues),
            ReportField::FurtherMeasures => filled(&d.further_measures),
            ReportField::SitePreservation => filled(&d.site_preservation),
            ReportField::SummaryCause => s.and_then(|s| filled(&s.cause)),
            ReportField::SummaryMeasures => s.and_then(|s| filled(&s.measures)),
            ReportField::SummaryHarm => s.and_then(|s| filled(&s.harm)),
            ReportField::SummaryAccountability => s.and_then(|s| filled(&s.accountability)),
            ReportField::SummaryRectification => s.and_then(|s| filled(&s.rectification)),
            ReportField::SummaryLessons => s.and_then(|s| filled(&s.lessons)),
            ReportField::ReportingUnit | ReportField::AffectedSystems | ReportField::Location => {
                None
            }
        }
    }

    /// The fields this report kind asks for, in report order.
    pub fn fields(&self) -> Vec<ReportField> {
        use ReportField as F;
        match self.kind {
            ReportKind::Initial | ReportKind::Supplementary => {
                let mut v = vec![
                    F::ReportingUnit,
                    F::AffectedSystems,
                    F::Location,
                    F::Impact,
                    F::MeasuresTaken,
                ];
                if self.inc.kind == IncidentKind::Ransomware {
                    v.push(F::RansomDemand);
                }
                v.extend([
                    F::Trend,
                    F::PreliminaryCause,
                    F::TracingClues,
                    F::FurtherMeasures,
                    F::SitePreservation,
                ]);
                v
            }
            ReportKind::Summary => vec![
                F::SummaryCause,
                F::SummaryMeasures,
                F::SummaryHarm,
                F::SummaryAccountability,
                F::SummaryRectification,
                F::SummaryLessons,
            ],
        }
    }

    fn is_filled(&self, f: ReportField) -> bool {
        match f {
            ReportField::ReportingUnit => {
                self.inc
                    .reporting_unit
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty())
                    && self
                        .inc
                        .contact
                        .as_deref()
                        .is_some_and(|s| !s.trim().is_empty())
            }
            ReportField::AffectedSystems => self
                .inc
                .affected_systems
                .iter()
                .any(|s| !s.trim().is_empty()),
            ReportField::Location => filled(&self.inc.location).is_some(),
            ReportField::Impact => {
                let pi_types_pending = self.inc.pi.as_ref().is_some_and(|p| p.types.is_empty());
                !pi_types_pending
                    && (self.text_field(f).is_some()
                        || self.inc.pi.is_some()
                        || self.inc.direct_economic_loss_cny.is_some())
            }
            _ => self.text_field(f).is_some(),
        }
    }

    /// Fields still empty: what a supplementary report must add ("report first, supplement
    /// later").
    pub fn missing_fields(&self) -> Vec<ReportField> {
        self.fields()
            .into_iter()
            .filter(|f| !self.is_filled(*f))
            .collect()
    }

    /// Missing fields that even a first report must carry (items 1–2): submit only when empty.
    pub fn missing_required(&self) -> Vec<ReportField> {
        self.missing_fields()
            .into_iter()
            .filter(|f| f.required_in_first_report())
            .collect()
    }

    fn blocks(&self, lang: Lang) -> Vec<Block> {
        let zh = lang == Lang::ZhCn;
        let inc = self.inc;
        let g = &self.grading;
        let pending = if zh {
            "（待补报）"
        } else {
            "(to be supplemented)"
        };
        let mut b = Vec::new();
        let item = |l: &str, v: String| Block::Item(l.to_owned(), v);
        b.push(item(
            if zh { "事件编号" } else { "Incident id" },
            inc.id.clone(),
        ));
        b.push(item(
            if zh { "事件名称" } else { "Title" },
            inc.title.get(lang).to_owned(),
        ));
        b.push(item(
            if zh {
                "报告编制时间"
            } else {
                "Prepared at"
            },
            self.prepared_at.to_beijing(lang),
        ));
        b.push(item(
            if zh {
                "报告主体类型"
            } else {
                "Reporter type"
            },
            inc.reporter.name(lang).to_owned(),
        ));

        let mut n = 0usize;
        let mut heading = |b: &mut Vec<Block>, title: &str| {
            let h = if zh {
                format!("{}、{title}", CN_NUM.get(n).copied().unwrap_or("十二"))
            } else {
                format!("{}. {}", n + 1, capitalise(title))
            };
            n += 1;
            b.push(Block::Heading(h));
        };

        if self.kind == ReportKind::Summary {
            b.push(item(
                if zh { "发现时间" } else { "Discovered at" },
                inc.detected_at.to_beijing(lang),
            ));
            b.push(item(
                if zh { "事件级别" } else { "Grade" },
                format!("{} {}", g.level.name(lang), g.confidence.mark()),
            ));
            for f in self.fields() {
                heading(&mut b, f.name(lang));
                b.push(Block::Para(self.text_field(f).map_or_else(
                    || pending.to_owned(),
                    |t| t.get(lang).to_owned(),
                )));
            }
        } else {
            heading(
                &mut b,
                if zh {
                    "事发单位及发生事件的设施、系统、平台"
                } else {
                    "reporting unit and affected facilities, systems and platforms"
                },
            );
            b.push(item(
                if zh { "事发单位" } else { "Reporting unit" },
                inc.reporting_unit
                    .clone()
                    .unwrap_or_else(|| pending.to_owned()),
            ));
            b.push(item(
                if zh { "联系方式" } else { "Contact" },
                inc.contact.clone().unwrap_or_else(|| pending.to_owned()),
            ));
            b.push(item(
                if zh {
                    "设施、系统、平台"
                } else {
                    "Facilities, systems, platforms"
                },
                if inc.affected_systems.is_empty() {
                    pending.to_owned()
                } else {
                    inc.affected_systems.join(if zh { "、" } else { ", " })
                },
            ));

            heading(
                &mut b,
                if zh {
                    "事件发现时间、地点、类型和级别"
                } else {
                    "time of discovery, location, type and grade"
                },
            );
            b.push(item(
                if zh { "发现时间" } else { "Discovered at" },
                inc.detected_at.to_beijing(lang),
            ));
            if let Some(o) = inc.occurred_at {
                b.push(item(
                    if zh { "发生时间" } else { "Occurred at" },
                    o.to_beijing(lang),
                ));
            }
            b.push(item(
                if zh { "地点" } else { "Location" },
                filled(&inc.location)
                    .map_or_else(|| pending.to_owned(), |t| t.get(lang).to_owned()),
            ));
            b.push(item(
                if zh { "事件类型" } else { "Type" },
                inc.kind.name(lang).to_owned(),
            ));
            b.push(item(
                if zh { "事件级别" } else { "Grade" },
                format!("{} {}", g.level.name(lang), g.confidence.mark()),
            ));
            for d in &g.decisions {
                b.push(item(
                    if zh { "定级依据" } else { "Grading basis" },
                    if zh {
                        format!("{}（{}）", d.text(lang), d.source_zh)
                    } else {
                        format!("{}. Source: {}", d.text(lang), d.source_en)
                    },
                ));
            }

            heading(&mut b, ReportField::Impact.name(lang));
            if let Some(pi) = &inc.pi {
                let mut v = if zh {
                    format!("{}人", group_digits(pi.people))
                } else {
                    format!("{} people", group_digits(pi.people))
                };
                if pi.sensitive_people > 0 {
                    v.push_str(&if zh {
                        format!(
                            "，其中涉及敏感个人信息{}人",
                            group_digits(pi.sensitive_people)
                        )
                    } else {
                        format!(
                            ", of whom {} with sensitive PI",
                            group_digits(pi.sensitive_people)
                        )
                    });
                }
                if pi.estimated {
                    v.push_str(if zh { "（估算）" } else { " (estimate)" });
                }
                b.push(item(
                    if zh {
                        "涉及个人信息人数"
                    } else {
                        "People whose PI is affected"
                    },
                    v,
                ));
                let types: Vec<&str> = pi.types.iter().map(|t| t.name(lang)).collect();
                b.push(item(
                    if zh { "个人信息类型" } else { "PI types" },
                    if types.is_empty() {
                        pending.to_owned()
                    } else {
                        types.join(if zh { "、" } else { ", " })
                    },
                ));
                if pi.involves_minors {
                    b.push(item(
                        if zh {
                            "涉及未成年人"
                        } else {
                            "Minors involved"
                        },
                        (if zh { "是" } else { "yes" }).to_owned(),
                    ));
                }
            }
            if let Some(loss) = inc.direct_economic_loss_cny {
                b.push(item(
                    if zh {
                        "直接经济损失"
                    } else {
                        "Direct economic loss"
                    },
                    if zh {
                        format!("{}元", group_digits(loss))
                    } else {
                        format!("CNY {}", group_digits(loss))
                    },
                ));
            }
            if let Some(m) = inc.outage_minutes {
                b.push(item(
                    if zh {
                        "服务中断时长"
                    } else {
                        "Service outage"
                    },
                    if zh {
                        format!("{m}分钟")
                    } else {
                        format!("{m} min")
                    },
                ));
            }
            match filled(&inc.details.impact) {
                Some(t) => b.push(Block::Para(t.get(lang).to_owned())),
                None if !self.is_filled(ReportField::Impact) => {
                    b.push(Block::Para(pending.to_owned()))
                }
                None => {}
            }
            for f in self.fields().into_iter().skip(4) {
                heading(&mut b, f.name(lang));
                b.push(Block::Para(self.text_field(f).map_or_else(
                    || pending.to_owned(),
                    |t| t.get(lang).to_owned(),
                )));
            }
        }

        let missing = self.missing_fields();
        if !missing.is_empty() {
            heading(
                &mut b,
                if zh {
                    "待补报事项"
                } else {
                    "items to be supplemented"
                },
            );
            let names: Vec<&str> = missing.iter().map(|f| f.name(lang)).collect();
            b.push(Block::Para(names.join(if zh { "；" } else { "; " })));
        }
        b.push(Block::Para(
            (if zh {
                "报送渠道：12387 网络安全事件报告热线、网信部门报告网站、微信公众号/小程序、电子邮件、传真等官方渠道。本报告仅含人数和个人信息类型，不含任何个人信息内容。"
            } else {
                "Channels: the 12387 incident hotline, the CAC reporting website, the WeChat account / mini-program, e-mail, fax and the other official channels. This report states numbers of people and PI types only, never personal information itself."
            })
            .to_owned(),
        ));
        if self.grading.confidence == Confidence::Unconfirmed {
            b.push(Block::Para(
                (if zh {
                    "注意：定级依据在需求目录中标为 [UNCONFIRMED]，报送前请核对原文。"
                } else {
                    "Note: the grading basis is marked [UNCONFIRMED] in the catalog; check the official text before submitting."
                })
                .to_owned(),
            ));
        }
        b
    }

    /// Renders the report in `lang` and `format`.
    pub fn render(&self, lang: Lang, format: Format) -> String {
        let title = self.kind.title(lang);
        let mut out = String::new();
        match format {
            Format::Markdown => out.push_str(&format!("# {title}\n\n")),
            Format::Text => out.push_str(&format!(
                "{title}\n{}\n\n",
                "=".repeat(
                    title
                        .chars()
                        .map(|c| if c.is_ascii() { 1 } else { 2 })
                        .sum()
                )
            )),
        }
        let sep = if lang == Lang::ZhCn { "：" } else { ": " };
        let mut last_item = false;
        for block in self.blocks(lang) {
            match block {
                Block::Heading(h) => {
                    if last_item {
                        out.push('\n');
                    }
                    match format {
                        Format::Markdown => out.push_str(&format!("## {h}\n\n")),
                        Format::Text => out.push_str(&format!("{h}\n\n")),
                    }
                    last_item = false;
                }
                Block::Item(l, v) => {
                    match format {
                        Format::Markdown => out.push_str(&format!("- {l}{sep}{v}\n")),
                        Format::Text => out.push_str(&format!("  {l}{sep}{v}\n")),
                    }
                    last_item = true;
                }
                Block::Para(p) => {
                    if last_item {
                        out.push('\n');
                    }
                    out.push_str(&p);
                    out.push_str("\n\n");
                    last_item = false;
                }
            }
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PiImpact, ReporterType};

    fn inc() -> Incident {
        let mut i = Incident::new(
            "INC-T",
            Text::zh("测试"),
            IncidentKind::DataLeak,
            ReporterType::Other,
            Timestamp::parse("2026-03-01T10:00:00+08:00").unwrap(),
        );
        i.pi = Some(PiImpact {
            people: 1_000_000,
            ..PiImpact::default()
        });
        i
    }

    #[test]
    fn first_report_lists_missing_fields() {
        let mut i = inc();
        let r = AuthorityReport::from(&i, ReportKind::Initial, i.detected_at);
        assert_eq!(
            r.missing_required(),
            vec![
                ReportField::ReportingUnit,
                ReportField::AffectedSystems,
                ReportField::Location
            ]
        );
        // PI counted but its types not yet known: the impact item is still to be supplemented.
        assert!(r.missing_fields().contains(&ReportField::Impact));
        i.pi.as_mut().unwrap().types = vec![xiezhi_model::PiType::CnMobile];
        let r = AuthorityReport::from(&i, ReportKind::Initial, i.detected_at);
        assert!(!r.missing_fields().contains(&ReportField::Impact));
        assert!(!r.missing_fields().contains(&ReportField::RansomDemand));
        i.kind = IncidentKind::Ransomware;
        i.reporting_unit = Some("某公司".into());
        i.contact = Some("安全部 010-0000".into());
        i.affected_systems = vec!["订单系统".into()];
        i.location = Some(Text::zh("北京"));
        let r = AuthorityReport::from(&i, ReportKind::Initial, i.detected_at);
        assert!(r.missing_required().is_empty());
        assert!(r.missing_fields().contains(&ReportField::RansomDemand));
        let md = r.render(Lang::ZhCn, Format::Markdown);
        assert!(md.contains("## 五、勒索信息"), "{md}");
        assert!(md.contains("## 十一、待补报事项"), "{md}");
    }

    #[test]
    fn summary_report_fields() {
        let i = inc();
        let r = AuthorityReport::from(&i, ReportKind::Summary, i.detected_at);
        assert_eq!(r.missing_fields().len(), 6);
        let t = r.render(Lang::En, Format::Text);
        assert!(t.starts_with("Cybersecurity incident summary report\n"));
        assert!(t.contains("1. Cause\n"));
    }
}
