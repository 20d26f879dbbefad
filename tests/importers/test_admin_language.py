"""The admin in English shows English names for our models, fields and choices; Dutch by default."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from tests.conftest import rd_square

from .test_admin import run_with_changes  # noqa: F401 (a fixture)

ENGLISH = {"Accept-Language": "en"}


@pytest.mark.django_db
def test_the_admin_index_names_our_models_in_the_asked_language(admin_client: Client) -> None:
    english = admin_client.get(reverse("admin:index"), headers=ENGLISH).content.decode()
    dutch = admin_client.get(reverse("admin:index")).content.decode()
    for name in ("Self-management locations", "Self-management contracts", "Owners", "Sources", "Import runs"):
        assert name in english, name
    for name in ("Zelfbeheerlocaties", "Zelfbeheercontracten", "Eigenaren", "Bronnen", "Importruns"):
        assert name in dutch, name
        assert name not in english, name
    # Named as the platform, not as Django (a GIS admin took "Django-beheer" for another product).
    assert "Zelfbeheer: beheer" in dutch and "Django" not in dutch.split("<body")[1].split("<footer")[0]
    assert "Zelfbeheer: administration" in english


@pytest.mark.django_db
def test_a_location_form_in_english_has_english_labels(admin_client: Client, owner_a: Owner) -> None:
    location = Location.objects.create(owner=owner_a, name="Veld", geometry=rd_square(0, 0, 10))
    url = reverse("admin:locations_location_change", args=[location.pk])
    english = admin_client.get(url, headers=ENGLISH).content.decode()
    assert ">Owner:<" in english and ">Name:<" in english and ">Geometry:<" in english
    assert "Eigenaar" not in english and "Naam:" not in english
    dutch = admin_client.get(url).content.decode()
    assert ">Eigenaar:<" in dutch and ">Naam:<" in dutch


@pytest.mark.django_db
def test_an_import_run_in_english(admin_client: Client, run_with_changes: ImportRun) -> None:  # noqa: F811
    url = reverse("admin:importers_importrun_change", args=[run_with_changes.pk])
    english = admin_client.get(url, headers=ENGLISH).content.decode()
    for text in ("Result", "Changes on the map", "Started at:", "repaired and rejected features (CSV)"):
        assert text in english, text
    assert "Resultaat" not in english and "Gestart op" not in english
    changelist = admin_client.get(reverse("admin:importers_importrun_changelist"), headers=ENGLISH).content.decode()
    assert ">succeeded<" in changelist or "succeeded" in changelist
    progress = admin_client.get(
        reverse("admin:importers_importrun_progress", args=[run_with_changes.pk]), headers=ENGLISH
    ).json()
    assert progress["status"] == "succeeded" and "gelezen" not in progress["progress_text"]
    dutch = admin_client.get(url).content.decode()
    assert "Resultaat" in dutch and "Gestart op:" in dutch and "herstelde en geweigerde objecten (CSV)" in dutch


@pytest.mark.django_db
def test_the_sync_action_is_named_in_the_asked_language(admin_client: Client, owner_a: Owner) -> None:
    Source.objects.create(owner=owner_a, name="bron", kind="file", location="/a.gpkg")  # actions need a row
    url = reverse("admin:importers_source_changelist")
    assert "Synchronise now" in admin_client.get(url, headers=ENGLISH).content.decode()
    assert "Nu synchroniseren" in admin_client.get(url).content.decode()
