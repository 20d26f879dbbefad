"""Write actions find their object with the visibility filter only, not with the list's prefetches.

Their service reads the object again, locked, and the answer is fetched as the list shows it;
running the list's query to find the object cost two more queries per action (three viewsets).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.contracts.models import Offering
from gis_service.geo.areas import parse_area
from gis_service.initiatives import services as initiative_services
from gis_service.owners.models import Owner
from tests.contracts.factories import offered_location, sign_up

MaxQueries = Callable[[int], AbstractContextManager[Any]]


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_signing_up_at_a_location(
    owner_a: Owner, regisseur_a: User, resident: User, django_assert_max_num_queries: MaxQueries
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    terms = Offering.objects.get(location=location).current_terms()
    assert terms is not None
    body = {"terms_version": terms.pk, "plan": "Bloemen", "accept_terms": True}
    with django_assert_max_num_queries(17):  # 19 with the list's query; one asks whether the user directs the owner
        answer = client_for(resident).post(f"/api/locations/{location.pk}/signups/", body, format="json")
    assert answer.status_code == 201, answer.data


@pytest.mark.django_db
def test_accepting_a_contracts_terms(
    owner_a: Owner, regisseur_a: User, resident: User, django_assert_max_num_queries: MaxQueries
) -> None:
    contract = sign_up(offered_location(owner=owner_a, regisseur=regisseur_a), resident)
    body = {"terms_version": contract.terms_version_id, "accept_terms": True}
    with django_assert_max_num_queries(9):  # 11 with the list's query
        answer = client_for(resident).post(f"/api/contracts/{contract.pk}/accept-terms/", body, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["managers"][0]["has_accepted_current_terms"] is True  # answered as the list shows it


@pytest.mark.django_db
def test_rejecting_an_initiative(
    owner_a: Owner, regisseur_a: User, resident: User, django_assert_max_num_queries: MaxQueries
) -> None:
    owner_a.territory = MultiPolygon(Polygon.from_bbox((0, 0, 1000, 1000)), srid=28992)
    owner_a.save()
    area = parse_area({"type": "Polygon", "coordinates": [[[0, 0], [50, 0], [50, 50], [0, 50], [0, 0]]]}, "EPSG:28992")
    initiative = initiative_services.initiative_submit(user=resident, description="Moestuin", area=area)
    with django_assert_max_num_queries(10):  # 12 with the list's query
        answer = client_for(regisseur_a).post(
            f"/api/initiatives/{initiative.pk}/reject/", {"reason": "Hier komt een fietspad."}, format="json"
        )
    assert answer.status_code == 200, answer.data
    assert answer.data["initiators"] == [resident.get_full_name()]  # answered as the list shows it
