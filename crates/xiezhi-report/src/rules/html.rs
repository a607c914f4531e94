//! HTML rendering: one self-contained, accessible, mobile-friendly and printable page. No
//! external resources; every piece of text is escaped.

use xiezhi_model::Lang;

use crate::escape::html as esc;

use super::layout::Block;
use super::text::{lang_tag, t};

const STYLE: &str = "\
:root{color-scheme:light;--fg:#1a1a1a;--muted:#555;--line:#c8c8c8;--head:#f2f2f2;--link:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:16px/1.7 system-ui,-apple-system,\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;color:var(--fg);background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.3}
h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.1rem;margin-top:1.5rem}
a{color:var(--link)}
a:focus,[tabindex]:focus{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{font-weight:600}
dd{margin:0}
.table-wrap{overflow-x:auto;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;min-width:32rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--head)}
nav ol{padding-left:1.25rem}
@media (max-width:40rem){dl{grid-template-columns:1fr}dt{margin-top:.5rem}main{padding:.75rem}}
@media print{nav,.skip{display:none}body{font-size:11pt}main{max-width:none;padding:0}.table-wrap{overflow:visible}table{min-width:0}h2,h3{break-after:avoid}tr,dl{break-inside:avoid}a[href^=\"http\"]::after{content:\" (\" attr(href) \")\"}}
";

/// Renders the blocks as a complete HTML5 page in `lang`.
pub(crate) fn render(blocks: &[Block], lang: Lang) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading(1, _, text) => Some(text.as_str()),
            _ => None,
        })
        .unwrap_or_default();
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        lang_tag(lang),
        esc(title)
    ));
    out.push_str(&format!(
        "<a class=\"skip\" href=\"#content\">{}</a>\n",
        t(lang, "跳到正文", "Skip to content")
    ));
    out.push_str("<main id=\"content\">\n");
    let mut toc_done = false;
    for b in blocks {
        match b {
            Block::Heading(level, id, text) => {
                if *level == 2 && !toc_done {
                    toc_done = true;
                    out.push_str(&toc(blocks, lang));
                }
                if *level == 2 {
                    out.push_str(&format!("<h2 id=\"{}\">{}</h2>\n", esc(id), esc(text)));
                } else {
                    out.push_str(&format!(
                        "<h{level} id=\"{}\">{}</h{level}>\n",
                        esc(id),
                        esc(text)
                    ));
                }
            }
            Block::Para(text) => out.push_str(&format!("<p>{}</p>\n", linkify(text))),
            Block::Facts(pairs) => {
                out.push_str("<dl>\n");
                for (k, v) in pairs {
                    out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), linkify(v)));
                }
                out.push_str("</dl>\n");
            }
            Block::Table(caption, headers, rows) => {
                out.push_str(&format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n<caption>{}</caption>\n<thead><tr>",
                    esc(caption),
                    esc(caption)
                ));
                for h in headers {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for (i, cell) in r.iter().enumerate() {
                        if i == 0 {
                            out.push_str(&format!("<th scope=\"row\">{}</th>", esc(cell)));
                        } else {
                            out.push_str(&format!("<td>{}</td>", linkify(cell)));
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n</div>\n");
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The table of contents: a link to every level-2 heading.
fn toc(blocks: &[Block], lang: Lang) -> String {
    let mut s = format!(
        "<nav aria-labelledby=\"toc\">\n<h2 id=\"toc\">{}</h2>\n<ol>\n",
        t(lang, "目录", "Contents")
    );
    for b in blocks {
        if let Block::Heading(2, id, text) = b {
            s.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>\n",
                esc(id),
                esc(text)
            ));
        }
    }
    s.push_str("</ol>\n</nav>\n");
    s
}

/// Escapes `text`; a value that is a whole https URL becomes a link.
fn linkify(text: &str) -> String {
    if text.starts_with("https://") && !text.contains(char::is_whitespace) {
        format!("<a href=\"{0}\">{0}</a>", esc(text))
    } else {
        esc(text)
    }
}
