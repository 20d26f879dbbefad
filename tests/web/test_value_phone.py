"""A regisseur on a phone (390 × 844) fills in the cost table and sees the saving change on the
public value page, which fits the screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.groups.models import HourEntry
from gis_service.owners.models import Owner, ValueArea
from tests.conftest import rd_square
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
    # Nothing wider than the phone once its charts are drawn: no sideways scrolling on the value page.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#chart-years canvas'))")
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390", timeout=5_000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_value_report_per_buurt_draws_its_charts_beside_their_tables_on_a_phone(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    page = phone_page
    for code, x in (("BU01", 120000), ("BU02", 121000)):
        ValueArea.objects.create(
            owner=owner_a, kind="buurt", code=code, name=f"Buurt {code}", geometry=rd_square(x, 486500, 1000)
        )
    group = _managed(owner_a, "Border", "heesters", 121100, 20, [resident])  # 400 m² × € 3.00 in BU02
    HourEntry.objects.create(group=group, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("3.50"))

    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/eigenaren/aadorp/waarde/?jaar=2025")
    page.fill("#value-year", "2026")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#value-saving")).to_have_text("1200,00")
    # Both charts drawn by Chart.js from our static files, each with its table as the text version.
    page.wait_for_function(
        "() => ['#chart-areas', '#chart-years']"
        ".every(id => window.Chart && Chart.getChart(document.querySelector(id + ' canvas')))"
    )
    bars = page.evaluate("() => Chart.getChart(document.querySelector('#chart-areas canvas')).data.labels")
    assert bars == ["Buurt BU02"]  # only areas with locations get a bar
    expect(page.locator("#value-by-area tbody tr")).to_have_count(2)
    expect(page.locator("#chart-areas [aria-hidden=true] canvas")).to_be_attached()
    assert page.evaluate("document.querySelector('#chart-years canvas').getBoundingClientRect().width") > 200

    # The regisseur's page adds the hours per buurt.
    page.get_by_role("link", name="Rapport voor de regisseur, met vrijwilligers en uren per gebied").click()
    expect(page.locator("#value-by-area tbody tr").nth(1)).to_contain_text("3,5")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#chart-areas canvas'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# Lines each figure of a table's body takes: a figure is one word, so more than one line means it
# was split inside itself.
_FIGURE_LINES = """(table) => [...document.querySelectorAll(table + ' tbody td')]
    .filter(cell => /^[0-9.,\u00a0€-]+$/.test(cell.textContent.trim()))
    .map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return [cell.textContent.trim(), new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
    })"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_regisseurs_table_per_area_scrolls_on_a_phone_rather_than_splitting_its_figures(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    page = phone_page
    ValueArea.objects.create(
        owner=owner_a, kind="buurt", code="BU01", name="Buurt BU01", geometry=rd_square(121000, 486500, 1000)
    )
    group = _managed(owner_a, "Border", "heesters", 121100, 20, [resident])  # 400 m² in BU01
    HourEntry.objects.create(group=group, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("12.25"))

    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/eigenaren/aadorp/waarde/regisseur/?jaar=2026&gebied=buurt")
    expect(page.locator("#value-by-area tbody tr")).to_have_count(1)
    # Eleven columns do not fit 390 px: the figures stay whole ("1200,00" was split into one digit a
    # line) and the table scrolls in its region, not the page.
    figures = page.evaluate(_FIGURE_LINES, "#value-by-area")
    assert figures and all(lines == 1 for _, lines in figures), figures
    region = page.locator(".table-scroll", has=page.locator("#value-by-area"))
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
