"""Feed fixtures: a few locations of two owners in RD New, and a JSON client for /ogc/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.groups.models import Group
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


@dataclass
class Feed:
    """The locations the tests publish: 25 of owner A on a grid near Hilversum (every 7th in beheer),
    5 of owner B, 1 withdrawn."""

    owner_a: Owner
    owner_b: Owner
    locations_a: list[Location]
    locations_b: list[Location]
    withdrawn: Location
    contracts: list[Contract]  # the active ones that make every 7th location of owner A in beheer

    @property
    def current(self) -> list[Location]:
        return self.locations_a + self.locations_b


def under_contract(location: Location) -> Contract:
    """Gives `location` an active contract (and the offering it needs), so the status rule
    (gis_service/locations/sql/status.sql) says it is in beheer."""
    offering = Offering.objects.create(location=location, conditions="Geen gif.")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="Voorwaarden")
    return Contract.objects.create(
        location=location, geometry=location.geometry, terms_version=terms,
        status=Contract.Status.ACTIVE, starts_on=date.today(),
    )  # fmt: skip


def make_feed(owner_a: Owner, owner_b: Owner) -> Feed:
    types = ["gras", "heesters", "bosplantsoen", "haag", "bloemperk"]
    locations_a = [
        Location.objects.create(
            owner=owner_a,
            name=f"Plantsoen {i:02d}",
            type=types[i % 5],
            # 10 m squares 100 m apart, at (140000 + 100 i, 470000 + 100 j): exact to the mm
            geometry=rd_square(140000.123 + 100 * (i % 5), 470000.456 + 100 * (i // 5), 10 + i),
        )
        for i in range(25)
    ]
    contracts = [under_contract(location) for i, location in enumerate(locations_a) if i % 7 == 0]
    locations_a = [Location.objects.get(pk=location.pk) for location in locations_a]
    locations_b = [
        Location.objects.create(
            owner=owner_b, name=f"Binnentuin {i}", type="binnentuin", geometry=rd_square(150000 + 50 * i, 480000, 20)
        )
        for i in range(5)
    ]
    withdrawn = Location.objects.create(
        owner=owner_a,
        name="Verdwenen plantsoen",
        type="gras",
        geometry=rd_square(140000, 470000, 5),
        withdrawn_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return Feed(owner_a, owner_b, locations_a, locations_b, withdrawn, contracts)


def add_workflow(feed: Feed, resident: User) -> tuple[Contract, Initiative]:
    """An offering with terms, an active contract with its group, and an approved initiative."""
    contract = feed.contracts[0]  # on locations_a[0]
    terms = contract.terms_version
    Group.objects.create(location=feed.locations_a[0], contract=contract, name="Groep Plantsoen 00")
    other = Contract.objects.create(
        location=feed.locations_a[1], geometry=feed.locations_a[1].geometry, terms_version=terms,
        status=Contract.Status.ACTIVE, starts_on=date.today(),
    )  # fmt: skip
    initiative = Initiative.objects.create(
        owner=feed.owner_a, geometry=feed.locations_a[1].geometry, description="Moestuin", created_by=resident,
        status=Initiative.Status.APPROVED, contract=other, location=feed.locations_a[1],
    )  # fmt: skip
    initiative.initiators.add(resident)
    return contract, initiative


@pytest.fixture
def feed(owner_a: Owner, owner_b: Owner) -> Feed:
    return make_feed(owner_a, owner_b)


class OgcClient:
    """Django's test client, speaking JSON to /ogc/."""

    def __init__(self) -> None:
        self.client = Client(HTTP_HOST="127.0.0.1")

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(f"/ogc{path}", params or {}, headers={"Accept": "application/json", **headers})

    def json(self, path: str, params: dict[str, Any] | None = None, status: int = 200, **headers: str) -> Any:
        response = self.get(path, params, **headers)
        assert response.status_code == status, response.content[:500]
        return json.loads(response.content)

    def follow(self, url: str) -> Any:
        """GET an absolute link the feed gave out."""
        path = url.split("127.0.0.1", 1)[1]
        response = self.client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 200, response.content[:500]
        return json.loads(response.content)


@pytest.fixture
def ogc() -> OgcClient:
    return OgcClient()


def next_link(document: dict[str, Any]) -> str | None:
    return next((link["href"] for link in document.get("links", []) if link["rel"] == "next"), None)
