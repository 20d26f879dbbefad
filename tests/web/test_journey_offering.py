"""Journey 3, the regisseur offers: from the front page to a location offered, changed, re-termed and stopped.

Only the regisseur's own rights and the web pages; the managers' e-mail goes through the real
worker to the real SMTP server.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import formats, translation
from django.utils.timezone import localdate
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.web.conftest import log_in, phone_screenshot

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "offering.png"


def dutch_date(day: dt.date) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


@pytest.mark.browser
def test_a_regisseur_offers_changes_re_terms_and_stops_offering_a_location(
    page: Any,
    other_page: Any,
    live_server: Any,
    owner_a: Owner,
    regisseur_a: User,
    green_strip: Location,
    resident: User,
    resident_two: User,
    smtp_server: SmtpServer,
    celery_worker: str,
) -> None:
    Location.objects.create(owner=owner_a, name="Rotonde Oost", geometry=rd_square(121000, 486000, 30))
    start, end = localdate() - dt.timedelta(days=1), localdate() + dt.timedelta(days=365)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The regisseur logs in from the front page and finds the location on the dashboard.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Inloggen").click()
    page.fill("#id_username", regisseur_a.username)
    page.fill("#id_password", "pw-" + regisseur_a.username * 2)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name="Regisseur").click()
    expect(page.locator("#to-offer-list")).to_contain_text("Rotonde Oost")
    page.get_by_label("Zoek een plek die nog niet wordt aangeboden").fill("vondel")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#to-offer-list")).not_to_contain_text("Rotonde Oost")
    page.locator(f"#to-offer-{green_strip.pk}").get_by_role("link", name="Aanbieden").click()

    # Offers it with every field.
    page.get_by_label("Randvoorwaarden").fill("Geen chemische middelen. Bomen blijven van de gemeente.")
    page.get_by_label("Aangeboden vanaf").fill(start.isoformat())
    page.get_by_label("Aangeboden tot en met").fill(end.isoformat())
    page.get_by_label("Budget (€)").fill("250,50")
    page.get_by_label("Beloning").fill("Een bloembollenpakket per jaar")
    page.get_by_label("materiaal").check()
    page.get_by_label("kennis").check()
    page.get_by_label("Toelichting op de ondersteuning").fill("Tegels en zand van de gemeentewerf.")
    page.get_by_label("Aantal beheerders nodig").fill("3")
    page.get_by_label("Looptijd van het contract (maanden)").fill("24")
    page.get_by_label("Contractvoorwaarden").fill("Versie 1: houd de strook netjes, zonder gif.")
    page.get_by_role("button", name="Aanbieden").click()

    expect(page.locator(".messages")).to_contain_text("Groenstrook Vondelstraat wordt nu aangeboden.")
    offering_text = page.locator(".offering")
    expect(offering_text).to_contain_text("Geen chemische middelen. Bomen blijven van de gemeente.")
    expect(offering_text).to_contain_text(f"vanaf {dutch_date(start)} tot {dutch_date(end)}")
    expect(offering_text).to_contain_text("€ 250,50")
    expect(offering_text).to_contain_text("kennis, materiaal — Tegels en zand van de gemeentewerf.")
    expect(offering_text).to_contain_text("24 maanden")
    page.get_by_text("Contractvoorwaarden (versie 1)").click()
    expect(offering_text).to_contain_text("Versie 1: houd de strook netjes, zonder gif.")

    # Changes it.
    page.get_by_role("link", name="Aanbod wijzigen").click()
    expect(page.get_by_label("Budget (€)")).to_have_value("250,50")
    page.get_by_label("Randvoorwaarden").fill("Geen chemische middelen, ook geen kunstmest.")
    page.get_by_label("gereedschap").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Het aanbod is bijgewerkt.")
    expect(offering_text).to_contain_text("Geen chemische middelen, ook geen kunstmest.")
    expect(offering_text).to_contain_text("gereedschap, kennis, materiaal")

    # Two residents sign up: one on the page, one through the service.
    log_in(other_page, live_server, resident)
    other_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    other_page.get_by_role("link", name="Aanmelden als beheerder").click()
    other_page.get_by_label("Wat wil je hier doen?").fill("Vaste planten en een bankje.")
    other_page.get_by_label("Ik ga akkoord met de voorwaarden hierboven").check()
    other_page.get_by_role("button", name="Aanmelden").click()
    expect(other_page.locator(".messages")).to_contain_text("Je bent aangemeld als beheerder.")
    offering = Offering.objects.get(location=green_strip)
    terms = offering.current_terms()
    manager_sign_up(location=green_strip, user=resident_two, terms_version=terms, plan="Bollen", accept_terms=True)

    # New terms: both managers are e-mailed; nobody has accepted them yet.
    smtp_server.clear()
    page.get_by_role("link", name="Nieuwe voorwaarden publiceren").click()
    new_terms = page.get_by_label("Tekst van de nieuwe voorwaarden")
    expect(new_terms).to_have_value("Versie 1: houd de strook netjes, zonder gif.")
    new_terms.fill("Versie 2: houd de strook netjes, zonder gif en zonder kunstmest.")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".messages")).to_contain_text("Versie 2 is gepubliceerd.")
    table = page.locator(".terms-status")
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text("nog niet")
    expect(table.locator("tr", has_text="Ruud Tweede")).to_contain_text("nog niet")

    mail = smtp_server.wait_for(1)[0]
    assert sorted(mail["To"].split(", ")) == ["resident_one@example.org", "resident_two@example.org"]
    assert "Nieuwe voorwaarden voor Groenstrook Vondelstraat" in mail["Subject"]
    body = mail.get_content()
    assert "zonder kunstmest" in body
    link = re.search(r"https?://\S+/voorwaarden/", body)
    assert link is not None

    # One manager follows the mail's link and accepts; the regisseur sees who did and who did not.
    other_page.goto(live_server.url + urlsplit(link.group()).path)
    other_page.get_by_label("Ik ga akkoord met versie 2 van de voorwaarden").check()
    other_page.get_by_role("button", name="Accepteren").click()
    expect(other_page.locator(".messages")).to_contain_text("Je hebt versie 2 van de voorwaarden geaccepteerd.")
    page.reload()
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text("geaccepteerd")
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text("versie 2")
    expect(table.locator("tr", has_text="Ruud Tweede")).to_contain_text("nog niet")

    # Stops offering: the waiting sign-ups are rejected with the reason, and nobody can sign up.
    smtp_server.clear()
    page.get_by_role("link", name=re.compile("Groenstrook Vondelstraat")).first.click()
    page.get_by_role("link", name="Stoppen met aanbieden").click()
    expect(page.locator("#waiting-signups")).to_contain_text("Riet Eerste")
    page.get_by_role("button", name="Stoppen met aanbieden").click()
    expect(page.locator("#field-reason .error")).to_contain_text("Geef een reden: de aangemelde beheerders krijgen")
    page.get_by_label("Reden").fill("De strook wordt volgend jaar heringericht.")
    page.get_by_role("button", name="Stoppen met aanbieden").click()
    expect(page.locator(".messages")).to_contain_text("Groenstrook Vondelstraat wordt niet meer aangeboden.")
    expect(page.locator("#offering-stopped")).to_be_visible()
    expect(page.get_by_role("button", name="Opnieuw aanbieden")).to_be_visible()
    expect(page.get_by_role("link", name="Aanmelden als beheerder")).to_have_count(0)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    phone_screenshot(page, "offering")

    other_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    expect(other_page.get_by_role("region", name="Meedoen")).to_contain_text("Deze plek wordt nu niet aangeboden.")
    expect(other_page.get_by_role("link", name="Aanmelden als beheerder")).to_have_count(0)
    expect(other_page.locator("#regisseur-actions")).to_have_count(0)
    rejected = smtp_server.wait_for(1)[0]
    assert "De strook wordt volgend jaar heringericht." in rejected.get_content()
    assert Contract.objects.get(location=green_strip).status == Contract.Status.REJECTED
    assert page.js_errors == []
