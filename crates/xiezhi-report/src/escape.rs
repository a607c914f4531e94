//! Escaping of text for HTML and Markdown output.

/// Escapes `&`, `<`, `>`, `"` and `'` so that `s` is safe in HTML text and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Makes `s` safe inside a Markdown table cell or paragraph: escapes characters with Markdown
/// meaning (`\ | * _ ` [ ] < >`) and turns line breaks into spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            super::html(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(super::html("个人信息"), "个人信息");
    }

    #[test]
    fn markdown_escapes_table_breakers() {
        assert_eq!(super::markdown("a|b\nc*d_"), "a\\|b c\\*d\\_");
    }
}
