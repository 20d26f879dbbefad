"""The permission matrix of budgets and accounts: every forbidden action for every persona answers
403 or 404 and changes nothing — anonymous, a resident, a volunteer of the group, the manager of
another group, the regisseur of another owner, and the group's own manager and regisseur where the
action belongs to the other one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.budgets import services
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from tests.api.matrix import api_call
from tests.budgets.factories import pdf_receipt, photo_receipt
from tests.conftest import _user
from tests.support.factories import group_on

PERSONAS = ["anonymous", "resident", "volunteer", "other_manager", "regisseur_b", "manager", "regisseur_a"]
TODAY = "{today}"

# action: (method, url template, body, personas allowed to do it)
ACTIONS = {
    "grant a budget": ("post", "/api/grants/", {"group": "{group}", "amount": "100", "purpose": "Bollen",
                                                "starts_on": TODAY, "ends_on": TODAY}, {"regisseur_a"}),
    "read a grant": ("get", "/api/grants/{grant}/", None, {"manager", "regisseur_a"}),
    "record an expense": ("post", "/api/expenses/", {"grant": "{grant}", "spent_on": TODAY, "amount": "12.50",
                                                     "description": "Bollen", "receipt": "photo"}, {"manager"}),
    "read an expense": ("get", "/api/expenses/{expense}/", None, {"manager", "regisseur_a"}),
    "download a receipt": ("get", "/api/expenses/{expense}/receipt/", None, {"manager", "regisseur_a"}),
    "reverse an expense": ("post", "/api/expenses/{expense}/reverse/", {"reason": "Dubbel"}, {"manager"}),
    "approve the accounts": ("post", "/api/grants/{grant}/approve/", {}, {"regisseur_a"}),
    "return the accounts": ("post", "/api/grants/{grant}/return/", {"reason": "Bon mist"}, {"regisseur_a"}),
    "export for finance": ("get", "/api/grants/export/?owner=aadorp", None, {"regisseur_a"}),
}  # fmt: skip
CASES = [(action, persona) for action, spec in ACTIONS.items() for persona in PERSONAS if persona not in spec[3]]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(owner_a, owner_b, regisseur_a, regisseur_b, resident):
    manager, other_manager = _user("manager_m"), _user("manager_other")
    volunteer = _user("volunteer_v")
    group = group_on(owner_a, manager)
    group.members.create(user=volunteer, role="vrijwilliger")
    other_group = group_on(owner_b, other_manager, x=130000, name="Andere groep")
    today = timezone.localdate()
    period = {"starts_on": today - dt.timedelta(days=30), "ends_on": today}
    grant = services.grant_create(group=group, by=regisseur_a, amount=Decimal(300), purpose="Planten", **period)
    expense = services.expense_record(grant=grant, by=manager, spent_on=today, amount=Decimal(40),
                                      description="Planten", receipt=pdf_receipt())  # fmt: skip
    other = services.grant_create(group=other_group, by=regisseur_b, amount=Decimal(50), purpose="Zaden", **period)
    services.expense_record(grant=other, by=other_manager, spent_on=today, amount=Decimal(5),
                            description="Zaden", receipt=photo_receipt())  # fmt: skip
    users = {"resident": resident, "volunteer": volunteer, "other_manager": other_manager,
             "regisseur_b": regisseur_b, "manager": manager, "regisseur_a": regisseur_a}  # fmt: skip
    ids = {"group": group.pk, "grant": grant.pk, "expense": expense.pk, "today": today.isoformat()}
    return users, ids


def snapshot():
    return (
        list(Grant.objects.values_list("id", "group_id", "amount", "starts_on", "ends_on").order_by("id")),
        list(Expense.objects.values_list("id", "grant_id", "amount", "receipt").order_by("id")),
        list(AccountsDecision.objects.values_list("id", "grant_id", "decision").order_by("id")),
    )


def call(persona, users, action, ids):
    return api_call(
        ACTIONS[action], persona, users, ids, uploads={"photo": photo_receipt}, multipart=action == "record an expense"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona"), CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_a_forbidden_budget_action_answers_403_or_404_and_changes_nothing(world, action, persona) -> None:
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
@pytest.mark.parametrize("persona", ["resident", "volunteer", "other_manager", "regisseur_b"])
def test_lists_hold_nothing_of_a_group_that_is_not_theirs(world, persona) -> None:
    users, ids = world
    client = APIClient()
    client.force_authenticate(users[persona])
    assert all(row["group"] != ids["group"] for row in client.get("/api/grants/").data["results"])
    assert all(row["grant"] != ids["grant"] for row in client.get("/api/expenses/").data["results"])


@pytest.mark.django_db
def test_a_pdf_receipt_is_a_download_with_our_type_and_never_cached(world) -> None:
    users, ids = world
    client = APIClient()
    client.force_authenticate(users["manager"])
    answer = client.get(f"/api/expenses/{ids['expense']}/receipt/")
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_export_neutralises_formulas_and_keeps_amounts_as_numbers(world) -> None:
    users, ids = world
    client = APIClient()
    client.force_authenticate(users["manager"])
    grant = Grant.objects.get(pk=ids["grant"])
    services.expense_record(grant=grant, by=users["manager"], spent_on=grant.ends_on, amount=Decimal("1.25"),
                            description='=HYPERLINK("http://evil")', receipt=photo_receipt())  # fmt: skip
    client.force_authenticate(users["regisseur_a"])
    answer = client.get("/api/grants/export/?owner=aadorp")
    text = answer.content.decode()
    assert answer["Content-Disposition"] == 'attachment; filename="budgetten-aadorp.csv"'
    assert "'=HYPERLINK" in text and ",1.25," in text and ",258.75," in text
