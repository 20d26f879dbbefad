"""A filtered page counts its matches up to OGC_COUNT_MAX for numberMatched and leaves it out past that
(optional in OGC API Features): at 10,000,000 locations one type matched 2,000,000 and the exact count
made the first page 5× slower than at 100,000 (docs/benchmarks.md, National dataset)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import Settings

from tests.ogc.conftest import Feed, OgcClient, next_link

ITEMS = "/collections/locations/items"

pytestmark = pytest.mark.django_db


def all_pages(ogc: OgcClient, first: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [first]
    while (link := next_link(pages[-1])) is not None:
        pages.append(ogc.follow(link))
    return pages


def test_past_the_bound_a_filtered_page_leaves_number_matched_out_and_pages_on(
    ogc: OgcClient, feed: Feed, settings: Settings
) -> None:
    settings.OGC_COUNT_MAX = 4  # owner A has 5 locations of type gras
    for params in ({"filter": "type = 'gras'"}, {"type": "gras"}):
        pages = all_pages(ogc, ogc.json(ITEMS, {"f": "json", "limit": 2, **params}))
        assert [page["numberReturned"] for page in pages] == [2, 2, 1]
        assert all("numberMatched" not in page for page in pages)
        assert {f["properties"]["type"] for page in pages for f in page["features"]} == {"gras"}


def test_the_pages_after_one_past_the_bound_do_not_count_again(ogc: OgcClient, feed: Feed, settings: Settings) -> None:
    """Past the bound, each next page would count OGC_COUNT_MAX + 1 matches again (at 10,000,000 locations a
    selective filter scans far for them); the links carry that the first page found more."""
    settings.OGC_COUNT_MAX = 4
    first = ogc.json(ITEMS, {"f": "json", "limit": 2, "filter": "type = 'gras'"})
    assert "numberMatched" not in first
    settings.OGC_COUNT_MAX = 10  # a page that counted again would now find 5 and say so
    pages = all_pages(ogc, first)
    assert [page["numberReturned"] for page in pages] == [2, 2, 1]
    assert all("numberMatched" not in page for page in pages)
    prev = next(link["href"] for link in pages[-1]["links"] if link["rel"] == "prev")
    assert "numberMatched" not in ogc.follow(prev)
    # A new first page of the same selection counts afresh.
    assert ogc.json(ITEMS, {"f": "json", "limit": 2, "filter": "type = 'gras'"})["numberMatched"] == 5


def test_up_to_the_bound_and_for_hits_the_count_is_exact(ogc: OgcClient, feed: Feed, settings: Settings) -> None:
    settings.OGC_COUNT_MAX = 5
    pages = all_pages(ogc, ogc.json(ITEMS, {"f": "json", "limit": 3, "filter": "type = 'gras'"}))
    assert [page["numberMatched"] for page in pages] == [5, 5]

    settings.OGC_COUNT_MAX = 4
    hits = ogc.json(ITEMS, {"f": "json", "resulttype": "hits", "filter": "type = 'gras'"})
    assert hits["numberMatched"] == 5 and hits["numberReturned"] == 0
    # Unfiltered pages read the exact counter, whatever the bound.
    assert ogc.json(ITEMS, {"f": "json", "limit": 4})["numberMatched"] == len(feed.current) == 30
