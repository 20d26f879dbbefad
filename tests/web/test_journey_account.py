"""Journey 1, a resident's account, on a phone: from the map to a registered, confirmed account and
back to the location they came from; log out and in; a forgotten password; changed details; and
the account deleted, with the proof of an acceptance of terms kept without the person's name;
once with a Dutch phone and once with an English one, axe-core on every page (tests/web/journeys.py).

Every mail is sent by the real worker to the real SMTP server and followed from there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Offering, TermsAcceptance
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from tests.conftest import SmtpServer
from tests.web.journeys import AxeWalk, Texts, in_both_languages

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "account.png"
EMAIL, NEW_EMAIL = "nina@example.org", "nina.nieuw@example.org"
PASSWORD, NEW_PASSWORD = "Vondelpark-bankje-42", "Zonnebloem-in-de-berm-7"


def link_in(smtp_server: SmtpServer, count: int, to: str, path: str) -> str:
    """The link to `path` in the last of `count` mails, which must be addressed to `to`."""
    message = smtp_server.wait_for(count)[count - 1]
    assert message["To"] == to
    found = re.search(rf"https?://\S+{re.escape(path)}\S*", message.get_content())
    assert found is not None, message.get_content()
    return found[0]


@pytest.mark.browser
@in_both_languages
def test_a_resident_registers_from_a_location_and_later_deletes_the_account(
    locale: str,
    axe: AxeWalk,
    phone_page: Any,
    live_server: Any,
    green_strip: Location,
    regisseur_a: User,
    smtp_server: SmtpServer,
    celery_worker: str,
    settings: Any,
) -> None:
    # The default hasher made registering take over the 5 s a step may wait on a loaded 2-core machine
    # (both languages failed there); the journey is about the pages, as test_journey_bad_input's.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    smtp_server.clear()
    offering_create(location=green_strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1: geen gif.")
    page, t = phone_page, Texts(locale)
    axe.follow(page)
    location_url = f"{live_server.url}/locaties/{green_strip.pk}/"

    # From the map to the location (as from its QR marker), and register from there.
    page.goto(f"{live_server.url}/")
    page.locator(".location-list summary").tap()
    axe.check(page)
    page.locator(".location-list").get_by_role("link", name="Groenstrook Vondelstraat").tap()
    page.wait_for_url(location_url)
    axe.check(page)
    page.get_by_role("link", name=t("Account aanmaken")).tap()
    page.get_by_label(t("Naam")).wait_for()
    axe.check(page)
    page.get_by_label(t("Naam")).fill("Nina de Nieuwe")
    page.get_by_label(t("E-mailadres")).fill(EMAIL)
    page.get_by_label(t("Wachtwoord")).fill("kort")
    page.get_by_role("button", name=t("Account aanmaken")).tap()
    expect(page.locator(".field .errorlist")).to_contain_text(
        t.plural("Dit wachtwoord is te kort: gebruik minstens %d teken.",
                 "Dit wachtwoord is te kort: gebruik minstens %d tekens.", 8)
    )  # fmt: skip
    expect(page.get_by_label(t("E-mailadres"))).to_have_value(EMAIL)  # the typed text stays
    axe.check(page)
    page.get_by_label(t("Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name=t("Account aanmaken")).tap()
    expect(page.get_by_role("heading", name=t("Kijk in je mail"))).to_be_visible()
    axe.check(page)

    # The link in the mail confirms, logs in and brings her back to the location.
    page.goto(link_in(smtp_server, 1, EMAIL, "/account/bevestigen/"))
    axe.check(page)
    page.get_by_role("button", name=t("Bevestig mijn e-mailadres")).tap()
    page.wait_for_url(location_url)
    expect(page.locator(".messages")).to_contain_text(
        t("Welkom, %(name)s! Je e-mailadres is bevestigd en je bent ingelogd.", name="Nina de Nieuwe")
    )
    user = User.objects.get(email=EMAIL)
    offering = Offering.objects.get(location=green_strip)
    manager_sign_up(
        location=green_strip, user=user, terms_version=offering.current_terms(), plan="Bloemen", accept_terms=True
    )
    (acceptance,) = TermsAcceptance.objects.filter(user=user)

    # Log out, and in again with the e-mail address.
    page.get_by_role("button", name=t("Uitloggen")).tap()
    expect(page.get_by_role("link", name=t("Inloggen"))).to_be_visible()
    page.get_by_role("link", name=t("Inloggen")).tap()
    page.get_by_label(t("E-mailadres")).fill(EMAIL)
    axe.check(page)
    page.get_by_label(t("Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name=t("Inloggen")).tap()
    expect(page.get_by_role("link", name=t("Mijn account"))).to_be_visible()
    page.get_by_role("button", name=t("Uitloggen")).tap()

    # A forgotten password, reset by the link in the mail; then log in with the new one.
    page.get_by_role("link", name=t("Inloggen")).tap()
    page.get_by_role("link", name=t("Wachtwoord vergeten?")).tap()
    page.get_by_label(t("E-mailadres")).fill(EMAIL)
    axe.check(page)
    page.get_by_role("button", name=t("Stuur de link")).tap()
    expect(page.get_by_role("heading", name=t("Kijk in je mail"))).to_be_visible()
    axe.check(page)
    page.goto(link_in(smtp_server, 2, EMAIL, "/accounts/reset/"))
    page.get_by_label(t.django("New password"), exact=True).wait_for()
    axe.check(page)  # the link's token gives way to /set-password/ in the same path
    page.get_by_label(t.django("New password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(t.django("New password confirmation")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Wachtwoord opslaan")).tap()
    expect(page.get_by_role("heading", name=t("Wachtwoord gewijzigd"))).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=t("Inloggen")).last.tap()
    page.get_by_label(t("E-mailadres")).fill(EMAIL)
    page.get_by_label(t("Wachtwoord")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=t("Inloggen")).tap()

    # Mijn account: name and phone at once, the new address once confirmed by its link.
    page.get_by_role("link", name=t("Mijn account")).tap()
    page.get_by_label(t("Naam")).fill("Nina van der Berm")
    axe.check(page)
    page.get_by_label(t("Telefoon"), exact=True).fill("06 12345678")
    page.get_by_label(t("E-mailadres")).fill(NEW_EMAIL)
    page.get_by_role("button", name=t("Gegevens opslaan")).tap()
    expect(page.locator(".messages")).to_contain_text(
        t("We hebben een link gestuurd naar %(new)s. Volg die om het adres te bevestigen; tot dan blijft %(old)s je "
          "e-mailadres.", new=NEW_EMAIL, old=EMAIL)
    )  # fmt: skip
    user.refresh_from_db()
    assert (user.first_name, user.phone, user.email) == ("Nina van der Berm", "06 12345678", EMAIL)
    page.goto(link_in(smtp_server, 3, NEW_EMAIL, "/account/e-mailadres/"))
    axe.check(page)
    page.get_by_role("button", name=t("Bevestig dit e-mailadres")).tap()
    confirmed = t("Je nieuwe e-mailadres %(email)s is bevestigd.", email=NEW_EMAIL)
    expect(page.locator(".messages")).to_contain_text(confirmed)
    expect(page.get_by_label(t("E-mailadres"))).to_have_value(NEW_EMAIL)

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT.with_name(f"account-page-{locale}.png")), full_page=True)

    # Delete the account: the person's data go, the proof of acceptance stays.
    page.get_by_role("link", name=t("Account verwijderen")).tap()
    page.get_by_label(t("Je wachtwoord")).fill(NEW_PASSWORD)
    axe.check(page)
    page.get_by_role("button", name=t("Mijn account verwijderen")).tap()
    expect(page.locator(".messages")).to_contain_text(t("Je account is verwijderd. Bedankt voor wat je hebt gedaan!"))
    expect(page.get_by_role("link", name=t("Account aanmaken"))).to_be_visible()
    axe.check(page)
    page.screenshot(path=str(SCREENSHOT.with_name(f"account-{locale}.png")), full_page=True)
    axe.every_page_checked()

    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email, user.phone) == ("", "", "", "")
    assert user.username.startswith("verwijderd-") and not user.has_usable_password() and not user.is_active
    kept = TermsAcceptance.objects.get(pk=acceptance.pk)
    assert (kept.user_id, kept.content_hash) == (user.pk, acceptance.content_hash)
