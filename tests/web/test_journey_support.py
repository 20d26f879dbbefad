"""Self-chosen support on a phone (390 × 844): a manager asks a gardener from the pool, the gardener
accepts in the inbox, the manager pays with a voucher, and the balance shows what is left; once with
a Dutch phone and once with an English one, axe-core on every page (tests/web/journeys.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.owners.models import Owner
from gis_service.support import selectors
from gis_service.support.services import vouchers_issue
from tests.conftest import _user
from tests.support.factories import gardener, group_on
from tests.web.conftest import log_in
from tests.web.journeys import AxeWalk, Texts, in_both_languages


def fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# A price as each language writes it.
PRICE = {"nl-NL": "40,00", "en-GB": "40.00"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@in_both_languages
def test_a_manager_asks_support_the_supporter_accepts_and_a_voucher_pays_on_a_phone(
    locale: str, axe: AxeWalk, phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User
) -> None:
    page, t = phone_page, Texts(locale)
    axe.follow(page)
    manager = _user("mira", first_name="Mira")
    group = group_on(owner_a, manager)
    supporter = gardener(owner_a, regisseur_a, _user("henk", first_name="Henk"))
    vouchers_issue(group=group, unit="voucher", amount=Decimal(3), by=regisseur_a)

    # The pool is public, and reachable from the menu of every page.
    page.goto(f"{live_server.url}/accounts/login/")
    axe.check(page)
    page.get_by_role("link", name=t("Ondersteuning"), exact=True).click()
    expect(page.locator(f"#supporter-{supporter.pk}")).to_contain_text(t("€ %(price)s per uur", price=PRICE[locale]))
    fits_the_phone(page)
    axe.check(page)

    # The manager asks, from the group's page.
    log_in(page, live_server, manager)
    axe.check(page)  # the front page, logged in
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    axe.check(page)
    page.get_by_role("link", name=t("Ondersteuning en vouchers")).click()
    expect(page.locator("#balance-voucher")).to_have_text("3")
    axe.check(page)
    page.select_option("#id_kind", "handen")
    page.fill("#id_wanted_on", "2099-05-01")
    page.fill("#id_message", "Wil je helpen de haag te snoeien?")
    page.get_by_role("button", name=t("Vragen")).click()
    expect(page.locator(".messages")).to_contain_text(t("Je verzoek is verstuurd. De ondersteuner krijgt een e-mail."))
    expect(page.locator(".support-request")).to_have_attribute("data-state", "gevraagd")
    fits_the_phone(page)
    axe.check(page)

    # The supporter accepts in the inbox.
    page.context.clear_cookies()
    log_in(page, live_server, supporter.user)
    page.get_by_role("link", name=t("Mijn verzoeken")).click()
    request = page.locator(".support-request", has_text="Wil je helpen de haag te snoeien?")
    request.locator("textarea").fill("Tot zaterdag!")
    axe.check(page)
    request.get_by_role("button", name=t("Accepteren")).click()
    expect(page.locator(".messages")).to_contain_text(t("Je antwoord is verstuurd naar de beheerders."))
    expect(page.locator(".support-request")).to_have_attribute("data-state", "geaccepteerd")
    fits_the_phone(page)
    axe.check(page)

    # The manager pays with one voucher and sees the balance.
    page.context.clear_cookies()
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/ondersteuning/")
    request = page.locator(".support-request", has_text="Tot zaterdag!")
    request.get_by_label(t("Vouchers")).fill("1")
    request.get_by_role("button", name=t("Betalen")).click()
    expect(page.locator(".messages")).to_contain_text(t("Betaald. Het saldo is bijgewerkt."))
    expect(page.locator("#balance-voucher")).to_have_text("2")
    fits_the_phone(page)
    axe.check(page)

    # The supporter sees in the inbox what was paid for the help.
    page.context.clear_cookies()
    log_in(page, live_server, supporter.user)
    page.get_by_role("link", name=t("Mijn verzoeken")).click()
    expect(page.locator(".support-request .payments")).to_contain_text(
        t.plural("Betaald op %(day)s: %(amount)s voucher", "Betaald op %(day)s: %(amount)s vouchers", 1,
                 day=t.date(timezone.localdate(), "j F Y"), amount=1)
    )  # fmt: skip
    fits_the_phone(page)
    axe.check(page)
    axe.every_page_checked()
    assert selectors.balances(group=group)["voucher"] == Decimal(2)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_gardener_applies_to_the_pool_on_a_phone_and_is_in_it_once_the_regisseur_accepts(
    axe: AxeWalk, phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User
) -> None:
    page = phone_page
    axe.follow(page)
    gardener_user = _user("gerda", first_name="Gerda")
    log_in(page, live_server, gardener_user, axe)
    axe.check(page)
    page.get_by_role("link", name="Ondersteuning", exact=True).click()
    axe.check(page)
    page.get_by_role("link", name="Meld je aan als ondersteuner").click()
    axe.check(page)
    page.fill("#id_name", "Gerda Groen")
    page.select_option("#id_kind", "hovenier")
    page.get_by_label("meewerken").check()
    page.select_option("#id_price_kind", "per_uur")
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.locator("#field-price_eur")).to_contain_text("Geef het bedrag per uur of per klus.")
    page.fill("#id_price_eur", "35")
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.locator(".messages")).to_contain_text("Je aanmelding is verstuurd. De regisseur krijgt een e-mail.")
    expect(page.locator("#my-applications li")).to_have_attribute("data-state", "aangevraagd")
    fits_the_phone(page)
    axe.check(page)

    page.context.clear_cookies()
    log_in(page, live_server, regisseur_a)
    axe.check(page)
    page.goto(f"{live_server.url}/regisseur/ondersteuning/")
    application = page.locator("#applications article", has_text="Gerda Groen")
    application.get_by_role("button", name="In de pool opnemen").click()
    expect(page.locator(".messages")).to_contain_text("Besluit verstuurd naar de aanmelder.")
    axe.check(page)

    page.context.clear_cookies()
    log_in(page, live_server, gardener_user)
    axe.check(page)
    page.get_by_role("link", name="Ondersteuning", exact=True).click()
    expect(page.locator("#supporters")).to_contain_text("Gerda Groen")
    axe.check(page)
    page.get_by_role("link", name="Mijn verzoeken").first.click()
    expect(page.locator("h1")).to_have_text("Mijn verzoeken")
    axe.check(page)
    axe.every_page_checked()
