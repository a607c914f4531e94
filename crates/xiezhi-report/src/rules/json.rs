//! JSON rendering: the document structure itself (stable field names, serde).

use super::doc::RulesDocument;

/// Pretty-printed JSON of the document, with a trailing newline.
pub(crate) fn render(doc: &RulesDocument) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(doc)?;
    s.push('\n');
    Ok(s)
}
