"""Writes tests/address/city_town.csv: the "city + town without county" rows that
src/address/tests.rs (`city_and_town_without_the_county`) builds from geodata/source/towns.csv
(every 17th town, street or township with a known county; suffixes in turn), so that other
libraries can be scored on the same rows.  python3 tests/address/gen_city_town.py

Another sample, to check that the parser is not fitted to these rows:
    python3 tests/address/gen_city_town.py --stride 13 --offset 5 --out /some/other.csv
(then score it with `ecojuris locate --address … --format json`, see ACCURACY.md)."""

import argparse
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ap = argparse.ArgumentParser()
ap.add_argument("--stride", type=int, default=17)
ap.add_argument("--offset", type=int, default=0)
ap.add_argument("--out", type=Path, default=ROOT / "tests/address/city_town.csv")
args = ap.parse_args()
codes = {r["adcode"]: r for r in csv.DictReader((ROOT / "geodata/source/adcodes.csv").open(encoding="utf-8"))
         if r["code_system"] == "mca"}
suffixes = ["", "人民路88号", "政府", "工业园1号"]
out = []
for i, r in enumerate(csv.DictReader((ROOT / "geodata/source/towns.csv").open(encoding="utf-8"))):
    if (i - args.offset) % args.stride or not r["county_code"] or r["kind"] == "other" or r["county_code"] not in codes:
        continue
    c = codes[r["county_code"]]
    city = "上海市" if c["city_adcode"] == "310000" else codes[c["city_adcode"]]["name"]
    out.append((f"{city}{r['name']}{suffixes[len(out) % 4]}", r["county_code"], "city_town", "geodata/source/towns.csv"))
with args.out.open("w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["address", "expected", "category", "source"])
    w.writerows(out)
print(len(out))
