"""Journey 7, the initiative, on a phone with touch: from the home page a resident draws an area,
changes it, taps a location in edit and in delete mode (which picks nothing), picks another location on
purpose, logs in on the way and finds it all back; the check shows the area and its shape, and
exactly that is submitted, once, however often the button is tapped. The regisseur's mail comes
from the real worker through the real SMTP server, and the resident follows the initiative on
Mijn zelfbeheer.

Once with Dutch phones and once with English ones, axe-core on every page (tests/web/journeys.py).

Before: in delete mode a tap picked a whole location, so a check that showed 525 m² free
submitted 4,891 m², and the same initiative could be submitted twice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils.timezone import localdate
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import DrawnArea
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.selectors import InitiativeArea
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer, rd_square
from tests.web.conftest import drawing_map_box, log_in
from tests.web.journeys import AxeWalk, Texts, in_both_languages, speak

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "journeys" / "initiative.png"


def centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def touch_drag(page: Any, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
    """A finger on the screen, moved and lifted: real touch events through Chromium's DevTools."""
    cdp = page.context.new_cdp_session(page)
    x0, y0 = start
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for step in range(1, steps + 1):
        x, y = x0 + (end[0] - x0) * step / steps, y0 + (end[1] - y0) * step / steps
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def checked_area(page: Any) -> int:
    """The area the check shows (in whole m²), once it answered for what is on the map now."""
    page.wait_for_selector("#draw-map[data-checked=free]")
    shown = page.locator("#check-result .area").inner_text()  # "Oppervlakte: 3.163 m²", "Area: 3,163 m²"
    return int(re.sub(r"[^0-9]", "", shown.removesuffix(" m²")))


def area_above(page: Any, m2: float) -> None:
    """Waits until the check shows more than `m2`."""
    page.wait_for_function(
        # A function, not an expression: Playwright evals expressions, which the CSP refuses.
        "() => Number((document.querySelector('#check-result .area') || {}).textContent"
        f"?.replace(/[^0-9]/g, '')) > {m2}"
    )


# leaflet-geoman's own button that ends a drawing, in its own language files.
FINISH = {"nl-NL": "Bewaar", "en-GB": "Finish"}


@pytest.mark.browser
@in_both_languages
def test_a_resident_draws_changes_checks_and_submits_an_initiative_once_and_follows_it(
    locale: str,
    axe: AxeWalk,
    phone_page: Any,
    page: Any,
    live_server: Any,
    owner_a: Owner,
    regisseur_a: User,
    resident: User,
    smtp_server: SmtpServer,
    celery_worker: str,
    settings: Any,
) -> None:
    settings.SITE_URL = live_server.url  # the mail's link leads to this server
    smtp_server.clear()
    park = Location.objects.create(owner=owner_a, name="Parkje", geometry=rd_square(120000, 486000, 100))
    field = Location.objects.create(owner=owner_a, name="Speelveld", geometry=rd_square(120130, 486030, 40))
    phone, t = phone_page, Texts(locale)
    speak(locale, regisseur_a, resident)
    axe.follow(phone, page)

    # From the home page to the drawing page, not logged in.
    phone.goto(f"{live_server.url}/")
    axe.check(phone)
    phone.get_by_role("navigation").get_by_role("link", name=t("Initiatief indienen")).tap()
    phone.wait_for_url(f"{live_server.url}/initiatief/")
    phone.wait_for_selector("#draw-map[data-ready=true]")
    axe.check(phone)
    phone.locator("#draw-map").scroll_into_view_if_needed()
    # Both drawn from the vector tiles (a canvas): where they lie on the screen
    park_box, field_box = drawing_map_box(phone, park), drawing_map_box(phone, field)
    assert park_box["width"] > field_box["width"] and field_box["x"] > park_box["x"]  # the park, then the field
    x0, y0, w, h = park_box["x"], park_box["y"], park_box["width"], park_box["height"]

    # Draws a square in the park with the finger; the check shows its area, free.
    phone.locator(".leaflet-pm-icon-polygon").tap()
    corners = [(x0 + 0.3 * w, y0 + 0.3 * h), (x0 + 0.6 * w, y0 + 0.3 * h),
               (x0 + 0.6 * w, y0 + 0.6 * h), (x0 + 0.3 * w, y0 + 0.6 * h)]  # fmt: skip
    for x, y in corners:
        phone.touchscreen.tap(x, y)
        phone.wait_for_timeout(450)  # apart enough not to be a double tap
    phone.get_by_role("button", name=FINISH[locale]).tap()
    drawn_m2 = checked_area(phone)
    assert 500 < drawn_m2 < 1300, drawn_m2  # 30 × 30 m, give or take the pixels
    expect(phone.locator("#check-result .submits")).to_contain_text(
        t.js("Dit dien je in: het getekende gebied, %(area)s m² (de gestippelde rand).", area=t.number(drawn_m2))
    )
    expect(phone.locator("#draw-map path.checked-shape")).to_have_count(1)

    # Changes it: in edit mode, drags a corner outwards with the finger; the check follows.
    phone.locator(".leaflet-pm-icon-edit").tap()
    corner = phone.locator("#draw-map .marker-icon:not(.marker-icon-middle)")
    expect(corner).to_have_count(4)
    boxes = [corner.nth(i).bounding_box() for i in range(4)]
    start = min((centre(box) for box in boxes), key=lambda p: abs(p[0] - corners[2][0]) + abs(p[1] - corners[2][1]))
    touch_drag(phone, start, (start[0] + 0.2 * w, start[1] + 0.2 * h))
    area_above(phone, drawn_m2 + 100)
    edited_m2 = checked_area(phone)
    phone.touchscreen.tap(*centre(field_box))  # editing never picks a location either
    pick_hint = t.js(
        "Locaties kies je als de knoppen om te tekenen, te bewerken en te wissen uit staan. Er is niets gekozen of "
        "weggehaald."
    )
    expect(phone.locator("#pick-hint")).to_have_text(pick_hint)
    expect(phone.locator("#picked-locations li")).to_have_count(0)
    phone.locator(".leaflet-pm-icon-edit").tap()  # edit mode off
    expect(phone.locator("#pick-hint")).to_have_text("")

    # In delete mode a tap on the other location picks nothing, and says so.
    phone.locator(".leaflet-pm-icon-delete").tap()
    phone.touchscreen.tap(*centre(field_box))
    expect(phone.locator("#pick-hint")).to_have_text(pick_hint)
    expect(phone.locator("#picked-locations li")).to_have_count(0)
    assert checked_area(phone) == edited_m2
    phone.locator(".leaflet-pm-icon-delete").tap()  # delete mode off

    # Picks it on purpose: the check measures drawing and location together.
    phone.touchscreen.tap(*centre(field_box))
    expect(phone.locator("#picked-locations li")).to_have_count(1)
    expect(phone.locator("#picked-total")).to_have_text(
        t.js_plural("%(count)s locatie gekozen, samen %(area)s m².", "%(count)s locaties gekozen, samen %(area)s m².",
                    1, count=1, area=t.number(1600))
    )  # fmt: skip
    area_above(phone, edited_m2 + 1000)
    shown_m2 = checked_area(phone)
    assert shown_m2 == pytest.approx(edited_m2 + 1600, abs=1)
    expect(phone.locator("#check-result .submits")).to_contain_text(
        t.js_plural(
            "Dit dien je in: het getekende gebied en %(count)s gekozen locatie, samen %(area)s m² (de gestippelde "
            "rand).",
            "Dit dien je in: het getekende gebied en %(count)s gekozen locaties, samen %(area)s m² (de gestippelde "
            "rand).", 1, count=1, area=t.number(shown_m2),
        )
    )  # fmt: skip
    axe.check(phone)  # with a drawing, a pick and the check's answer
    phone.fill("#description", "Een pluktuin met de buren, en het speelveld erbij voor de kinderen.")

    # Logs in to submit, and is back with the drawing, the pick and the text, checked again.
    phone.get_by_role("link", name=t("Log in om in te dienen")).tap()
    phone.fill("#id_username", resident.email)
    axe.check(phone)
    phone.fill("#id_password", "pw-" + resident.username * 2)
    phone.get_by_role("button", name=t("Inloggen")).tap()
    phone.wait_for_url(f"{live_server.url}/initiatief/")
    expect(phone.locator("#picked-locations li")).to_have_count(1)
    area_above(phone, edited_m2 + 1000)
    assert checked_area(phone) == shown_m2
    # The map shows all of it again: the picked field (drawn in orange on the tiles) lies within the map.
    phone.wait_for_function(
        "() => document.getElementById('draw-map').maplibre.getFilter('locations-picked')[2][1].length === 1"
    )
    field_now, map_box = drawing_map_box(phone, field), phone.locator("#draw-map").bounding_box()
    assert map_box["x"] <= field_now["x"] and field_now["x"] + field_now["width"] <= map_box["x"] + map_box["width"]
    assert map_box["y"] <= field_now["y"] and field_now["y"] + field_now["height"] <= map_box["y"] + map_box["height"]
    assert phone.locator("#description").input_value().startswith("Een pluktuin")
    fingerprint = phone.locator("#draw-map").get_attribute("data-fingerprint")

    # Taps "Initiatief indienen" twice in a row: one initiative, of exactly what was checked.
    button = phone.get_by_role("button", name=t("Initiatief indienen"))
    button.scroll_into_view_if_needed()
    x, y = centre(button.bounding_box())
    phone.touchscreen.tap(x, y)
    phone.touchscreen.tap(x, y)
    phone.wait_for_selector("#initiative-form[data-submitted=done]")
    expect(phone.locator("#submit-result")).to_contain_text(
        t.js("Dank je! Je initiatief van %(area)s m² is ingediend; de regisseur neemt contact met je op.",
             area=t.number(round(shown_m2)))
    )  # fmt: skip
    expect(phone.locator("#submit")).to_be_disabled()
    expect(phone.locator("#submit")).to_have_text(t.js("Ingediend"))
    axe.check(phone)  # as submitted
    (initiative,) = Initiative.objects.all()
    assert round(initiative.area_m2) == shown_m2
    assert list(initiative.locations.all()) == [field] and initiative.owner == owner_a
    stored = InitiativeArea(
        area=DrawnArea(geometry=initiative.geometry, crs=geo_crs.supported()[geo_crs.CRS84]), locations=[field]
    )
    assert stored.fingerprint == fingerprint  # the shape the check measured, vertex for vertex
    assert park.pk not in {location.pk for location in initiative.locations.all()}

    # The regisseur is mailed through the worker, and the mail's link opens the initiative.
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == regisseur_a.email
    assert mail["Subject"] == t("Nieuw bewonersinitiatief (%(area)s m²)", area=shown_m2)
    assert "Een pluktuin met de buren" in mail.get_content()
    link = re.search(r"https?://\S+/regisseur/\S*", mail.get_content())
    assert link is not None
    log_in(page, live_server, regisseur_a)
    axe.check(page)  # the front page, logged in as regisseur
    page.goto(link[0])
    expect(page.locator(f"#initiative-{initiative.pk}")).to_contain_text("Een pluktuin met de buren")
    axe.check(page)

    # The resident follows it on Mijn zelfbeheer.
    phone.get_by_role("link", name=t.js("Volg het op Mijn zelfbeheer")).tap()
    phone.wait_for_url(re.compile(r"/mijn-zelfbeheer/"))
    mine = phone.locator(f"#initiative-{initiative.pk}")
    expect(mine).to_have_attribute("data-state", "submitted")
    expect(mine).to_contain_text("Een pluktuin met de buren")
    expect(mine).to_contain_text(
        t("Ingediend op %(day)s; de regisseur van %(owner)s beslist.", day=t.date(localdate(initiative.created_at)),
          owner=owner_a.name)
    )  # fmt: skip
    axe.check(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOT.with_name(f"initiative-{locale}.png")), full_page=True)
    assert Initiative.objects.count() == 1 and len(smtp_server.messages) == 1
    axe.every_page_checked()
