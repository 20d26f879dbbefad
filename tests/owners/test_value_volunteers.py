"""The value report counts who was a member in the year, from the membership history: someone who
helped in a year and left later still counts in it, whenever the report is made."""

from __future__ import annotations

import datetime as dt

import pytest

from gis_service.accounts.models import User
from gis_service.accounts.services import account_delete
from gis_service.groups.models import Group
from gis_service.groups.services import group_join, group_leave
from gis_service.owners.models import Owner
from gis_service.owners.selectors import value_report
from tests.owners.test_value_report import AMSTERDAM, _managed

PASSWORD = "pw-resident_tworesident_two"  # tests.conftest's personas: "pw-" + username twice


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def group(owner_a: Owner, resident: User) -> Group:
    """A group led by `resident` since 1 January 2026, under a contract without an end."""
    return _managed(owner_a, "Veld", "heesters", 121000, 10, [resident])


def _volunteers(owner: Owner, year: int) -> int:
    return value_report(owner=owner, year=year).volunteers


@pytest.mark.django_db
def test_a_volunteer_who_left_the_next_year_counts_in_the_year_they_helped(
    owner_a: Owner, group: Group, resident_two: User
) -> None:
    group_join(group=group, user=resident_two, at=_at(2026, 3, 1))
    group_leave(group=group, user=resident_two, at=_at(2027, 2, 1))

    assert _volunteers(owner_a, 2026) == 2  # the manager and the volunteer
    assert _volunteers(owner_a, 2027) == 2  # still there in January 2027
    assert _volunteers(owner_a, 2025) == 0


@pytest.mark.django_db
def test_a_volunteer_who_left_in_a_year_does_not_count_in_the_next(
    owner_a: Owner, group: Group, resident_two: User
) -> None:
    group_join(group=group, user=resident_two, at=_at(2026, 3, 1))
    group_leave(group=group, user=resident_two, at=_at(2026, 11, 1))

    assert _volunteers(owner_a, 2026) == 2
    assert _volunteers(owner_a, 2027) == 1  # the manager only


@pytest.mark.django_db
def test_leaving_and_joining_again_counts_once_in_the_year(owner_a: Owner, group: Group, resident_two: User) -> None:
    group_join(group=group, user=resident_two, at=_at(2026, 3, 1))
    group_leave(group=group, user=resident_two, at=_at(2026, 5, 1))
    group_join(group=group, user=resident_two, at=_at(2026, 9, 1))

    assert _volunteers(owner_a, 2026) == 2


@pytest.mark.django_db
def test_the_year_ends_at_midnight_in_amsterdam(owner_a: Owner, group: Group, resident_two: User) -> None:
    # 00:30 on New Year's Day in Amsterdam is still 31 December in UTC: both below are 2027 here.
    group_join(group=group, user=resident_two, at=_at(2026, 3, 1))
    group_leave(group=group, user=resident_two, at=_at(2027, 1, 1, 0, 30))  # half an hour of 2027
    late = User.objects.create_user(username="laat", email="laat@example.org", password="pw-laatlaat")
    group_join(group=group, user=late, at=_at(2027, 1, 1, 0, 30))  # not a day of 2026

    assert _volunteers(owner_a, 2026) == 2  # the manager and resident_two
    assert _volunteers(owner_a, 2027) == 3


@pytest.mark.django_db
def test_a_deleted_account_still_counts_in_the_years_it_helped(
    owner_a: Owner, group: Group, resident_two: User
) -> None:
    group_join(group=group, user=resident_two, at=_at(2026, 3, 1))

    account_delete(user=resident_two, password=PASSWORD)

    assert _volunteers(owner_a, 2026) == 2
    assert User.objects.get(pk=resident_two.pk).email == ""  # the count, not the person
