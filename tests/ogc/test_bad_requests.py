"""Bad and hostile requests get a 4xx with an OGC exception document, never a 500, and never run SQL."""

from __future__ import annotations

import json

import pytest

from gis_service.locations.models import Location
from tests.ogc.conftest import Feed, OgcClient

ITEMS = "/collections/locations/items"
HOSTILE = [
    # (parameters, expected status)
    ({"bbox": "1,2,3"}, 400),
    ({"bbox": "a,b,c,d"}, 400),
    ({"bbox": "5,53,4,52"}, 400),
    ({"bbox": "140000,470000,141000,471000", "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}, 400),
    ({"crs": "http://www.opengis.net/def/crs/EPSG/0/2154"}, 400),
    ({"crs": "EPSG:28992'; DROP TABLE locations_location; --"}, 400),
    ({"limit": "-1"}, 400),
    ({"limit": "ten"}, 400),
    ({"limit": "1.5"}, 400),
    ({"offset": "-5"}, 400),
    ({"filter": "name = "}, 400),
    ({"filter": "name = 'x') OR 1=1; DROP TABLE locations_location; --"}, 400),
    ({"filter": "secret_column = 1"}, 400),
    ({"filter": "\"name; DROP TABLE locations_location\" = 'x'"}, 400),
    ({"filter": "area_m2 > 'large'"}, 400),
    ({"filter": "area_m2 / 0 > 1"}, 400),
    ({"filter": "updated > TIMESTAMP('2026-13-45T99:00:00Z')"}, 400),
    ({"filter": "S_INTERSECTS(geometry, POLYGON((0 0, 1 1)))"}, 400),
    ({"filter": "S_INTERSECTS(name, POINT(5 52))"}, 400),
    ({"filter": "name = 'x'", "filter-lang": "sql"}, 400),
    ({"filter": "{not json", "filter-lang": "cql2-json"}, 400),
    (
        {"filter": "S_INTERSECTS(geometry, POINT(5 52))", "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/2154"},
        400,
    ),
    ({"sortby": "name; DROP TABLE locations_location"}, 400),
    ({"sortby": "-source_hash"}, 400),  # a column that is not published
    ({"properties": "name,owner_id"}, 400),
    ({"properties": "attributes"}, 400),
    ({"cursor": "not-a-cursor"}, 400),
    ({"f": "exe"}, 400),
    ({"ooga": "booga"}, 400),
    ({"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/28992"}, 400),
    ({"filter-lang": "cql2-text"}, 400),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "status"), HOSTILE, ids=[json.dumps(p)[:60] for p, _ in HOSTILE])
def test_a_bad_items_request_answers_4xx_with_an_exception_document(
    ogc: OgcClient, feed: Feed, params: dict[str, str], status: int
) -> None:
    response = ogc.get(ITEMS, params)
    assert response.status_code == status, response.content[:300]
    if params.get("f") != "exe":
        document = json.loads(response.content)
        assert document["code"] and document["description"]
    assert Location.objects.count() == 31, "the injected SQL must never run"


@pytest.mark.django_db
def test_unknown_collection_and_item_answer_404(ogc: OgcClient, feed: Feed) -> None:
    for path in (
        "/collections/nope",
        "/collections/nope/items",
        "/collections/nope/queryables",
        f"{ITEMS}/999999999",
        f"{ITEMS}/not-a-number",
        f"{ITEMS}/99999999999999999999999",
        f"{ITEMS}/{feed.withdrawn.pk}",
    ):
        response = ogc.get(path, {"f": "json"})
        assert response.status_code == 404, path
        assert json.loads(response.content)["code"]


@pytest.mark.django_db
def test_a_cursor_from_another_query_cannot_reach_hidden_rows(ogc: OgcClient, feed: Feed) -> None:
    import base64

    forged = base64.urlsafe_b64encode(json.dumps({"o": 0, "k": ["1); DROP TABLE x; --"]}).encode()).decode()
    response = ogc.get(ITEMS, {"f": "json", "cursor": forged})
    assert response.status_code == 400
    withdrawn = base64.urlsafe_b64encode(json.dumps({"o": 0, "k": [feed.withdrawn.pk - 1]}).encode()).decode()
    page = json.loads(ogc.get(ITEMS, {"f": "json", "cursor": withdrawn}).content)
    assert feed.withdrawn.pk not in {f["id"] for f in page["features"]}


@pytest.mark.django_db
def test_a_cursor_with_more_or_fewer_values_than_the_sort_answers_400(ogc: OgcClient, feed: Feed) -> None:
    import base64

    for values in ([], [1, 2], ["Park", 3]):
        token = base64.urlsafe_b64encode(json.dumps({"o": 0, "k": values}).encode()).decode()
        assert ogc.get(ITEMS, {"f": "json", "cursor": token}).status_code == 400, values
    token = base64.urlsafe_b64encode(json.dumps({"o": 0, "k": ["Park", 3]}).encode()).decode()
    assert ogc.get(ITEMS, {"f": "json", "sortby": "name", "cursor": token}).status_code == 200


@pytest.mark.django_db
def test_a_cql2_json_post_that_is_not_cql_answers_400(ogc: OgcClient, feed: Feed) -> None:
    for body in ('{"op": "drop", "args": []}', "[1, 2", '{"op": "=", "args": [{"property": "secret"}, 1]}'):
        response = ogc.client.post(f"/ogc{ITEMS}?f=json", body, content_type="application/json")
        assert response.status_code == 400, body


@pytest.mark.django_db
def test_a_cql2_json_post_beyond_the_json_limits_answers_400(ogc: OgcClient, feed: Feed) -> None:
    for body in (
        '{"op": "=", "args": [{"property": "name"}, "\\ud800"]}',  # made the answer unencodable: a 500
        '{"op": "and", "args": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"op": "=", "args": [{"property": "area_m2"}, 1e999]}',
    ):
        response = ogc.client.post(f"/ogc{ITEMS}?f=json", body, content_type="application/json")
        assert response.status_code == 400, body[:60]


def test_client_errors_are_logged_as_one_warning_line_not_as_errors(
    feed: Feed, ogc: OgcClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING"):
        assert ogc.get(ITEMS, {"bbox": "a,b,c,d"}).status_code == 400
        assert ogc.get(f"{ITEMS}/999999999").status_code == 404
    pygeoapi = [record for record in caplog.records if record.name.startswith("pygeoapi")]
    assert pygeoapi, "pygeoapi should still say what was wrong"
    assert all(record.levelname == "WARNING" and record.exc_info is None for record in pygeoapi)
