#!/usr/bin/env python3
"""shapely 2 baseline for the ecojuris locate benchmarks (run with the venv of venv.sh).

Two modes, one JSON line on stdout each:

  lookup POLYGONS POINTS.bin [--repeats N]
      POINTS.bin: little-endian f64 pairs (lon, lat), as written by tests/benches/locate.rs.
      Times only the lookup (STRtree bbox candidates + prepared contains_xy, vectorised:
      the fastest shapely path), median of N repeats, one thread.
  e2e POLYGONS IN.csv OUT.csv
      The whole job as a user would script it: load the polygons, read `id,lon,lat` with
      pandas, look every point up, write `id,adcode` with pandas. Wall time of the whole
      process is measured by the caller.

The point → county rule is the one a shapely user gets: the lowest-index polygon whose
prepared `contains_xy` is true (points exactly on a border may match none).
"""
import json
import sys
import time

import numpy as np
import shapely
from shapely.geometry import shape


def load(path):
    with open(path, encoding="utf-8") as fh:
        feats = json.load(fh)["features"]
    codes = np.array([f["properties"]["adcode"] for f in feats] + [""], dtype=object)
    polys = np.array([shape(f["geometry"]) for f in feats], dtype=object)
    tree = shapely.STRtree(polys)
    shapely.prepare(polys)
    return codes, polys, tree


def lookup(polys, tree, x, y):
    n = len(x)
    r = tree.query(shapely.points(x, y))
    ok = shapely.contains_xy(polys[r[1]], x[r[0]], y[r[0]])
    pt, pg = r[0][ok], r[1][ok]
    order = np.lexsort((pg, pt))
    pt, pg = pt[order], pg[order]
    first = np.ones(len(pt), bool)
    first[1:] = pt[1:] != pt[:-1]
    out = np.full(n, -1, dtype=np.int64)
    out[pt[first]] = pg[first]
    return out


def main():
    mode = sys.argv[1]
    if mode == "lookup":
        polygons, points = sys.argv[2], sys.argv[3]
        repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
        t0 = time.perf_counter()
        codes, polys, tree = load(polygons)
        load_s = time.perf_counter() - t0
        xy = np.fromfile(points, dtype="<f8").reshape(-1, 2)
        x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
        runs, cpu = [], []
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.thread_time()
            res = lookup(polys, tree, x, y)
            runs.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
        lk = sorted(runs)[len(runs) // 2]
        lc = sorted(cpu)[len(cpu) // 2]
        print(json.dumps({"tool": "shapely-bbox-prep", "shapely": shapely.__version__,
                          "geos": shapely.geos_version_string, "n": len(x), "load_s": round(load_s, 4),
                          "lookup_s": round(lk, 4), "runs": [round(r, 4) for r in runs],
                          "points_per_s": int(len(x) / lk),
                          "lookup_cpu_s": round(lc, 4), "points_per_cpu_s": int(len(x) / lc), "matched": int((res >= 0).sum())}))
    elif mode == "e2e":
        import pandas as pd
        polygons, src, dst = sys.argv[2], sys.argv[3], sys.argv[4]
        codes, polys, tree = load(polygons)
        df = pd.read_csv(src, usecols=["id", "lon", "lat"], dtype={"id": str})
        res = lookup(polys, tree, df["lon"].to_numpy(), df["lat"].to_numpy())
        pd.DataFrame({"id": df["id"], "adcode": codes[res]}).to_csv(dst, index=False)
        print(json.dumps({"tool": "shapely-e2e", "n": len(df), "matched": int((res >= 0).sum())}))
    else:
        sys.exit(f"unknown mode {mode!r}: expected lookup or e2e")


if __name__ == "__main__":
    main()
