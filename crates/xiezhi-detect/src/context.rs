//! Word lists for the context detectors: religions, common diagnoses, English street suffixes and
//! the words that are never the first word of an English name.

/// Last characters of dictionary entries found by looking back (族 for ethnic groups, 教 for
/// religions, the usual endings of diagnoses).
pub(crate) const DICT_SUFFIX_CHARS: &str = "族教病炎症癌瘤核敏喘碍染痫疮";

/// Religions (Chinese).
pub(crate) const RELIGIONS_ZH: &[&str] = &[
    "基督新教",
    "伊斯兰教",
    "天主教",
    "基督教",
    "东正教",
    "佛教",
    "道教",
    "藏传佛教",
    "喇嘛教",
    "萨满教",
    "无宗教信仰",
    "犹太教",
    "印度教",
];

/// Religions (English), lowercase.
pub(crate) const RELIGIONS_EN: &[&str] = &[
    "buddhism",
    "buddhist",
    "taoism",
    "taoist",
    "islam",
    "muslim",
    "christianity",
    "christian",
    "catholicism",
    "catholic",
    "protestantism",
    "protestant",
    "orthodox",
    "judaism",
    "jewish",
    "hinduism",
    "hindu",
    "atheist",
    "none",
];

/// Common diagnoses and conditions (Chinese). Found after a label (诊断：, 病史) or, for the ones
/// ending in 病 炎 症 癌 瘤 压, by looking back from that character.
pub(crate) const DIAGNOSES_ZH: &[&str] = &[
    "高血压",
    "糖尿病",
    "2型糖尿病",
    "1型糖尿病",
    "冠心病",
    "哮喘",
    "支气管哮喘",
    "慢性胃炎",
    "胃溃疡",
    "肺结核",
    "乙肝",
    "乙型肝炎",
    "丙型肝炎",
    "肝硬化",
    "脂肪肝",
    "抑郁症",
    "焦虑症",
    "双相情感障碍",
    "精神分裂症",
    "癫痫",
    "帕金森病",
    "阿尔茨海默病",
    "肺癌",
    "肺腺癌",
    "胃癌",
    "肝癌",
    "乳腺癌",
    "结肠癌",
    "甲状腺癌",
    "白血病",
    "淋巴瘤",
    "艾滋病",
    "痛风",
    "类风湿关节炎",
    "类风湿性关节炎",
    "慢性肾病3期",
    "海鲜过敏",
    "乙肝病毒携带",
    "HIV感染",
    "系统性红斑狼疮",
    "慢性肾病",
    "尿毒症",
    "脑梗死",
    "脑梗死后遗症",
    "脑卒中",
    "心肌梗死",
    "心律失常",
    "高脂血症",
    "腰椎间盘突出症",
    "颈椎病",
    "骨质疏松",
    "过敏性鼻炎",
    "青霉素过敏",
    "花生过敏",
    "海鲜过敏",
    "贫血",
    "甲亢",
    "甲状腺功能亢进",
    "急性阑尾炎",
    "阑尾炎",
    "肺炎",
    "支气管炎",
    "慢性阻塞性肺疾病",
    "先天性心脏病",
    "白内障",
    "青光眼",
    "不孕症",
    "自闭症",
    "多动症",
    "唐氏综合征",
    "焦虑障碍",
    "甲状腺功能亢进",
    "红斑狼疮",
    "牛皮癣",
    "银屑病",
    "湿疹",
    "荨麻疹",
];

/// Common diagnoses (English), lowercase.
pub(crate) const DIAGNOSES_EN: &[&str] = &[
    "asthma",
    "diabetes",
    "type 2 diabetes",
    "type 1 diabetes",
    "hypertension",
    "depression",
    "anxiety",
    "bipolar disorder",
    "schizophrenia",
    "epilepsy",
    "hepatitis b",
    "hepatitis c",
    "hiv",
    "tuberculosis",
    "lung cancer",
    "breast cancer",
    "leukemia",
    "lymphoma",
    "gout",
    "rheumatoid arthritis",
    "lupus",
    "chronic kidney disease",
    "stroke",
    "heart disease",
    "coronary heart disease",
    "arrhythmia",
    "migraine",
    "penicillin allergy",
    "peanut allergy",
    "autism",
    "adhd",
    "parkinson's disease",
    "alzheimer's disease",
    "copd",
    "anemia",
    "psoriasis",
    "eczema",
    "glaucoma",
    "cataract",
    "hypothyroidism",
    "hyperthyroidism",
    "pneumonia",
];

/// English street-type words (capitalised as written in addresses).
pub(crate) const STREET_SUFFIXES: &[&str] = &[
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Boulevard",
    "Blvd",
    "Parkway",
    "Pkwy",
    "Way",
    "Court",
    "Ct",
    "Place",
    "Pl",
    "Terrace",
    "Broadway",
    "Square",
    "Sq",
    "Crescent",
    "Close",
    "Highway",
    "Hwy",
    "Row",
    "Walk",
    "Circle",
    "Trail",
];

/// Words that are never the first word of a person's name after a label.
pub(crate) const NOT_NAME_WORDS: &[&str] = &[
    "The",
    "Our",
    "Your",
    "This",
    "That",
    "These",
    "Team",
    "Support",
    "Service",
    "Customer",
    "Please",
    "Thanks",
    "Thank",
    "Hello",
    "Hi",
    "Dear",
    "Mr",
    "Ms",
    "Mrs",
    "Dr",
    "Contact",
    "Name",
    "Address",
    "Email",
    "Phone",
    "Order",
    "We",
    "You",
    "They",
    "Sir",
    "Madam",
    "All",
    "Valued",
    "Customers",
    "Us",
    "Account",
    "Center",
    "Centre",
    "Desk",
    "Information",
    "Details",
    "Number",
    "No",
    "ID",
    "At",
    "On",
    "In",
    "For",
    "With",
    "And",
    "Or",
    "If",
    "Is",
    "Was",
    "Has",
    "Have",
    "Will",
    "Can",
    "May",
    "To",
    "From",
    "By",
    "Card",
    "Mobile",
    "Tel",
    "Note",
    "Notes",
    "Status",
    "Type",
    "User",
    "Users",
    "Admin",
    "Manager",
    "Department",
    "Hospital",
    "Bank",
    "Company",
    "Ltd",
    "Inc",
    "Co",
    "Group",
    "Office",
    "Store",
    "Shop",
    "Unknown",
    "None",
    "Null",
    "Test",
    "Demo",
    "Example",
    "Sample",
    "Holder",
    "Patient",
];

/// Whether `s` starts with one of `list` (returning the longest).
pub(crate) fn longest_prefix_in(list: &[&str], s: &[u8]) -> Option<usize> {
    list.iter()
        .filter(|w| s.starts_with(w.as_bytes()))
        .map(|w| w.len())
        .max()
}

/// Whether `s` starts with one of `list`, ASCII case-insensitively, ending at a word boundary.
pub(crate) fn longest_prefix_in_ci(list: &[&str], s: &[u8]) -> Option<usize> {
    list.iter()
        .filter(|w| {
            s.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w.as_bytes()))
                && !s.get(w.len()).is_some_and(|b| b.is_ascii_alphanumeric())
        })
        .map(|w| w.len())
        .max()
}

/// Place names in hash sets keyed by their UTF-8 bytes, for the hot path (the binary searches
/// of [`crate::dict::places`] are too slow to run at every 市/区/县 of running text).
#[derive(Debug)]
pub(crate) struct PlaceIndex {
    /// Bit per BMP character: some place name starts with it.
    first: Vec<u64>,
    full_lens: Vec<usize>,
    short_lens: Vec<usize>,
    /// Lengths of the full names ending with given last two characters, longest first.
    full_by_tail: std::collections::HashMap<u64, Vec<usize>, Fnv>,
    /// Lengths of the full (and short) names starting with given first two characters.
    full_by_head: std::collections::HashMap<u64, Vec<usize>, Fnv>,
    short_by_head: std::collections::HashMap<u64, Vec<usize>, Fnv>,
    full: std::collections::HashSet<&'static [u8], Fnv>,
    short: std::collections::HashSet<&'static [u8], Fnv>,
    max_full: usize,
    max_short: usize,
}

/// FNV-1a, enough for short keys built into the binary.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fnv;

#[derive(Debug)]
pub(crate) struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl PlaceIndex {
    pub(crate) fn new() -> PlaceIndex {
        let mut full = std::collections::HashSet::with_hasher(Fnv);
        let mut short = std::collections::HashSet::with_hasher(Fnv);
        let (mut max_full, mut max_short) = (0, 0);
        let mut first = vec![0u64; 0x10000 / 64];
        let (mut full_lens, mut short_lens): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut mark = |name: &str| {
            if let Some(c) = name.chars().next()
                && let Some(w) = first.get_mut(c as usize / 64)
            {
                *w |= 1 << (c as usize % 64);
            }
        };
        for (name, _) in crate::dict::places::all_places() {
            max_full = max_full.max(name.len());
            full.insert(name.as_bytes());
            mark(name);
            if !full_lens.contains(&name.len()) {
                full_lens.push(name.len());
            }
        }
        for (name, _) in crate::dict::places::all_short_places() {
            max_short = max_short.max(name.len());
            short.insert(name.as_bytes());
            mark(name);
            if !short_lens.contains(&name.len()) {
                short_lens.push(name.len());
            }
        }
        full_lens.sort_unstable();
        short_lens.sort_unstable();
        let mut full_by_tail: std::collections::HashMap<u64, Vec<usize>, Fnv> =
            std::collections::HashMap::with_hasher(Fnv);
        for (name, _) in crate::dict::places::all_places() {
            if let Some(k) = tail6(name.as_bytes(), name.len()) {
                let lens = full_by_tail.entry(k).or_default();
                if !lens.contains(&name.len()) {
                    lens.push(name.len());
                    lens.sort_unstable_by(|a, b| b.cmp(a));
                }
            }
        }
        let by_head = |names: &mut dyn Iterator<Item = &'static str>| {
            let mut map: std::collections::HashMap<u64, Vec<usize>, Fnv> =
                std::collections::HashMap::with_hasher(Fnv);
            for name in names {
                if let Some(k) = head6(name.as_bytes(), 0) {
                    let lens = map.entry(k).or_default();
                    if !lens.contains(&name.len()) {
                        lens.push(name.len());
                        lens.sort_unstable_by(|a, b| b.cmp(a));
                    }
                }
            }
            map
        };
        let full_by_head = by_head(&mut crate::dict::places::all_places().map(|(n, _)| n));
        let short_by_head = by_head(&mut crate::dict::places::all_short_places().map(|(n, _)| n));
        PlaceIndex {
            first,
            full_lens,
            short_lens,
            full_by_tail,
            full_by_head,
            short_by_head,
            full,
            short,
            max_full,
            max_short,
        }
    }

    /// Whether some place name starts with the character at `t[p..]`.
    #[inline]
    fn may_start(&self, t: &[u8], p: usize) -> bool {
        match crate::text::char3(t, p) {
            Some(c) => self
                .first
                .get(c as usize / 64)
                .is_some_and(|w| w & (1 << (c as usize % 64)) != 0),
            None => false,
        }
    }

    /// Byte length of the longest full place name ending at `t[..end]` (CJK only, 3 bytes per char).
    pub(crate) fn ending_at(&self, t: &[u8], end: usize) -> Option<usize> {
        let _ = (self.max_full, &self.full_lens);
        let lens = self.full_by_tail.get(&tail6(t, end)?)?;
        lens.iter()
            .copied()
            .filter(|&len| len <= end && self.may_start(t, end - len))
            .find(|&len| t.get(end - len..end).is_some_and(|s| self.full.contains(s)))
    }

    /// Byte length of the longest full (or, with `short`, short) place name at `t[p..]`.
    pub(crate) fn at(&self, t: &[u8], p: usize, short: bool) -> Option<usize> {
        if !self.may_start(t, p) {
            return None;
        }
        let _ = (self.max_short, &self.short_lens);
        let (set, by_head) = if short {
            (&self.short, &self.short_by_head)
        } else {
            (&self.full, &self.full_by_head)
        };
        let lens = by_head.get(&head6(t, p)?)?;
        lens.iter()
            .copied()
            .find(|&len| t.get(p..p + len).is_some_and(|s| set.contains(s)))
    }
}

/// The 3 bytes before `end`.
fn tail3(t: &[u8], end: usize) -> Option<[u8; 3]> {
    let s = t.get(end.checked_sub(3)?..end)?;
    Some([*s.first()?, *s.get(1)?, *s.get(2)?])
}

/// The 6 bytes at `p` as an integer.
fn head6(t: &[u8], p: usize) -> Option<u64> {
    let s = t.get(p..p.checked_add(6)?)?;
    Some(s.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// The 6 bytes before `end` as an integer.
fn tail6(t: &[u8], end: usize) -> Option<u64> {
    let s = t.get(end.checked_sub(6)?..end)?;
    Some(s.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// Words of a list in a hash set, found by the bytes that end at a position.
#[derive(Debug)]
pub(crate) struct SuffixSet {
    set: std::collections::HashSet<&'static [u8], Fnv>,
    /// Lengths of the words that end with a given last character (3 UTF-8 bytes), longest first.
    lens_by_tail: std::collections::HashMap<[u8; 3], Vec<usize>, Fnv>,
}

impl SuffixSet {
    pub(crate) fn new(words: &[&'static str]) -> SuffixSet {
        let mut set = std::collections::HashSet::with_hasher(Fnv);
        let mut lens_by_tail: std::collections::HashMap<[u8; 3], Vec<usize>, Fnv> =
            std::collections::HashMap::with_hasher(Fnv);
        for w in words {
            set.insert(w.as_bytes());
            if let Some(tail) = tail3(w.as_bytes(), w.len()) {
                let lens = lens_by_tail.entry(tail).or_default();
                if !lens.contains(&w.len()) {
                    lens.push(w.len());
                    lens.sort_unstable_by(|a, b| b.cmp(a));
                }
            }
        }
        SuffixSet { set, lens_by_tail }
    }

    /// Byte length of the longest word ending at `t[..end]`.
    pub(crate) fn ending_at(&self, t: &[u8], end: usize) -> Option<usize> {
        let lens = self.lens_by_tail.get(&tail3(t, end)?)?;
        lens.iter()
            .copied()
            .find(|&l| l <= end && t.get(end - l..end).is_some_and(|s| self.set.contains(s)))
    }
}
