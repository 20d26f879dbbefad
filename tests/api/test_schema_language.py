"""The OpenAPI document and its Swagger UI page speak the site's language (issue 16): Dutch by default,
English by Accept-Language, the language cookie or `lang=`; every description of ours in that language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DOCUMENT = "application/vnd.oai.openapi+json"
DUTCH = {
    "title": "Zelfbeheer-API",
    "description": "Locaties, voorwaarden, aanmeldingen, contracten, initiatieven en de overlapcheck.",
    ("/api/locations/", "get"): "Locaties als GeoJSON (CRS84) met hun aanbod; bewoners melden zich hier aan.",
    ("/api/groups/{id}/follow/", "post"): (
        "Krijg het nieuws van de groep per e-mail (iedereen die is ingelogd); twee keer volgen is geen fout."
    ),
    ("/api/overlap-check/", "post"): (
        "Hoe een getekend gebied lopende contracten en locaties raakt; zonder inloggen, met een limiet per client."
    ),
}
ENGLISH = {
    "title": "Zelfbeheer API",
    "description": "Locations, terms, sign-ups, contracts, initiatives and the overlap check.",
    ("/api/locations/", "get"): "Locations as GeoJSON (CRS84) with their offering; residents sign up here.",
    ("/api/groups/{id}/follow/", "post"): (
        "Get the group's news by e-mail (anyone logged in); following twice is no error."
    ),
    ("/api/overlap-check/", "post"): (
        "How a drawn area meets active contracts and locations; no login needed, rate-limited."
    ),
}
# Words of one language that the other's descriptions do not contain (whole words, any case), looked for
# outside `code` (field names and enum values stay as clients know them: `voor`, `dagen`).
ENGLISH_WORDS = {"the", "and", "with", "only", "their", "when", "by", "from", "this", "or", "an", "to", "for"}
DUTCH_WORDS = {"de", "het", "een", "en", "van", "met", "alleen", "je", "jouw", "voor", "niet", "dit", "deze"}


def _document(client: APIClient, **headers: str) -> dict[str, Any]:
    answer = client.get("/api/schema/", HTTP_ACCEPT=DOCUMENT, **headers)
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def _texts(node: Any) -> list[str]:
    """Every description, summary and title in the document."""
    if isinstance(node, dict):
        own = [v for k, v in node.items() if k in {"description", "summary", "title"} and isinstance(v, str)]
        return own + [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[^\W\d_]+", re.sub(r"`[^`]*`", " ", text))}


def _assert_speaks(document: dict[str, Any], expected: dict[Any, str]) -> None:
    assert document["info"]["title"] == expected["title"]
    assert document["info"]["description"] == expected["description"]
    for (path, method), description in ((k, v) for k, v in expected.items() if isinstance(k, tuple)):
        assert document["paths"][path][method]["description"] == description, (path, method)


def test_the_document_is_dutch_by_default() -> None:
    _assert_speaks(_document(APIClient()), DUTCH)


def test_the_document_is_english_for_an_english_browser() -> None:
    _assert_speaks(_document(APIClient(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"), ENGLISH)


def test_the_document_follows_the_language_cookie() -> None:
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _assert_speaks(_document(client), ENGLISH)


def test_lang_beats_the_browsers_language() -> None:
    _assert_speaks(_document(APIClient(), QUERY_STRING="lang=en"), ENGLISH)
    _assert_speaks(_document(APIClient(), QUERY_STRING="lang=nl", HTTP_ACCEPT_LANGUAGE="en"), DUTCH)


REFUSED_LANG = {
    "nl": "lang moet een van deze talen zijn: nl, en.",
    "en": "lang must be one of these languages: nl, en.",
}


@pytest.mark.parametrize(("header", "language"), [("nl", "nl"), ("en-GB,en;q=0.9", "en"), ("fr", "nl")])
def test_a_language_we_do_not_speak_is_refused_by_the_document_as_json(header: str, language: str) -> None:
    for query in ({"lang": "fr"}, {"lang": "fr", "format": "yaml"}):
        answer = APIClient().get("/api/schema/", query, HTTP_ACCEPT_LANGUAGE=header)
        assert answer.status_code == 400, query
        assert answer["Content-Type"] == "application/json"
        assert answer.json() == {"detail": REFUSED_LANG[language]}


@pytest.mark.parametrize(("header", "language"), [("nl", "nl"), ("en-GB,en;q=0.9", "en"), ("fr", "nl")])
def test_a_language_we_do_not_speak_is_refused_by_the_docs_page_as_a_page(header: str, language: str) -> None:
    """It was the JSON of the document, shown to a reader as raw text: now the site's page, with the same
    message, in the language of the request's headers (Dutch when they name none we offer)."""
    answer = APIClient().get("/api/docs/", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE=header)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/html")
    assert answer["Content-Language"] == language
    page = answer.content.decode()
    assert f'<html lang="{language}">' in page
    assert f"<p>{REFUSED_LANG[language]}</p>" in page
    heading = {"nl": "Deze vraag kunnen we niet beantwoorden", "en": "We cannot answer this request"}[language]
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/api/docs/"' in page  # the way back, without the refused lang
    # choosing a language comes back without it too: the refused lang outranked the choice, and refused again
    assert '<input type="hidden" name="next" value="/api/docs/">' in page
    # the start-up script, which only the page fetches, is no page
    script = APIClient().get("/api/docs/", {"lang": "fr", "script": ""}, HTTP_ACCEPT_LANGUAGE=header)
    assert script.status_code == 400 and script.json() == {"detail": REFUSED_LANG[language]}


def test_choosing_a_language_comes_back_without_the_lang_parameter_and_keeps_the_others() -> None:
    answer = APIClient().get("/api/docs/", {"lang": "fr", "x": "1 2", "y": ""})
    assert '<input type="hidden" name="next" value="/api/docs/?x=1+2&amp;y=">' in answer.content.decode()


def test_no_description_is_left_in_the_other_language() -> None:
    """drf-spectacular showed docstrings, and the libraries' own texts, in English on the Dutch document."""
    dutch = {text for text in _texts(_document(APIClient())) if _words(text) & ENGLISH_WORDS}
    assert dutch == set()
    english = {text for text in _texts(_document(APIClient(), HTTP_ACCEPT_LANGUAGE="en")) if _words(text) & DUTCH_WORDS}
    assert english == set()


def test_a_cache_keeps_the_languages_apart() -> None:
    """A Dutch document kept by a cache must not answer an English request."""
    answer = APIClient().get("/api/schema/", HTTP_ACCEPT=DOCUMENT, HTTP_ACCEPT_LANGUAGE="en")
    assert answer["Content-Language"] == "en"
    varies = {header.strip().lower() for header in answer["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= varies


@pytest.mark.parametrize(
    ("headers", "query", "lang", "title"),
    [
        ({}, "", "nl", "Zelfbeheer-API"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "", "en", "Zelfbeheer API"),
        ({}, "?lang=en", "en", "Zelfbeheer API"),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "?lang=nl", "nl", "Zelfbeheer-API"),
    ],
)
def test_the_docs_page_says_its_language(headers: dict[str, str], query: str, lang: str, title: str) -> None:
    """The page's lang is that of its title and of the document it shows (Swagger UI's own controls are
    English in every language: docs/accessibility.md)."""
    answer = APIClient().get(f"/api/docs/{query}", **headers)
    page = answer.content.decode()
    assert f'<html lang="{lang}">' in page
    assert f"<title>{title}</title>" in page
    assert answer["Content-Language"] == lang
    if query:  # the page hands lang= on to the document it fetches
        script = APIClient().get(f"/api/docs/{query}&script").content.decode()
        assert f"/api/schema/?lang\\u003D{lang}" in script
