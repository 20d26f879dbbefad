"""The group's tools through the REST API do what the web page does: through the same services."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group, Task
from tests.conftest import _user
from tests.support.factories import group_on


@pytest.fixture(autouse=True)
def media_of_its_own(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(db: None) -> User:
    return _user("manager_m")


@pytest.fixture
def group(owner_a, manager: User) -> Group:
    return group_on(owner_a, manager)


@pytest.fixture
def volunteer(group: Group) -> User:
    user = _user("volunteer_v")
    services.group_join(group=group, user=user)
    return user


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_a_recurring_task_taken_and_finished_gets_its_next_turn(group: Group, manager: User, volunteer: User) -> None:
    today = timezone.localdate()
    made = as_user(manager).post("/api/tasks/", {"group": group.pk, "title": "Maaien", "due_on": today.isoformat(),
                                                 "repeat_every": 2, "repeat_unit": "weken"}, format="json")  # fmt: skip
    assert made.status_code == 201, made.data
    task_id = made.data["id"]
    taken = as_user(volunteer).post(f"/api/tasks/{task_id}/take/")
    assert (taken.data["status"], taken.data["mine"]) == ("opgepakt", True)
    assert as_user(manager).post(f"/api/tasks/{task_id}/take/").status_code == 400  # someone was first
    done = as_user(volunteer).post(f"/api/tasks/{task_id}/finish/")
    assert done.data["status"] == "klaar" and done.data["next_task"] is not None
    following = Task.objects.get(pk=done.data["next_task"])
    assert (following.due_on, following.status) == (today + dt.timedelta(weeks=2), "open")


@pytest.mark.django_db
def test_a_refused_recurrence_is_a_400_beside_its_field(group: Group, manager: User) -> None:
    answer = as_user(manager).post("/api/tasks/", {"group": group.pk, "title": "Maaien", "repeat_every": 2,
                                                   "repeat_unit": "weken"}, format="json")  # fmt: skip
    assert answer.status_code == 400 and "due_on" in answer.data
    assert not Task.objects.exists()


def image(fmt: str = "JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 140, 60)).save(out, fmt)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_an_update_keeps_before_and_after_and_refuses_a_fake_photo(group: Group, volunteer: User) -> None:
    client = as_user(volunteer)
    answer = client.post("/api/status-updates/", {"group": group.pk, "body": "Gewied", "before": [image()],
                                                  "after": [image("PNG")]}, format="multipart")  # fmt: skip
    assert answer.status_code == 201, answer.data
    assert sorted((photo["kind"], photo["content_type"]) for photo in answer.data["photos"]) == [
        ("na", "image/png"), ("voor", "image/jpeg")]  # fmt: skip
    fake = SimpleUploadedFile("na.jpg", b"<html>nee</html>", content_type="image/jpeg")
    refused = client.post("/api/status-updates/", {"group": group.pk, "after": [fake]}, format="multipart")
    assert refused.status_code == 400 and "after" in refused.data


@pytest.mark.django_db
def test_hours_count_in_the_group_s_public_total(group: Group, volunteer: User) -> None:
    today = timezone.localdate().isoformat()
    logged = as_user(volunteer).post("/api/hours/", {"group": group.pk, "worked_on": today, "hours": "1.75"},
                                     format="json")  # fmt: skip
    assert logged.status_code == 201 and logged.data["mine"] is True
    assert as_user(volunteer).post("/api/hours/", {"group": group.pk, "worked_on": today, "hours": "1.1"},
                                   format="json").status_code == 400  # fmt: skip
    summary = APIClient().get(f"/api/groups/{group.pk}/").data
    assert (summary["hours_total"], summary["volunteer_count"]) == ("1.75", 1)
