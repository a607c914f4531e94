//! The engine: one pass over the bytes of a text, candidates verified by validators, confidence
//! adjusted by context words. See `docs/architecture.md`.
//!
//! Phase 1 ([`crate::pass`]) walks the bytes once. ASCII letters, digits and full-width digits
//! form tokens that are dispatched by shape (an 18-character token goes to the resident-ID and
//! USCC checks, 11 digits to the mobile check …); CJK characters are looked up in a 64K table
//! that says whether a keyword, a plate province or an address suffix starts there. Context words
//! are recorded as hits; labels such as 姓名 or `password=` also start the context detectors.
//! Phase 2 ([`Engine::resolve`]) gives each candidate the nearest context word on its line that
//! concerns its type, drops those below the threshold and resolves overlaps.

use xiezhi_model::PiType;

use crate::field::FieldHint;
use crate::keywords::{EnIndex, ZhIndex};
use crate::typeset::TypeSet;

/// What the engine looks for.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Types to report. Default: all.
    pub types: TypeSet,
    /// Matches below this confidence are dropped. Default 0.5.
    pub min_confidence: f32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            types: TypeSet::all(),
            min_confidence: 0.5,
        }
    }
}

/// One value found in a text. Offsets are byte offsets into the text given to [`Engine::scan`].
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// First byte of the value.
    pub start: usize,
    /// Byte just past the value.
    pub end: usize,
    /// The type found.
    pub pi_type: PiType,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// Why: validators that passed and context words seen (`checksum`, `context:身份证`).
    pub evidence: Vec<&'static str>,
}

/// A candidate from phase 1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub ty: PiType,
    pub base: f32,
    pub evidence: [&'static str; 2],
}

/// A context word seen in phase 1 (or the field name of a structured value).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub end: usize,
    pub types: TypeSet,
    pub delta: f32,
    pub evidence: &'static str,
    /// Applies to the whole text (a field name), whatever the distance.
    pub whole: bool,
}

/// Per-thread working memory, reused between calls to avoid allocation.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) cands: Vec<Cand>,
    pub(crate) hits: Vec<Hit>,
    pub(crate) digits: Vec<u8>,
    /// Types some positive context word has mentioned so far (a cheap pre-check).
    pub(crate) hot: TypeSet,
    /// Recent English words and the keyword each is (see `pass::word`); kept across calls.
    pub(crate) word_cache: Vec<([u8; 32], Option<&'static crate::keywords::Keyword>)>,
}

impl Scratch {
    fn clear(&mut self) {
        self.cands.clear();
        self.hits.clear();
        self.hot = TypeSet::EMPTY;
    }
}

/// Flags of the character table.
pub(crate) const F_KEYWORD: u8 = 1;
pub(crate) const F_PROVINCE: u8 = 2;
pub(crate) const F_PLACE_SUFFIX: u8 = 4;
pub(crate) const F_DICT_SUFFIX: u8 = 8;
pub(crate) const F_FULLWIDTH_DIGIT: u8 = 16;
/// The character is the next-to-last character of some place name (西湖区: 湖).
pub(crate) const F_PLACE_PENULTIMATE: u8 = 32;
/// First character of a compound surname (欧阳, 司马).
pub(crate) const F_COMPOUND_SURNAME: u8 = 64;

/// Flags of the 65,536 BMP code points. A fixed-size array, so that indexing with a 16-bit
/// code point needs no bounds check in the main loop.
#[derive(Debug)]
pub(crate) struct CharTable(pub(crate) Box<[u8; 0x10000]>);

/// The flags the main loop acts on; the others are only read around a candidate.
pub(crate) const F_MAIN_LOOP: u8 =
    F_KEYWORD | F_PROVINCE | F_PLACE_SUFFIX | F_DICT_SUFFIX | F_FULLWIDTH_DIGIT;

/// Flags of the name table ([`Engine::names`]): a single-character surname.
pub(crate) const N_SURNAME: u8 = 1;
/// A character that is rare in given names (it ends a name candidate).
pub(crate) const N_NOT_GIVEN: u8 = 2;
/// A character that follows a name directly in running text (的, 先, 来 …).
pub(crate) const N_NAME_FOLLOWER: u8 = 4;

/// How far (bytes) a context word reaches forward on its line.
pub(crate) const CONTEXT_WINDOW: usize = 48;

/// The detection engine. Build once, share between threads (`Engine: Send + Sync`).
#[derive(Debug, Clone)]
pub struct Engine {
    config: EngineConfig,
    /// Flags of every BMP character (`F_*`), indexed by code point.
    pub(crate) chars: std::sync::Arc<CharTable>,
    /// Name flags (`N_*`) of every BMP character, read by the name detector.
    pub(crate) names: std::sync::Arc<CharTable>,
    pub(crate) zh: std::sync::Arc<ZhIndex>,
    pub(crate) en: std::sync::Arc<EnIndex>,
    pub(crate) places: std::sync::Arc<crate::context::PlaceIndex>,
    pub(crate) diagnoses: std::sync::Arc<crate::context::SuffixSet>,
    pub(crate) religions: std::sync::Arc<crate::context::SuffixSet>,
}

impl Engine {
    /// Builds the engine.
    pub fn new(config: EngineConfig) -> Engine {
        let zh = ZhIndex::new();
        let mut chars: Box<[u8; 0x10000]> = Box::new([0u8; 0x10000]);
        let mut flag = |c: char, f: u8| {
            if let Some(slot) = chars.get_mut(c as usize) {
                *slot |= f;
            }
        };
        for c in zh.first_chars() {
            flag(c, F_KEYWORD);
        }
        for c in "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".chars()
        {
            flag(c, F_PROVINCE);
        }
        for c in "省市区县州旗盟".chars() {
            flag(c, F_PLACE_SUFFIX);
        }
        for c in crate::context::DICT_SUFFIX_CHARS.chars() {
            flag(c, F_DICT_SUFFIX);
        }
        for name in crate::dict::places::all_place_names() {
            if let Some(c) = name.chars().rev().nth(1) {
                flag(c, F_PLACE_PENULTIMATE);
            }
        }
        for name in crate::dict::surnames::COMPOUND_SURNAMES {
            if let Some(c) = name.chars().next() {
                flag(c, F_COMPOUND_SURNAME);
            }
        }
        for c in '０'..='９' {
            flag(c, F_FULLWIDTH_DIGIT);
        }
        let mut names: Box<[u8; 0x10000]> = Box::new([0u8; 0x10000]);
        let mut name_flag = |c: char, f: u8| {
            if let Some(slot) = names.get_mut(c as usize) {
                *slot |= f;
            }
        };
        for &(c, _) in crate::dict::surnames::SURNAME_RANKS {
            name_flag(c, N_SURNAME);
        }
        for &c in crate::dict::surnames::UNLIKELY_IN_GIVEN_NAME {
            name_flag(c, N_NOT_GIVEN);
        }
        for c in crate::pass::NOT_IN_NAMES.chars() {
            name_flag(c, N_NOT_GIVEN);
        }
        for c in crate::pass::NAME_FOLLOWERS.chars() {
            name_flag(c, N_NAME_FOLLOWER);
        }
        Engine {
            config,
            chars: std::sync::Arc::new(CharTable(chars)),
            names: std::sync::Arc::new(CharTable(names)),
            zh: std::sync::Arc::new(zh),
            en: std::sync::Arc::new(EnIndex::new()),
            places: std::sync::Arc::new(crate::context::PlaceIndex::new()),
            diagnoses: std::sync::Arc::new(crate::context::SuffixSet::new(
                crate::context::DIAGNOSES_ZH,
            )),
            religions: std::sync::Arc::new(crate::context::SuffixSet::new(
                crate::context::RELIGIONS_ZH,
            )),
        }
    }

    /// The configuration the engine was built with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Scans `text`, appending matches (sorted by start, non-overlapping) to `out`.
    pub fn scan(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Match>) {
        scratch.clear();
        crate::pass::Pass::new(self, text.as_bytes(), scratch).run();
        self.resolve(text.as_bytes(), scratch, out);
    }

    /// Scans one structured value (CSV cell, JSON string or number) whose field name gave `hint`:
    /// the field name acts as a context word for the whole value, and the context detectors its
    /// types call for (names, dates of birth, diagnoses …) are tried on the whole value.
    pub fn scan_field(
        &self,
        value: &str,
        hint: &FieldHint,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        scratch.clear();
        if !hint.types.is_empty() {
            scratch.hot = hint.types;
            scratch.hits.push(Hit {
                end: 0,
                types: hint.types,
                delta: 0.45,
                evidence: "field_name",
                whole: true,
            });
        }
        if hint.not_pi {
            scratch.hits.push(Hit {
                end: 0,
                types: crate::keywords::NUMERIC,
                delta: -0.5,
                evidence: "field_name",
                whole: true,
            });
        }
        let mut pass = crate::pass::Pass::new(self, value.as_bytes(), scratch);
        if !hint.types.is_empty() {
            pass.whole_value(hint.types);
        }
        pass.run();
        self.resolve(value.as_bytes(), scratch, out);
    }

    /// Phase 2: context, threshold, overlaps.
    fn resolve(&self, text: &[u8], s: &mut Scratch, out: &mut Vec<Match>) {
        let mut cands = std::mem::take(&mut s.cands);
        cands.retain(|c| self.config.types.contains(c.ty));
        cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<(Cand, f32, Option<&'static str>)> = Vec::new();
        for c in cands.iter().copied() {
            let (delta, ev) = context_for(text, &s.hits, c.start, c.ty);
            let conf = (c.base + delta).clamp(0.0, 1.0);
            if conf < self.config.min_confidence {
                continue;
            }
            match kept.last_mut() {
                Some(last) if last.0.end > c.start => {
                    let better = conf > last.1 + 0.001
                        || ((conf - last.1).abs() <= 0.001
                            && c.end - c.start > last.0.end - last.0.start);
                    if better {
                        *last = (c, conf, ev);
                    }
                }
                _ => kept.push((c, conf, ev)),
            }
        }
        for (c, conf, ev) in kept {
            let mut evidence: Vec<&'static str> = c
                .evidence
                .iter()
                .copied()
                .filter(|e| !e.is_empty())
                .collect();
            if let Some(e) = ev {
                evidence.push(e);
            }
            out.push(Match {
                start: c.start,
                end: c.end,
                pi_type: c.ty,
                confidence: conf,
                evidence,
            });
        }
        cands.clear();
        s.cands = cands;
    }
}

/// The confidence change from the nearest context word before `start` on the same line that
/// concerns `ty`, and its evidence.
fn context_for(text: &[u8], hits: &[Hit], start: usize, ty: PiType) -> (f32, Option<&'static str>) {
    let upto = hits.partition_point(|h| h.end <= start);
    let mut field: Option<&Hit> = None;
    for h in hits.iter().take(upto).rev() {
        if h.whole {
            if h.types.contains(ty) && field.is_none_or(|f| h.delta > f.delta) {
                field = Some(h);
            }
            continue;
        }
        if start - h.end > CONTEXT_WINDOW {
            break;
        }
        if !h.types.contains(ty) {
            continue;
        }
        if text
            .get(h.end..start)
            .is_some_and(|between| memchr::memchr(b'\n', between).is_some())
        {
            break;
        }
        return (h.delta, Some(h.evidence));
    }
    // Field-name hits sit at 0 and sort first; look at them separately.
    for h in hits.iter().take_while(|h| h.whole) {
        if h.types.contains(ty) && field.is_none_or(|f| h.delta > f.delta) {
            field = Some(h);
        }
    }
    match field {
        Some(h) => (h.delta, Some(h.evidence)),
        None => (0.0, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_table_holds_every_listed_character() {
        // The table covers the BMP only: every listed character must be in it.
        let e = Engine::new(EngineConfig::default());
        let flag = |c: char| e.names.0.get(c as usize).copied().unwrap_or(0);
        for &(c, _) in crate::dict::surnames::SURNAME_RANKS {
            assert_ne!(flag(c) & N_SURNAME, 0, "{c}");
        }
        for &c in crate::dict::surnames::UNLIKELY_IN_GIVEN_NAME {
            assert_ne!(flag(c) & N_NOT_GIVEN, 0, "{c}");
        }
        for c in crate::pass::NAME_FOLLOWERS.chars() {
            assert_ne!(flag(c) & N_NAME_FOLLOWER, 0, "{c}");
        }
        assert_eq!(flag('张') & N_SURNAME, N_SURNAME);
        assert_eq!(flag('的') & N_SURNAME, 0);
    }
}
