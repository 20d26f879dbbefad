"""Geometries as GeoJSON in CRS84 (lon/lat), as GeoJSON clients and Leaflet expect them."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry

from gis_service.geo.transforms import cached_transform


def crs84_geojson(geometry: GEOSGeometry) -> dict[str, Any]:
    """`geometry` as a GeoJSON geometry object in CRS84, at full precision."""
    if geometry.srid is None:
        raise GEOSException("A geometry without an SRID cannot be reprojected to CRS84.")
    return dict(json.loads(geometry.transform(cached_transform(geometry.srid, 4326), clone=True).json))
