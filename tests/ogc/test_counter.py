"""numberMatched of unfiltered pages comes from a counter kept by triggers: it must stay exact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from gis_service.locations.models import Location
from ogc.tasks import compact_counters
from tests.conftest import rd_square
from tests.ogc.conftest import Feed, OgcClient

ITEMS = "/collections/locations/items"

pytestmark = pytest.mark.django_db


def matched(ogc: OgcClient) -> int:
    return int(ogc.json(ITEMS, {"f": "json", "limit": 1})["numberMatched"])


def counted() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM locations_location WHERE withdrawn_at IS NULL")
        return int(cursor.fetchone()[0])


def counter_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ogc_location_count")
        return int(cursor.fetchone()[0])


def test_number_matched_follows_inserts_withdrawals_and_deletes(ogc: OgcClient, feed: Feed) -> None:
    assert matched(ogc) == counted() == 30
    extra = Location.objects.create(
        owner=feed.owner_a, name="Nieuw", type="gras", geometry=rd_square(141000, 471000, 8)
    )
    assert matched(ogc) == 31
    Location.objects.filter(pk=extra.pk).update(withdrawn_at=datetime(2026, 2, 1, tzinfo=UTC))
    assert matched(ogc) == 30
    Location.objects.filter(pk=feed.withdrawn.pk).update(withdrawn_at=None)  # back in the feed
    assert matched(ogc) == 31
    Location.objects.filter(pk__in=[loc.pk for loc in feed.locations_b]).update(name="Hernoemd")  # no change
    assert matched(ogc) == 31
    Location.objects.filter(pk__in=[extra.pk, feed.locations_b[0].pk]).delete()  # one withdrawn, one current
    assert matched(ogc) == counted() == 30


def test_bulk_insert_counts_every_row_and_filtered_counts_stay_exact(ogc: OgcClient, feed: Feed) -> None:
    Location.objects.bulk_create(
        Location(owner=feed.owner_b, name=f"Bulk {i}", type="haag", geometry=rd_square(152000 + 30 * i, 482000, 10))
        for i in range(40)
    )
    assert matched(ogc) == counted() == 70
    assert ogc.json(ITEMS, {"f": "json", "type": "haag"})["numberMatched"] == 45
    assert ogc.json(ITEMS, {"f": "json", "filter": "type = 'haag'"})["numberMatched"] == 45


def test_feed_requests_only_read_and_the_beat_task_folds_the_counter(ogc: OgcClient, feed: Feed) -> None:
    for i in range(105):
        Location.objects.create(owner=feed.owner_a, name=f"Los {i}", type="gras", geometry=rd_square(143000, 473000, 5))
    rows_before = counter_rows()
    assert rows_before > 100
    assert matched(ogc) == counted() == 30 + 105
    assert counter_rows() == rows_before  # a GET wrote nothing
    assert compact_counters() == 1  # the locations collection has a counter
    assert counter_rows() == 1
    assert matched(ogc) == counted()


def test_last_page_of_next_links_and_counter_agree(ogc: OgcClient, feed: Feed) -> None:
    page = ogc.json(ITEMS, {"f": "json", "limit": 7})
    seen = len(page["features"])
    while next_href := next((link["href"] for link in page["links"] if link["rel"] == "next"), None):
        page = ogc.follow(next_href)
        seen += len(page["features"])
        assert page["numberMatched"] == 30
    assert seen == 30
