#!/usr/bin/env python3
"""Generates benchmark points `id,lon,lat` (7 decimals, fixed seed) over the county polygons.

  gen_points.py POLYGONS N OUT.csv {mix,bbox} [SEED]

bbox: uniform in the bounding box of the county vertices (about half fall in no county: at sea
      or in a neighbouring province). mix: 90 % uniform in the union of the counties
      (rejection sampling with shapely) and 10 % uniform in the bounding box, shuffled, so
      about 95 % fall in a county, as in case data. Run with the venv of venv.sh.
"""
import json
import sys

import numpy as np
import shapely
from shapely.geometry import shape


def main():
    polygons, n, out, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 20261201
    with open(polygons, encoding="utf-8") as fh:
        polys = np.array([shape(f["geometry"]) for f in json.load(fh)["features"]], dtype=object)
    x0, y0, x1, y1 = shapely.total_bounds(polys)
    rng = np.random.default_rng(seed)
    if mode == "bbox":
        x, y = rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)
    elif mode == "mix":
        tree = shapely.STRtree(polys)
        shapely.prepare(polys)
        want = int(n * 0.9)
        xs, ys = [], []
        got = 0
        while got < want:
            cx, cy = rng.uniform(x0, x1, 2 * want), rng.uniform(y0, y1, 2 * want)
            r = tree.query(shapely.points(cx, cy))
            ok = shapely.contains_xy(polys[r[1]], cx[r[0]], cy[r[0]])
            inside = np.zeros(len(cx), bool)
            inside[r[0][ok]] = True
            xs.append(cx[inside]); ys.append(cy[inside])
            got += int(inside.sum())
        x = np.concatenate([np.concatenate(xs)[:want], rng.uniform(x0, x1, n - want)])
        y = np.concatenate([np.concatenate(ys)[:want], rng.uniform(y0, y1, n - want)])
        perm = rng.permutation(n)
        x, y = x[perm], y[perm]
    else:
        sys.exit(f"unknown mode {mode!r}")
    with open(out, "w") as fh:
        fh.write("id,lon,lat\n")
        fh.writelines(f"{i},{a:.7f},{b:.7f}\n" for i, (a, b) in enumerate(zip(x.tolist(), y.tolist()), 1))
    print(f"{out}: {n} points ({mode}) in {x0:.3f},{y0:.3f},{x1:.3f},{y1:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
