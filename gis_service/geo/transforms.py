"""Coordinate transformations, built once per thread and pair of reference systems."""

from __future__ import annotations

import threading

from django.contrib.gis.gdal import CoordTransform, SpatialReference

_per_thread = threading.local()


def cached_transform(source_srid: int, target_srid: int) -> CoordTransform:
    """The transformation from one SRID to another.

    Building one costs ~7 ms (PROJ looks both systems up in its database), using one ~0.1 ms, and
    lists and the dashboard transform once per row. GDAL's transformation objects are not
    thread-safe, so each thread keeps its own.
    """
    cache: dict[tuple[int, int], CoordTransform] = _per_thread.__dict__.setdefault("transforms", {})
    pair = (source_srid, target_srid)
    if pair not in cache:
        cache[pair] = CoordTransform(SpatialReference(source_srid), SpatialReference(target_srid))
    return cache[pair]
