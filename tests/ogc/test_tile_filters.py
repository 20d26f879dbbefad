"""Tiles filtered on type, owner and status at every zoom say what the rows say; the cells per
status, type and owner (ogc/sql/location_summary.sql) follow every change of the locations."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from gis_service.locations.models import Location
from ogc.tiles import TILE_MATRIX_SETS
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient
from tests.ogc.test_tiles import FEED_A, TO_MERCATOR, features, tile_of

MERCATOR = TILE_MATRIX_SETS["WebMercatorQuad"]
FILTERS: list[dict[str, str]] = [
    {},
    {"type": "haag"},
    {"type": "gras"},
    {"owner": "Gemeente Aadorp"},
    {"owner": "Woonstichting Bebouw"},
    {"type": "haag", "owner": "Gemeente Aadorp"},
    {"type": "gras", "status": "niet beschikbaar"},
    {"owner": "Gemeente Aadorp", "status": "in beheer"},
    {"type": "gras", "owner": "Gemeente Aadorp", "status": "in beheer"},
]


def matches(location: Location, filters: dict[str, str]) -> bool:
    published = {
        "type": location.type,
        "owner": location.owner.name,
        "status": location.status.replace("_", " "),  # the published label: in_beheer is "in beheer"
    }
    return all(published[name] == value for name, value in filters.items())


def rows_per_cell(level: int, row: int, col: int, filters: dict[str, str]) -> Counter[tuple[int, int]]:
    """The current locations meeting `filters` per 8-pixel cell of the tile, by the centres of their boxes."""
    minx, miny, maxx, _ = MERCATOR.bounds(level, row, col)
    cell = (maxx - minx) / 32
    counts: Counter[tuple[int, int]] = Counter()
    for location in Location.objects.filter(withdrawn_at=None).select_related("owner"):
        if not matches(location, filters):
            continue
        west, south, east, north = location.geometry.extent
        x, y = TO_MERCATOR.transform((west + east) / 2, (south + north) / 2)
        i, j = math.floor((x - minx) / cell), math.floor((y - miny) / cell)
        if 0 <= i < 32 and 0 <= j < 32:
            counts[(i, j)] += 1
    return counts


def tile_per_cell(found: list[dict[str, Any]]) -> Counter[tuple[int, int]]:
    """A tile's cells by their place (the decoder's y counts up from the tile's bottom)."""
    counts: Counter[tuple[int, int]] = Counter()
    for feature in found:
        x, y = feature["geometry"]["coordinates"]
        counts[(int(x // 128), int(y // 128))] += feature["properties"]["count"]
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("level", [6, 9, 12])  # kept cells of 3200, 800 and 50 m
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_a_generalised_tile_counts_per_cell_what_the_rows_say(
    ogc: OgcClient, feed: Feed, level: int, filters: dict[str, str]
) -> None:
    shown = 0
    for rd in (FEED_A, (150200.0, 480200.0)):  # owner A's grid and owner B's locations, 10 km away
        row, col = tile_of(MERCATOR, level, rd)
        url = f"/collections/locations/tiles/WebMercatorQuad/{level}/{row}/{col}"
        found = features(ogc.get(url, filters), "locations")
        assert tile_per_cell(found) == rows_per_cell(level, row, col, filters), (rd, filters)
        shown += sum(found_cell["properties"]["count"] for found_cell in found)
    assert shown > 0 or "status" in filters  # every type and owner is there


@pytest.mark.django_db
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_a_detailed_tile_holds_exactly_the_shapes_that_meet_the_filters(
    ogc: OgcClient, feed: Feed, filters: dict[str, str]
) -> None:
    url = "/collections/locations/tiles/WebMercatorQuad/15/{}/{}".format(*tile_of(MERCATOR, 15, FEED_A))
    every = {f["id"]: f["properties"] for f in features(ogc.get(url), "locations")}
    expected = {pk for pk, properties in every.items() if all(properties[k] == v for k, v in filters.items())}
    assert {f["id"] for f in features(ogc.get(url, filters), "locations")} == expected


def kept_cells() -> dict[tuple[Any, ...], tuple[int, float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT size, gx, gy, status, type, owner_id, n, sx, sy FROM ogc_location_kind_cell WHERE n <> 0"
        )
        return {tuple(r[:6]): (r[6], r[7], r[8]) for r in cursor.fetchall()}


def cells_from_the_rows() -> dict[tuple[Any, ...], tuple[int, float, float]]:
    """The cells as the migration counts them from the current locations."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.size, floor(x / s.size)::int, floor(y / s.size)::int, status, type, owner_id,
                      count(*), sum(x), sum(y)
               FROM (SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y,
                            status, type, owner_id
                     FROM (SELECT geometry::box2d AS b, status, type, owner_id FROM locations_location
                           WHERE withdrawn_at IS NULL) AS q) AS r
               CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
               GROUP BY 1, 2, 3, 4, 5, 6"""
        )
        return {tuple(r[:6]): (r[6], r[7], r[8]) for r in cursor.fetchall()}


def assert_exact() -> None:
    kept, counted = kept_cells(), cells_from_the_rows()
    assert kept.keys() == counted.keys()
    for key, (n, sx, sy) in counted.items():
        assert kept[key][0] == n, key
        assert kept[key][1:] == pytest.approx((sx, sy), abs=1e-3), key


@pytest.mark.django_db
def test_the_cells_per_type_and_owner_follow_every_change_of_the_locations(feed: Feed) -> None:
    assert_exact()
    assert sum(n for (size, *_), (n, _, _) in kept_cells().items() if size == 3200) == 30
    added = Location.objects.create(
        owner=feed.owner_a, name="Nieuw", type="haag", geometry=rd_square(233000, 582000, 10)
    )
    assert_exact()
    Location.objects.filter(pk=added.pk).update(type="gras")  # a type change moves it between cells
    assert_exact()
    Location.objects.filter(pk=added.pk).update(owner=feed.owner_b)  # and an owner change
    assert_exact()
    Location.objects.filter(owner=feed.owner_a).update(type="bloemperk")  # many rows in one statement
    assert_exact()
    Location.objects.filter(pk=feed.locations_a[3].pk).update(geometry=rd_square(150000, 480000, 5))  # moved
    assert_exact()
    Location.objects.filter(pk=feed.locations_b[1].pk).update(withdrawn_at="2026-02-01T00:00:00Z")
    Location.objects.filter(pk=feed.withdrawn.pk).update(withdrawn_at=None)  # back again
    assert_exact()
    Location.objects.filter(owner=feed.owner_b).update(name="Hernoemd")  # changes no cell
    feed.locations_b[0].delete()
    Location.objects.filter(pk=added.pk).delete()
    assert_exact()
    assert sum(n for (size, *_), (n, _, _) in kept_cells().items() if size == 3200) == 29
