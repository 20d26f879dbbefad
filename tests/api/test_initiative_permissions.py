"""The permission matrix of open initiatives: every forbidden action for every persona answers 403
or 404 and changes nothing — anonymous, a resident, another initiative's initiator, the professional
and the regisseur of another owner, a supporter not asked, a GIS admin, platform staff. The web
forms are checked the same way (an anonymous visitor is sent to log in there, and nothing changes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.accounts.models import Membership, User
from gis_service.initiatives import services
from gis_service.initiatives.models import HelpOffer, InitiativePost
from gis_service.support import services as support_services
from gis_service.support.models import SupportRequest
from tests.api.matrix import api_call, fill
from tests.conftest import _user
from tests.initiatives.factories import filed_initiative, professional_of
from tests.support.factories import gardener

PERSONAS = ["anonymous", "resident", "other_initiator", "professional_b", "regisseur_b", "other_supporter",
            "gis_admin_a", "staff"]  # fmt: skip
LOGGED_IN = set(PERSONAS) - {"anonymous"}

# action: (method, url template, body, personas allowed to do it)
ACTIONS = {
    "post in the discussion": ("post", "/api/initiative-posts/", {"initiative": "{initiative}", "body": "Hoi"},
                               LOGGED_IN | {"initiator", "professional_a", "regisseur_a", "supporter"}),
    "post on a rejected initiative": ("post", "/api/initiative-posts/",
                                      {"initiative": "{rejected}", "body": "Hoi"}, set()),
    "hide a post": ("post", "/api/initiative-posts/{post}/hide/", {"reason": "Reclame"}, {"regisseur_a"}),
    "read a hidden post": ("get", "/api/initiative-posts/{hidden}/", None, {"regisseur_a"}),
    "offer help": ("post", "/api/help-offers/", {"initiative": "{initiative}", "function": "groenadviseur",
                                                 "offer": "Advies"}, {"professional_a"}),
    "offer help on a rejected initiative": ("post", "/api/help-offers/", {"initiative": "{rejected}",
                                            "function": "groenadviseur", "offer": "Advies"}, set()),
    "ask support for the initiative": ("post", "/api/support-requests/", {
        "initiative": "{initiative}", "supporter": "{supporter}", "kind": "advies", "wanted_on": "{tomorrow}",
        "message": "Hulp gevraagd"}, {"initiator"}),
    "read the initiative's request": ("get", "/api/support-requests/{asked}/", None,
                                      {"initiator", "regisseur_a", "supporter"}),
    "accept the initiative's request": ("post", "/api/support-requests/{asked}/accept/", {}, {"supporter"}),
    "pay the initiative's request": ("post", "/api/support-requests/{accepted}/spend/", {"vouchers": 1}, set()),
}  # fmt: skip
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[3]]

# The same for the web forms: (url template, body, personas allowed).
WEB_ACTIONS = {
    "hide a post": ("/initiatief/{initiative}/berichten/{post}/verbergen/", {"reason": "Reclame"}, {"regisseur_a"}),
    "offer help": ("/initiatief/{initiative}/hulp/", {"function": "groenadviseur", "offer": "Advies"},
                   {"professional_a"}),
    "ask support": ("/initiatief/{initiative}/ondersteuning/", {"supporter": "{supporter}", "kind": "advies",
                    "wanted_on": "{tomorrow}", "message": "Hulp"}, {"initiator"}),
    "grant the professional role": ("/regisseur/professionals/", {"owner": "{owner_a}",
                                    "email": "resident_one@example.org"}, {"regisseur_a"}),
    "revoke the professional role": ("/regisseur/professionals/{owner_a}/{professional_a}/intrekken/", {},
                                     {"regisseur_a"}),
}  # fmt: skip
WEB_CASES = [(a, p) for a, spec in WEB_ACTIONS.items() for p in PERSONAS if p not in spec[2]]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(owner_a, owner_b, regisseur_a, regisseur_b, gis_admin_a, resident):
    initiator, other_initiator = _user("initiator_i", first_name="Ina"), _user("initiator_other")
    initiative = filed_initiative(owner_a, initiator)
    filed_initiative(owner_a, other_initiator, x=123000)
    rejected = filed_initiative(owner_a, initiator, x=124000)
    services.initiative_reject(initiative=rejected, by=regisseur_a, reason="Hier komt een fietspad.")
    supporter = gardener(owner_a, regisseur_a, _user("hovenier_h"))
    other = gardener(owner_b, regisseur_b, _user("hovenier_other"))
    post = services.initiative_post_create(initiative=initiative, author=resident, body="Mooi plan")
    hidden = services.initiative_post_create(initiative=initiative, author=resident, body="Reclame")
    services.initiative_post_hide(post=hidden, by=regisseur_a, reason="Reclame")
    day = timezone.localdate() + dt.timedelta(days=1)
    ask = {"kind": "advies", "wanted_on": day, "message": "Vraag"}
    asked = support_services.support_ask_for_initiative(initiative=initiative, supporter=supporter, by=initiator, **ask)
    accepted = support_services.support_ask_for_initiative(
        initiative=initiative, supporter=supporter, by=initiator, **ask
    )
    support_services.support_answer(request=accepted, by=supporter.user, accept=True)
    staff = User.objects.create_user(username="staff", email="staff@example.org", is_staff=True)
    users = {"resident": resident, "initiator": initiator, "other_initiator": other_initiator,
             "professional_a": professional_of(owner_a), "professional_b": professional_of(owner_b, "consulent_b"),
             "regisseur_a": regisseur_a, "regisseur_b": regisseur_b, "supporter": supporter.user,
             "other_supporter": other.user, "gis_admin_a": gis_admin_a, "staff": staff}  # fmt: skip
    ids = {"initiative": initiative.pk, "rejected": rejected.pk, "post": post.pk, "hidden": hidden.pk,
           "supporter": supporter.pk, "asked": asked.pk, "accepted": accepted.pk, "tomorrow": day.isoformat(),
           "owner_a": owner_a.pk, "professional_a": users["professional_a"].pk}  # fmt: skip
    return users, ids


def snapshot():
    return (
        list(InitiativePost.objects.values_list("id", "body", "hidden_at", "hidden_reason").order_by("id")),
        list(HelpOffer.objects.values_list("id", "professional_id").order_by("id")),
        list(SupportRequest.objects.values_list("id", "status", "answered_at").order_by("id")),
        list(Membership.objects.values_list("user_id", "owner_id", "role").order_by("id")),
    )


def call(persona, users, action, ids):
    return api_call(ACTIONS[action], persona, users, ids)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_initiative_action_answers_403_or_404_and_changes_nothing(world, action, persona) -> None:
    users, ids = world
    before = snapshot()
    answer = call(persona, users, action, ids)
    assert answer.status_code in (403, 404), (answer.status_code, getattr(answer, "data", None))
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_allowed_personas_can_act(world, action) -> None:
    users, ids = world
    for persona in sorted(ACTIONS[action][3]):
        answer = call(persona, users, action, ids)
        assert answer.status_code in (200, 201), (action, persona, getattr(answer, "data", None))


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), WEB_CASES, ids=[f"web {a}-{p}" for a, p in WEB_CASES])
def test_a_forbidden_web_action_is_refused_and_changes_nothing(world, action, persona) -> None:
    users, ids = world
    url, body, _ = WEB_ACTIONS[action]
    client = Client(enforce_csrf_checks=False)
    if persona != "anonymous":
        client.force_login(users[persona])
    before = snapshot()
    answer = client.post(fill(url, ids), fill(body, ids))
    if persona == "anonymous":
        assert answer.status_code == 302 and answer["Location"].startswith(settings.LOGIN_URL)
    else:
        assert answer.status_code in (403, 404), answer.status_code
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(WEB_ACTIONS))
def test_the_allowed_personas_can_act_on_the_web(world, action) -> None:
    users, ids = world
    url, body, allowed = WEB_ACTIONS[action]
    for persona in allowed:
        client = Client()
        client.force_login(users[persona])
        before = snapshot()
        answer = client.post(fill(url, ids), fill(body, ids))
        assert answer.status_code == 302, (action, persona, answer.status_code)
        assert snapshot() != before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_hold_no_hidden_post_and_no_request_that_is_not_theirs(world, persona) -> None:
    users, ids = world
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(users[persona])
    posts = client.get(f"/api/initiative-posts/?initiative={ids['initiative']}")
    assert [row["id"] for row in posts.data["results"]] == [ids["post"]]
    requests = client.get("/api/support-requests/")
    if persona == "anonymous":
        assert requests.status_code == 403
        return
    assert all(row["initiative"] != ids["initiative"] for row in requests.data["results"])
