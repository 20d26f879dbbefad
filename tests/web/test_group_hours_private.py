"""Who gave how many hours when is for the group's members (as /api/hours/ answers): a visitor of the
public group page, and someone who only follows its news, read the total, never the entries with
names and notes. A walk on a phone found the page listing "7 December — Vince Visser: 2,5 uur" to anyone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gis_service.groups import services
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_only_members_read_who_gave_which_hours_on_the_group_page(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    page = phone_page
    manager = _user("mira", first_name="Mira", last_name="Mol")
    volunteer = _user("vera", first_name="Vera", last_name="Visser")
    follower = _user("fons", first_name="Fons")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[manager])
    services.group_join(group=group, user=volunteer)
    services.group_follow(group=group, user=follower)
    services.hours_log(
        group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal("2.5"), note="Bij de buren"
    )
    url = f"{live_server.url}/groepen/{group.pk}/"

    # A visitor from the marker: the group's total, no names, no notes.
    page.goto(url)
    expect(page.locator(".hours-total")).to_contain_text("Samen 2,50 uur gegeven, door 1 persoon.")
    expect(page.locator("#uren")).not_to_contain_text("Visser")
    expect(page.locator("#uren")).not_to_contain_text("Bij de buren")

    # Following the news makes nobody a member.
    log_in(page, live_server, follower)
    page.goto(url)
    expect(page.locator(".hours-total")).to_be_visible()
    expect(page.locator("#uren")).not_to_contain_text("Visser")

    # The volunteer and the manager do read the entries.
    for member in (volunteer, manager):
        page.context.clear_cookies()
        log_in(page, live_server, member)
        page.goto(url)
        expect(page.locator("ul.hours")).to_contain_text("Vera Visser: 2,50 uur · Bij de buren")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
