"""Membership history: the services open a period on joining and close it on leaving; the database
keeps at most one open period per role, and never changes or deletes one after it was closed."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group, GroupMember, MembershipPeriod
from ogc.collections import COLLECTIONS
from tests.conftest import _user

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MARCH = dt.datetime(2026, 3, 1, 10, tzinfo=AMSTERDAM)
MAY = dt.datetime(2026, 5, 1, 10, tzinfo=AMSTERDAM)
SEPTEMBER = dt.datetime(2026, 9, 1, 10, tzinfo=AMSTERDAM)


def _periods(group: Group, user: User) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    return list(MembershipPeriod.objects.filter(group=group, user=user).values_list("role", "started_at", "ended_at"))


@pytest.mark.django_db
def test_creating_a_group_opens_a_period_for_each_manager(group: Group, manager: User) -> None:
    [(role, _started, ended)] = _periods(group, manager)
    assert (role, ended) == (GroupMember.Role.MANAGER, None)


@pytest.mark.django_db
def test_leaving_closes_the_period_and_keeps_it(group: Group, outsider: User) -> None:
    services.group_join(group=group, user=outsider, at=MARCH)
    services.group_leave(group=group, user=outsider, at=MAY)

    assert not GroupMember.objects.filter(group=group, user=outsider).exists()
    assert _periods(group, outsider) == [(GroupMember.Role.VOLUNTEER, MARCH, MAY)]


@pytest.mark.django_db
def test_leaving_and_joining_again_opens_a_second_period(group: Group, outsider: User) -> None:
    services.group_join(group=group, user=outsider, at=MARCH)
    services.group_leave(group=group, user=outsider, at=MAY)
    services.group_join(group=group, user=outsider, at=SEPTEMBER)

    volunteer = GroupMember.Role.VOLUNTEER
    assert _periods(group, outsider) == [(volunteer, MARCH, MAY), (volunteer, SEPTEMBER, None)]


@pytest.mark.django_db
def test_joining_twice_or_as_a_manager_opens_nothing_more(group: Group, manager: User, volunteer: User) -> None:
    services.group_join(group=group, user=volunteer)
    services.group_join(group=group, user=manager)

    assert len(_periods(group, volunteer)) == 1
    assert [role for role, _s, _e in _periods(group, manager)] == [GroupMember.Role.MANAGER]


@pytest.mark.django_db
def test_leaving_all_groups_closes_every_open_period(group: Group, manager: User, location: Any) -> None:
    other = services.group_create(location=location, name="Tweede groep", managers=[manager])

    services.member_leave_all(user=manager)

    assert not GroupMember.objects.filter(user=manager).exists()
    closed = MembershipPeriod.objects.filter(user=manager, ended_at__isnull=False)
    assert sorted(closed.values_list("group_id", flat=True)) == sorted([group.pk, other.pk])


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_period_in_the_same_role(group: Group, volunteer: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPeriod.objects.create(group=group, user=volunteer, role=GroupMember.Role.VOLUNTEER, started_at=MAY)


@pytest.mark.django_db
def test_the_database_refuses_a_period_that_ends_before_it_starts(group: Group, outsider: User) -> None:
    services.group_join(group=group, user=outsider, at=MAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.group_leave(group=group, user=outsider, at=MARCH)
    assert _periods(group, outsider) == [(GroupMember.Role.VOLUNTEER, MAY, None)]


@pytest.mark.django_db
def test_the_database_keeps_a_closed_period_as_it_was(group: Group, outsider: User) -> None:
    services.group_join(group=group, user=outsider, at=MARCH)
    services.group_leave(group=group, user=outsider, at=MAY)
    period = MembershipPeriod.objects.get(group=group, user=outsider)

    with pytest.raises(IntegrityError), transaction.atomic():  # reopened
        MembershipPeriod.objects.filter(pk=period.pk).update(ended_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():  # rewritten
        MembershipPeriod.objects.filter(pk=period.pk).update(ended_at=SEPTEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPeriod.objects.filter(pk=period.pk).delete()
    assert _periods(group, outsider) == [(GroupMember.Role.VOLUNTEER, MARCH, MAY)]


@pytest.mark.django_db
def test_the_database_lets_an_open_period_only_be_closed(group: Group, volunteer: User) -> None:
    period = MembershipPeriod.objects.get(group=group, user=volunteer)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPeriod.objects.filter(pk=period.pk).update(started_at=MARCH)


def _admin_form(client: Client, group: Group) -> dict[str, Any]:
    """The group's change form as the admin rendered it, ready to post back."""
    response = client.get(f"/admin/groups/group/{group.pk}/change/")
    assert response.status_code == 200
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = getattr(value, "pk", value) if value is not None else ""
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for i, row in enumerate(formset.forms):
            for name in row.fields:
                value = row.initial.get(name, row.fields[name].initial)
                data[f"{formset.prefix}-{i}-{name}"] = "" if value is None else getattr(value, "pk", value)
    return data


@pytest.mark.django_db
def test_staff_adding_and_removing_members_in_the_admin_writes_the_history(
    client: Client, group: Group, manager: User, volunteer: User
) -> None:
    client.force_login(User.objects.create_superuser("staff", "staff@example.org", "staff-password"))
    newcomer = _user("newcomer")
    data = _admin_form(client, group)
    rows = {data[f"members-{i}-user"]: i for i in range(int(data["members-TOTAL_FORMS"]))}
    data[f"members-{rows[manager.pk]}-DELETE"] = "on"  # a manager taken out by staff
    data[f"members-{rows[volunteer.pk]}-role"] = GroupMember.Role.MANAGER  # a volunteer made manager
    new = int(data["members-TOTAL_FORMS"])
    data.update({f"members-{new}-user": newcomer.pk, f"members-{new}-role": GroupMember.Role.VOLUNTEER})
    data["members-TOTAL_FORMS"] = new + 1

    response = client.post(f"/admin/groups/group/{group.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert dict(GroupMember.objects.filter(group=group).values_list("user_id", "role")) == {
        volunteer.pk: GroupMember.Role.MANAGER,
        newcomer.pk: GroupMember.Role.VOLUNTEER,
    }
    [(_role, _started, manager_ended)] = _periods(group, manager)
    assert manager_ended is not None
    assert [(role, ended is None) for role, _s, ended in _periods(group, volunteer)] == [
        (GroupMember.Role.VOLUNTEER, False),
        (GroupMember.Role.MANAGER, True),
    ]
    assert [(role, ended) for role, _s, ended in _periods(group, newcomer)] == [(GroupMember.Role.VOLUNTEER, None)]
    # The history is listed under the group and never edited there.
    page = client.get(f"/admin/groups/group/{group.pk}/change/").content.decode()
    assert "lidmaatschapsgeschiedenis" in page.lower()
    assert 'name="membership_periods-0-ended_at"' not in page


@pytest.mark.django_db
def test_no_public_answer_reads_the_history(client: Client, group: Group, outsider: User) -> None:
    services.group_join(group=group, user=outsider, at=MARCH)
    services.group_leave(group=group, user=outsider, at=MAY)

    # The feed publishes what ogc/collections.py lists, and none of it is membership.
    assert set(COLLECTIONS.all()) == {"locations", "contracts", "initiatives"}
    for path in (f"/api/groups/{group.pk}/", f"/groepen/{group.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        page = response.content.decode()
        assert "2026-03-01" not in page and "started_at" not in page and outsider.username not in page


@pytest.mark.django_db(transaction=True)
def test_joining_and_leaving_at_once_keeps_one_period(group: Group, outsider: User) -> None:
    def all_at_once(action: Any, n: int = 6) -> list[BaseException]:
        barrier = threading.Barrier(n)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                barrier.wait()
                action()
            except BaseException as exc:  # noqa: BLE001 - a thread's error is asserted below, not lost
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return errors

    assert all_at_once(lambda: services.group_join(group=group, user=outsider)) == []
    assert [(role, ended) for role, _s, ended in _periods(group, outsider)] == [(GroupMember.Role.VOLUNTEER, None)]

    # A leave that starts after another one ended is refused (no longer a volunteer); one that ran
    # beside it deletes nothing. Either way one period, closed once.
    refused = all_at_once(lambda: services.group_leave(group=group, user=outsider))
    assert all(isinstance(error, PermissionDenied) for error in refused) and len(refused) < 6
    [(_role, _started, ended)] = _periods(group, outsider)
    assert ended is not None and not GroupMember.objects.filter(group=group, user=outsider).exists()
