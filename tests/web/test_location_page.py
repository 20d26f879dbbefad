"""The location page: what a resident sees after scanning the marker."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from gis_service.accounts.models import User
from gis_service.groups.services import group_create
from gis_service.locations.models import Location


@pytest.mark.django_db
def test_it_shows_the_location_with_its_area_owner_and_status(client: Client, green_strip: Location) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Groenstrook Vondelstraat</h1>" in text
    assert "400 m²" in text
    assert "Gemeente Aadorp" in text
    assert "beschikbaar" in text


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_location(client: Client) -> None:
    assert client.get("/locaties/424242/").status_code == 404


@pytest.mark.django_db
def test_a_location_not_offered_has_no_sign_up_but_points_to_an_initiative(
    client: Client, green_strip: Location
) -> None:
    text = client.get(f"/locaties/{green_strip.pk}/").content.decode()
    assert 'id="signup"' not in text
    assert 'href="/initiatief/"' in text


@pytest.mark.django_db
def test_it_links_to_the_group_of_the_location(client: Client, green_strip: Location, resident: User) -> None:
    group = group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    text = client.get(f"/locaties/{green_strip.pk}/").content.decode()
    assert f'href="/groepen/{group.pk}/"' in text


@pytest.mark.django_db
def test_it_shares_the_absolute_public_url(client: Client, green_strip: Location) -> None:
    text = client.get(f"/locaties/{green_strip.pk}/").content.decode()
    assert f'data-url="{settings.SITE_URL}/locaties/{green_strip.pk}/"' in text
    assert f'href="/locaties/{green_strip.pk}/bord/"' in text


@pytest.mark.django_db
def test_it_embeds_the_geometry_in_crs84_for_the_map(client: Client, green_strip: Location) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/")
    geojson = response.context["geojson"]
    assert geojson["type"] == "MultiPolygon"
    lon, lat = geojson["coordinates"][0][0][0]
    assert 4.8 < lon < 5.0 and 52.3 < lat < 52.4  # Amsterdam, not RD metres


@pytest.mark.browser
def test_the_location_page_draws_the_place_on_a_phone(phone_page: Any, live_server: Any, green_strip: Location) -> None:
    phone_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    phone_page.wait_for_selector("#location-map path.leaflet-interactive")
    assert phone_page.locator("h1").inner_text() == "Groenstrook Vondelstraat"
    # Nothing wider than the phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    # What zelfbeheer yields for the owner is one tap away for every visitor, not only for its regisseur.
    with phone_page.expect_navigation():
        phone_page.get_by_role("link", name="Wat zelfbeheer bij Gemeente Aadorp oplevert").click()
    assert phone_page.locator("h1").inner_text().startswith("Waarde van zelfbeheer bij Gemeente Aadorp in ")


@pytest.mark.browser
def test_the_share_button_copies_the_public_link(page: Any, live_server: Any, green_strip: Location) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.add_init_script("delete Navigator.prototype.share")  # a desktop browser without a share sheet
    page.goto(f"{live_server.url}/locaties/{green_strip.pk}/")
    page.get_by_role("button", name="Delen").click()
    page.wait_for_function("() => document.getElementById('share-status').textContent !== ''")
    assert page.locator("#share-status").inner_text() == "Link gekopieerd."
    assert page.evaluate("navigator.clipboard.readText()") == f"{settings.SITE_URL}/locaties/{green_strip.pk}/"


@pytest.mark.django_db
def test_the_group_page_shares_its_absolute_url(client: Client, green_strip: Location, resident: User) -> None:
    group = group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    text = client.get(f"/groepen/{group.pk}/").content.decode()
    assert f'data-url="{settings.SITE_URL}/groepen/{group.pk}/"' in text


@pytest.mark.django_db
def test_a_location_gone_from_its_source_still_answers_with_a_notice(client: Client, green_strip: Location) -> None:
    # A printed marker may still point here: the page stays, and says the data may be old.
    Location.objects.filter(pk=green_strip.pk).update(withdrawn_at="2026-03-01T12:00:00Z")
    response = client.get(f"/locaties/{green_strip.pk}/")
    assert response.status_code == 200
    assert "niet meer in de registratie van Gemeente Aadorp" in response.content.decode()
