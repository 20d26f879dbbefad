"""The permission matrix of self-chosen support: every forbidden action for every persona answers
403 or 404 and changes nothing — anonymous, a resident, the manager of another group, the
supporter of another request, the regisseur of another owner, a volunteer of the group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.support import services
from gis_service.support.models import AllowedSupporter, LedgerEntry, Supporter, SupportRequest
from tests.api.matrix import api_call
from tests.conftest import _user
from tests.support.factories import gardener, group_on

PERSONAS = ["anonymous", "resident", "volunteer", "other_manager", "other_supporter", "regisseur_b"]
ALL = {*PERSONAS, "manager", "supporter", "regisseur_a"}

# action: (method, url template, body, personas allowed to do it)
ACTIONS = {
    "add a supporter to the pool": ("post", "/api/supporters/", {
        "owner": "aadorp", "email": "candidate@example.org", "name": "Kandidaat", "kind": "groenadviseur",
        "offers": ["advies"], "price_kind": "gratis"}, {"regisseur_a"}),
    "allow a supporter": ("post", "/api/supporters/{other_supporter}/allow/", {"owner": "aadorp"}, {"regisseur_a"}),
    "disallow a supporter": ("post", "/api/supporters/{supporter}/disallow/", {"owner": "aadorp"}, {"regisseur_a"}),
    "ask for support": ("post", "/api/support-requests/", {
        "group": "{group}", "supporter": "{supporter}", "kind": "handen", "wanted_on": "{tomorrow}",
        "message": "Hulp gevraagd"}, {"manager"}),
    "read a request": ("get", "/api/support-requests/{asked}/", None, {"manager", "supporter", "regisseur_a"}),
    "accept a request": ("post", "/api/support-requests/{asked}/accept/", {}, {"supporter"}),
    "decline a request": ("post", "/api/support-requests/{asked}/decline/", {"answer": "nee"}, {"supporter"}),
    "spend vouchers": ("post", "/api/support-requests/{accepted}/spend/", {"vouchers": 1}, {"manager"}),
    "spend budget": ("post", "/api/support-requests/{accepted}/spend/", {"hours": "1"}, {"manager"}),
    "issue vouchers": ("post", "/api/vouchers/", {"group": "{group}", "unit": "voucher", "amount": "3"},
                       {"regisseur_a"}),
    "read the balance": ("get", "/api/vouchers/balance/?group={group}", None, {"manager", "regisseur_a"}),
}  # fmt: skip
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[3]]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(owner_a, owner_b, regisseur_a, regisseur_b, resident):
    manager, other_manager = _user("manager_m"), _user("manager_other")
    volunteer = _user("volunteer_v")
    _user("candidate")
    group = group_on(owner_a, manager)
    group.members.create(user=volunteer, role="vrijwilliger")
    other_group = group_on(owner_b, other_manager, x=130000, name="Andere groep")
    supporter = gardener(owner_a, regisseur_a, _user("hovenier_h"))
    other = gardener(owner_b, regisseur_b, _user("hovenier_other"))
    day = timezone.localdate() + dt.timedelta(days=1)
    ask = {"kind": "advies", "wanted_on": day, "message": "Vraag"}
    asked = services.support_ask(group=group, supporter=supporter, by=manager, **ask)
    accepted = services.support_ask(group=group, supporter=supporter, by=manager, **ask)
    services.support_answer(request=accepted, by=supporter.user, accept=True)
    services.support_ask(group=other_group, supporter=other, by=other_manager, **ask)  # the other supporter's own
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(5), by=regisseur_a)
    services.vouchers_issue(group=group, unit="euro", amount=Decimal(100), by=regisseur_a)
    users = {"resident": resident, "volunteer": volunteer, "other_manager": other_manager,
             "other_supporter": other.user, "regisseur_b": regisseur_b, "manager": manager,
             "supporter": supporter.user, "regisseur_a": regisseur_a}  # fmt: skip
    ids = {"group": group.pk, "supporter": supporter.pk, "other_supporter": other.pk, "asked": asked.pk,
           "accepted": accepted.pk, "tomorrow": day.isoformat()}  # fmt: skip
    return users, ids


def snapshot():
    return (
        list(Supporter.objects.values_list("id", "user_id", "name", "is_active").order_by("id")),
        list(AllowedSupporter.objects.values_list("owner_id", "supporter_id").order_by("id")),
        list(SupportRequest.objects.values_list("id", "status", "answer", "answered_at").order_by("id")),
        list(LedgerEntry.objects.values_list("id", "group_id", "unit", "amount").order_by("id")),
    )


def call(persona, users, action, ids):
    return api_call(ACTIONS[action], persona, users, ids)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_support_action_answers_403_or_404_and_changes_nothing(world, action, persona) -> None:
    users, ids = world
    before = snapshot()
    answer = call(persona, users, action, ids)
    assert answer.status_code in (403, 404), (answer.status_code, getattr(answer, "data", None))
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_allowed_personas_can_act(world, action) -> None:
    users, ids = world
    for persona in ACTIONS[action][3]:
        answer = call(persona, users, action, ids)
        assert answer.status_code in (200, 201, 204), (action, persona, getattr(answer, "data", None))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_hold_nothing_of_a_group_that_is_not_theirs(world, persona) -> None:
    users, ids = world
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(users[persona])
    requests = client.get("/api/support-requests/")
    vouchers = client.get(f"/api/vouchers/?group={ids['group']}")
    if persona == "anonymous":
        assert requests.status_code == vouchers.status_code == 403
        return
    assert all(row["group"] != ids["group"] for row in requests.data["results"])
    assert vouchers.data["results"] == []


@pytest.mark.django_db
def test_the_public_pool_shows_no_contact_details(world) -> None:
    answer = APIClient().get("/api/supporters/?kind=advies&owner=aadorp")
    assert answer.status_code == 200
    (card,) = answer.data["results"]
    assert set(card) == {"id", "name", "organisation", "kind", "offers", "description", "areas", "price_kind",
                         "price_eur"}  # fmt: skip
    assert "@" not in str(answer.content)
