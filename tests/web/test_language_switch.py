"""The language switch on a phone, by keyboard: a visitor's choice stays in the cookie, a resident's
in their profile, so it follows them to another browser after logging in; the URL never changes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from tests.web.conftest import PHONE, _new_page, log_in

pytestmark = pytest.mark.browser


def switch_to(page: Any, language_name: str, code: str) -> None:
    """Presses the language's button with the keyboard and waits for the page in that language."""
    path = page.url
    page.get_by_role("button", name=language_name).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.documentElement.lang === '{code}'")
    assert page.url == path  # the same address in either language


def assert_fits_the_phone(page: Any) -> None:
    width = page.evaluate("() => document.querySelector('.language-switch').getBoundingClientRect().right")
    assert width <= PHONE["width"]


def test_a_visitor_switches_to_english_and_back_and_the_choice_is_remembered(phone_page: Any, live_server: Any) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    expect(page.locator(".language-switch")).to_be_visible()
    assert_fits_the_phone(page)
    assert page.get_by_role("button", name="English").get_attribute("lang") == "en"

    switch_to(page, "English", "en")
    expect(page.locator(".language-switch [aria-current=true]")).to_have_text("English")
    page.goto(f"{live_server.url}/account/aanmaken/")  # another page: the cookie keeps the choice
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert_fits_the_phone(page)

    switch_to(page, "Nederlands", "nl")
    page.reload()
    assert page.evaluate("() => document.documentElement.lang") == "nl"


def test_a_resident_s_choice_follows_them_to_another_browser(
    phone_page: Any, browser: Any, live_server: Any, resident: User
) -> None:
    log_in(phone_page, live_server, resident)
    phone_page.goto(f"{live_server.url}/account/")
    switch_to(phone_page, "English", "en")
    resident.refresh_from_db()
    assert resident.language == "en"

    # Another phone, whose browser asks for Dutch and has no cookie: the profile decides once logged in.
    other = _new_page(browser, live_server, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        other.goto(f"{live_server.url}/accounts/login/")
        assert other.evaluate("() => document.documentElement.lang") == "nl"
        log_in(other, live_server, resident)
        assert other.evaluate("() => document.documentElement.lang") == "en"
        other.goto(f"{live_server.url}/account/")
        expect(other.locator("#id_language")).to_have_value("en")
    finally:
        other.context.close()
