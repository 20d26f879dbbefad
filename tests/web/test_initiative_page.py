"""The initiative page in a real browser: draw, see the overlap check at once, submit.

The page talks to the real API (/api/overlap-check/, /api/initiatives/) on the live server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.test import Client
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import drawing_map_box, log_in


@pytest.fixture
def park(owner_a: Owner) -> Location:
    """A 100 × 100 m park whose left half is under an active contract."""
    return Location.objects.create(owner=owner_a, name="Parkje", geometry=rd_square(120000, 486000, 100))


@pytest.fixture
def active_contract(park: Location) -> Contract:
    offering = Offering.objects.create(location=park, conditions="Geen gif.")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="Geen gif.")
    return Contract.objects.create(
        location=park,
        geometry=MultiPolygon(Polygon.from_bbox((120000, 486000, 120050, 486100)), srid=settings.STORAGE_SRID),
        terms_version=terms,
        status=Contract.Status.ACTIVE,
        starts_on=dt.date.today() - dt.timedelta(days=10),
    )


def open_drawing_page(page: Any, live_server: Any, park: Location) -> Any:
    """The page with the offered locations' tiles drawn; returns the park's box on screen."""
    page.goto(f"{live_server.url}/initiatief/")
    page.wait_for_selector("#draw-map[data-ready=true]")
    return drawing_map_box(page, park)


def draw_polygon(page: Any, points: list[tuple[float, float]]) -> None:
    """Draw with Geoman's polygon tool as a user does: click the corners, close on the first."""
    page.locator(".leaflet-pm-icon-polygon").click()
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(60)
    page.mouse.click(*points[0])


def test_the_drawing_page_needs_no_login_and_carries_a_csrf_token(client: Client, db: None) -> None:
    response = client.get("/initiatief/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in text and "Log in om in te dienen" in text


@pytest.mark.browser
def test_drawing_a_free_area_shows_its_area_at_once(page: Any, live_server: Any, park: Location) -> None:
    box = open_drawing_page(page, live_server, park)
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    draw_polygon(page, [(x0 + 0.6 * w, y0 + 0.2 * h), (x0 + 0.9 * w, y0 + 0.2 * h), (x0 + 0.9 * w, y0 + 0.8 * h)])
    page.wait_for_selector("#draw-map[data-checked=free]")
    area_text = page.locator("#check-result .area").inner_text()
    area = int(area_text.removeprefix("Oppervlakte: ").removesuffix(" m²").replace(".", ""))
    # A triangle of 0.3 × 0.6 of a 100 m square: 900 m², give or take the pixels.
    assert 700 < area < 1100, area_text
    assert "Vrij" in page.locator("#check-result").inner_text()
    assert "Parkje" in page.locator("#check-result .touched").inner_text()
    assert page.js_errors == []


@pytest.mark.browser
def test_drawing_over_an_active_contract_shows_the_conflict_and_the_free_part(
    page: Any, live_server: Any, park: Location, active_contract: Contract
) -> None:
    box = open_drawing_page(page, live_server, park)
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    # The middle band of the park: half on the contract (left), half free (right).
    draw_polygon(
        page,
        [(x0 + 0.25 * w, y0 + 0.25 * h), (x0 + 0.75 * w, y0 + 0.25 * h),
         (x0 + 0.75 * w, y0 + 0.75 * h), (x0 + 0.25 * w, y0 + 0.75 * h)],
    )  # fmt: skip
    page.wait_for_selector("#draw-map[data-checked=conflict]")
    conflicts = page.locator("#check-result .conflicts li")
    assert conflicts.count() == 1
    line = conflicts.first.inner_text()
    assert f"contract {active_contract.pk}" in line and "Parkje" in line
    assert "50%" in line or "49%" in line or "51%" in line
    assert page.locator("#draw-map path.conflict-shape").count() >= 1
    assert "vrij" in page.locator("#check-result .free-hint").inner_text()


@pytest.mark.browser
def test_a_self_intersecting_drawing_is_refused_with_the_point_and_keeps_the_typed_text(
    page: Any, live_server: Any, park: Location, resident: User
) -> None:
    log_in(page, live_server, resident)
    box = open_drawing_page(page, live_server, park)
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    # A bow tie: its edges cross in the middle.
    draw_polygon(
        page,
        [(x0 + 0.2 * w, y0 + 0.2 * h), (x0 + 0.8 * w, y0 + 0.8 * h),
         (x0 + 0.8 * w, y0 + 0.2 * h), (x0 + 0.2 * w, y0 + 0.8 * h)],
    )  # fmt: skip
    page.wait_for_selector("#draw-map[data-checked=invalid]")
    assert page.locator("#check-result .problem-where").count() == 1
    assert page.locator("#draw-map path.problem-point").count() == 1

    plan = "Wij willen hier een bloemenweide zaaien met de buren van nummer 12 tot 40."
    page.fill("#description", plan)
    page.click("#submit")
    page.wait_for_selector("#initiative-form[data-submitted=refused]")
    assert page.locator("#description").input_value() == plan
    assert "Niet ingediend" in page.locator("#submit-result").inner_text()
    assert not Initiative.objects.exists()


@pytest.mark.browser
def test_a_logged_in_resident_submits_a_drawn_initiative(
    page: Any, live_server: Any, park: Location, resident: User, celery_worker: str
) -> None:
    log_in(page, live_server, resident)
    box = open_drawing_page(page, live_server, park)
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    draw_polygon(page, [(x0 + 0.3 * w, y0 + 0.3 * h), (x0 + 0.7 * w, y0 + 0.3 * h), (x0 + 0.5 * w, y0 + 0.7 * h)])
    page.wait_for_selector("#draw-map[data-checked=free]")
    page.fill("#description", "Moestuin voor de buurt")
    page.click("#submit")
    page.wait_for_function("() => document.getElementById('initiative-form').dataset.submitted !== undefined")
    assert page.locator("#initiative-form").get_attribute("data-submitted") not in ("refused", None)
    initiative = Initiative.objects.get()
    assert initiative.description == "Moestuin voor de buurt"
    assert list(initiative.initiators.all()) == [resident]


@pytest.mark.browser
def test_drawing_works_with_touch_on_a_phone(phone_page: Any, live_server: Any, park: Location) -> None:
    box = open_drawing_page(phone_page, live_server, park)
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    phone_page.locator(".leaflet-pm-icon-polygon").tap()
    for x, y in [(x0 + 0.5 * w, y0 + 0.3 * h), (x0 + 0.9 * w, y0 + 0.3 * h), (x0 + 0.7 * w, y0 + 0.8 * h)]:
        phone_page.touchscreen.tap(x, y)
        phone_page.wait_for_timeout(120)
    phone_page.get_by_role("button", name="Bewaar").tap()  # Geoman's "finish": no need to hit the first point
    phone_page.wait_for_selector("#draw-map[data-checked=free]")
    assert phone_page.locator("#check-result .area").inner_text().startswith("Oppervlakte: ")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_a_resident_proposes_an_initiative_made_of_existing_locations(
    page: Any, live_server: Any, park: Location, resident: User, celery_worker: str
) -> None:
    log_in(page, live_server, resident)
    box = open_drawing_page(page, live_server, park)
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    expect(page.locator("#picked-total")).to_have_text("1 locatie gekozen, samen 10.000 m².")
    page.fill("#description", "Het hele parkje als buurtpark")
    page.click("#submit")
    page.wait_for_function("() => document.getElementById('initiative-form').dataset.submitted !== undefined")
    initiative = Initiative.objects.get()
    assert list(initiative.locations.all()) == [park]
    assert initiative.area_m2 == pytest.approx(10_000)
