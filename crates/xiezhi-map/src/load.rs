//! Reading `xiezhi.yaml` and `datamap/*.yaml`, and the cross-file checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use xiezhi_model::PiType;

use crate::date::INVALID_DATE;
use crate::error::{ErrorKind, LoadError, LoadErrors, Text};
use crate::located::{At, CATEGORY_IDS, UNKNOWN_CATEGORY, UNKNOWN_PI_TYPE};
use crate::model::{DataMapFile, Dataset, ErasureAction, Grade, Id, Profile};

/// Name of the profile file.
pub const PROFILE_FILE: &str = "xiezhi.yaml";
/// Name of the data-map directory.
pub const DATAMAP_DIR: &str = "datamap";

/// A loaded, cross-checked project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project directory.
    pub root: PathBuf,
    /// `xiezhi.yaml`.
    pub profile: Profile,
    /// `datamap/*.yaml`, sorted by file name.
    pub files: Vec<SourceFile>,
    /// Positions of the block-style keys of `xiezhi.yaml` (e.g. `controls.backup`), so that
    /// checks on the profile can point at a line. Values are never recorded.
    pub profile_keys: Vec<KeyPosition>,
}

/// Where a key of `xiezhi.yaml` is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPosition {
    /// Dotted path of the key, e.g. `scale.pi_subjects`.
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column of the key.
    pub column: u64,
}

impl Project {
    /// Position of the profile key `path` (e.g. `controls.log_retention_months`), else of its
    /// nearest written ancestor (`controls`), else `None`.
    pub fn profile_position(&self, path: &str) -> Option<&KeyPosition> {
        let mut p = path;
        loop {
            if let Some(k) = self.profile_keys.iter().find(|k| k.path == p) {
                return Some(k);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

/// The block-style mapping keys of a YAML text with their dotted paths. Keys inside list items
/// are recorded under the list's key; flow-style mappings (`{ a: 1 }`) only under their key.
fn key_positions(text: &str) -> Vec<KeyPosition> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('-') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let Some(end) = trimmed
            .find(": ")
            .or_else(|| trimmed.ends_with(':').then(|| trimmed.len() - 1))
        else {
            continue;
        };
        let key = &trimmed[..end];
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
            stack.pop();
        }
        let mut path: Vec<&str> = stack.iter().map(|(_, k)| *k).collect();
        path.push(key);
        out.push(KeyPosition {
            path: path.join("."),
            line: i as u64 + 1,
            column: indent as u64 + 1,
        });
        stack.push((indent, key));
    }
    out
}

/// One data-map file and its path relative to the project directory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project directory, e.g. `datamap/systems.yaml`.
    pub path: PathBuf,
    /// Its content.
    pub map: DataMapFile,
}

impl Project {
    /// Iterates over one section of every file with the file each item is in, e.g.
    /// `project.each(|m| &m.datasets)`.
    pub fn each<'a, T: 'a>(
        &'a self,
        section: impl Fn(&'a DataMapFile) -> &'a Vec<T> + 'a,
    ) -> impl Iterator<Item = (&'a Path, &'a T)> + 'a {
        self.files
            .iter()
            .flat_map(move |f| section(&f.map).iter().map(move |x| (f.path.as_path(), x)))
    }
}

/// Where an entity is defined: its file, position and section (`systems`, `datasets`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityLocation<'a> {
    /// File relative to the project directory.
    pub file: &'a Path,
    /// 1-based line of its `id:` value.
    pub line: u64,
    /// 1-based column of its `id:` value.
    pub column: u64,
    /// Section name in the data map.
    pub section: &'static str,
}

impl Project {
    /// Finds the entity with this id, in any section.
    pub fn locate(&self, id: &str) -> Option<EntityLocation<'_>> {
        self.files.iter().find_map(|f| {
            entity_ids(&f.map)
                .find(|(i, _)| i.value == id)
                .map(|(i, kind)| EntityLocation {
                    file: &f.path,
                    line: i.line,
                    column: i.column,
                    section: kind.section(),
                })
        })
    }
}

/// Every id defined in a file, with its kind.
fn entity_ids(m: &DataMapFile) -> impl Iterator<Item = (&Id, Kind)> {
    m.systems
        .iter()
        .map(|x| (&x.id, Kind::System))
        .chain(m.datasets.iter().map(|x| (&x.id, Kind::Dataset)))
        .chain(m.activities.iter().map(|x| (&x.id, Kind::Activity)))
        .chain(m.recipients.iter().map(|x| (&x.id, Kind::Recipient)))
        .chain(m.transfers.iter().map(|x| (&x.id, Kind::Transfer)))
        .chain(m.crawlers.iter().map(|x| (&x.id, Kind::Crawler)))
        .chain(
            m.training_datasets
                .iter()
                .map(|x| (&x.id, Kind::TrainingDataset)),
        )
        .chain(m.assessments.iter().map(|x| (&x.id, Kind::Assessment)))
}

/// Loads `dir/xiezhi.yaml` and every `dir/datamap/*.yaml` (and `*.yml`) in name order, then
/// checks ids, references, PI type ids, levels and dates. Returns every error found: syntax
/// errors stop a file; otherwise one error per top-level section of `xiezhi.yaml` and per list
/// item of a data-map file (parsing stops at the first error inside one), plus every
/// cross-file error (reference checks wait until every file parses).
pub fn load_project(dir: &Path) -> Result<Project, LoadErrors> {
    let mut errors = Vec::new();
    let profile_path = PathBuf::from(PROFILE_FILE);
    let mut profile_keys = Vec::new();
    let profile: Option<Profile> = match std::fs::read_to_string(dir.join(PROFILE_FILE)) {
        Ok(text) => {
            profile_keys = key_positions(&text);
            parse_profile(&text, &profile_path, &mut errors)
        }
        Err(e) => {
            errors.push(io_error(
                &profile_path,
                &e,
                Some(Text::new(
                    "用 `xiezhi init` 生成示例项目",
                    "run `xiezhi init` to create an example project",
                )),
            ));
            None
        }
    };
    let mut files = Vec::new();
    let map_dir = dir.join(DATAMAP_DIR);
    if map_dir.is_dir() {
        match std::fs::read_dir(&map_dir) {
            Ok(rd) => {
                let mut names: Vec<String> = rd
                    .filter_map(|e| e.ok())
                    .filter(|e| e.path().is_file())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                    .collect();
                names.sort();
                for name in names {
                    let rel = Path::new(DATAMAP_DIR).join(&name);
                    match std::fs::read_to_string(dir.join(&rel)) {
                        Ok(text) => {
                            if let Some(map) = parse_datamap(&text, &rel, &mut errors) {
                                files.push(SourceFile { path: rel, map });
                            }
                        }
                        Err(e) => errors.push(io_error(&rel, &e, None)),
                    }
                }
            }
            Err(e) => errors.push(io_error(Path::new(DATAMAP_DIR), &e, None)),
        }
    }
    finish(dir, profile, profile_keys, files, errors)
}

/// Loads a project from texts instead of files, with the same parsing and cross-file checks as
/// [`load_project`]: `profile` is the text of `xiezhi.yaml`, `datamap` holds (file name under
/// `datamap/`, text) pairs, taken in name order. The project's root is `.`.
pub fn load_texts(profile: &str, datamap: &[(&str, &str)]) -> Result<Project, LoadErrors> {
    let mut errors = Vec::new();
    let profile_keys = key_positions(profile);
    let profile = parse_profile(profile, Path::new(PROFILE_FILE), &mut errors);
    let mut sorted: Vec<&(&str, &str)> = datamap.iter().collect();
    sorted.sort_by_key(|(name, _)| *name);
    let mut files = Vec::new();
    for (name, text) in sorted {
        let rel = Path::new(DATAMAP_DIR).join(name);
        if let Some(map) = parse_datamap(text, &rel, &mut errors) {
            files.push(SourceFile { path: rel, map });
        }
    }
    finish(Path::new("."), profile, profile_keys, files, errors)
}

fn finish(
    dir: &Path,
    profile: Option<Profile>,
    profile_keys: Vec<KeyPosition>,
    files: Vec<SourceFile>,
    mut errors: Vec<LoadError>,
) -> Result<Project, LoadErrors> {
    // A file that did not parse hides its ids: references to them would be reported as
    // dangling, so reference checks wait until every file parses. Likewise the levels wait for
    // xiezhi.yaml.
    let parsed_all = errors.is_empty();
    let general_levels = profile
        .as_ref()
        .map(|p| p.grading.general_levels.as_slice());
    cross_check(&files, general_levels, parsed_all, &mut errors);
    match profile {
        Some(profile) if errors.is_empty() => Ok(Project {
            root: dir.to_path_buf(),
            profile,
            files,
            profile_keys,
        }),
        _ => Err(LoadErrors(errors)),
    }
}

fn io_error(file: &Path, e: &std::io::Error, hint: Option<Text>) -> LoadError {
    LoadError {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        kind: ErrorKind::Io,
        message: Text::new(format!("无法读取：{e}"), format!("cannot read: {e}")),
        hint,
    }
}

/// `xiezhi.yaml` with every section optional, to parse one section at a time.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ProfileSections {
    organisation: Option<crate::model::Organisation>,
    roles: Option<crate::model::Roles>,
    scale: Option<crate::model::Scale>,
    officers: Option<crate::model::Officers>,
    grading: Option<crate::model::Grading>,
    controls: Option<crate::model::Controls>,
    notice: Option<crate::model::Notice>,
    platform: Option<crate::model::PlatformDuties>,
    mitigation: Option<Vec<crate::model::MitigationRecord>>,
}

/// Parses `xiezhi.yaml`; when that fails, parses each top-level section alone (in a copy of the
/// file where every other line is blank) to report one error per section.
fn parse_profile(text: &str, file: &Path, errors: &mut Vec<LoadError>) -> Option<Profile> {
    let text = &lone_cr_to_lf(text);
    let first = match serde_saphyr::from_str::<Profile>(text) {
        Ok(v) => return Some(v),
        Err(e) => convert(&e, file),
    };
    let mut found = Vec::new();
    if serde_saphyr::from_str::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(text)
        .is_ok()
    {
        let lines: Vec<&str> = text.lines().collect();
        let heads: Vec<usize> = (1..=lines.len())
            .filter(|&n| lines.get(n - 1).is_some_and(|l| is_top_level(l)))
            .collect();
        for (i, &head) in heads.iter().enumerate() {
            let end = heads.get(i + 1).map_or(lines.len(), |n| n - 1);
            let doc = keep_lines(&lines, |n| (head..=end).contains(&n));
            if let Err(e) = serde_saphyr::from_str::<ProfileSections>(&doc) {
                found.push(convert(&e, file));
            }
        }
    }
    merge_first(found, first, errors);
    None
}

/// YAML ends a line at LF, CRLF or a lone CR; `str::lines` (used to re-parse sections and items
/// alone) only at LF. A lone CR becomes LF (same length, same line as the parser counts), so
/// both agree on line numbers (found by the `datamap` fuzz target).
fn lone_cr_to_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Adds `found` and `first` (unless already among them) to `errors`, in position order.
fn merge_first(mut found: Vec<LoadError>, first: LoadError, errors: &mut Vec<LoadError>) {
    if !found
        .iter()
        .any(|e| (e.line, e.column, e.kind) == (first.line, first.column, first.kind))
    {
        found.push(first);
    }
    found.sort_by_key(|e| (e.line, e.column));
    found.dedup_by_key(|e| (e.line, e.column, e.kind));
    errors.extend(found);
}

/// A line that starts a top-level key.
fn is_top_level(l: &str) -> bool {
    !l.starts_with([' ', '\t', '#', '-']) && !l.trim().is_empty()
}

/// A copy of the text with the lines `keep` rejects blanked (line numbers stay true).
fn keep_lines(lines: &[&str], keep: impl Fn(usize) -> bool) -> String {
    let mut doc = String::new();
    for (n, l) in lines.iter().enumerate() {
        if keep(n + 1) {
            doc.push_str(l);
        }
        doc.push('\n');
    }
    doc
}

/// Parses a data-map file. Parsing stops at the first error, so when it fails each list item
/// (a system, a dataset, an activity…) is parsed again on its own, in a copy of the file where
/// every other line is blank (lines and columns stay true), to report one error per item.
fn parse_datamap(text: &str, file: &Path, errors: &mut Vec<LoadError>) -> Option<DataMapFile> {
    let text = &lone_cr_to_lf(text);
    let first = match serde_saphyr::from_str::<DataMapFile>(text) {
        Ok(v) => return Some(v),
        Err(e) => convert(&e, file),
    };
    let found = per_item_errors(text, file).unwrap_or_default();
    merge_first(found, first, errors);
    None
}

/// The errors of each top-level list item parsed alone, or `None` when the file's layout does
/// not allow it (flow-style lists, syntax errors).
fn per_item_errors(text: &str, file: &Path) -> Option<Vec<LoadError>> {
    type Sections = std::collections::BTreeMap<
        String,
        Option<Vec<serde_saphyr::Spanned<serde::de::IgnoredAny>>>,
    >;
    let sections: Sections = serde_saphyr::from_str(text).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let top_level =
        |l: &str| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']) && !l.trim().is_empty();
    let mut out = Vec::new();
    for (key, items) in &sections {
        let starts: Vec<usize> = items
            .iter()
            .flatten()
            .map(|i| usize::try_from(i.referenced.line()).unwrap_or(0))
            .collect();
        if starts.is_empty() || starts.contains(&0) || starts.windows(2).any(|w| w[0] >= w[1]) {
            if starts.is_empty() {
                continue;
            }
            return None;
        }
        // The `key:` line, alone on its line, before the first item.
        let first = starts[0];
        let header = (1..first)
            .rev()
            .find(|&n| lines.get(n - 1).is_some_and(|l| top_level(l)))?;
        let header_line = lines.get(header - 1)?;
        if header_line.trim_end() != format!("{key}:")
            && !header_line.starts_with(&format!("{key}: #"))
        {
            return None;
        }
        for (i, &start) in starts.iter().enumerate() {
            let mut end = starts.get(i + 1).map_or(lines.len(), |n| n - 1);
            // Stop at the next top-level key.
            if let Some(stop) =
                (start + 1..=end).find(|&n| lines.get(n - 1).is_some_and(|l| top_level(l)))
            {
                end = stop - 1;
            }
            let mut doc = String::with_capacity(text.len());
            for (n, l) in lines.iter().enumerate() {
                let n = n + 1;
                if n == header || (start..=end).contains(&n) {
                    // A lone `-` before the next item belongs to that item.
                    if n == end && n != start && l.trim() == "-" {
                        doc.push('\n');
                        continue;
                    }
                    doc.push_str(l);
                }
                doc.push('\n');
            }
            if let Err(e) = serde_saphyr::from_str::<DataMapFile>(&doc) {
                out.push(convert(&e, file));
            }
        }
    }
    Some(out)
}

/// The closest candidate to `word`, if reasonably close.
fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn did_you_mean(word: &str, expected: &[&str]) -> Text {
    match closest(word, expected.iter().copied()) {
        Some(c) => Text::new(
            format!("是否想写 `{c}`？可用：{}", list(expected)),
            format!("did you mean `{c}`? allowed: {}", list(expected)),
        ),
        None => Text::new(
            format!("可用：{}", list(expected)),
            format!("allowed: {}", list(expected)),
        ),
    }
}

fn convert(err: &serde_saphyr::Error, file: &Path) -> LoadError {
    use serde_saphyr::Error as E;
    let err = err.without_snippet();
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let (kind, message, hint) = match err {
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            ErrorKind::UnknownKey,
            Text::new(
                format!("未知的键 `{field}`"),
                format!("unknown key `{field}`"),
            ),
            Some(did_you_mean(field, expected)),
        ),
        E::SerdeMissingField { field, .. } => (
            ErrorKind::MissingKey,
            Text::new(
                format!("缺少必填键 `{field}`"),
                format!("missing key `{field}`"),
            ),
            Some(Text::new(
                format!("在此映射中加上 `{field}:`"),
                format!("add `{field}:` to this mapping"),
            )),
        ),
        E::SerdeInvalidType { expected, .. } => (
            ErrorKind::WrongType,
            Text::new(
                format!("类型错误，这里应为 {expected}"),
                format!("wrong type: expected {expected}"),
            ),
            Some(Text::new(
                "检查缩进，以及列表（- ）与映射（key: ）是否用对",
                "check the indentation and whether a list (- ) or a mapping (key: ) belongs here",
            )),
        ),
        E::InvalidScalar { ty, .. } => (
            ErrorKind::WrongType,
            Text::new(
                format!("类型错误，这里应为 {ty}"),
                format!("wrong type: expected {ty}"),
            ),
            Some(Text::new(
                "数字不加引号和单位，布尔值写 true 或 false",
                "write numbers without quotes or units, booleans as true or false",
            )),
        ),
        E::InvalidBooleanStrict { .. } => (
            ErrorKind::WrongType,
            Text::new("类型错误，这里应为布尔值", "wrong type: expected a boolean"),
            Some(Text::new("写 true 或 false", "write true or false")),
        ),
        E::NonFiniteFloat { .. } => (
            ErrorKind::WrongType,
            Text::new(
                "类型错误，这里应为有限的数字",
                "wrong type: expected a finite number",
            ),
            None,
        ),
        E::NullIntoString { .. } => (
            ErrorKind::WrongType,
            Text::new(
                "类型错误，这里应为文本，却是空值",
                "wrong type: expected text, found null",
            ),
            Some(Text::new(
                "填写取值，或删除这个键",
                "fill in a value or delete the key",
            )),
        ),
        E::SerdeInvalidValue { expected, .. } | E::SerdeInvalidLength { expected, .. } => (
            ErrorKind::InvalidValue,
            Text::new(
                format!("取值无效，这里应为 {expected}"),
                format!("invalid value: expected {expected}"),
            ),
            None,
        ),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            ErrorKind::InvalidValue,
            Text::new(
                "取值不在允许的词表中",
                "value is not in the allowed vocabulary",
            ),
            Some(did_you_mean(variant, expected)),
        ),
        E::DuplicateMappingKey { key, .. } => {
            let k = key.clone().unwrap_or_default();
            (
                ErrorKind::DuplicateKey,
                Text::new(format!("重复的键 `{k}`"), format!("duplicate key `{k}`")),
                Some(Text::new(
                    "同一映射中每个键只能出现一次；合并或删除其中一个",
                    "a key may appear once per mapping; merge or delete one of them",
                )),
            )
        }
        E::Message { msg, .. } if msg.starts_with(INVALID_DATE) => (
            ErrorKind::InvalidDate,
            Text::new("日期无效", "invalid date"),
            Some(Text::new(
                "写成 YYYY-MM-DD 形式的真实日期，例如 2025-01-01",
                "write a real calendar day as YYYY-MM-DD, e.g. 2025-01-01",
            )),
        ),
        E::Message { msg, .. } if msg.starts_with(UNKNOWN_PI_TYPE) => {
            let ids: Vec<&str> = PiType::ALL.iter().map(|t| t.id()).collect();
            (
                ErrorKind::UnknownPiType,
                Text::new("未知的个人信息类型 id", "unknown PI type id"),
                Some(Text::new(
                    format!("可用的类型 id（`xiezhi types` 有说明）：{}", ids.join(", ")),
                    format!("valid ids (see `xiezhi types`): {}", ids.join(", ")),
                )),
            )
        }
        E::Message { msg, .. } if msg.starts_with(UNKNOWN_CATEGORY) => (
            ErrorKind::UnknownCategory,
            Text::new("未知的 GB/T 35273 类别", "unknown GB/T 35273 category"),
            Some(Text::new(
                format!("可用：{}", CATEGORY_IDS.join(", ")),
                format!("allowed: {}", CATEGORY_IDS.join(", ")),
            )),
        ),
        E::Message { .. } => (
            ErrorKind::InvalidValue,
            Text::new("取值无效", "invalid value"),
            None,
        ),
        other => {
            let m = other.to_string();
            (
                ErrorKind::Syntax,
                Text::new(
                    format!("YAML 语法错误：{m}"),
                    format!("YAML syntax error: {m}"),
                ),
                Some(Text::new(
                    "检查缩进、冒号和引号",
                    "check indentation, colons and quotes",
                )),
            )
        }
    };
    LoadError {
        file: file.to_path_buf(),
        line,
        column,
        kind,
        message,
        hint,
    }
}

/// Kinds of entities that have ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    System,
    Dataset,
    Activity,
    Recipient,
    Transfer,
    Crawler,
    TrainingDataset,
    Assessment,
}

impl Kind {
    const fn section(self) -> &'static str {
        match self {
            Kind::System => "systems",
            Kind::Dataset => "datasets",
            Kind::Activity => "activities",
            Kind::Recipient => "recipients",
            Kind::Transfer => "transfers",
            Kind::Crawler => "crawlers",
            Kind::TrainingDataset => "training_datasets",
            Kind::Assessment => "assessments",
        }
    }
}

struct Def<'a> {
    file: &'a Path,
    line: u64,
    column: u64,
}

fn cross_check(
    files: &[SourceFile],
    general_levels: Option<&[String]>,
    check_refs: bool,
    errors: &mut Vec<LoadError>,
) {
    let mut defs: HashMap<&str, Def<'_>> = HashMap::new();
    let mut ordered: Vec<(&str, Kind)> = Vec::new();
    // Every kind an id was given, duplicates included, so a duplicate does not also make the
    // references to the other entity dangle.
    let mut kinds: HashMap<&str, Vec<Kind>> = HashMap::new();
    for f in files {
        let m = &f.map;
        let ids = entity_ids(m);
        for (id, kind) in ids {
            kinds.entry(id.value.as_str()).or_default().push(kind);
            if let Some(first) = defs.get(id.value.as_str()) {
                let at = format!("{}:{}:{}", first.file.display(), first.line, first.column);
                errors.push(LoadError {
                    file: f.path.clone(),
                    line: id.line,
                    column: id.column,
                    kind: ErrorKind::DuplicateId,
                    message: Text::new(
                        format!("id `{}` 重复", id.value),
                        format!("duplicate id `{}`", id.value),
                    ),
                    hint: Some(Text::new(
                        format!("它已在 {at} 定义；id 在所有文件中必须唯一"),
                        format!("it is first defined at {at}; ids are unique across all files"),
                    )),
                });
            } else {
                defs.insert(
                    &id.value,
                    Def {
                        file: &f.path,
                        line: id.line,
                        column: id.column,
                    },
                );
                ordered.push((&id.value, kind));
            }
        }
    }
    let check = |r: &Id, want: Option<Kind>, file: &Path, errors: &mut Vec<LoadError>| {
        let ok = match (kinds.get(r.value.as_str()), want) {
            (Some(ks), Some(k)) => ks.contains(&k),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if ok || !check_refs {
            return;
        }
        let (in_zh, in_en, under) = match want {
            Some(k) => (
                format!("`{}` 中", k.section()),
                format!("in `{}`", k.section()),
                format!("`{}:`", k.section()),
            ),
            None => (
                "任何条目中".to_owned(),
                "in any section".to_owned(),
                "`activities:`, `recipients:`, `transfers:` …".to_owned(),
            ),
        };
        let candidates = ordered
            .iter()
            .filter(|(_, k)| want.is_none_or(|w| w == *k))
            .map(|(id, _)| *id);
        let id = &r.value;
        let hint = match closest(id, candidates) {
            Some(c) => Text::new(
                format!("是否想写 `{c}`？或在 {under} 下定义 `{id}`"),
                format!("did you mean `{c}`? or define `{id}` under {under}"),
            ),
            None => Text::new(
                format!("在某个 datamap 文件的 {under} 下定义 `{id}`"),
                format!("define `{id}` under {under} in a datamap file"),
            ),
        };
        errors.push(LoadError {
            file: file.to_path_buf(),
            line: r.line,
            column: r.column,
            kind: ErrorKind::DanglingReference,
            message: Text::new(
                format!("引用的 id `{id}` 在{in_zh}不存在"),
                format!("reference to `{id}`: no such id {in_en}"),
            ),
            hint: Some(hint),
        });
    };
    let all_datasets: HashMap<&str, &Dataset> = files
        .iter()
        .flat_map(|f| f.map.datasets.iter())
        .map(|d| (d.id.value.as_str(), d))
        .collect();
    if check_refs {
        reference_cycles(files, &all_datasets, errors);
    }
    for f in files {
        let m = &f.map;
        let p = f.path.as_path();
        for d in &m.datasets {
            for r in &d.references {
                check(&r.dataset, Some(Kind::Dataset), p, errors);
            }
            check(&d.system, Some(Kind::System), p, errors);
            if let Some(principal) = &d.principal {
                for a in &principal.permitted_activities {
                    check(a, Some(Kind::Activity), p, errors);
                }
            }
            let mut seen: HashMap<&str, &At<String>> = HashMap::new();
            for field in &d.fields {
                if let Some(first) = seen.insert(&field.name.value, &field.name) {
                    errors.push(LoadError {
                        file: p.to_path_buf(),
                        line: field.name.line,
                        column: field.name.column,
                        kind: ErrorKind::DuplicateId,
                        message: Text::new(
                            format!("字段名 `{}` 在数据集中重复", field.name.value),
                            format!("duplicate field name `{}` in the dataset", field.name.value),
                        ),
                        hint: Some(Text::new(
                            format!("它已在第 {} 行定义", first.line),
                            format!("it is first defined on line {}", first.line),
                        )),
                    });
                }
                if let (Some(level), Some(general_levels)) = (&field.level, general_levels) {
                    let bad_grade = matches!(field.grade, Some(Grade::Core | Grade::Important));
                    if bad_grade || !general_levels.contains(&level.value) {
                        let levels: Vec<&str> = general_levels.iter().map(String::as_str).collect();
                        errors.push(LoadError {
                            file: p.to_path_buf(),
                            line: level.line,
                            column: level.column,
                            kind: ErrorKind::InvalidValue,
                            message: Text::new(
                                "一般数据子级别无效",
                                "invalid sub-level of general data",
                            ),
                            hint: Some(if bad_grade {
                                Text::new(
                                    "`level` 只用于 `grade: general`",
                                    "`level` applies only to `grade: general`",
                                )
                            } else {
                                Text::new(
                                    format!(
                                        "xiezhi.yaml 的 grading.general_levels 中可用：{}",
                                        list(&levels)
                                    ),
                                    format!(
                                        "allowed by grading.general_levels in xiezhi.yaml: {}",
                                        list(&levels)
                                    ),
                                )
                            }),
                        });
                    }
                }
            }
        }
        for d in &m.datasets {
            check_execution(d, &all_datasets, p, errors);
        }
        for a in &m.activities {
            for r in &a.datasets {
                check(r, Some(Kind::Dataset), p, errors);
            }
            for r in &a.recipients {
                check(r, Some(Kind::Recipient), p, errors);
            }
        }
        for r in &m.recipients {
            for d in &r.datasets {
                check(d, Some(Kind::Dataset), p, errors);
            }
        }
        for t in &m.transfers {
            check(&t.recipient, Some(Kind::Recipient), p, errors);
            for d in &t.datasets {
                check(d, Some(Kind::Dataset), p, errors);
            }
        }
        for c in &m.crawlers {
            for d in &c.datasets {
                check(d, Some(Kind::Dataset), p, errors);
            }
        }
        for t in &m.training_datasets {
            for d in &t.datasets {
                check(d, Some(Kind::Dataset), p, errors);
            }
        }
        for a in &m.assessments {
            for r in &a.covers {
                check(r, None, p, errors);
            }
        }
    }
}

/// A table, column or connection name rights execution may quote into SQL: ASCII letters,
/// digits and `_` (not starting with a digit), with at most one `schema.` prefix.
pub fn is_sql_identifier(s: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.len() <= 63
            && !p.starts_with(|c: char| c.is_ascii_digit())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match s.split_once('.') {
        Some((a, b)) => part(a) && part(b),
        None => part(s),
    }
}

fn at_error(
    p: &Path,
    at: (u64, u64),
    kind: ErrorKind,
    message: Text,
    hint: Option<Text>,
) -> LoadError {
    LoadError {
        file: p.to_path_buf(),
        line: at.0,
        column: at.1,
        kind,
        message,
        hint,
    }
}

/// Checks of the keys used by rights execution: identifiers, references, erasure blocks.
fn check_execution(
    d: &Dataset,
    all: &HashMap<&str, &Dataset>,
    p: &Path,
    errors: &mut Vec<LoadError>,
) {
    let id = &d.id.value;
    let has_field = |ds: &Dataset, name: &str| {
        ds.fields.iter().any(|f| f.name.value == name)
            || ds.primary_key.as_ref().map_or("id", |k| k.value.as_str()) == name
            || ds.subject_key.as_deref() == Some(name)
    };
    for (key, v) in [
        ("table", &d.table),
        ("connection", &d.connection),
        ("primary_key", &d.primary_key),
    ] {
        if let Some(v) = v
            && !is_sql_identifier(&v.value)
        {
            errors.push(at_error(
                p,
                (v.line, v.column),
                ErrorKind::InvalidValue,
                Text::new(
                    format!("数据集 `{id}` 的 `{key}` 不是有效的 SQL 标识符"),
                    format!("`{key}` of dataset `{id}` is not a valid SQL identifier"),
                ),
                Some(Text::new(
                    "只用字母、数字和 `_`（不以数字开头），可带一个 `schema.` 前缀",
                    "use letters, digits and `_` (not starting with a digit), with an optional `schema.` prefix",
                )),
            ));
        }
    }
    for f in &d.fields {
        if !is_sql_identifier(&f.name.value) && (f.erasure.is_some() || f.third_party) {
            errors.push(at_error(
                p,
                (f.name.line, f.name.column),
                ErrorKind::InvalidValue,
                Text::new(
                    format!("数据集 `{id}` 的字段名不是有效的 SQL 标识符，无法用于权利执行"),
                    format!("a field name of dataset `{id}` is not a valid SQL identifier, so rights execution cannot use it"),
                ),
                Some(Text::new("只用字母、数字和 `_`", "use letters, digits and `_`")),
            ));
        }
    }
    for r in &d.references {
        if !has_field(d, &r.field.value) {
            errors.push(at_error(
                p,
                (r.field.line, r.field.column),
                ErrorKind::DanglingReference,
                Text::new(
                    format!(
                        "引用字段 `{}` 不在数据集 `{id}` 的 fields 中",
                        r.field.value
                    ),
                    format!(
                        "reference field `{}` is not among the fields of dataset `{id}`",
                        r.field.value
                    ),
                ),
                Some(Text::new(
                    "在 `fields:` 中加上这个列，或改正 `field:`",
                    "add the column under `fields:` or correct `field:`",
                )),
            ));
        }
        if let (Some(to), Some(target)) = (&r.to, all.get(r.dataset.value.as_str()))
            && !has_field(target, &to.value)
        {
            errors.push(at_error(
                p,
                (to.line, to.column),
                ErrorKind::DanglingReference,
                Text::new(
                    format!(
                        "被引用的列 `{}` 不在数据集 `{}` 的 fields 中",
                        to.value, r.dataset.value
                    ),
                    format!(
                        "referenced column `{}` is not among the fields of dataset `{}`",
                        to.value, r.dataset.value
                    ),
                ),
                Some(Text::new(
                    "写被引用数据集的主键或它 `fields:` 中的一列",
                    "write the referenced dataset's primary key or one of its `fields:`",
                )),
            ));
        }
    }
    if let Some(e) = &d.erasure {
        let at = (e.action.line, e.action.column);
        match (&e.action.value, &e.hold) {
            (ErasureAction::Hold, None) => errors.push(at_error(
                p,
                at,
                ErrorKind::MissingKey,
                Text::new(
                    format!("数据集 `{id}` 的 `action: hold` 缺少 `hold:`（理由、年限、起算列）"),
                    format!("`action: hold` of dataset `{id}` has no `hold:` (reason, years, from)"),
                ),
                Some(Text::new(
                    "加上 `hold: {reason: 电子商务法第三十一条 交易记录保存不少于三年, years: 3, from: created_at}`",
                    "add `hold: {reason: <law and article>, years: 3, from: <date column>}`",
                )),
            )),
            (ErasureAction::Hold, Some(h)) => {
                if h.reason.trim().is_empty() {
                    errors.push(at_error(
                        p,
                        at,
                        ErrorKind::MissingKey,
                        Text::new(
                            format!("数据集 `{id}` 的留存没有写理由"),
                            format!("the hold of dataset `{id}` gives no reason"),
                        ),
                        Some(Text::new(
                            "在 `hold.reason` 写明法律依据与条文",
                            "write the law and article in `hold.reason`",
                        )),
                    ));
                }
                if !has_field(d, &h.from.value) {
                    errors.push(at_error(
                        p,
                        (h.from.line, h.from.column),
                        ErrorKind::DanglingReference,
                        Text::new(
                            format!("留存起算列 `{}` 不在数据集 `{id}` 的 fields 中", h.from.value),
                            format!("hold column `{}` is not among the fields of dataset `{id}`", h.from.value),
                        ),
                        Some(Text::new(
                            "在 `fields:` 中加上这个日期列",
                            "add the date column under `fields:`",
                        )),
                    ));
                }
            }
            (_, Some(_)) => errors.push(at_error(
                p,
                at,
                ErrorKind::InvalidValue,
                Text::new(
                    format!("数据集 `{id}` 写了 `hold:`，但 `action` 不是 `hold`"),
                    format!("dataset `{id}` has `hold:` but `action` is not `hold`"),
                ),
                Some(Text::new(
                    "写 `action: hold`，或删除 `hold:`",
                    "write `action: hold` or delete `hold:`",
                )),
            )),
            _ => {}
        }
    }
}

/// Reports each cycle of `references` once, at the reference that closes it.
fn reference_cycles(
    files: &[SourceFile],
    all: &HashMap<&str, &Dataset>,
    errors: &mut Vec<LoadError>,
) {
    let file_of: HashMap<&str, &Path> = files
        .iter()
        .flat_map(|f| {
            f.map
                .datasets
                .iter()
                .map(|d| (d.id.value.as_str(), f.path.as_path()))
        })
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state: HashMap<&str, u8> = HashMap::new();
    let mut ids: Vec<&str> = all.keys().copied().collect();
    ids.sort_unstable();
    fn visit<'a>(
        id: &'a str,
        all: &HashMap<&str, &'a Dataset>,
        state: &mut HashMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
        file_of: &HashMap<&str, &Path>,
        errors: &mut Vec<LoadError>,
    ) {
        state.insert(id, 1);
        stack.push(id);
        if let Some(d) = all.get(id) {
            for r in &d.references {
                let t = r.dataset.value.as_str();
                match state.get(t).copied().unwrap_or(0) {
                    1 => {
                        let start = stack.iter().position(|s| *s == t).unwrap_or(0);
                        let mut cycle: Vec<&str> = stack[start..].to_vec();
                        cycle.push(t);
                        let path = cycle.join(" → ");
                        errors.push(at_error(
                            file_of.get(id).copied().unwrap_or(Path::new("")),
                            (r.dataset.line, r.dataset.column),
                            ErrorKind::InvalidValue,
                            Text::new(
                                format!("数据集引用成环：{path}"),
                                format!("cycle in dataset references: {path}"),
                            ),
                            Some(Text::new(
                                "引用（外键）不能成环；删除环上的一条引用（自引用也算）",
                                "references (foreign keys) must not form a cycle; remove one reference of the cycle (self-references count)",
                            )),
                        ));
                    }
                    0 if all.contains_key(t) => visit(t, all, state, stack, file_of, errors),
                    _ => {}
                }
            }
        }
        stack.pop();
        state.insert(id, 2);
    }
    for id in ids {
        if state.get(id).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            visit(id, all, &mut state, &mut stack, &file_of, errors);
        }
    }
}
