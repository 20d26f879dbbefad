"""From the marker to work done, on a phone: scan, open the group, join, take a task, finish it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.groups.models import Task
from gis_service.groups.services import group_create, task_add
from gis_service.locations.models import Location
from tests.web.conftest import log_in


@pytest.mark.browser
def test_a_resident_who_scanned_the_marker_joins_and_finishes_a_task(
    phone_page: Any, live_server: Any, green_strip: Location, resident: User, resident_two: User
) -> None:
    group = group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    task = task_add(group=group, user=resident, title="Zwerfvuil prikken")
    page = phone_page
    log_in(page, live_server, resident_two)

    page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")  # where the QR code leads
    page.get_by_role("link", name="Naar de groep: Vondelgroen").tap()
    page.get_by_role("button", name="Doe mee als vrijwilliger").tap()
    expect(page.locator(".messages")).to_contain_text("Welkom! Je doet mee als vrijwilliger.")

    page.get_by_role("button", name="Ik pak dit op").tap()
    expect(page.locator(".messages")).to_contain_text("Je hebt ‘Zwerfvuil prikken’ opgepakt")
    page.get_by_role("button", name="Klaar").tap()
    expect(page.locator(".messages")).to_contain_text("‘Zwerfvuil prikken’ is klaar.")
    task.refresh_from_db()
    assert (task.status, task.taken_by) == (Task.Status.DONE, resident_two)
