"""What a resident does for themself through the REST API, beyond who may (test_group_permissions.py):
the answers say only the caller's own place, leaving gives taken tasks back, an unsubscribe link we
did not sign changes nothing, and the personal calendar URL is made, renewed and stopped."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.groups import services
from gis_service.groups.models import CalendarKey, Follower, GroupMember, HourEntry, Task
from gis_service.groups.unsubscribe import SALT, unsubscribe_token
from tests.conftest import _user
from tests.support.factories import group_on


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def as_user(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_following_and_joining_answer_the_caller_s_own_place_only(owner_a) -> None:
    manager, resident = _user("manager_m"), _user("resident_r")
    group = group_on(owner_a, manager)
    client = as_user(resident)

    followed = client.post(f"/api/groups/{group.pk}/follow/")
    assert followed.status_code == 200
    assert followed.data == {"group": group.pk, "following": True, "role": None}
    joined = client.post(f"/api/groups/{group.pk}/join/")
    assert joined.data == {"group": group.pk, "following": True, "role": GroupMember.Role.VOLUNTEER}
    unfollowed = client.post(f"/api/groups/{group.pk}/unfollow/")
    assert unfollowed.data == {"group": group.pk, "following": False, "role": GroupMember.Role.VOLUNTEER}
    # The manager's own answer says they lead it; nobody's name or id is in any answer.
    assert as_user(manager).post(f"/api/groups/{group.pk}/follow/").data["role"] == GroupMember.Role.MANAGER
    assert set(joined.data) == {"group", "following", "role"}


@pytest.mark.django_db
def test_a_volunteer_who_leaves_gives_back_taken_tasks_and_keeps_hours_and_news(owner_a) -> None:
    manager, volunteer = _user("manager_m"), _user("volunteer_v")
    group = group_on(owner_a, manager)
    services.group_join(group=group, user=volunteer)
    task = services.task_add(group=group, user=manager, title="Snoeien")
    services.task_take(task=task, user=volunteer)
    services.hours_log(group=group, user=volunteer, worked_on=timezone.localdate(), hours=Decimal(2))

    answer = as_user(volunteer).post(f"/api/groups/{group.pk}/leave/")

    assert answer.status_code == 200
    assert answer.data == {"group": group.pk, "following": True, "role": None}
    task.refresh_from_db()
    assert (task.status, task.taken_by_id, task.taken_at) == (Task.Status.OPEN, None, None)
    assert HourEntry.objects.filter(group=group, user=volunteer).count() == 1
    assert Follower.objects.filter(group=group, user=volunteer).exists()
    # Left is left: a second time is refused, as for anyone who is not a volunteer.
    assert as_user(volunteer).post(f"/api/groups/{group.pk}/leave/").status_code == 403


@pytest.mark.django_db
def test_a_manager_cannot_leave_the_group_of_their_contract(owner_a) -> None:
    manager = _user("manager_m")
    group = group_on(owner_a, manager)
    answer = as_user(manager).post(f"/api/groups/{group.pk}/leave/")
    assert answer.status_code == 403
    assert GroupMember.objects.filter(group=group, user=manager, role=GroupMember.Role.MANAGER).exists()


@pytest.mark.django_db
def test_group_writes_with_a_session_need_a_csrf_token(owner_a) -> None:
    group = group_on(owner_a, _user("manager_m"))
    resident = _user("resident_r")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(f"/api/groups/{group.pk}/follow/").status_code == 403
    assert client.post("/api/calendar-key/").status_code == 403
    assert not Follower.objects.filter(user=resident).exists()
    assert not CalendarKey.objects.filter(user=resident).exists()


@pytest.mark.django_db
def test_unsubscribing_by_a_mail_s_link_needs_no_session_and_twice_is_no_error(owner_a) -> None:
    group = group_on(owner_a, _user("manager_m"))
    reader = _user("reader_r")
    services.group_follow(group=group, user=reader)
    token = unsubscribe_token(group_id=group.pk, user_id=reader.pk)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(_user("someone_else"))  # a session without CSRF token is ignored: the link is the proof

    for _attempt in range(2):
        answer = client.post("/api/unsubscribe/", {"token": token}, format="json")
        assert answer.status_code == 200, answer.data
        assert answer.data == {"group": group.pk}
    assert not Follower.objects.filter(group=group, user=reader).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["altered", "other salt", "not signed"])
def test_an_unsubscribe_link_we_did_not_sign_is_refused_and_changes_nothing(owner_a, how) -> None:
    group = group_on(owner_a, _user("manager_m"))
    reader, other = _user("reader_r"), _user("other_o")
    services.group_follow(group=group, user=reader)
    services.group_follow(group=group, user=other)
    real = unsubscribe_token(group_id=group.pk, user_id=reader.pk)
    token = {
        # Someone swaps in another follower's id and keeps the signature.
        "altered": signing.dumps([group.pk, other.pk], salt=SALT).split(":")[0] + ":" + real.split(":", 1)[1],
        "other salt": signing.dumps([group.pk, other.pk], salt="accounts.confirm"),
        "not signed": f"[{group.pk},{other.pk}]",
    }[how]
    before = sorted(Follower.objects.values_list("group_id", "user_id"))

    answer = APIClient().post("/api/unsubscribe/", {"token": token}, format="json")

    assert answer.status_code == 400
    assert "non_field_errors" in answer.data
    assert sorted(Follower.objects.values_list("group_id", "user_id")) == before


@pytest.mark.django_db
def test_the_personal_calendar_url_is_made_renewed_and_stopped() -> None:
    resident = _user("resident_r")
    client = as_user(resident)
    feed = Client()

    assert client.get("/api/calendar-key/").status_code == 404
    made = client.post("/api/calendar-key/")
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    first = urlsplit(made.data["url"]).path
    assert feed.get(first).status_code == 200
    assert client.post("/api/calendar-key/").data["url"] == made.data["url"]  # made once
    assert client.get("/api/calendar-key/").data["url"] == made.data["url"]

    renewed = client.post("/api/calendar-key/rotate/")
    second = urlsplit(renewed.data["url"]).path
    assert second != first
    assert feed.get(first).status_code == 404  # shared by mistake: the old URL stops at once
    assert feed.get(second).status_code == 200

    assert client.delete("/api/calendar-key/").status_code == 204
    assert feed.get(second).status_code == 404
    assert client.get("/api/calendar-key/").status_code == 404
    assert client.delete("/api/calendar-key/").status_code == 204  # twice is no error
