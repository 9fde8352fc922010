#!/usr/bin/env python3
"""Generate ``jurisdiction-rules/courts.yaml``, the court registry of ecojuris.

What it does
    Reads the county-level code table and polygons of the Yangtze River Delta
    (``geodata/source/adcodes.csv`` and ``geodata/source/counties.geojson``,
    paths relative to the repository root) and the hand-written tables of
    special facts below (seats, appeal routes, special courts, internal
    tribunals, source keys), builds one record per court, validates the whole
    registry and writes ``jurisdiction-rules/courts.yaml``.

How to run (from anywhere; paths are resolved from this file's location)
    pip install 'shapely>=2,<3' 'pypinyin==0.55.0' 'PyYAML>=6'
    python3 jurisdiction-rules/tools/gen_courts.py           # write courts.yaml
    python3 jurisdiction-rules/tools/gen_courts.py --check   # fail if it is stale

Determinism
    The output depends only on the two input files, the tables in this file
    and the pinned pypinyin version (its dictionary decides the romanisation
    of names that are not in PINYIN_OVERRIDES). No clock is read: the
    ``revised`` date is the constant REVISED, bump it when the facts change.
    Seat coordinates are shapely ``point_on_surface`` (GEOS InteriorPoint,
    a deterministic algorithm) rounded to 4 decimals.

Order of courts in the file
    1. ``spc``; 2. high courts by id; 3. intermediate courts of the ordinary
    hierarchy (``inter-*`` and ``sh-inter-*``, including the railway
    intermediate court ``sh-inter-3``) by id; 4. the other special courts
    (railway basic courts, maritime courts, development-zone courts) by id;
    5. ordinary basic courts ``basic-<adcode>`` by adcode.

Where the facts come from
    ``legal-facts.md`` (the project's legal research notes, sections 2-5, 8
    and the source list in section 10). Every record names its source keys
    exactly as in that list, without brackets. Anything the notes mark
    UNCERTAIN, and every seat that is only inferred, gives
    ``confidence: uncertain`` and an English ``note``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

from pypinyin import lazy_pinyin
from shapely.geometry import Point, shape

REPO = Path(__file__).resolve().parents[2]
ADCODES = REPO / "geodata/source/adcodes.csv"
COUNTIES = REPO / "geodata/source/counties.geojson"
OUTPUT = REPO / "jurisdiction-rules/courts.yaml"

SCHEMA_VERSION = 1
REVISED = "2026-11-27"

PROVINCES = {"310000": "Shanghai", "320000": "Jiangsu", "330000": "Zhejiang", "340000": "Anhui"}
EXPECTED_UNITS = {"310000": 16, "320000": 95, "330000": 90, "340000": 104}
EXPECTED_CITIES = 40  # prefecture-level cities of JS/ZJ/AH

# Source keys of legal-facts.md section 10 (the only keys a record may cite).
KNOWN_SOURCES = {
    "LRB-CPL2021", "LRB-CPL2023", "LRB-CPLI2020", "LRB-CPLI2022", "LRB-ENVPIL2020",
    "LRB-EDC2020", "LRB-PROCPIL", "LRB-MAREDC", "LRB-MARPIL2022", "LRB-SEA1",
    "LRB-MARJUR2016", "LRB-MSPL", "LRB-MEPL2023", "LRB-CRIMPL", "LRB-CRIMI2021",
    "LRB-ALL2017", "LRB-ALLI2018", "LRB-RAIL", "LRB-YRPL", "LRB-ENVTORT2023",
    "DZ-SH-DEC-2020", "DZ-SH-REG-2024", "CODES", "ZF-COURTS", "PG-LEVEL2021",
    "PG-PILOT-END", "PG-PILOT-ART2", "PG-NPC-AUTH", "PG-PUNITIVE", "PG-WP2019-TOC",
    "PG-WP2019-11", "PG-SPC-YRD2020", "PG-LYG-ADM", "PG-CHINA-2020-12",
    "JS-NOTICE-2019-02", "JS-CNLAW", "JS-YZWB-0515", "JS-FZZD-NJ", "JS-JSNEWS-2024",
    "JS-DT-2019-02", "JS-YC-2020", "JS-HZ-2022", "JS-XW-2025", "JS-SC", "JS-JY-2023",
    "JS-CC-2021", "JS-SUXI-2022", "JS-WJ-2023", "JS-ZJ-2024", "JS-LYG-2017",
    "JS-NJMAR-AREA", "JS-NJMAR-OPEN", "JS-NJMAR-2022", "JS-PAPER-NJMAR", "JS-XY-2015",
    "JS-GS-2015", "PG-NJMAR-2025", "SH-CD-2021", "SH-SHINE-2021", "SH-RMRB-2020",
    "SH-QP-2019-12", "SH-QP-2017", "SH-CM-FOUND", "SH-CM-2023", "SH-WHB-2020",
    "SH-3ZY-2015", "SH-SHNDLAW-2017", "SH-ADM-2018", "SH-PD-2019", "SH-MH-2019",
    "SH-JA-2020", "SH-YIBIAO-2019", "SH-SHMAR-2023", "ZJ-WP-2018", "ZJ-NTH-2019a",
    "ZJ-NTH-2019b", "ZJ-HZ-RMFYB", "ZJ-QDH-2024", "ZJ-OUJIANG", "ZJ-HZ-ADM-2021",
    "ZJ-YZ-2013", "DZ-12TRIB", "DZ-6CITY-2020", "AH-HUAI-2025", "AH-JZ-2022",
}
# Evidence-research source keys (issue 11; the Jiangsu/Anhui block of sources.yaml) that a
# court record may also cite.
KNOWN_SOURCES |= {"JS-TZ-2016", "JS-TZ-2019", "AH-HF-HTZ-2019"}

# ---------------------------------------------------------------------------
# Romanisation. pypinyin is right for most names; these stems were checked by
# eye against the standard (GB/T 17693-style) spellings. Every stem whose
# pypinyin reading is wrong is listed; a few right ones are listed too so that
# a future pypinyin dictionary change cannot silently alter them.
# ---------------------------------------------------------------------------
PINYIN_OVERRIDES = {
    # wrong in pypinyin 0.55.0
    "长宁": "Changning",
    "长丰": "Changfeng",
    "天长": "Tianchang",
    "闵行": "Minhang",
    "六合": "Luhe",
    "盐都": "Yandu",
    "莲都": "Liandu",
    "蚌山": "Bengshan",
    "涡阳": "Guoyang",
    # polyphonic or rare characters, right in pypinyin but pinned
    "六安": "Lu'an",
    "蚌埠": "Bengbu",
    "亳州": "Bozhou",
    "歙县": "Shexian",
    "黟县": "Yixian",
    "长兴": "Changxing",
    "盱眙": "Xuyi",
    "枞阳": "Zongyang",
    "句容": "Jurong",
    "乐清": "Yueqing",
    "丽水": "Lishui",
    "台州": "Taizhou",
    "宿迁": "Suqian",
    "宿城": "Sucheng",
    "宿豫": "Suyu",
    "宿州": "Suzhou",
    "宿松": "Susong",
    "相城": "Xiangcheng",
    "相山": "Xiangshan",
    "沭阳": "Shuyang",
    "嵊州": "Shengzhou",
    "嵊泗": "Shengsi",
    "鄞州": "Yinzhou",
    "埇桥": "Yongqiao",
    "砀山": "Dangshan",
    "邗江": "Hanjiang",
    "邳州": "Pizhou",
    "睢宁": "Suining",
    "濉溪": "Suixi",
    "赣榆": "Ganyu",
    "婺城": "Wucheng",
    "泾县": "Jingxian",
    "旌德": "Jingde",
    "江都": "Jiangdu",
    "田家庵": "Tianjia'an",
    "马鞍山": "Ma'anshan",
}


def pinyin(stem: str) -> str:
    """Romanise a place-name stem: joined syllables, apostrophe before a/o/e."""
    if stem in PINYIN_OVERRIDES:
        return PINYIN_OVERRIDES[stem]
    out = ""
    for i, syl in enumerate(lazy_pinyin(stem)):
        if not re.fullmatch(r"[a-z]+", syl):
            raise SystemExit(f"no pinyin for {stem!r}: {syl!r}")
        if i > 0 and syl[0] in "aoe":
            out += "'"
        out += syl
    return out[0].upper() + out[1:]


def split_name(name: str, level: str) -> tuple[str, str]:
    """Return (stem, English generic) of a county-level unit name."""
    if level == "autonomous_county":
        if name == "景宁畲族自治县":
            return "景宁", "She Autonomous County"
        raise SystemExit(f"no English form for autonomous county {name}")
    if name == "浦东新区":
        return "浦东", "New Area"
    suffix = {"district": "区", "county": "县", "county_city": "市"}[level]
    if not name.endswith(suffix):
        raise SystemExit(f"{name}: expected suffix {suffix}")
    stem = name[: -len(suffix)]
    generic = {"district": "District", "county": "County", "county_city": ""}[level]
    if len(stem) < 2:  # 郊区, 歙县 ...: the generic is part of the romanised name
        stem = name
    return stem, generic


# ---------------------------------------------------------------------------
# Hand-written facts
# ---------------------------------------------------------------------------

# Seat of each prefecture-level intermediate court: (seat adcode, basis).
#   "sourced"  - legal-facts section 8
#   "only"     - the city has a single district, the court must sit there
#   "gov"      - district of the city government, known confidently (general
#                knowledge, unsourced): confidence stays "confirmed", with a note
#   "main"     - main urban district by general knowledge, city-government
#                district not known confidently: "uncertain"
#   "fallback" - neither known: first district in code order, "uncertain"
INTER_SEATS = {
    "320100": ("320106", "sourced"),
    "320200": ("320211", "gov"),
    "320300": ("320303", "gov"),
    "320400": ("320411", "gov"),
    "320500": ("320508", "gov"),
    "320600": ("320613", "gov"),
    "320700": ("320706", "gov"),
    "320800": ("320812", "gov"),
    "320900": ("320902", "fallback"),
    "321000": ("321002", "fallback"),
    "321100": ("321102", "fallback"),
    "321200": ("321202", "gov"),
    "321300": ("321302", "gov"),
    "330100": ("330102", "gov"),
    "330200": ("330212", "gov"),
    "330300": ("330302", "gov"),
    "330400": ("330402", "gov"),
    "330500": ("330502", "gov"),
    "330600": ("330602", "gov"),
    "330700": ("330702", "gov"),
    "330800": ("330802", "gov"),
    "330900": ("330902", "gov"),
    "331000": ("331002", "gov"),
    "331100": ("331102", "gov"),
    "340100": ("340104", "gov"),
    "340200": ("340202", "fallback"),
    "340300": ("340302", "fallback"),
    "340400": ("340403", "main"),
    "340500": ("340503", "fallback"),
    "340600": ("340603", "gov"),
    "340700": ("340705", "gov"),
    "340800": ("340802", "fallback"),
    "341000": ("341002", "gov"),
    "341100": ("341102", "fallback"),
    "341200": ("341202", "main"),
    "341300": ("341302", "only"),
    "341500": ("341502", "fallback"),
    "341600": ("341602", "only"),
    "341700": ("341702", "only"),
    "341800": ("341802", "only"),
}

SEAT_NOTES = {
    "sourced": None,
    "only": None,
    "gov": "seat_unit is the district of the city government (general knowledge, not sourced); "
           "the court's own address was not checked",
    "main": "seat_unit is the main urban district by general knowledge (uncertain); the districts of "
            "the city government and of the court are not known",
    "fallback": "seat_unit is a fallback (first district in code order): the district of the "
                "city government and of the court are not known",
}

# High courts: seat unit (all unsourced; legal-facts section 8 gives only the city).
HIGH_SEATS = {
    "310000": ("上海市高级人民法院", "Shanghai High People's Court", "310104",
               "seat_unit Xuhui is general knowledge (Zhaojiabang Road), not sourced; legal-facts sec. 8 leaves the district open"),
    "320000": ("江苏省高级人民法院", "Jiangsu High People's Court", "320106",
               "seat_unit Gulou (Nanjing) is general knowledge, not sourced; legal-facts sec. 8 gives only the city"),
    "330000": ("浙江省高级人民法院", "Zhejiang High People's Court", "330102",
               "seat_unit is a fallback (first district of Hangzhou); legal-facts sec. 8 gives only the city"),
    "340000": ("安徽省高级人民法院", "Anhui High People's Court", "340104",
               "seat_unit Shushan (Hefei government district) is a guess; legal-facts sec. 8 gives only the city"),
}

# Shanghai ordinary appeal routes (legal-facts 3.4, from ZF-COURTS: UNCERTAIN).
SH_INTER_1 = ["310104", "310105", "310112", "310115", "310116", "310117", "310120"]
SH_INTER_2 = ["310101", "310106", "310107", "310109", "310110", "310113", "310114", "310118", "310151"]
SH_APPEAL_NOTE = ("appeal route from legal-facts 3.4, taken from a hobbyist court directory "
                  "(ZF-COURTS): uncertain")


def tribunal(tid, name_zh, name_en, start=None, end=None):
    t = {"id": tid, "name_zh": name_zh, "name_en": name_en}
    if start:
        t["from"] = start
    if end:
        t["to"] = end
    return t


JS91 = "2019-07-01"

# Internal tribunals, keyed by host court id. `to` is exclusive.
TRIBUNALS = {
    "basic-320102": [tribunal("t1-southwest", "西南低山丘陵区域环境资源法庭",
                              "Southwest Low Mountains and Hills Environmental Resources Tribunal", JS91)],
    "basic-320508": [tribunal("t2-taihu", "太湖流域环境资源法庭",
                              "Taihu Basin Environmental Resources Tribunal", JS91)],
    "basic-320281": [tribunal("t3-changjiang-1", "长江流域环境资源第一法庭",
                              "Yangtze River Basin Environmental Resources Tribunal No.1", JS91)],
    "basic-320682": [tribunal("t4-changjiang-2", "长江流域环境资源第二法庭",
                              "Yangtze River Basin Environmental Resources Tribunal No.2", JS91)],
    "basic-320830": [tribunal("t5-hongzehu", "洪泽湖流域环境资源法庭",
                              "Hongze Lake Basin Environmental Resources Tribunal", JS91)],
    "basic-320981": [tribunal("t6-huanghai", "黄海湿地环境资源法庭",
                              "Yellow Sea Wetlands Environmental Resources Tribunal", JS91)],
    "basic-320724": [
        tribunal("guanhe-circuit", "连云港灌河流域环境资源审判巡回法庭",
                 "Lianyungang Guan River Basin Environmental Resources Circuit Tribunal",
                 "2018-01-01", JS91),
        tribunal("t7-guanhe", "灌河流域环境资源法庭",
                 "Guan River Basin Environmental Resources Tribunal", JS91),
    ],
    "xz-railway": [tribunal("t8-huaibei", "淮北丘岗区域环境资源法庭",
                            "Huaibei Hills Environmental Resources Tribunal", JS91)],
    "basic-321302": [
        tribunal("suqian-eco", "生态保护审判庭", "Ecological Protection Tribunal",
                 "2013-10-01", JS91),
        tribunal("t9-luomahu", "骆马湖流域环境资源法庭",
                 "Luoma Lake Basin Environmental Resources Tribunal", JS91),
    ],
    "inter-320100": [tribunal("nanjing-env", "南京环境资源法庭",
                              "Nanjing Environmental Resources Court", JS91)],
    "basic-320509": [tribunal("fenhu", "长三角生态绿色一体化发展示范区吴江汾湖法庭",
                              "Wujiang Fenhu Tribunal of the Yangtze River Delta Eco-Green "
                              "Integrated Development Demonstration Zone", "2023-09-08")],
    "basic-320412": [tribunal("gehu", "滆湖环境资源法庭",
                              "Gehu Environmental Resources Tribunal", "2024-07-02")],
    "basic-330127": [tribunal("qiandaohu", "千岛湖环境资源法庭",
                              "Qiandao Lake Environmental Resources Tribunal", "2020-12-16")],
    "inter-340100": [tribunal("hefei-env", "环境资源法庭", "Environmental Resources Tribunal")],
    "zj-edz": [tribunal("beigushan", "北固山环境资源法庭",
                        "Beigushan Environmental Resources Tribunal", "2024-02-28")],
}

# Extra facts for ordinary courts: extra sources, a note, and whether the note
# makes the record uncertain (only seat/appeal/name facts do).
EXTRAS = {
    "basic-320102": (["JS-NOTICE-2019-02", "JS-XW-2025", "JS-PAPER-NJMAR"],
                     "hosts the T1 tribunal (Jiangsu 9+1); the Feb-2019 notice named the Nanjing Railway "
                     "Transport Court as host, which was abolished; date of the switch uncertain", False),
    "basic-320508": (["JS-NOTICE-2019-02", "JS-SUXI-2022", "JS-GS-2015"], "hosts the T2 tribunal (Jiangsu 9+1)", False),
    "basic-320281": (["JS-NOTICE-2019-02", "JS-JY-2023", "JS-SUXI-2022"], "hosts the T3 tribunal (Jiangsu 9+1)", False),
    "basic-320682": (["JS-NOTICE-2019-02", "JS-CC-2021"], "hosts the T4 tribunal (Jiangsu 9+1)", False),
    "basic-320830": (["JS-NOTICE-2019-02", "JS-HZ-2022"],
                     "hosts the T5 tribunal per a 2022 report; the Feb-2019 notice named the Hongze District "
                     "court (basic-320813) as host: host uncertain", False),
    "basic-320813": (["JS-NOTICE-2019-02", "JS-HZ-2022"],
                     "named as T5 host in the Feb-2019 notice; the operative host is the Xuyi court "
                     "(basic-320830) per a 2022 report", False),
    "basic-320981": (["JS-DT-2019-02", "JS-YC-2020"], "hosts the T6 tribunal (Jiangsu 9+1)", False),
    "basic-320924": (["JS-YC-2020", "JS-DT-2019-02"],
                     "one of two Yancheng env courts from 2016-03 to 2019-06-30 (with Dongtai)", False),
    "basic-320724": (["JS-NOTICE-2019-02", "JS-YZWB-0515", "JS-LYG-2017"],
                     "hosts the T7 tribunal (Jiangsu 9+1) and before it the Lianyungang Guan River circuit "
                     "tribunal run by its Changmao people's tribunal (2018-01-01 to 2019-06-30)", False),
    "basic-321302": (["JS-NOTICE-2019-02", "JS-SC"],
                     "hosts the T9 tribunal (Jiangsu 9+1) and before it the Suqian ecological protection "
                     "tribunal (2013-10 to 2019-06-30; start day uncertain)", False),
    "basic-320381": (["JS-XY-2015"], "heard Xuzhou env admin cases around 2014 (fragmentary)", False),
    "basic-320509": (["JS-WJ-2023", "DZ-12TRIB"],
                     "demonstration-zone court; env carve-out from the T2 area from about 2023-09-08 via its "
                     "Fenhu tribunal (effective date uncertain)", False),
    "basic-310116": (["SH-RMRB-2020"], "one of Shanghai's 1+4 env courts from 2020-01-01; " + SH_APPEAL_NOTE, True),
    "basic-310118": (["SH-RMRB-2020", "SH-QP-2019-12", "SH-QP-2017", "DZ-12TRIB"],
                     "demonstration-zone court; one of Shanghai's 1+4 env courts from 2020-01-01; "
                     + SH_APPEAL_NOTE, True),
    "basic-310151": (["SH-RMRB-2020", "SH-CM-FOUND", "SH-CM-2023"],
                     "one of Shanghai's 1+4 env courts from 2020-01-01; named 上海市崇明县人民法院 before "
                     "the county became a district (2016); " + SH_APPEAL_NOTE, True),
    "basic-310115": (["SH-PD-2019"], "centralised admin court for several districts from 2018-07-01; "
                     + SH_APPEAL_NOTE, True),
    "basic-310112": (["SH-MH-2019"], "centralised admin court for several districts from 2018-07-01; "
                     + SH_APPEAL_NOTE, True),
    "basic-310106": (["SH-JA-2020"], "centralised admin court for several districts from 2018-07-01; "
                     + SH_APPEAL_NOTE, True),
    "basic-330421": (["DZ-12TRIB", "ZJ-YZ-2013"], "demonstration-zone court", False),
    "basic-330127": (["ZJ-QDH-2024"], "hosts the Qiandao Lake env tribunal from 2020-12-16", False),
    "basic-330113": ([], "unit created about 2021 (split from Yuhang); court's creation date not sourced", False),
    "basic-330114": ([], "unit created about 2021 (Jianggan split); court's creation date not sourced", False),
    "basic-330383": ([], "unit created 2019 (split from Cangnan); court's creation date not sourced", False),
    "inter-320100": (["JS-CNLAW", "JS-FZZD-NJ", "JS-JSNEWS-2024", "PG-CHINA-2020-12"],
                     "hosts the Nanjing Environmental Resources Court (province-wide intermediate-level env "
                     "cases and appeals from the 9 tribunals) from 2019-07-01; seat Gulou per legal-facts "
                     "sec. 8 (two addresses, uncertain which)", True),
    "inter-320500": (["JS-WJ-2023"], None, False),
    "inter-330500": (["ZJ-WP-2018", "ZJ-HZ-RMFYB"], None, False),
    "inter-340100": (["AH-HUAI-2025"],
                     "its environmental resources tribunal takes Chaohu-basin env cases (scope and dates "
                     "uncertain)", False),
}

# Special courts (id order is irrelevant here; the writer sorts).
SPECIAL = [
    dict(id="sh-railway", name_zh="上海铁路运输法院", name_en="Shanghai Railway Transport Court",
         level="basic", special="railway", province="310000", seat_unit="310104", appeal="sh-inter-3",
         confidence="uncertain", sources=["ZF-COURTS", "SH-ADM-2018", "SH-RMRB-2020", "SH-SHINE-2021"],
         note="seat Xuhui per ZF-COURTS (Shilong Road), another dataset says Jing'an: uncertain; one of "
              "Shanghai's 1+4 env courts from 2020-01-01 and a centralised admin court"),
    dict(id="xz-railway", name_zh="徐州铁路运输法院", name_en="Xuzhou Railway Transport Court",
         level="basic", special="railway", province="320000", seat_unit="320302", appeal="sh-inter-3",
         confidence="uncertain", sources=["JS-NOTICE-2019-02", "ZF-COURTS", "LRB-RAIL"],
         note="seat unknown, Gulou (Xuzhou) assumed; ZF-COURTS gives the Shanghai Railway Transport "
              "Intermediate Court (sh-inter-3) as its appeal court, while cases designated by the High "
              "Court may go to the Xuzhou Intermediate Court (inter-320300) and env appeals from its T8 "
              "tribunal go to the Nanjing Environmental Resources Court; current T8 host not re-verified"),
    dict(id="nj-railway", name_zh="南京铁路运输法院", name_en="Nanjing Railway Transport Court",
         level="basic", special="railway", province="320000", seat_unit="320106", appeal="sh-inter-3",
         valid_to="2019-02-01", confidence="uncertain",
         sources=["JS-NOTICE-2019-02", "JS-PAPER-NJMAR"],
         note="abolished by the 2019-02 approval that created the Nanjing Maritime Court (exact day "
              "unknown, 2019-02-01 assumed); named as T1 host in the Feb-2019 notice but probably never "
              "operated it; seat unknown (Gulou assumed); appeal court assumed as for other railway courts"),
    dict(id="sh-maritime", name_zh="上海海事法院", name_en="Shanghai Maritime Court",
         level="intermediate", special="maritime", province="310000", seat_unit="310115",
         appeal="high-310000", confidence="confirmed",
         sources=["ZF-COURTS", "SH-SHMAR-2023", "LRB-MARJUR2016"],
         note="area of jurisdiction (Shanghai port and waters) not precisely sourced"),
    dict(id="nj-maritime", name_zh="南京海事法院", name_en="Nanjing Maritime Court",
         level="intermediate", special="maritime", province="320000", seat_unit="320106",
         appeal="high-320000", valid_from="2019-12-06", confidence="confirmed",
         sources=["JS-NJMAR-OPEN", "JS-NJMAR-AREA", "JS-PAPER-NJMAR", "JS-NJMAR-2022", "ZF-COURTS"],
         note=None),
    dict(id="nb-maritime", name_zh="宁波海事法院", name_en="Ningbo Maritime Court",
         level="intermediate", special="maritime", province="330000", seat_unit="330212",
         appeal="high-330000", confidence="confirmed", sources=["ZF-COURTS", "JS-PAPER-NJMAR"],
         note="area of jurisdiction not precisely sourced"),
    dict(id="wh-maritime", name_zh="武汉海事法院", name_en="Wuhan Maritime Court",
         level="intermediate", special="maritime", province="420000", seat_unit=None,
         seat_at=[114.30, 30.60], appeal=None, confidence="confirmed",
         sources=["LRB-MARJUR2016", "JS-NJMAR-AREA"],
         note="seat in Wuhan, Hubei, outside this registry's geodata; appeals go to the Hubei High "
              "People's Court, outside this registry; covered the Jiangsu Yangtze stretch until "
              "2019-12-06"),
    dict(id="hz-nantaihu", name_zh="湖州南太湖新区人民法院",
         name_en="Huzhou South Taihu New Area People's Court",
         level="basic", special="development_zone", province="330000", seat_unit="330502",
         appeal="inter-330500", valid_from="2019-10-15", confidence="confirmed",
         sources=["ZJ-NTH-2019a", "ZJ-NTH-2019b", "ZJ-HZ-RMFYB", "ZF-COURTS"],
         note="centralises Huzhou env first-instance cases from 2019-10-15 (High Court approval "
              "2019-07-31); the new area has no own adcode"),
    dict(id="zj-edz", name_zh="镇江经济开发区人民法院",
         name_en="Zhenjiang Economic Development Zone People's Court",
         level="basic", special="development_zone", province="320000", seat_unit="321102",
         appeal="inter-321100", confidence="confirmed", sources=["JS-ZJ-2024", "ZF-COURTS"],
         note="the zone has no own adcode (seat Jingkou per ZF-COURTS); jurisdiction of its Beigushan "
              "env tribunal uncertain"),
    dict(id="tz-yyzone", name_zh="泰州医药高新技术产业开发区人民法院",
         name_en="Taizhou Medical High-tech Industrial Development Zone People's Court",
         level="basic", special="development_zone", province="320000", seat_unit="321202",
         appeal="inter-321200", confidence="uncertain", sources=["JS-TZ-2019", "JS-TZ-2016"],
         note="tried Taizhou environmental crimes before 9+1 (2018 Jingjiang eel-fry case; the zone's "
              "procuratorate prosecuted the 2016 Jingjiang toxic-land case); the zone has no own adcode, "
              "seat Hailing assumed (not sourced)"),
    dict(id="hf-gxzone", name_zh="合肥高新技术产业开发区人民法院",
         name_en="Hefei High-tech Industrial Development Zone People's Court",
         level="basic", special="development_zone", province="340000", seat_unit="340104",
         appeal="inter-340100", confidence="uncertain", sources=["AH-HF-HTZ-2019"],
         note="case-number code 皖0191; decided a 2019 suit against a Baohe district environmental "
              "bureau (ev-ah-0025), i.e. it heard administrative cases of Hefei districts; founding date "
              "and remit not sourced; the zone has no own adcode, seat Shushan assumed (not sourced)"),
]

# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

KEYS = ["id", "name_zh", "name_en", "level", "special", "province", "seat_unit", "seat_at",
        "seat_at_approximate", "serves", "appeal", "tribunals", "valid_from", "valid_to",
        "confidence", "sources", "note"]
LEVELS = ["basic", "intermediate", "high", "supreme"]
SPECIALS = [None, "railway", "maritime", "development_zone"]


def load_geodata():
    units, cities, provinces = {}, {}, {}
    with ADCODES.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["level"] == "province":
                provinces[r["adcode"]] = r
            elif r["level"] == "prefecture_city":
                cities[r["adcode"]] = r
            elif r["level"] in ("district", "county", "county_city", "autonomous_county"):
                units[r["adcode"]] = r
    geo = json.loads(COUNTIES.read_text(encoding="utf-8"))
    points = {}
    for feat in geo["features"]:
        p = feat["properties"]
        code = p["adcode"]
        if code not in units or units[code]["name"] != p["name"]:
            raise SystemExit(f"counties.geojson unit {code} {p['name']} not in adcodes.csv")
        poly = shape(feat["geometry"])
        rp = poly.point_on_surface()
        pt = [round(rp.x, 4), round(rp.y, 4)]
        if not poly.contains(Point(pt)):
            raise SystemExit(f"rounded seat point of {code} falls outside its polygon")
        points[code] = (pt, poly)
    if set(points) != set(units):
        raise SystemExit("adcodes.csv and counties.geojson list different county-level units")
    return units, cities, provinces, points


def court(**kw):
    rec = {k: None for k in KEYS}
    rec.update(seat_at_approximate=True, serves=[], tribunals=[], sources=[])
    rec.update(kw)
    return rec


def city_en(city_row):
    return pinyin(city_row["name"].removesuffix("市"))


def build():
    units, cities, provinces, points = load_geodata()
    courts = []

    def seat(code):
        return points[code][0] if code else None

    # Supreme People's Court (Beijing, outside the geodata).
    courts.append(court(
        id="spc", name_zh="最高人民法院", name_en="Supreme People's Court", level="supreme",
        province="110000", seat_at=[116.40, 39.90], appeal=None, confidence="confirmed",
        sources=["LRB-CPL2023"],
        note="national jurisdiction; seat in Beijing, outside this registry's geodata"))

    # High courts.
    for prov, (zh, en, seat_unit, note) in HIGH_SEATS.items():
        courts.append(court(
            id=f"high-{prov}", name_zh=zh, name_en=en, level="high", province=prov,
            seat_unit=seat_unit, seat_at=seat(seat_unit), serves=[prov], appeal="spc",
            confidence="uncertain", sources=["CODES"], note=note))

    # Shanghai intermediate courts.
    sh = dict(level="intermediate", province="310000", appeal="high-310000")
    courts.append(court(
        id="sh-inter-1", name_zh="上海市第一中级人民法院",
        name_en="Shanghai No.1 Intermediate People's Court", seat_unit="310105",
        seat_at=seat("310105"), serves=SH_INTER_1, confidence="uncertain", sources=["ZF-COURTS"],
        note="seat Changning (Hongqiao Road) per ZF-COURTS; served districts per legal-facts 3.4 (uncertain)",
        **sh))
    courts.append(court(
        id="sh-inter-2", name_zh="上海市第二中级人民法院",
        name_en="Shanghai No.2 Intermediate People's Court", seat_unit="310106",
        seat_at=seat("310106"), serves=SH_INTER_2, confidence="uncertain", sources=["ZF-COURTS"],
        note="seat Jing'an (North Zhongshan Road) per ZF-COURTS; served districts per legal-facts 3.4 (uncertain)",
        **sh))
    courts.append(court(
        id="sh-inter-3", name_zh="上海市第三中级人民法院",
        name_en="Shanghai No.3 Intermediate People's Court", special="railway", seat_unit="310115",
        seat_at=seat("310115"), confidence="confirmed",
        sources=["ZF-COURTS", "SH-CD-2021", "SH-SHNDLAW-2017", "SH-3ZY-2015"],
        note="co-located with the Shanghai Railway Transport Intermediate Court (上海铁路运输中级法院) "
             "and the Shanghai Intellectual Property Court; appeal court of the railway transport "
             "courts; the intermediate court of Shanghai's 1+4 env scheme from 2020-01-01",
        **sh))

    # Prefecture-level intermediate courts.
    if len(cities) != EXPECTED_CITIES or set(cities) != set(INTER_SEATS):
        raise SystemExit("prefecture-level cities and INTER_SEATS disagree")
    city_names = [city_en(r) for r in cities.values()]
    for code, row in sorted(cities.items()):
        seat_unit, basis = INTER_SEATS[code]
        en = f"{city_en(row)} Intermediate People's Court"
        if city_names.count(city_en(row)) > 1:  # Suzhou JS/AH, Taizhou JS/ZJ
            en += f", {PROVINCES[row['province_adcode']]}"
        if units[seat_unit]["city_adcode"] != code:
            raise SystemExit(f"seat {seat_unit} is not in city {code}")
        extra_src, extra_note, extra_unc = EXTRAS.get(f"inter-{code}", ([], None, False))
        notes = [n for n in (extra_note, SEAT_NOTES[basis]) if n]
        courts.append(court(
            id=f"inter-{code}", name_zh=f"{row['name']}中级人民法院",
            name_en=en, level="intermediate",
            province=row["province_adcode"], seat_unit=seat_unit, seat_at=seat(seat_unit),
            serves=[code], appeal=f"high-{row['province_adcode']}",
            confidence="uncertain" if basis in ("main", "fallback") or extra_unc else "confirmed",
            sources=["CODES"] + extra_src, note="; ".join(notes) or None))

    # Special courts.
    for s in SPECIAL:
        s = dict(s)
        if "seat_at" not in s:
            s["seat_at"] = seat(s["seat_unit"])
        courts.append(court(**s))

    # Ordinary basic courts.
    for code, row in sorted(units.items()):
        level = row["level"]
        stem, generic = split_name(row["name"], level)
        prov = row["province_adcode"]
        city_row = cities.get(row["city_adcode"]) or provinces[prov]  # Shanghai: city = province
        if level == "district":
            zh = f"{city_row['name']}{row['name']}人民法院"
            en = f"{pinyin(stem)} {generic} People's Court, {city_en(city_row)}"
        else:
            zh = f"{row['name']}人民法院"
            en = " ".join(x for x in (pinyin(stem), generic, "People's Court") if x)
        cid = f"basic-{code}"
        if prov == "310000":
            appeal = "sh-inter-1" if code in SH_INTER_1 else "sh-inter-2"
            uncertain = True
            default_note = SH_APPEAL_NOTE
        else:
            appeal = f"inter-{row['city_adcode']}"
            uncertain = False
            default_note = None
        extra_src, extra_note, extra_unc = EXTRAS.get(cid, ([], None, False))
        courts.append(court(
            id=cid, name_zh=zh, name_en=en, level="basic", province=prov, seat_unit=code,
            seat_at=seat(code), serves=[code], appeal=appeal,
            confidence="uncertain" if uncertain or extra_unc else "confirmed",
            sources=["CODES", "ZF-COURTS"] + extra_src, note=extra_note or default_note))

    # Tribunals.
    by_id = {c["id"]: c for c in courts}
    for host, ts in TRIBUNALS.items():
        by_id[host]["tribunals"] = ts

    validate(courts, units, cities)
    return courts


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

def validate(courts, units, cities):
    errors = []

    def err(msg):
        errors.append(msg)

    ids = [c["id"] for c in courts]
    if len(ids) != len(set(ids)):
        err(f"duplicate court ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    by_id = {c["id"]: c for c in courts}
    for k in ("name_zh", "name_en"):
        names = [c[k] for c in courts]
        if len(names) != len(set(names)):
            err(f"duplicate {k}: {sorted({n for n in names if names.count(n) > 1})}")
    tribunal_ids = [t["id"] for c in courts for t in c["tribunals"]]
    if len(tribunal_ids) != len(set(tribunal_ids)):
        err("duplicate tribunal ids")
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    outside = {"110000", "420000"}

    for c in courts:
        cid = c["id"]
        if list(c) != KEYS:
            err(f"{cid}: keys {list(c)}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cid):
            err(f"{cid}: bad id")
        if c["level"] not in LEVELS or c["special"] not in SPECIALS:
            err(f"{cid}: bad level/special")
        if c["confidence"] not in ("confirmed", "uncertain"):
            err(f"{cid}: bad confidence")
        if not c["sources"] or any(s not in KNOWN_SOURCES for s in c["sources"]):
            err(f"{cid}: bad sources {c['sources']}")
        if len(set(c["sources"])) != len(c["sources"]):
            err(f"{cid}: repeated source")
        if c["province"] not in PROVINCES and c["province"] not in outside:
            err(f"{cid}: unknown province {c['province']}")
        if c["seat_unit"] is not None:
            if c["seat_unit"] not in units:
                err(f"{cid}: seat_unit {c['seat_unit']} not in geodata")
            elif units[c["seat_unit"]]["province_adcode"] != c["province"]:
                err(f"{cid}: seat_unit outside its province")
        elif c["province"] not in outside:
            err(f"{cid}: seat_unit missing")
        lon, lat = c["seat_at"]
        if not (73 < lon < 136 and 3 < lat < 54) or c["seat_at_approximate"] is not True:
            err(f"{cid}: bad seat_at")
        if c["appeal"] is None:
            if cid not in ("spc", "wh-maritime"):
                err(f"{cid}: appeal missing")
        elif c["appeal"] not in by_id:
            err(f"{cid}: appeal {c['appeal']} does not exist")
        elif LEVELS.index(by_id[c["appeal"]]["level"]) <= LEVELS.index(c["level"]):
            err(f"{cid}: appeal {c['appeal']} is not a higher court")
        if c["special"] is not None and c["serves"]:
            err(f"{cid}: special courts serve no territory")
        for k in ("valid_from", "valid_to"):
            if c[k] is not None and not iso.fullmatch(c[k]):
                err(f"{cid}: bad {k}")
        if c["valid_from"] and c["valid_to"] and c["valid_from"] >= c["valid_to"]:
            err(f"{cid}: empty validity window")
        for t in c["tribunals"]:
            if set(t) - {"id", "name_zh", "name_en", "from", "to"}:
                err(f"{cid}: bad tribunal keys")
            for k in ("from", "to"):
                if k in t and not iso.fullmatch(t[k]):
                    err(f"{cid}/{t['id']}: bad {k}")
            if "from" in t and "to" in t and t["from"] >= t["to"]:
                err(f"{cid}/{t['id']}: empty window")
        if c["confidence"] == "uncertain" and not c["note"]:
            err(f"{cid}: uncertain without a note")

    # Coverage: every unit has exactly one ordinary basic court, every city one
    # intermediate court, every Shanghai district one Shanghai intermediate court.
    basic = [c for c in courts if c["id"].startswith("basic-")]
    if len(basic) != 305 or sorted(c["id"][6:] for c in basic) != sorted(units):
        err("basic-<adcode> courts do not match the 305 units")
    for prov, n in EXPECTED_UNITS.items():
        if sum(1 for c in basic if c["province"] == prov) != n:
            err(f"province {prov}: expected {n} basic courts")
    for c in basic:
        if c["serves"] != [c["id"][6:]] or c["seat_unit"] != c["id"][6:]:
            err(f"{c['id']}: serves/seat_unit must be its own unit")
    for c in basic:
        u = units[c["id"][6:]]
        want = (("sh-inter-1", "sh-inter-2") if u["province_adcode"] == "310000"
                else (f"inter-{u['city_adcode']}",))
        if c["appeal"] not in want:
            err(f"{c['id']}: appeal {c['appeal']} is not the intermediate court of its city")
    inter = [c for c in courts if c["id"].startswith("inter-")]
    for c in inter:
        if c["appeal"] != f"high-{c['province']}":
            err(f"{c['id']}: appeal {c['appeal']} is not its province's high court")
    if sorted(code for c in inter for code in c["serves"]) != sorted(cities):
        err("inter-<city> courts do not serve each city exactly once")
    sh_units = sorted(u for u, r in units.items() if r["province_adcode"] == "310000")
    if sorted(SH_INTER_1 + SH_INTER_2) != sh_units:
        err("Shanghai districts are not split exactly once between sh-inter-1 and sh-inter-2")

    if errors:
        raise SystemExit("validation failed:\n  " + "\n  ".join(errors))


# ---------------------------------------------------------------------------
# Writing (hand-rolled so the text is stable and readable)
# ---------------------------------------------------------------------------

PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9]+)*|[\u4e00-\u9fff]+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.4f}"
    if isinstance(v, str):
        if DATE.fullmatch(v) or (PLAIN.fullmatch(v) and v.lower() not in ("null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf")):
            return v
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(v)


def render(courts):
    lines = [
        "# Court registry of ecojuris: every court the routing rules may name.",
        "# GENERATED by jurisdiction-rules/tools/gen_courts.py - do not edit by hand;",
        "# change the script's tables and rerun it (see jurisdiction-rules/tools/README.md).",
        "# Inputs: geodata/source/adcodes.csv, geodata/source/counties.geojson and the",
        "# facts of legal-facts.md; source keys refer to its section 10.",
        "# Order: spc, high courts, intermediate courts, other special courts, basic courts by adcode.",
        "# seat_at is a representative point of seat_unit (lon, lat, WGS-84), not an address.",
        f"schema_version: {SCHEMA_VERSION}",
        f"revised: {REVISED}",
        "courts:",
    ]
    for c in courts:
        first = True
        for k in KEYS:
            v = c[k]
            prefix = "  - " if first else "    "
            first = False
            if k == "seat_at":
                text = "null" if v is None else "[" + ", ".join(f"{x:.4f}" for x in v) + "]"
            elif k in ("serves", "sources"):
                text = "[" + ", ".join(scalar(x) if k == "sources" else json.dumps(x) for x in v) + "]"
            elif k in ("province", "seat_unit"):
                text = "null" if v is None else json.dumps(v)
            elif k == "tribunals":
                if not v:
                    text = "[]"
                else:
                    lines.append(f"{prefix}{k}:")
                    for t in v:
                        tfirst = True
                        for tk in ("id", "name_zh", "name_en", "from", "to"):
                            if tk in t:
                                lines.append(f"{'      - ' if tfirst else '        '}{tk}: {scalar(t[tk])}")
                                tfirst = False
                    continue
            else:
                text = scalar(v)
            lines.append(f"{prefix}{k}: {text}")
    return "\n".join(lines) + "\n"


def roundtrip(text, courts):
    """Parse the output back and compare it with the records."""
    try:
        import yaml
    except ImportError:
        raise SystemExit("PyYAML is needed for the round-trip check: pip install PyYAML")

    def norm(x):
        if isinstance(x, dict):
            return {k: norm(v) for k, v in x.items()}
        if isinstance(x, list):
            return [norm(v) for v in x]
        if isinstance(x, (dt.date, dt.datetime)):
            return x.isoformat()
        if isinstance(x, float):
            return round(x, 4)
        return x

    doc = norm(yaml.safe_load(text))
    want = {"schema_version": SCHEMA_VERSION, "revised": REVISED, "courts": norm(courts)}
    if doc != want:
        for a, b in zip(doc["courts"], want["courts"]):
            if a != b:
                raise SystemExit(f"round-trip mismatch in {b['id']}:\n{a}\n{b}")
        raise SystemExit("round-trip mismatch")


def sort_key(c):
    cid = c["id"]
    if cid == "spc":
        return (0, cid)
    if c["level"] == "high":
        return (1, cid)
    if cid.startswith(("inter-", "sh-inter-")):
        return (2, cid)
    if cid.startswith("basic-"):
        return (4, cid)
    return (3, cid)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if courts.yaml differs from the generated text")
    args = ap.parse_args()
    courts = sorted(build(), key=sort_key)
    text = render(courts)
    roundtrip(text, courts)
    counts = {}
    for c in courts:
        counts[c["level"]] = counts.get(c["level"], 0) + 1
    summary = ", ".join(f"{k} {counts.get(k, 0)}" for k in LEVELS)
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(REPO)} is stale: rerun {Path(__file__).relative_to(REPO)}",
                  file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(REPO)} is up to date ({len(courts)} courts: {summary})")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(courts)} courts: {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
