"""The permission matrix of a group's tools in the REST API: every forbidden action for every persona
answers 403 or 404 and changes nothing — anonymous, someone logged in outside the group, a volunteer,
the manager of another group, the owner's regisseur (who has no say in a group's own work), and the
group's manager — and the allowed ones can act. Also what a resident does for themself: follow,
join and leave, unsubscribe by a mail's link, and their personal calendar URL."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from gis_service.groups import services
from gis_service.groups.models import (
    AgendaItem,
    CalendarKey,
    Follower,
    ForumPost,
    ForumThread,
    GroupMember,
    HourEntry,
    NewsPost,
    Photo,
    StatusUpdate,
    Task,
)
from gis_service.groups.unsubscribe import unsubscribe_token
from tests.api.matrix import api_call
from tests.conftest import _user
from tests.support.factories import group_on

PERSONAS = ["anonymous", "outsider", "volunteer", "other_manager", "regisseur_a", "manager"]
LOGGED_IN = set(PERSONAS) - {"anonymous"}
MEMBERS = {"volunteer", "manager"}

# action: (method, url template, body, personas allowed to do it)
ACTIONS = {
    "post news": ("post", "/api/news/", {"group": "{group}", "title": "Plantdag", "body": "Zaterdag"}, {"manager"}),
    "start a forum subject": ("post", "/api/forum-threads/", {"group": "{group}", "title": "Bankje?",
                                                              "body": "Wie helpt?"}, LOGGED_IN),
    "reply in the forum": ("post", "/api/forum-posts/", {"thread": "{thread}", "body": "Ik!"}, LOGGED_IN),
    "plan a meeting": ("post", "/api/agenda/", {"group": "{group}", "title": "Werkdag",
                                               "starts_at": "{tomorrow}T10:00:00+01:00"}, {"manager"}),
    "add a recurring task": ("post", "/api/tasks/", {"group": "{group}", "title": "Maaien", "due_on": "{today}",
                                                     "repeat_every": 2, "repeat_unit": "weken"}, {"manager"}),
    "take a task": ("post", "/api/tasks/{open_task}/take/", {}, MEMBERS),
    "finish a task": ("post", "/api/tasks/{taken_task}/finish/", {}, MEMBERS),
    "log hours": ("post", "/api/hours/", {"group": "{group}", "worked_on": "{today}", "hours": "1.5"}, MEMBERS),
    "read an hours entry": ("get", "/api/hours/{entry}/", None, MEMBERS),
    "post an update with before/after photos": ("post", "/api/status-updates/",
                                                {"group": "{group}", "body": "Gewied", "before": "photo",
                                                 "after": "photo"}, MEMBERS),
    # A closed group (its contract ended) stays readable and takes no new work from anyone.
    "post news in a closed group": ("post", "/api/news/", {"group": "{closed}", "title": "x", "body": "y"}, set()),
    "add a task in a closed group": ("post", "/api/tasks/", {"group": "{closed}", "title": "x"}, set()),
    "post an update in a closed group": ("post", "/api/status-updates/", {"group": "{closed}", "body": "y"}, set()),
    # What a resident does for themself. `third` is a group none of the personas is in or follows;
    # everyone logged in follows `group`, so each allowed call changes something.
    "follow a group": ("post", "/api/groups/{third}/follow/", {}, LOGGED_IN),
    "unfollow a group": ("post", "/api/groups/{group}/unfollow/", {}, LOGGED_IN),
    "join a group": ("post", "/api/groups/{third}/join/", {}, LOGGED_IN),
    "leave a group": ("post", "/api/groups/{group}/leave/", {}, {"volunteer"}),  # a manager leaves the contract
    "join a closed group": ("post", "/api/groups/{closed}/join/", {}, set()),
    "leave a closed group": ("post", "/api/groups/{closed}/leave/", {}, set()),
    # The signed link is the proof, whoever posts it (a mail client has no session).
    "unsubscribe by a mail's link": ("post", "/api/unsubscribe/", {"token": "{unsubscribe}"}, set(PERSONAS)),
    # Only ever the caller's own URL (no id names anyone else's); everyone logged in has one already.
    "make my calendar URL": ("post", "/api/calendar-key/", {}, LOGGED_IN),
    "renew my calendar URL": ("post", "/api/calendar-key/rotate/", {}, LOGGED_IN),
    "read my calendar URL": ("get", "/api/calendar-key/", None, LOGGED_IN),
    "stop my calendar URL": ("delete", "/api/calendar-key/", None, LOGGED_IN),
}  # fmt: skip
# Allowed and changing nothing: a URL made before comes back unchanged (tests/api/test_resident_actions.py
# sees one made).
UNCHANGING = {"make my calendar URL"}
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[3]]
ALLOWED = [(action, persona) for action, spec in ACTIONS.items() for persona in sorted(spec[3])]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 140, 60)).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(owner_a, owner_b, regisseur_a, outsider):
    manager, other_manager, volunteer = _user("manager_m"), _user("manager_other"), _user("volunteer_v")
    group = group_on(owner_a, manager)
    services.group_join(group=group, user=volunteer)
    group_on(owner_b, other_manager, x=130000, name="Andere groep")
    closed = group_on(owner_a, manager, x=140000, name="Afgelopen groep")
    services.group_join(group=closed, user=volunteer)
    services.group_archive(group=closed)
    thread = services.forum_thread_start(group=group, author=volunteer, title="Vraag", body="Wanneer?")
    open_task = services.task_add(group=group, user=manager, title="Bollen planten")
    taken = services.task_add(group=group, user=manager, title="Snoeien")
    services.task_take(task=taken, user=volunteer)
    today = timezone.localdate()
    entry = services.hours_log(group=group, user=volunteer, worked_on=today, hours=Decimal(2))
    third = group_on(owner_a, _user("manager_third"), x=150000, name="Derde groep")
    for user in (outsider, other_manager, regisseur_a):
        services.group_follow(group=group, user=user)
    users = {"outsider": outsider, "volunteer": volunteer, "other_manager": other_manager,
             "regisseur_a": regisseur_a, "manager": manager}  # fmt: skip
    for user in users.values():
        services.calendar_key_get(user=user)
    ids = {"group": group.pk, "closed": closed.pk, "third": third.pk, "thread": thread.pk,
           "open_task": open_task.pk, "taken_task": taken.pk, "entry": entry.pk, "today": today.isoformat(),
           "tomorrow": (today + dt.timedelta(days=1)).isoformat(),
           "unsubscribe": unsubscribe_token(group_id=group.pk, user_id=volunteer.pk)}  # fmt: skip
    return users, ids


def snapshot():
    return (
        list(NewsPost.objects.values_list("id", "group_id").order_by("id")),
        list(ForumThread.objects.values_list("id", "group_id").order_by("id")),
        list(ForumPost.objects.values_list("id", "thread_id").order_by("id")),
        list(AgendaItem.objects.values_list("id", "group_id").order_by("id")),
        list(Task.objects.values_list("id", "status", "taken_by_id", "done_at").order_by("id")),
        list(HourEntry.objects.values_list("id", "group_id", "hours").order_by("id")),
        list(StatusUpdate.objects.values_list("id", "group_id").order_by("id")),
        list(Photo.objects.values_list("id", "kind").order_by("id")),
        list(Follower.objects.values_list("group_id", "user_id").order_by("group_id", "user_id")),
        list(GroupMember.objects.values_list("group_id", "user_id", "role").order_by("group_id", "user_id")),
        list(CalendarKey.objects.values_list("user_id", "token").order_by("user_id")),
    )


def call(persona, users, action, ids):
    return api_call(
        ACTIONS[action],
        persona,
        users,
        ids,
        uploads={"photo": jpeg},
        multipart="/status-updates/" in ACTIONS[action][1],
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_group_action_answers_403_or_404_and_changes_nothing(world, action, persona) -> None:
    users, ids = world
    before = snapshot()
    answer = call(persona, users, action, ids)
    assert answer.status_code in (403, 404), (answer.status_code, getattr(answer, "data", None))
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), ALLOWED, ids=[f"{a}-{p}" for a, p in ALLOWED])
def test_the_allowed_personas_can_act(world, action, persona) -> None:
    users, ids = world
    before = snapshot()
    answer = call(persona, users, action, ids)
    assert answer.status_code in (200, 201, 204), (answer.status_code, getattr(answer, "data", None))
    if ACTIONS[action][0] != "get" and action not in UNCHANGING:
        assert snapshot() != before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "outsider", "other_manager", "regisseur_a"])
def test_hours_entries_are_for_the_group_s_members_only(world, persona) -> None:
    users, ids = world
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(users[persona])
    assert client.get("/api/hours/").data["results"] == []
    # The group's total is public, as on its page.
    assert client.get(f"/api/groups/{ids['group']}/").data["hours_total"] == "2.00"


@pytest.mark.django_db
def test_public_reads_name_nobody(world) -> None:
    users, ids = world
    client = APIClient()
    tasks = client.get(f"/api/tasks/?group={ids['group']}").data["results"]
    threads = client.get(f"/api/forum-threads/?group={ids['group']}").data["results"]
    assert {task["title"] for task in tasks} == {"Bollen planten", "Snoeien"}
    assert [thread["title"] for thread in threads] == ["Vraag"]
    text = str(tasks) + str(threads)
    assert "volunteer_v" not in text and "taken_by" not in text and "author" not in text
    assert all(task["mine"] is False for task in tasks)
