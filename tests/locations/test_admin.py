"""The admin writes locations through the locations' services: new ground under a contract is flagged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import active_contract


@pytest.mark.django_db
def test_new_ground_saved_in_the_admin_under_a_contract_is_flagged(
    owner_a: Any, regisseur_a: User, resident: User, django_capture_on_commit_callbacks: Any
) -> None:
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=141000, y=471000)
    staff = User.objects.create_superuser("beheer", "beheer@example.org", "beheer-wachtwoord")
    client = Client()
    client.force_login(staff)
    location = Location.objects.get(pk=contract.location_id)
    form = {
        "owner": owner_a.pk, "name": location.name, "type": "gras", "attributes": "{}",
        "geometry": rd_square(141000, 471000, 40).ewkt,
    }  # fmt: skip
    with django_capture_on_commit_callbacks() as sent:
        response = client.post(f"/admin/locations/location/{location.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    location.refresh_from_db()
    assert location.type == "gras" and location.area_m2 == pytest.approx(1600)
    assert location.ground_changed_at is not None
    assert len(sent) == 1  # the regisseurs' e-mail


@pytest.mark.django_db
def test_the_admin_shows_the_status_but_cannot_set_it(owner_a: Any) -> None:
    staff = User.objects.create_superuser("beheer", "beheer@example.org", "beheer-wachtwoord")
    client = Client()
    client.force_login(staff)
    form = {"owner": owner_a.pk, "name": "Perk", "type": "", "attributes": "{}", "status": "in_beheer",
            "geometry": rd_square(141000, 471000, 10).ewkt}  # fmt: skip
    assert client.post("/admin/locations/location/add/", form).status_code == 302
    assert Location.objects.get(name="Perk").status == Location.Status.UNAVAILABLE
