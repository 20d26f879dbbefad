"""An initiative's invitation link on a phone (Mijn zelfbeheer): "Deel de link" opens the phone's share
sheet (Web Share API); where there is none, "Kopieer de link" copies it and says "Gekopieerd" in a live
region. The link itself stays, and is all there is without scripts (progressive enhancement)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.initiatives.models import Initiative
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium on Linux has no share sheet: a phone's is stood in for by one that keeps what it was given.
PHONE_SHARE_SHEET = "Navigator.prototype.share = async function (data) { window.__shared = data; };"
NO_SHARE_SHEET = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"


@pytest.fixture
def initiative(owner_a: Owner, resident: User) -> Initiative:
    initiative = Initiative.objects.create(
        owner=owner_a, geometry=rd_square(120000, 486000, 20), description="Een moestuin", created_by=resident
    )
    initiative.initiators.add(resident)
    return initiative


def open_mine(page: Any, live_server: Any, resident: User, initiative: Initiative) -> tuple[Any, str]:
    """Mijn zelfbeheer with the invite of `initiative`, and its link; script errors kept in page.js_errors."""
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    log_in(page, live_server, resident)
    page.goto(f"{live_server.url}/mijn-zelfbeheer/")
    invite = page.locator(f"#initiative-{initiative.pk} .invite-link")
    url = f"{live_server.url}/initiatief/{initiative.pk}/meedoen/{initiative.invite_token}/"
    expect(invite.get_by_role("link", name=url)).to_be_visible()  # the link itself, always
    return invite, url


def test_a_phone_shares_the_invite_link_through_its_share_sheet(
    phone_page: Any, live_server: Any, resident: User, initiative: Initiative
) -> None:
    phone_page.context.add_init_script(PHONE_SHARE_SHEET)
    invite, url = open_mine(phone_page, live_server, resident, initiative)
    share = invite.get_by_role("button", name="Deel de link")
    expect(invite.get_by_role("button", name="Kopieer de link")).to_be_hidden()
    box = share.bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24  # a tap target (WCAG 2.5.8)
    share.tap()
    phone_page.wait_for_function("() => window.__shared !== undefined")
    shared = phone_page.evaluate("() => window.__shared")
    assert shared == {"title": "Doe mee met ons bewonersinitiatief", "url": url}
    assert phone_page.js_errors == []


def test_without_a_share_sheet_the_link_is_copied_and_that_is_announced(
    phone_page: Any, live_server: Any, resident: User, initiative: Initiative
) -> None:
    phone_page.context.add_init_script(NO_SHARE_SHEET)
    phone_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    invite, url = open_mine(phone_page, live_server, resident, initiative)
    expect(invite.get_by_role("button", name="Deel de link")).to_be_hidden()
    copy = invite.get_by_role("button", name="Kopieer de link")
    copy.tap()
    status = invite.get_by_role("status")
    expect(status).to_have_text("Gekopieerd")
    assert status.get_attribute("aria-live") == "polite"
    assert phone_page.evaluate("() => navigator.clipboard.readText()") == url
    # Keyboard too: Enter on the focused button says it again (emptied first, so it is announced anew).
    phone_page.evaluate("() => { document.querySelector('.invite-status').textContent = ''; }")
    copy.focus()
    phone_page.keyboard.press("Enter")
    expect(status).to_have_text("Gekopieerd")
    assert phone_page.js_errors == []


def test_without_scripts_the_link_alone_is_shown(
    browser: Any, live_server: Any, resident: User, initiative: Initiative
) -> None:
    context = browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        invite, url = open_mine(page, live_server, resident, initiative)
        expect(invite.get_by_role("button")).to_have_count(0)  # hidden: buttons that would do nothing
        assert invite.get_by_role("link", name=url).get_attribute("href") == url
    finally:
        context.close()
