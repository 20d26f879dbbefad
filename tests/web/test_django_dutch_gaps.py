"""Django's own words that its Dutch catalog leaves out are Dutch on our Dutch pages
(web/locale/nl/LC_MESSAGES/django.po, docs/i18n.md, *Django's own texts*)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner
from importers.models import Source

pytestmark = pytest.mark.django_db


def _dutch(user: User) -> Client:
    client = Client(headers={"Accept-Language": "nl"})
    client.force_login(user)
    return client


def test_the_empty_choice_of_a_select_is_dutch_on_the_regisseurs_support_page(regisseur_a: User) -> None:
    page = _dutch(regisseur_a).get("/regisseur/ondersteuning/").content.decode()
    assert "- Kies een optie -" in page
    assert "Select an option" not in page


def test_the_empty_choices_of_the_gis_admins_source_form_are_dutch(owner_a: Owner) -> None:
    user = User.objects.create_user(username="gis", password="pw-gis-gis")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    Source.objects.create(owner=owner_a, name="eigen-bron", kind="file", location="/a.gpkg")  # the list's actions
    client = _dutch(user)
    for url in (reverse("admin:importers_source_add"), reverse("admin:importers_source_changelist")):
        page = client.get(url).content.decode()
        assert "- Kies een optie -" in page, url
        assert "Select an option" not in page, url
