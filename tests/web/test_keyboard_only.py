"""Keyboard only (WCAG 2.1.1, 2.4.3, 2.4.7) on a phone's screen (390 × 844): a resident goes from the map
to an offered location and signs up as its manager, and a visitor registers, with Tab, Shift+Tab, Enter,
Space and typed text and never a click. Every stop of the focus is visible (an outline) and follows the
order of the page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.contracts.models import ManagerSignup, TermsAcceptance
from gis_service.contracts.services.offering import offering_create
from gis_service.locations.models import Location
from tests.conftest import SmtpServer
from tests.web.test_map_page import open_map_at

pytestmark = pytest.mark.browser

# What has the focus now: its id or name, whether its outline shows, and whether it comes after
# the previous stop in the document (the focus order follows the page).
FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const previous = window.__lastFocus;
  const inOrder = !previous || previous === e || !document.contains(previous)
    || Boolean(previous.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  window.__lastFocus = e;
  const rect = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.name || "",
    text: (e.innerText || e.value || "").trim().replace(/\\s+/g, " ").slice(0, 80),
    outlined, inOrder, onScreen: rect.width > 0 && rect.height > 0,
  };
}"""


def tab_to(page: Any, matches: Any, limit: int = 40) -> dict[str, Any]:
    """Press Tab until the focused element `matches` (none if it has the focus already, as an
    autofocused field has); every stop on the way must show its focus and come after the one before it."""
    focused = page.evaluate(FOCUSED)
    if focused["tag"] != "body" and matches(focused):
        return focused
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        where = f"{page.url}: {focused}"
        assert focused["tag"] != "body", f"the focus left the page before reaching it ({where})"
        assert focused["onScreen"], f"the focus is on something invisible: {where}"
        assert focused["outlined"], f"the focus is not visible: {where}"
        assert focused["inOrder"], f"the focus went back up the page: {where}"
        if matches(focused):
            return focused
    raise AssertionError(f"not reached with {limit} presses of Tab on {page.url}")


def start_at(page: Any, url: str) -> None:
    page.set_default_timeout(30_000)  # page loads on a busy machine took over 10 s
    page.goto(url)
    new_page(page)


def new_page(page: Any) -> None:
    """The focus order is checked from here on (after a page load)."""
    page.evaluate("() => { window.__lastFocus = null; }")


def press_and_load(page: Any, key: str) -> None:
    """Press `key` on a link or in a form and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    new_page(page)


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page: Any, live_server: Any) -> None:
    start_at(page, f"{live_server.url}/account/aanmaken/")
    skip = tab_to(page, lambda f: True, limit=1)
    assert skip["text"] == "Naar de inhoud", skip
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#inhoud' && document.activeElement.id === 'inhoud'")
    new_page(page)
    first = tab_to(page, lambda f: f["tag"] != "main", limit=1)
    # The first stop in the content is the form's first field, not the header's links.
    assert first["id"] == "id_name", first


@pytest.mark.django_db(transaction=True)
def test_a_resident_signs_up_as_manager_by_keyboard_alone(
    phone_page: Any, live_server: Any, green_strip: Location, regisseur_a: User, resident: User
) -> None:
    page = phone_page
    offering = offering_create(
        location=green_strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1: houd het pad vrij."
    )
    # From the map (the home page), past its canvas and its own zoom buttons, to the list of locations in view.
    page.set_default_timeout(30_000)
    open_map_at(page, live_server, green_strip, zoom=17)
    new_page(page)
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == green_strip.name)
    press_and_load(page, "Enter")
    page.wait_for_url(f"{live_server.url}/locaties/{green_strip.pk}/")

    # From the location page to the sign-up; logging in on the way.
    tab_to(page, lambda f: f["id"] == "signup")
    press_and_load(page, "Enter")
    page.wait_for_url("**/accounts/login/**")
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type(resident.email)
    tab_to(page, lambda f: f["id"] == "id_password", limit=1)
    page.keyboard.type("pw-" + resident.username * 2)
    press_and_load(page, "Enter")
    page.wait_for_url(f"{live_server.url}/locaties/{green_strip.pk}/aanmelden/")

    # Sends the form empty first: the refusal is announced and tied to its field.
    new_page(page)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Aanmelden")
    press_and_load(page, "Enter")
    page.wait_for_url(f"{live_server.url}/locaties/{green_strip.pk}/aanmelden/")
    expect(page.locator("#field-accept_terms [role=alert]")).to_be_visible()
    accept = page.locator("#id_accept_terms")
    expect(accept).to_have_attribute("aria-invalid", "true")
    described = accept.get_attribute("aria-describedby") or ""
    assert described and page.locator(f"#{described.split()[-1]}").is_visible(), described

    # The plan typed, the terms accepted with Space, sent with Enter.
    new_page(page)
    tab_to(page, lambda f: f["id"] == "id_plan")
    page.keyboard.type("Vaste planten en een bankje.")
    tab_to(page, lambda f: f["id"] == "id_accept_terms")
    page.keyboard.press("Space")
    expect(accept).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Aanmelden")
    press_and_load(page, "Enter")
    expect(page.locator("[role=status] .messages")).to_contain_text("Je bent aangemeld als beheerder.")
    assert ManagerSignup.objects.filter(user=resident, contract__location=green_strip).exists()
    (acceptance,) = TermsAcceptance.objects.filter(user=resident)
    assert acceptance.terms_version == offering.current_terms()


@pytest.mark.django_db(transaction=True)
def test_a_visitor_registers_by_keyboard_alone(
    phone_page: Any, live_server: Any, smtp_server: SmtpServer, celery_worker: str
) -> None:
    page = phone_page
    smtp_server.clear()
    start_at(page, f"{live_server.url}/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Account aanmaken")
    press_and_load(page, "Enter")
    page.wait_for_url("**/account/aanmaken/**")

    # An address that is none: refused, announced, and the field says so.
    new_page(page)
    tab_to(page, lambda f: f["id"] == "id_name")
    page.keyboard.type("Nina de Nieuwe")
    tab_to(page, lambda f: f["id"] == "id_email", limit=1)
    page.keyboard.type("geen-adres")
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type("Vondelpark-bankje-42")
    press_and_load(page, "Enter")
    email = page.locator("#id_email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-email [role=alert]")).to_be_visible()
    assert "id_email_error" in (email.get_attribute("aria-describedby") or "")

    # Corrected by keyboard (the name stays filled in; the password is asked again) and sent.
    new_page(page)
    tab_to(page, lambda f: f["id"] == "id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type("nina@example.org")
    tab_to(page, lambda f: f["id"] == "id_password", limit=3)
    page.keyboard.type("Vondelpark-bankje-42")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Account aanmaken")
    press_and_load(page, "Enter")
    page.wait_for_url("**/account/aanmaken/verstuurd/")
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "nina@example.org"
    assert User.objects.filter(email="nina@example.org").exists()
