"""The public lists' order is read from its index, not sorted from every current location."""

from __future__ import annotations

import pytest
from django.db import connection

from gis_service.locations.models import LISTED_FIRST, Location, list_order
from gis_service.owners.models import Owner
from tests.conftest import rd_square


def test_the_statuses_listed_first_are_those_residents_can_take_part_in() -> None:
    expected = (Location.Status.AVAILABLE, Location.Status.REQUESTED, Location.Status.MANAGED)
    assert tuple(str(status) for status in expected) == LISTED_FIRST


@pytest.mark.django_db
def test_a_lists_first_page_is_read_from_the_list_order_index(owner_a: Owner) -> None:
    for i in range(3):
        Location.objects.create(owner=owner_a, name=f"Perk {i}", geometry=rd_square(121000 + 20 * i, 486000, 10))
    first_page = Location.objects.current().order_by(*list_order())[:500]
    with connection.cursor() as cursor:
        # A table of three rows is sorted cheaper than read by index: forbid that, so the plan shows
        # whether the query's expressions are the index's (a mismatch would sort a million rows).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = first_page.explain()
    assert "location_list_order" in plan
    assert "Sort" not in plan
