//! Column classification for structured data (CSV/TSV/XLSX columns, JSON key paths, database
//! columns): the field name's hint combined with the share of sampled values that validate.
//!
//! For each type the classifier counts the sampled values that the type matches *whole* (the
//! match covers the value up to 2 bytes at each end: surrounding quotes or spaces), and the
//! values that merely contain a match. The verdict is the type matching the most values whole —
//! for the free-text types `cn_address`, `street_address` and `health`, containing a match is
//! enough — if that type's share of the sampled values reaches:
//!
//! | name hint | share needed | values needed |
//! | --- | --- | --- |
//! | includes the type (`sfzh` and resident IDs) | 0.6 | 1 |
//! | says nothing, or names another type | 0.8 | 5 |
//! | says "not PI" (`order_no`, `amount`) | 0.95 | 5 |
//!
//! So a misleading header (`mobile` over order numbers, `id_card` over IDs with a wrong check
//! digit) gives no verdict: its values do not validate. A `remark` column where some cells hold
//! an ID number gives none either: the share is far too low, and those cells are reported one by
//! one as values.

use xiezhi_model::PiType;

use crate::engine::Match;
use crate::field::{FieldHint, field_hint};
use crate::typeset::TypeSet;

/// Values sampled per column before the verdict is fixed.
pub const SAMPLE_LIMIT: u64 = 1000;

/// Types whose values are free text: a value containing a match counts.
pub const FREE_TEXT: TypeSet =
    TypeSet::of(&[PiType::CnAddress, PiType::StreetAddress, PiType::Health]);

/// Bytes at each end of a value that a whole-value match may leave out (quotes, spaces).
const WHOLE_SLACK: usize = 2;

/// A column judged to hold one PI type.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnVerdict {
    /// The type.
    pub pi_type: PiType,
    /// Non-empty values sampled.
    pub sampled: u64,
    /// Sampled values whose whole value matched the type (for the [`FREE_TEXT`] types: values
    /// containing a match).
    pub matched: u64,
    /// 0.0..=1.0.
    pub confidence: f32,
    /// `values:0.996`, `name:pinyin sfzh`.
    pub evidence: Vec<String>,
}

/// Accumulates evidence for one column.
#[derive(Debug, Clone)]
pub struct ColumnClassifier {
    hint: FieldHint,
    sampled: u64,
    /// Per type (by [`PiType::index`]): values matched whole.
    whole: [u64; PiType::COUNT],
    /// Per type: values containing at least one match.
    contains: [u64; PiType::COUNT],
}

impl ColumnClassifier {
    /// Starts a column with header or key path `name`.
    pub fn new(name: &str) -> Self {
        Self::with_hint(field_hint(name))
    }

    /// Starts a column whose name was already classified.
    pub fn with_hint(hint: FieldHint) -> Self {
        ColumnClassifier {
            hint,
            sampled: 0,
            whole: [0; PiType::COUNT],
            contains: [0; PiType::COUNT],
        }
    }

    /// The hint computed from the name (pass it to [`crate::Engine::scan_field`]).
    pub fn hint(&self) -> &FieldHint {
        &self.hint
    }

    /// True while more values should be sampled.
    pub fn wants_more(&self) -> bool {
        self.sampled < SAMPLE_LIMIT
    }

    /// Non-empty values sampled so far.
    pub fn sampled(&self) -> u64 {
        self.sampled
    }

    /// Records one non-empty value of `value_len` bytes and the matches the engine found in it.
    /// Values offered after [`SAMPLE_LIMIT`] are ignored.
    pub fn observe(&mut self, value_len: usize, matches: &[Match]) {
        if !self.wants_more() {
            return;
        }
        self.sampled += 1;
        let mut whole = TypeSet::EMPTY;
        let mut any = TypeSet::EMPTY;
        for m in matches {
            any = any.with(m.pi_type);
            if m.start <= WHOLE_SLACK && m.end.saturating_add(WHOLE_SLACK) >= value_len {
                whole = whole.with(m.pi_type);
            }
        }
        for t in any.iter() {
            if let Some(c) = self.contains.get_mut(t.index()) {
                *c += 1;
            }
        }
        for t in whole.iter() {
            if let Some(c) = self.whole.get_mut(t.index()) {
                *c += 1;
            }
        }
    }

    /// Values counted for `t`: matched whole, or containing a match for free-text types.
    fn count(&self, t: PiType) -> u64 {
        let counts = if FREE_TEXT.contains(t) {
            &self.contains
        } else {
            &self.whole
        };
        counts.get(t.index()).copied().unwrap_or(0)
    }

    /// The verdict, if the column holds one PI type.
    pub fn verdict(&self) -> Option<ColumnVerdict> {
        let n = self.sampled;
        if n == 0 {
            return None;
        }
        // The type counted most often; on a tie, one the name hints.
        let mut best: Option<(PiType, u64)> = None;
        for &t in PiType::ALL {
            let c = self.count(t);
            if c == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, bc)) => {
                    c > bc
                        || (c == bc && self.hint.types.contains(t) && !self.hint.types.contains(b))
                }
            };
            if better {
                best = Some((t, c));
            }
        }
        let (ty, matched) = best?;
        let agrees = self.hint.types.contains(ty);
        // Share thresholds as fractions, compared exactly: matched / n >= num / den.
        let (num, den, min_values) = if self.hint.not_pi {
            (19, 20, 5)
        } else if agrees {
            (3, 5, 1)
        } else {
            (4, 5, 5)
        };
        if n < min_values || u128::from(matched) * den < u128::from(n) * num {
            return None;
        }
        let share = matched as f64 / n as f64;
        let mut confidence = 0.35 + 0.6 * share;
        if agrees {
            confidence += 0.05;
        }
        if self.hint.not_pi {
            confidence -= 0.1;
        }
        if n < 5 {
            // One or a few values, accepted because the name agrees.
            confidence -= 0.05 * (5 - n) as f64;
        }
        let mut evidence = vec![format!("values:{share:.3}")];
        if agrees && !self.hint.evidence.is_empty() {
            evidence.push(self.hint.evidence.clone());
        }
        Some(ColumnVerdict {
            pi_type: ty,
            sampled: n,
            matched,
            confidence: confidence.clamp(0.0, 1.0) as f32,
            evidence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, ty: PiType) -> Match {
        Match {
            start,
            end,
            pi_type: ty,
            confidence: 0.9,
            evidence: vec!["test"],
        }
    }

    /// Feeds `valid` values matched whole as `ty` (of `len` bytes) and `invalid` values with no
    /// match.
    fn feed(c: &mut ColumnClassifier, ty: PiType, len: usize, valid: usize, invalid: usize) {
        for _ in 0..valid {
            c.observe(len, &[m(0, len, ty)]);
        }
        for _ in 0..invalid {
            c.observe(len, &[]);
        }
    }

    #[test]
    fn pinyin_header_all_valid() {
        let mut c = ColumnClassifier::new("sfzh");
        feed(&mut c, PiType::CnResidentId, 18, 200, 0);
        let v = c.verdict().unwrap();
        assert_eq!(v.pi_type, PiType::CnResidentId);
        assert_eq!((v.sampled, v.matched), (200, 200));
        assert_eq!(v.evidence, ["values:1.000", "name:pinyin sfzh"]);
        assert!(v.confidence >= 0.99, "{}", v.confidence);
    }

    #[test]
    fn english_header_mostly_valid() {
        let mut c = ColumnClassifier::new("mobile");
        feed(&mut c, PiType::CnMobile, 11, 85, 15);
        let v = c.verdict().unwrap();
        assert_eq!(v.pi_type, PiType::CnMobile);
        assert_eq!(v.evidence, ["values:0.850", "name:mobile"]);
        assert!(
            v.confidence > 0.8 && v.confidence < 0.95,
            "{}",
            v.confidence
        );

        // With the hint 0.6 is enough; without, 0.8 is needed.
        let mut c = ColumnClassifier::new("手机号码");
        feed(&mut c, PiType::CnMobile, 11, 65, 35);
        assert_eq!(c.verdict().map(|v| v.pi_type), Some(PiType::CnMobile));
        let mut c = ColumnClassifier::new("col7");
        feed(&mut c, PiType::CnMobile, 11, 65, 35);
        assert_eq!(c.verdict(), None);
        let mut c = ColumnClassifier::new("col7");
        feed(&mut c, PiType::CnMobile, 11, 85, 15);
        let v = c.verdict().unwrap();
        assert_eq!(v.evidence, ["values:0.850"]);
    }

    #[test]
    fn misleading_header_gives_nothing() {
        let mut c = ColumnClassifier::new("mobile");
        feed(&mut c, PiType::CnMobile, 11, 0, 300);
        assert_eq!(c.verdict(), None);
        // `id_card` over IDs with a wrong check digit and order numbers: a stray match or two.
        let mut c = ColumnClassifier::new("id_card");
        feed(&mut c, PiType::BankCard, 19, 3, 97);
        assert_eq!(c.verdict(), None);
    }

    #[test]
    fn values_alone_decide_without_hint() {
        let mut c = ColumnClassifier::new("c3");
        assert!(c.hint().types.is_empty());
        feed(&mut c, PiType::Email, 20, 97, 3);
        let v = c.verdict().unwrap();
        assert_eq!(v.pi_type, PiType::Email);
        assert_eq!(v.evidence, ["values:0.970"]);
        assert!(v.confidence > 0.9);
        // A header naming another type does not lend its evidence.
        let mut c = ColumnClassifier::new("phone");
        feed(&mut c, PiType::Email, 20, 97, 3);
        let v = c.verdict().unwrap();
        assert_eq!((v.pi_type, v.evidence.len()), (PiType::Email, 1));
    }

    #[test]
    fn remark_with_some_ids_gives_nothing() {
        let mut c = ColumnClassifier::new("remark");
        assert!(c.hint().types.is_empty() && !c.hint().not_pi);
        for i in 0..100 {
            match i % 10 {
                0 => c.observe(18, &[m(0, 18, PiType::CnResidentId)]),
                1 => c.observe(33, &[m(9, 27, PiType::CnResidentId)]),
                _ => c.observe(6, &[]),
            }
        }
        assert_eq!(c.verdict(), None);
    }

    #[test]
    fn few_values() {
        let mut c = ColumnClassifier::new("c1");
        feed(&mut c, PiType::Email, 20, 4, 0);
        assert_eq!(c.verdict(), None);
        c.observe(20, &[m(0, 20, PiType::Email)]);
        assert_eq!(c.verdict().map(|v| v.pi_type), Some(PiType::Email));

        // One value is enough when the name agrees, with a lower confidence.
        let mut c = ColumnClassifier::new("xm");
        c.observe(6, &[m(0, 6, PiType::PersonName)]);
        let v = c.verdict().unwrap();
        assert_eq!(v.pi_type, PiType::PersonName);
        assert!(v.confidence < 0.85, "{}", v.confidence);
        assert_eq!(ColumnClassifier::new("xm").verdict(), None);
    }

    #[test]
    fn not_pi_name_needs_overwhelming_values() {
        let mut c = ColumnClassifier::new("order_no");
        assert!(c.hint().not_pi);
        feed(&mut c, PiType::CnMobile, 11, 90, 10);
        assert_eq!(c.verdict(), None);
        let mut c = ColumnClassifier::new("order_no");
        feed(&mut c, PiType::CnMobile, 11, 99, 1);
        let v = c.verdict().unwrap();
        assert_eq!(v.pi_type, PiType::CnMobile);
        assert_eq!(v.evidence, ["values:0.990"]);
    }

    #[test]
    fn whole_value_and_free_text() {
        // Quotes around the value still count as whole; a match inside a sentence does not.
        let mut c = ColumnClassifier::new("c");
        for _ in 0..10 {
            c.observe(20, &[m(1, 19, PiType::CnResidentId)]);
        }
        assert_eq!(c.verdict().map(|v| v.matched), Some(10));
        let mut c = ColumnClassifier::new("c");
        for _ in 0..10 {
            c.observe(40, &[m(10, 28, PiType::CnResidentId)]);
        }
        assert_eq!(c.verdict(), None);

        // Addresses: a value containing an address counts.
        let mut c = ColumnClassifier::new("家庭住址");
        for _ in 0..10 {
            c.observe(60, &[m(0, 45, PiType::CnAddress)]);
        }
        let v = c.verdict().unwrap();
        assert_eq!((v.pi_type, v.matched), (PiType::CnAddress, 10));
        assert_eq!(v.evidence, ["values:1.000", "name:住址"]);
    }

    #[test]
    fn most_matched_type_wins_and_ties_follow_the_hint() {
        let mut c = ColumnClassifier::new("c");
        feed(&mut c, PiType::Ipv4, 12, 90, 0);
        feed(&mut c, PiType::Ipv6, 30, 10, 0);
        assert_eq!(c.verdict().map(|v| v.pi_type), Some(PiType::Ipv4));

        // 8-digit values that both a Taiwan permit and another type match whole.
        let mut c = ColumnClassifier::new("tbzh");
        for _ in 0..10 {
            c.observe(8, &[m(0, 8, PiType::MoId), m(0, 8, PiType::TwPermit)]);
        }
        assert_eq!(c.verdict().map(|v| v.pi_type), Some(PiType::TwPermit));
    }

    #[test]
    fn sampling_stops_at_the_limit() {
        let mut c = ColumnClassifier::new("email");
        feed(&mut c, PiType::Email, 20, SAMPLE_LIMIT as usize, 0);
        assert!(!c.wants_more());
        feed(&mut c, PiType::Email, 20, 0, 500);
        let v = c.verdict().unwrap();
        assert_eq!((v.sampled, v.matched), (SAMPLE_LIMIT, SAMPLE_LIMIT));
    }
}
