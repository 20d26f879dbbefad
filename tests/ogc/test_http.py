"""HTTP around the feed: Accept negotiation that never fails with 500, Vary, Cache-Control, gzip, weak ETags."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from django.test import Client

from ogc import negotiation
from tests.ogc.conftest import Feed

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/locations/items"
PATHS = [
    "/ogc/", "/ogc/conformance", "/ogc/openapi", "/ogc/collections", "/ogc/collections/locations",
    "/ogc/collections/locations/queryables", "/ogc/collections/locations/schema", ITEMS,
]  # fmt: skip
ODD_ACCEPTS = [
    "text/csv", "application/xml", "foo", "application/json;q=0.5, text/csv", "text/html;q=0", "*/*;q=0",
    "application/json;q=abc", "text/html;q=2", ",,,", "image/png", "text/html;level=1;q=0.5, application/xml",
    "application/json; q=0.5, text/plain",
]  # fmt: skip


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


@pytest.mark.parametrize("accept", ODD_ACCEPTS)
@pytest.mark.parametrize("path", PATHS)
def test_no_accept_header_makes_a_server_error(client: Client, feed: Feed, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, accept, response.content[:300])
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("language", ["nl;q=0", "*", "nl-NL,nl;q=0.9,en;q=0", "en;q=zero", ""])
def test_no_accept_language_makes_a_server_error(client: Client, feed: Feed, language: str) -> None:
    response = client.get(ITEMS, headers={"Accept": "application/geo+json", "Accept-Language": language})
    assert response.status_code == 200


def test_unsupported_accept_answers_the_default_geojson(client: Client, feed: Feed) -> None:
    for accept in ("application/xml", "text/plain", "image/png", "*/*", "application/*", ""):
        response = client.get(ITEMS, headers={"Accept": accept})
        assert response["Content-Type"] == "application/geo+json", accept
        assert json.loads(response.content)["numberMatched"] == 30


def test_accept_chooses_by_quality(client: Client, feed: Feed) -> None:
    def content_type(accept: str, path: str = ITEMS) -> str:
        return str(client.get(path, headers={"Accept": accept})["Content-Type"])

    assert content_type("text/html").startswith("text/html")
    assert content_type("text/html;q=0.5, application/geo+json").startswith("application/geo+json")
    assert content_type("application/json;q=0.1, text/html;q=0.9").startswith("text/html")
    assert content_type("text/html;q=0, */*").startswith("application/geo+json")  # q=0: not that one
    assert content_type("application/ld+json").startswith("application/ld+json")
    assert content_type("text/*").startswith("text/html")
    # a browser: HTML first
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert content_type(browser, "/ogc/collections").startswith("text/html")
    assert content_type("application/vnd.oai.openapi+json;version=3.0", "/ogc/openapi").startswith(
        "application/vnd.oai.openapi+json"
    )
    # ?f= wins, and an unknown one stays a 400
    assert content_type("text/html", f"{ITEMS}?f=json").startswith("application/geo+json")
    assert client.get(f"{ITEMS}?f=xml", headers={"Accept": "text/html"}).status_code == 400


def test_accept_text_csv_answers_what_f_csv_answers(client: Client, feed: Feed) -> None:
    by_accept = client.get(ITEMS, {"limit": 100}, headers={"Accept": "text/csv"})
    by_f = client.get(ITEMS, {"limit": 100, "f": "csv"})
    assert by_accept.status_code == by_f.status_code == 200
    assert by_accept["Content-Type"].startswith("text/csv")
    accepted, asked = (b"".join(r.streaming_content) for r in (by_accept, by_f))  # a download (ogc/downloads.py)
    rows = list(csv.DictReader(io.StringIO(accepted.decode())))
    assert len(rows) == 30
    assert {row["name"] for row in rows} == {location.name for location in feed.current}
    assert accepted == asked


def test_choose_is_careful_with_what_clients_send() -> None:
    assert negotiation.choose("", negotiation.ITEMS).format is None
    assert negotiation.choose("text/html;q=0", negotiation.ITEMS).format is None
    assert negotiation.choose("text/csv;q=0.2, text/html;q=0.1", negotiation.ITEMS).format == "csv"
    assert negotiation.choose("TEXT/HTML", negotiation.ITEMS).format == "html"
    assert negotiation.clean_language("nl;q=0, en;q=0.5, de") == "en;q=0.5, de"


def test_cache_control_and_vary(client: Client, feed: Feed) -> None:
    items = client.get(ITEMS, headers={"Accept": "application/geo+json"})
    assert items["Cache-Control"] == "public, max-age=60"
    vary = {v.strip() for v in items["Vary"].split(",")}
    assert {"Accept", "Accept-Encoding"} <= vary
    one = client.get(f"{ITEMS}/{feed.current[0].pk}", headers={"Accept": "application/geo+json"})
    assert one["Cache-Control"] == "public, max-age=60"
    assert client.get("/ogc/collections/locations")["Cache-Control"] == "public, max-age=60"
    for path in ("/ogc/", "/ogc/conformance", "/ogc/openapi", "/ogc/collections/locations/queryables"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response["Cache-Control"] == "public, max-age=3600", path
    missing = client.get(f"{ITEMS}/999999999", headers={"Accept": "application/geo+json"})
    assert missing.status_code == 404
    assert "Cache-Control" not in missing
    unknown = client.get(ITEMS, {"colour": "red"}, headers={"Accept": "application/json"})
    assert unknown.status_code == 400
    assert "Accept" in unknown["Vary"]


def test_gzip_with_weak_etag_and_304(client: Client, feed: Feed) -> None:
    headers = {"Accept": "application/geo+json", "Accept-Encoding": "gzip, deflate"}
    zipped = client.get(ITEMS, {"limit": 30}, headers=headers)
    assert zipped["Content-Encoding"] == "gzip"
    document = json.loads(gzip.decompress(zipped.content))
    assert document["numberReturned"] == 30
    plain = client.get(ITEMS, {"limit": 30}, headers={"Accept": "application/geo+json"})
    assert "Content-Encoding" not in plain
    assert json.loads(plain.content)["features"] == document["features"]
    assert zipped["ETag"].startswith('W/"') and zipped["ETag"] == plain["ETag"]
    assert "Accept-Encoding" in plain["Vary"]
    for etag in (zipped["ETag"], zipped["ETag"].removeprefix("W/")):
        again = client.get(ITEMS, {"limit": 30}, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304
        assert again["ETag"] == zipped["ETag"]
        assert again["Cache-Control"] == "public, max-age=60"
        assert "Accept" in again["Vary"]


def test_gzip_is_fast_and_keeps_the_breach_padding(client: Client, feed: Feed) -> None:
    """Level 1 (ogc/compression.py, bench/bench_gzip.py), and a file name of random length in the header,
    so the compressed length does not tell a secret in the answer (Django's BREACH mitigation)."""
    headers = {"Accept": "application/geo+json", "Accept-Encoding": "gzip"}
    answers = [client.get(ITEMS, {"limit": 30}, headers=headers).content for _ in range(12)]
    flags, extra_flags = answers[0][3], answers[0][8]
    assert flags & gzip.FNAME
    assert extra_flags == 4  # "fastest algorithm" in the header (RFC 1952), as zlib writes it for level 1
    assert len({len(answer) for answer in answers}) > 1  # the padding varies
    assert all(json.loads(gzip.decompress(answer))["numberReturned"] == 30 for answer in answers)


def test_options_vary_with_the_token(client: Client, feed: Feed) -> None:
    response = client.options(ITEMS)
    assert response.status_code == 200
    assert "Authorization" in response["Vary"]
