"""A manager keeps the group decent on a phone (390 × 844): hides a spam reply in the forum and takes
the volunteer who posted it out of the group; the visitor no longer reads the spam."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.groups import services
from gis_service.groups.models import GroupMember
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_hides_spam_and_takes_its_poster_out_on_a_phone(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    page = phone_page
    manager = _user("mira", first_name="Mira")
    spammer = _user("sam", first_name="Sam", last_name="Spam")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[manager])
    services.group_join(group=group, user=spammer)
    thread = services.forum_thread_start(group=group, author=manager, title="Compost", body="Waar laten we het?")
    services.forum_reply(thread=thread, author=spammer, body="Koop alles in mijn webshop")

    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/forum/{thread.pk}/")
    page.locator(".post", has_text="webshop").get_by_role("button", name="Verbergen").click()
    expect(page.get_by_text("Het bericht is verborgen.")).to_be_visible()
    expect(page.locator(".post", has_text="webshop")).to_contain_text("Alleen beheerders zien dit bericht nog.")

    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    page.get_by_role("link", name="Vrijwilligers").click()
    member = page.locator("#leden li", has_text="Sam Spam")
    member.get_by_text("Uit de groep halen", exact=True).click()
    member.get_by_role("button", name="Ja, uit de groep halen").click()
    expect(page.get_by_text("De vrijwilliger doet niet meer mee en heeft een e-mail gekregen.")).to_be_visible()
    expect(page.locator("#leden")).to_contain_text("Nog geen vrijwilligers.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not GroupMember.objects.filter(group=group, user=spammer).exists()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/groepen/{group.pk}/forum/{thread.pk}/")
    expect(page.get_by_text("Dit bericht is verborgen door een beheerder.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("webshop")
