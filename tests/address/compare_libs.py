"""Precision and recall of jionlp and cpca on labelled address rows (address, expected, ...):
`expected` is a 6-digit county-level code, `ambiguous` or `none`. A library "resolves" a row
when it names a county-level unit; its answer is mapped to a code through the library's own
code output (cpca `adcode`) or, for jionlp, through the county name and its city/province
against geodata/source/adcodes.csv. Prints one Markdown table per file."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_codes():
    by_name = defaultdict(list)
    city_name = {}
    for r in csv.DictReader((ROOT / "geodata/source/adcodes.csv").open(encoding="utf-8")):
        if r["code_system"] != "mca":
            continue
        if r["level"] in ("province", "prefecture_city"):
            city_name[r["adcode"]] = r["name"]
        elif len(r["adcode"]) == 6:
            by_name[r["name"]].append(r)
    return by_name, city_name


def jionlp_unit(jio, codes, text):
    by_name, city_name = codes
    try:
        r = jio.parse_location(text, town_village=False)
    except Exception:  # the library raises on some inputs
        return None
    county = r.get("county")
    if not county:
        return None
    cands = by_name.get(county, [])
    if len(cands) > 1 and r.get("city"):
        cands = [c for c in cands if city_name.get(c["city_adcode"]) == r["city"]]
    return cands[0]["adcode"] if len(cands) == 1 else None


def cpca_unit(cpca, text):
    try:
        df = cpca.transform([text])
    except Exception:
        return None
    code = str(df.iloc[0].get("adcode") or "")
    if len(code) >= 6 and code[4:6] != "00":
        return code[:6]
    return None


def score(rows, unit_of):
    by = defaultdict(lambda: [0, 0, 0, 0])
    for addr, want, cat in rows:
        got = unit_of(addr)
        for k in (cat, "all"):
            c = by[k]
            c[0] += 1
            if len(want) == 6:
                c[3] += 1
            if got:
                c[1] += 1
                c[2] += got == want
    return by


def main():
    import cpca
    import jionlp as jio

    codes = load_codes()
    for path in sys.argv[1:]:
        p = Path(path)
        if not p.exists():
            continue
        rows = [(r[0], r[1], r[2]) for r in list(csv.reader(p.open(encoding="utf-8")))[1:]]
        print(f"\n### {p.name} ({len(rows)} rows)\n")
        print("| library | category | rows | precision | recall |")
        print("|---|---|---:|---:|---:|")
        for lib, f in (("jionlp", lambda t: jionlp_unit(jio, codes, t)), ("cpca", lambda t: cpca_unit(cpca, t))):
            for cat, c in sorted(score(rows, f).items()):
                prec = c[2] / c[1] if c[1] else 1.0
                rec = c[2] / c[3] if c[3] else 1.0
                print(f"| {lib} | {cat} | {c[0]} | {prec:.3f} ({c[2]}/{c[1]}) | {rec:.3f} ({c[2]}/{c[3]}) |")


if __name__ == "__main__":
    main()
