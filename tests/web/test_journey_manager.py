"""Journey 2, the resident as manager, on a phone: from the map to an offered location, its
conditions and terms, a sign-up accepting the current terms version, the sign-up on Mijn
zelfbeheer with where it stands, and withdrawing before the start."""

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

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "manager.png"


@pytest.mark.browser
def test_a_resident_signs_up_as_manager_follows_it_on_mijn_zelfbeheer_and_withdraws(
    phone_page: Any, live_server: Any, owner_a: Owner, green_strip: Location, regisseur_a: User, resident: User
) -> None:
    Location.objects.create(owner=owner_a, name="Rotonde Oost", geometry=rd_square(121000, 486000, 30))
    offering = offering_create(
        location=green_strip,
        by=regisseur_a,
        conditions="Geen chemische middelen. Bomen blijven van de gemeente.",
        terms_text="Versie 1: houd de strook netjes en laat het pad vrij.",
        managers_needed=3,
    )
    page = phone_page
    location_url = f"{live_server.url}/locaties/{green_strip.pk}/"

    # On the map's list, the offered location says it is available; the other one does not.
    page.goto(f"{live_server.url}/")
    page.locator(".location-list summary").tap()
    listed = page.locator(".location-list li", has_text="Groenstrook Vondelstraat")
    expect(listed).to_contain_text("beschikbaar")
    expect(page.locator(".location-list li", has_text="Rotonde Oost")).to_contain_text("niet beschikbaar")
    listed.get_by_role("link", name="Groenstrook Vondelstraat").tap()
    page.wait_for_url(location_url)

    # Reads its conditions and terms.
    offer = page.locator(".offering")
    expect(offer).to_contain_text("Geen chemische middelen. Bomen blijven van de gemeente.")
    expect(offer).to_contain_text("Beheerders nodig")
    page.get_by_text("Contractvoorwaarden (versie 1)").tap()
    expect(offer).to_contain_text("Versie 1: houd de strook netjes en laat het pad vrij.")

    # Signs up: logs in on the way, reads the terms again and accepts this version.
    page.get_by_role("link", name="Aanmelden als beheerder").tap()
    page.fill("#id_username", resident.email)
    page.fill("#id_password", "pw-" + resident.username * 2)
    page.get_by_role("button", name="Inloggen").tap()
    page.wait_for_url(f"{live_server.url}/locaties/{green_strip.pk}/aanmelden/")
    expect(page.locator("#terms-text")).to_contain_text("houd de strook netjes")
    page.get_by_label("Wat wil je hier doen?").fill("Vaste planten en een bankje voor de buren.")
    page.get_by_label("Ik ga akkoord met de voorwaarden hierboven").check()
    page.get_by_role("button", name="Aanmelden").tap()
    expect(page.locator(".messages")).to_contain_text("Je bent aangemeld als beheerder.")
    (acceptance,) = TermsAcceptance.objects.filter(user=resident)
    assert acceptance.terms_version == offering.current_terms()

    # Mijn zelfbeheer shows it and where it stands.
    page.get_by_role("navigation").get_by_role("link", name="Mijn zelfbeheer").tap()
    signup = page.locator("#signups .signup", has_text="Groenstrook Vondelstraat")
    expect(signup).to_contain_text("Wacht op meer beheerders: 1 van de 3 aangemeld.")
    expect(signup).to_contain_text("Vaste planten en een bankje voor de buren.")

    # Withdraws before the start, and sees it withdrawn.
    signup.get_by_role("button", name="Afmelden").tap()
    page.wait_for_url(f"{live_server.url}/mijn-zelfbeheer/")
    expect(page.locator(".messages")).to_contain_text("Je bent afgemeld als beheerder.")
    expect(signup).to_have_attribute("data-state", "withdrawn")
    expect(signup).to_contain_text("Afgemeld op")
    expect(signup.get_by_role("button", name="Afmelden")).to_have_count(0)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    assert ManagerSignup.objects.get(user=resident).withdrawn_at is not None
    page.goto(location_url)
    expect(page.get_by_role("link", name="Aanmelden als beheerder")).to_be_visible()  # open again for sign-ups
