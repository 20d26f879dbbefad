"""A regisseur on a phone (390 × 844) fills in the cost table and sees the saving change on the
public value page, which fits the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.owners.models import Owner
from tests.owners.test_value_report import _managed
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_regisseur_sets_a_cost_and_the_saving_follows_on_a_phone(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    page = phone_page
    _managed(owner_a, "Border", "heesters", 121000, 20, [resident])  # 400 m²

    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    page.get_by_role("link", name="kostentabel").click()
    page.fill("#id_type", "heesters")
    page.fill("#id_cost_per_m2", "5.25")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".messages")).to_contain_text("Kosten opgeslagen")

    page.get_by_role("link", name="Waarde van zelfbeheer").click()
    expect(page.locator("#value-saving")).to_have_text("2100,00")
    expect(page.locator("#value-area")).to_have_text("400")
    # Nothing wider than the phone: no sideways scrolling on the value page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
