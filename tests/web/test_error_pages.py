"""A wrong link, a forbidden page or a broken server answers with a page in the site's look and the
reader's language (with DEBUG off, as in production), never Django's bare English one."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import translation

from gis_service.accounts.models import User
from gis_service.groups.services import group_create
from gis_service.locations.models import Location


@pytest.mark.django_db
@override_settings(DEBUG=False)
@pytest.mark.parametrize(("language", "heading", "link"), [("nl", "Pagina niet gevonden", "Naar de kaart"),
                                                          ("en", "Page not found", "To the map")])  # fmt: skip
def test_a_missing_page_is_ours_in_the_readers_language(client: Client, language: str, heading: str, link: str) -> None:
    response = client.get("/locaties/999999999/", headers={"Accept-Language": language})
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and '<meta name="viewport"' in html
    assert heading in html and link in html and "Not Found" not in html
    assert 'class="language-switch"' in html  # the site's header, with its menu and switch


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_refusal_says_why_in_the_site_and_the_readers_language(
    client: Client, green_strip: Location, resident: User, resident_two: User
) -> None:
    group = group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    client.force_login(resident_two)  # not in the group
    response = client.post(f"/groepen/{group.pk}/updates/", {"text": "Hallo"}, headers={"Accept-Language": "en"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "No access" in html and "Only group members post updates and photos." in html
    assert 'class="language-switch"' in html and "403 Forbidden" not in html


def test_the_500_page_needs_no_request_and_follows_the_language() -> None:
    # Django's server_error view renders it without a request: no user, no context processors.
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en">' in html and "Something went wrong" in html
    with translation.override("nl"):
        assert "Er ging iets mis" in render_to_string("500.html")
