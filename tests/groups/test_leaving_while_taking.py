"""A volunteer stops (or their account goes) at the very moment a task is taken for them: the task
ends up open, never taken by someone who is no longer in the group. Each test holds the first
service's transaction open on one connection, runs the second on another until PostgreSQL shows it
waiting for a lock (or it has finished), then commits the first."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from gis_service.accounts.models import User
from gis_service.accounts.services import account_delete
from gis_service.groups import services
from gis_service.groups.models import Group, GroupMember, Task


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def _first_then_second(first: Callable[[], object], second: Callable[[], object]) -> list[str]:
    """Runs `first` in a transaction kept open until `second`, on another connection, waits for it or
    has finished; then commits `first`. The outcome of each: "done" or the exception's class name."""
    outcomes: dict[str, str] = {}
    first_done, release = threading.Event(), threading.Event()

    def run(name: str, work: Callable[[], object], hold: bool) -> None:
        try:
            with transaction.atomic():
                work()
                if hold:
                    first_done.set()
                    release.wait(10)
            outcomes[name] = "done"
        except Exception as error:  # the outcome is the assertion
            outcomes[name] = type(error).__name__
        finally:
            first_done.set()
            connection.close()

    holder = threading.Thread(target=run, args=("first", first, True))
    holder.start()
    assert first_done.wait(10)
    other = threading.Thread(target=run, args=("second", second, False))
    other.start()
    deadline = time.monotonic() + 5
    while other.is_alive() and not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    release.set()
    holder.join(10)
    other.join(10)
    return [outcomes["first"], outcomes["second"]]


@pytest.fixture
def task(group: Group, manager: User) -> Task:
    return services.task_add(group=group, user=manager, title="Heg knippen")


def _fresh(task: Task) -> Task:
    return Task.objects.select_related("group").get(pk=task.pk)


@pytest.mark.django_db(transaction=True)
def test_a_task_taken_while_its_taker_stops_is_refused(group: Group, volunteer: User, task: Task) -> None:
    outcomes = _first_then_second(
        lambda: services.group_leave(group=group, user=volunteer),
        lambda: services.task_take(task=_fresh(task), user=volunteer),
    )
    assert outcomes == ["done", PermissionDenied.__name__]
    assert (_fresh(task).status, _fresh(task).taken_by_id) == (Task.Status.OPEN, None)
    assert not GroupMember.objects.filter(group=group, user=volunteer).exists()


@pytest.mark.django_db(transaction=True)
def test_stopping_while_a_task_is_being_taken_opens_it_again(group: Group, volunteer: User, task: Task) -> None:
    outcomes = _first_then_second(
        lambda: services.task_take(task=_fresh(task), user=volunteer),
        lambda: services.group_leave(group=group, user=volunteer),
    )
    assert outcomes == ["done", "done"]
    assert (_fresh(task).status, _fresh(task).taken_by_id) == (Task.Status.OPEN, None)


@pytest.mark.django_db(transaction=True)
def test_an_account_deleted_while_a_task_is_being_taken_leaves_it_open(
    group: Group, volunteer: User, task: Task
) -> None:
    outcomes = _first_then_second(
        lambda: services.task_take(task=_fresh(task), user=volunteer),
        lambda: account_delete(user=User.objects.get(pk=volunteer.pk), password="pw-" + "volunteer_v" * 2),
    )
    assert outcomes == ["done", "done"]
    assert (_fresh(task).status, _fresh(task).taken_by_id) == (Task.Status.OPEN, None)


@pytest.mark.django_db(transaction=True)
def test_a_member_removed_by_staff_leaves_no_task_taken(group: Group, volunteer: User, task: Task) -> None:
    services.task_take(task=_fresh(task), user=volunteer)
    services.member_remove(group=group, user=volunteer)
    assert (_fresh(task).status, _fresh(task).taken_by_id) == (Task.Status.OPEN, None)
