"""Form fields the browser leaves at its default look, on a phone (390 × 844): big enough to tap."""

from __future__ import annotations

from typing import Any

import pytest

from gis_service.groups import services
from gis_service.locations.models import Location
from tests.conftest import _user
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_number_and_photo_fields_are_big_enough_to_tap_on_a_phone(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    """The hours field and the photo pickers were left at the browser's default: 21 px high in 13 px
    type beside 40 px text fields, below the 24 px a tap target needs (WCAG 2.5.8)."""
    page = phone_page
    volunteer = _user("vera", first_name="Vera")
    group = services.group_create(location=green_strip, name="Vondelgroen", managers=[_user("mira")])
    services.group_join(group=group, user=volunteer)
    log_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    page.locator("#uren summary").click()
    for field in ("#id_hours", "#id_update_before", "#id_update_after", "#id_update_photos"):
        box = page.locator(field).bounding_box()
        assert box is not None and box["height"] >= 24, (field, box)
        assert page.locator(field).evaluate("e => getComputedStyle(e).fontSize") == page.locator("#id_note").evaluate(
            "e => getComputedStyle(e).fontSize"
        ), field
