"""Geometries as GeoJSON in CRS84 (lon/lat), as GeoJSON clients and Leaflet expect them."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSException, GEOSGeometry

_per_thread = threading.local()


def _to_wgs84(srid: int) -> CoordTransform:
    # Building a transformation costs ~7 ms (PROJ looks both systems up); using one ~0.1 ms, and
    # lists and the dashboard transform once per row. GDAL's transformations are not thread-safe,
    # so each thread keeps its own.
    cache: dict[int, CoordTransform] = _per_thread.__dict__.setdefault("to_wgs84", {})
    if srid not in cache:
        cache[srid] = CoordTransform(SpatialReference(srid), SpatialReference(4326))
    return cache[srid]


def crs84_geojson(geometry: GEOSGeometry) -> dict[str, Any]:
    """`geometry` as a GeoJSON geometry object in CRS84, at full precision."""
    if geometry.srid is None:
        raise GEOSException("A geometry without an SRID cannot be reprojected to CRS84.")
    return dict(json.loads(geometry.transform(_to_wgs84(geometry.srid), clone=True).json))
