"""The admin's map works without the internet: OpenLayers is served by us (gis_service.core.admin)."""

from __future__ import annotations

from typing import Any

import pytest

from gis_service.accounts.models import User
from gis_service.locations.models import Location

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_map_works_offline(page: Any, live_server: Any, green_strip: Location) -> None:
    User.objects.create_superuser("beheer", "beheer@example.org", "beheer-wachtwoord")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/locations/location/{green_strip.pk}/change/")
    page.fill("#id_username", "beheer")
    page.fill("#id_password", "beheer-wachtwoord")
    page.click("input[type=submit]")
    page.wait_for_selector("#id_geometry_map .ol-viewport canvas")
    assert page.evaluate("() => typeof ol.Map") == "function"
    assert page.js_errors == []  # with OpenLayers from a CDN, offline: "ol is not defined", no map
