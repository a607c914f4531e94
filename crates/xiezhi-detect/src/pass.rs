//! Phase 1: the single pass over the bytes (detect), with the negative filters and validators
//! (filter → verify) each candidate goes through before it is recorded.

use xiezhi_model::PiType;

use crate::context::{
    DIAGNOSES_EN, DIAGNOSES_ZH, NOT_NAME_WORDS, RELIGIONS_EN, RELIGIONS_ZH, STREET_SUFFIXES,
    longest_prefix_in, longest_prefix_in_ci,
};
use crate::dict::{ethnic, surnames};
use crate::engine::{
    Cand, Engine, F_COMPOUND_SURNAME, F_DICT_SUFFIX, F_FULLWIDTH_DIGIT, F_KEYWORD, F_MAIN_LOOP,
    F_PLACE_PENULTIMATE, F_PLACE_SUFFIX, F_PROVINCE, Hit, N_NAME_FOLLOWER, N_NOT_GIVEN, N_SURNAME,
    Scratch,
};
use crate::keywords::{Keyword, Trigger};
use crate::text::{at, before, char_at, char_before, char3, is_cjk, skip_label_separators};
use crate::typeset::TypeSet;
use crate::validate::{
    bank_bin, calendar, email, gb32100, gps, hk_id, imei, ip, iso7064, landline, mac, mo_id,
    mobile, passport, permit, phone_intl, plate, region, tw_id, vin,
};

/// Longest token looked at as a whole; longer runs are skipped.
const MAX_TOKEN: usize = 512;

pub(crate) struct Pass<'a> {
    e: &'a Engine,
    chars: &'a [u8; 0x10000],
    t: &'a [u8],
    s: &'a mut Scratch,
}

#[inline]
fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

#[inline]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Byte classes of the token loop.
const C_DIGIT: u8 = 1;
const C_ALPHA: u8 = 2;
const C_UNDERSCORE: u8 = 4;
const C_HEX: u8 = 8;
const C_WORD: u8 = 16;
const C_UPPER: u8 = 32;

/// The classes of each byte, built at compile time.
static BYTE_CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_digit() {
            class |= C_DIGIT | C_WORD;
        }
        if c.is_ascii_alphabetic() {
            class |= C_ALPHA | C_WORD;
        }
        if c.is_ascii_uppercase() {
            class |= C_UPPER;
        }
        if c == b'_' {
            class |= C_UNDERSCORE | C_WORD;
        }
        if c.is_ascii_hexdigit() {
            class |= C_HEX;
        }
        table[b] = class;
        b += 1;
    }
    table
};

/// Credential prefixes of [`Pass::prefixed_secret`].
const SECRET_PREFIXES: &[&[u8]] = &[
    b"sk_live_",
    b"sk_test_",
    b"rk_live_",
    b"ghp_",
    b"gho_",
    b"github_pat_",
    b"AKID",
    b"LTAI",
    b"AKIA",
    b"xoxb-",
    b"xoxp-",
    b"sk-",
    b"eyJ",
];

/// Whether the first two bytes at `a` are those of a credential prefix that
/// [`Pass::prefixed_secret`] knows (`sk_live_`, `ghp_`, `AKID`, `eyJ` …).
#[inline]
fn may_start_secret(t: &[u8], a: usize) -> bool {
    matches!(
        (at(t, a), at(t, a + 1)),
        (b's' | b'r', b'k')
            | (b'g', b'h' | b'i')
            | (b'A', b'K')
            | (b'L', b'T')
            | (b'x', b'o')
            | (b'e', b'y')
    )
}

#[inline]
fn byte_class(b: u8) -> u8 {
    BYTE_CLASSES[usize::from(b)]
}

impl<'a> Pass<'a> {
    pub(crate) fn new(e: &'a Engine, t: &'a [u8], s: &'a mut Scratch) -> Pass<'a> {
        Pass {
            e,
            chars: &e.chars.0,
            t,
            s,
        }
    }

    fn push(&mut self, start: usize, end: usize, ty: PiType, base: f32, ev: &'static str) {
        self.push2(start, end, ty, base, ev, "");
    }

    fn push2(
        &mut self,
        start: usize,
        end: usize,
        ty: PiType,
        base: f32,
        a: &'static str,
        b: &'static str,
    ) {
        if end > start && end <= self.t.len() {
            self.s.cands.push(Cand {
                start,
                end,
                ty,
                base,
                evidence: [a, b],
            });
        }
    }

    fn hit(&mut self, end: usize, kw: &'static Keyword) {
        if kw.delta > 0.0 {
            self.s.hot = self.s.hot.union(kw.types);
        }
        self.s.hits.push(Hit {
            end,
            types: kw.types,
            delta: kw.delta,
            evidence: kw.evidence,
            whole: false,
        });
    }

    #[inline]
    fn flags(&self, c: char) -> u8 {
        self.chars.get(c as usize).copied().unwrap_or(0)
    }

    #[inline]
    fn name_flags(&self, c: char) -> u8 {
        self.e.names.0.get(c as usize).copied().unwrap_or(0)
    }

    /// The main loop.
    pub(crate) fn run(&mut self) {
        let t = self.t;
        let n = t.len();
        let mut i = 0;
        while i < n {
            let b = at(t, i);
            if b < 0x80 {
                if byte_class(b) & C_WORD != 0 {
                    i = self.token(i);
                    continue;
                }
                match b {
                    b'@' => self.email(i, 1),
                    b'%' if t.get(i + 1..i + 3) == Some(b"40") => self.email(i, 3),
                    _ => {}
                }
                i += 1;
            } else if (0xE0..0xF0).contains(&b) {
                // The text is valid UTF-8 (it came from a &str): decode without re-validating,
                // and look the flags up before building a `char`. Most CJK characters start
                // nothing: skip runs of them in a tight loop.
                let mut f = 0;
                let mut skipped = 0;
                for ch in t.get(i..).unwrap_or_default().chunks_exact(3) {
                    let &[b0, b1, b2] = ch else { break };
                    if b0 & 0xF0 != 0xE0 {
                        break;
                    }
                    let cp = (usize::from(b0 & 0x0F) << 12)
                        | (usize::from(b1 & 0x3F) << 6)
                        | usize::from(b2 & 0x3F);
                    f = self.chars.get(cp).copied().unwrap_or(0) & F_MAIN_LOOP;
                    if f != 0 {
                        break;
                    }
                    skipped += 3;
                }
                i += skipped;
                if f == 0 {
                    if skipped == 0 {
                        // A character cut off at the very end.
                        i += 1;
                    }
                    continue;
                }
                let Some(c) = char3(t, i) else {
                    i += 1;
                    continue;
                };
                if f & F_FULLWIDTH_DIGIT != 0 {
                    i = self.token(i);
                    continue;
                }
                if f & F_KEYWORD != 0
                    && let Some(kw) = self.e.zh.longest_at(t, i, c)
                {
                    let end = i + kw.word.len();
                    self.hit(end, kw);
                    self.trigger(kw, i, end);
                    i = end;
                    continue;
                }
                if f & F_PROVINCE != 0 {
                    self.plate(i);
                }
                if f & F_PLACE_SUFFIX != 0
                    && char_before(t, i)
                        .is_some_and(|(p, _)| self.flags(p) & F_PLACE_PENULTIMATE != 0)
                    && let Some(end) = self.cn_address_from_suffix(i)
                {
                    i = end;
                    continue;
                }
                if f & F_DICT_SUFFIX != 0 {
                    self.dictionary_suffix(i);
                }
                i += 3;
            } else {
                i += match b {
                    0xC0..=0xDF => 2,
                    0xF0..=0xF7 => 4,
                    _ => 1,
                };
            }
        }
    }

    // ------------------------------------------------------------------ tokens

    /// A token of ASCII letters, digits, `_` and full-width digits starting at `a`. Returns the
    /// position to continue from.
    #[inline(always)]
    fn token(&mut self, a: usize) -> usize {
        let t = self.t;
        // One loop classifies the ASCII part of the token: which classes occur in it (`any`)
        // and which every byte has (`all`).
        let mut j = a;
        let (mut any, mut all) = (0u8, C_WORD | C_HEX);
        while let Some(&b) = t.get(j) {
            let c = byte_class(b);
            if c & C_WORD == 0 {
                break;
            }
            any |= c;
            all &= c;
            j += 1;
        }
        let next = at(t, j);
        // A full-width digit inside or at the start of the token: the general path below.
        if next != 0xEF && j > a {
            // Letters only (most tokens of English text).
            if any & (C_DIGIT | C_UNDERSCORE) == 0 {
                if all & C_HEX != 0
                    && matches!(next, b':' | b'-' | b'.')
                    && let Some(end) = self.hex_shapes(a, j)
                {
                    return end;
                }
                if may_start_secret(t, a)
                    && let Some(end) = self.prefixed_secret(a)
                {
                    return end;
                }
                if j - a <= MAX_TOKEN {
                    self.word(a, j, any & C_UPPER != 0);
                }
                return j;
            }
            // ASCII digits only (most tokens of logs).
            if any & (C_ALPHA | C_UNDERSCORE) == 0 {
                if matches!(next, b':' | b'-' | b'.')
                    && let Some(end) = self.hex_shapes(a, j)
                {
                    return end;
                }
                return self.digits(a, j, false);
            }
        }
        let mut j = a;
        let (mut digits, mut letters, mut upper, mut fw, mut underscore) =
            (0usize, 0usize, 0usize, false, false);
        loop {
            let b = at(t, j);
            let c = byte_class(b);
            if c & C_WORD != 0 {
                // Branch-free counts from the class bits.
                digits += usize::from((c & C_DIGIT) >> C_DIGIT.trailing_zeros());
                letters += usize::from((c & C_ALPHA) >> C_ALPHA.trailing_zeros());
                upper += usize::from((c & C_UPPER) >> C_UPPER.trailing_zeros());
                underscore |= c & C_UNDERSCORE != 0;
                j += 1;
            } else if b == 0xEF && at(t, j + 1) == 0xBC && (0x90..=0x99).contains(&at(t, j + 2)) {
                digits += 1;
                fw = true;
                j += 3;
            } else {
                break;
            }
        }
        let len = j - a;
        if len > MAX_TOKEN {
            return j;
        }
        let next = at(t, j);
        // Hex-with-separators shapes: MAC, UUID, IPv6.
        if !fw
            && (next == b':' || next == b'-' || next == b'.')
            && !underscore
            && letters <= len
            && let Some(end) = self.hex_shapes(a, j)
        {
            return end;
        }
        // Credentials with a known prefix.
        if letters > 0
            && may_start_secret(t, a)
            && let Some(end) = self.prefixed_secret(a)
        {
            return end;
        }
        if letters == 0 && !underscore {
            return self.digits(a, j, fw);
        }
        if digits == 0 {
            self.word(a, j, true);
            return j;
        }
        if !fw && !underscore {
            self.alnum(a, j, letters, upper);
        }
        j
    }

    /// Collects the digits of `a..e` (ASCII or full-width) into scratch.
    fn collect_digits(&mut self, a: usize, e: usize) {
        self.s.digits.clear();
        if let Some(raw) = self.t.get(a..e)
            && raw.iter().all(u8::is_ascii_digit)
        {
            self.s.digits.extend_from_slice(raw);
            return;
        }
        let mut i = a;
        while i < e {
            let b = at(self.t, i);
            if b.is_ascii_digit() {
                self.s.digits.push(b);
                i += 1;
            } else if b == 0xEF {
                self.s
                    .digits
                    .push(b'0' + (at(self.t, i + 2).wrapping_sub(0x90)));
                i += 3;
            } else {
                i += 1;
            }
        }
    }

    /// Reads a digit run (ASCII or full-width) at `i`: (end, count).
    fn digit_run(&self, mut i: usize) -> (usize, usize) {
        let mut n = 0;
        loop {
            let b = at(self.t, i);
            if b.is_ascii_digit() {
                i += 1;
                n += 1;
            } else if b == 0xEF
                && at(self.t, i + 1) == 0xBC
                && (0x90..=0x99).contains(&at(self.t, i + 2))
            {
                i += 3;
                n += 1;
            } else {
                return (i, n);
            }
        }
    }

    /// Whether a DOB label ended shortly before `a` on the same line.
    fn near_hit(&self, a: usize, ty: PiType, within: usize) -> bool {
        if !self.s.hot.contains(ty) {
            return false;
        }
        self.s.hits.iter().rev().take(4).any(|h| {
            (h.whole || (h.end <= a && a - h.end <= within))
                && h.types.contains(ty)
                && h.delta > 0.0
        })
    }

    /// A run of digits `a..e` (may contain full-width digits).
    fn digits(&mut self, a: usize, e: usize, fw: bool) -> usize {
        let t = self.t;
        let prev = before(t, a);
        let next = at(t, e);
        // Part of a decimal, a dotted quad or a version string.
        if next == b'.' && at(t, e + 1).is_ascii_digit() && !fw {
            return self.dotted(a);
        }
        if prev == b'.' && before(t, a - 1).is_ascii_digit() {
            return e;
        }
        if (prev == b'-' || prev == b'+') && a >= 2 && before(t, a - 1) == b'.' {
            return e;
        }
        // The digits, in a stack copy of the first 24 (ASCII runs are read in place). The
        // scratch copy (`self.s.digits`) that some detectors read is only made when one of
        // them may run: most digit runs need none.
        let mut dbuf = [0u8; 24];
        let n = if fw {
            self.collect_digits(a, e);
            self.s.digits.len()
        } else {
            e - a
        };
        let dn = n.min(24);
        let src = if fw {
            self.s.digits.get(..dn)
        } else {
            t.get(a..a + dn)
        };
        if let (Some(dst), Some(src)) = (dbuf.get_mut(..dn), src) {
            dst.copy_from_slice(src);
        }
        let d: &[u8] = dbuf.get(..dn).unwrap_or_default();
        let plus = prev == b'+';
        // International forms.
        if plus || (n == 4 && d.starts_with(b"0086")) {
            if let Some(end) = self.plus_phone(a, e, plus) {
                return end;
            }
            if plus {
                return e;
            }
        }
        // Dates of birth after a label (1990-03-05, 1990年3月5日, 19900305, 05/03/1990).
        if n <= 8
            && self.near_hit(a, PiType::DateOfBirth, 9)
            && let Some((_, len)) = t.get(a..).and_then(calendar::parse_loose)
        {
            self.push(a, a + len, PiType::DateOfBirth, 0.3, "date");
            return a + len;
        }
        // Grouped forms: 138 1234 5678, 6222 0212 3456 7890, 010-62345678, (021) 6234 5678.
        // (`grouped` needs a space or dash after the run, or a bracket before it.)
        let open_fw = a >= 3 && t.get(a - 3..a) == Some("（".as_bytes());
        if prev == b'(' || open_fw || next == b' ' || next == b'-' {
            if !fw {
                self.collect_digits(a, e);
            }
            if let Some(end) = self.grouped(a, e, n) {
                return end;
            }
        }
        // Macao ID 1234567(8).
        if n == 7
            && matches!(d.first(), Some(b'1' | b'5' | b'7'))
            && let Some(end) = self.paren_check(e, false)
        {
            if !fw {
                self.collect_digits(a, e);
            }
            let mut d = self.s.digits.clone();
            d.push(at(t, end - 2).max(at(t, end - 4)));
            if let Some(&cd) = t
                .get(e..end)
                .and_then(|p| p.iter().find(|b| b.is_ascii_digit()))
            {
                d.truncate(7);
                d.push(cd);
                if mo_id::is_plausible(&d) {
                    self.push(a, end, PiType::MoId, 0.35, "shape");
                }
            }
            return end;
        }
        // Street address: 1600 Amphitheatre Parkway.
        if (1..=5).contains(&n)
            && next == b' '
            && at(t, e + 1).is_ascii_uppercase()
            && let Some(end) = self.street_address(a, e)
        {
            return end;
        }
        // English date after `born on`: handled above; plain numbers below.
        match n {
            18 => {
                if !fw {
                    self.collect_digits(a, e);
                }
                if self.resident_id(a, e) {
                    return e;
                }
                if gb32100::is_valid(d) {
                    self.push(a, e, PiType::CnUscc, 0.9, "checksum");
                } else {
                    self.bank_card(a, e, d);
                }
            }
            15 => {
                if imei::is_valid(d) {
                    self.push2(a, e, PiType::Imei, 0.6, "luhn", "reporting_body");
                } else if legacy_id(d) {
                    self.push2(a, e, PiType::CnResidentId, 0.2, "region", "date");
                }
            }
            16 | 17 | 19 => {
                self.bank_card(a, e, d);
            }
            11 if d.first() == Some(&b'1') && mobile::segment(d).is_some() => {
                self.push(a, e, PiType::CnMobile, 0.85, "segment");
            }
            11 | 12 if d.first() == Some(&b'0') => {
                if let Some(al) = landline::area_code_len(d)
                    && let (Some(area), Some(local)) = (d.get(..al), d.get(al..))
                    && landline::is_valid(area, local)
                {
                    self.push(a, e, PiType::CnLandline, 0.6, "area_code");
                }
            }
            13 if d.starts_with(b"86")
                && d.get(2) == Some(&b'1')
                && d.get(2..).and_then(mobile::segment).is_some() =>
            {
                self.push(a, e, PiType::CnMobile, 0.6, "segment");
            }
            8 => {
                if permit::tw_permit(d).is_some() {
                    self.push(a, e, PiType::TwPermit, 0.3, "shape");
                }
                if calendar::Date::parse_yyyymmdd(d)
                    .is_some_and(|x| (1900..=2030).contains(&x.year))
                {
                    self.push(a, e, PiType::DateOfBirth, 0.2, "date");
                }
            }
            10 if permit::tw_permit(d).is_some() => {
                self.push(a, e, PiType::TwPermit, 0.1, "shape");
            }
            _ => {}
        }
        // Device identifiers after a label, written as hex that happens to be all digits.
        if matches!(n, 16 | 32 | 64) && self.near_hit(a, PiType::DeviceId, 24) {
            self.push(a, e, PiType::DeviceId, 0.3, "shape");
        }
        e
    }

    /// `(d)` or `（d）` right at `i`: returns the end.
    fn paren_check(&self, i: usize, letter: bool) -> Option<usize> {
        let t = self.t;
        let i = if letter && at(t, i) == b' ' { i + 1 } else { i };
        let ok = |b: u8| b.is_ascii_digit() || (letter && b == b'A');
        if at(t, i) == b'(' && ok(at(t, i + 1)) && at(t, i + 2) == b')' {
            return Some(i + 3);
        }
        if t.get(i..i + 3) == Some("（".as_bytes())
            && ok(at(t, i + 3))
            && t.get(i + 4..i + 7) == Some("）".as_bytes())
        {
            return Some(i + 7);
        }
        None
    }

    fn resident_id(&mut self, a: usize, e: usize) -> bool {
        let d = &self.s.digits;
        if d.len() != 18 || !iso7064::is_valid_mod11_2(d) {
            return false;
        }
        let region_ok = d
            .get(..6)
            .and_then(|r| std::str::from_utf8(r).ok())
            .and_then(|r| r.parse::<u32>().ok())
            .is_some_and(|r| region::is_known_division(r) || region::province_of(d).is_some());
        let date_ok = d
            .get(6..14)
            .and_then(calendar::Date::parse_yyyymmdd)
            .is_some_and(|x| (1900..=2030).contains(&x.year));
        if region_ok && date_ok {
            self.push2(a, e, PiType::CnResidentId, 0.95, "checksum", "region");
            return true;
        }
        false
    }

    fn bank_card(&mut self, a: usize, e: usize, d: &[u8]) {
        if bank_bin::is_valid(d) {
            let base = match bank_bin::network(d) {
                Some(bank_bin::CardNetwork::UnionPay | bank_bin::CardNetwork::CnDomestic) => 0.85,
                _ => 0.75,
            };
            self.push2(a, e, PiType::BankCard, base, "luhn", "issuer");
        }
    }

    /// Digit groups separated by single spaces or dashes (or an area code in brackets).
    fn grouped(&mut self, a: usize, e: usize, n: usize) -> Option<usize> {
        let t = self.t;
        let prev = before(t, a);
        let next = at(t, e);
        let first = *self.s.digits.first()?;
        // (021) 6234 5678 / （021）62345678
        let open_ascii = prev == b'(';
        let open_fw = a >= 3 && t.get(a - 3..a) == Some("（".as_bytes());
        if (open_ascii || open_fw) && first == b'0' && (3..=4).contains(&n) {
            let close = if next == b')' {
                Some(e + 1)
            } else if t.get(e..e + 3) == Some("）".as_bytes()) {
                Some(e + 3)
            } else {
                None
            };
            if let Some(c) = close {
                let area = self.s.digits.clone();
                let mut p = c;
                if at(t, p) == b' ' || at(t, p) == b'-' {
                    p += 1;
                }
                if let Some((end, local)) = self.local_number(p)
                    && landline::is_valid(&area, &local)
                {
                    let start = if open_ascii { a - 1 } else { a - 3 };
                    self.push(start, end, PiType::CnLandline, 0.8, "area_code");
                    return Some(end);
                }
            }
        }
        // North American (415) 736-2671, reported after a phone label.
        if open_ascii && n == 3 && first != b'0' && next == b')' {
            let p = if at(t, e + 1) == b' ' { e + 2 } else { e + 1 };
            let (e2, n2) = self.digit_run(p);
            if n2 == 3 && at(t, e2) == b'-' {
                let (e3, n3) = self.digit_run(e2 + 1);
                if n3 == 4 && !is_word_byte(at(t, e3)) {
                    let mut d10 = self.s.digits.clone();
                    self.collect_digits(p, e2);
                    d10.extend_from_slice(&self.s.digits);
                    self.collect_digits(e2 + 1, e3);
                    d10.extend_from_slice(&self.s.digits);
                    if phone_intl::nanp_valid(&d10) && !phone_intl::nanp_is_fictional(&d10) {
                        self.push(a - 1, e3, PiType::PhoneIntl, 0.3, "nanp");
                        return Some(e3);
                    }
                }
            }
        }
        if next != b' ' && next != b'-' {
            return None;
        }
        let sep = next;
        // Read groups with the same separator.
        let mut groups: [usize; 6] = [0; 6];
        let mut ng = 1;
        groups[0] = n;
        let mut allbuf = [0u8; 40];
        let mut alln = 0usize;
        for &d in self.s.digits.iter().take(40) {
            if let Some(slot) = allbuf.get_mut(alln) {
                *slot = d;
                alln += 1;
            }
        }
        let mut p = e;
        let mut end = e;
        while ng < 6 && at(t, p) == sep {
            let (ge, gn) = self.digit_run(p + 1);
            if gn == 0 || alln + gn > allbuf.len() {
                break;
            }
            let from = p + 1;
            self.collect_digits(from, ge);
            for &d in &self.s.digits {
                if let Some(slot) = allbuf.get_mut(alln) {
                    *slot = d;
                    alln += 1;
                }
            }
            if let Some(g) = groups.get_mut(ng) {
                *g = gn;
            }
            ng += 1;
            end = ge;
            p = ge;
        }
        if ng < 2
            || is_word_byte(at(t, end))
            || at(t, end) == b'.' && at(t, end + 1).is_ascii_digit()
        {
            // A trailing word character means a code such as 2024-01-05T…: not a number.
            if ng < 2 {
                return None;
            }
        }
        let g = groups.get(..ng).unwrap_or_default();
        let all: &[u8] = allbuf.get(..alln).unwrap_or_default();
        // Mobile 3-4-4.
        if g == [3, 4, 4] && first == b'1' && mobile::segment(all).is_some() {
            self.push(a, end, PiType::CnMobile, 0.85, "segment");
            return Some(end);
        }
        // Bank card in groups of four (last group 1–4).
        if g.len() >= 4
            && g.iter().take(g.len() - 1).all(|&x| x == 4)
            && (16..=19).contains(&all.len())
            && bank_bin::is_valid(all)
        {
            self.push2(a, end, PiType::BankCard, 0.85, "luhn", "issuer");
            return Some(end);
        }
        // Landline 010-62345678, 0571 8888 1234, 021-6234-5678.
        if first == b'0'
            && (3..=4).contains(&n)
            && let Some(local) = all.get(n..)
            && let Some(area) = all.get(..n)
            && (local.len() == 7 || local.len() == 8)
            && landline::is_valid(area, local)
        {
            self.push(a, end, PiType::CnLandline, 0.8, "area_code");
            return Some(end);
        }
        // Dates, times and other grouped numbers: skip past the whole group.
        if sep == b'-' && g.len() >= 2 {
            // Date of birth with a label: handled earlier. Leave individual groups alone.
            return Some(end);
        }
        None
    }

    /// A local number of 7–8 digits, possibly split `6234 5678` / `6234-5678`, at `p`.
    fn local_number(&mut self, p: usize) -> Option<(usize, Vec<u8>)> {
        let t = self.t;
        let (e1, n1) = self.digit_run(p);
        if n1 == 0 {
            return None;
        }
        self.collect_digits(p, e1);
        let mut local = self.s.digits.clone();
        let mut end = e1;
        if (n1 == 3 || n1 == 4) && (at(t, e1) == b' ' || at(t, e1) == b'-') {
            let (e2, n2) = self.digit_run(e1 + 1);
            if (n2 == 3 || n2 == 4) && n1 + n2 >= 7 {
                self.collect_digits(e1 + 1, e2);
                local.extend_from_slice(&self.s.digits);
                end = e2;
            }
        }
        if is_word_byte(at(t, end)) {
            return None;
        }
        Some((end, local))
    }

    /// `+86 …`, `0086 …`, `+44 20 7123 4567`, `+14157362671`.
    fn plus_phone(&mut self, a: usize, e: usize, plus: bool) -> Option<usize> {
        let t = self.t;
        let start = if plus { a - 1 } else { a };
        // Collect up to 15 digits with single separators (space, dash, brackets).
        let mut all: Vec<u8> = Vec::with_capacity(16);
        let mut groups: Vec<usize> = Vec::with_capacity(6);
        let mut p = a;
        let mut end = e;
        loop {
            let (ge, gn) = self.digit_run(p);
            if gn == 0 {
                break;
            }
            self.collect_digits(p, ge);
            all.extend_from_slice(&self.s.digits);
            groups.push(gn);
            end = ge;
            if all.len() > 15 {
                return None;
            }
            let c = at(t, ge);
            let c2 = at(t, ge + 1);
            p = match (c, c2) {
                (b' ' | b'-' | b'.', d) if d.is_ascii_digit() || d == b'(' => ge + 1,
                (b'(', _) | (b')', _) => ge + 1,
                (b' ', b'(') => ge + 2,
                _ => break,
            };
            while matches!(at(t, p), b'(' | b')' | b' ') && p < ge + 3 {
                p += 1;
            }
        }
        if is_word_byte(at(t, end)) {
            return None;
        }
        let digits: &[u8] = if plus { &all } else { all.get(2..)? };
        if digits.starts_with(b"86") {
            let rest = digits.get(2..)?;
            if rest.len() == 11 && rest.first() == Some(&b'1') && mobile::segment(rest).is_some() {
                self.push(start, end, PiType::CnMobile, 0.9, "segment");
                return Some(end);
            }
            let mut with0 = vec![b'0'];
            with0.extend_from_slice(rest);
            if let Some(al) = landline::area_code_len(&with0)
                && let (Some(area), Some(local)) = (with0.get(..al), with0.get(al..))
                && landline::is_valid(area, local)
            {
                self.push(start, end, PiType::CnLandline, 0.85, "area_code");
                return Some(end);
            }
            return None;
        }
        if !plus {
            return None;
        }
        let cc = phone_intl::country_code(digits)?;
        let nsn = digits.get(usize::from(cc.len)..)?;
        if nsn.len() < usize::from(cc.nsn_min) || nsn.len() > usize::from(cc.nsn_max) {
            return None;
        }
        if cc.code == 1 && (!phone_intl::nanp_valid(nsn) || phone_intl::nanp_is_fictional(nsn)) {
            return None;
        }
        let base = if groups.len() > 1 { 0.8 } else { 0.7 };
        self.push(start, end, PiType::PhoneIntl, base, "country_code");
        Some(end)
    }

    /// Numbers with dots: IPv4, GPS decimals, amounts, versions, OIDs.
    fn dotted(&mut self, a: usize) -> usize {
        let t = self.t;
        // Extent of [0-9.]
        let mut j = a;
        let mut dots = 0;
        while j < t.len()
            && (at(t, j).is_ascii_digit() || (at(t, j) == b'.' && at(t, j + 1).is_ascii_digit()))
        {
            if at(t, j) == b'.' {
                dots += 1;
            }
            j += 1;
        }
        let prev = before(t, a);
        let versionish = prev.is_ascii_alphabetic()
            || prev == b'.'
            || (prev == b'/' && a >= 2 && before(t, a - 1).is_ascii_alphabetic())
            || (prev == b'-' && a >= 2 && before(t, a - 1).is_ascii_alphanumeric());
        if dots == 3 && !versionish && !is_word_byte(at(t, j)) {
            if let Some(addr) = t.get(a..j).and_then(ip::parse_ipv4) {
                let base = match ip::ipv4_kind(addr) {
                    ip::IpKind::Public | ip::IpKind::SharedCgnat => 0.85,
                    ip::IpKind::Private | ip::IpKind::LinkLocal => 0.8,
                    _ => 0.0,
                };
                if base > 0.0 {
                    self.push(a, j, PiType::Ipv4, base, "ipv4");
                }
            }
            return j;
        }
        if dots == 1 && !versionish {
            let neg = prev == b'-';
            let start = if neg { a - 1 } else { a };
            if let Some(end) = self.gps(start, j) {
                return end;
            }
        }
        j
    }

    /// A decimal at `a..e` that may start a coordinate pair or be one coordinate after a label.
    fn gps(&mut self, a: usize, e: usize) -> Option<usize> {
        let t = self.t;
        // Cheap shape check before parsing: at most 3 integer digits, 2+ decimals (or a degree
        // sign), and something that makes it a coordinate (a pair, a degree sign or a label).
        let dot = t.get(a..e)?.iter().position(|&b| b == b'.')?;
        let int_digits = t
            .get(a..a + dot)?
            .iter()
            .filter(|b| b.is_ascii_digit())
            .count();
        if int_digits == 0 || int_digits > 3 {
            return None;
        }
        let after = at(t, e);
        let pair_follows = matches!(after, b',' | b' ' | 0xEF | 0xC2);
        if !pair_follows && !self.s.hot.contains(PiType::GpsCoordinate) {
            return None;
        }
        let (v1, f1) = t.get(a..e).and_then(gps::parse_decimal)?;
        let degree = t.get(e..e + 2) == Some("°".as_bytes());
        if f1 < 2 && !degree {
            return None;
        }
        let mut p = e;
        let mut deg1 = None;
        if t.get(p..p + 2) == Some("°".as_bytes()) {
            p += 2;
            if matches!(at(t, p), b'N' | b'S' | b'E' | b'W') {
                deg1 = Some(at(t, p));
                p += 1;
            }
        }
        // A second number after `,` `, ` or ` `.
        let mut q = p;
        if at(t, q) == b',' {
            q += 1;
        } else if t.get(q..q + 3) == Some("，".as_bytes()) {
            q += 3;
        }
        while at(t, q) == b' ' && q < p + 4 {
            q += 1;
        }
        if q > p {
            let s2 = q;
            let mut k = q;
            if at(t, k) == b'-' {
                k += 1;
            }
            while at(t, k).is_ascii_digit() || (at(t, k) == b'.' && at(t, k + 1).is_ascii_digit()) {
                k += 1;
            }
            if let Some((v2, f2)) = t.get(s2..k).and_then(gps::parse_decimal)
                && (f2 >= 2 || (degree && t.get(k..k + 2) == Some("°".as_bytes())))
                && !is_word_byte(at(t, k))
            {
                let mut end = k;
                if t.get(end..end + 2) == Some("°".as_bytes()) {
                    end += 2;
                    if matches!(at(t, end), b'N' | b'S' | b'E' | b'W') {
                        end += 1;
                    }
                }
                let (lat, lon) = if deg1 == Some(b'E') || deg1 == Some(b'W') || v1.abs() > 90.0 {
                    (v2, v1)
                } else {
                    (v1, v2)
                };
                if gps::is_valid_pair(lat, lon) {
                    let base = if (gps::in_china_bbox(lat, lon) && f1 >= 3 && f2 >= 3) || degree {
                        0.75
                    } else {
                        0.45
                    };
                    self.push(a, end, PiType::GpsCoordinate, base, "coordinate_pair");
                    return Some(end);
                }
            }
        }
        if self.near_hit(a, PiType::GpsCoordinate, 12) && v1.abs() <= 180.0 && f1 >= 3 {
            self.push(a, p, PiType::GpsCoordinate, 0.3, "coordinate");
            return Some(p);
        }
        if deg1.is_some() {
            return Some(p);
        }
        None
    }

    /// MAC (`aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff`), UUID, IPv6 starting at `a`.
    fn hex_shapes(&mut self, a: usize, tok_end: usize) -> Option<usize> {
        let t = self.t;
        let tl = tok_end - a;
        let sep = at(t, tok_end);
        // Cheap exits by shape before looking at the bytes.
        match sep {
            b'.' if tl != 4 => return None,
            b'-' if tl != 2 && tl != 8 => return None,
            b':' if tl > 4 => return None,
            _ => {}
        }
        if !t.get(a..tok_end)?.iter().all(|&b| is_hex(b)) {
            return None;
        }
        if is_hex(before(t, a)) || before(t, a) == b':' && sep == b':' {
            return None;
        }
        // MAC with : or -
        if tl == 2 && (sep == b':' || sep == b'-') {
            let cand = t.get(a..a + 17)?;
            let shape = cand
                .iter()
                .enumerate()
                .all(|(k, &b)| if k % 3 == 2 { b == sep } else { is_hex(b) });
            if shape && !is_hex(at(t, a + 17)) && at(t, a + 17) != sep {
                if let Some(m) = mac::parse_mac(cand)
                    && !mac::is_placeholder(m)
                {
                    self.push(a, a + 17, PiType::MacAddress, 0.85, "mac");
                }
                return Some(a + 17);
            }
        }
        // Cisco dotted MAC.
        if tl == 4
            && sep == b'.'
            && let Some(cand) = t.get(a..a + 14)
        {
            let shape = cand.iter().enumerate().all(|(k, &b)| {
                if k == 4 || k == 9 {
                    b == b'.'
                } else {
                    is_hex(b)
                }
            });
            if shape && !is_word_byte(at(t, a + 14)) {
                if let Some(m) = mac::parse_mac(cand)
                    && !mac::is_placeholder(m)
                {
                    self.push(a, a + 14, PiType::MacAddress, 0.8, "mac");
                }
                return Some(a + 14);
            }
        }
        // UUID 8-4-4-4-12.
        if tl == 8
            && sep == b'-'
            && let Some(cand) = t.get(a..a + 36)
        {
            let shape = cand.iter().enumerate().all(|(k, &b)| {
                if matches!(k, 8 | 13 | 18 | 23) {
                    b == b'-'
                } else {
                    is_hex(b)
                }
            });
            if shape && !is_word_byte(at(t, a + 36)) {
                let zero = cand.iter().all(|&b| b == b'0' || b == b'-');
                if !zero {
                    self.push(a, a + 36, PiType::DeviceId, 0.1, "uuid");
                }
                return Some(a + 36);
            }
        }
        // IPv6.
        if sep == b':' && tl <= 4 {
            let mut j = a;
            let mut colons = 0;
            while j < t.len()
                && j - a < 45
                && (is_hex(at(t, j)) || at(t, j) == b':' || (at(t, j) == b'.' && colons >= 2))
            {
                if at(t, j) == b':' {
                    colons += 1;
                }
                j += 1;
            }
            while j > a && (at(t, j - 1) == b':' && at(t, j - 2) != b':' || at(t, j - 1) == b'.') {
                if at(t, j - 1) == b':' {
                    colons -= 1;
                }
                j -= 1;
            }
            if is_word_byte(at(t, j)) {
                return None;
            }
            let s = t.get(a..j)?;
            let compressed = s.windows(2).any(|w| w == b"::");
            if (colons == 7 || (compressed && colons >= 2)) && !s.starts_with(b"::") {
                let timelike = !compressed && s.iter().all(|b| b.is_ascii_digit() || *b == b':');
                if !timelike && let Some(addr) = ip::parse_ipv6(s) {
                    let base = match ip::ipv6_kind(&addr) {
                        ip::IpKind::Public | ip::IpKind::Private | ip::IpKind::LinkLocal => 0.85,
                        _ => 0.0,
                    };
                    if base > 0.0 {
                        self.push(a, j, PiType::Ipv6, base, "ipv6");
                    }
                    return Some(j);
                }
            }
        }
        None
    }

    /// API keys and tokens with a recognisable prefix: `sk_live_`, `ghp_`, `AKID`, `LTAI`, JWT.
    fn prefixed_secret(&mut self, a: usize) -> Option<usize> {
        let t = self.t;
        let rest = t.get(a..)?;
        let p = SECRET_PREFIXES.iter().find(|p| rest.starts_with(p))?;
        if is_word_byte(before(t, a)) {
            return None;
        }
        let mut j = a + p.len();
        let jwt = *p == b"eyJ";
        let mut dots = 0;
        while j < t.len()
            && (is_word_byte(at(t, j)) || at(t, j) == b'-' || (jwt && at(t, j) == b'.'))
        {
            if at(t, j) == b'.' {
                dots += 1;
            }
            j += 1;
        }
        let body = j - a - p.len();
        let ok = if jwt {
            dots == 2 && body >= 20
        } else {
            body >= 12
        };
        if !ok {
            return None;
        }
        let body_bytes = t.get(a + p.len()..j)?;
        let has_digit = body_bytes.iter().any(u8::is_ascii_digit);
        let has_alpha = body_bytes.iter().any(u8::is_ascii_alphabetic);
        if !(jwt || (has_digit && has_alpha)) {
            return None;
        }
        self.push(a, j, PiType::Credential, 0.85, "key_prefix");
        Some(j)
    }

    /// Letters and digits mixed: USCC, VIN, ID with X, HK/TW IDs, passports, permits, hex ids.
    fn alnum(&mut self, a: usize, e: usize, letters: usize, upper: usize) {
        let t = self.t;
        let Some(tok) = t.get(a..e) else { return };
        let len = tok.len();
        if len > 64 {
            return;
        }
        if upper < letters {
            // Lower-case letters: only an ID ending in x or a hex device identifier fit.
            if len == 18
                && tok.last() == Some(&b'x')
                && tok
                    .get(..17)
                    .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
            {
                self.s.digits.clear();
                self.s
                    .digits
                    .extend_from_slice(tok.get(..17).unwrap_or_default());
                self.s.digits.push(b'X');
                let _ = self.resident_id(a, e);
                return;
            }
            if matches!(len, 16 | 32 | 64)
                && self.near_hit(a, PiType::DeviceId, 24)
                && tok.iter().all(|&b| is_hex(b))
            {
                self.push(a, e, PiType::DeviceId, 0.3, "shape");
            }
            return;
        }
        let mut upbuf = [0u8; 64];
        let Some(up_slice) = upbuf.get_mut(..len) else {
            return;
        };
        up_slice.copy_from_slice(tok);
        up_slice.make_ascii_uppercase();
        let up: &[u8] = up_slice;
        let digits_only_body = |from: usize| {
            up.get(from..)
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        };
        // Resident ID with X.
        if len == 18
            && matches!(tok.last(), Some(b'X' | b'x'))
            && up
                .get(..17)
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        {
            self.s.digits.clear();
            self.s.digits.extend_from_slice(up);
            if self.resident_id(a, e) {
                return;
            }
        }
        if len == 18 && upper > 0 && gb32100::is_valid(up) && tok == up {
            self.push(a, e, PiType::CnUscc, 0.95, "checksum");
            return;
        }
        let courier_shape = up.iter().take(2).all(u8::is_ascii_alphabetic)
            && up
                .get(2..)
                .is_some_and(|r| r.iter().all(u8::is_ascii_digit));
        if len == 17 && tok == up && !courier_shape && vin::is_valid(up) {
            self.push(a, e, PiType::Vin, 0.9, "checksum");
            return;
        }
        if len == 10 && tok == up && tw_id::is_valid(up) {
            self.push(a, e, PiType::TwId, 0.85, "checksum");
            return;
        }
        // HK ID: A123456(3), AB987654(3), A1234563.
        let letters = up.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if tok == up && (1..=2).contains(&letters) {
            if len == letters + 6
                && digits_only_body(letters)
                && let Some(end) = self.paren_check(e, true)
            {
                let mut id = up.to_vec();
                if let Some(&c) = t.get(end - 2).filter(|b| b.is_ascii_alphanumeric()) {
                    id.push(c);
                } else if let Some(&c) = t.get(end - 4) {
                    id.push(c);
                }
                if hk_id::is_valid(&id) {
                    self.push(a, end, PiType::HkId, 0.85, "checksum");
                }
                return;
            }
            if len == letters + 7
                && up
                    .get(letters..letters + 6)
                    .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
                && hk_id::is_valid(up)
            {
                // Also a passport or permit shape: both candidates; the context word decides.
                self.push(a, e, PiType::HkId, 0.45, "checksum");
            }
        }
        if tok == up {
            if passport::cn_passport(up).is_some() {
                let base = if up.first() == Some(&b'E') { 0.4 } else { 0.3 };
                self.push(a, e, PiType::CnPassport, base, "shape");
                return;
            }
            if permit::hk_macau_permit(up).is_some() {
                self.push(a, e, PiType::HkMacauPermit, 0.35, "shape");
                return;
            }
        }
        // Hex identifiers after a device label (OAID, Android ID).
        if matches!(len, 16 | 32 | 64)
            && tok.iter().all(|&b| is_hex(b))
            && self.near_hit(a, PiType::DeviceId, 24)
        {
            self.push(a, e, PiType::DeviceId, 0.3, "shape");
        }
        // English date after a label: `5th March 1990` handled by word(); `221B Baker Street`.
        if (2..=6).contains(&len)
            && at(t, e) == b' '
            && at(t, e + 1).is_ascii_uppercase()
            && tok.first().is_some_and(u8::is_ascii_digit)
        {
            let _ = self.street_address(a, e);
        }
    }

    /// A word of letters and `_`: context words, English months after a DOB label, street names.
    /// `may_be_compound`: the word may hold `_` or a capital (the caller's token loop knows).
    #[inline(always)]
    fn word(&mut self, a: usize, e: usize, may_be_compound: bool) {
        let t = self.t;
        let Some(w) = t.get(a..e) else { return };
        if w.len() > 40 {
            return;
        }
        // A plain word (no `_`, no inner capital) is one probe of the keyword table, cheaper
        // than the cache below.
        if !may_be_compound
            || w.len() <= 3
            || !w
                .iter()
                .skip(1)
                .any(|&b| b == b'_' || b.is_ascii_uppercase())
        {
            if let Some(kw) = self.e.en.get(w) {
                self.hit(e, kw);
                self.trigger(kw, a, e);
            } else {
                self.word_tail(a, e, w);
            }
            return;
        }
        // Logs repeat the same compound keys (snake_case, camelCase): remember recent ones.
        let key = word_key(w);
        let slot = key.as_ref().map(word_slot);
        if let (Some(k), Some(i)) = (key, slot)
            && let Some(&(ck, kw)) = self.s.word_cache.get(i)
            && ck == k
        {
            if let Some(kw) = kw {
                self.hit(e, kw);
                self.trigger(kw, a, e);
            } else {
                self.word_tail(a, e, w);
            }
            return;
        }
        let found = self.lookup_word(w);
        if let (Some(k), Some(i)) = (key, slot) {
            if self.s.word_cache.len() < WORD_CACHE {
                self.s.word_cache.resize(WORD_CACHE, ([0; 32], None));
            }
            if let Some(c) = self.s.word_cache.get_mut(i) {
                *c = (k, found);
            }
        }
        if let Some(kw) = found {
            self.hit(e, kw);
            self.trigger(kw, a, e);
            return;
        }
        self.word_tail(a, e, w);
    }

    /// The keyword a word (or, for snake_case and camelCase, its last keyword piece) is.
    fn lookup_word(&self, w: &[u8]) -> Option<&'static Keyword> {
        let mut found = self.e.en.get(w);
        if found.is_none()
            && w.len() > 3
            && w.iter()
                .skip(1)
                .any(|&b| b == b'_' || b.is_ascii_uppercase())
        {
            // Pieces: snake_case and camelCase; the last piece that is a keyword wins.
            let mut bounds = [0usize; 9];
            let mut nb = 1;
            for k in 1..w.len() {
                let (p, c) = (
                    w.get(k - 1).copied().unwrap_or(0),
                    w.get(k).copied().unwrap_or(0),
                );
                if (c == b'_' || (p.is_ascii_lowercase() && c.is_ascii_uppercase()))
                    && nb < bounds.len()
                {
                    if let Some(slot) = bounds.get_mut(nb) {
                        *slot = k;
                    }
                    nb += 1;
                }
            }
            if nb > 1 {
                let mut piece_end = w.len();
                for idx in (0..nb).rev() {
                    let st = bounds.get(idx).copied().unwrap_or(0);
                    if let Some(piece) = w.get(st..piece_end)
                        && let Some(k) = self.e.en.get(piece)
                    {
                        found = Some(k);
                        break;
                    }
                    piece_end = st;
                }
            }
        }
        found
    }

    /// What a non-keyword word may still start: a German street, an English date.
    fn word_tail(&mut self, a: usize, e: usize, w: &[u8]) {
        let t = self.t;
        let _ = e;
        // English street types: look back for `1600 Amphitheatre`.
        if w.first().is_some_and(u8::is_ascii_uppercase)
            && (w.ends_with(b"strasse") || w.ends_with(b"stra\xc3\x9fe"))
        {
            self.german_street(a, e);
        }
        // Month names after a DOB label.
        if w.first().is_some_and(u8::is_ascii_uppercase)
            && self.near_hit(a, PiType::DateOfBirth, 24)
            && let Some((_, len)) = t.get(a..).and_then(calendar::parse_loose)
        {
            self.push(a, a + len, PiType::DateOfBirth, 0.3, "date");
        }
    }

    // ------------------------------------------------------------------ punctuation-led

    /// An e-mail address around the `@` (or `%40`) at `i`, `w` bytes wide.
    fn email(&mut self, i: usize, w: usize) {
        let t = self.t;
        let local_ok =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
        let mut a = i;
        while a > 0 && i - a < 64 && local_ok(at(t, a - 1)) {
            a -= 1;
        }
        while a < i && matches!(at(t, a), b'.' | b'-' | b'%' | b'+') {
            a += 1;
        }
        let mut e = i + w;
        while e < t.len()
            && e - i < 255
            && (at(t, e).is_ascii_alphanumeric() || at(t, e) == b'.' || at(t, e) == b'-')
        {
            e += 1;
        }
        while e > i + w && matches!(at(t, e - 1), b'.' | b'-') {
            e -= 1;
        }
        if a == i || e == i + w {
            return;
        }
        let mut addr: Vec<u8> = Vec::with_capacity(e - a);
        addr.extend_from_slice(t.get(a..i).unwrap_or_default());
        addr.push(b'@');
        addr.extend_from_slice(t.get(i + w..e).unwrap_or_default());
        // URL-encoded query values may carry %2B etc. in the local part: decode the common ones.
        if addr.contains(&b'%') {
            return;
        }
        if email::is_valid(&addr) && !email::is_placeholder(&addr) {
            self.push(a, e, PiType::Email, 0.9, "tld");
        }
    }

    // ------------------------------------------------------------------ CJK-led

    /// 京A12345, 沪AD12345, 粤B·12345D, 京A1234学.
    fn plate(&mut self, i: usize) {
        let t = self.t;
        let mut p = i + 3;
        let auth = at(t, p);
        if !auth.is_ascii_uppercase() {
            return;
        }
        p += 1;
        if t.get(p..p + 2) == Some("·".as_bytes()) {
            p += 2;
        } else if t.get(p..p + 3) == Some("•".as_bytes()) {
            p += 3;
        } else if at(t, p) == b' ' {
            p += 1;
        }
        let s = p;
        while p < t.len()
            && p - s < 7
            && (at(t, p).is_ascii_uppercase() || at(t, p).is_ascii_digit())
        {
            p += 1;
        }
        if is_word_byte(at(t, p)) {
            return;
        }
        let mut rest = vec![auth];
        rest.extend_from_slice(t.get(s..p).unwrap_or_default());
        let suffix = char3(t, p).filter(|c| "学警挂港澳使领试超".contains(*c));
        if let Some(kind) = plate::classify(&rest, suffix) {
            let end = if suffix.is_some() { p + 3 } else { p };
            let _ = kind;
            self.push(i, end, PiType::CnLicensePlate, 0.8, "plate");
        }
    }

    /// Dictionary entries ending at the character at `i` (汉族, 佛教, 糖尿病).
    fn dictionary_suffix(&mut self, i: usize) {
        let t = self.t;
        let end = i + 3;
        let c = char3(t, i);
        if c == Some('族') {
            // ethnic_group_at works forward: try each start.
            for back in [6usize, 9, 12, 15] {
                if back > end {
                    break;
                }
                let st = end - back;
                if let Some(s) = t
                    .get(st..)
                    .and_then(|s| std::str::from_utf8(s.get(..back)?).ok())
                    && ethnic::ethnic_group_at(s) == Some(back)
                {
                    let after_ok = char3(t, end).is_none_or(|c| !is_cjk(c));
                    let before_ok = char_before(t, st).is_none_or(|(c, _)| !is_cjk(c));
                    let base = if after_ok && before_ok { 0.55 } else { 0.3 };
                    self.push(st, end, PiType::Ethnicity, base, "dictionary");
                    return;
                }
            }
            return;
        }
        if c == Some('教') {
            if let Some(len) = self.e.religions.ending_at(t, end) {
                self.push(end - len, end, PiType::Religion, 0.3, "dictionary");
            }
            return;
        }
        if let Some(len) = self.e.diagnoses.ending_at(t, end) {
            self.push(end - len, end, PiType::Health, 0.55, "dictionary");
        }
    }

    // ------------------------------------------------------------------ triggers

    fn trigger(&mut self, kw: &'static Keyword, start: usize, end: usize) {
        let t = self.t;
        match kw.trigger {
            Trigger::None => {}
            Trigger::NameAfter => {
                let mut p = skip_label_separators(t, end, 12);
                if at(t, p) == b'.' {
                    p = skip_label_separators(t, p + 1, 4);
                }
                for w in [&b"with "[..], b"to ", b"for ", b"is "] {
                    if t.get(p..).is_some_and(|r| r.starts_with(w)) {
                        p += w.len();
                    }
                }
                if let Some(e) = self.cn_name(p, 1) {
                    self.push(p, e, PiType::PersonName, 0.4, "dictionary:surname");
                } else if let Some(e) = self.en_name(p, kw.word.len() <= 4) {
                    self.push(p, e, PiType::PersonName, 0.4, "name_shape");
                }
            }
            Trigger::NameBefore => self.name_before(start, kw.delta),
            Trigger::AddressAfter => {
                let p = skip_label_separators(t, end, 12);
                if kw.delta > 0.0
                    && let Some(e) = self.cn_address(p, p, true)
                {
                    self.push(p, e, PiType::CnAddress, 0.45, "address_units");
                    return;
                }
                if at(t, p).is_ascii_digit() {
                    let (e, n) = self.digit_run(p);
                    if n <= 5 {
                        let _ = self.street_address(p, e);
                    }
                }
            }
            Trigger::DobAfter => {
                // 1967-10-18出生 / 1988年4月29日出生: the date comes first.
                let mut back = start;
                while back > 0 && at(t, back - 1) == b' ' {
                    back -= 1;
                }
                for len in (8..=20).rev() {
                    if len > back {
                        continue;
                    }
                    let from = back - len;
                    if let Some((_, l)) = t.get(from..back).and_then(calendar::parse_loose)
                        && l == len
                        && !at(t, from.wrapping_sub(1)).is_ascii_digit()
                    {
                        self.push2(
                            from,
                            back,
                            PiType::DateOfBirth,
                            0.3 + kw.delta,
                            "date",
                            "context:出生",
                        );
                        break;
                    }
                }
                let mut p = skip_label_separators(t, end, 12);
                for w in [
                    &b"on "[..],
                    b"is ",
                    b"date ",
                    b"date: ",
                    b"of birth: ",
                    b"of birth ",
                ] {
                    if t.get(p..).is_some_and(|r| r.starts_with(w)) {
                        p = skip_label_separators(t, p + w.len(), 4);
                    }
                }
                if let Some((_, len)) = t.get(p..).and_then(calendar::parse_loose) {
                    self.push(p, p + len, PiType::DateOfBirth, 0.35, "date");
                }
            }
            Trigger::EthnicityAfter => {
                let p = skip_label_separators(t, end, 12);
                if let Some(e) = self.ethnicity_at(p) {
                    self.push(p, e, PiType::Ethnicity, 0.4, "dictionary");
                }
            }
            Trigger::ReligionAfter => {
                let mut p = skip_label_separators(t, end, 12);
                if t.get(p..).is_some_and(|r| r.starts_with("信仰".as_bytes())) {
                    p = skip_label_separators(t, p + 6, 12);
                }
                if let Some(e) = self.religion_at(p) {
                    self.push(p, e, PiType::Religion, 0.4, "dictionary");
                }
            }
            Trigger::HealthAfter => {
                let p = skip_label_separators(t, end, 12);
                if let Some(e) = self.phrase(p, 40) {
                    self.push(p, e, PiType::Health, 0.4, "phrase");
                }
            }
            Trigger::BiometricAfter => {
                let mut p = skip_label_separators(t, end, 12);
                let limit = (p + 30).min(t.len());
                while p < limit && !at(t, p).is_ascii_alphanumeric() {
                    p += 1;
                }
                if p > end
                    && at(t, p - 1) != b' '
                    && at(t, p - 1) < 0x80
                    && !matches!(at(t, p - 1), b':' | b'=' | b'"' | b'\'' | b'>')
                {
                    return;
                }
                let mut e = p;
                while e < t.len()
                    && (at(t, e).is_ascii_alphanumeric() || matches!(at(t, e), b'+' | b'/' | b'='))
                {
                    e += 1;
                }
                if e - p >= 24 {
                    self.push(p, e, PiType::Biometric, 0.45, "template");
                }
            }
            Trigger::CredentialAfter => {
                let mut p = skip_label_separators(t, end, 12);
                for w in [
                    "重置为",
                    "改为",
                    "设置为",
                    "is ",
                    "reset to ",
                    "to ",
                    "changed to ",
                ] {
                    if t.get(p..).is_some_and(|r| r.starts_with(w.as_bytes())) {
                        p = skip_label_separators(t, p + w.len(), 4);
                    }
                }
                if let Some(e) = self.secret_value(p) {
                    self.push(p, e, PiType::Credential, 0.4, "secret");
                }
            }
            Trigger::DeviceIdAfter | Trigger::GpsAfter => {}
        }
    }

    /// A Chinese name at `p`: surname (single or compound) and 1–2 given-name characters
    /// (`min_given` at least).
    fn cn_name(&self, p: usize, min_given: usize) -> Option<usize> {
        let t = self.t;
        if let Some(c) = char3(t, p)
            && self.flags(c) & F_KEYWORD != 0
            && self.e.zh.longest_at(t, p, c).is_some()
        {
            return None;
        }
        let first = char3(t, p)?;
        let compound = if self.flags(first) & F_COMPOUND_SURNAME != 0 {
            utf8_prefix(t, p, 15).and_then(surnames::compound_surname_at)
        } else {
            None
        };
        let sl = match compound {
            Some(l) => l,
            None => {
                if self.name_flags(first) & N_SURNAME == 0 {
                    return None;
                }
                3
            }
        };
        if t.get(p + sl..)
            .is_some_and(|r| TITLES.iter().any(|w| r.starts_with(w.as_bytes())))
        {
            return None;
        }
        let mut ends = [0usize; 3];
        let mut e = p + sl;
        ends[0] = e;
        let mut given = 0;
        while given < 2 {
            let Some(c) = char3(t, e) else { break };
            if !is_cjk(c) || self.name_flags(c) & N_NOT_GIVEN != 0 {
                break;
            }
            if self.flags(c) & F_KEYWORD != 0 && self.e.zh.longest_at(t, e, c).is_some() {
                break;
            }
            given += 1;
            e += 3;
            if let Some(slot) = ends.get_mut(given) {
                *slot = e;
            }
        }
        // The name must end at a boundary: punctuation, a non-CJK character, a keyword or a word
        // that usually follows a name (的, 先生, 来电 …). Try the longest first.
        for g in (min_given..=given).rev() {
            let end = *ends.get(g)?;
            if g == 0 && min_given > 0 {
                break;
            }
            if self.name_boundary(end) && !self.is_place_or_word(p, end) {
                return Some(end);
            }
        }
        None
    }

    fn name_boundary(&self, e: usize) -> bool {
        let t = self.t;
        match char_at(t, e) {
            None => true,
            Some((c, _)) if !is_cjk(c) => true,
            Some((c, _)) => {
                self.name_flags(c) & N_NAME_FOLLOWER != 0
                    || (self.flags(c) & F_KEYWORD != 0 && self.e.zh.longest_at(t, e, c).is_some())
            }
        }
    }

    /// Place names (台湾, 江南) and a few frequent words that start with a surname character.
    fn is_place_or_word(&self, p: usize, e: usize) -> bool {
        let Some(s) = self.t.get(p..e) else {
            return true;
        };
        self.e.places.at(self.t, p, true) == Some(e - p)
            || self.e.places.at(self.t, p, false) == Some(e - p)
            || COMMON_WORDS
                .iter()
                .any(|w| s.get(..3) == w.as_bytes().get(..3) && s.starts_with(w.as_bytes()))
    }

    /// English name at `p`: 1–3 capitalised words (2+ unless `single_ok`).
    fn en_name(&self, p: usize, single_ok: bool) -> Option<usize> {
        let t = self.t;
        let mut e = p;
        let mut words = 0;
        loop {
            let ws = e;
            if !at(t, e).is_ascii_uppercase() {
                break;
            }
            e += 1;
            while at(t, e).is_ascii_lowercase()
                || (matches!(at(t, e), b'\'' | b'-') && at(t, e + 1).is_ascii_alphabetic())
            {
                e += 1;
            }
            if e - ws < 2 || at(t, e).is_ascii_alphanumeric() {
                e = ws;
                break;
            }
            if words == 0
                && NOT_NAME_WORDS
                    .iter()
                    .any(|w| t.get(ws..e) == Some(w.as_bytes()))
            {
                return None;
            }
            words += 1;
            if words == 3 || at(t, e) != b' ' || !at(t, e + 1).is_ascii_uppercase() {
                break;
            }
            e += 1;
        }
        while e > p && at(t, e - 1) == b' ' {
            e -= 1;
        }
        (words >= 2 || (words == 1 && single_ok)).then_some(e)
    }

    /// A name ending right before `k` (the start of 先生/女士/同学).
    fn name_before(&mut self, k: usize, delta: f32) {
        let t = self.t;
        let mut best = None;
        for back in [9usize, 6, 3, 12] {
            if back > k {
                continue;
            }
            let st = k - back;
            if !t.get(st).is_some_and(|&b| (0xE0..0xF0).contains(&b)) {
                continue;
            }
            if let Some(e) = self.cn_name(st, 0)
                && e == k
            {
                // Prefer a start right after a keyword or a non-CJK character.
                let after_kw = self.s.hits.last().is_some_and(|h| h.end == st);
                let boundary = char_before(t, st).is_none_or(|(c, _)| !is_cjk(c));
                if after_kw || boundary {
                    best = Some(st);
                    break;
                }
                if best.is_none() {
                    best = Some(st);
                }
            }
        }
        if let Some(st) = best {
            self.push2(
                st,
                k,
                PiType::PersonName,
                0.4 + delta,
                "dictionary:surname",
                "context:称谓",
            );
        }
    }

    /// Ethnic group at `p` (汉族, 汉, Han).
    fn ethnicity_at(&self, p: usize) -> Option<usize> {
        let t = self.t;
        let rest = t.get(p..)?;
        let _ = rest;
        if let Some(s) = utf8_prefix(t, p, 24) {
            if let Some(l) = ethnic::ethnic_group_at(s) {
                return Some(p + l);
            }
            // Without 族: 汉, 回, 满 …
            for (zh, _, en) in ethnic::ETHNIC_GROUPS {
                let short = zh.trim_end_matches('族');
                if !short.is_empty() && s.starts_with(short) {
                    let after = s.get(short.len()..).and_then(|r| r.chars().next());
                    if after.is_none_or(|c| !is_cjk(c)) {
                        return Some(p + short.len());
                    }
                }
                if s.len() >= en.len()
                    && s.as_bytes()
                        .get(..en.len())
                        .is_some_and(|x| x.eq_ignore_ascii_case(en.as_bytes()))
                    && !s
                        .as_bytes()
                        .get(en.len())
                        .is_some_and(u8::is_ascii_alphabetic)
                {
                    return Some(p + en.len());
                }
            }
        }
        None
    }

    fn religion_at(&self, p: usize) -> Option<usize> {
        let rest = self.t.get(p..)?;
        longest_prefix_in(RELIGIONS_ZH, rest)
            .or_else(|| longest_prefix_in_ci(RELIGIONS_EN, rest))
            .map(|l| p + l)
    }

    /// A short phrase (diagnosis) at `p`: up to the next clause punctuation.
    fn phrase(&self, p: usize, max_chars: usize) -> Option<usize> {
        let t = self.t;
        if let Some(l) = longest_prefix_in(DIAGNOSES_ZH, t.get(p..)?) {
            // Known entry: take it, and the rest of the clause if it continues the term.
            let _ = l;
        }
        if let Some(l) = longest_prefix_in_ci(DIAGNOSES_EN, t.get(p..)?) {
            return Some(p + l);
        }
        let mut e = p;
        let mut chars = 0;
        while chars < max_chars {
            let Some((c, w)) = char_at(t, e) else { break };
            let stop = matches!(
                c,
                '，' | '。'
                    | '；'
                    | '、'
                    | '！'
                    | '？'
                    | ','
                    | ';'
                    | '\n'
                    | '\r'
                    | '\t'
                    | '"'
                    | '('
                    | ')'
                    | '（'
                    | '）'
                    | '|'
                    | '&'
                    | '.'
                    | '：'
                    | ':'
            ) || (c == ' ' && !at(t, e + 1).is_ascii_alphanumeric());
            if stop {
                break;
            }
            e += w;
            chars += 1;
        }
        while e > p && at(t, e - 1) == b' ' {
            e -= 1;
        }
        let phrase = std::str::from_utf8(t.get(p..e)?).ok()?;
        if let Some(c) = phrase.chars().next()
            && self.flags(c) & F_KEYWORD != 0
            && self.e.zh.longest_at(t, p, c).is_some()
        {
            return None;
        }
        let medical = longest_prefix_in(DIAGNOSES_ZH, phrase.as_bytes()).is_some()
            || phrase
                .chars()
                .any(|c| "病炎症癌瘤痛喘伤疾损碍染敏核压瘫疹肿亢痫疮梗衰竭痴瘫".contains(c))
            || phrase.bytes().any(|b| b.is_ascii_alphabetic());
        (chars >= 2 && chars < max_chars && medical).then_some(e)
    }

    /// A password-like value at `p`: printable ASCII without spaces, 6–64 characters.
    fn secret_value(&self, p: usize) -> Option<usize> {
        let t = self.t;
        let mut e = p;
        while e < t.len() && e - p <= 128 {
            let b = at(t, e);
            if !(0x21..0x7F).contains(&b)
                || matches!(b, b'"' | b'\'' | b',' | b'&' | b';' | b'<' | b'>' | b'`')
            {
                break;
            }
            e += 1;
        }
        // Trailing sentence punctuation.
        while e > p && matches!(at(t, e - 1), b'.' | b')') {
            e -= 1;
        }
        let v = t.get(p..e)?;
        if v.len() < 6 || v.len() > 128 || v.iter().all(|&b| b == b'*' || b == b'x' || b == b'X') {
            return None;
        }
        if [
            &b"null"[..],
            b"none",
            b"empty",
            b"redacted",
            b"<redacted>",
            b"******",
        ]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
        {
            return None;
        }
        // Real secrets mix character classes; labels such as `token:` or `api_key` do not.
        let classes = [
            v.iter().any(u8::is_ascii_lowercase),
            v.iter().any(u8::is_ascii_uppercase),
            v.iter().any(u8::is_ascii_digit),
            v.iter().any(|b| b.is_ascii_punctuation() && *b != b'_'),
        ];
        if classes.iter().filter(|&&c| c).count() < 2 || matches!(v.last(), Some(b':')) {
            return None;
        }
        Some(e)
    }

    /// A Chinese address whose place name ends with the suffix character at `i`.
    fn cn_address_from_suffix(&mut self, i: usize) -> Option<usize> {
        let t = self.t;
        let end = i + 3;
        let len = self.e.places.ending_at(t, end)?;
        let mut st = end - len;
        // A short province/city form right before (深圳南山区): extend back.
        for back in [6usize, 9] {
            if back <= st && self.e.places.at(t, st - back, true) == Some(back) {
                st -= back;
                break;
            }
        }
        let e = self.cn_address(st, end, false)?;
        self.push(st, e, PiType::CnAddress, 0.7, "gazetteer");
        Some(e)
    }

    /// Walks an address from `st` (`places_from` is where place names may continue): more place
    /// names, then street units. `labelled`: after 地址： (a place name is not required).
    fn cn_address(&self, st: usize, places_from: usize, labelled: bool) -> Option<usize> {
        let t = self.t;
        let mut p = places_from;
        let mut place_count = usize::from(places_from > st);
        // Further place names.
        loop {
            let found = self.e.places.at(t, p, false).or_else(|| {
                if place_count == 0 {
                    self.e.places.at(t, p, true)
                } else {
                    None
                }
            });
            if let Some(l) = found {
                p += l;
                place_count += 1;
            } else {
                break;
            }
        }
        let street_start = p;
        let mut has_digit = false;
        let mut has_road = false;
        let mut has_unit = false;
        let mut last_good = p;
        let mut chars = 0;
        while chars < 60 {
            let Some((c, w)) = char_at(t, p) else { break };
            let ok = if c.is_ascii_digit() || c.is_ascii_uppercase() {
                has_digit |= c.is_ascii_digit();
                true
            } else if matches!(c, '-' | '#' | '－') {
                true
            } else if is_cjk(c) {
                if self.flags(c) & F_KEYWORD != 0
                    && self
                        .e
                        .zh
                        .longest_at(t, p, c)
                        .is_some_and(|k| k.word.chars().count() >= 2 && k.word != "号码")
                {
                    false
                } else {
                    !matches!(
                        c,
                        '的' | '了'
                            | '是'
                            | '在'
                            | '和'
                            | '与'
                            | '及'
                            | '等'
                            | '请'
                            | '您'
                            | '我'
                            | '他'
                            | '她'
                            | '已'
                            | '将'
                            | '把'
                            | '被'
                            | '从'
                            | '到'
                            | '收'
                            | '寄'
                            | '送'
                            | '于'
                            | '或'
                            | '为'
                            | '前'
                            | '后'
                            | '时'
                            | '内'
                            | '取'
                            | '来'
                            | '去'
                            | '给'
                    )
                }
            } else {
                false
            };
            if !ok || (chars >= 12 && !has_digit && !has_road && !labelled) {
                break;
            }
            if matches!(
                c,
                '路' | '街' | '道' | '巷' | '弄' | '村' | '镇' | '乡' | '胡' | '大'
            ) {
                has_road |= matches!(c, '路' | '街' | '道' | '巷' | '弄' | '村' | '镇' | '乡');
            }
            if matches!(
                c,
                '号' | '栋'
                    | '幢'
                    | '座'
                    | '楼'
                    | '层'
                    | '室'
                    | '单'
                    | '元'
                    | '院'
                    | '区'
                    | '园'
                    | '厦'
                    | '寓'
                    | '场'
                    | '组'
                    | '村'
                    | '里'
                    | '同'
                    | '道'
                    | '路'
                    | '街'
                    | '巷'
                    | '弄'
                    | '镇'
                    | '乡'
            ) || c.is_ascii_digit()
                || c.is_ascii_uppercase()
            {
                has_unit |= !c.is_ascii_digit();
                last_good = p + w;
            }
            p += w;
            chars += 1;
        }
        let street_len = last_good.saturating_sub(street_start);
        let good = (has_digit && has_unit && street_len >= 6)
            || (has_road && street_len >= 6 && (place_count > 0 || labelled));
        if !good || (place_count == 0 && !labelled) {
            return None;
        }
        Some(last_good)
    }

    /// `1600 Amphitheatre Parkway, Mountain View, CA 94043`: number at `a..e`, then words.
    fn street_address(&mut self, a: usize, e: usize) -> Option<usize> {
        let t = self.t;
        let mut p = e + 1;
        let mut words = 0;
        let mut found_suffix = false;
        while words < 5 {
            let ws = p;
            if !at(t, p).is_ascii_uppercase() {
                return None;
            }
            while at(t, p).is_ascii_alphabetic() {
                p += 1;
            }
            let w = t.get(ws..p)?;
            words += 1;
            if STREET_SUFFIXES.iter().any(|s| s.as_bytes() == w) {
                found_suffix = true;
                if at(t, p) == b'.' {
                    p += 1;
                }
                break;
            }
            if at(t, p) != b' ' {
                return None;
            }
            p += 1;
        }
        if !found_suffix {
            return None;
        }
        let mut end = p;
        // , Apt 22A / , Suite 100 / , #12-01
        let mut parts = 0;
        loop {
            if at(t, end) != b',' || at(t, end + 1) != b' ' {
                break;
            }
            let q = end + 2;
            let mut r = q;
            // A part: capitalised words, or a unit, or a state+zip, or a postcode.
            while r < t.len()
                && r - q < 40
                && (at(t, r).is_ascii_alphanumeric() || matches!(at(t, r), b' ' | b'#' | b'-'))
            {
                r += 1;
            }
            while r > q && at(t, r - 1) == b' ' {
                r -= 1;
            }
            let part = t.get(q..r)?;
            let first_ok = part
                .first()
                .is_some_and(|b| b.is_ascii_uppercase() || *b == b'#' || b.is_ascii_digit());
            if !first_ok || part.is_empty() {
                break;
            }
            // Do not swallow a following sentence.
            let lower_words = part
                .split(|&b| b == b' ')
                .filter(|w| w.first().is_some_and(u8::is_ascii_lowercase))
                .count();
            if lower_words > 0 {
                break;
            }
            end = r;
            parts += 1;
            if parts == 3 {
                break;
            }
        }
        let base = if parts >= 1 { 0.75 } else { 0.45 };
        self.push(a, end, PiType::StreetAddress, base, "street_type");
        Some(end)
    }

    /// `Friedrichstrasse 68, 10117 Berlin`.
    fn german_street(&mut self, a: usize, e: usize) {
        let t = self.t;
        if at(t, e) != b' ' || !at(t, e + 1).is_ascii_digit() {
            return;
        }
        let (mut p, n) = self.digit_run(e + 1);
        if n > 4 {
            return;
        }
        if at(t, p).is_ascii_alphabetic() {
            p += 1;
        }
        let mut end = p;
        if at(t, p) == b',' && at(t, p + 1) == b' ' {
            let (q, m) = self.digit_run(p + 2);
            if m == 5 && at(t, q) == b' ' && at(t, q + 1).is_ascii_uppercase() {
                let mut r = q + 1;
                while at(t, r).is_ascii_alphabetic() {
                    r += 1;
                }
                end = r;
            }
        }
        let base = if end > p { 0.75 } else { 0.45 };
        self.push(a, end, PiType::StreetAddress, base, "street_type");
    }

    // ------------------------------------------------------------------ whole values

    /// Structured values: the field name says which context type to try on the whole value.
    pub(crate) fn whole_value(&mut self, types: TypeSet) {
        let t = self.t;
        // Trim ASCII spaces and quotes.
        let mut a = 0;
        let mut e = t.len();
        while a < e && matches!(at(t, a), b' ' | b'\t' | b'"' | b'\'') {
            a += 1;
        }
        while e > a && matches!(at(t, e - 1), b' ' | b'\t' | b'"' | b'\'' | b'\r') {
            e -= 1;
        }
        if a == e {
            return;
        }
        let v = t.get(a..e).unwrap_or_default();
        let full = |end: Option<usize>| end == Some(e);
        if types.contains(PiType::PersonName)
            && (full(self.cn_name(a, 1)) || full(self.en_name(a, true)))
        {
            self.push(a, e, PiType::PersonName, 0.4, "dictionary:surname");
        }
        if types.contains(PiType::DateOfBirth)
            && let Some((_, len)) = calendar::parse_loose(v)
            && len == v.len()
        {
            self.push(a, e, PiType::DateOfBirth, 0.35, "date");
        }
        if types.contains(PiType::Ethnicity) && full(self.ethnicity_at(a)) {
            self.push(a, e, PiType::Ethnicity, 0.4, "dictionary");
        }
        if types.contains(PiType::Religion) && full(self.religion_at(a)) {
            self.push(a, e, PiType::Religion, 0.4, "dictionary");
        }
        if types.contains(PiType::Health)
            && full(self.phrase(a, 40))
            && !v.iter().all(u8::is_ascii_digit)
        {
            self.push(a, e, PiType::Health, 0.4, "phrase");
        }
        if types.contains(PiType::Credential) && full(self.secret_value(a)) {
            self.push(a, e, PiType::Credential, 0.4, "secret");
        }
        if types.contains(PiType::Biometric)
            && v.len() >= 24
            && v.iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            self.push(a, e, PiType::Biometric, 0.45, "template");
        }
        if types.contains(PiType::CnAddress)
            && let Some(end) = self.cn_address(a, a, true)
            && end + 6 >= e
        {
            self.push(a, e, PiType::CnAddress, 0.45, "address_units");
        }
        if types.contains(PiType::DeviceId) {
            let hex = v.iter().all(|&b| is_hex(b));
            let uuid = v.len() == 36
                && v.iter().enumerate().all(|(k, &b)| {
                    if matches!(k, 8 | 13 | 18 | 23) {
                        b == b'-'
                    } else {
                        is_hex(b)
                    }
                });
            let zero = v.iter().all(|&b| b == b'0' || b == b'-');
            if !zero && (uuid || (hex && matches!(v.len(), 16 | 32 | 64))) {
                self.push(a, e, PiType::DeviceId, 0.4, "shape");
            }
        }
        if types.contains(PiType::TwPermit) && permit::tw_permit(v).is_some() {
            self.push(a, e, PiType::TwPermit, 0.3, "shape");
        }
        if types.contains(PiType::MoId) {
            let d: Vec<u8> = v.iter().copied().filter(u8::is_ascii_digit).collect();
            if mo_id::is_plausible(&d) && v.len() <= 12 {
                self.push(a, e, PiType::MoId, 0.35, "shape");
            }
        }
        if types.contains(PiType::GpsCoordinate) {
            let s = if at(t, a) == b'-' { a + 1 } else { a };
            let (ie, _) = self.digit_run(s);
            if at(t, ie) == b'.' {
                let mut k = ie + 1;
                while at(t, k).is_ascii_digit() {
                    k += 1;
                }
                if k == e
                    && let Some((v1, f)) = t.get(a..e).and_then(gps::parse_decimal)
                    && f >= 2
                    && v1.abs() <= 180.0
                {
                    self.push(a, e, PiType::GpsCoordinate, 0.35, "coordinate");
                }
            }
        }
    }
}

/// Slots of the per-thread cache of recent words.
const WORD_CACHE: usize = 256;

/// A word of up to 31 bytes with its length, for the word cache.
fn word_key(w: &[u8]) -> Option<[u8; 32]> {
    if w.len() > 31 || w.is_empty() {
        return None;
    }
    let mut k = [0u8; 32];
    k[0] = w.len() as u8;
    if let Some(dst) = k.get_mut(1..=w.len()) {
        dst.copy_from_slice(w);
    }
    Some(k)
}

/// Cache slot of a word key.
fn word_slot(k: &[u8; 32]) -> usize {
    let mut h: u32 = 2_166_136_261;
    for &b in k.iter().take(usize::from(k[0]) + 1) {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    (h as usize) & (WORD_CACHE - 1)
}

/// Characters that follow a name directly in running text.
pub(crate) const NAME_FOLLOWERS: &str =
    "的先女小同老医来电手已于在是说表反和与及等今昨向将被因为称致拨打要请您申办的账户曾也都还正";

/// Characters rare in given names that the surname dictionary's stop list leaves out.
pub(crate) const NOT_IN_NAMES: &str =
    "据值间戳速品湾述货价格费款率额期限类型公司银行局厅站店商场馆院校";

/// Titles that follow a surname instead of a given name (王经理, 李老师).
const TITLES: &[&str] = &[
    "经理",
    "总监",
    "主任",
    "老师",
    "医生",
    "先生",
    "女士",
    "小姐",
    "同学",
    "师傅",
    "阿姨",
    "总经理",
    "主管",
    "律师",
    "警官",
    "科长",
    "处长",
    "局长",
    "院长",
    "校长",
    "教授",
    "博士",
    "护士",
    "工",
];

/// Frequent words that start with a surname character.
const COMMON_WORDS: &[&str] = &[
    "黄金", "高速", "时间", "银行", "商品", "自述", "江南", "平安", "安全", "万元", "方便", "方式",
    "王国", "高级", "周末", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "周年", "明天",
    "明日", "白天", "文件", "文化", "金额", "程序", "钱包", "史上", "向前", "章节", "全部", "全国",
    "于是", "任务", "任何", "华为", "成功", "成本", "操作", "经核", "经过", "国家", "国际", "申请",
    "关于", "通过", "包括", "单据", "颜色", "员工", "宗教", "信仰", "民族", "出生", "易用", "包裹",
    "谢谢", "常规", "余额", "温度", "龙头", "石油", "毛利", "路由",
];

/// A 15-digit first-generation ID: region and a real 19yy date.
fn legacy_id(d: &[u8]) -> bool {
    d.len() == 15
        && d.get(..6)
            .and_then(|r| std::str::from_utf8(r).ok())
            .and_then(|r| r.parse::<u32>().ok())
            .is_some_and(region::is_known_division)
        && d.get(6..12)
            .and_then(calendar::Date::parse_yymmdd_19xx)
            .is_some()
}

/// The longest valid UTF-8 prefix of `t[p..]` of at most `max` bytes.
fn utf8_prefix(t: &[u8], p: usize, max: usize) -> Option<&str> {
    let raw = t.get(p..(p + max).min(t.len()))?;
    match std::str::from_utf8(raw) {
        Ok(s) => Some(s),
        Err(e) => std::str::from_utf8(raw.get(..e.valid_up_to())?).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_prefix_passes_the_two_byte_gate() {
        for p in SECRET_PREFIXES {
            assert!(may_start_secret(p, 0), "{}", String::from_utf8_lossy(p));
        }
        assert!(!may_start_secret(b"stock", 0));
        assert!(!may_start_secret(b"e", 0));
    }

    #[test]
    fn byte_classes_agree_with_the_ascii_predicates() {
        for b in 0u8..=255 {
            let c = byte_class(b);
            assert_eq!(c & C_WORD != 0, is_word_byte(b), "{b}");
            assert_eq!(c & C_DIGIT != 0, b.is_ascii_digit(), "{b}");
            assert_eq!(c & C_ALPHA != 0, b.is_ascii_alphabetic(), "{b}");
            assert_eq!(c & C_UPPER != 0, b.is_ascii_uppercase(), "{b}");
            assert_eq!(c & C_HEX != 0, b.is_ascii_hexdigit(), "{b}");
            assert_eq!(c & C_UNDERSCORE != 0, b == b'_', "{b}");
        }
    }
}
