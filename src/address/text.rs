//! Text normalisation and the character trie used by the address scanner.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One character of the normalised text, with where it came from in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NChar {
    /// The normalised character.
    pub c: char,
    /// Offset in characters of the original character.
    pub pos: u32,
    /// Byte offset of the original character.
    pub byte: u32,
    /// Byte offset just past the original character.
    pub byte_end: u32,
}

/// Whether a (half-width) character is noise between the parts of an address: whitespace
/// and punctuation of every script.
fn is_noise(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || c.is_control()
        || matches!(c,
            '\u{00B7}' | '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{30FB}'
            | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF5F}'..='\u{FF65}'
            | '\u{FEFF}')
}

/// Full-width ASCII (U+FF01..U+FF5E) to half-width; everything else unchanged.
fn half_width(c: char) -> char {
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// Normalises `text` into `out` (cleared first): full-width to half-width, whitespace and
/// punctuation dropped, every kept character remembering its original position.
pub(crate) fn normalize_into(text: &str, out: &mut Vec<NChar>) {
    out.clear();
    for (pos, (byte, orig)) in text.char_indices().enumerate() {
        let c = half_width(orig);
        if is_noise(c) {
            continue;
        }
        let byte_end = byte + orig.len_utf8();
        out.push(NChar {
            c,
            pos: u32::try_from(pos).unwrap_or(u32::MAX),
            byte: u32::try_from(byte).unwrap_or(u32::MAX),
            byte_end: u32::try_from(byte_end).unwrap_or(u32::MAX),
        });
    }
}

/// Whether the text that follows a short-form match makes it part of a street, water or
/// landmark name (南京路, 南京东路, 黄浦江, 普陀山, 宝山公园) rather than a place name.
pub(crate) fn street_follows(rest: &[NChar]) -> bool {
    let c0 = match rest.first() {
        Some(n) => n.c,
        None => return false,
    };
    let c1 = rest.get(1).map(|n| n.c);
    if "路街巷弄桥江河湖湾港岛山".contains(c0) {
        return true;
    }
    let Some(c1) = c1 else { return false };
    if "东西南北中".contains(c0) && "路街".contains(c1) {
        return true;
    }
    const PAIRS: &[[char; 2]] = &[
        ['大', '道'],
        ['大', '街'],
        ['大', '桥'],
        ['大', '厦'],
        ['公', '园'],
        ['广', '场'],
        ['花', '园'],
        ['小', '区'],
        ['新', '村'],
        ['银', '行'],
        ['饭', '店'],
        ['宾', '馆'],
        ['酒', '店'],
    ];
    PAIRS.contains(&[c0, c1])
}

/// A multiplicative hasher for the trie's `u64` edge keys (the std SipHash is several times
/// slower and these keys are not attacker-chosen in any way that matters).
#[derive(Default, Clone, Copy)]
pub(crate) struct EdgeHasher(u64);

impl Hasher for EdgeHasher {
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^ (h >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A trie over characters: every node may carry a value (an index into the key table).
#[derive(Debug, Clone, Default)]
pub(crate) struct Trie {
    edges: HashMap<u64, u32, BuildHasherDefault<EdgeHasher>>,
    /// The value of each node (`u32::MAX` for none); node 0 is the root.
    values: Vec<u32>,
}

impl Trie {
    pub(crate) fn new() -> Self {
        Trie {
            edges: HashMap::default(),
            values: vec![u32::MAX],
        }
    }

    fn edge(node: u32, c: char) -> u64 {
        (u64::from(node) << 32) | u64::from(c as u32)
    }

    /// Reserves room for about `chars` more characters of keys.
    pub(crate) fn reserve(&mut self, chars: usize) {
        self.edges.reserve(chars);
        self.values.reserve(chars);
    }

    /// The value of `key`, inserting the key with `value` when it has none yet.
    pub(crate) fn value_or_insert(&mut self, key: &str, value: u32) -> u32 {
        let mut node = 0u32;
        for c in key.chars() {
            let next = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
            let e = self.edges.entry(Self::edge(node, c)).or_insert(next);
            if *e == next {
                self.values.push(u32::MAX);
            }
            node = *e;
        }
        match self.values.get_mut(node as usize) {
            Some(v) if *v == u32::MAX => {
                *v = value;
                value
            }
            Some(v) => *v,
            None => value,
        }
    }

    /// The longest key that is a prefix of `text`: (length in chars, value).
    pub(crate) fn longest(&self, text: &[NChar]) -> Option<(usize, u32)> {
        let mut node = 0u32;
        let mut best = None;
        for (i, n) in text.iter().enumerate() {
            match self.edges.get(&Self::edge(node, n.c)) {
                Some(&next) => node = next,
                None => break,
            }
            if let Some(&v) = self.values.get(node as usize)
                && v != u32::MAX
            {
                best = Some((i + 1, v));
            }
        }
        best
    }
}

/// Provinces outside the region and large cities of other provinces, as an address starts
/// with them (with their suffix).
const OUTSIDE: &[&str] = &[
    "北京市",
    "天津市",
    "重庆市",
    "河北省",
    "山西省",
    "内蒙古",
    "辽宁省",
    "吉林省",
    "黑龙江",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "西藏",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
    "深圳市",
    "广州市",
    "东莞市",
    "佛山市",
    "武汉市",
    "成都市",
    "西安市",
    "郑州市",
    "济南市",
    "青岛市",
    "厦门市",
    "福州市",
    "长沙市",
    "沈阳市",
    "大连市",
    "哈尔滨",
    "昆明市",
    "南昌市",
    "石家庄",
    "太原市",
    "贵阳市",
    "南宁市",
    "兰州市",
    "海口市",
    "长春市",
    "呼和浩特",
    "乌鲁木齐",
    "银川市",
    "西宁市",
    "拉萨市",
    "烟台市",
    "潍坊市",
    "临沂市",
    "泉州市",
    "利川市",
];

/// Whether the normalised text starts with a province or large city outside the region.
pub(crate) fn starts_outside(chars: &[NChar]) -> bool {
    OUTSIDE.iter().any(|name| {
        let mut it = chars.iter();
        name.chars().all(|c| it.next().is_some_and(|n| n.c == c))
    })
}
