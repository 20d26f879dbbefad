"""One location through its whole life: what its page, its marker, the map, the feed and the API
say at every step. They read one status, kept by one rule in PostgreSQL, so none ever disagrees.

Every step goes through the services production uses (and the importer for the source)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from shapely.geometry import MultiPolygon, box

from gis_service.contracts.models import Contract, Offering
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.lifecycle import contract_end_early, contract_renew, contracts_end_due
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.groups.models import Group
from gis_service.initiatives.services import initiative_approve, initiative_submit
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.importers.conftest import resync, sync, write_layer

LABELS = {str(label): str(value) for value, label in Location.Status.choices}
MARKER = {
    "in_beheer": "Beheerd door bewoners",
    "beschikbaar": "Beheer deze plek samen met je buren",
    "aangevraagd": "Zelfbeheer in je buurt",
    "niet_beschikbaar": "Zelfbeheer in je buurt",
}


def what_everyone_says(location: Location) -> dict[str, str]:
    """The status as each surface shows it, as a status value."""
    client = Client()
    page = client.get(f"/locaties/{location.pk}/").content.decode()
    badge = re.search(r'class="status-badge status-([a-z_]+)">([^<]+)<', page)
    assert badge is not None
    marker = client.get(f"/locaties/{location.pk}/bord/").content.decode()
    (kicker,) = re.findall(r'<p class="kicker">([^<]+)</p>', marker)
    feed = client.get(f"/ogc/collections/locations/items/{location.pk}?f=json")
    api = client.get(f"/api/locations/{location.pk}/")
    said = {
        "page": badge.group(1),
        "page label": LABELS[badge.group(2).strip()],
        # The marker's words differ per status, not per label; it agrees when it says the page's status's words.
        "marker": badge.group(1) if MARKER[badge.group(1)] == kicker else f"marker says {kicker!r}",
        "database": Location.objects.get(pk=location.pk).status,
    }
    if location.withdrawn_at is not None:  # a withdrawn location leaves the API, the feed and the map
        assert (api.status_code, feed.status_code) == (404, 404)
        return said
    said["api"] = api.json()["properties"]["status"]
    said["feed"] = LABELS[feed.json()["properties"]["status"]]
    listed = re.search(
        rf'href="/locaties/{location.pk}/">[^<]+</a> — [^,]+, ([^,]+), ', client.get("/").content.decode()
    )
    assert listed is not None, "a current location is listed beside the map"
    said["map"] = LABELS[listed.group(1)]
    return said


def assert_all_say(location: Location, status: str) -> None:
    said = what_everyone_says(location)
    assert set(said.values()) == {status}, said


def can_sign_up(location: Location) -> bool:
    return f'href="/locaties/{location.pk}/aanmelden/"' in Client().get(f"/locaties/{location.pk}/").content.decode()


def sign(location: Location, user: Any) -> Contract:
    offering = Offering.objects.get(location=location)
    return manager_sign_up(
        location=location, user=user, terms_version=offering.current_terms(), plan="Bloemen", accept_terms=True
    ).contract


@pytest.mark.django_db
def test_a_location_says_the_same_everywhere_at_every_step_of_its_life(
    owner_a: Owner, regisseur_a: Any, resident: Any, resident_two: Any, outsider: Any, tmp_path: Path
) -> None:
    rows = [
        {"guid": "strook", "naam": "Groenstrook", "geometry": MultiPolygon([box(140000, 466000, 140030, 466030)])},
        {"guid": "buur", "naam": "Buurveld", "geometry": MultiPolygon([box(140100, 466000, 140130, 466030)])},
    ]
    path = write_layer(tmp_path / "groen.gpkg", rows)
    run = sync(owner_a, path, id_field="guid", name_field="naam")
    strip = Location.objects.get(source=run.source, external_id="strook")
    beside = Location.objects.get(source=run.source, external_id="buur")

    # Imported: on the map, not offered.
    assert_all_say(strip, "niet_beschikbaar")
    assert not can_sign_up(strip)

    # Offered.
    offering_create(location=strip, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.", managers_needed=2)
    assert_all_say(strip, "beschikbaar")
    assert can_sign_up(strip)

    # One sign-up of the two needed: still available; the second reaches the threshold.
    contract = sign(strip, resident)
    assert_all_say(strip, "beschikbaar")
    sign(strip, resident_two)
    assert_all_say(strip, "aangevraagd")

    # Approved: managed, with an open group.
    today = timezone.localdate()
    contract = contract_approve(
        contract=contract, by=regisseur_a, starts_on=today, ends_on=today + dt.timedelta(days=60)
    )
    assert_all_say(strip, "in_beheer")
    assert not can_sign_up(strip)
    group = Group.objects.get(contract=contract)
    assert group.is_open

    # Renewed by the regisseur: still managed, a later end.
    contract = contract_renew(contract=contract, by=regisseur_a, ends_on=today + dt.timedelta(days=400))
    assert contract.ends_on == today + dt.timedelta(days=400)
    assert_all_say(strip, "in_beheer")

    # Ended early by a manager: the location follows its offering again; the group is an archive.
    contract_end_early(contract=contract, by=resident, reason="We verhuizen.")
    assert_all_say(strip, "beschikbaar")
    group.refresh_from_db()
    assert not group.is_open

    # A new contract, ended by its end date through the beat task's service.
    again = sign(strip, outsider)
    Offering.objects.filter(location=strip).update(managers_needed=1)
    again = contract_approve(contract=again, by=regisseur_a, starts_on=today, ends_on=today + dt.timedelta(days=1))
    assert_all_say(strip, "in_beheer")
    assert contracts_end_due(today=today + dt.timedelta(days=1)) == 1
    again.refresh_from_db()
    assert again.status == Contract.Status.ENDED
    assert_all_say(strip, "beschikbaar")

    # An initiative asks for the neighbour: requested while it waits; once approved, its new
    # location is managed, and the ground it now holds is no longer available.
    offering_create(location=beside, by=regisseur_a, conditions="Geen gif.", terms_text="Versie 1.")
    assert_all_say(beside, "beschikbaar")
    initiative = initiative_submit(user=resident, description="Een moestuin", location_ids=[beside.pk])
    assert_all_say(beside, "aangevraagd")
    initiative = initiative_approve(initiative=initiative, by=regisseur_a)
    assert_all_say(initiative.location, "in_beheer")
    assert_all_say(beside, "niet_beschikbaar")
    assert not can_sign_up(beside)

    # Gone from the source: withdrawn, no longer offered, off the map and out of the feed.
    path.unlink()
    write_layer(path, rows[1:])
    resync(run.source)
    strip.refresh_from_db()
    assert strip.withdrawn_at is not None
    assert_all_say(strip, "niet_beschikbaar")
    assert not can_sign_up(strip)


@pytest.mark.django_db
def test_no_writer_can_set_a_status_the_rule_does_not_give(owner_a: Owner) -> None:
    location = Location.objects.create(owner=owner_a, name="Perk", geometry=rd_square(0, 0, 10), status="in_beheer")
    assert Location.objects.get(pk=location.pk).status == Location.Status.UNAVAILABLE
    Location.objects.filter(pk=location.pk).update(status=Location.Status.MANAGED)
    assert Location.objects.get(pk=location.pk).status == Location.Status.UNAVAILABLE
