//! The build context: the input, indexes over the data map (built once, so that reports stay
//! linear in its size), the sources cited and what is still missing.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use xiezhi_check::rules::Finding;
use xiezhi_map::Project;
use xiezhi_map::model::{Activity, Assessment, Dataset, Recipient, System, Transfer};
use xiezhi_model::Lang;

use super::model::{Block, Fact, Missing, MissingKind, Section, SourceKind, SourceRef};
use super::{ReportInput, ReportKind};

/// An entity with the file it is defined in.
pub(crate) type In<'a, T> = (&'a Path, &'a T);

/// Indexes over the data map.
pub(crate) struct Index<'a> {
    pub systems: Vec<In<'a, System>>,
    pub datasets: Vec<In<'a, Dataset>>,
    pub activities: Vec<In<'a, Activity>>,
    pub recipients: Vec<In<'a, Recipient>>,
    pub transfers: Vec<In<'a, Transfer>>,
    pub assessments: Vec<In<'a, Assessment>>,
    dataset_by_id: HashMap<&'a str, usize>,
    system_by_id: HashMap<&'a str, usize>,
    recipient_by_id: HashMap<&'a str, usize>,
    /// Activity indexes per dataset id.
    pub activities_by_dataset: HashMap<&'a str, Vec<usize>>,
    /// Recipient indexes per dataset id.
    pub recipients_by_dataset: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(p: &'a Project) -> Index<'a> {
        let systems: Vec<_> = p.each(|m| &m.systems).collect();
        let datasets: Vec<_> = p.each(|m| &m.datasets).collect();
        let activities: Vec<_> = p.each(|m| &m.activities).collect();
        let recipients: Vec<_> = p.each(|m| &m.recipients).collect();
        let transfers: Vec<_> = p.each(|m| &m.transfers).collect();
        let assessments: Vec<_> = p.each(|m| &m.assessments).collect();
        let dataset_by_id = datasets
            .iter()
            .enumerate()
            .map(|(i, (_, d))| (d.id.value.as_str(), i))
            .collect();
        let system_by_id = systems
            .iter()
            .enumerate()
            .map(|(i, (_, s))| (s.id.value.as_str(), i))
            .collect();
        let recipient_by_id = recipients
            .iter()
            .enumerate()
            .map(|(i, (_, r))| (r.id.value.as_str(), i))
            .collect();
        let mut activities_by_dataset: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (_, a)) in activities.iter().enumerate() {
            for d in &a.datasets {
                activities_by_dataset
                    .entry(d.value.as_str())
                    .or_default()
                    .push(i);
            }
        }
        let mut recipients_by_dataset: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (_, r)) in recipients.iter().enumerate() {
            for d in &r.datasets {
                recipients_by_dataset
                    .entry(d.value.as_str())
                    .or_default()
                    .push(i);
            }
        }
        Index {
            systems,
            datasets,
            activities,
            recipients,
            transfers,
            assessments,
            dataset_by_id,
            system_by_id,
            recipient_by_id,
            activities_by_dataset,
            recipients_by_dataset,
        }
    }

    pub fn dataset(&self, id: &str) -> Option<In<'a, Dataset>> {
        self.dataset_by_id.get(id).map(|i| self.datasets[*i])
    }

    pub fn system(&self, id: &str) -> Option<In<'a, System>> {
        self.system_by_id.get(id).map(|i| self.systems[*i])
    }

    pub fn recipient(&self, id: &str) -> Option<In<'a, Recipient>> {
        self.recipient_by_id.get(id).map(|i| self.recipients[*i])
    }

    /// Name of the system `id` (the id when unknown).
    pub fn system_name(&self, id: &str) -> String {
        self.system(id)
            .map(|(_, s)| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Assessments covering `id`.
    pub fn assessments_covering(&self, id: &str) -> Vec<In<'a, Assessment>> {
        self.assessments
            .iter()
            .filter(|(_, a)| a.covers.iter().any(|c| c.value == id))
            .copied()
            .collect()
    }
}

/// The build context of one report.
pub(crate) struct Ctx<'a> {
    pub input: &'a ReportInput<'a>,
    pub p: &'a Project,
    pub lang: Lang,
    pub ix: Index<'a>,
    sources: Vec<SourceRef>,
    source_ids: HashMap<(SourceKind, String), usize>,
    pub missing: Vec<Missing>,
    asked: BTreeSet<String>,
    findings: Option<Vec<Finding>>,
}

impl<'a> Ctx<'a> {
    pub fn new(input: &'a ReportInput<'a>) -> Ctx<'a> {
        Ctx {
            input,
            p: input.project,
            lang: input.lang,
            ix: Index::new(input.project),
            sources: Vec::new(),
            source_ids: HashMap::new(),
            missing: Vec::new(),
            asked: BTreeSet::new(),
            findings: None,
        }
    }

    pub fn kind(&self) -> ReportKind {
        self.input.kind
    }

    pub fn zh(&self) -> bool {
        self.lang == Lang::ZhCn
    }

    /// Text in the document language.
    pub fn t(&self, zh: &str, en: &str) -> String {
        if self.zh() {
            zh.to_string()
        } else {
            en.to_string()
        }
    }

    /// Cites a source; returns its id (`S1`, …).
    pub fn src(&mut self, kind: SourceKind, location: impl Into<String>) -> String {
        let location = location.into();
        let key = (kind, location);
        if let Some(i) = self.source_ids.get(&key) {
            return self.sources[*i].id.clone();
        }
        let id = format!("S{}", self.sources.len() + 1);
        self.sources.push(SourceRef {
            id: id.clone(),
            kind,
            location: key.1.clone(),
        });
        self.source_ids.insert(key, self.sources.len() - 1);
        id
    }

    /// Cites a data-map file and field (`xiezhi.yaml: officers.pipo`).
    pub fn dm(&mut self, file: &Path, field: &str) -> String {
        let loc = format!("{}: {field}", file.display());
        self.src(SourceKind::DataMap, loc)
    }

    /// Cites `xiezhi.yaml` at `field`.
    pub fn profile(&mut self, field: &str) -> String {
        self.src(
            SourceKind::DataMap,
            format!("{}: {field}", xiezhi_map::PROFILE_FILE),
        )
    }

    /// Cites a store query.
    pub fn store(&mut self, what: &str) -> String {
        self.src(SourceKind::Store, format!("store: {what}"))
    }

    /// Cites a derivation.
    pub fn derived(&mut self, what: &str) -> String {
        self.src(SourceKind::Derived, what.to_string())
    }

    /// A fact row.
    pub fn fact(
        &self,
        label_zh: &str,
        label_en: &str,
        value: impl Into<String>,
        source: &str,
    ) -> Fact {
        Fact {
            label: self.t(label_zh, label_en),
            value: value.into(),
            source: source.to_string(),
        }
    }

    /// Asks question `qid` of this report kind: the answer block, recording it as missing
    /// when not answered.
    pub fn ask(&mut self, section: &str, qid: &str, zh: &str, en: &str) -> (Block, Option<String>) {
        let kind = self.kind();
        self.asked.insert(qid.to_string());
        let question = self.t(zh, en);
        let text = self.input.answers.get(kind, qid).map(|s| s.to_string());
        let key = format!("{}.{qid}", kind.id());
        let source = if text.is_some() {
            Some(self.src(SourceKind::Answers, format!("answers: {key}")))
        } else {
            self.missing.push(Missing {
                section: section.to_string(),
                question: qid.to_string(),
                kind: MissingKind::Answer,
                what: question.clone(),
                location: format!("answers: {key}"),
            });
            None
        };
        (
            Block::Answer {
                key,
                question,
                text: text.clone(),
                source,
            },
            text,
        )
    }

    /// Records a missing data-map field or evidence.
    pub fn miss(
        &mut self,
        section: &str,
        question: &str,
        kind: MissingKind,
        what: String,
        location: String,
    ) {
        self.missing.push(Missing {
            section: section.to_string(),
            question: question.to_string(),
            kind,
            what,
            location,
        });
    }

    /// Records missing store evidence and returns a note block saying so.
    pub fn no_evidence(&mut self, section: &str, name: &str, zh: &str, en: &str) -> Block {
        let what = self.t(zh, en);
        let run = self.t(
            "用服务存储生成本报告（`xiezhi report … --store`），存储中须有相应记录",
            "build the report against the service store (`xiezhi report … --store`), which must hold the records",
        );
        self.miss(
            section,
            name,
            MissingKind::Evidence,
            what.clone(),
            format!("evidence: {name} — {run}"),
        );
        Block::Note {
            text: format!(
                "{}{what}",
                self.t("未提供运行证据：", "Runtime evidence not available: ")
            ),
        }
    }

    /// `xiezhi check` findings on the data map as of the period's date (run once).
    pub fn findings(&mut self) -> &[Finding] {
        if self.findings.is_none() {
            let cal = xiezhi_check::PrcWorkdays::new().ok();
            let f = xiezhi_check::rules::evaluate_with(
                self.p,
                self.input.period.as_of,
                cal.as_ref()
                    .map(|c| c as &dyn xiezhi_check::WorkdayCalendar),
            );
            self.findings = Some(f);
        }
        self.findings.as_deref().unwrap_or_default()
    }

    /// Builds a section.
    pub fn section(
        &self,
        id: &str,
        title: (&str, &str),
        provision: (&str, &str),
        blocks: Vec<Block>,
    ) -> Section {
        Section {
            id: id.to_string(),
            title: self.t(title.0, title.1),
            provision: self.t(provision.0, provision.1),
            blocks,
        }
    }

    /// Answer keys given for this kind that no question asked for. With a subject, the
    /// answers of the other subjects of the data map are not counted.
    pub fn unused_answers(&self) -> Vec<String> {
        let others: Vec<String> = match (&self.input.subject, self.kind()) {
            (Some(s), ReportKind::Pipia) => self
                .ix
                .activities
                .iter()
                .map(|(_, a)| a.id.value.clone())
                .filter(|id| id != s)
                .collect(),
            (Some(s), ReportKind::Art31) => self
                .ix
                .recipients
                .iter()
                .map(|(_, r)| r.id.value.clone())
                .chain(self.ix.transfers.iter().map(|(_, t)| t.id.value.clone()))
                .filter(|id| id != s)
                .collect(),
            _ => Vec::new(),
        };
        self.input
            .answers
            .of(self.kind())
            .keys()
            .filter(|k| !self.asked.contains(k.as_str()))
            .filter(|k| !others.iter().any(|o| k.starts_with(&format!("{o}."))))
            .map(|k| format!("{}.{k}", self.kind().id()))
            .collect()
    }

    pub fn take_sources(&mut self) -> Vec<SourceRef> {
        std::mem::take(&mut self.sources)
    }
}

/// A paragraph block.
pub(crate) fn para(text: impl Into<String>, sources: &[&str]) -> Block {
    Block::Para {
        text: text.into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
    }
}

/// A note block.
pub(crate) fn note(text: impl Into<String>) -> Block {
    Block::Note { text: text.into() }
}

/// A facts block (rows with an empty value are dropped).
pub(crate) fn facts(rows: Vec<Fact>) -> Block {
    Block::Facts {
        rows: rows.into_iter().filter(|r| !r.value.is_empty()).collect(),
    }
}
