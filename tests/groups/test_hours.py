"""Hours given by members, per task or work day, summed per group on the group page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import selectors, services
from gis_service.groups.models import Group, HourEntry
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


@pytest.mark.django_db
def test_members_log_hours_on_tasks_and_work_days_and_the_group_sums_them(
    group: Group, manager: User, volunteer: User
) -> None:
    today = timezone.localdate()
    task = services.task_add(group=group, user=manager, title="Maaien")
    day = services.agenda_add(group=group, user=manager, title="Werkdag", starts_at=timezone.now() - timedelta(days=1))
    services.hours_log(group=group, user=volunteer, worked_on=today, hours=Decimal("1.5"), task=task)
    services.hours_log(group=group, user=volunteer, worked_on=today, hours=Decimal("2"), agenda_item=day)
    services.hours_log(group=group, user=manager, worked_on=today, hours=Decimal("0.75"), note="Snoeien")

    hours = selectors.group_hours(group, user_id=volunteer.pk)
    assert (hours.total, hours.people, hours.mine) == (Decimal("4.25"), 2, Decimal("3.5"))

    client = Client()
    client.force_login(volunteer)
    text = client.get(f"/groepen/{group.pk}/").content.decode()
    assert "Samen 4,25 uur gegeven, door 2 personen." in text
    assert "Jij: 3,50 uur." in text


@pytest.mark.django_db
def test_a_volunteer_logs_hours_on_the_group_page(group: Group, manager: User, volunteer: User) -> None:
    task = services.task_add(group=group, user=manager, title="Maaien")
    client = Client()
    client.force_login(volunteer)
    data = {"worked_on": timezone.localdate().isoformat(), "hours": "2.25", "task": str(task.pk), "note": "gras"}
    response = client.post(f"/groepen/{group.pk}/uren/", data, follow=True)
    assert response.status_code == 200
    entry = HourEntry.objects.get()
    assert (entry.user, entry.task, entry.hours, entry.note) == (volunteer, task, Decimal("2.25"), "gras")
    assert "2,25 uur genoteerd" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "days_ago", "field"),
    [
        ("0", 0, "hours"),
        ("25", 0, "hours"),
        ("1.1", 0, "hours"),  # quarters only
        ("2", -1, "worked_on"),  # tomorrow
        ("2", 400, "worked_on"),
    ],
)
def test_implausible_hours_are_refused_with_a_message(
    group: Group, volunteer: User, hours: str, days_ago: int, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.hours_log(
            group=group,
            user=volunteer,
            worked_on=timezone.localdate() - timedelta(days=days_ago),
            hours=Decimal(hours),
        )
    assert field in refused.value.message_dict
    assert not HourEntry.objects.exists()


@pytest.mark.django_db
def test_hours_on_another_groups_task_are_refused(group: Group, manager: User, volunteer: User, owner_a: Owner) -> None:
    other = services.group_create(
        location=Location.objects.create(owner=owner_a, name="Elders", geometry=rd_square(121300, 487000, 20)),
        name="Elders groen",
        managers=[manager],
    )
    foreign = services.task_add(group=other, user=manager, title="Niet van ons")
    with pytest.raises(ValidationError):
        services.hours_log(group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal(1), task=foreign)
    client = Client()
    client.force_login(volunteer)
    data = {"worked_on": timezone.localdate().isoformat(), "hours": "1", "task": str(foreign.pk)}
    response = client.post(f"/groepen/{group.pk}/uren/", data, follow=True)
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not HourEntry.objects.exists()


@pytest.mark.django_db
def test_only_members_of_an_open_group_log_hours(group: Group, volunteer: User, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        services.hours_log(group=group, user=outsider, worked_on=timezone.localdate(), hours=Decimal(1))
    services.group_archive(group=group)
    group.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.hours_log(group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal(1))
    assert not HourEntry.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_more_than_a_day(group: Group, volunteer: User) -> None:
    with pytest.raises(IntegrityError):
        HourEntry.objects.create(group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal(30))


@pytest.mark.django_db
def test_refused_hours_come_back_with_the_form_open_and_the_reason_beside_the_field(
    group: Group, volunteer: User
) -> None:
    """Walking the volunteer on a phone: hours on a day in the future came back on the top of the
    group page with the form folded shut, so its error was hidden and nothing said it failed."""
    client = Client()
    client.force_login(volunteer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(f"/groepen/{group.pk}/uren/", {"worked_on": tomorrow.isoformat(), "hours": "2"})
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    (form,) = page.xpath('//form[@id="hours-form"]')
    assert form.get("action").endswith("#uren")  # back where the form is, not on the top of the page
    assert form.getparent().tag == "details" and form.getparent().get("open") is not None
    assert form.xpath('.//*[contains(@class, "errorlist")]') and "toekomst" in form.text_content()
    assert not HourEntry.objects.exists()
