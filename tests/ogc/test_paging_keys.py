"""Paging at national scale: prev links seek by key like next links, and a filtered selection is
counted once, on its first page, with the count carried in the links' cursors (docs/ogc.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from gis_service.locations.models import Location
from ogc.providers import Cursor, encode_cursor
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient, next_link

pytestmark = pytest.mark.django_db
ITEMS = "/collections/locations/items"


def link(document: dict[str, Any], rel: str) -> str | None:
    return next((item["href"] for item in document.get("links", []) if item["rel"] == rel), None)


def must(href: str | None) -> str:
    assert href is not None
    return href


def ids(document: dict[str, Any]) -> list[int]:
    return [feature["id"] for feature in document["features"]]


def walk_forward(ogc: OgcClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [ogc.json(ITEMS, params)]
    while (href := next_link(pages[-1])) is not None:
        pages.append(ogc.follow(href))
    return pages


@pytest.mark.parametrize("sortby", [None, "-name", "type,-area_m2"])
def test_prev_links_walk_back_through_the_same_pages_by_key(ogc: OgcClient, feed: Feed, sortby: str | None) -> None:
    params: dict[str, Any] = {"limit": 7, **({"sortby": sortby} if sortby else {})}
    pages = walk_forward(ogc, params)
    assert len(pages) == 5  # 30 locations
    assert link(pages[0], "prev") is None
    for number in range(len(pages) - 1, 0, -1):
        href = link(pages[number], "prev")
        assert href is not None, number
        query = parse_qs(urlsplit(href).query)
        assert query["offset"] == [str(7 * (number - 1))]
        # beyond the first page the prev link carries the first key of this page, never a bare offset
        assert ("cursor" in query) == (number > 1)
        previous = ogc.follow(href)
        assert ids(previous) == ids(pages[number - 1]), (sortby, number)
        # the page reached backwards links forwards to where we came from, and further back
        assert next_link(previous) is not None
        assert ogc.follow(must(next_link(previous)))["features"][0]["id"] == ids(pages[number])[0]


def test_a_prev_link_has_one_prev_link_even_on_the_last_page(ogc: OgcClient, feed: Feed) -> None:
    last = walk_forward(ogc, {"limit": 7})[-1]
    rels = [item["rel"] for item in last["links"]]
    assert rels.count("prev") == 1 and "next" not in rels


def test_a_filtered_selection_is_counted_on_its_first_page_only(ogc: OgcClient, feed: Feed) -> None:
    params = {"limit": 4, "filter": "type = 'gras'"}
    first = ogc.json(ITEMS, params)
    assert first["numberMatched"] == 5
    # A location that matches arrives after the first page was counted: the pages reached by the
    # first page's links report the selection as it was counted, not a count paid again per page.
    Location.objects.create(owner=feed.owner_a, name="Nieuw gras", type="gras", geometry=rd_square(141000, 471000, 8))
    second = ogc.follow(must(next_link(first)))
    assert second["numberMatched"] == 5
    # The first page of the same query, asked again, counts again.
    assert ogc.json(ITEMS, params)["numberMatched"] == 6


def test_a_carried_count_is_only_used_for_the_selection_it_was_counted_for(ogc: OgcClient, feed: Feed) -> None:
    gras = ogc.json(ITEMS, {"limit": 2, "filter": "type = 'gras'"})
    cursor = parse_qs(urlsplit(must(next_link(gras))).query)["cursor"][0]
    # The same cursor on another selection (or a hand-made count) is counted afresh.
    other = ogc.json(ITEMS, {"limit": 2, "offset": 2, "cursor": cursor, "filter": "type = 'haag'"})
    assert other["numberMatched"] == 5
    forged = encode_cursor(Cursor(offset=2, after=[0], matched=999, query="0" * 16))
    assert ogc.json(ITEMS, {"limit": 2, "offset": 2, "cursor": forged, "filter": "type = 'gras'"})["numberMatched"] == 5


def test_an_unfiltered_page_keeps_its_exact_count(ogc: OgcClient, feed: Feed) -> None:
    first = ogc.json(ITEMS, {"limit": 10})
    Location.objects.create(owner=feed.owner_a, name="Nieuw", type="gras", geometry=rd_square(141000, 471000, 8))
    assert ogc.follow(must(next_link(first)))["numberMatched"] == 31  # the kept counter is exact and free


# not base64; {"o":2} without a key; {"o":2,"k":[1],"b":[1]} both ways; {"o":2,"k":"x"} a key that is no list
@pytest.mark.parametrize("token", ["!!", "eyJvIjoyfQ", "eyJvIjoyLCJrIjpbMV0sImIiOlsxXX0", "eyJvIjoyLCJrIjoieCJ9"])
def test_a_malformed_cursor_is_refused(ogc: OgcClient, feed: Feed, token: str) -> None:
    response = ogc.get(ITEMS, {"limit": 2, "offset": 2, "cursor": token})
    assert response.status_code == 400, response.content[:300]
    assert b"cursor" in response.content


def test_a_bare_offset_seeks_to_the_same_page_and_past_the_end_finds_nothing(ogc: OgcClient, feed: Feed) -> None:
    pages = walk_forward(ogc, {"limit": 7, "sortby": "-name"})
    by_offset = ogc.json(ITEMS, {"limit": 7, "offset": 14, "sortby": "-name"})
    assert ids(by_offset) == ids(pages[2])
    beyond = ogc.json(ITEMS, {"limit": 7, "offset": 100})
    assert beyond["features"] == [] and beyond["numberMatched"] == 30 and next_link(beyond) is None
