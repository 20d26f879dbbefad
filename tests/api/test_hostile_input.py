"""Input that made the API answer 500 (or HTML) now gets a 4xx with a message, in the API's JSON."""

import json
import time

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.initiatives.test_initiatives import client_for

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
OVERLAP = "/api/overlap-check/"
INITIATIVES = "/api/initiatives/"


def square(x, y, size):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def raw_post(client, url, text):
    return client.post(url, data=text, content_type="application/json")


def assert_refused(answer, status=400):
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"].startswith("application/json")
    assert answer.content.strip()


@pytest.mark.django_db
def test_it_refuses_an_infinite_coordinate_in_the_overlap_check_and_an_initiative(resident) -> None:
    geometry = '{"type": "Polygon", "coordinates": [[[0, 0], [1e999, 0], [10, 10], [0, 0]]]}'
    assert_refused(raw_post(APIClient(), OVERLAP, f'{{"crs": "{RD}", "geometry": {geometry}}}'))
    body = f'{{"crs": "{RD}", "description": "Moestuin", "geometry": {geometry}}}'
    assert_refused(raw_post(client_for(resident), INITIATIVES, body))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("crs", "ring"),
    [
        (EPSG4326, [[95, 4], [95, 4.001], [95.001, 4.001], [95, 4]]),  # latitude 95
        ("OGC:CRS84", [[500, 52], [500.001, 52], [500.001, 52.001], [500, 52]]),  # longitude 500
    ],
)
def test_it_refuses_coordinates_outside_the_crs_range(crs, ring) -> None:
    answer = APIClient().post(OVERLAP, {"crs": crs, "geometry": {"type": "Polygon", "coordinates": [ring]}},
                              format="json")  # fmt: skip
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "out_of_range"


@pytest.mark.django_db
def test_it_refuses_an_area_outside_the_storage_crs_area_of_use() -> None:
    near_sydney = square(151.2093, -33.8688, 0.0005)  # measured 522,679 m² in RD New
    answer = APIClient().post(OVERLAP, {"geometry": near_sydney}, format="json")
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "out_of_area"


@pytest.mark.django_db
def test_a_dutch_area_in_crs84_is_still_measured() -> None:
    answer = APIClient().post(OVERLAP, {"geometry": square(4.9, 52.37, 0.001)}, format="json")
    assert answer.status_code == 200, answer.content
    assert 7_000 < answer.json()["area_m2"] < 8_000


@pytest.mark.django_db
@pytest.mark.parametrize("crs", [["EPSG:4326"], {"uri": "EPSG:4326"}, 4326])
def test_it_refuses_a_crs_that_is_no_string(crs) -> None:
    answer = APIClient().post(OVERLAP, {"crs": crs, "geometry": square(0, 0, 10)}, format="json")
    assert_refused(answer)
    assert "crs" in answer.json()


@pytest.mark.django_db
def test_it_refuses_json_nested_too_deeply() -> None:
    for depth in (3000, settings.API_JSON_MAX_DEPTH + 1):
        assert_refused(raw_post(APIClient(), OVERLAP, '{"geometry": ' + "[" * depth + "]" * depth + "}"))


@pytest.mark.django_db
def test_it_refuses_a_lone_surrogate_in_a_type_or_a_description(resident) -> None:
    assert_refused(raw_post(APIClient(), OVERLAP, '{"geometry": {"type": "\\ud800", "coordinates": []}}'))
    body = json.dumps({"crs": RD, "geometry": square(0, 0, 10)})[:-1] + ', "description": "tuin \\udc00"}'
    assert_refused(raw_post(client_for(resident), INITIATIVES, body))


@pytest.mark.django_db
def test_a_surrogate_pair_is_just_a_character() -> None:
    answer = raw_post(APIClient(), OVERLAP, '{"geometry": {"type": "\\ud83c\\udf31", "coordinates": []}}')
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "not_polygon"


@pytest.mark.django_db
@pytest.mark.parametrize("box", ["0,0,10,100", "-200,0,10,10", "0,0,nan,10"])
def test_it_refuses_a_bbox_beyond_the_globe(box) -> None:
    assert_refused(APIClient().get("/api/locations/", {"in_bbox": box}))


@pytest.mark.django_db
def test_joining_an_initiative_by_a_non_numeric_id_is_a_404(resident) -> None:
    assert_refused(client_for(resident).post(f"{INITIATIVES}abc/join/", {"token": "x"}, format="json"), 404)


@pytest.mark.django_db
def test_a_body_over_the_limit_gets_the_apis_json_error() -> None:
    body = '{"geometry": "' + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
    answer = raw_post(APIClient(), OVERLAP, body)
    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("application/json") and "detail" in answer.json()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE"])
def test_the_feed_landing_page_refuses_other_methods(method) -> None:
    answer = APIClient().generic(method, "/ogc/")
    assert answer.status_code == 405
    assert "GET" in answer["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("crs", ["OGC:CRS84", EPSG4326])
@pytest.mark.parametrize(
    "coordinates",
    [["a"], [["a"]], [[{"x": 1}]], [{"a": 1}], [[[None, None]]], [[["1", "2"], [3, 4], [5, 6], ["1", "2"]]],
     [[[True, False], [1, 1], [0, 1], [True, False]]]],
)  # fmt: skip
def test_it_refuses_coordinates_that_are_no_numbers(crs, coordinates) -> None:
    for kind in ("Polygon", "MultiPolygon"):
        answer = APIClient().post(OVERLAP, {"crs": crs, "geometry": {"type": kind, "coordinates": coordinates}},
                                  format="json")  # fmt: skip
        assert_refused(answer)
        assert answer.json()["error"]["code"] in ("invalid_geojson", "empty")


# --- bounded cost: geometry size is counted before GEOS builds anything (gis_service/geo/limits.py)


def timed_post(client, url, body):
    started = time.perf_counter()
    answer = client.post(url, data=body, content_type="application/json")
    return answer, time.perf_counter() - started


@pytest.mark.django_db
def test_it_refuses_300000_empty_rings_at_once() -> None:
    # 0.9 MB; every ring was built in GEOS before the check answered "empty": 13.8 s
    body = json.dumps({"crs": RD, "geometry": {"type": "Polygon", "coordinates": [[]] * 300_000}})
    answer, seconds = timed_post(APIClient(), OVERLAP, body)
    assert_refused(answer)
    assert "meer dan 50000 lijsten en objecten" in answer.json()["detail"]  # counted before parsing
    assert seconds < 2.0  # about 0.05 s here; a loaded test machine gets some slack


@pytest.mark.django_db
def test_it_refuses_a_body_of_more_arrays_than_allowed_before_parsing_it(settings) -> None:
    settings.API_JSON_MAX_CONTAINERS = 100
    rings = [[[0, 0], [10, 0], [10, 10], [0, 0]]] * 30  # 30 rings of 4 positions: 152 arrays and objects
    body = json.dumps({"crs": RD, "geometry": {"type": "Polygon", "coordinates": rings}})
    answer = raw_post(APIClient(), OVERLAP, body)
    assert_refused(answer)
    assert "100 lijsten en objecten" in answer.json()["detail"]


@pytest.mark.django_db
def test_it_refuses_empty_rings_before_building_them(settings) -> None:
    body = json.dumps({"crs": RD, "geometry": {"type": "Polygon", "coordinates": [[]] * 50}})
    answer = raw_post(APIClient(), OVERLAP, body)
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "invalid_geojson"  # was "empty", after building each ring in GEOS


@pytest.mark.django_db
def test_it_refuses_more_rings_than_allowed_naming_the_limit(settings) -> None:
    settings.AREA_MAX_RINGS = 5
    outer = square(0, 0, 100)["coordinates"][0]
    holes = [square(10 + 10 * i, 10, 5)["coordinates"][0][::-1] for i in range(5)]  # valid holes: 6 rings
    answer = APIClient().post(
        OVERLAP, {"crs": RD, "geometry": {"type": "Polygon", "coordinates": [outer, *holes]}}, format="json"
    )
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "too_large"
    assert "5 ringen" in answer.json()["error"]["message"]


@pytest.mark.django_db
def test_it_refuses_more_parts_than_allowed(settings) -> None:
    settings.AREA_MAX_PARTS = 3
    parts = [square(100 * i, 0, 10)["coordinates"] for i in range(4)]  # four disjoint squares: valid, small
    answer = APIClient().post(OVERLAP, {"crs": RD, "geometry": {"type": "MultiPolygon", "coordinates": parts}},
                              format="json")  # fmt: skip
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "too_large"
    assert "3 delen" in answer.json()["error"]["message"]


@pytest.mark.django_db
def test_an_initiative_with_too_many_rings_is_refused(resident, settings) -> None:
    settings.AREA_MAX_RINGS = 1
    outer = square(0, 0, 100)["coordinates"][0]
    hole = square(10, 10, 5)["coordinates"][0][::-1]
    body = {"crs": RD, "description": "Moestuin", "geometry": {"type": "Polygon", "coordinates": [outer, hole]}}
    answer = client_for(resident).post(INITIATIVES, body, format="json")
    assert_refused(answer)
    assert answer.json()["error"]["code"] == "too_large"
