"""Link previews: Open Graph and Twitter card tags, with a picture of the shape drawn on the server."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from gis_service.accounts.models import User
from gis_service.groups import services as group_services
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.initiatives.factories import filed_initiative

SHAPE_FILL = (0x5A, 0xA4, 0x69)
NEIGHBOUR_FILL = (0xD5, 0xDC, 0xCF)
REQUIRED = ("og:title", "og:description", "og:url", "og:image", "twitter:card", "twitter:image")


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            found = dict(attrs)
            key = found.get("property") or found.get("name")
            if key and found.get("content") is not None:
                self.tags[key] = str(found["content"])


def meta(client: Client, path: str) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Meta()
    parser.feed(response.content.decode())
    missing = [key for key in REQUIRED if not parser.tags.get(key)]
    assert missing == [], (path, missing)
    assert parser.tags["twitter:card"] == "summary_large_image"
    return parser.tags


def picture(client: Client, url: str) -> Image.Image:
    assert url.startswith(settings.SITE_URL + "/"), url  # absolute: previews are fetched from elsewhere
    response = client.get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert image.size == (1200, 630)
    return image


@pytest.mark.django_db
def test_a_location_page_previews_with_its_shape_among_its_neighbours(
    client: Client, green_strip: Location, owner_a: Owner
) -> None:
    # green_strip is the 20 × 20 m square at (120000, 486000); a neighbour just east of it.
    Location.objects.create(owner=owner_a, name="Buurman", geometry=rd_square(120030, 486000, 20))
    tags = meta(client, f"/locaties/{green_strip.pk}/")
    assert tags["og:title"] == "Groenstrook Vondelstraat"
    assert tags["og:url"] == f"{settings.SITE_URL}/locaties/{green_strip.pk}/"
    assert "400 m²" in tags["og:description"] and "Gemeente Aadorp" in tags["og:description"]
    image = picture(client, tags["og:image"])
    assert image.getpixel((600, 315)) == SHAPE_FILL  # the shape sits in the middle
    # 60 m shown at least: 30 m east of the centre is inside the neighbour (x 120030–120050).
    scale = min(1200 * 0.76 / 60, 630 * 0.76 / 60)
    assert image.getpixel((round(600 + 30 * scale), 315)) == NEIGHBOUR_FILL


@pytest.mark.django_db
def test_a_group_page_previews_with_its_location(client: Client, green_strip: Location, resident: User) -> None:
    group = group_services.group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    tags = meta(client, f"/groepen/{group.pk}/")
    assert tags["og:title"] == "Vondelgroen"
    assert tags["og:url"] == f"{settings.SITE_URL}/groepen/{group.pk}/"
    assert "Groenstrook Vondelstraat" in tags["og:description"]
    assert tags["og:image"] == f"{settings.SITE_URL}/locaties/{green_strip.pk}/kaartje.png"
    # No personal data in a public preview: the managers' names are on the page, never in the tags.
    assert all("Riet" not in value and "Eerste" not in value for value in tags.values())


@pytest.mark.django_db
def test_the_home_page_and_the_initiative_form_preview_too(client: Client, green_strip: Location) -> None:
    home = meta(client, "/")
    assert home["og:url"] == f"{settings.SITE_URL}/"
    image = picture(client, home["og:image"])
    assert image.size == (1200, 630)
    initiative = meta(client, "/initiatief/")
    assert initiative["og:url"] == f"{settings.SITE_URL}/initiatief/"


@pytest.mark.django_db
def test_a_public_initiative_previews_with_its_area_and_never_its_initiator(
    client: Client, owner_a: Owner, resident: User
) -> None:
    initiative = filed_initiative(owner_a, resident, plan="Een buurtmoestuin met een bankje")
    tags = meta(client, f"/initiatief/{initiative.pk}/")
    assert tags["og:url"] == f"{settings.SITE_URL}/initiatief/{initiative.pk}/"
    assert tags["og:description"] == "Een buurtmoestuin met een bankje"
    assert "400 m²" in tags["og:title"] and "Gemeente Aadorp" in tags["og:title"]
    image = picture(client, tags["og:image"])
    assert image.getpixel((600, 315)) == SHAPE_FILL  # the drawn area in the middle
    # Who proposed it is not public: not in the tags either.
    assert all(resident.first_name not in value and resident.last_name not in value for value in tags.values())


@pytest.mark.django_db
def test_a_rejected_initiative_has_no_page_nor_picture(client: Client, owner_a: Owner, resident: User) -> None:
    initiative = filed_initiative(owner_a, resident)
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.REJECTED)
    assert client.get(f"/initiatief/{initiative.pk}/").status_code == 404
    assert client.get(f"/initiatief/{initiative.pk}/kaartje.png").status_code == 404


@pytest.mark.django_db
def test_an_unknown_location_has_no_picture(client: Client) -> None:
    assert client.get("/locaties/999999/kaartje.png").status_code == 404
