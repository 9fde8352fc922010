"""Compare a rebuilt geodata directory with geodata/source and print a verdict per file.

    python compare.py OUT_DIR [REFERENCE_DIR]     (reference defaults to ../source)

GeoJSON: features are matched by id; a feature differs if its properties or geometry differ.
Geometries with the same vertices in the same cyclic order but another start vertex are
reported as such (an offset of 0 m). For other differing geometries it prints the area of both, the area of the symmetric difference
(geodesic, WGS-84) and the Hausdorff distance (the largest offset of any vertex or edge from
the other geometry), in metres. CSV: rows are compared in order, per column.
Exit status 0 even when files differ: this is a report, not a test.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import shape

GEOD = Geod(ellps="WGS84")


def km2(g) -> float:
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 if not g.is_empty else 0.0


def hausdorff_m(a, b) -> float:
    c = a.centroid
    t = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m", always_xy=True)
    f = lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    return shapely.hausdorff_distance(shapely.transform(a, f), shapely.transform(b, f))


def compare_geojson(new: Path, ref: Path) -> None:
    a, b = json.loads(new.read_text(encoding="utf-8")), json.loads(ref.read_text(encoding="utf-8"))
    fa = {f["id"]: f for f in a["features"]}
    fb = {f["id"]: f for f in b["features"]}
    only_new, only_ref = sorted(set(fa) - set(fb)), sorted(set(fb) - set(fa))
    head = [k for k in set(a) | set(b) if k != "features" and a.get(k) != b.get(k)]
    differing, worst = [], 0.0
    for fid in [i for i in fb if i in fa]:
        x, y = fa[fid], fb[fid]
        props = sorted(k for k in set(x["properties"]) | set(y["properties"])
                       if x["properties"].get(k) != y["properties"].get(k))
        same_geom = x["geometry"] == y["geometry"]
        if same_geom and not props:
            continue
        line = f"    {fid}: "
        if props:
            line += "properties differ: " + ", ".join(
                f"{k} {x['properties'].get(k)!r} vs {y['properties'].get(k)!r}"
                if not isinstance(y["properties"].get(k), (dict, list)) else k
                for k in props) + "; "
        if not same_geom:
            ga, gb = shape(x["geometry"]), shape(y["geometry"])
            if shapely.equals_exact(shapely.normalize(ga), shapely.normalize(gb), 0):
                differing.append(line + "same shape and vertices, only the ring start vertex differs")
                continue
            h = hausdorff_m(ga, gb)
            worst = max(worst, h)
            sd = km2(ga.symmetric_difference(gb))
            line += (f"geometry: area {km2(ga):.1f} vs {km2(gb):.1f} km2, symmetric difference "
                     f"{sd:.2f} km2 ({100 * sd / max(km2(gb), 1e-9):.2f} %), max vertex offset {h:.0f} m, "
                     f"vertices {len(shapely.get_coordinates(ga))} vs {len(shapely.get_coordinates(gb))}")
        differing.append(line)
    if not differing and not only_new and not only_ref and not head:
        verdict = "identical content" + (" (byte-identical)" if new.read_bytes() == ref.read_bytes() else "")
        print(f"{ref.name}: {verdict}, {len(fb)} features")
        return
    print(f"{ref.name}: {len(differing)} of {len(fb)} features differ"
          + (f", max vertex offset {worst:.0f} m" if worst else "")
          + (f"; only in rebuild: {only_new}" if only_new else "")
          + (f"; only in reference: {only_ref}" if only_ref else "")
          + (f"; header keys differ: {head}" if head else ""))
    for line in differing:
        print(line)


def compare_csv(new: Path, ref: Path) -> None:
    with open(new, newline="", encoding="utf-8") as f:
        a = list(csv.reader(f))
    with open(ref, newline="", encoding="utf-8") as f:
        b = list(csv.reader(f))
    if a == b:
        print(f"{ref.name}: identical content" + (" (byte-identical)" if new.read_bytes() == ref.read_bytes() else "")
              + f", {len(b) - 1} rows")
        return
    cols_a, cols_b = a[0], b[0]
    common = [c for c in cols_b if c in cols_a]
    ia, ib = [cols_a.index(c) for c in common], [cols_b.index(c) for c in common]
    diff = [i for i, (x, y) in enumerate(zip(a[1:], b[1:]), 2) if [x[j] for j in ia] != [y[j] for j in ib]]
    print(f"{ref.name}: differs: {len(a) - 1} vs {len(b) - 1} rows; columns only in rebuild "
          f"{[c for c in cols_a if c not in cols_b]}, only in reference {[c for c in cols_b if c not in cols_a]}; "
          f"{len(diff)} of the first {min(len(a), len(b)) - 1} rows differ in common columns"
          + (f" (first at line {diff[0]})" if diff else ""))


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    ref = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "source"
    for name in ("counties.geojson", "features.geojson", "adcodes.csv"):
        if not (out / name).exists():
            print(f"{name}: missing from {out}")
        elif name.endswith(".csv"):
            compare_csv(out / name, ref / name)
        else:
            compare_geojson(out / name, ref / name)


if __name__ == "__main__":
    main()
