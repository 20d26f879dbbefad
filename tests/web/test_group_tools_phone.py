"""The group tools a volunteer uses, on a phone (390 × 844): a recurring task done makes its next
turn, hours written down and summed, and a personal calendar link that a calendar client can read;
the volunteer reads the manager's full name, an anonymous visitor only "Mira V."."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from gis_service.groups import services
from gis_service.groups.models import HourEntry, Task
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_uses_the_group_tools_on_a_phone(phone_page: Any, live_server: Any, green_strip: Location) -> None:
    page = phone_page
    manager = _user("mira", first_name="Mira de Vries")  # as registration stores a name: whole
    volunteer = _user("vera", first_name="Vera")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[manager])
    services.group_join(group=group, user=volunteer)
    today = timezone.localdate()
    services.task_add(group=group, user=manager, title="Maaien", due_on=today, repeat_every=2, repeat_unit="weken")
    services.agenda_add(
        group=group, user=manager, title="Werkochtend", starts_at=timezone.now() + timedelta(days=3), place="Bankje"
    )

    log_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    # Nothing wider than the phone: no sideways scrolling on the group page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.get_by_text("Beheerders:")).to_have_text("Beheerders: Mira de Vries")  # a member

    # The recurring task: taken, done, and its next turn appears two weeks on.
    task = page.locator("li.task", has_text="Maaien")
    expect(task.locator(".repeat")).to_have_text("elke 2 weken")
    task.get_by_role("button", name="Ik pak dit op").click()
    page.locator("li.task", has_text="Maaien").get_by_role("button", name="Klaar").click()
    expect(page.locator(".messages")).to_contain_text("is klaar")
    following = Task.objects.get(group=group, status="open")
    assert following.due_on == today + timedelta(weeks=2)
    expect(page.locator("li.task-open", has_text="Maaien")).to_contain_text(f"uiterlijk {following.due_on.day}")

    # Hours: written down on the task just done, and summed for the group.
    page.locator("#uren summary").click()
    page.locator("#id_hours").press_sequentially("1,5")  # as a Dutch phone keyboard types it
    page.select_option("#id_task", label="Maaien")
    page.fill("#id_note", "Gras gemaaid")
    page.get_by_role("button", name="Uren opslaan").click()
    expect(page.locator(".messages")).to_contain_text("1,5 uur genoteerd")
    expect(page.locator(".hours-total")).to_contain_text("Samen 1,50 uur gegeven, door 1 persoon.")
    entry = HourEntry.objects.get()
    assert (entry.user_id, entry.hours, entry.worked_on) == (volunteer.pk, Decimal("1.50"), today)

    # The calendar: the group's feed, and a personal link for all their groups.
    page.get_by_role("button", name="Maak een agendalink voor al je groepen").click()
    personal = page.get_by_role("link", name=re.compile("al je groepen"))
    expect(personal).to_be_visible()
    href = personal.get_attribute("href")
    assert href and re.search(r"/agenda/[\w-]+\.ics$", href)
    # A calendar client has no session: fetch it without the browser's cookies.
    feed = Client().get(urlsplit(href).path)
    assert feed.status_code == 200
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Werkochtend (Vondelgroen)"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # An anonymous visitor on a phone reads the manager by her public name only (docs/security.md).
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    expect(page.locator("#forum")).to_contain_text("om mee te praten")  # logged out
    expect(page.get_by_text("Beheerders:")).to_have_text("Beheerders: Mira V.")
    assert "de Vries" not in page.content()
