"""OGC API – Tiles: vector tiles of the feed's collections, read back with a real MVT decoder."""

from __future__ import annotations

from typing import Any

import mapbox_vector_tile
import pyproj
import pytest

from gis_service.accounts.models import Membership, User
from gis_service.contracts.models import Offering
from gis_service.locations.models import Location
from ogc.tiles import SEARCH_CANDIDATES, TILE_MATRIX_SETS, TileMatrixSet
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient, add_workflow

MVT = "application/vnd.mapbox-vector-tile"
TO_MERCATOR = pyproj.Transformer.from_crs(28992, 3857, always_xy=True)
# Near the feed's locations of owner A (tests/ogc/conftest.py): a grid from (140000, 470000) RD
FEED_A = (140200.0, 470200.0)


def tile_of(tms: TileMatrixSet, level: int, rd: tuple[float, float]) -> tuple[int, int]:
    """(row, col) of the tile holding an RD point."""
    x, y = rd if tms.srid == 28992 else TO_MERCATOR.transform(*rd)
    span = tms.tile_span(level)
    return int((tms.origin[1] - y) // span), int((x - tms.origin[0]) // span)


def tile_url(collection: str, tms_id: str, level: int, rd: tuple[float, float]) -> str:
    row, col = tile_of(TILE_MATRIX_SETS[tms_id], level, rd)
    return f"/collections/{collection}/tiles/{tms_id}/{level}/{row}/{col}"


def features(response: Any, layer: str) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == MVT
    decoded = mapbox_vector_tile.decode(response.content)
    return decoded[layer]["features"] if layer in decoded else []


@pytest.mark.django_db
def test_a_town_tile_carries_every_current_location_in_it_with_public_properties(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(tile_url("locations", "WebMercatorQuad", 15, FEED_A), {"f": "mvt"})
    found = {f["id"]: f for f in features(response, "locations")}
    # The 25 locations of owner A lie 100 m apart in a 500 × 500 m grid: one level-15 tile (1.2 km) holds them
    # unless the grid straddles a border; the withdrawn one is never there.
    assert feed.withdrawn.pk not in found
    assert set(found) <= {location.pk for location in feed.current}
    assert len(found) >= 4
    shown = Location.objects.get(pk=next(iter(found)))
    properties = found[shown.pk]["properties"]
    assert set(properties) == {"name", "type", "status", "owner", "area_m2"}
    assert properties["name"] == shown.name and properties["owner"] == "Gemeente Aadorp"
    assert properties["status"] in {"beschikbaar", "in beheer", "aangevraagd", "niet beschikbaar"}
    assert found[shown.pk]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


@pytest.mark.django_db
def test_an_rd_tile_puts_each_shape_where_it_lies_in_rd(ogc: OgcClient, feed: Feed) -> None:
    tms = TILE_MATRIX_SETS["NetherlandsRDNewQuad"]
    location = feed.locations_a[12]  # at (140200.123, 470200.456), 22 m square
    level = 11  # 1.68 m pixels, 430 m tiles
    minx, miny, maxx, maxy = location.geometry.extent
    row, col = tile_of(tms, level, ((minx + maxx) / 2, (miny + maxy) / 2))
    response = ogc.get(f"/collections/locations/tiles/NetherlandsRDNewQuad/{level}/{row}/{col}")
    shape = next(f for f in features(response, "locations") if f["id"] == location.pk)
    tminx, tminy, tmaxx, _ = tms.bounds(level, row, col)
    units = 4096 / (tmaxx - tminx)
    ring = shape["geometry"]["coordinates"][0]
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]  # the decoder gives y up, from the tile's bottom
    assert min(xs) == pytest.approx((minx - tminx) * units, abs=1)
    assert max(ys) == pytest.approx((maxy - tminy) * units, abs=1)


@pytest.mark.django_db
def test_at_national_zoom_a_tile_gathers_locations_in_counted_cells(ogc: OgcClient, feed: Feed) -> None:
    counted = 0
    for level in (5, 6):  # 4.9 km and 2.4 km pixels: the whole feed falls in one or two tiles
        tms = TILE_MATRIX_SETS["WebMercatorQuad"]
        tiles = {tile_of(tms, level, (x, y)) for x in (139990, 150400) for y in (469990, 480400)}
        counted = 0
        for row, col in tiles:
            response = ogc.get(f"/collections/locations/tiles/WebMercatorQuad/{level}/{row}/{col}")
            cells = features(response, "locations")
            assert all(cell["geometry"]["type"] == "Point" for cell in cells)
            assert all(set(cell["properties"]) == {"count", "status"} for cell in cells)
            counted += sum(cell["properties"]["count"] for cell in cells)
        assert counted == len(feed.current), level  # each location in exactly one cell of one tile


def national_counts(ogc: OgcClient, level: int = 6) -> dict[str, int]:
    """Locations in the cells of the national-zoom tiles over the feed, by each cell's status."""
    tms = TILE_MATRIX_SETS["WebMercatorQuad"]
    tiles = {tile_of(tms, level, (x, y)) for x in (139990, 150400) for y in (469990, 480400)}
    counts: dict[str, int] = {}
    for row, col in tiles:
        for cell in features(ogc.get(f"/collections/locations/tiles/WebMercatorQuad/{level}/{row}/{col}"), "locations"):
            status = cell["properties"]["status"]
            counts[status] = counts.get(status, 0) + cell["properties"]["count"]
    return counts


@pytest.mark.django_db
def test_the_national_cells_follow_every_change_of_the_locations(ogc: OgcClient, feed: Feed) -> None:
    """The cells are counted by triggers (ogc/sql/location_cells.sql): inserts, updates, withdrawals, deletes."""
    assert sum(national_counts(ogc).values()) == 30
    feed.locations_b[0].delete()
    Location.objects.filter(pk=feed.locations_b[1].pk).update(withdrawn_at="2026-02-01T00:00:00Z")
    Location.objects.filter(pk=feed.withdrawn.pk).update(withdrawn_at=None)  # back again
    Location.objects.filter(owner=feed.owner_b).update(name="Hernoemd")  # changes no cell
    assert sum(national_counts(ogc).values()) == 29
    # Far away (Groningen): a cell of its own; gone again when it is withdrawn
    far = Location.objects.create(owner=feed.owner_a, name="Ver weg", geometry=rd_square(233000, 582000, 10))
    row, col = tile_of(TILE_MATRIX_SETS["WebMercatorQuad"], 6, (233005, 582005))
    groningen = f"/collections/locations/tiles/WebMercatorQuad/6/{row}/{col}"
    assert [c["properties"]["count"] for c in features(ogc.get(groningen), "locations")] == [1]
    Location.objects.filter(pk=far.pk).update(withdrawn_at="2026-02-01T00:00:00Z")
    assert features(ogc.get(groningen), "locations") == []
    # A status change moves it between the counts of a cell: offered, it is beschikbaar
    Location.objects.filter(pk=far.pk).update(withdrawn_at=None)
    Offering.objects.create(location=far, conditions="Geen gif.")
    assert [c["properties"] for c in features(ogc.get(groningen), "locations")] == [
        {"count": 1, "status": "beschikbaar"}
    ]
    # A cell shows its most common status: near Hilversum, 25 niet beschikbaar and 4 in beheer
    assert national_counts(ogc) == {"niet beschikbaar": 29}


@pytest.mark.django_db
@pytest.mark.parametrize("level", [16, 12, 6])  # shapes, cells from the rows, cells from the kept counts
def test_tiles_select_on_type_status_and_owner(ogc: OgcClient, feed: Feed, level: int) -> None:
    def shown(**filters: str) -> int:
        url = tile_url("locations", "WebMercatorQuad", level, FEED_A)
        found = features(ogc.get(url, filters), "locations")
        return sum(f["properties"].get("count", 1) for f in found)

    everything = shown()
    assert everything > 0
    haag = [loc for loc in feed.locations_a if loc.type == "haag"]  # types go round by 5: 5 hagen
    assert 0 < shown(type="haag") < everything and shown(type="haag") <= len(haag)
    assert shown(status="in beheer") + shown(status="niet beschikbaar") == everything
    assert shown(status="in beheer") <= len(feed.contracts)
    assert shown(owner="Gemeente Aadorp") + shown(owner="Woonstichting Bebouw") == everything
    assert shown(owner="Woonstichting Bebouw") == (5 if level == 6 else 0)  # 10 km away: in view at level 6
    assert shown(type="haag", owner="Woonstichting Bebouw") == 0


@pytest.mark.django_db
@pytest.mark.parametrize("level", [16, 12, 6])
def test_q_searches_names_and_types_of_locations(ogc: OgcClient, feed: Feed, level: int) -> None:
    url = tile_url("locations", "WebMercatorQuad", level, FEED_A)

    def shown(q: str) -> int:
        return sum(f["properties"].get("count", 1) for f in features(ogc.get(url, {"q": q}), "locations"))

    everything = sum(f["properties"].get("count", 1) for f in features(ogc.get(url), "locations"))
    hagen = shown("HAAG")  # type, any case
    assert 0 < hagen < everything
    assert shown("soen 0") <= 10 and shown("soen 0") > 0  # Plantsoen 00–09, those in the tile
    assert shown("50%") == 0 and shown("Plantsoen_0") == 0  # % and _ are text, not wildcards
    assert ogc.get(tile_url("contracts", "WebMercatorQuad", level, FEED_A), {"q": "x"}).status_code == 400


@pytest.mark.django_db
def test_q_finds_the_same_on_a_tile_with_more_rows_under_it_than_a_search_gathers(ogc: OgcClient, feed: Feed) -> None:
    """Up to SEARCH_CANDIDATES rows under a tile are read by the GiST and tested one by one; past
    that, the trigram index finds the matches. Both ways answer alike."""
    level = 12
    url = tile_url("locations", "WebMercatorQuad", level, FEED_A)

    def shown(q: str) -> int:
        return sum(f["properties"].get("count", 1) for f in features(ogc.get(url, {"q": q}), "locations"))

    hagen_before, plantsoen_before = shown("HAAG"), shown("soen 0")
    side = 72  # 72 × 72 > SEARCH_CANDIDATES, 4 m apart beside the feed's grid, in the same tile
    corner = (FEED_A[0] + 600, FEED_A[1])
    far = (corner[0] + 4 * side, corner[1] + 4 * side)
    tms = TILE_MATRIX_SETS["WebMercatorQuad"]
    assert tile_of(tms, level, corner) == tile_of(tms, level, far) == tile_of(tms, level, FEED_A)
    assert side * side > SEARCH_CANDIDATES
    Location.objects.bulk_create(
        Location(
            owner=feed.owner_a,
            name=f"Berm {i:04}",
            type="haag" if i % 50 == 0 else "gras",
            geometry=rd_square(corner[0] + 4 * (i % side), corner[1] + 4 * (i // side), 2),
        )
        for i in range(side * side)
    )
    assert shown("HAAG") == hagen_before + len(range(0, side * side, 50))
    assert shown("soen 0") == plantsoen_before
    assert shown("Berm 1234") == 1 and shown("berm 12%") == 0


@pytest.mark.django_db
def test_tiles_of_contracts_and_initiatives_hold_only_public_rows(ogc: OgcClient, feed: Feed, resident: User) -> None:
    contract, initiative = add_workflow(feed, resident)
    url = tile_url("contracts", "WebMercatorQuad", 15, FEED_A)
    contracts = {f["id"]: f["properties"] for f in features(ogc.get(url), "contracts")}
    assert contract.pk in contracts and contracts[contract.pk]["status"] == "actief"
    # MVT leaves out empty values: a contract that runs on has no ends_on
    assert set(contracts[contract.pk]) == {"status", "starts_on", "location_id"} | (
        {"ends_on"} if contract.ends_on else set()
    )
    initiatives = features(ogc.get(tile_url("initiatives", "WebMercatorQuad", 15, FEED_A)), "initiatives")
    assert [f["id"] for f in initiatives] == [initiative.pk]
    initiative.status = initiative.Status.REJECTED
    initiative.save()
    assert features(ogc.get(tile_url("initiatives", "WebMercatorQuad", 15, FEED_A)), "initiatives") == []


SECRETS = ["Zwanette", "Quirijnsma", "zwanette.q@geheim.example", "0699887766", "xandrijn@geheim.example"]


@pytest.mark.django_db
def test_no_personal_data_in_any_tile(ogc: OgcClient, feed: Feed) -> None:
    resident = User.objects.create_user(
        username="zwanette", first_name="Zwanette", last_name="Quirijnsma",
        email="zwanette.q@geheim.example", phone="0699887766", password="x-" * 8,
    )  # fmt: skip
    regisseur = User.objects.create_user(username="xandrijn", email="xandrijn@geheim.example", phone="0611223344")
    Membership.objects.create(user=regisseur, owner=feed.owner_a, role=Membership.Role.REGISSEUR)
    add_workflow(feed, resident)
    location = feed.locations_a[0]
    location.attributes = {"beheerder": "Zwanette Quirijnsma", "telefoon": "0699887766"}
    location.save()
    bodies = []
    seen = 0
    for collection in ("locations", "contracts", "initiatives"):
        for tms_id, levels in (("WebMercatorQuad", (6, 12, 15, 17)), ("NetherlandsRDNewQuad", (2, 8, 11))):
            for level in levels:
                response = ogc.get(tile_url(collection, tms_id, level, FEED_A))
                seen += len(features(response, collection))
                bodies.append(response.content)
    assert seen > 0
    blob = b"\n".join(bodies)
    assert b"Plantsoen 00" in blob  # the walk reached named locations
    for secret in SECRETS:
        assert secret.encode() not in blob, f"{secret} is in a tile"


@pytest.mark.django_db
def test_the_etag_changes_when_a_location_in_the_tile_changes(ogc: OgcClient, feed: Feed) -> None:
    url = tile_url("locations", "WebMercatorQuad", 16, FEED_A)
    first = ogc.get(url)
    assert first.status_code == 200 and first["Cache-Control"].startswith("public, max-age=")
    etag = first["ETag"]
    assert ogc.get(url, **{"If-None-Match": etag}).status_code == 304

    shown = next(f["id"] for f in features(first, "locations"))
    Location.objects.filter(pk=shown).update(name="Nieuwe naam")
    second = ogc.get(url, **{"If-None-Match": etag})
    assert second.status_code == 200 and second["ETag"] != etag
    assert {f["properties"]["name"] for f in features(second, "locations") if f["id"] == shown} == {"Nieuwe naam"}


@pytest.mark.django_db
def test_the_tilesets_are_described_as_ogc_api_tiles_asks(ogc: OgcClient, feed: Feed) -> None:
    matrix_sets = ogc.json("/tileMatrixSets")
    assert {t["id"] for t in matrix_sets["tileMatrixSets"]} == {"WebMercatorQuad", "NetherlandsRDNewQuad"}
    rd = ogc.json("/tileMatrixSets/NetherlandsRDNewQuad")
    assert rd["crs"].endswith("/EPSG/0/28992") and rd["tileMatrices"][0]["cellSize"] == 3440.64
    assert rd["tileMatrices"][0]["pointOfOrigin"] == [-285401.92, 903401.92]
    conformance = ogc.json("/conformance")["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conformance
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset" in conformance
    # The OpenAPI document describes every tile resource (tests/ogc/test_openapi.py), so the class is claimed.
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30" in conformance

    collection = ogc.json("/collections/locations")
    tiles_link = next(link for link in collection["links"] if link["rel"].endswith("/tilesets-vector"))
    tilesets = ogc.follow(tiles_link["href"])
    assert {t["tileMatrixSetURI"].rsplit("/", 1)[-1] for t in tilesets["tilesets"]} == set(TILE_MATRIX_SETS)
    tileset = ogc.follow(next(link["href"] for link in tilesets["tilesets"][0]["links"] if link["rel"] == "self"))
    template = next(link for link in tileset["links"] if link["rel"] == "item")
    assert template["type"] == MVT and template["templated"] is True
    assert template["href"].endswith("/{tileMatrix}/{tileRow}/{tileCol}?f=mvt")
    assert tileset["layers"][0]["id"] == "locations"
    assert set(tileset["layers"][0]["propertiesSchema"]["properties"]) >= {"name", "status", "count"}
    limits = {limit["tileMatrix"]: limit for limit in tileset["tileMatrixSetLimits"]}
    row, col = tile_of(TILE_MATRIX_SETS[tilesets["tilesets"][0]["tileMatrixSetURI"].rsplit("/", 1)[-1]], 10, FEED_A)
    assert limits["10"]["minTileRow"] <= row <= limits["10"]["maxTileRow"]
    assert limits["10"]["minTileCol"] <= col <= limits["10"]["maxTileCol"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/collections/locations/tiles/WebMercatorQuad/23/0/0", 404, "tileMatrix 23 bestaat niet"),
        ("/collections/locations/tiles/NetherlandsRDNewQuad/3/8/0", 404, "buiten tileMatrix 3"),
        ("/collections/locations/tiles/WebMercatorQuad/2/0/4", 404, "buiten tileMatrix 2"),
        ("/collections/locations/tiles/WebMercatorQuad/2/-1/0", 400, "tileRow moet een geheel getal"),
        ("/collections/locations/tiles/WebMercatorQuad/x/0/0", 400, "tileMatrix moet een geheel getal"),
        ("/collections/locations/tiles/WorldCRS84Quad/2/0/0", 404, "Tile matrix set 'WorldCRS84Quad' bestaat niet"),
        ("/collections/people/tiles/WebMercatorQuad/2/0/0", 404, "Collectie 'people' bestaat niet"),
        ("/collections/locations/tiles/WebMercatorQuad/2/0/0?f=png", 400, "f=png wordt hier niet aangeboden"),
        ("/collections/locations/tiles/WebMercatorQuad/2/0/0?name=x", 400, "Onbekende parameters: name"),
        ("/collections/contracts/tiles/WebMercatorQuad/2/0/0?owner=x", 400, "Onbekende parameters: owner"),
        ("/collections/locations/tiles/WebMercatorQuad/2/0/0?status=weg", 400, "status='weg' is niet een van"),
        ("/collections/locations/tiles/WebMercatorQuad/2/0/0?type=a&type=b", 400, "Geef elke parameter één keer: type"),
        ("/tileMatrixSets/Nope", 404, "Tile matrix set 'Nope' bestaat niet"),
    ],
)
def test_tiles_that_do_not_exist_or_are_asked_wrongly_answer_with_a_message(
    ogc: OgcClient, path: str, status: int, message: str
) -> None:
    response = ogc.client.get(f"/ogc{path}")
    assert response.status_code == status
    assert message in response.json()["description"]
