"""`datetime` (Part 1): what QGIS 3.22 and GDAL 3.6 send for a date condition, answered, never ignored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from gis_service.contracts.models import Contract
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.ogc.conftest import Feed, OgcClient, add_workflow

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def dated(feed: Feed) -> Feed:
    """Locations last changed: 5 in 2019, 10 on 1 May 2026 (Amsterdam), the other 15 in June 2026."""
    ids = [location.pk for location in feed.current]
    Location.objects.filter(pk__in=ids[:5]).update(updated_at=datetime(2019, 6, 1, 12, tzinfo=UTC))
    Location.objects.filter(pk__in=ids[5:15]).update(updated_at=datetime(2026, 5, 1, 0, 30, tzinfo=AMSTERDAM))
    Location.objects.filter(pk__in=ids[15:]).update(updated_at=datetime(2026, 6, 15, 9, tzinfo=UTC))
    return feed


def matched(ogc: OgcClient, collection: str, value: str) -> int:
    document = ogc.json(f"/collections/{collection}/items", {"datetime": value, "limit": 1000})
    assert document["numberReturned"] == len(document["features"])
    return int(document["numberMatched"])


@pytest.mark.parametrize(
    ("value", "count"),
    [
        ("2026-01-01T00:00:00Z/..", 25),  # GDAL and QGIS: "after"
        ("../2020-01-01", 5),  # "before", date-only: up to and including that day
        ("2026-05-01", 10),  # date-only instant: the whole day in Amsterdam
        ("2026-04-30", 0),  # 1 May 00:30 in Amsterdam is 30 April 22:30 in UTC: not that day here
        ("2026-04-30T22:30:00Z", 10),  # that exact instant
        ("2026-04-30T22:30:00.000Z", 10),
        ("2026-05-01T00:30:00+02:00", 10),
        ("2026-04-30T22:30:01Z", 0),
        ("2026-05-01T00:30:00", 10),  # without an offset: Amsterdam time
        ("2026-05-01T00:30:00 02:00", 10),  # +02:00 not URL-encoded: the + became a space
        ("2019-01-01T00:00:00Z/2019-12-31T23:59:59Z", 5),
        ("2019-06-01T12:00:00Z/2019-06-01T12:00:00Z", 5),  # closed at both ends
        ("2026-05-01/2026-05-31", 10),
        ("/2020-01-01", 5),  # an empty end is open too
        ("2026-06-01T00:00:00Z/", 15),
        ("2030-01-01T00:00:00Z/..", 0),  # outside the data: no features, not an error
        ("../1990-01-01T00:00:00Z", 0),
    ],
)
def test_locations_by_their_last_change(ogc: OgcClient, dated: Feed, value: str, count: int) -> None:
    assert matched(ogc, "locations", value) == count


def test_datetime_combines_with_filters_and_pages(ogc: OgcClient, dated: Feed) -> None:
    document = ogc.json("/collections/locations/items", {"datetime": "2026-01-01T00:00:00Z/..", "limit": 10})
    assert document["numberMatched"] == 25
    next_href = next(link["href"] for link in document["links"] if link["rel"] == "next")
    assert "datetime=2026-01-01T00%3A00%3A00Z%2F.." in next_href
    following = ogc.follow(next_href)
    assert following["numberMatched"] == 25
    seen = {f["id"] for f in document["features"]} | {f["id"] for f in following["features"]}
    assert len(seen) == 20
    both = ogc.json("/collections/locations/items", {"datetime": "../2020-01-01", "filter": "type = 'gras'"})
    assert both["numberMatched"] == 1  # locations 0 and 5 are gras; only 0 changed in 2019


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-13-01", "2026-02-30", "2026-05-01T25:00:00Z", "2026-05-01 10:00", "../..", "..", "",
     "2026-01-01/2025-01-01", "2026-01-01/2026-02-01/2026-03-01", "2026-05-01T10:00Z", "20260501"],
)  # fmt: skip
def test_unparseable_datetime_is_refused(ogc: OgcClient, dated: Feed, value: str) -> None:
    document = ogc.json("/collections/locations/items", {"datetime": value}, status=400)
    assert "datetime" in document["description"]


@pytest.fixture
def periods(feed: Feed, resident: object) -> list[Contract]:
    """Contracts running 2020–2030, from 2027 on without an end, and (the fixture's) from today without an end."""
    add_workflow(feed, resident)  # type: ignore[arg-type]
    first, second = Contract.objects.filter(status=Contract.Status.ACTIVE).order_by("pk")[:2]
    Contract.objects.filter(pk=first.pk).update(starts_on=date(2020, 1, 1), ends_on=date(2030, 12, 31))
    Contract.objects.filter(pk=second.pk).update(starts_on=date(2027, 3, 1), ends_on=None)
    return list(Contract.objects.order_by("pk"))


def test_contracts_by_the_period_they_run(ogc: OgcClient, periods: list[Contract]) -> None:
    everything = ogc.json("/collections/contracts/items")["numberMatched"]
    assert everything == 5  # 4 of the feed (every 7th location) and one more of the workflow
    assert matched(ogc, "contracts", "../2020-01-01") == 1  # only the one that started that day
    assert matched(ogc, "contracts", "../2019-12-31") == 0
    assert matched(ogc, "contracts", "2031-01-01") == everything - 1  # the 2030 one has ended; the rest run on
    assert matched(ogc, "contracts", "2027-02-28T23:00:00Z/..") == everything  # all run from 1 March 2027 on
    assert matched(ogc, "contracts", "2030-12-31/2031-01-01") == everything
    assert matched(ogc, "contracts", "2021-01-01/2021-12-31") == 1


def test_initiatives_by_their_date(ogc: OgcClient, feed: Feed, resident: object) -> None:
    _, initiative = add_workflow(feed, resident)  # type: ignore[arg-type]
    Initiative.objects.filter(pk=initiative.pk).update(created_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    # 00:30 on the 11th in Amsterdam: `date` is the Dutch day, the day the initiative's page shows
    assert matched(ogc, "initiatives", "2026-03-11") == 1
    assert matched(ogc, "initiatives", "2026-03-10") == 0
    assert matched(ogc, "initiatives", "2026-03-11T12:00:00Z") == 1  # an instant within that day
    assert matched(ogc, "initiatives", "2026-03-10T12:00:00Z") == 0
    assert matched(ogc, "initiatives", "2026-03-11T00:00:00Z/..") == 1
    assert matched(ogc, "initiatives", "../2026-03-10T22:00:00Z") == 0  # the 11th begins at 23:00 UTC
    assert matched(ogc, "initiatives", "../2026-03-10T23:00:00Z") == 1


def test_collections_declare_their_temporal_extent(ogc: OgcClient, dated: Feed, resident: object) -> None:
    add_workflow(dated, resident)  # type: ignore[arg-type]
    locations = ogc.json("/collections/locations")["extent"]["temporal"]
    assert locations["interval"] == [["2019-06-01T12:00:00Z", "2026-06-15T09:00:00Z"]]
    assert locations["properties"] == ["updated"]
    assert locations["trs"] == "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
    contracts = ogc.json("/collections/contracts")["extent"]["temporal"]
    assert contracts["properties"] == ["starts_on", "ends_on"]
    assert contracts["interval"][0][1] is None  # contracts without an end run on
    listed = {c["id"]: c for c in ogc.json("/collections")["collections"]}
    assert listed["initiatives"]["extent"]["temporal"]["properties"] == ["date"]
    schema = ogc.json("/collections/contracts/schema")["properties"]
    assert schema["starts_on"]["x-ogc-role"] == "primary-interval-start"
    assert schema["ends_on"]["x-ogc-role"] == "primary-interval-end"
    queryables = ogc.json("/collections/contracts/queryables")["properties"]
    assert queryables["starts_on"]["x-ogc-role"] == "primary-interval-start"
    assert ogc.json("/collections/locations/queryables")["properties"]["updated"]["x-ogc-role"] == "primary-instant"


def test_openapi_lists_datetime_for_every_collection(ogc: OgcClient) -> None:
    document = ogc.json("/openapi", {"f": "json"})
    assert "2026-01-01T00:00:00Z/.." in document["components"]["parameters"]["datetime"]["description"]
    for collection in ("locations", "contracts", "initiatives"):
        parameters = document["paths"][f"/collections/{collection}/items"]["get"]["parameters"]
        assert parameters.count({"$ref": "#/components/parameters/datetime"}) == 1, collection
