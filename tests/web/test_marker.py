"""The marker (bord met QR) at a location links to its page."""

from __future__ import annotations

import io
from typing import Any
from xml.etree import ElementTree

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from PIL import Image

from gis_service.locations.models import Location


@pytest.mark.django_db
def test_it_serves_the_qr_code_as_svg(client: Client, green_strip: Location) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/bord.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response, not untrusted input)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Groenstrook Vondelstraat"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_it_answers_404_for_the_marker_of_an_unknown_location(client: Client) -> None:
    assert client.get("/locaties/999999/bord.svg").status_code == 404
    assert client.get("/locaties/999999/bord/").status_code == 404


@pytest.mark.django_db
def test_the_printable_marker_names_the_place_and_prints_the_url(client: Client, green_strip: Location) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/bord/")
    assert response.status_code == 200
    text = response.content.decode()
    # Not offered, not managed: the marker invites, it does not claim residents manage it.
    assert "Zelfbeheer in je buurt" in text and "Beheerd door bewoners" not in text
    assert "Groenstrook Vondelstraat" in text
    assert f"{settings.SITE_URL}/locaties/{green_strip.pk}/" in text
    assert "<svg" in text
    # Back to the place's page from the screen (a walk found no way back); not printed.
    assert f'<p class="no-print back"><a href="/locaties/{green_strip.pk}/">' in text


@pytest.mark.browser
def test_the_printed_qr_code_decodes_to_the_location_page(page: Any, live_server: Any, green_strip: Location) -> None:
    page.goto(f"{live_server.url}/locaties/{green_strip.pk}/bord/")
    png = page.locator("#qr svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in decoded] == [f"{settings.SITE_URL}/locaties/{green_strip.pk}/"]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode


@pytest.mark.browser
def test_the_qr_svg_file_decodes_to_the_location_page(page: Any, live_server: Any, green_strip: Location) -> None:
    page.goto(f"{live_server.url}/locaties/{green_strip.pk}/bord.svg")
    png = page.locator("svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in decoded] == [f"{settings.SITE_URL}/locaties/{green_strip.pk}/"]


@pytest.mark.browser
def test_the_marker_page_shows_the_whole_qr_code_on_a_phone(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    """A resident opens the sign's page on a phone to show or print it: the code, drawn 492 px wide, is
    shrunk to the 390 px screen as a whole (a viewBox), not cut off at the right edge unreadable."""
    phone_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/bord/")
    box = phone_page.locator("#qr svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    png = phone_page.locator("#qr svg").screenshot()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in decoded] == [f"{settings.SITE_URL}/locaties/{green_strip.pk}/"]


@pytest.mark.browser
def test_the_marker_pages_print_button_is_big_enough_to_tap(
    phone_page: Any, live_server: Any, green_strip: Location
) -> None:
    """The print button kept the browser's default look: 21 px high in 13 px type, below WCAG 2.5.8's 24 px."""
    phone_page.goto(f"{live_server.url}/locaties/{green_strip.pk}/bord/")
    box = phone_page.get_by_role("button", name="Afdrukken").bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24
