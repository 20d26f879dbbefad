"""The feed's refusals in the request's language: Dutch by default (here asked with `Accept-Language: nl`),
English with `Accept-Language: en` and with `?lang=en` (which wins over the header), for our own texts
and for pygeoapi's (ogc.errors.PYGEOAPI_TEXTS); the OGC code and the HTTP status never change with it."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pygeoapi
import pytest
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token

from ogc.errors import PYGEOAPI_TEXTS, ProviderConflictError, ProviderForbiddenError, translated
from tests.ogc.conftest import Feed

ITEMS = "/ogc/collections/locations/items"
TILE = "/ogc/collections/locations/tiles/WebMercatorQuad"
EPSG_2154 = "http://www.opengis.net/def/crs/EPSG/0/2154"
SUPPORTED = (
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84, http://www.opengis.net/def/crs/EPSG/0/4326, "
    "http://www.opengis.net/def/crs/EPSG/0/3857, http://www.opengis.net/def/crs/EPSG/0/28992"
)
NO_COLLECTION = (
    "Deze collectie bestaat niet; zie /collections voor de collecties die er zijn.",
    "This collection does not exist; see /collections for the collections there are.",
)
LIMIT = ("limit moet een geheel getal van 1 of meer zijn.", "limit must be a whole number of 1 or more.")
OFFSET = ("offset moet een geheel getal van 0 of meer zijn.", "offset must be a whole number of 0 or more.")
FORMAT = (
    "Dit formaat (f) wordt hier niet aangeboden; gebruik bijvoorbeeld f=json of f=html.",
    "This format (f) is not offered here; use f=json or f=html, for example.",
)
FEATURE = json.dumps(
    {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]},
        "properties": {},
    }
)


def cursor(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


@dataclass(frozen=True)
class Refusal:
    """A bad request and its answer: status, OGC code, and the description in Dutch and in English."""

    name: str
    path: str
    params: dict[str, str | list[str]]  # a list repeats the parameter
    status: int
    code: str
    dutch: str
    english: str
    method: str = "GET"
    body: str | bytes | None = None
    content_type: str = "application/json"
    user: str | None = None  # a fixture whose token the request carries
    pygeoapi: str | None = None  # pygeoapi's own text this answer replaces (a key of PYGEOAPI_TEXTS)
    headers: dict[str, str] = field(default_factory=dict)


REFUSALS = [
    # pygeoapi's texts, translated by ogc.errors.PYGEOAPI_TEXTS
    Refusal("unknown collection", "/ogc/collections/nope", {}, 404, "NotFound", *NO_COLLECTION,
            pygeoapi="Collection not found"),
    Refusal("items of an unknown collection", "/ogc/collections/nope/items", {}, 404, "NotFound", *NO_COLLECTION),
    Refusal("queryables of an unknown collection", "/ogc/collections/nope/queryables", {}, 404, "NotFound",
            *NO_COLLECTION),
    Refusal("OPTIONS of an unknown collection", "/ogc/collections/nope/items", {}, 404, "NotFound", *NO_COLLECTION,
            method="OPTIONS"),
    Refusal("limit 0", ITEMS, {"limit": "0"}, 400, "InvalidParameterValue", *LIMIT,
            pygeoapi="limit value should be strictly positive"),
    Refusal("limit not a number", ITEMS, {"limit": "ten"}, 400, "InvalidParameterValue", *LIMIT,
            pygeoapi="limit value should be an integer"),
    Refusal("negative offset", ITEMS, {"offset": "-5"}, 400, "InvalidParameterValue", *OFFSET,
            pygeoapi="offset value should be positive or zero"),
    Refusal("offset not a number", ITEMS, {"offset": "x"}, 400, "InvalidParameterValue", *OFFSET,
            pygeoapi="offset value should be an integer"),
    Refusal("sortby of an unpublished column", ITEMS, {"sortby": "-source_hash"}, 400, "InvalidParameterValue",
            "sortby noemt een eigenschap die deze collectie niet heeft; sorteer op eigenschappen uit de queryables, "
            "met - ervoor voor aflopend.",
            "sortby names a property this collection does not have; sort by properties from the queryables, "
            "with - before one for descending.",
            pygeoapi="bad sortby property"),
    Refusal("properties unknown", ITEMS, {"properties": "name,owner_id"}, 400, "InvalidParameterValue",
            "properties noemt een eigenschap die deze collectie niet heeft; kies eigenschappen uit de queryables.",
            "properties names a property this collection does not have; choose properties from the queryables.",
            pygeoapi="unknown properties specified"),
    Refusal("unknown f on items", ITEMS, {"f": "exe"}, 400, "InvalidParameterValue", *FORMAT,
            pygeoapi="Invalid format requested"),
    Refusal("unknown f on the landing page", "/ogc/", {"f": "exe"}, 400, "InvalidParameterValue",
            "f=exe wordt hier niet aangeboden; gebruik html, json, jsonld.",
            "f=exe is not offered here; use html, json, jsonld."),
    Refusal("unknown tile matrix set (pygeoapi's list)", "/ogc/TileMatrixSets/nope", {}, 400,
            "InvalidParameterValue",
            "Deze tile matrix set bestaat niet; zie /TileMatrixSets voor de sets die er zijn.",
            "This tile matrix set does not exist; see /TileMatrixSets for the sets there are.",
            pygeoapi="could not find this tilematrixset"),
    Refusal("a write to a collection that is not editable", "/ogc/collections/contracts/items", {}, 400,
            "InvalidParameterValue",
            "Deze collectie kun je niet bewerken; alleen locations kan dat.",
            "This collection cannot be edited; only locations can.",
            method="POST", body=FEATURE, content_type="application/geo+json", user="regisseur_a",
            pygeoapi="Collection is not editable"),
    Refusal("a write without a body", ITEMS, {}, 400, "InvalidParameterValue",
            "Stuur een GeoJSON-Feature in de body.", "Send a GeoJSON Feature in the body.",
            method="POST", body="", content_type="application/geo+json", user="regisseur_a",
            pygeoapi="No data found"),
    # parameters checked before pygeoapi sees them
    Refusal("crs not served", ITEMS, {"crs": EPSG_2154}, 400, "InvalidParameterValue",
            f"crs {EPSG_2154} wordt niet ondersteund; gebruik een van {SUPPORTED}.",
            f"crs {EPSG_2154} is not supported; use one of {SUPPORTED}."),
    Refusal("crs of one item", f"{ITEMS}/1", {"crs": "EPSG:2154"}, 400, "InvalidParameterValue",
            f"crs EPSG:2154 wordt niet ondersteund; gebruik een van {SUPPORTED}.",
            f"crs EPSG:2154 is not supported; use one of {SUPPORTED}."),
    Refusal("crs of a download", ITEMS, {"f": "csv", "crs": EPSG_2154}, 400, "InvalidParameterValue",
            f"crs {EPSG_2154} wordt niet ondersteund; gebruik een van {SUPPORTED}.",
            f"crs {EPSG_2154} is not supported; use one of {SUPPORTED}."),
    Refusal("bbox of 3 numbers", ITEMS, {"bbox": "1,2,3"}, 400, "InvalidParameterValue",
            "bbox heeft 4 getallen (minx,miny,maxx,maxy) of 6 (minx,miny,minz,maxx,maxy,maxz), gescheiden door "
            "komma's; deze heeft er 3.",
            "bbox has 4 numbers (minx,miny,maxx,maxy) or 6 (minx,miny,minz,maxx,maxy,maxz), separated by commas; "
            "this one has 3."),
    Refusal("bbox of letters", ITEMS, {"bbox": "a,b,c,d"}, 400, "InvalidParameterValue",
            "bbox bestaat uit getallen met een punt als decimaalteken, zoals 4.85,52.34,4.95,52.40.",
            "bbox consists of numbers with a point as the decimal mark, such as 4.85,52.34,4.95,52.40."),
    Refusal("bbox upside down", ITEMS, {"bbox": "4,53,5,52"}, 400, "InvalidParameterValue",
            "bbox: miny is groter dan maxy; zet het minimum voorop.",
            "bbox: miny is greater than maxy; put the minimum first."),
    Refusal("bbox-crs not served", ITEMS, {"bbox": "1,2,3,4", "bbox-crs": EPSG_2154}, 400, "InvalidParameterValue",
            f"bbox-crs {EPSG_2154} wordt niet ondersteund; gebruik een van {SUPPORTED}.",
            f"bbox-crs {EPSG_2154} is not supported; use one of {SUPPORTED}."),
    Refusal("bbox-crs without bbox", ITEMS, {"bbox-crs": EPSG_2154}, 400, "InvalidParameterValue",
            "bbox-crs zonder bbox: geef ook een bbox, of laat bbox-crs weg.",
            "bbox-crs without bbox: give a bbox too, or leave out bbox-crs."),
    Refusal("unknown parameter", ITEMS, {"ooga": "booga"}, 400, "InvalidParameterValue",
            "Onbekende parameters: ooga. Je kunt hier bbox, bbox-crs, crs, cursor, datetime, f, filter, filter-crs, "
            "filter-lang, lang, limit, offset, properties, resulttype, skipGeometry, sortby gebruiken, en de "
            "eigenschappen uit de queryables van de collectie.",
            "Unknown parameters: ooga. Here you can use bbox, bbox-crs, crs, cursor, datetime, f, filter, filter-crs, "
            "filter-lang, lang, limit, offset, properties, resulttype, skipGeometry, sortby, and the properties from "
            "the collection's queryables."),
    Refusal("unknown parameter of one item", f"{ITEMS}/1", {"limit": "1"}, 400, "InvalidParameterValue",
            "Onbekende parameters: limit. Je kunt hier crs, f, lang gebruiken.",
            "Unknown parameters: limit. Here you can use crs, f, lang."),
    Refusal("vector tiles on items", ITEMS, {"f": "mvt"}, 400, "InvalidParameterValue",
            "f=mvt: vectortiles staan niet op /items maar onder /collections/locations/tiles; gebruik hier f=json.",
            "f=mvt: vector tiles are not on /items but under /collections/locations/tiles; use f=json here."),
    Refusal("datetime not a date", ITEMS, {"datetime": "gisteren"}, 400, "InvalidParameterValue",
            "datetime gisteren is geen RFC 3339-tijdstip of -datum, of een interval van twee daarvan met '..' voor "
            "een open eind (zoals 2026-01-01T00:00:00Z, 2026-05-01, 2026-01-01T00:00:00Z/.. of ../2020-01-01).",
            "datetime gisteren is not an RFC 3339 date-time or date, or an interval of two of them with '..' for an "
            "open end (such as 2026-01-01T00:00:00Z, 2026-05-01, 2026-01-01T00:00:00Z/.. or ../2020-01-01)."),
    # values of our parameters pygeoapi read as something else, or as absent (ogc.parameters)
    Refusal("skipGeometry not a boolean", ITEMS, {"skipGeometry": "maybe"}, 400, "InvalidParameterValue",
            "skipGeometry=maybe is geen ja of nee; gebruik skipGeometry=true of skipGeometry=false.",
            "skipGeometry=maybe is no yes or no; use skipGeometry=true or skipGeometry=false."),
    Refusal("resulttype unknown", ITEMS, {"resulttype": "nope"}, 400, "InvalidParameterValue",
            "resulttype=nope bestaat niet; gebruik resulttype=results of resulttype=hits.",
            "resulttype=nope does not exist; use resulttype=results or resulttype=hits."),
    Refusal("ui not served (was Swagger UI)", "/ogc/openapi", {"ui": "foo"}, 400, "InvalidParameterValue",
            "ui=foo wordt hier niet aangeboden; gebruik swagger, redoc.",
            "ui=foo is not offered here; use swagger, redoc."),
    Refusal("resulttype in capitals (was results)", ITEMS, {"resulttype": "HITS"}, 400, "InvalidParameterValue",
            "resulttype=HITS bestaat niet; gebruik resulttype=results of resulttype=hits.",
            "resulttype=HITS does not exist; use resulttype=results or resulttype=hits."),
    Refusal("limit true (was 1)", ITEMS, {"limit": "true"}, 400, "InvalidParameterValue", *LIMIT),
    Refusal("offset with an underscore (was 10)", ITEMS, {"offset": "1_0"}, 400, "InvalidParameterValue", *OFFSET),
    Refusal("an empty skipGeometry", ITEMS, {"skipGeometry": ""}, 400, "InvalidParameterValue",
            "skipGeometry zonder waarde: geef een waarde, of laat de parameter weg.",
            "skipGeometry without a value: give a value, or leave the parameter out."),
    Refusal("an empty crs of one item", f"{ITEMS}/1", {"crs": ""}, 400, "InvalidParameterValue",
            "crs zonder waarde: geef een waarde, of laat de parameter weg.",
            "crs without a value: give a value, or leave the parameter out."),
    Refusal("an empty f on the landing page", "/ogc/", {"f": ""}, 400, "InvalidParameterValue",
            "f zonder waarde: geef een waarde, of laat de parameter weg.",
            "f without a value: give a value, or leave the parameter out."),
    Refusal("a repeated limit (the last won)", ITEMS, {"limit": ["10", "20"]}, 400, "InvalidParameterValue",
            "Geef elke parameter één keer: limit.", "Give each parameter once: limit."),
    Refusal("a repeated property (the last won)", ITEMS, {"type": ["gras", "haag"]}, 400, "InvalidParameterValue",
            "Geef elke parameter één keer: type.", "Give each parameter once: type."),
    Refusal("a repeated limit of a download", ITEMS, {"f": "csv", "limit": ["1", "2"]}, 400,
            "InvalidParameterValue", "Geef elke parameter één keer: limit.", "Give each parameter once: limit."),
    Refusal("JSON-LD of the queryables (was JSON)", "/ogc/collections/locations/queryables", {"f": "jsonld"}, 400,
            "InvalidParameterValue", "f=jsonld wordt hier niet aangeboden; gebruik html, json.",
            "f=jsonld is not offered here; use html, json."),
    Refusal("JSON-LD of the TileMatrixSets (was JSON labelled JSON-LD)", "/ogc/TileMatrixSets", {"f": "jsonld"}, 400,
            "InvalidParameterValue", "f=jsonld wordt hier niet aangeboden; gebruik html, json.",
            "f=jsonld is not offered here; use html, json."),
    Refusal("an empty f of a tile", f"{TILE}/2/0/0", {"f": ""}, 400, "InvalidParameterValue",
            "f zonder waarde: geef een waarde, of laat de parameter weg.",
            "f without a value: give a value, or leave the parameter out."),
    # deep in the provider
    Refusal("malformed cursor", ITEMS, {"cursor": "not-a-cursor"}, 400, "InvalidParameterValue",
            "De cursor is onleesbaar: volg de next- of prev-link precies zoals je hem kreeg.",
            "The cursor cannot be read: follow the next or prev link exactly as given."),
    Refusal("cursor of another sortby", ITEMS, {"cursor": cursor({"o": 0, "k": []})}, 400, "InvalidParameterValue",
            "De cursor hoort bij een andere sortby: volg de next-link zoals je hem kreeg.",
            "The cursor belongs to another sortby: follow the next link as given."),
    Refusal("filter on an unknown property", ITEMS, {"filter": "secret_column = 1"}, 400, "InvalidParameterValue",
            "Onbekende eigenschap 'secret_column'; zie de queryables van de collectie.",
            "Unknown property 'secret_column'; see the collection's queryables."),
    Refusal("filter comparing a number with text", ITEMS, {"filter": "area_m2 > 'large'"}, 400,
            "InvalidParameterValue", "area_m2 is een getal, niet 'large'.", "area_m2 is a number, not 'large'."),
    Refusal("malformed filter", ITEMS, {"filter": "name = "}, 400, "InvalidParameterValue",
            "Het cql2-text-filter is onleesbaar bij teken 6; zie de CQL2-standaard voor de vorm.",
            "The cql2-text filter cannot be read near character 6; see the CQL2 standard for its form."),
    Refusal("filter-lang unknown", ITEMS, {"filter": "name = 'x'", "filter-lang": "sql"}, 400,
            "InvalidParameterValue",
            "filter-lang moet cql2-text of cql2-json zijn.", "filter-lang must be cql2-text or cql2-json."),
    Refusal("CQL2 JSON that is not UTF-8", ITEMS, {}, 400, "InvalidParameterValue",
            "Het CQL2 JSON-filter is geen geldige UTF-8-tekst.", "The CQL2 JSON filter is not valid UTF-8 text.",
            method="POST", body=b'{"op": "=", "args": [{"property": "name"}, "\xff"]}'),
    Refusal("unknown item", f"{ITEMS}/999999999", {}, 404, "NotFound",
            "Object 999999999 bestaat niet in locations.", "There is no item 999999999 in locations."),
    Refusal("an item id that is no number", f"{ITEMS}/abc", {}, 404, "NotFound",
            "Object abc bestaat niet; een id is een geheel getal.", "There is no item abc; an id is a whole number."),
    # the web layer around pygeoapi, and writes
    Refusal("a method the items do not take", f"{ITEMS}/1", {}, 405, "InvalidRequest",
            "TRACE kan hier niet; gebruik GET, HEAD, PUT, PATCH, DELETE, OPTIONS.",
            "TRACE is not allowed here; use GET, HEAD, PUT, PATCH, DELETE, OPTIONS.", method="TRACE"),
    Refusal("a write without a token", ITEMS, {}, 401, "Unauthorized",
            "Wijzigen kan alleen met je token: stuur de kop Authorization met Token en je sleutel.",
            "Changes need your token: send the Authorization header with Token and your key.",
            method="POST", body=FEATURE, content_type="application/geo+json"),
    Refusal("a write with a token that does not exist (Django REST framework's words)", ITEMS, {}, 401,
            "Unauthorized", "Ongeldige token.", "Invalid token.", method="POST", body=FEATURE,
            content_type="application/geo+json", headers={"Authorization": "Token nope"}),
    Refusal("a write by someone who is no regisseur", ITEMS, {}, 403, "Forbidden",
            "Alleen regisseurs wijzigen locaties, en je bent van geen eigenaar regisseur.",
            "Only regisseurs change locations, and you are regisseur of no owner.",
            method="POST", body=FEATURE, content_type="application/geo+json", user="resident"),
    Refusal("a write with a geometry that is no polygon", ITEMS, {}, 400, "InvalidParameterValue",
            "De geometrie moet een Polygon of MultiPolygon zijn.", "The geometry must be a Polygon or MultiPolygon.",
            method="POST", body=json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}),
            content_type="application/geo+json", user="regisseur_a"),
    Refusal("a write in a CRS we do not serve", ITEMS, {}, 400, "InvalidParameterValue",
            f"Content-Crs {EPSG_2154} wordt niet ondersteund; gebruik een van {SUPPORTED}.",
            f"Content-Crs {EPSG_2154} is not supported; use one of {SUPPORTED}.",
            method="POST", body=FEATURE, content_type="application/geo+json", user="regisseur_a",
            headers={"Content-Crs": f"<{EPSG_2154}>"}),
    # the tile views
    Refusal("a tile matrix beyond the deepest", f"{TILE}/99/0/0", {}, 404, "NotFound",
            "tileMatrix 99 bestaat niet in WebMercatorQuad: kies 0 tot en met 22.",
            "tileMatrix 99 does not exist in WebMercatorQuad: choose 0 to 22."),
    Refusal("a tile filter the tiles do not take", f"{TILE}/2/0/0", {"name": "x"}, 400, "InvalidParameterValue",
            "Onbekende parameters: name (de tegels van locations kiezen op type, status, owner).",
            "Unknown parameters: name (the tiles of locations select on type, status, owner)."),
    Refusal("a tile format not offered", f"{TILE}/2/0/0", {"f": "png"}, 400, "InvalidParameterValue",
            "f=png wordt hier niet aangeboden; gebruik mvt.", "f=png is not offered here; use mvt."),
    Refusal("an unknown tile matrix set", "/ogc/tileMatrixSets/Nope", {}, 404, "NotFound",
            "Tile matrix set 'Nope' bestaat niet; er zijn WebMercatorQuad, NetherlandsRDNewQuad.",
            "There is no tile matrix set 'Nope'; there are WebMercatorQuad, NetherlandsRDNewQuad."),
    Refusal("a write to tiles", f"{TILE}/2/0/0", {}, 405, "InvalidRequest",
            "POST kan hier niet; gebruik GET, HEAD.", "POST is not allowed here; use GET, HEAD.", method="POST",
            body="{}"),
]  # fmt: skip

# How a request asks for its language, and the language it then gets.
ASKED = {
    "Accept-Language nl": ({"Accept-Language": "nl"}, {}, "nl"),
    "Accept-Language en": ({"Accept-Language": "en-GB,en;q=0.9"}, {}, "en"),
    "lang=en": ({"Accept-Language": "nl"}, {"lang": "en"}, "en"),
}


def ask(request: pytest.FixtureRequest, refusal: Refusal, headers: dict[str, str], extra: dict[str, str]) -> Any:
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Accept": "application/json", **refusal.headers, **headers}
    if refusal.user is not None:
        user = request.getfixturevalue(refusal.user)
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    params = {**refusal.params, **extra}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    path = f"{refusal.path}?{query}" if query else refusal.path
    if refusal.method == "GET":
        return client.get(refusal.path, params, headers=headers)
    # Django's client leaves out the Content-Type of an empty body; a client that sends one says it itself.
    return client.generic(
        refusal.method, path, refusal.body or "", content_type=refusal.content_type, headers=headers,
        CONTENT_TYPE=refusal.content_type,
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("asked", list(ASKED))
@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_a_refusal_comes_in_the_language_asked_for(
    request: pytest.FixtureRequest, feed: Feed, refusal: Refusal, asked: str
) -> None:
    headers, extra, language = ASKED[asked]
    response = ask(request, refusal, headers, extra)
    assert response.status_code == refusal.status, response.content[:500]
    document = json.loads(response.content)
    assert document["code"] == refusal.code
    assert document["description"] == (refusal.dutch if language == "nl" else refusal.english)
    assert response["Content-Language"] == language


@pytest.mark.django_db
@pytest.mark.parametrize("asked", list(ASKED))
def test_a_refused_head_says_the_language_of_its_refusal(feed: Feed, asked: str) -> None:
    headers, extra, language = ASKED[asked]
    response = Client(HTTP_HOST="127.0.0.1").head(ITEMS, {"limit": "0", **extra}, headers=headers)
    assert response.status_code == 400
    assert response["Content-Language"] == language
    assert response.content == b""


def test_every_pygeoapi_text_we_translate_is_asked_for_above() -> None:
    assert {r.pygeoapi for r in REFUSALS if r.pygeoapi} == set(PYGEOAPI_TEXTS)


@pytest.mark.parametrize("text", list(PYGEOAPI_TEXTS))
def test_pygeoapi_still_says_each_text_we_translate(text: str) -> None:
    """The mapping is keyed on pygeoapi's exact words: when an upgrade changes them, this says which."""
    sources = Path(pygeoapi.__file__).parent.rglob("*.py")
    assert any(f"'{text}'" in path.read_text() for path in sources), f"pygeoapi no longer says {text!r}"


@pytest.mark.parametrize("error", [ProviderForbiddenError, ProviderConflictError])
def test_a_provider_errors_default_text_is_translated_when_it_is_answered(error: type[Exception]) -> None:
    raised = error()  # made before any language is chosen, as a class attribute is
    with translation.override("nl"):
        dutch = translated(raised.message)  # type: ignore[attr-defined]
    with translation.override("en"):
        english = translated(raised.message)  # type: ignore[attr-defined]
    assert dutch in {"Dit mag je niet.", "Deze wijziging botst met wat er al is."}
    assert english in {"You are not allowed to do this.", "This change conflicts with what is already there."}


@pytest.mark.django_db
@pytest.mark.parametrize("asked", list(ASKED))
def test_a_refusal_as_a_page_is_a_page_in_the_language_asked_for(feed: Feed, asked: str) -> None:
    headers, extra, language = ASKED[asked]
    response = Client(HTTP_HOST="127.0.0.1").get("/ogc/collections/nope", {"f": "html", **extra}, headers=headers)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    if language == "nl":
        assert "Deze vraag kan de dienst niet beantwoorden" in page and NO_COLLECTION[0] in page
        assert "Exception" not in page and "Skip to content" not in page  # pygeoapi's page was en-US chrome
    else:
        assert "The service cannot answer this request" in page and NO_COLLECTION[1] in page
        assert "Naar de inhoud" not in page
