"""POST /api/overlap-check/: area, conflicts, touched locations, free part, and clear refusals."""

import json

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from pyproj import Transformer
from rest_framework.test import APIClient

from gis_service.contracts.api import OverlapCheckThrottle
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.contracts.factories import active_contract

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
URL = "/api/overlap-check/"
to84 = Transformer.from_crs("EPSG:28992", "OGC:CRS84", always_xy=True)


def square(x, y, size):
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def polygon(ring, crs84=False):
    if crs84:
        ring = [list(to84.transform(px, py)) for px, py in ring]
    return {"type": "Polygon", "coordinates": [ring]}


def check(body):
    return APIClient().post(URL, body, format="json")


@pytest.mark.django_db
def test_it_measures_a_drawn_area_in_square_metres_from_crs84(owner_a) -> None:
    answer = check({"geometry": polygon(square(140000, 466000, 100), crs84=True)})
    assert answer.status_code == 200, answer.data
    assert answer.data["area_m2"] == pytest.approx(10000, rel=1e-3)
    assert answer.data["conflicts"] == [] and answer.data["locations"] == []
    free = shapely.from_geojson(json.dumps(answer.data["free_geometry"]))
    drawn = shapely.Polygon(polygon(square(140000, 466000, 100), crs84=True)["coordinates"][0])
    assert free.symmetric_difference(drawn).area < 1e-3 * drawn.area  # the whole area, in CRS84 (9 decimals)


@pytest.mark.django_db
def test_it_lists_conflicting_contracts_with_their_share_and_the_free_part(owner_a, regisseur_a, resident) -> None:
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0, size=20)
    answer = check({"geometry": polygon(square(10, 0, 20)), "crs": RD})
    assert answer.status_code == 200
    (conflict,) = answer.data["conflicts"]
    assert conflict["contract"] == contract.pk and conflict["status"] == "active"
    assert conflict["location_name"] == contract.location.name
    assert conflict["overlap_m2"] == pytest.approx(200) and conflict["overlap_pct"] == pytest.approx(50)
    assert GEOSGeometry(json.dumps(conflict["overlap_geometry"])).area == pytest.approx(200)
    free = GEOSGeometry(json.dumps(answer.data["free_geometry"]))
    assert free.area == pytest.approx(200) and free.extent == pytest.approx((20, 0, 30, 20))
    (touched,) = answer.data["locations"]
    assert touched["id"] == contract.location_id and touched["share_pct"] == pytest.approx(50)
    assert touched["location_share_pct"] == pytest.approx(50) and touched["offered"] is True


@pytest.mark.django_db
def test_contracts_outside_the_asked_period_do_not_conflict(owner_a, regisseur_a, resident) -> None:
    import datetime as dt

    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                    starts_on=dt.date(2030, 1, 1), ends_on=dt.date(2031, 1, 1))  # fmt: skip
    body = {"geometry": polygon(square(0, 0, 20)), "crs": RD}
    assert len(check(body).data["conflicts"]) == 1
    assert check({**body, "period": {"start": "2031-01-01", "end": "2032-01-01"}}).data["conflicts"] == []
    assert len(check({**body, "period": {"start": "2030-06-01"}}).data["conflicts"]) == 1


@pytest.mark.django_db
def test_it_rejects_a_self_intersecting_area_and_says_where() -> None:
    bowtie = [[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]
    answer = check({"geometry": polygon(bowtie), "crs": RD})
    assert answer.status_code == 400
    assert answer.data["error"]["code"] == "self_intersection"
    assert answer.data["geometry"][0] == "Het vlak snijdt zichzelf bij 5, 5."
    assert answer.data["error"]["where"] == {"type": "Point", "coordinates": [5.0, 5.0]}


@pytest.mark.django_db
def test_it_gives_the_point_of_a_self_intersection_in_the_asked_axis_order() -> None:
    # EPSG:4326 as a URI has latitude first.
    bowtie = [[52.0, 5.0], [52.001, 5.001], [52.0, 5.001], [52.001, 5.0], [52.0, 5.0]]
    answer = check({"geometry": polygon(bowtie), "crs": "http://www.opengis.net/def/crs/EPSG/0/4326"})
    assert answer.status_code == 400
    assert answer.data["error"]["where"]["coordinates"] == pytest.approx([52.0005, 5.0005])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "not_polygon"),
        ({"type": "Point", "coordinates": [0, 0]}, "not_polygon"),
        ("POLYGON((0 0, 1 0, 1 1, 0 0))", "not_polygon"),
        ({"type": "Polygon", "coordinates": []}, "empty"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]}, "invalid_geojson"),
        ({"type": "Polygon", "coordinates": [square(0, 0, 2000)]}, "too_large"),
    ],
)
def test_it_refuses_what_is_not_a_usable_area(geometry, code) -> None:
    answer = check({"geometry": geometry, "crs": RD})
    assert answer.status_code == 400, answer.data
    assert answer.data["error"]["code"] == code
    assert answer.data["geometry"][0]


@pytest.mark.django_db
def test_it_refuses_a_crs_outside_the_allow_list() -> None:
    answer = check({"geometry": polygon(square(0, 0, 10)), "crs": "http://www.opengis.net/def/crs/EPSG/0/2154"})
    assert answer.status_code == 400 and answer.data["error"]["code"] == "unsupported_crs"
    assert "crs" in answer.data


@pytest.mark.django_db
def test_it_refuses_an_area_outside_every_owners_territory(owner_a, owner_b) -> None:
    owner_a.territory = MultiPolygon(Polygon.from_bbox((0, 0, 1000, 1000)), srid=28992)
    owner_a.save()
    inside = check({"geometry": polygon(square(100, 100, 10)), "crs": RD})
    assert inside.status_code == 200
    outside = check({"geometry": polygon(square(5000, 5000, 10)), "crs": RD})
    assert outside.status_code == 400 and outside.data["error"]["code"] == "outside_territory"
    # Owners known only by their BGT locations have no territory: their ground still works.
    Location.objects.create(owner=owner_b, name="BGT-vak", geometry=rd_square(5000, 5000, 50))
    assert check({"geometry": polygon(square(5000, 5000, 10)), "crs": RD}).status_code == 200


@pytest.mark.django_db
def test_it_needs_no_login_but_is_rate_limited(monkeypatch) -> None:
    # A day-long window: the test's requests never straddle two fixed windows (a minute's could).
    monkeypatch.setattr(OverlapCheckThrottle, "THROTTLE_RATES", {"overlap_check": "3/day"})
    body = {"geometry": polygon(square(0, 0, 10)), "crs": RD}
    codes = [check(body).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_a_made_up_forwarded_for_header_does_not_reset_the_limit(monkeypatch) -> None:
    """The server is reached directly (gunicorn, no proxy): X-Forwarded-For is whatever the client
    writes, and a new value per request must not count as a new client."""
    # A day-long window: the test's requests never straddle two fixed windows (a minute's could).
    monkeypatch.setattr(OverlapCheckThrottle, "THROTTLE_RATES", {"overlap_check": "3/day"})
    body = {"geometry": polygon(square(0, 0, 10)), "crs": RD}
    codes = [
        APIClient().post(URL, body, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_saw(monkeypatch, settings) -> None:
    """With NUM_PROXIES=1 the last X-Forwarded-For entry (written by our proxy) is the client."""
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    # A day-long window: the test's requests never straddle two fixed windows (a minute's could).
    monkeypatch.setattr(OverlapCheckThrottle, "THROTTLE_RATES", {"overlap_check": "3/day"})
    body = {"geometry": polygon(square(0, 0, 10)), "crs": RD}

    def from_client(address: str, claimed: str = "1.2.3.4") -> int:
        forwarded = f"{claimed}, {address}"
        return APIClient().post(URL, body, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code

    codes = [from_client("203.0.113.7", claimed=f"10.0.0.{n}") for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert from_client("203.0.113.8") == 200  # another client, another count


@pytest.mark.django_db
def test_a_logged_in_browser_needs_no_csrf_token_for_the_check(resident) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(URL, {"geometry": polygon(square(0, 0, 10)), "crs": RD}, format="json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "geometry", "required"),
        ({"geometry": polygon(square(0, 0, 10)), "period": {"start": "gisteren"}}, "period", "invalid_period"),
        ({"geometry": polygon(square(0, 0, 10)), "period": {"start": "2027-02-01", "end": "2027-01-01"}},
         "period", "invalid_period"),
    ],
)  # fmt: skip
def test_it_says_which_field_is_missing_or_wrong(body, field, code) -> None:
    answer = check({"crs": RD, **body})
    assert answer.status_code == 400 and field in answer.data and answer.data["error"]["code"] == code
