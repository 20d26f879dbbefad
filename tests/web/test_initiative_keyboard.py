"""The initiative page by keyboard alone: pick a location from the list, type the corners of an
area, hear the check, submit — at desktop width and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import log_in
from tests.web.test_map_keyboard import tab_until

pytestmark = pytest.mark.browser

# A 40 × 40 m square just east of the park (120000–120100, 486000–486100), in RD as typed.
RD_CORNERS = "120100 486000\n120140 486000\n120140 486040\n120100 486040\n"


@pytest.fixture
def park(owner_a: Owner) -> Location:
    """A 100 × 100 m park, as in test_initiative_page.py."""
    return Location.objects.create(owner=owner_a, name="Parkje", geometry=rd_square(120000, 486000, 100))


def open_keyboard_page(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/initiatief/")
    page.wait_for_selector("#draw-map[data-ready=true]")
    page.wait_for_function("() => document.querySelectorAll('#pick-list input[type=checkbox]').length > 0")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_resident_picks_a_location_types_the_corners_and_submits_by_keyboard_alone(
    viewport: str,
    page: Any,
    phone_page: Any,
    live_server: Any,
    park: Location,
    resident: User,
    celery_worker: str,
) -> None:
    browser_page = page if viewport == "desktop" else phone_page
    log_in(browser_page, live_server, resident)
    open_keyboard_page(browser_page, live_server)
    assert browser_page.locator("#pick-list-status").inner_text() == "1 locatie in beeld."

    # The location from the list: Tab to its checkbox, Space; it is outlined while it has the focus
    tab_until(browser_page, f"e.matches('#pick-list input[data-id=\"{park.pk}\"]')")
    browser_page.keyboard.press("Space")
    expect(browser_page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 10.000 m².")
    expect(browser_page.locator("#check-result .area")).to_have_text("Oppervlakte: 10.000 m²")

    # The corners typed in RD, shown and checked: the check (a live region) measures both together
    tab_until(browser_page, "e.id === 'corners'")
    browser_page.keyboard.type(RD_CORNERS)
    tab_until(browser_page, "e.id === 'corners-show'", limit=3)
    browser_page.keyboard.press("Enter")
    expect(browser_page.locator("#corners-status")).to_have_text(
        "Vlak met 4 hoeken op de kaart gezet; de controle staat hieronder."
    )
    expect(browser_page.locator("#check-result .area")).to_have_text("Oppervlakte: 11.600 m²")
    assert browser_page.locator("#check-result").get_attribute("aria-live") == "polite"
    assert "Vrij" in browser_page.locator("#check-result").inner_text()

    tab_until(browser_page, "e.id === 'description'")
    browser_page.keyboard.type("Bloemen langs het parkje")
    tab_until(browser_page, "e.id === 'submit'", limit=3)
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_function("() => document.getElementById('initiative-form').dataset.submitted === 'done'")
    # Focus goes on to the next step, the link to follow the initiative
    assert browser_page.evaluate("() => document.activeElement.textContent") == "Volg het op Mijn zelfbeheer"

    initiative = Initiative.objects.get()
    assert list(initiative.locations.all()) == [park]
    # RD went to the server as typed: exactly the park and the square, not an approximation of it
    assert initiative.area_m2 == pytest.approx(11_600, abs=0.01)
    if viewport == "desktop":
        assert page.js_errors == []


def test_corners_in_wgs84_are_read_in_either_order_and_a_mistake_is_said_where(
    page: Any,
    live_server: Any,
    park: Location,
) -> None:
    open_keyboard_page(page, live_server)
    # The park's own corners, as latitude, longitude (and the last line as longitude, latitude)
    corners = []
    ring = park.geometry.transform(4326, clone=True)[0][0]
    for index, (lon, lat) in enumerate(ring[:4]):
        corners.append(f"{lat:.8f}, {lon:.8f}" if index < 3 else f"{lon:.8f} {lat:.8f}")
    page.fill("#corners", "\n".join(corners[:2]) + "\nhier\n" + corners[3])
    page.click("#corners-show")
    expect(page.locator("#corners-status")).to_have_text("Regel 3 is geen punt in Nederland: „hier”.")
    assert page.locator("#corners").get_attribute("aria-invalid") == "true"
    assert page.evaluate("() => document.activeElement.id") == "corners"

    page.fill("#corners", "\n".join(corners))
    page.click("#corners-show")
    expect(page.locator("#corners-status")).to_contain_text("4 hoeken")
    assert page.locator("#corners").get_attribute("aria-invalid") is None
    page.wait_for_selector("#draw-map[data-checked=free]")
    shown = page.locator("#check-result .area").inner_text()  # "Oppervlakte: 10.000 m²"
    area = int(shown.removeprefix("Oppervlakte: ").split()[0].replace(".", ""))
    assert area == pytest.approx(10_000, rel=0.001)
