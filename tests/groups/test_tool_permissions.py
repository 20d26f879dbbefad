"""The group tools' permission matrix: every forbidden action for every persona answers 403 or 404
(an anonymous visitor is sent to log in, as on every group form) and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import (
    CalendarKey,
    Follower,
    ForumPost,
    Group,
    GroupMember,
    HourEntry,
    StatusUpdate,
    Task,
)
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square

PERSONAS = ["anonymous", "outsider", "follower", "volunteer", "manager", "other_manager", "regisseur_a", "staff"]


@pytest.fixture
def world(group: Group, manager: User, volunteer: User, owner_a: Owner, regisseur_a: User, outsider: User) -> dict:
    follower = _user("follower_f")
    services.group_follow(group=group, user=follower)
    other_manager = _user("other_manager")
    services.group_create(
        location=Location.objects.create(owner=owner_a, name="Elders", geometry=rd_square(121400, 487000, 20)),
        name="Elders groen",
        managers=[other_manager],
    )
    staff = User.objects.create_user(username="staff", email="staff@example.org", is_staff=True, is_superuser=True)
    task = services.task_add(
        group=group, user=manager, title="Maaien", due_on=timezone.localdate(), repeat_every=1, repeat_unit="weken"
    )
    services.task_take(task=task, user=volunteer)
    thread = services.forum_thread_start(group=group, author=manager, title="Compost", body="Waar laten we het?")
    post = services.forum_reply(thread=thread, author=follower, body="Bij het hek.")
    update = services.status_update_post(group=group, author=volunteer, body="Gemaaid")
    users = {
        "outsider": outsider,
        "follower": follower,
        "volunteer": volunteer,
        "manager": manager,
        "other_manager": other_manager,
        "regisseur_a": regisseur_a,
        "staff": staff,
    }
    return {"group": group, "task": task, "post": post, "update": update, "users": users}


def ids_of(world: dict) -> dict[str, object]:
    post = world["post"]
    return {
        "group": world["group"].pk,
        "task": world["task"].pk,
        "today": today(),
        "volunteer": world["users"]["volunteer"].pk,
        "thread": post.thread_id,
        "post": post.pk,
        "update": world["update"].pk,
    }


def today() -> str:
    return timezone.localdate().isoformat()


# action: (url template, form data, personas allowed)
ACTIONS: dict[str, tuple[str, dict[str, str], set[str]]] = {
    "add a recurring task": (
        "/groepen/{group}/taken/",
        {"title": "Schoffelen", "due_on": "2030-01-01", "repeat_every": "1", "repeat_unit": "weken"},
        {"manager"},
    ),
    "log hours": ("/groepen/{group}/uren/", {"worked_on": "{today}", "hours": "1"}, {"manager", "volunteer"}),
    "finish someone else's recurring task": ("/groepen/{group}/taken/{task}/klaar/", {}, {"manager", "volunteer"}),
    # A manager's role comes with the contract: they withdraw from that, not from the group.
    "stop as volunteer": ("/groepen/{group}/stoppen/", {}, {"volunteer"}),
    "take a volunteer out of the group": ("/groepen/{group}/leden/{volunteer}/verwijderen/", {}, {"manager"}),
    "hide a forum post": ("/groepen/{group}/forum/{thread}/berichten/{post}/verbergen/", {}, {"manager"}),
    "delete a volunteer's status update": (
        "/groepen/{group}/updates/{update}/verwijderen/",
        {},
        {"manager", "volunteer"},
    ),
}
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[2]]


def snapshot() -> tuple[Any, ...]:
    return (
        list(Task.objects.values_list("id", "status", "done_at").order_by("id")),
        HourEntry.objects.count(),
        Follower.objects.count(),
        list(CalendarKey.objects.values_list("user_id", "token").order_by("user_id")),
        list(GroupMember.objects.values_list("group_id", "user_id", "role").order_by("group_id", "user_id")),
        list(ForumPost.objects.values_list("id", "hidden_at").order_by("id")),
        list(StatusUpdate.objects.values_list("id", flat=True).order_by("id")),
    )


def client_for(persona: str, users: dict[str, User]) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_group_tool_action_is_refused_and_changes_nothing(world: dict, action: str, persona: str) -> None:
    url, data, _allowed = ACTIONS[action]
    ids = ids_of(world)
    before = snapshot()
    response = client_for(persona, world["users"]).post(
        url.format(**ids), {k: v.format(**ids) for k, v in data.items()}
    )
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code in (403, 404), (action, persona, response.status_code)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_allowed_personas_can_act(world: dict, action: str) -> None:
    url, data, allowed = ACTIONS[action]
    ids = ids_of(world)
    persona = sorted(allowed)[0]
    before = snapshot()
    response = client_for(persona, world["users"]).post(
        url.format(**ids), {k: v.format(**ids) for k, v in data.items()}
    )
    assert response.status_code == 302 and not response["Location"].startswith("/accounts/login/")
    assert snapshot() != before  # the allowed persona's action does change something, so the matrix can fail


@pytest.mark.django_db
def test_nobody_reads_anothers_personal_calendar_nor_unsubscribes_them(world: dict) -> None:
    users = world["users"]
    group = world["group"]
    services.calendar_key_get(user=users["volunteer"])
    services.agenda_add(
        group=group, user=users["manager"], title="Geheim?", starts_at=timezone.now() + timedelta(days=1)
    )
    before = snapshot()
    for persona in PERSONAS:
        client = client_for(persona, users)
        # Without the token there is nothing to ask for: the URL is the only key.
        assert client.get("/agenda/.ics").status_code == 404
        assert client.get("/agenda/" + "x" * 43 + ".ics").status_code == 404
        assert client.post("/groepen/afmelden/bad-token/").status_code == 400
    assert snapshot() == before


@pytest.mark.django_db
def test_an_anonymous_visitor_cannot_make_a_personal_calendar_link(world: dict) -> None:
    response = Client().post("/agenda/link/", {"next": "/"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not CalendarKey.objects.exists()


@pytest.mark.django_db
def test_the_calendar_link_form_needs_the_csrf_token(world: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["volunteer"])
    assert client.post("/agenda/link/", {"next": "/"}).status_code == 403
    assert not CalendarKey.objects.exists()
