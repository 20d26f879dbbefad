"""The contract list costs a fixed number of queries, however many contracts it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.owners.models import Owner

from .factories import offered_location, sign_up


def _queries_for_list(user: User) -> tuple[int, list[dict[str, object]]]:
    client = APIClient()
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/contracts/")
    assert answer.status_code == 200
    body = answer.json()
    return len(captured), body["results"] if isinstance(body, dict) else body


@pytest.mark.django_db
def test_the_contract_list_does_not_ask_per_contract(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    for i in range(2):
        sign_up(offered_location(owner=owner_a, regisseur=regisseur_a, x=140000 + 100 * i), resident)
    few, contracts = _queries_for_list(regisseur_a)
    assert len(contracts) == 2
    for i in range(2, 8):
        location = offered_location(owner=owner_a, regisseur=regisseur_a, x=140000 + 100 * i)
        sign_up(location, resident)
        sign_up(location, resident_two)
    many, contracts = _queries_for_list(regisseur_a)
    assert len(contracts) == 8
    assert many == few
    # The regisseur still sees who signed and whether they accepted the current terms.
    assert {manager["name"] for manager in contracts[-1]["managers"]} == {
        resident.get_full_name() or resident.username,
        resident_two.get_full_name() or resident_two.username,
    }
    assert all(manager["has_accepted_current_terms"] for manager in contracts[-1]["managers"])


@pytest.mark.django_db
def test_a_manager_sees_how_many_managers_their_open_contract_has(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    """The count must not be narrowed by the visibility join (which matches only the viewer's signup)."""
    location = offered_location(owner=owner_a, regisseur=regisseur_a)
    sign_up(location, resident)
    sign_up(location, resident_two)
    _, contracts = _queries_for_list(resident)
    assert [contract["manager_count"] for contract in contracts] == [2]
