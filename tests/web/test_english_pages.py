"""Every page of the site read in English shows no Dutch interface text (issue 16).

The words below are the site's own Dutch (buttons, labels, headings), chosen so that none occurs in
the demo's data: names of locations, owners and groups, news, terms and plans stay as they were written."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from gis_service.accounts.models import User
from tests.web.site_pages import demo_site_pages

DUTCH_INTERFACE_WORDS = [
    "Inloggen",
    "Uitloggen",
    "Opslaan",
    "Locatie",
    "Locaties",
    "Aanmelden",
    "Afmelden",
    "Beheerders",
    "maanden",
    "Verstuur",
    "Zoeken",
    "Kaart",
    "Wachtwoord",
    "Bevestig",
    "Terug",
    "Mijn account",
    "Mijn zelfbeheer",
    "Naar de inhoud",
    "Account aanmaken",
    "Voorwaarden",
    "Vrijwilliger",
    "Indienen",
    "Nieuws",
    "Annuleren",
    "Verwijderen",
    "Wijzigen",
    "Beheeromgeving",
    "Einddatum",
    "Begindatum",
    "Naam",
    "Telefoon",
]
_WORDS = re.compile(r"\b(" + "|".join(re.escape(word) for word in DUTCH_INTERFACE_WORDS) + r")\b")
# Attributes a reader perceives: shown on hover, read by a screen reader, or shown in a field.
_READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}


class VisibleText(HTMLParser):
    """The text a reader meets on a page: text outside scripts and styles, and the attributes above."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden_depth += 1
        for name, value in attrs:
            if value and (
                name in _READ_ATTRIBUTES or (name == "value" and dict(attrs).get("type") in ("submit", "button"))
            ):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and data.strip():
            self.parts.append(data.strip())


def dutch_words_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return sorted(set(_WORDS.findall("\n".join(parser.parts))))


def read_as(username: str | None, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.django_db
def test_no_page_read_in_english_shows_dutch_interface_words() -> None:
    pages = demo_site_pages()
    clients = {username: read_as(username, "en") for username in {username for username, _path in pages}}
    found: dict[str, list[str]] = {}
    for username, path in pages:
        answer = clients[username].get(path)
        assert answer.status_code == 200, f"{path} as {username}: {answer.status_code}"
        words = dutch_words_in(answer.content.decode())
        if words:
            found[f"{path} ({username or 'visitor'})"] = words
    assert not found, "Dutch on English pages:\n" + "\n".join(f"{page}: {words}" for page, words in found.items())


@pytest.mark.django_db
def test_the_check_finds_the_words_on_a_dutch_page() -> None:
    """The list is of words the pages do say in Dutch: the check above is not empty by mistake."""
    assert {"Inloggen", "Wachtwoord", "Account aanmaken"} <= set(
        dutch_words_in(read_as(None, "nl").get("/accounts/login/").content.decode())
    )
