"""Recurring tasks: the next one is made when one is done, or by the beat when its day passed; once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group, Task
from gis_service.groups.tasks import repeat_tasks


def _mowing(group: Group, manager: User, due_on: date) -> Task:
    return services.task_add(
        group=group, user=manager, title="Maaien", due_on=due_on, repeat_every=2, repeat_unit="weken"
    )


@pytest.mark.django_db
def test_finishing_a_recurring_task_makes_the_next_one_two_weeks_later(
    group: Group, manager: User, volunteer: User
) -> None:
    today = timezone.localdate()
    task = _mowing(group, manager, today)
    services.task_take(task=task, user=volunteer)
    services.task_finish(task=task, user=volunteer)

    following = Task.objects.get(follows=task)
    assert (following.title, following.status, following.due_on) == ("Maaien", "open", today + timedelta(weeks=2))
    assert (following.repeat_every, following.repeat_unit) == (2, "weken")
    assert services.task_repeat(task=task) == following  # asked again, the same one
    assert Task.objects.filter(group=group).count() == 2


@pytest.mark.django_db
def test_a_task_that_does_not_recur_makes_no_next_one(group: Group, manager: User, volunteer: User) -> None:
    task = services.task_add(group=group, user=manager, title="Bank schilderen")
    services.task_take(task=task, user=volunteer)
    services.task_finish(task=task, user=volunteer)
    assert Task.objects.filter(group=group).count() == 1


@pytest.mark.django_db
def test_the_beat_makes_the_next_one_when_the_day_passed_undone_and_only_once(group: Group, manager: User) -> None:
    today = timezone.localdate()
    late = _mowing(group, manager, today - timedelta(days=36))  # five weeks and a day ago
    not_yet = _mowing(group, manager, today)

    assert repeat_tasks() == 1  # the celery beat task, run in-process here
    following = Task.objects.get(follows=late)
    # The next turn from today on, not a backlog of the two missed ones.
    assert following.due_on == late.due_on + timedelta(weeks=6)
    assert following.due_on >= today
    assert not Task.objects.filter(follows=not_yet).exists()
    assert Task.objects.get(pk=late.pk).status == "open"  # the missed one stays, someone may still do it
    assert repeat_tasks() == 0


@pytest.mark.django_db
def test_a_closed_group_gets_no_new_turns(group: Group, manager: User) -> None:
    _mowing(group, manager, timezone.localdate() - timedelta(days=20))
    services.group_archive(group=group)
    assert repeat_tasks() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"repeat_every": 2, "repeat_unit": "", "due_on": date(2026, 1, 1)}, "repeat_unit"),
        ({"repeat_every": 2, "repeat_unit": "maanden", "due_on": date(2026, 1, 1)}, "repeat_unit"),
        ({"repeat_every": 0, "repeat_unit": "dagen", "due_on": date(2026, 1, 1)}, "repeat_every"),
        ({"repeat_every": None, "repeat_unit": "weken", "due_on": date(2026, 1, 1)}, "repeat_every"),
        ({"repeat_every": 60, "repeat_unit": "weken", "due_on": date(2026, 1, 1)}, "repeat_every"),
        ({"repeat_every": 2, "repeat_unit": "weken", "due_on": None}, "due_on"),
    ],
)
def test_an_incomplete_repeat_is_refused_with_a_message(
    group: Group, manager: User, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.task_add(group=group, user=manager, title="Maaien", **fields)  # type: ignore[arg-type]
    assert field in refused.value.message_dict
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_repeat_without_a_unit(group: Group, manager: User) -> None:
    with pytest.raises(IntegrityError):
        Task.objects.create(group=group, created_by=manager, title="x", repeat_every=2, due_on=date(2026, 1, 1))


@pytest.mark.django_db
def test_a_manager_adds_a_recurring_task_on_the_group_page(group: Group, manager: User) -> None:
    client = Client()
    client.force_login(manager)
    due = timezone.localdate() + timedelta(days=3)
    data = {"title": "Maaien", "due_on": due.isoformat(), "repeat_every": "2", "repeat_unit": "weken"}
    response = client.post(f"/groepen/{group.pk}/taken/", data, follow=True)
    assert response.status_code == 200
    task = Task.objects.get(group=group)
    assert (task.due_on, task.repeat_every, task.repeat_unit) == (due, 2, "weken")
    assert "elke 2 weken" in response.content.decode()

    refused = client.post(f"/groepen/{group.pk}/taken/", {"title": "Maaien", "repeat_every": "2"}, follow=True)
    # Refused: the page again (400), the message beside the field and the typed title kept.
    assert refused.status_code == 400 and "Kies dagen of weken." in refused.content.decode()
    assert 'value="Maaien"' in refused.content.decode()
    assert Task.objects.filter(group=group).count() == 1


@pytest.mark.django_db(transaction=True)
def test_done_and_the_beat_at_once_make_one_next_task(group: Group, manager: User, volunteer: User) -> None:
    # The race the one-to-one `follows` closes: two transactions each see no next task yet.
    task = _mowing(group, manager, timezone.localdate() - timedelta(days=1))
    services.task_take(task=task, user=volunteer)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(action: str) -> None:
        try:
            barrier.wait()
            if action == "done":
                services.task_finish(task=Task.objects.select_related("group").get(pk=task.pk), user=volunteer)
            else:
                services.tasks_repeat_due()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in ("done", "beat")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Task.objects.filter(follows=task).count() == 1
