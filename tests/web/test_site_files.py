"""The files at the site's root: robots.txt keeps crawlers off personal links and the feed's
endpoints, the sitemap lists the public pages in files of at most 50,000 by ranges of ids, and
security.txt (RFC 9116) names the deployment's contact, or is absent when it names none."""

from __future__ import annotations

import datetime as dt
import gzip
import urllib.robotparser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from lxml import etree

from gis_service.accounts.models import User
from gis_service.groups import services as group_services
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.initiatives.factories import filed_initiative
from web import sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_robots_txt_keeps_crawlers_off_personal_links_and_the_feeds_endpoints(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(text.splitlines())
    public_pages = ["/", "/locaties/12/", "/groepen/3/", "/initiatieven/", "/initiatief/4/"]
    public_pages += ["/ogc/", "/ogc/collections"]
    for public in public_pages:
        assert rules.can_fetch("Googlebot", settings.SITE_URL + public), public
    private_pages = ["/admin/", "/account/", "/mijn-zelfbeheer/", "/regisseur/"]
    private_pages += ["/groepen/afmelden/abc/", "/agenda/x.ics"]
    for private in private_pages:
        assert not rules.can_fetch("Googlebot", settings.SITE_URL + private), private
    # Wildcards (Google's and Bing's reading; Python's parser does not know them): the feed's pages
    # and tiles, and the invitation links.
    assert "Disallow: /ogc/collections/*/items" in text and "Disallow: /initiatief/*/meedoen/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text.splitlines()


@pytest.mark.django_db
def test_the_sitemap_lists_the_public_pages_in_ranges_of_ids(client: Client, owner_a: Owner, resident: User) -> None:
    on_offer = Location.objects.create(owner=owner_a, name="Strook", geometry=rd_square(120000, 486000, 20))
    gone = Location.objects.create(owner=owner_a, name="Weg", geometry=rd_square(120100, 486000, 20))
    Location.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    group = group_services.group_create(location=on_offer, name="Strookgroep", managers=[resident])
    initiative = filed_initiative(owner_a, resident)

    index = etree.fromstring(_body(client.get("/sitemap.xml")))
    files = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert files[0] == f"{settings.SITE_URL}/sitemap-paginas.xml"
    highest = Location.objects.order_by("-id").values_list("id", flat=True).first()
    assert f"{settings.SITE_URL}/sitemap-locaties-{highest // sitemap.IDS_PER_FILE}.xml" in files
    assert f"{settings.SITE_URL}/sitemap-groepen-{group.pk // sitemap.IDS_PER_FILE}.xml" in files

    listed: dict[str, str | None] = {}
    for url in files:
        assert url is not None
        response = client.get(url.removeprefix(settings.SITE_URL))
        assert response.status_code == 200 and response["Content-Type"] == "application/xml; charset=utf-8"
        for entry in etree.fromstring(_body(response)).findall("s:url", NS):
            loc, lastmod = entry.find("s:loc", NS), entry.find("s:lastmod", NS)
            assert loc is not None and loc.text
            listed[loc.text.removeprefix(settings.SITE_URL)] = lastmod.text if lastmod is not None else None
    on_offer.refresh_from_db()
    assert listed[f"/locaties/{on_offer.pk}/"] == on_offer.updated_at.date().isoformat()
    assert f"/locaties/{gone.pk}/" not in listed  # no longer on offer
    assert {f"/groepen/{group.pk}/", f"/initiatief/{initiative.pk}/", "/", "/eigenaren/aadorp/waarde/"} <= set(listed)
    assert all(client.get(path).status_code == 200 for path in listed)  # every listed page is public
    its_file = f"/sitemap-locaties-{on_offer.pk // sitemap.IDS_PER_FILE}.xml"
    zipped = client.get(its_file, headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert f"/locaties/{on_offer.pk}/".encode() in gzip.decompress(_body(zipped))
    assert client.get("/sitemap-locaties-999.xml").status_code == 404
    assert client.get("/sitemap-gebruikers-0.xml").status_code == 404


@pytest.mark.django_db
def test_a_range_holds_the_ids_of_its_file_only(owner_a: Owner, settings: Any) -> None:
    first = Location.objects.create(owner=owner_a, name="Een", geometry=rd_square(120000, 486000, 20))
    later = Location.objects.create(owner=owner_a, name="Twee", geometry=rd_square(120100, 486000, 20))
    Location.objects.filter(pk=later.pk).update(id=first.pk + sitemap.IDS_PER_FILE)
    section = sitemap.RANGED["locaties"]
    number = first.pk // sitemap.IDS_PER_FILE
    assert section.files() == number + 2
    assert [e.path for e in section.entries(number)] == [f"/locaties/{first.pk}/"]
    assert [e.path for e in section.entries(number + 1)] == [f"/locaties/{first.pk + sitemap.IDS_PER_FILE}/"]


def test_security_txt_names_the_contact_and_expires_within_a_year(client: Client, settings: Any) -> None:
    settings.SECURITY_CONTACT = []
    assert client.get("/.well-known/security.txt").status_code == 404

    settings.SECURITY_CONTACT = ["mailto:security@aadorp.nl", "https://aadorp.nl/melden"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines() if line]
    assert ["Contact", "mailto:security@aadorp.nl"] in fields and ["Contact", "https://aadorp.nl/melden"] in fields
    assert ["Canonical", f"{settings.SITE_URL}/.well-known/security.txt"] in fields
    expires = dt.datetime.fromisoformat(dict(fields)["Expires"])
    assert timezone.now() < expires < timezone.now() + dt.timedelta(days=365)
