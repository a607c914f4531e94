//! The built document: sections of blocks, the list of what is still missing and the sources
//! of every figure. Its JSON serialisation is the JSON format.

use serde::Serialize;
use xiezhi_model::Lang;

use super::ReportKind;

/// A built report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Which report.
    pub kind: ReportKind,
    /// Language (serialised as its tag, `zh-CN` or `en`).
    #[serde(serialize_with = "lang_tag")]
    pub lang: Lang,
    /// Title in the document language.
    pub title: String,
    /// The processor (organisation name from `xiezhi.yaml`).
    pub organisation: String,
    /// Report year.
    pub year: i32,
    /// Date the figures were taken.
    pub as_of: String,
    /// The subject asked for (activity or flow id), if any.
    pub subject: Option<String>,
    /// Where the runtime evidence came from (`Evidence::source`), empty when none.
    pub evidence_source: String,
    /// Legal basis of the report, in the document language.
    pub basis: String,
    /// The sections in order.
    pub sections: Vec<Section>,
    /// What is still missing: questions not answered, data-map fields not filled, evidence
    /// not available.
    pub missing: Vec<Missing>,
    /// The sources that figures refer to (`S1`, `S2`, … in the blocks).
    pub sources: Vec<SourceRef>,
    /// Answer keys of the answers file that no question of this report asked for (typos or
    /// subjects no longer in the data map).
    pub unused_answers: Vec<String>,
}

impl Document {
    /// The document language.
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// The language tag (`zh-CN` or `en`).
    pub fn lang_tag(&self) -> &'static str {
        tag(self.lang)
    }
}

fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

fn lang_tag<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tag(*lang))
}

/// A section (a part the law requires, or a supporting part).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Anchor id, stable across languages (e.g. `important-data`).
    pub id: String,
    /// Heading text.
    pub title: String,
    /// The provision the part answers (e.g. `《条例》第三十三条第（二）项`).
    pub provision: String,
    /// Content.
    pub blocks: Vec<Block>,
}

/// One block of content. Text is plain (renderers escape it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A sub-heading.
    Heading {
        /// Anchor id.
        id: String,
        /// Text.
        text: String,
    },
    /// A paragraph, with the sources it relies on.
    Para {
        /// Text.
        text: String,
        /// Source ids.
        sources: Vec<String>,
    },
    /// Label–value rows, each with its source.
    Facts {
        /// Rows.
        rows: Vec<Fact>,
    },
    /// A table.
    Table(Table),
    /// A bar chart (SVG in HTML, a table in Markdown).
    Chart(Chart),
    /// A question answered by people (the answers file), or its absence.
    Answer {
        /// Answers key (`<report kind>.<question id>`).
        key: String,
        /// The question.
        question: String,
        /// The answer; `None` while still missing.
        text: Option<String>,
        /// Source id of the answer (the answers file), when answered.
        source: Option<String>,
    },
    /// A note (warnings, legal reminders).
    Note {
        /// Text.
        text: String,
    },
}

/// One label–value row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// Label.
    pub label: String,
    /// Value.
    pub value: String,
    /// Source id.
    pub source: String,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Caption.
    pub caption: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows (the first cell of each is its header).
    pub rows: Vec<Vec<String>>,
    /// Source ids.
    pub sources: Vec<String>,
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Anchor id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Unit of the values (shown after each value).
    pub unit: String,
    /// Bars in order.
    pub bars: Vec<Bar>,
    /// A note under the chart (e.g. "top 20 of 500").
    pub note: Option<String>,
    /// Source ids.
    pub sources: Vec<String>,
}

/// One bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// Label.
    pub label: String,
    /// Value.
    pub value: f64,
    /// The value as shown.
    pub display: String,
}

/// Where something missing has to be provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingKind {
    /// A question of the answers file.
    Answer,
    /// A field of the data map (`xiezhi.yaml` or `datamap/*.yaml`).
    DataMap,
    /// Runtime evidence from the service store.
    Evidence,
}

/// Something the report could not state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// Section id.
    pub section: String,
    /// Question id (answers key under the report kind), data-map field or evidence name.
    pub question: String,
    /// Where to provide it.
    pub kind: MissingKind,
    /// What to provide, in the document language.
    pub what: String,
    /// Where exactly: `answers: <kind>.<id>`, `xiezhi.yaml: officers.…`, `evidence: rights`
    /// with the command to run.
    #[serde(rename = "where")]
    pub location: String,
}

/// Kind of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The data map (file and field).
    DataMap,
    /// A `xiezhi check` rule run on the data map.
    Check,
    /// The service store (runtime evidence).
    Store,
    /// The answers file.
    Answers,
    /// Computed by Xiezhi from the other sources (rule thresholds, the cross-border decision).
    Derived,
}

/// A source that figures refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Id used in the blocks (`S1`, `S2`, …).
    pub id: String,
    /// Kind.
    pub kind: SourceKind,
    /// Where: `datamap/systems.yaml: datasets[].important_data`, `check rule NDSR-…`,
    /// `store: rights_stats`, `answers: pipia.recommend.impact`.
    pub location: String,
}
