//! Markdown rendering of the laid-out rules.

use crate::escape;

use super::layout::Block;

/// Renders the blocks as CommonMark with GFM tables; all text escaped.
pub(crate) fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, _, text) => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&escape::markdown(text));
                out.push_str("\n\n");
            }
            Block::Para(text) => {
                out.push_str(&escape::markdown(text));
                out.push_str("\n\n");
            }
            Block::Facts(pairs) => {
                for (k, v) in pairs {
                    out.push_str(&format!(
                        "- **{}**: {}\n",
                        escape::markdown(k),
                        escape::markdown(v)
                    ));
                }
                out.push('\n');
            }
            Block::Table(_, headers, rows) => {
                let line = |cells: &[String]| {
                    let cells: Vec<String> = cells.iter().map(|c| escape::markdown(c)).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                out.push_str(&line(headers));
                out.push_str(&format!(
                    "|{}\n",
                    headers.iter().map(|_| " --- |").collect::<String>()
                ));
                for r in rows {
                    out.push_str(&line(r));
                }
                out.push('\n');
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
