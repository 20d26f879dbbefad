"""Resident initiatives: filed by drawing or picking locations, routed to the right regisseur, decided."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from rest_framework.test import APIClient

from gis_service.contracts.models import Contract
from gis_service.contracts.selectors import contract_terms_status
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import active_contract

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def square(x, y, size):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def file(user, **body):
    return client_for(user).post("/api/initiatives/", {"crs": RD, "description": "Een buurtmoestuin", **body},
                                 format="json")  # fmt: skip


@pytest.mark.django_db
def test_a_drawn_initiative_goes_to_the_owner_whose_territory_covers_it(owner_a, owner_b, resident) -> None:
    owner_b.territory = MultiPolygon(Polygon.from_bbox((0, 0, 1000, 1000)), srid=28992)
    owner_b.save()
    answer = file(resident, geometry=square(100, 100, 30))
    assert answer.status_code == 201, answer.data
    initiative = Initiative.objects.get(pk=answer.data["id"])
    assert initiative.owner == owner_b and initiative.area_m2 == pytest.approx(900)
    assert list(initiative.initiators.all()) == [resident]
    assert answer.data["status"] == "submitted"


@pytest.mark.django_db
def test_an_initiative_from_existing_locations_goes_to_their_owner(owner_a, owner_b, resident) -> None:
    one = Location.objects.create(owner=owner_a, name="Strook 1", geometry=rd_square(0, 0, 10))
    two = Location.objects.create(owner=owner_a, name="Strook 2", geometry=rd_square(10, 0, 10))
    answer = file(resident, location_ids=[one.pk, two.pk])
    assert answer.status_code == 201, answer.data
    assert answer.data["owner"]["id"] == owner_a.pk and answer.data["area_m2"] == pytest.approx(200)
    assert answer.data["location_ids"] == [one.pk, two.pk]


@pytest.mark.django_db
def test_two_owners_holding_the_same_ground_send_it_to_the_one_registered_first(owner_a, owner_b, resident) -> None:
    # Copies of one BGT object under two owners: equal shares. The later owner's copy is written
    # first, so a scan meets it first; the decision must not depend on that.
    assert owner_a.pk < owner_b.pk
    Location.objects.create(owner=owner_b, name="Kopie", geometry=rd_square(500, 500, 50))
    Location.objects.create(owner=owner_a, name="Origineel", geometry=rd_square(500, 500, 50))
    answer = file(resident, geometry=square(510, 510, 20))
    assert answer.status_code == 201, answer.data
    assert answer.data["owner"]["id"] == owner_a.pk


@pytest.mark.django_db
def test_a_refused_initiative_keeps_the_residents_text(owner_a, regisseur_a, resident, resident_two) -> None:
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident_two, x=0, y=0, size=20)
    text = "Een lange beschrijving die de bewoner niet opnieuw wil typen."
    for body, field in (
        ({"geometry": square(10, 10, 20)}, "geometry"),  # overlaps the active contract
        ({"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [9, 9], [9, 0], [0, 9], [0, 0]]]}}, "geometry"),
        ({}, "geometry"),  # neither drawn nor picked
        ({"location_ids": [987654]}, "location_ids"),
    ):
        answer = file(resident, description=text, **body)
        assert answer.status_code == 400, body
        assert field in answer.data
        assert answer.data["submitted"]["description"] == text
    answer = file(resident, description="  ", geometry=square(100, 100, 5))
    assert answer.status_code == 400 and "description" in answer.data
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_approval_makes_a_location_with_a_contract_managed_by_the_initiators(
    owner_a, regisseur_a, resident, resident_two
) -> None:
    Location.objects.create(owner=owner_a, name="Plantsoen", geometry=rd_square(0, 0, 100))
    filed = file(resident, geometry=square(10, 10, 20)).data
    initiative_id = filed["id"]
    joined = client_for(resident_two).post(f"/api/initiatives/{initiative_id}/join/",
                                           {"token": filed["invite_token"]}, format="json")  # fmt: skip
    assert joined.status_code == 200
    answer = client_for(regisseur_a).post(f"/api/initiatives/{initiative_id}/approve/", {"name": "Moestuin"},
                                          format="json")  # fmt: skip
    assert answer.status_code == 200, answer.data
    initiative = Initiative.objects.get(pk=initiative_id)
    assert initiative.status == Initiative.Status.APPROVED
    assert initiative.location.name == "Moestuin" and initiative.location.status == Location.Status.MANAGED
    assert initiative.location.area_m2 == pytest.approx(400)
    contract = initiative.contract
    assert contract.status == Contract.Status.ACTIVE
    rows = contract_terms_status(contract)
    assert sorted(row.user.username for row in rows) == ["resident_one", "resident_two"]
    assert not any(row.has_accepted_current for row in rows)  # they are asked to accept explicitly
    accept = client_for(resident).post(f"/api/contracts/{contract.pk}/accept-terms/",
                                       {"terms_version": contract.terms_version_id, "accept_terms": True},
                                       format="json")  # fmt: skip
    assert accept.status_code == 200
    managers = {m["email"]: m["has_accepted_current_terms"] for m in accept.data["managers"]}
    assert managers == {"resident_one@example.org": True, "resident_two@example.org": False}


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_changes_nothing_else(owner_a, regisseur_a, resident) -> None:
    Location.objects.create(owner=owner_a, name="Plantsoen", geometry=rd_square(0, 0, 100))
    initiative_id = file(resident, geometry=square(10, 10, 20)).data["id"]
    regisseur = client_for(regisseur_a)
    assert regisseur.post(f"/api/initiatives/{initiative_id}/reject/", {"reason": ""}, format="json").status_code == 400
    answer = regisseur.post(f"/api/initiatives/{initiative_id}/reject/", {"reason": "Hier komt een fietspad."},
                            format="json")  # fmt: skip
    assert answer.status_code == 200 and answer.data["rejection_reason"] == "Hier komt een fietspad."
    assert Location.objects.count() == 1 and not Contract.objects.exists()


@pytest.mark.django_db
def test_each_kind_of_refusal_answers_its_errors_beside_what_was_sent(owner_a, resident) -> None:
    drawn = square(100, 100, 5)
    sent = {"description": "Een buurtmoestuin", "geometry": drawn, "crs": RD, "location_ids": None}
    no_owner = "Geen eigenaar is verantwoordelijk voor dit gebied."
    # The input serializer's, a service's Django ValidationError, and an AreaError.
    assert client_for(resident).post("/api/initiatives/", {"geometry": drawn, "crs": RD}, format="json").json() == {
        "description": ["Dit veld is vereist."],
        "submitted": {**sent, "description": None},
    }
    assert file(resident, description=" ", geometry=drawn).json() == {
        "description": ["Beschrijf wat je met deze plek wilt doen."],
        "submitted": {**sent, "description": " "},
    }
    assert file(resident, geometry=drawn).json() == {
        "geometry": [no_owner],
        "error": {"code": "no_owner", "message": no_owner},
        "submitted": sent,
    }
