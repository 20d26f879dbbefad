"""Self-chosen support on a phone (390 × 844): a manager asks a gardener from the pool, the gardener
accepts in the inbox, the manager pays with a voucher, and the balance shows what is left."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.owners.models import Owner
from gis_service.support import selectors
from gis_service.support.services import vouchers_issue
from tests.conftest import _user
from tests.support.factories import gardener, group_on
from tests.web.conftest import log_in


def fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_asks_support_the_supporter_accepts_and_a_voucher_pays_on_a_phone(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User
) -> None:
    page = phone_page
    manager = _user("mira", first_name="Mira")
    group = group_on(owner_a, manager)
    supporter = gardener(owner_a, regisseur_a, _user("henk", first_name="Henk"))
    vouchers_issue(group=group, unit="voucher", amount=Decimal(3), by=regisseur_a)

    # The pool is public, and reachable from the menu of every page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Ondersteuning", exact=True).click()
    expect(page.locator(f"#supporter-{supporter.pk}")).to_contain_text("€ 40,00 per uur")
    fits_the_phone(page)

    # The manager asks, from the group's page.
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    page.get_by_role("link", name="Ondersteuning en vouchers").click()
    expect(page.locator("#balance-voucher")).to_have_text("3")
    page.select_option("#id_kind", "handen")
    page.fill("#id_wanted_on", "2099-05-01")
    page.fill("#id_message", "Wil je helpen de haag te snoeien?")
    page.get_by_role("button", name="Vragen").click()
    expect(page.locator(".messages")).to_contain_text("Je verzoek is verstuurd")
    expect(page.locator(".support-request")).to_have_attribute("data-state", "gevraagd")
    fits_the_phone(page)

    # The supporter accepts in the inbox.
    page.context.clear_cookies()
    log_in(page, live_server, supporter.user)
    page.get_by_role("link", name="Mijn verzoeken").click()
    request = page.locator(".support-request", has_text="Wil je helpen de haag te snoeien?")
    request.locator("textarea").fill("Tot zaterdag!")
    request.get_by_role("button", name="Accepteren").click()
    expect(page.locator(".messages")).to_contain_text("Je antwoord is verstuurd")
    expect(page.locator(".support-request")).to_have_attribute("data-state", "geaccepteerd")
    fits_the_phone(page)

    # The manager pays with one voucher and sees the balance.
    page.context.clear_cookies()
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/ondersteuning/")
    request = page.locator(".support-request", has_text="Tot zaterdag!")
    request.get_by_label("Vouchers").fill("1")
    request.get_by_role("button", name="Betalen").click()
    expect(page.locator(".messages")).to_contain_text("Betaald")
    expect(page.locator("#balance-voucher")).to_have_text("2")
    fits_the_phone(page)
    assert selectors.balances(group=group)["voucher"] == Decimal(2)
