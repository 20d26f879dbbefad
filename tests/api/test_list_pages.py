"""Every JSON list is paged the same way: contracts, initiatives and terms grow with the data."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.api.pagination import Pages
from gis_service.owners.models import Owner
from tests.contracts.factories import offered_location, sign_up


def _client(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_contracts_and_terms_come_in_pages_with_the_count_and_the_next_page(
    owner_a: Owner, regisseur_a: User, resident: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pages, "page_size", 2)
    for i in range(3):
        sign_up(offered_location(owner=owner_a, regisseur=regisseur_a, x=140000 + 100 * i), resident)

    contracts = _client(regisseur_a).get("/api/contracts/").json()
    assert contracts["count"] == 3 and len(contracts["results"]) == 2
    rest = _client(regisseur_a).get(contracts["next"]).json()
    assert [c["id"] for c in contracts["results"] + rest["results"]] == sorted(
        c["id"] for c in contracts["results"] + rest["results"]
    )
    assert rest["next"] is None and len(rest["results"]) == 1

    terms = _client().get("/api/terms/").json()
    assert terms["count"] == 3 and len(terms["results"]) == 2 and terms["next"].endswith("/api/terms/?page=2")


@pytest.mark.django_db
def test_a_client_asks_for_bigger_pages_up_to_the_maximum(
    owner_a: Owner, regisseur_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pages, "max_page_size", 3)
    for i in range(5):
        offered_location(owner=owner_a, regisseur=regisseur_a, x=140000 + 100 * i)
    assert len(_client().get("/api/terms/?page_size=4").json()["results"]) == 3
    assert len(_client().get("/api/terms/?page_size=2").json()["results"]) == 2


@pytest.mark.django_db
def test_the_initiative_list_is_paged_too(resident: User) -> None:
    assert _client(resident).get("/api/initiatives/").json() == {
        "count": 0, "next": None, "previous": None, "results": [],
    }  # fmt: skip
