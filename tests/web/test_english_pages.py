"""The site read in English shows no Dutch interface text (issue 16), checked from two sides:

- every page of tests/web/site_pages.py (public, resident, regisseur, admin, API docs, the feed),
  with `Accept-Language: en`, shows none of a list of the site's own Dutch words, chosen so that
  none occurs in the demo's data;
- the main pages of the demo speak English: each shows an English text of its own (and not when
  read in Dutch), answers `Content-Language: en`, and once the texts people wrote (names, plans,
  terms, news) are taken out, none of the Dutch msgids of web/ nor a list of common Dutch words is
  left in what a visitor reads.

What a visitor reads: the visible text, and the title, aria-label, aria-description, alt and
placeholder attributes and the text of submit buttons; not scripts, styles or templates."""

from __future__ import annotations

import ast
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import translation

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.services.offering import offering_create
from gis_service.groups.models import AgendaItem, ForumPost, ForumThread, Group, NewsPost, StatusUpdate, Task
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from gis_service.owners.selectors import DEFAULT_COST_PER_M2
from tests.conftest import rd_square
from tests.web.site_pages import demo_site_pages

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Attributes a reader perceives: shown on hover, read by a screen reader, or shown in a field.
ATTRIBUTES = {"title", "aria-label", "aria-description", "alt", "placeholder"}
_HIDDEN_TAGS = ("script", "style", "template")
# The site's own Dutch (buttons, labels, headings), chosen so that none occurs in the demo's data:
# checked on every page as it is, with nothing taken out.
DUTCH_INTERFACE_WORDS = [
    "Inloggen", "Uitloggen", "Opslaan", "Locatie", "Locaties", "Aanmelden", "Afmelden", "Beheerders", "maanden",
    "Verstuur", "Zoeken", "Kaart", "Wachtwoord", "Bevestig", "Terug", "Mijn account", "Mijn zelfbeheer",
    "Naar de inhoud", "Account aanmaken", "Voorwaarden", "Vrijwilliger", "Indienen", "Nieuws", "Annuleren",
    "Verwijderen", "Wijzigen", "Beheeromgeving", "Einddatum", "Begindatum", "Naam", "Telefoon",
]  # fmt: skip
_INTERFACE_WORDS = re.compile(r"\b(" + "|".join(re.escape(word) for word in DUTCH_INTERFACE_WORDS) + r")\b")
# Words of the Dutch interface that English text does not contain (whole words, any case), checked
# on the main pages once the texts people wrote are taken out.
DUTCH_WORDS = [
    "je", "jouw", "jij", "het", "een", "niet", "naar", "voor", "van", "wordt", "zijn", "nog", "ook", "tot",
    "vanaf", "sinds", "kaart", "plek", "plekken", "locatie", "locaties", "beheerder", "beheerders",
    "vrijwilliger", "vrijwilligers", "aanmelden", "afmelden", "voorwaarden", "bewoners", "regisseur",
    "maand", "maanden", "uur", "groep", "nieuws", "taken", "inloggen", "uitloggen", "delen", "opslaan",
    "annuleren", "versie", "bekijken", "beëindigen", "verlengen", "bord", "afdrukken", "aanbieden",
]  # fmt: skip
DUTCH_WORD = re.compile(r"\b(" + "|".join(DUTCH_WORDS) + r")\b", re.IGNORECASE)
# Texts the same in both languages, or too short to tell from a resident's words.
SAME_OR_SHORT = {"Status", "Contact", "Plan", "Forum", "Budget", "E-mail", "m²", "Agenda"}


class _Readable(HTMLParser):
    """What a visitor reads: text outside script, style and template, the attributes read out for
    controls, and the text of submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        for name, value in attrs:
            if value and (name in ATTRIBUTES or (name == "value" and dict(attrs).get("type") in ("submit", "button"))):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _readable(html: str) -> str:
    parser = _Readable()
    parser.feed(html)
    return "\n".join(parser.parts)


def dutch_words_in(html: str) -> list[str]:
    """The site's own Dutch words (DUTCH_INTERFACE_WORDS) in what a visitor reads of `html`."""
    return sorted(set(_INTERFACE_WORDS.findall(_readable(html))))


def _text_values(*model_classes: type[models.Model]) -> set[str]:
    fields = [
        (model, [f.name for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField)])
        for model in model_classes
    ]
    return {
        str(value) for model, names in fields for row in model._default_manager.values_list(*names) for value in row
    }


def _written_by_people() -> list[str]:
    """Every text residents, owners and the source data put in (and the labels of the domain apps'
    choices, which their own catalogs translate), longest first, line by line as pages show them."""
    values = _text_values(
        Location, Owner, Group, NewsPost, ForumThread, ForumPost, AgendaItem, Task, StatusUpdate,
        Offering, TermsVersion, ManagerSignup, Initiative, Contract,
    )  # fmt: skip
    values |= {str(location) for location in Location.objects.all()}
    values |= {part for user in User.objects.all() for part in (user.get_full_name(), user.email)}
    values |= set(DEFAULT_COST_PER_M2)
    with translation.override("nl"):
        for choices in (Location.Status, Contract.Status, Offering.Support, Task.Status):
            values |= {str(label) for label in choices.labels}
    lines = {line.strip() for value in values for line in value.splitlines()}
    return sorted((line for line in lines if len(line) > 1), key=len, reverse=True)


def _catalog() -> list[tuple[str, str]]:
    """(msgid or msgid_plural, msgstr or one of its plural forms) of every entry of the web catalog."""
    fields: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    key = ""
    for line in [*CATALOG.read_text().splitlines(), ""]:
        if line.startswith("msg"):
            key, _, quoted = line.partition(" ")
            fields[key] = ast.literal_eval(quoted)
        elif line.startswith('"'):
            fields[key] += ast.literal_eval(line)
        elif not line.strip() and fields:
            ids = [fields[k] for k in ("msgid", "msgid_plural") if k in fields]
            pairs += [(i, fields[k]) for i in ids for k in fields if k.startswith("msgstr")]
            fields = {}
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def _dutch_interface_texts() -> list[str]:
    """The literal parts of every Dutch msgid of web/ that English does not share."""
    catalog = _catalog()
    english = "\n".join(msgstr for _, msgstr in catalog)
    texts: set[str] = set()
    for msgid, _ in catalog:
        if msgid in SAME_OR_SHORT:
            continue
        for part in re.split(r"%\(\w+\)[sd]|<[^>]*>", msgid):
            part = part.strip(" .,:;()“”‘’—·")
            # A part English shares ("Log in", "Contract") says nothing.
            if (len(part) >= 4 and " " in part or len(part) >= 5) and part not in english:
                texts.add(part)
    return sorted(texts, key=len, reverse=True)


def _main_pages() -> list[tuple[str | None, str, str]]:
    """(demo user, path, an English text the page must show)."""
    call_command("load_demo")
    unnamed = Location.objects.filter(name="").order_by("pk").first()
    managed = Location.objects.get(name="Buurtplantsoen")
    waiting = Contract.objects.filter(status=Contract.Status.OPEN).order_by("pk").first()
    running = Contract.objects.filter(signups__user__username="bewoner", status=Contract.Status.ACTIVE).first()
    offerable = Location.objects.filter(offering__isnull=True, owner__name="Gemeente Hilversum").order_by("pk").first()
    group = Group.objects.order_by("pk").first()
    initiative = Initiative.objects.order_by("pk").first()
    owner = Owner.objects.get(name="Gemeente Hilversum")
    assert unnamed and waiting and running and offerable and group and initiative
    thread = ForumThread.objects.filter(group=group).order_by("pk").first()
    assert thread is not None
    offered = waiting.location_id
    return [
        (None, "/", "Self-management locations on the map"),
        (None, "/kaart/lijst/?bbox=5.1,52.2,5.2,52.25", "In view: 1–20 of"),
        (None, f"/locaties/{unnamed.pk}/", "Would you like to look after it anyway?"),
        (None, f"/locaties/{managed.pk}/", "This place is managed by residents."),
        (None, f"/locaties/{offered}/", "Managers needed"),
        (None, f"/locaties/{managed.pk}/bord/", "Scan the code: read more, follow the news, join in."),
        (None, f"/groepen/{group.pk}/", "Join as a volunteer"),
        ("vrijwilliger", f"/groepen/{group.pk}/", "You are a volunteer"),
        ("beheerder", f"/groepen/{group.pk}/", "Plan a meeting"),
        ("vrijwilliger", f"/groepen/{group.pk}/forum/{thread.pk}/", "Reply"),
        ("bewoner", f"/locaties/{offered}/aanmelden/", "Your acceptance is recorded with this version."),
        ("bewoner", f"/locaties/{running.location_id}/voorwaarden/", "Who accepted the current version"),
        ("bewoner", "/initiatief/", "Residents' initiative: draw your place"),
        ("bewoner", f"/initiatief/{initiative.pk}/meedoen/{initiative.invite_token}/", "A neighbour invites you."),
        ("bewoner", "/mijn-zelfbeheer/", "My residents' initiatives"),
        ("bewoner", f"/contracten/{running.pk}/", "Your contact person is the director of"),
        ("regisseur", f"/contracten/{running.pk}/", "Acceptances of the terms"),
        ("regisseur", "/regisseur/", "To decide"),
        ("regisseur", f"/locaties/{offered}/", "For the director"),
        ("regisseur", f"/locaties/{offerable.pk}/aanbieden/", "Term of the contract (months)"),
        ("regisseur", f"/locaties/{offered}/aanbod/", "Change the offer of"),
        ("regisseur", f"/locaties/{offered}/aanbod/voorwaarden/", "A published version never changes again."),
        ("regisseur", f"/locaties/{offered}/aanbod/stoppen/", "sign-up is still awaiting a decision"),
        (None, f"/eigenaren/{owner.slug}/waarde/", "Value of self-management at"),
        ("regisseur", f"/eigenaren/{owner.slug}/kosten/", "Maintenance costs per m² per year at"),
    ]


def _dutch(client: Client) -> Client:
    """The same visitor with a browser that asks for Dutch (the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    return client


def test_the_main_pages_speak_english_with_no_dutch_interface_text_left() -> None:
    pages = _main_pages()
    written = _written_by_people()
    dutch_texts = _dutch_interface_texts()
    problems: list[str] = []
    for username, path, english in pages:
        client = Client(headers={"Accept-Language": "en"})
        if username is not None:
            client.force_login(User.objects.get(username=username))
        response = client.get(path)
        assert response.status_code == 200, (username, path, response.status_code)
        assert response["Content-Language"] == "en", path
        text = _readable(response.content.decode())
        if english not in text:
            problems.append(f"{username} {path}: no “{english}”")
        if english in _readable(_dutch(client).get(path).content.decode()):
            problems.append(f"{username} {path}: “{english}” in Dutch too")
        for line in written:
            text = text.replace(line, " ")
        text = re.sub(r"https?://\S+", " ", text)  # the URLs stay Dutch (issue 16)
        problems += [f"{username} {path}: Dutch “{dutch}”" for dutch in dutch_texts if dutch in text]
        problems += [
            f"{username} {path}: Dutch word “{match[0]}” in “{text[max(0, match.start() - 40) : match.end() + 40]}”"
            for match in DUTCH_WORD.finditer(text)
        ]
    assert not problems, "\n".join(problems)


def _read_as(username: str | None, language: str) -> Client:
    client = Client(headers={"Accept-Language": language})
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def test_no_page_read_in_english_shows_dutch_interface_words() -> None:
    pages = demo_site_pages()
    clients = {username: _read_as(username, "en") for username in {username for username, _path in pages}}
    found: dict[str, list[str]] = {}
    for username, path in pages:
        answer = clients[username].get(path)
        assert answer.status_code == 200, f"{path} as {username}: {answer.status_code}"
        words = dutch_words_in(answer.content.decode())
        if words:
            found[f"{path} ({username or 'visitor'})"] = words
    assert not found, "Dutch on English pages:\n" + "\n".join(f"{page}: {words}" for page, words in found.items())


def test_the_check_finds_the_words_on_a_dutch_page() -> None:
    """The list is of words the pages do say in Dutch: the check above is not empty by mistake."""
    assert {"Inloggen", "Wachtwoord", "Account aanmaken"} <= set(
        dutch_words_in(_read_as(None, "nl").get("/accounts/login/").content.decode())
    )


def _location_page(location: Location, language: str) -> str:
    return _readable(Client(headers={"Accept-Language": language}).get(f"/locaties/{location.pk}/").content.decode())


def test_one_month_is_singular_and_dates_name_the_month_in_the_pages_language(
    owner_a: Owner, regisseur_a: User
) -> None:
    location = Location.objects.create(owner=owner_a, name="Strook", geometry=rd_square(140000, 466000, 20))
    offering_create(
        location=location, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.",
        contract_months=1, offered_from=dt.date(2031, 3, 2),
    )  # fmt: skip
    dutch, english = _location_page(location, "nl"), _location_page(location, "en")
    assert "1 maand" in dutch and "1 maanden" not in dutch
    assert "1 month" in english and "1 months" not in english
    assert "vanaf 2 maart 2031" in dutch
    assert "from 2 March 2031" in english
    Offering.objects.filter(location=location).update(contract_months=2)
    assert "2 maanden" in _location_page(location, "nl") and "2 months" in _location_page(location, "en")


def test_messages_after_a_post_are_in_the_visitors_language(owner_a: Owner, regisseur_a: User) -> None:
    location = Location.objects.create(owner=owner_a, name="Strook", geometry=rd_square(140000, 466000, 20))
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(regisseur_a)
    data = {"conditions": "Geen gif.", "terms_text": "Versie 1.", "managers_needed": 2, "contract_months": 12}
    response = client.post(f"/locaties/{location.pk}/aanbieden/", data, follow=True)
    assert "Strook is now offered." in _readable(response.content.decode())


def test_the_home_maps_background_is_credited_in_the_readers_language() -> None:
    """The default attribution of MAP_BACKGROUND_ATTRIBUTION, as the location pages' maps say it."""
    english = _read_as(None, "en").get("/").content.decode()
    assert 'data-background-attribution="Map data &amp;copy; Kadaster (PDOK)"' in english
    dutch = _read_as(None, "nl").get("/").content.decode()
    assert 'data-background-attribution="Kaartgegevens &amp;copy; Kadaster (PDOK)"' in dutch
