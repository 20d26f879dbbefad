"""Values of the feed's parameters (ogc.parameters): what clients send keeps its meaning, what cannot be
honoured answers 400 instead of being read as absent or as something else. The refusals' texts, in each
language, are in tests/ogc/test_error_language.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.ogc.conftest import Feed

ITEMS = "/ogc/collections/locations/items"
TILE = "/ogc/collections/locations/tiles/WebMercatorQuad/2/0/0"


def get(path: str, params: dict[str, Any], language: str | None = None) -> Any:
    headers = {"Accept": "application/json"} | ({"Accept-Language": language} if language else {})
    return Client(HTTP_HOST="127.0.0.1").get(path, params, headers=headers)


def page(params: dict[str, Any]) -> dict[str, Any]:
    response = get(ITEMS, params)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["true", "True", "TRUE", "t", "1", "yes", "on"])
def test_it_leaves_out_geometries_for_every_true_pygeoapi_reads(feed: Feed, value: str) -> None:
    features = page({"skipGeometry": value})["features"]
    assert features and all(feature.get("geometry") is None for feature in features)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["false", "False", "f", "0", "no", "off"])
def test_it_keeps_geometries_for_every_false(feed: Feed, value: str) -> None:
    features = page({"skipGeometry": value})["features"]
    assert features and all(feature["geometry"] is not None for feature in features)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["maybe", "", "2", "ja"])
def test_it_refuses_a_skip_geometry_that_is_no_boolean(feed: Feed, value: str) -> None:
    response = get(ITEMS, {"skipGeometry": value})
    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "InvalidParameterValue"


@pytest.mark.django_db
def test_it_counts_for_hits_and_pages_for_results(feed: Feed) -> None:
    hits = page({"resulttype": "hits"})
    assert hits["features"] == [] and hits["numberMatched"] == len(feed.current)
    assert len(page({"resulttype": "results", "limit": "5"})["features"]) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["nope", "", "HITS", "Results"])
def test_it_refuses_a_resulttype_it_does_not_know(feed: Feed, value: str) -> None:
    assert get(ITEMS, {"resulttype": value}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"limit": "true"}, {"limit": "1_0"}, {"offset": "1_0"}, {"offset": "true"}])
def test_it_refuses_counts_pygeoapi_would_read_as_numbers(feed: Feed, params: dict[str, str]) -> None:
    assert get(ITEMS, params).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        (ITEMS, {"limit": ["10", "20"]}),
        (ITEMS, {"type": ["gras", "haag"]}),
        (ITEMS, {"f": ["html", "json"]}),
        (ITEMS, {"f": "csv", "limit": ["1", "2"]}),
        (f"{ITEMS}/1", {"crs": ["http://www.opengis.net/def/crs/EPSG/0/28992"] * 2}),
        ("/ogc/", {"lang": ["nl", "en"]}),
        ("/ogc/tileMatrixSets", {"f": ["json", "json"]}),
    ],
)
def test_it_refuses_a_repeated_parameter(feed: Feed, path: str, params: dict[str, Any]) -> None:
    response = get(path, params, "en")
    assert response.status_code == 400
    assert "Give each parameter once" in json.loads(response.content)["description"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name"),
    [
        (ITEMS, "f"), (ITEMS, "lang"), (ITEMS, "crs"), (ITEMS, "bbox-crs"), (ITEMS, "filter-lang"),
        (ITEMS, "filter-crs"), (ITEMS, "cursor"), (ITEMS, "resulttype"), (ITEMS, "skipGeometry"),
        (f"{ITEMS}/1", "f"), ("/ogc/", "f"), ("/ogc/conformance", "lang"), ("/ogc/tileMatrixSets", "lang"),
    ],
)  # fmt: skip
def test_it_refuses_an_empty_value_that_meant_the_default(feed: Feed, path: str, name: str) -> None:
    response = get(path, {name: ""})
    assert response.status_code == 400
    assert json.loads(response.content)["description"].startswith(f"{name} zonder waarde")


@pytest.mark.django_db
def test_an_empty_property_filter_is_a_value(feed: Feed) -> None:
    assert page({"owner": ""})["numberMatched"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/locations"])
def test_the_other_answers_take_the_query_qgis_carries_from_a_connections_url(feed: Feed, path: str) -> None:
    """QGIS sends `?type=gras` of a connection's URL with every request (tests/ogc/test_clients.py), repeated
    or empty values included: only `f` and `lang` are read there, so only theirs are checked."""
    assert get(path, {"type": ["gras", "haag"], "skipGeometry": "", "limit": "x"}).status_code == 200
    assert get(path, {"type": "gras", "f": ["json", "json"]}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/ogc/collections/locations/queryables", "/ogc/collections/locations/schema", "/ogc/openapi",
     "/ogc/TileMatrixSets", "/ogc/TileMatrixSets/WebMercatorQuad", "/ogc/processes"],
)  # fmt: skip
def test_json_ld_is_refused_where_pygeoapi_answered_plain_json(feed: Feed, path: str) -> None:
    assert get(path, {"f": "jsonld"}).status_code == 400
    assert get(path, {"f": "json"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ogc/", "/ogc/collections", "/ogc/collections/locations", "item", ITEMS])
def test_json_ld_stays_where_pygeoapi_makes_it(feed: Feed, path: str) -> None:
    path = f"{ITEMS}/{feed.locations_a[0].pk}" if path == "item" else path
    response = get(path, {"f": "jsonld"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "language"),
    [("en", "en"), ("EN", "en"), ("en-US", "en"), ("en_US", "en"), ("en-GB,en;q=0.9", "en"), ("nl-BE", "nl"),
     ("fr,en;q=0.5", "en"), ("*", "nl")],
)  # fmt: skip
def test_a_language_tag_we_offer_is_taken(feed: Feed, value: str, language: str) -> None:
    for path in ("/ogc/", ITEMS, "/ogc/collections/locations/queryables"):
        response = get(path, {"lang": value})
        assert response.status_code == 200, (path, response.content[:300])
        assert response["Content-Language"] == language, path
    refused = get(ITEMS, {"lang": value, "limit": "0"})  # our own texts follow it too
    assert refused.status_code == 400 and refused["Content-Language"] == language


def assert_refused_in_the_header_language(path: str, value: str, dutch: str, english: str) -> None:
    """`lang=value` answers 400 in the language of Accept-Language, with these descriptions."""
    for header, language, description in (("nl", "nl", dutch), ("en", "en", english)):
        response = get(path, {"lang": value}, header)
        assert response.status_code == 400, (path, value)
        assert response["Content-Language"] == language
        assert json.loads(response.content)["description"] == description


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["!!", "123", "en-", "e n", "nl;q=x"])
@pytest.mark.parametrize("path", ["/ogc/", ITEMS, f"{ITEMS}/1", "/ogc/tileMatrixSets", TILE])
def test_a_lang_that_is_no_language_tag_is_refused_in_the_language_of_the_header(
    feed: Feed, path: str, value: str
) -> None:
    assert_refused_in_the_header_language(
        path,
        value,
        f"lang={value} is geen taalcode; gebruik bijvoorbeeld lang=nl of lang=en (of en-US, zoals een browser).",
        f"lang={value} is no language tag; use lang=nl or lang=en, for example (or en-US, as a browser does).",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["fr", "zz", "de-DE,fr;q=0.5"])
@pytest.mark.parametrize("path", ["/ogc/", ITEMS, "/ogc/tileMatrixSets", TILE])
def test_a_lang_we_do_not_offer_is_refused_in_the_language_of_the_header(feed: Feed, path: str, value: str) -> None:
    # It was answered in Dutch, as if the parameter were absent; the API's documentation refuses it too.
    assert_refused_in_the_header_language(
        path,
        value,
        f"lang={value}: de feed is er alleen in nl, en; gebruik bijvoorbeeld lang=nl of lang=en.",
        f"lang={value}: the feed comes in nl, en only; use lang=nl or lang=en, for example.",
    )
