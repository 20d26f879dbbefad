"""What an initiative may ask for, and how often (issue 17): picked locations count toward the
maximum area and are bounded in number before any is read; texts have limits named in the
refusal; submitting is rate-limited per resident."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.conftest import rd_square

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def square(x: float, y: float, size: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def file(user: Any, **body: Any) -> Any:
    return client_for(user).post(
        "/api/initiatives/", {"crs": RD, "description": "Een buurtmoestuin", **body}, format="json"
    )


@pytest.mark.django_db
def test_picked_locations_count_toward_the_maximum_area(owner_a, resident, settings) -> None:
    settings.OVERLAP_CHECK_MAX_AREA_M2 = 1000
    one = Location.objects.create(owner=owner_a, name="Veld 1", geometry=rd_square(0, 0, 30))  # 900 m²
    two = Location.objects.create(owner=owner_a, name="Veld 2", geometry=rd_square(100, 0, 30))  # 900 m²
    answer = file(resident, location_ids=[one.pk, two.pk])
    assert answer.status_code == 400, answer.data
    assert answer.data["error"]["code"] == "too_large"
    assert answer.data["location_ids"] == ["Het gebied is 1.800 m²; maximaal 1.000 m²."]
    # A drawn area and a picked location together count as one area too.
    answer = file(resident, geometry=square(200, 0, 20), location_ids=[one.pk])  # 400 + 900 m²
    assert answer.status_code == 400 and answer.data["error"]["code"] == "too_large"
    assert file(resident, location_ids=[one.pk]).status_code == 201
    assert Initiative.objects.count() == 1


@pytest.mark.django_db
def test_location_ids_are_bounded_in_number_before_any_location_is_read(owner_a, resident, settings) -> None:
    settings.INITIATIVE_MAX_LOCATIONS = 3
    ids = [Location.objects.create(owner=owner_a, geometry=rd_square(20 * i, 0, 10)).pk for i in range(4)]
    with CaptureQueriesContext(connection) as queries:
        answer = file(resident, location_ids=ids)
    assert answer.status_code == 400
    assert answer.data["location_ids"] == ["Kies hoogstens 3 locaties; je koos er 4."]
    assert not [query for query in queries.captured_queries if "locations_location" in query["sql"]]
    # A body full of ids is refused by their number before one of them is parsed (else these
    # would each be refused as no number).
    answer = file(resident, location_ids=["x"] * 100_000)
    assert answer.data["location_ids"] == ["Kies hoogstens 3 locaties; je koos er 100000."]
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_picked_locations_are_bounded_in_vertices_before_they_are_joined(owner_a, resident, settings) -> None:
    settings.AREA_MAX_VERTICES = 12
    ids = [Location.objects.create(owner=owner_a, geometry=rd_square(20 * i, 0, 10)).pk for i in range(3)]  # 5 each
    answer = file(resident, location_ids=ids)
    assert answer.status_code == 400
    assert answer.data["location_ids"] == ["Het gebied heeft 15 hoekpunten; maximaal 12."]


@pytest.mark.django_db
def test_the_description_has_a_length_limit_named_in_the_refusal(owner_a, resident) -> None:
    Location.objects.create(owner=owner_a, geometry=rd_square(0, 0, 100))
    answer = file(resident, geometry=square(10, 10, 20), description="x" * 5001)
    assert answer.status_code == 400
    assert answer.data["description"] == ["Gebruik hoogstens 5000 tekens (nu 5001)."]
    # A browser sends a textarea's line breaks as CRLF but counts each as one character.
    answer = file(resident, geometry=square(10, 10, 20), description="ab\r\n" * 1250)
    assert answer.status_code == 201, answer.data
    assert len(Initiative.objects.get().description) == 3749  # stripped of its last line break


@pytest.mark.django_db
def test_the_database_holds_the_text_limits_whatever_path_writes(owner_a, resident) -> None:
    Location.objects.create(owner=owner_a, geometry=rd_square(0, 0, 100))
    initiative = Initiative.objects.get(pk=file(resident, geometry=square(10, 10, 20)).data["id"])
    for field in ("description", "rejection_reason"):
        with pytest.raises(IntegrityError, match=f"initiative_{field}_length"), transaction.atomic():
            Initiative.objects.filter(pk=initiative.pk).update(**{field: "x" * 5001})
    # The admin's form validates the model: the constraint's message, in Dutch, not its name.
    initiative.description = "x" * 5001
    with pytest.raises(ValidationError) as refused:
        initiative.full_clean()
    assert refused.value.messages == ["Gebruik voor het plan hoogstens 5000 tekens."]


@pytest.mark.django_db
def test_the_regisseurs_texts_have_limits_named_in_the_refusal(owner_a, regisseur_a, resident) -> None:
    Location.objects.create(owner=owner_a, geometry=rd_square(0, 0, 100))
    initiative_id = file(resident, geometry=square(10, 10, 20)).data["id"]
    regisseur = client_for(regisseur_a)
    url = f"/api/initiatives/{initiative_id}"
    answer = regisseur.post(f"{url}/reject/", {"reason": "r" * 5001}, format="json")
    assert answer.status_code == 400 and answer.data["reason"] == ["Gebruik hoogstens 5000 tekens (nu 5001)."]
    # A name longer than the location's column was a database error (a 500).
    answer = regisseur.post(f"{url}/approve/", {"name": "n" * 256}, format="json")
    assert answer.status_code == 400 and answer.data["name"] == ["Gebruik hoogstens 255 tekens (nu 256)."]
    answer = regisseur.post(f"{url}/approve/", {"terms_text": "t" * 50_001}, format="json")
    assert answer.status_code == 400 and answer.data["terms_text"] == ["Gebruik hoogstens 50000 tekens (nu 50001)."]
    assert Initiative.objects.get().status == Initiative.Status.SUBMITTED


@pytest.mark.django_db
def test_submitting_is_rate_limited_per_resident(owner_a, resident, resident_two, settings) -> None:
    settings.INITIATIVE_SUBMIT_RATE = "2/hour"
    Location.objects.create(owner=owner_a, geometry=rd_square(0, 0, 100))
    codes = [file(resident, geometry=square(10 + 20 * i, 10, 10)).status_code for i in range(3)]
    assert codes == [201, 201, 429]
    refused = file(resident, geometry=square(70, 70, 10))
    assert refused.status_code == 429 and "Retry-After" in refused
    # Another resident has a budget of their own; reading is not limited.
    assert file(resident_two, geometry=square(70, 70, 10)).status_code == 201
    assert client_for(resident).get("/api/initiatives/").status_code == 200
    assert Initiative.objects.count() == 3
