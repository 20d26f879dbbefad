"""RFC 8288 `Link` headers on the feed's JSON answers: self, alternate, next and queryables."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.ogc.conftest import Feed, OgcClient

pytestmark = pytest.mark.django_db
ITEMS = "/collections/locations/items"
QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[\w-]+="[^"]*")*)')


def parse(header: str) -> list[dict[str, str]]:
    """A strict reading: every link `<uri>` with quoted parameters, separated by commas."""
    links = []
    rest = header
    while rest:
        match = LINK.match(rest)
        assert match, f"not a Link header: {rest[:200]}"
        link = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(2)))
        link["href"] = match.group(1)
        links.append(link)
        rest = rest[match.end() :].lstrip()
        assert not rest or rest.startswith(","), rest[:200]
        rest = rest[1:].lstrip()
    return links


def by_rel(header: str) -> dict[str, list[dict[str, str]]]:
    links: dict[str, list[dict[str, str]]] = {}
    for link in parse(header):
        links.setdefault(link["rel"], []).append(link)
    return links


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_a_page_of_items_links_self_alternates_next_and_queryables(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(ITEMS, {"limit": 10, "bbox": "4,51,6,53", "filter": "type = 'gras' OR area_m2 > 0"})
    assert response.status_code == 200
    links = by_rel(response["Link"])
    assert [link["type"] for link in links["self"]] == ["application/geo+json"]
    self_query = query(links["self"][0]["href"])
    # self names this very page: with the parameters pygeoapi does not see (bbox, filter)
    assert self_query["bbox"] == ["4,51,6,53"] and self_query["filter"] == ["type = 'gras' OR area_m2 > 0"]
    assert {link["type"] for link in links["alternate"]} >= {"text/html", "application/ld+json"}
    assert all(query(link["href"])["bbox"] == ["4,51,6,53"] for link in links["alternate"])
    assert links[QUERYABLES][0]["href"].endswith("/ogc/collections/locations/queryables")
    assert links[QUERYABLES][0]["type"] == "application/schema+json"
    next_href = links["next"][0]["href"]
    assert ";" not in next_href and "," not in next_href  # the separators of the header itself
    second = ogc.client.get(urlsplit(next_href).path + "?" + urlsplit(next_href).query)
    assert second.status_code == 200
    assert "next" in by_rel(second["Link"])  # 30 locations: a third page follows


def test_the_header_carries_the_same_links_as_the_body(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.get(ITEMS, {"limit": 5})
    body = {(link["rel"], link["href"]) for link in response.json()["links"]}
    header = {(link["rel"], link["href"].replace("%2C", ",")) for link in parse(response["Link"])}
    assert header == body


def test_head_of_items_has_the_queryables_link_part3_looks_for(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.client.head(f"/ogc{ITEMS}", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert QUERYABLES in by_rel(response["Link"])


def test_metadata_answers_link_themselves_and_their_alternates(ogc: OgcClient, feed: Feed) -> None:
    for path in ("/", "/collections", "/collections/locations", f"{ITEMS}/{feed.locations_a[0].pk}"):
        links = by_rel(ogc.get(path)["Link"])
        assert links["self"] and links["alternate"], path
    collection = by_rel(ogc.get("/collections/locations")["Link"])
    assert QUERYABLES in collection and "items" in collection
    assert "service-desc" in by_rel(ogc.get("/")["Link"])


def test_the_last_page_has_no_next_link(ogc: OgcClient, feed: Feed) -> None:
    links = by_rel(ogc.get(ITEMS, {"limit": 100})["Link"])
    assert "next" not in links and "self" in links


def test_html_pages_of_items_link_in_their_headers(ogc: OgcClient, feed: Feed) -> None:
    # The HTML body's links are for people: the header is where paging clients look.
    first = ogc.client.get(f"/ogc{ITEMS}", {"f": "html", "limit": 7, "filter": "area_m2 > 0"})
    assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
    links = by_rel(first["Link"])
    assert links["self"][0]["type"] == "text/html" and query(links["self"][0]["href"])["f"] == ["html"]
    assert {link["type"] for link in links["alternate"]} == {"application/geo+json"}
    assert links[QUERYABLES][0]["href"].endswith("/ogc/collections/locations/queryables")
    assert "prev" not in links
    pages, response = 1, first
    while "next" in (links := by_rel(response["Link"])):
        assert links["next"][0]["type"] == "text/html"
        next_query = query(links["next"][0]["href"])
        assert next_query["f"] == ["html"] and next_query["filter"] == ["area_m2 > 0"]
        response = ogc.client.get(urlsplit(links["next"][0]["href"]).path, {k: v[0] for k, v in next_query.items()})
        assert response.status_code == 200
        assert "prev" in by_rel(response["Link"])
        pages += 1
    assert pages == 5  # 30 locations, 7 a page


def test_a_download_links_itself_and_its_alternates(ogc: OgcClient, feed: Feed) -> None:
    response = ogc.client.get(f"/ogc{ITEMS}", {"f": "csv", "filter": "type = 'gras'"})
    assert response.status_code == 200
    links = by_rel(response["Link"])
    assert links["self"][0]["type"] == "text/csv"
    assert {link["type"] for link in links["alternate"]} == {"application/geo+json", "text/html"}
    assert all(query(link["href"])["filter"] == ["type = 'gras'"] for link in links["alternate"])
    assert "next" not in links  # a download is the whole selection
