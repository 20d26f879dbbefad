"""The feed's cost is bounded before PostgreSQL works: CQL2 size, arguments, nesting and geometry
vertices are checked while parsing (ogc/cql.py), filters are rate-limited (ogc/throttles.py), and a
statement past WEB_STATEMENT_TIMEOUT answers 503 (gis_service/core/timeouts.py), never 500."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from tests.ogc.conftest import Feed, OgcClient

ITEMS = "/collections/locations/items"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def post_filter(ogc: OgcClient, document: Any) -> tuple[Any, float]:
    body = document if isinstance(document, str) else json.dumps(document)
    started = time.perf_counter()
    response = ogc.client.post(f"/ogc{ITEMS}?f=json&filter-crs={RD}", body, content_type="application/json")
    return response, time.perf_counter() - started


def warm_up(ogc: OgcClient) -> None:
    """The first filter of a process builds pygeoapi's API object and imports the parsers (0.7 s):
    not what the tests time."""
    assert post_filter(ogc, equal(1))[0].status_code == 200


def equal(i: int) -> dict[str, Any]:
    return {"op": "=", "args": [{"property": "name"}, f"Plantsoen {i:02d}"]}


def refused(response: Any, *words: str, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    document = json.loads(response.content)
    for word in words:
        assert word in document["description"], document["description"]
    return document


def ring(vertices: int) -> list[list[float]]:
    """A closed ring of `vertices` positions on a 500 m circle-ish zigzag around the test locations."""
    points = [[140000.0 + (i % 2) * 3 + i * 0.01, 470000.0 + i * 0.5] for i in range(vertices - 1)]
    return [*points, points[0]]


@pytest.mark.django_db
def test_an_and_with_more_arguments_than_allowed_is_refused_at_once(ogc: OgcClient, feed: Feed) -> None:
    # 1,000 arguments took 120 s; 400 raised RecursionError (a 500)
    warm_up(ogc)
    for count in (101, 400, 1000):
        response, seconds = post_filter(ogc, {"op": "and", "args": [equal(i % 25) for i in range(count)]})
        refused(response, "100 argumenten")
        assert seconds < 1.0


@pytest.mark.django_db
def test_an_and_within_the_limit_still_answers(ogc: OgcClient, feed: Feed) -> None:
    response, _seconds = post_filter(ogc, {"op": "or", "args": [equal(i) for i in range(100)]})
    assert response.status_code == 200, response.content[:300]
    assert json.loads(response.content)["numberMatched"] == 25


@pytest.mark.django_db
def test_a_long_text_chain_of_ands_is_refused_too(ogc: OgcClient, feed: Feed) -> None:
    text = " OR ".join(f"name = 'Plantsoen {i % 25:02d}'" for i in range(150))
    refused(ogc.get(ITEMS, {"filter": text}), "100 argumenten")


@pytest.mark.django_db
def test_a_filter_nested_deeper_than_allowed_is_refused(ogc: OgcClient, feed: Feed, settings: Any) -> None:
    node: dict[str, Any] = equal(0)
    for _level in range(settings.CQL2_MAX_DEPTH):
        node = {"op": "not", "args": [node]}
    refused(
        post_filter(ogc, node)[0], "niveaus"
    )  # in JSON each level is two (object, args): its depth limit comes first
    text = "name = 'x'"
    for _level in range(settings.CQL2_MAX_DEPTH):
        text = f"NOT ({text})"
    refused(ogc.get(ITEMS, {"filter": text}), f"{settings.CQL2_MAX_DEPTH} niveaus")


@pytest.mark.django_db
@pytest.mark.parametrize("operator", ["s_touches", "s_crosses", "s_disjoint", "s_intersects"])
def test_a_geometry_with_more_vertices_than_allowed_is_refused_before_postgresql(
    ogc: OgcClient, feed: Feed, settings: Any, operator: str
) -> None:
    # s_touches against 150,000 vertices (5.9 MB) took 29.9 s
    warm_up(ogc)
    polygon = {"type": "Polygon", "coordinates": [ring(settings.CQL2_MAX_VERTICES + 1)]}
    response, seconds = post_filter(ogc, {"op": operator, "args": [{"property": "geometry"}, polygon]})
    refused(response, f"{settings.CQL2_MAX_VERTICES} hoekpunten")
    assert seconds < 1.0
    wkt = "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring(settings.CQL2_MAX_VERTICES + 1)) + "))"
    refused(ogc.get(ITEMS, {"filter": f"{operator.upper()}(geometry, {wkt})", "filter-crs": RD}), "hoekpunten")


@pytest.mark.django_db
def test_a_geometry_within_the_limit_is_compared(ogc: OgcClient, feed: Feed, settings: Any) -> None:
    polygon = {"type": "Polygon", "coordinates": [ring(settings.CQL2_MAX_VERTICES)]}
    response, _seconds = post_filter(ogc, {"op": "s_intersects", "args": [{"property": "geometry"}, polygon]})
    assert response.status_code == 200, response.content[:300]


@pytest.mark.django_db
def test_a_filter_longer_than_allowed_is_refused_before_parsing(ogc: OgcClient, feed: Feed, settings: Any) -> None:
    long_name = "x" * settings.CQL2_MAX_CHARS
    refused(post_filter(ogc, {"op": "=", "args": [{"property": "name"}, long_name]})[0], "tekens")
    refused(ogc.get(ITEMS, {"filter": f"name = '{long_name}'"}), "tekens")


@pytest.mark.django_db
def test_a_huge_cql2_body_is_refused_at_once(ogc: OgcClient, feed: Feed) -> None:
    # the 5.9 MB polygon of the issue: refused on its length, before JSON parsing
    warm_up(ogc)
    polygon = {"type": "Polygon", "coordinates": [ring(150_000)]}
    response, seconds = post_filter(ogc, {"op": "s_touches", "args": [{"property": "geometry"}, polygon]})
    refused(response, "tekens")
    assert seconds < 1.0


# --- rate limit --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_are_rate_limited_per_client_and_plain_pages_are_not(ogc: OgcClient, feed: Feed, settings: Any) -> None:
    settings.OGC_FILTER_RATE = "3/day"  # a day: the requests never straddle two fixed windows
    for _request in range(3):
        assert ogc.get(ITEMS, {"filter": "name = 'Plantsoen 01'"}).status_code == 200
    limited = ogc.get(ITEMS, {"filter": "name = 'Plantsoen 01'"})
    document = refused(limited, "Te veel filtervragen", status=429)
    assert document["code"] == "TooManyRequests"
    assert 0 < int(limited["Retry-After"]) <= 24 * 3600  # the rest of the window
    assert post_filter(ogc, equal(1))[0].status_code == 429  # a CQL2 JSON POST counts too
    assert ogc.get(ITEMS, {"bbox": "4,51,6,53"}).status_code == 200  # a plain page does not
    assert ogc.get(ITEMS).status_code == 200
    other = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="10.9.8.7")  # another client has its own count
    response = other.get(f"/ogc{ITEMS}", {"filter": "name = 'Plantsoen 01'"}, headers={"Accept": "application/json"})
    assert response.status_code == 200


# --- statement timeout -------------------------------------------------------------------------


def hold_locations(seconds: float = 30) -> tuple[threading.Thread, threading.Event]:
    """Another session locking the locations table for `seconds` (or until the event is set)."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with psycopg.connect(**params) as other:
            other.execute("LOCK TABLE locations_location IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(seconds)

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    return holder, release


@pytest.fixture
def locked_locations(transactional_db: None) -> Any:
    """Another session holding the locations table: any query of it waits until the timeout."""
    holder, release = hold_locations()
    yield
    release.set()
    holder.join()


def test_a_feed_query_past_the_statement_timeout_answers_503(
    owner_a: Any, locked_locations: None, settings: Any
) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 0.5
    started = time.perf_counter()
    response = Client(HTTP_HOST="127.0.0.1").get(f"/ogc{ITEMS}", headers={"Accept": "application/json"})
    assert response.status_code == 503, response.content[:300]
    assert "te veel tijd en is afgebroken" in json.loads(response.content)["description"]
    assert time.perf_counter() - started < 5


def test_an_api_query_past_the_statement_timeout_answers_503(
    owner_a: Any, locked_locations: None, settings: Any
) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 0.5
    response = Client().get("/api/locations/", headers={"Accept": "application/json"})
    assert response.status_code == 503, response.content[:300]
    assert "te veel tijd en is afgebroken" in response.json()["detail"]
    assert response["Retry-After"]


def test_management_work_has_no_statement_timeout(transactional_db: None, settings: Any) -> None:
    """Outside web requests (Celery tasks, imports, commands) the connection keeps PostgreSQL's default."""
    settings.WEB_STATEMENT_TIMEOUT = 0.5
    Client().get("/api/locations/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.8)")  # would be cancelled if the request's timeout had stayed


def test_admin_pages_get_the_longer_admin_timeout(transactional_db: None, admin_client: Client, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 0.3
    settings.ADMIN_STATEMENT_TIMEOUT = 20
    holder, _release = hold_locations(seconds=1.0)  # longer than the web timeout, well within the admin one
    response = admin_client.get("/admin/locations/location/")
    holder.join()
    assert response.status_code == 200


# --- areas written through the feed (Part 4) ---------------------------------------------------


@pytest.mark.django_db
def test_an_edited_area_beyond_the_area_limits_is_refused_before_postgis(
    regisseur_a: Any, feed: Feed, settings: Any
) -> None:
    from rest_framework.authtoken.models import Token

    settings.AREA_MAX_PARTS = 3
    token = Token.objects.get_or_create(user=regisseur_a)[0].key
    parts = [[[[x, 471000], [x + 10, 471000], [x + 10, 471010], [x, 471010], [x, 471000]]]
             for x in range(141000, 141400, 100)]  # fmt: skip
    feature = {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": parts},
               "properties": {"name": "Vier perken"}}  # fmt: skip
    before = feed.owner_a.locations.count()
    response = Client(HTTP_HOST="127.0.0.1").post(
        f"/ogc{ITEMS}", json.dumps(feature), content_type="application/geo+json",
        headers={"Authorization": f"Token {token}", "Content-Crs": f"<{RD}>"},
    )  # fmt: skip
    refused(response, "3 delen")
    assert feed.owner_a.locations.count() == before
