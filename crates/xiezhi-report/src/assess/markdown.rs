//! Markdown rendering (CommonMark with GFM tables). Charts become tables.

use xiezhi_model::Lang;

use crate::escape::markdown as esc;

use super::html::source_kind;
use super::model::{Block, Document, MissingKind};

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::ZhCn { zh } else { en }
}

fn marks(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(" \\[{}\\]", ids.join(", "))
    }
}

fn table(out: &mut String, headers: &[String], rows: &[Vec<String>]) {
    out.push_str(&format!(
        "| {} |\n",
        headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push('\n');
}

/// Renders the document as Markdown.
pub(crate) fn render(doc: &Document) -> String {
    let lang = doc.language();
    let mut out = String::with_capacity(32 * 1024);
    out.push_str(&format!("# {}\n\n", esc(&doc.title)));
    let mut cover = vec![
        (
            t(lang, "网络数据处理者", "Processor"),
            doc.organisation.clone(),
        ),
        (t(lang, "报告年度", "Report year"), doc.year.to_string()),
        (t(lang, "数据截至", "Figures as of"), doc.as_of.clone()),
        (t(lang, "依据", "Legal basis"), doc.basis.clone()),
    ];
    if let Some(s) = &doc.subject {
        cover.push((t(lang, "评估对象", "Subject"), s.clone()));
    }
    cover.push((
        t(lang, "运行证据来源", "Runtime evidence from"),
        if doc.evidence_source.is_empty() {
            t(lang, "未提供", "none").to_string()
        } else {
            doc.evidence_source.clone()
        },
    ));
    cover.push((
        t(lang, "仍缺内容", "Still missing"),
        doc.missing.len().to_string(),
    ));
    for (k, v) in cover {
        out.push_str(&format!("- **{}**: {}\n", esc(k), esc(&v)));
    }
    out.push('\n');
    out.push_str(t(
        lang,
        "本报告只包含数量、类型以及系统、数据集和数据流的名称，不包含数据内容本身。方括号中的 S 编号指向文末的来源。\n\n",
        "This report holds counts, types and the names of systems, datasets and flows only, never the data content. The S numbers in brackets point to the sources at the end.\n\n",
    ));
    for s in &doc.sections {
        out.push_str(&format!(
            "## {}\n\n*{}*\n\n",
            esc(&s.title),
            esc(&s.provision)
        ));
        for b in &s.blocks {
            block(&mut out, b, lang);
        }
    }
    out.push_str(&format!(
        "## {}\n\n",
        t(lang, "附录一 仍缺内容", "Appendix 1. Still missing")
    ));
    if doc.missing.is_empty() {
        out.push_str(t(
            lang,
            "无：全部内容均已填写。\n\n",
            "Nothing: every part is filled in.\n\n",
        ));
    } else {
        let rows: Vec<Vec<String>> = doc
            .missing
            .iter()
            .map(|m| {
                vec![
                    m.section.clone(),
                    match m.kind {
                        MissingKind::Answer => t(lang, "答复文件", "answers file"),
                        MissingKind::DataMap => t(lang, "数据地图", "data map"),
                        MissingKind::Evidence => t(lang, "运行证据", "runtime evidence"),
                    }
                    .to_string(),
                    m.what.clone(),
                    m.location.clone(),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                t(lang, "部分", "Section").into(),
                t(lang, "类型", "Kind").into(),
                t(lang, "需要提供", "What to provide").into(),
                t(lang, "位置", "Where").into(),
            ],
            &rows,
        );
    }
    if !doc.unused_answers.is_empty() {
        out.push_str(&format!(
            "{}{}\n\n",
            t(
                lang,
                "答复文件中未被使用的键：",
                "Answer keys no question asked for: "
            ),
            esc(&doc.unused_answers.join(", "))
        ));
    }
    out.push_str(&format!(
        "## {}\n\n",
        t(lang, "附录二 来源", "Appendix 2. Sources")
    ));
    let rows: Vec<Vec<String>> = doc
        .sources
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                source_kind(lang, s.kind).to_string(),
                s.location.clone(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            t(lang, "编号", "Id").into(),
            t(lang, "类型", "Kind").into(),
            t(lang, "位置", "Location").into(),
        ],
        &rows,
    );
    out
}

fn block(out: &mut String, b: &Block, lang: Lang) {
    match b {
        Block::Heading { text, .. } => out.push_str(&format!("### {}\n\n", esc(text))),
        Block::Para { text, sources } => {
            out.push_str(&format!("{}{}\n\n", esc(text), marks(sources)))
        }
        Block::Note { text } => out.push_str(&format!("> {}\n\n", esc(text))),
        Block::Facts { rows } => {
            if rows.is_empty() {
                return;
            }
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| vec![r.label.clone(), r.value.clone(), r.source.clone()])
                .collect();
            table(
                out,
                &[
                    t(lang, "项目", "Item").into(),
                    t(lang, "内容", "Value").into(),
                    t(lang, "来源", "Source").into(),
                ],
                &rows,
            );
        }
        Block::Table(tb) => {
            out.push_str(&format!(
                "**{}**{}\n\n",
                esc(&tb.caption),
                marks(&tb.sources)
            ));
            table(out, &tb.headers, &tb.rows);
        }
        Block::Chart(c) => {
            out.push_str(&format!("**{}**{}\n\n", esc(&c.title), marks(&c.sources)));
            let rows: Vec<Vec<String>> = c
                .bars
                .iter()
                .map(|b| vec![b.label.clone(), b.display.clone()])
                .collect();
            table(out, &["".into(), c.unit.clone()], &rows);
            if let Some(n) = &c.note {
                out.push_str(&format!("> {}\n\n", esc(n)));
            }
        }
        Block::Answer {
            key,
            question,
            text,
            source,
        } => {
            out.push_str(&format!(
                "**{}**{}\n\n",
                esc(question),
                marks(source.as_slice())
            ));
            match text {
                Some(a) => {
                    let lines: Vec<String> = a
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| format!("> {}\n", esc(l)))
                        .collect();
                    out.push_str(&lines.join(">\n"));
                    out.push('\n');
                }
                None => out.push_str(&format!(
                    "> {} `answers: {}`\n\n",
                    t(lang, "待答复：", "Still to answer:"),
                    key
                )),
            }
        }
    }
}
