import pytest
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


@pytest.mark.django_db
def test_a_regisseur_offers_a_location_with_conditions_and_first_terms(owner_a: Owner, regisseur_a: User) -> None:
    location = Location.objects.create(owner=owner_a, name="Rotonde", geometry=rd_square(140000, 466000, 25))
    client = APIClient()
    client.force_authenticate(regisseur_a)
    answer = client.post(
        f"/api/locations/{location.pk}/offering/",
        {
            "conditions": "Geen chemische middelen; bomen blijven van de gemeente.",
            "terms_text": "Bij beëindiging wordt de oorspronkelijke staat hersteld.",
            "managers_needed": 3,
            "offered_from": "2027-01-01",
            "offered_until": "2027-12-31",
            "support": ["materiaal", "kennis"],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.data
    assert answer.data["managers_needed"] == 3
    assert answer.data["support"] == ["kennis", "materiaal"]
    assert answer.data["current_terms"]["number"] == 1
    assert len(answer.data["current_terms"]["content_hash"]) == 64
    assert location.offering.conditions.startswith("Geen chemische middelen")


@pytest.mark.django_db
def test_it_refuses_an_offering_without_conditions_and_says_which_field(owner_a: Owner, regisseur_a: User) -> None:
    location = Location.objects.create(owner=owner_a, name="Groenstrook", geometry=rd_square(0, 0, 5))
    client = APIClient()
    client.force_authenticate(regisseur_a)
    answer = client.post(f"/api/locations/{location.pk}/offering/", {"terms_text": "x"}, format="json")
    assert answer.status_code == 400
    assert "conditions" in answer.data
    assert not hasattr(Location.objects.get(pk=location.pk), "offering")
