"""API refusals speak the client's language: English with `Accept-Language: en`, Dutch (the default) without."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import active_contract, offered_location

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
ENGLISH = {"Accept-Language": "en"}


def square(x: float, y: float, size: float) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def logged_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_the_overlap_check_refuses_a_missing_area_in_the_asked_language() -> None:
    dutch = APIClient().post("/api/overlap-check/", {"crs": RD}, format="json")
    english = APIClient().post("/api/overlap-check/", {"crs": RD}, format="json", headers=ENGLISH)
    assert dutch.status_code == english.status_code == 400
    assert dutch.data["geometry"] == ["Teken een vlak: de geometrie ontbreekt."]
    assert english.data["geometry"] == ["Draw an area: the geometry is missing."]
    assert english.data["error"]["code"] == dutch.data["error"]["code"] == "required"  # codes do not translate
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"


@pytest.mark.django_db
def test_the_overlap_check_gives_numbers_in_the_readers_format() -> None:
    body = {"geometry": square(0, 0, 1100), "crs": RD}  # 1,210,000 m², past the limit of 1,000,000
    dutch = APIClient().post("/api/overlap-check/", body, format="json")
    english = APIClient().post("/api/overlap-check/", body, format="json", headers=ENGLISH)
    assert dutch.data["geometry"] == ["Het vlak is 1.210.000 m²; maximaal 1.000.000 m²."]
    assert english.data["geometry"] == ["The area is 1,210,000 m²; at most 1,000,000 m²."]


@pytest.mark.django_db
def test_a_sign_up_without_accepting_the_terms_is_refused_in_the_asked_language(
    owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    terms = location.offering.current_terms()
    assert terms is not None
    body = {"terms_version": terms.pk, "plan": "Bloemen voor bijen", "accept_terms": False}
    url = f"/api/locations/{location.pk}/signups/"
    dutch = logged_in(resident).post(url, body, format="json")
    english = logged_in(resident).post(url, body, format="json", headers=ENGLISH)
    assert dutch.status_code == english.status_code == 400
    assert dutch.data["accept_terms"] == ["Ga uitdrukkelijk akkoord met de voorwaarden om je aan te melden."]
    assert english.data["accept_terms"] == ["Explicitly accept the terms to sign up."]


@pytest.mark.django_db
def test_a_sign_up_on_ground_in_use_is_refused_in_the_asked_language(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0, size=20)
    terms = contract.terms_version
    body = {"terms_version": terms.pk, "plan": "Meehelpen", "accept_terms": True}
    url = f"/api/locations/{contract.location_id}/signups/"
    english = logged_in(resident_two).post(url, body, format="json", headers=ENGLISH)
    dutch = logged_in(resident_two).post(url, body, format="json")
    assert english.status_code == dutch.status_code == 400
    assert dutch.data["location"] == ["Deze locatie is al in beheer; sluit je als vrijwilliger aan bij de groep."]
    assert english.data["location"] == ["This location is already being managed; join the group as a volunteer."]


@pytest.mark.django_db
def test_the_initiative_check_refuses_in_the_asked_language(owner_a: Owner) -> None:
    owner_a.territory = rd_square(-1000, -1000, 3000)
    owner_a.save()
    Location.objects.create(owner=owner_a, name="Veld", geometry=rd_square(100, 0, 70))
    unknown = {"crs": RD, "location_ids": [987654]}
    dutch = APIClient().post("/api/initiatives/check/", unknown, format="json")
    english = APIClient().post("/api/initiatives/check/", unknown, format="json", headers=ENGLISH)
    assert dutch.status_code == english.status_code == 400
    assert dutch.data["location_ids"] == ["Onbekende locaties: 987654."]
    assert english.data["location_ids"] == ["Unknown locations: 987654."]
    nothing = {"crs": RD}
    assert APIClient().post("/api/initiatives/check/", nothing, format="json", headers=ENGLISH).data["geometry"] == [
        "Draw an area or choose existing locations."
    ]


@pytest.mark.django_db
def test_a_permission_refusal_follows_the_language_too(owner_a: Owner, regisseur_a: User, outsider: User) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    url = f"/api/locations/{location.pk}/terms/"
    english = logged_in(outsider).post(url, {"text": "Nieuwe voorwaarden"}, format="json", headers=ENGLISH)
    dutch = logged_in(outsider).post(url, {"text": "Nieuwe voorwaarden"}, format="json")
    assert english.status_code == dutch.status_code == 403
    assert "Only a director of this owner may do this." in str(english.data)
    assert "Alleen een regisseur van deze eigenaar mag dit." in str(dutch.data)
