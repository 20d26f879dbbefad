"""What each collection publishes: offered locations, public contracts, approved initiatives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.groups.models import Group
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient

pytestmark = pytest.mark.django_db


def contract(location: Location, status: str, starts: date | None, ends: date | None, terms: TermsVersion) -> Contract:
    return Contract.objects.create(
        location=location,
        geometry=location.geometry,
        terms_version=terms,
        status=status,
        starts_on=starts,
        ends_on=ends,
        ended_at=timezone.now() if status == "ended" else None,
    )


@pytest.fixture
def terms(feed: Feed) -> TermsVersion:
    # locations_a[0] is under contract, so it has an offering already: it gets these conditions.
    offering = Offering.objects.get(location=feed.locations_a[0])
    Offering.objects.filter(pk=offering.pk).update(
        conditions="Geen bestrijdingsmiddelen. " * 20, offered_from=date(2026, 3, 1), offered_until=date(2026, 12, 31)
    )
    return offering.current_terms()


def test_locations_show_what_is_offered_and_their_page(ogc: OgcClient, feed: Feed, terms: TermsVersion) -> None:
    offered = ogc.json(f"/collections/locations/items/{feed.locations_a[0].pk}", {"f": "json"})["properties"]
    assert (offered["offered_from"], offered["offered_until"]) == ("2026-03-01", "2026-12-31")
    assert offered["conditions"].startswith("Geen bestrijdingsmiddelen.") and len(offered["conditions"]) == 200
    assert offered["url"].endswith(f"/locaties/{feed.locations_a[0].pk}/")
    plain = ogc.json(f"/collections/locations/items/{feed.locations_a[1].pk}", {"f": "json"})["properties"]
    assert plain["offered_from"] is None and plain["conditions"] is None


@pytest.mark.parametrize(
    "params",
    [
        {},  # rows and order from the locations alone: the page's rows are taken first, then their joins
        {"bbox": "140000,470000,140500,470500", "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/28992"},
        {"sortby": "-owner,name"},  # ordered by a joined property: one statement with the joins
        {"filter": "owner = 'Gemeente Aadorp'", "filter-lang": "cql2-text"},  # filtered on one
    ],
)
def test_a_page_shows_each_location_as_its_item_does(
    ogc: OgcClient, feed: Feed, terms: TermsVersion, params: dict[str, str]
) -> None:
    page = ogc.json("/collections/locations/items", {"f": "json", "limit": "100", **params})
    features = {f["id"]: f for f in page["features"]}
    assert feed.locations_a[0].pk in features and feed.locations_a[1].pk in features
    assert features[feed.locations_a[0].pk]["properties"]["offered_from"] == "2026-03-01"
    for identifier, feature in features.items():
        item = ogc.json(f"/collections/locations/items/{identifier}", {"f": "json"})
        assert feature["properties"] == item["properties"]


def test_contracts_are_the_active_and_planned_ones(ogc: OgcClient, feed: Feed, terms: TermsVersion) -> None:
    today = timezone.localdate()
    running = contract(feed.locations_a[1], "active", today - timedelta(days=30), today + timedelta(days=300), terms)
    planned = contract(feed.locations_a[2], "active", today + timedelta(days=10), None, terms)
    contract(feed.locations_a[3], "open", None, None, terms)
    contract(feed.locations_a[4], "rejected", None, None, terms)
    contract(feed.locations_a[5], "ended", today - timedelta(days=400), today - timedelta(days=35), terms)
    contract(feed.locations_a[6], "active", today - timedelta(days=400), today - timedelta(days=1), terms)
    Group.objects.create(location=feed.locations_a[1], contract=running, name="Buurtmoestuin De Linde")

    page = ogc.json("/collections/contracts/items", {"f": "json"})
    by_id = {f["id"]: f["properties"] for f in page["features"]}
    assert set(by_id) == {running.pk, planned.pk} | {c.pk for c in feed.contracts}
    assert by_id[running.pk]["status"] == "actief"
    assert by_id[running.pk]["group"] == "Buurtmoestuin De Linde"
    assert by_id[running.pk]["location_id"] == feed.locations_a[1].pk
    assert by_id[planned.pk]["status"] == "gepland"
    assert by_id[planned.pk]["group"] is None
    filtered = ogc.json("/collections/contracts/items", {"f": "json", "filter": "status = 'gepland'"})
    assert [f["id"] for f in filtered["features"]] == [planned.pk]


def test_initiatives_are_the_approved_ones_without_their_initiators(
    ogc: OgcClient, feed: Feed, terms: TermsVersion, resident: User
) -> None:
    def initiative(status: str, **extra: object) -> Initiative:
        created = Initiative.objects.create(
            owner=feed.owner_a, geometry=rd_square(145000, 475000, 30), description=f"Plan {status}",
            created_by=resident, status=status, **extra,
        )  # fmt: skip
        created.initiators.add(resident)
        return created

    approved_contract = feed.contracts[1]  # the active contract on locations_a[7]
    approved = initiative("approved", contract=approved_contract, location=feed.locations_a[7])
    # half past midnight in Amsterdam, still the day before in UTC: the feed gives the Dutch day, as its page does
    Initiative.objects.filter(pk=approved.pk).update(created_at="2026-06-30T22:30:00Z")
    initiative("submitted")
    initiative("rejected", rejection_reason="te groot")

    page = ogc.json("/collections/initiatives/items", {"f": "json"})
    assert [f["id"] for f in page["features"]] == [approved.pk]
    properties = page["features"][0]["properties"]
    assert properties == {
        "status": "goedgekeurd",
        "description": "Plan approved",
        "date": "2026-07-01",
        "area_m2": 900.0,
        "location_id": feed.locations_a[7].pk,
    }
    on_the_day = ogc.json("/collections/initiatives/items", {"f": "json", "datetime": "2026-07-01"})
    assert [f["id"] for f in on_the_day["features"]] == [approved.pk]
    assert ogc.json("/collections/initiatives/items", {"f": "json", "datetime": "2026-06-30"})["features"] == []


def test_contracts_and_initiatives_cannot_be_edited(ogc: OgcClient, regisseur_a: User, feed: Feed) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=regisseur_a).key
    response = ogc.client.post(
        "/ogc/collections/contracts/items",
        '{"type": "Feature", "geometry": null, "properties": {}}',
        content_type="application/geo+json",
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code in (400, 403, 405)
