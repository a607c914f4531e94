//! The personal-information processing rules (个人信息处理规则, Reg. art. 21; PIPL 17, 30)
//! generated from the data map: controller and contact, purposes, methods and PI types,
//! sensitive-PI necessity and impact, retention, the collected-PI list, the third-party sharing
//! list (SDKs included), cross-border transfers, the rights channels and the children's rules.
//!
//! ```no_run
//! use xiezhi_report::rules::{render, Format, Scope};
//! let project = xiezhi_map::load_project(std::path::Path::new("examples/project")).unwrap();
//! match render(&project, xiezhi_model::Lang::ZhCn, Format::Html, Scope::General) {
//!     Ok(page) => print!("{page}"),
//!     Err(e) => eprint!("{}", e.render(xiezhi_model::Lang::ZhCn)),
//! }
//! ```

mod diff;
mod doc;
mod html;
mod json;
mod layout;
mod markdown;
mod missing;
mod text;

pub use diff::{ChangeClass, DiffError, RulesChange, RulesDiff, diff};
pub use doc::{
    ActivityRules, ChildrenRules, Coded, CollectedRow, ContactLine, Controller, OfficerLine,
    PiTypeRef, PushControlsText, RetentionText, RightsChannel, RulesDocument, Scope, SdkRef,
    SensitiveUse, SharingRow, StorageRef, TransferRow, build, processes_children,
};
pub use missing::{MissingFact, MissingKind, RulesError};

use xiezhi_map::Project;
use xiezhi_model::Lang;

/// Output format of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One self-contained HTML page.
    #[default]
    Html,
    /// Markdown (CommonMark with GFM tables).
    Markdown,
    /// JSON of [`RulesDocument`].
    Json,
}

impl Format {
    /// File extension (`html`, `md`, `json`).
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

/// Renders a built document.
pub fn render_document(doc: &RulesDocument, lang: Lang, format: Format) -> String {
    match format {
        Format::Html => html::render(&layout::layout(doc, lang), lang),
        Format::Markdown => {
            let mut s = markdown::render(&layout::layout(doc, lang));
            s.push('\n');
            s
        }
        // The document holds only strings, numbers, booleans and lists: serialising it cannot
        // fail; fall back to an empty object rather than panicking.
        Format::Json => json::render(doc).unwrap_or_else(|_| "{}\n".to_string()),
    }
}

/// Builds the document from the project and renders it, or returns every missing fact.
pub fn render(
    project: &Project,
    lang: Lang,
    format: Format,
    scope: Scope,
) -> Result<String, RulesError> {
    let doc = build(project, lang, scope)?;
    Ok(render_document(&doc, lang, format))
}

#[cfg(test)]
mod missing_tests;
