"""Journey 3, the regisseur offers: from the front page to a location offered, changed, re-termed and stopped.

Only the regisseur's own rights and the web pages; the managers' e-mail goes through the real
worker to the real SMTP server. Once with Dutch browsers and once with English ones (everyone reads
the site and their mail in it), axe-core on every page (tests/web/journeys.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils.timezone import localdate
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.web.conftest import log_in, phone_screenshot
from tests.web.journeys import AxeWalk, Texts, in_both_languages, speak

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "offering.png"


# An amount as typed in and shown in each language.
BUDGET = {"nl-NL": ("250,50", "€ 250,50"), "en-GB": ("250.50", "€ 250.50")}


@pytest.mark.browser
@in_both_languages
def test_a_regisseur_offers_changes_re_terms_and_stops_offering_a_location(
    locale: str,
    axe: AxeWalk,
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
    t = Texts(locale)
    speak(locale, regisseur_a, resident, resident_two)
    axe.follow(page, other_page)
    typed_budget, shown_budget = BUDGET[locale]

    # The regisseur logs in from the front page and finds the location on the dashboard.
    page.goto(f"{live_server.url}/")
    axe.check(page)
    page.get_by_role("link", name=t("Inloggen")).click()
    page.fill("#id_username", regisseur_a.username)
    axe.check(page)
    page.fill("#id_password", "pw-" + regisseur_a.username * 2)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation").get_by_role("link", name=t("Regisseur")).click()
    expect(page.locator("#to-offer-list")).to_contain_text("Rotonde Oost")
    axe.check(page)
    page.get_by_label(t("Zoek een plek die nog niet wordt aangeboden (naam of soort)")).fill("vondel")
    page.get_by_role("button", name=t("Zoeken")).click()
    expect(page.locator("#to-offer-list")).not_to_contain_text("Rotonde Oost")
    page.locator(f"#to-offer-{green_strip.pk}").get_by_role("link", name=t("Aanbieden")).click()

    # Offers it with every field.
    page.get_by_label(t("Randvoorwaarden")).fill("Geen chemische middelen. Bomen blijven van de gemeente.")
    axe.check(page)
    page.get_by_label(t("Aangeboden vanaf")).fill(start.isoformat())
    page.get_by_label(t("Aangeboden tot en met")).fill(end.isoformat())
    page.get_by_label(t("Budget (€)")).fill(typed_budget)
    page.get_by_label(t("Beloning")).fill("Een bloembollenpakket per jaar")
    page.get_by_label(t("materiaal")).check()
    page.get_by_label(t("kennis")).check()
    page.get_by_label(t("Toelichting op de ondersteuning")).fill("Tegels en zand van de gemeentewerf.")
    page.get_by_label(t("Aantal beheerders nodig")).fill("3")
    page.get_by_label(t("Looptijd van het contract (maanden)")).fill("24")
    page.get_by_label(t("Contractvoorwaarden"), exact=True).fill("Versie 1: houd de strook netjes, zonder gif.")
    page.get_by_role("button", name=t("Aanbieden")).click()

    expect(page.locator(".messages")).to_contain_text(t("%(location)s wordt nu aangeboden.", location=green_strip.name))
    axe.check(page)
    offering_text = page.locator(".offering")
    expect(offering_text).to_contain_text("Geen chemische middelen. Bomen blijven van de gemeente.")
    expect(offering_text).to_contain_text(
        t("vanaf %(day)s", day=t.date(start)) + " " + t("tot %(day)s", day=t.date(end))
    )
    expect(offering_text).to_contain_text(shown_budget)
    expect(offering_text).to_contain_text(
        ", ".join([t("kennis"), t("materiaal")]) + " — Tegels en zand van de gemeentewerf."
    )
    expect(offering_text).to_contain_text(t.plural("%(months)s maand", "%(months)s maanden", 24, months=24))
    page.get_by_text(t("Contractvoorwaarden (versie %(number)s)", number=1)).click()
    expect(offering_text).to_contain_text("Versie 1: houd de strook netjes, zonder gif.")

    # Changes it.
    page.get_by_role("link", name=t("Aanbod wijzigen")).click()
    expect(page.get_by_label(t("Budget (€)"))).to_have_value(typed_budget)
    axe.check(page)
    page.get_by_label(t("Randvoorwaarden")).fill("Geen chemische middelen, ook geen kunstmest.")
    page.get_by_label(t("gereedschap")).check()
    page.get_by_role("button", name=t("Opslaan")).click()
    expect(page.locator(".messages")).to_contain_text(t("Het aanbod is bijgewerkt."))
    expect(offering_text).to_contain_text("Geen chemische middelen, ook geen kunstmest.")
    expect(offering_text).to_contain_text(", ".join([t("gereedschap"), t("kennis"), t("materiaal")]))

    # Two residents sign up: one on the page, one through the service.
    log_in(other_page, live_server, resident)
    axe.check(other_page)  # the front page, logged in
    other_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    other_page.get_by_role("link", name=t("Aanmelden als beheerder")).click()
    other_page.get_by_label(t("Wat wil je hier doen?")).fill("Vaste planten en een bankje.")
    axe.check(other_page)
    other_page.get_by_label(t("Ik ga akkoord met de voorwaarden hierboven")).check()
    other_page.get_by_role("button", name=t("Aanmelden"), exact=True).click()
    expect(other_page.locator(".messages")).to_contain_text(
        t("Je bent aangemeld als beheerder. De regisseur hoort het zodra er genoeg zijn.")
    )
    offering = Offering.objects.get(location=green_strip)
    terms = offering.current_terms()
    manager_sign_up(location=green_strip, user=resident_two, terms_version=terms, plan="Bollen", accept_terms=True)

    # New terms: both managers are e-mailed; nobody has accepted them yet.
    smtp_server.clear()
    page.get_by_role("link", name=t("Nieuwe voorwaarden publiceren")).click()
    new_terms = page.get_by_label(t("Tekst van de nieuwe voorwaarden"))
    expect(new_terms).to_have_value("Versie 1: houd de strook netjes, zonder gif.")
    axe.check(page)
    new_terms.fill("Versie 2: houd de strook netjes, zonder gif en zonder kunstmest.")
    page.get_by_role("button", name=t("Publiceren")).click()
    expect(page.locator(".messages")).to_contain_text(
        t("Versie %(number)s is gepubliceerd. De beheerders krijgen een e-mail om opnieuw akkoord te gaan.", number=2)
    )
    axe.check(page)
    table = page.locator(".terms-status")
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text(t("nog niet"))
    expect(table.locator("tr", has_text="Ruud Tweede")).to_contain_text(t("nog niet"))

    mails = smtp_server.wait_for(2)  # a message each: neither manager sees the other's address
    assert sorted(mail["To"] for mail in mails) == ["resident_one@example.org", "resident_two@example.org"]
    subject = t("Nieuwe voorwaarden voor %(location)s: graag opnieuw akkoord", location=green_strip.name)
    assert all(subject in mail["Subject"] for mail in mails)
    mail = mails[0]
    body = mail.get_content()
    assert "zonder kunstmest" in body
    link = re.search(r"https?://\S+/voorwaarden/", body)
    assert link is not None

    # One manager follows the mail's link and accepts; the regisseur sees who did and who did not.
    other_page.goto(live_server.url + urlsplit(link.group()).path)
    axe.check(other_page)
    other_page.get_by_label(t("Ik ga akkoord met versie %(number)s van de voorwaarden", number=2)).check()
    other_page.get_by_role("button", name=t("Accepteren")).click()
    expect(other_page.locator(".messages")).to_contain_text(
        t("Je hebt versie %(number)s van de voorwaarden geaccepteerd.", number=2)
    )
    page.reload()
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text(t("geaccepteerd"))
    expect(table.locator("tr", has_text="Riet Eerste")).to_contain_text(t("versie %(number)s", number=2))
    expect(table.locator("tr", has_text="Ruud Tweede")).to_contain_text(t("nog niet"))

    # Stops offering: the waiting sign-ups are rejected with the reason, and nobody can sign up.
    smtp_server.clear()
    page.get_by_role("link", name=re.compile("Groenstrook Vondelstraat")).first.click()
    page.get_by_role("link", name=t("Stoppen met aanbieden")).click()
    expect(page.locator("#waiting-signups")).to_contain_text("Riet Eerste")
    axe.check(page)
    page.get_by_role("button", name=t("Stoppen met aanbieden")).click()
    expect(page.locator("#field-reason .error")).to_contain_text(
        t("Geef een reden: de aangemelde beheerders krijgen die per e-mail.")
    )
    axe.check(page)  # the refusal beside its field
    page.get_by_label(t("Reden")).fill("De strook wordt volgend jaar heringericht.")
    page.get_by_role("button", name=t("Stoppen met aanbieden")).click()
    expect(page.locator(".messages")).to_contain_text(
        t("%(location)s wordt niet meer aangeboden.", location=green_strip.name)
    )
    expect(page.locator("#offering-stopped")).to_be_visible()
    expect(page.get_by_role("button", name=t("Opnieuw aanbieden"))).to_be_visible()
    expect(page.get_by_role("link", name=t("Aanmelden als beheerder"))).to_have_count(0)
    axe.check(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT.with_name(f"offering-{locale}.png")), full_page=True)
    phone_screenshot(page, f"offering-{locale}")

    other_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    expect(other_page.get_by_role("region", name=t("Meedoen"))).to_contain_text(
        t("Deze plek wordt nu niet aangeboden. Wil je hem toch beheren?")
    )
    axe.check(other_page)
    expect(other_page.get_by_role("link", name=t("Aanmelden als beheerder"))).to_have_count(0)
    expect(other_page.locator("#regisseur-actions")).to_have_count(0)
    rejected = smtp_server.wait_for(1)[0]
    assert "De strook wordt volgend jaar heringericht." in rejected.get_content()
    assert Contract.objects.get(location=green_strip).status == Contract.Status.REJECTED
    assert page.js_errors == []
    axe.every_page_checked()
