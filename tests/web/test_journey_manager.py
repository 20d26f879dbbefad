"""Journey 2, the resident as manager, on a phone: from the map to an offered location, its
conditions and terms, a sign-up accepting the current terms version, the sign-up on Mijn
zelfbeheer with where it stands, and withdrawing before the start; once with a Dutch phone and once
with an English one (issue 16: the journeys in both languages), axe-core on every page
(tests/web/journeys.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import ManagerSignup, TermsAcceptance
from gis_service.contracts.services.offering import offering_create
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.journeys import AxeWalk, in_both_languages

# What the resident reads and taps, as a reader of each language sees it (not looked up in our catalogs).
TEXTS = {
    "nl-NL": {
        "available": "beschikbaar", "not available": "niet beschikbaar", "needed": "Beheerders nodig",
        "terms": "Contractvoorwaarden (versie 1)", "sign up link": "Aanmelden als beheerder", "log in": "Inloggen",
        "plan": "Wat wil je hier doen?", "accept": "Ik ga akkoord met de voorwaarden hierboven",
        "sign up": "Aanmelden", "signed up": "Je bent aangemeld als beheerder.", "mine": "Mijn zelfbeheer",
        "waiting": "Wacht op meer beheerders: 1 van de 3 aangemeld.", "withdraw": "Afmelden",
        "withdrawn": "Je bent afgemeld als beheerder.", "withdrawn on": "Afgemeld op",
    },
    "en-GB": {
        "available": "available", "not available": "not available", "needed": "Managers needed",
        "terms": "Contract terms (version 1)", "sign up link": "Sign up as manager", "log in": "Log in",
        "plan": "What would you like to do here?", "accept": "I accept the terms above",
        "sign up": "Sign up", "signed up": "You have signed up as a manager.", "mine": "My self-management",
        "waiting": "Waiting for more managers: 1 of the 3 signed up.", "withdraw": "Withdraw",
        "withdrawn": "You have withdrawn as a manager.", "withdrawn on": "Withdrawn on",
    },
}  # fmt: skip

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "manager.png"


@pytest.mark.browser
@in_both_languages
def test_a_resident_signs_up_as_manager_follows_it_on_mijn_zelfbeheer_and_withdraws(
    axe: AxeWalk,
    phone_page: Any,
    live_server: Any,
    owner_a: Owner,
    green_strip: Location,
    regisseur_a: User,
    resident: User,
    locale: str,
) -> None:
    text = TEXTS[locale]
    Location.objects.create(owner=owner_a, name="Rotonde Oost", geometry=rd_square(121000, 486000, 30))
    offering = offering_create(
        location=green_strip,
        by=regisseur_a,
        conditions="Geen chemische middelen. Bomen blijven van de gemeente.",
        terms_text="Versie 1: houd de strook netjes en laat het pad vrij.",
        managers_needed=3,
    )
    page = phone_page  # whose browser asks for `locale` (Accept-Language), as a resident's own phone does
    axe.follow(page)
    location_url = f"{live_server.url}/locaties/{green_strip.pk}/"

    # On the map's list, the offered location says it is available; the other one does not.
    page.goto(f"{live_server.url}/")
    page.locator(".location-list summary").tap()
    listed = page.locator(".location-list li", has_text="Groenstrook Vondelstraat")
    expect(listed).to_contain_text(text["available"])
    expect(page.locator(".location-list li", has_text="Rotonde Oost")).to_contain_text(text["not available"])
    axe.check(page)
    listed.get_by_role("link", name="Groenstrook Vondelstraat").tap()
    page.wait_for_url(location_url)

    # Reads its conditions and terms.
    offer = page.locator(".offering")
    expect(offer).to_contain_text("Geen chemische middelen. Bomen blijven van de gemeente.")
    expect(offer).to_contain_text(text["needed"])
    page.get_by_text(text["terms"]).tap()
    expect(offer).to_contain_text("Versie 1: houd de strook netjes en laat het pad vrij.")
    axe.check(page)

    # Signs up: logs in on the way, reads the terms again and accepts this version.
    page.get_by_role("link", name=text["sign up link"]).tap()
    page.fill("#id_username", resident.email)
    axe.check(page)
    page.fill("#id_password", "pw-" + resident.username * 2)
    page.get_by_role("button", name=text["log in"]).tap()
    page.wait_for_url(f"{live_server.url}/locaties/{green_strip.pk}/aanmelden/")
    expect(page.locator("#terms-text")).to_contain_text("houd de strook netjes")
    page.get_by_label(text["plan"]).fill("Vaste planten en een bankje voor de buren.")
    page.get_by_label(text["accept"]).check()
    axe.check(page)
    page.get_by_role("button", name=text["sign up"], exact=True).tap()
    expect(page.locator(".messages")).to_contain_text(text["signed up"])
    (acceptance,) = TermsAcceptance.objects.filter(user=resident)
    assert acceptance.terms_version == offering.current_terms()

    # Mijn zelfbeheer shows it and where it stands.
    page.get_by_role("navigation").get_by_role("link", name=text["mine"]).tap()
    signup = page.locator("#signups .signup", has_text="Groenstrook Vondelstraat")
    expect(signup).to_contain_text(text["waiting"])
    expect(signup).to_contain_text("Vaste planten en een bankje voor de buren.")
    axe.check(page)

    # Withdraws before the start, and sees it withdrawn.
    signup.get_by_role("button", name=text["withdraw"]).tap()
    page.wait_for_url(f"{live_server.url}/mijn-zelfbeheer/")
    expect(page.locator(".messages")).to_contain_text(text["withdrawn"])
    expect(signup).to_have_attribute("data-state", "withdrawn")
    expect(signup).to_contain_text(text["withdrawn on"])
    expect(signup.get_by_role("button", name=text["withdraw"])).to_have_count(0)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT.with_name(f"manager-{locale}.png")), full_page=True)

    assert ManagerSignup.objects.get(user=resident).withdrawn_at is not None
    page.goto(location_url)
    expect(page.get_by_role("link", name=text["sign up link"])).to_be_visible()  # open again for sign-ups
    axe.every_page_checked()
