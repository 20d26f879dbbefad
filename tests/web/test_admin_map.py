"""The admin's map works without the internet: OpenLayers is served by us (gis_service.core.admin)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.importers.conftest import sync, write_layer

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


def test_an_external_id_on_the_import_diff_map_stays_text(
    page: Any, live_server: Any, owner_a: Owner, tmp_path: Path
) -> None:
    """Stored XSS: external ids come from the uploaded file or a remote service. The diff map's
    tooltip must show them as text: a GIS admin of one owner (or whoever runs a source's server)
    must not run script in the session of the superuser who opens the run."""
    attack = '<img src="x" onerror="document.body.dataset.pwned = 1">'
    layer = write_layer(tmp_path / "g.geojson", [{"guid": attack, "geometry": box(140000, 470000, 140010, 470010)}])
    run = sync(owner_a, layer, id_field="guid")
    User.objects.create_superuser("beheer", "beheer@example.org", "beheer-wachtwoord")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/importers/importrun/{run.pk}/change/")
    page.fill("#id_username", "beheer")
    page.fill("#id_password", "beheer-wachtwoord")
    page.click("input[type=submit]")
    # The map sits in a read-only field and may draw before it has a size: point at the shape by event.
    page.dispatch_event("#import-diff-map path.leaflet-interactive", "mouseover")
    # The change is named in the admin's language.
    assert page.wait_for_selector(".leaflet-tooltip").inner_text() == f"nieuw: {attack}"
    assert page.evaluate("document.body.dataset.pwned") is None
