"""The feed's HTML pages and collection titles in the request's language: `lang=`, else
Accept-Language, Dutch by default; the data's own values (status labels) never change with it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from .conftest import Feed

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def visible_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def browser() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


PAGES = ["/ogc/?f=html", "/ogc/collections?f=html", "/ogc/conformance?f=html", "/ogc/collections/locations?f=html",
         "/ogc/collections/locations/queryables?f=html", "/ogc/collections/locations/schema?f=html",
         "/ogc/collections/locations/items?f=html&limit=5"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_the_feed_pages_are_dutch_by_default(browser: Client, feed: Feed, path: str) -> None:
    response = browser.get(path)
    text = visible_text(response)
    assert "Kaart" in text and "Kruimelpad" in response.content.decode()
    assert not {"Map", "Collections", "Home", "Next", "Licence"} & set(text.split()), text[
        :500
    ]  # "OGC API Features" is a name
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_the_feed_pages_are_english_when_the_browser_asks(browser: Client, feed: Feed, path: str) -> None:
    response = browser.get(path, headers=ENGLISH)
    text = visible_text(response)
    assert "Map" in text and "Home" in text
    assert not {"Kaart", "Collecties", "Objecten", "Start", "Zelfbeheerlocaties"} & set(text.split()), text[:500]
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]  # shared caches keep the languages apart


@pytest.mark.django_db
def test_each_page_says_its_own_things_in_english(browser: Client, feed: Feed) -> None:
    landing = visible_text(browser.get("/ogc/?f=html", headers=ENGLISH))
    assert "View the collections of this service" in landing and "Public space in self-management" in landing
    collections = visible_text(browser.get("/ogc/collections?f=html", headers=ENGLISH))
    assert "Collections of this service" in collections and "Self-management locations" in collections
    items = visible_text(browser.get("/ogc/collections/locations/items?f=html&limit=5", headers=ENGLISH))
    assert "Features found: 30" in items and "Next" in items
    dutch_items = visible_text(browser.get("/ogc/collections/locations/items?f=html&limit=5"))
    assert "Objecten gevonden: 30" in dutch_items and "Volgende" in dutch_items


@pytest.mark.django_db
def test_lang_wins_over_accept_language(browser: Client, feed: Feed) -> None:
    text = visible_text(browser.get("/ogc/collections?f=html&lang=nl", headers=ENGLISH))
    assert "Collecties van deze dienst" in text
    text = visible_text(browser.get("/ogc/collections?f=html&lang=en"))
    assert "Collections of this service" in text


@pytest.mark.django_db
def test_collection_titles_follow_the_language_but_the_data_does_not(browser: Client, feed: Feed) -> None:
    def get(path: str, **headers: str) -> Any:
        return browser.get(path, headers={"Accept": "application/json", **headers}).json()

    dutch = {c["id"]: c["title"] for c in get("/ogc/collections")["collections"]}
    english = {c["id"]: c["title"] for c in get("/ogc/collections", **ENGLISH)["collections"]}
    assert dutch["locations"] == "Zelfbeheerlocaties" and english["locations"] == "Self-management locations"
    assert english["initiatives"] == "Resident initiatives"
    # Status labels are data: the same in either language, so filters and cached answers agree.
    first_english = get("/ogc/collections/locations/items?limit=50", **ENGLISH)["features"]
    first_dutch = get("/ogc/collections/locations/items?limit=50")["features"]
    assert [f["properties"]["status"] for f in first_english] == [f["properties"]["status"] for f in first_dutch]
    assert {f["properties"]["status"] for f in first_english} <= {
        "beschikbaar", "aangevraagd", "in beheer", "niet beschikbaar",
    }  # fmt: skip
    queryables = get("/ogc/collections/locations/queryables", **ENGLISH)
    assert "beschikbaar" in queryables["properties"]["status"]["enum"]


@pytest.mark.django_db
def test_the_feeds_own_refusals_follow_the_language(browser: Client, feed: Feed) -> None:
    too_long = "name = '" + "x" * 70000 + "'"
    english = browser.get("/ogc/collections/locations/items", {"filter": too_long}, headers=ENGLISH)
    dutch = browser.get("/ogc/collections/locations/items", {"filter": too_long})
    assert english.status_code == dutch.status_code == 400
    assert "The filter is longer than 65536 characters." in english.json()["description"]
    assert "Het filter is langer dan 65536 tekens." in dutch.json()["description"]
    assert "too long" not in dutch.json()["description"]  # no English left in the Dutch answer
