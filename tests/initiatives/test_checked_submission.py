"""What is submitted is what was checked, and once (issue 11, journey 7).

A check that showed 525 m² free submitted 4,891 m² (a location picked by a click in delete
mode, never checked); and the same form sent twice made two initiatives. The check now
measures the drawn area and the picked locations as one and names it by a fingerprint, which
the submission carries; the form's submission key makes a second send return the first's
initiative, with the database as the final authority when both come at once.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection
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


def check(**body: Any) -> Any:
    return APIClient().post("/api/initiatives/check/", {"crs": RD, **body}, format="json")


def file(user: Any, **body: Any) -> Any:
    return client_for(user).post(
        "/api/initiatives/", {"crs": RD, "description": "Een buurtmoestuin", **body}, format="json"
    )


@pytest.fixture
def field(owner_a: Any) -> Location:
    """A 70 × 70 m field (4,900 m²) beside the drawing, in the owner's territory."""
    owner_a.territory = rd_square(-1000, -1000, 3000)
    owner_a.save()
    return Location.objects.create(owner=owner_a, name="Veld", geometry=rd_square(100, 0, 70))


@pytest.mark.django_db
def test_the_check_measures_the_drawn_area_and_the_picked_locations_as_one(field: Location) -> None:
    drawn = check(geometry=square(75, 10, 25))  # 625 m², of which 0 on the field
    assert drawn.status_code == 200, drawn.data
    assert drawn.data["area_m2"] == pytest.approx(625) and drawn.data["location_ids"] == []
    both = check(geometry=square(75, 10, 50), location_ids=[field.pk])  # half the square lies on the field
    assert both.status_code == 200, both.data
    assert both.data["area_m2"] == pytest.approx(1250 + 4900)
    assert both.data["location_ids"] == [field.pk]
    assert both.data["geometry"]["type"] == "MultiPolygon" and both.data["crs"] == RD
    assert both.data["fingerprint"] != drawn.data["fingerprint"]
    # The check needs no log-in, like the overlap check; picks alone answer in the asked CRS.
    picked = check(location_ids=[field.pk]).data
    assert picked["area_m2"] == pytest.approx(4900) and picked["crs"] == RD
    ring = picked["geometry"]["coordinates"][0][0]
    assert (min(x for x, _ in ring), min(y for _, y in ring)) == pytest.approx((100, 0))  # metres, not degrees


@pytest.mark.django_db
def test_a_submission_is_refused_when_it_is_not_what_was_checked(field: Location, resident: Any) -> None:
    drawn = square(75, 10, 21)  # ~441 m², free
    checked = check(geometry=drawn).data
    # The old page's bug: the check showed the drawn area, the submission added a picked location.
    answer = file(resident, geometry=drawn, location_ids=[field.pk], checked=checked["fingerprint"])
    assert answer.status_code == 400
    assert answer.data["error"]["code"] == "changed_since_check"
    assert answer.data["geometry"] == [
        "Het gebied is niet meer wat er gecontroleerd is. Controleer het opnieuw en dien dan in."
    ]
    assert not Initiative.objects.exists()
    # What was checked is what is stored: the same area, the same shape.
    answer = file(resident, geometry=drawn, checked=checked["fingerprint"])
    assert answer.status_code == 201, answer.data
    initiative = Initiative.objects.get()
    assert initiative.area_m2 == pytest.approx(checked["area_m2"])
    assert initiative.geometry.equals_exact(rd_square(75, 10, 21), tolerance=1e-6)


@pytest.mark.django_db
def test_a_location_that_changed_after_the_check_is_checked_again(field: Location, resident: Any) -> None:
    checked = check(location_ids=[field.pk]).data
    Location.objects.filter(pk=field.pk).update(geometry=rd_square(100, 0, 90))  # a sync made it larger
    answer = file(resident, location_ids=[field.pk], checked=checked["fingerprint"])
    assert answer.status_code == 400 and answer.data["error"]["code"] == "changed_since_check"
    assert (
        file(resident, location_ids=[field.pk], checked=check(location_ids=[field.pk]).data["fingerprint"]).status_code
        == 201
    )


@pytest.mark.django_db
def test_the_same_form_sent_twice_makes_one_initiative(field: Location, resident: Any) -> None:
    key = str(uuid.uuid4())
    first = file(resident, location_ids=[field.pk], submission_key=key)
    again = file(resident, location_ids=[field.pk], submission_key=key)
    assert first.status_code == again.status_code == 201
    assert first.data["id"] == again.data["id"]
    assert Initiative.objects.count() == 1
    # Something else under the same key is no replay: it is refused, not silently dropped.
    other = file(resident, location_ids=[field.pk], submission_key=key, description="Iets heel anders")
    assert other.status_code == 400
    assert other.data["submission_key"] == [
        f"Dit formulier is al ingediend als initiatief {first.data['id']}. "
        "Laad de pagina opnieuw voor een nieuw initiatief."
    ]
    # A new form (a new key) is a new initiative.
    assert file(resident, geometry=square(0, 0, 10), submission_key=str(uuid.uuid4())).status_code == 201
    assert Initiative.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_make_one_initiative(field: Location, resident: Any) -> None:
    key = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    answers: list[Any] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(file(resident, location_ids=[field.pk], submission_key=key))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [201] * 4, [answer.data for answer in answers]
    assert len({answer.data["id"] for answer in answers}) == 1
    assert Initiative.objects.count() == 1
