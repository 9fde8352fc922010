"""English names for the code table: Hanyu Pinyin in the official place-name style.

* proper name in pinyin, written as one word, first letter capitalised, tones dropped;
  an apostrophe before a syllable starting with a, o or e (Lu'an, Huai'an, Ma'anshan);
* generic part translated: 省/直辖市 and 市 (prefecture or county-level city) dropped
  (Jiangsu, Suzhou, Jiangyin), 区 District, 新区 New Area, 县 County,
  自治县 Autonomous County with the people's name (Jingning She Autonomous County),
  镇 Town, 乡 Township, 街道 Subdistrict;
* a one-character name keeps the generic in pinyin (歙县 Shexian, 黟县 Yixian, 郊区 Jiaoqu District).

pypinyin picks the reading of polyphonic characters from its phrase dictionary; it is wrong
for several place names, so READINGS below is a hand-checked table that wins over it. Every
name in the table was read through once; the entries marked "(pypinyin ok)" are correct
without the override and kept so that a change of pypinyin cannot silently change them.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

# Proper name (without generic) -> syllables. Hand-checked against the names the
# administrations themselves use in English.
READINGS: dict[str, str] = {
    # 长 chang, not zhang
    "长宁": "chang ning",
    "长兴": "chang xing",  # (pypinyin ok)
    "长丰": "chang feng",
    "天长": "tian chang",
    # 都 du in place names
    "盐都": "yan du",
    "莲都": "lian du",
    "七都": "qi du",
    "江都": "jiang du",  # (pypinyin ok)
    # 六 lu in 六安 and 六合
    "六安": "lu an",  # (pypinyin ok)
    "六合": "lu he",
    # 蚌 beng
    "蚌埠": "beng bu",  # (pypinyin ok)
    "蚌山": "beng shan",
    # 涡 guo in 涡阳 (the 涡河 Guo River)
    "涡阳": "guo yang",
    # 重 chong in 重固
    "重固": "chong gu",
    # 行 hang in 闵行 (pypinyin says xing)
    "闵行": "min hang",
    # checked, pypinyin ok
    "歙": "she",  # 歙县 Shexian
    "黟": "yi",  # 黟县 Yixian
    "亳州": "bo zhou",
    "泗洪": "si hong",
    "盱眙": "xu yi",
    "枞阳": "zong yang",
    "乐清": "yue qing",
    "句容": "ju rong",
    "宿迁": "su qian",
    "宿州": "su zhou",
    "宿松": "su song",
    "宿城": "su cheng",
    "宿豫": "su yu",
    "睢宁": "sui ning",
    "沭阳": "shu yang",
    "射阳": "she yang",
    "繁昌": "fan chang",
    "叶集": "ye ji",
    "大丰": "da feng",
    "嵊州": "sheng zhou",
    "嵊泗": "sheng si",
    "婺城": "wu cheng",
    "龙游": "long you",
    "拱墅": "gong shu",
    "栖霞": "qi xia",
    "鄞州": "yin zhou",
    "田家庵": "tian jia an",
    "赵巷": "zhao xiang",
    "盛泽": "sheng ze",
    "干窑": "gan yao",
    "横扇": "heng shan",
    "八坼": "ba che",
    "朱家角": "zhu jia jiao",
    "夏阳": "xia yang",
    # Not in the table today; kept as guards for names that may be added.
    "荥阳": "xing yang",
    "莘庄": "xin zhuang",
}

# Whole names that are not "proper name + generic".
FULL: dict[str, str] = {
    "上海市": "Shanghai",
    "吴江经济技术开发区": "Wujiang Economic and Technological Development Zone",
    "东方丝绸市场": "Eastern Silk Market",
    "东太湖生态旅游度假区": "East Taihu Lake Ecological Tourism Resort",
}

ETHNIC = {"畲族": "She"}

_VOWEL_START = ("a", "o", "e")


def romanise(proper: str) -> str:
    """Pinyin of a proper name, as one capitalised word with apostrophes where needed."""
    if proper in READINGS:
        sylls = READINGS[proper].split()
    elif any(ch in READINGS for ch in proper):  # a pinned single character
        sylls = [s for ch in proper for s in (READINGS.get(ch) or lazy_pinyin(ch)[0]).split()]
    else:  # pypinyin's phrase dictionary decides
        sylls = lazy_pinyin(proper, style=Style.NORMAL, v_to_u=True)
    word = sylls[0]
    for s in sylls[1:]:
        word += ("'" if s.startswith(_VOWEL_START) else "") + s
    word = word.replace("v", "ü")
    return word[:1].upper() + word[1:]


def name_en(name: str, level: str) -> str:
    if name in FULL:
        return FULL[name]
    if level == "province":
        return romanise(name.removesuffix("省").removesuffix("市"))
    if level in ("prefecture_city", "county_city"):
        return romanise(name.removesuffix("市"))
    if level == "district":
        if name.endswith("新区"):
            return f"{romanise(name[:-2])} New Area"
        proper = name[:-1]
        return f"{romanise(name) if len(proper) == 1 else romanise(proper)} District"
    if level == "autonomous_county":
        base = name.removesuffix("自治县")
        for zh, en in ETHNIC.items():
            if base.endswith(zh):
                return f"{romanise(base[: -len(zh)])} {en} Autonomous County"
        raise ValueError(f"unknown people in {name}")
    if level == "county":
        proper = name[:-1]
        return romanise(name) if len(proper) == 1 else f"{romanise(proper)} County"
    if level in ("town", "town_pilot"):
        for suffix, en in (("街道", "Subdistrict"), ("镇", "Town"), ("乡", "Township")):
            if name.endswith(suffix):
                return f"{romanise(name[: -len(suffix)])} {en}"
    raise ValueError(f"no English name rule for {name} ({level})")
