"""crs84_geojson: the same GeoJSON the per-call `transform(4326)` gave, from a reused transformation."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSException, MultiPolygon, Polygon

from gis_service.geo.geojson import crs84_geojson
from tests.conftest import rd_square


def test_the_same_coordinates_as_transforming_each_geometry_afresh() -> None:
    for x, y, size in ((120000, 486000, 10), (13000.5, 371000.25, 333.3), (268000, 612000, 0.7)):
        square = rd_square(x, y, size)
        assert crs84_geojson(square) == json.loads(square.transform(4326, clone=True).json)
        lon, lat = crs84_geojson(square)["coordinates"][0][0][0]
        assert 3 < lon < 8 and 50 < lat < 54  # lon/lat, in the Netherlands


def test_the_geometry_itself_is_left_in_its_own_crs() -> None:
    square = rd_square(120000, 486000, 10)
    crs84_geojson(square)
    assert square.srid == 28992 and square.coords[0][0][0] == (120000, 486000)


def test_each_thread_gets_the_same_answer() -> None:
    square = rd_square(120000, 486000, 10)
    answers: list[dict[str, Any]] = []
    threads = [threading.Thread(target=lambda: answers.append(crs84_geojson(square))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [crs84_geojson(square)] * 4


def test_a_geometry_without_srid_is_refused() -> None:
    with pytest.raises(GEOSException):
        crs84_geojson(MultiPolygon(Polygon(((0, 0), (1, 0), (1, 1), (0, 0)))))
