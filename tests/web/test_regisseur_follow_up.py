"""The regisseur's dashboard follows up: running contracts, those ending soon with their renewal
action, ended ones with reason and who; flagged ground resolved from the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.timezone import localdate

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.contracts.services.lifecycle import contract_end_early
from gis_service.locations.models import Location
from gis_service.locations.services import location_change
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import active_contract
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _running(owner: Owner, regisseur: User, manager: User, x: float, days_left: int) -> Contract:
    return active_contract(
        owner=owner, regisseur=regisseur, manager=manager, x=x, y=0,
        starts_on=localdate() - dt.timedelta(days=200), ends_on=localdate() + dt.timedelta(days=days_left),
    )  # fmt: skip


def test_running_ending_and_ended_contracts_of_the_own_owner(
    owner_a: Owner, owner_b: Owner, regisseur_a: User, regisseur_b: User, resident: User
) -> None:
    running = _running(owner_a, regisseur_a, resident, 0, days_left=200)
    ending = _running(owner_a, regisseur_a, resident, 100, days_left=10)
    ended = _running(owner_a, regisseur_a, resident, 200, days_left=50)
    contract_end_early(contract=ended, by=resident, reason="We verhuizen naar Zwolle.")
    theirs = _running(owner_b, regisseur_b, resident, 300, days_left=200)

    response = logged_in(regisseur_a).get("/regisseur/")
    text = response.content.decode()
    assert f'id="running-{running.pk}"' in text and f'id="running-{ending.pk}"' not in text
    assert f'id="ending-{ending.pk}"' in text
    assert (
        f'action="/contracten/{ending.pk}/verlengen/"' in text
        and f'action="/contracten/{ending.pk}/beeindigen/"' in text
    )
    assert f'id="ended-{ended.pk}"' in text and "We verhuizen naar Zwolle." in text and "Riet Eerste" in text
    assert theirs.location.name not in text


def test_following_up_asks_no_query_per_contract(owner_a: Owner, regisseur_a: User, resident: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in(regisseur_a).get("/regisseur/").status_code == 200
        return len(captured)

    _running(owner_a, regisseur_a, resident, 0, days_left=200)
    _running(owner_a, regisseur_a, resident, 100, days_left=10)
    few = queries()
    for i in range(4):
        _running(owner_a, regisseur_a, resident, 1000 + 100 * i, days_left=200)
        _running(owner_a, regisseur_a, resident, 2000 + 100 * i, days_left=10)
    assert queries() == few


@pytest.fixture
def flagged(owner_a: Owner, regisseur_a: User, resident: User) -> Contract:
    """A running contract whose location got new ground through an edit."""
    contract = _running(owner_a, regisseur_a, resident, 0, days_left=200)
    location_change(location=contract.location, geometry=rd_square(0, 0, 30))
    return contract


def _flag(contract: Contract) -> Any:
    return Location.objects.get(pk=contract.location_id).ground_changed_at


def test_the_ground_changed_section_shows_old_and_new_ground_on_a_map(flagged: Contract, regisseur_a: User) -> None:
    response = logged_in(regisseur_a).get("/regisseur/")
    text = response.content.decode()
    assert 'id="ground-changed"' in text and f'id="ground-{flagged.location_id}"' in text
    assert "nu 900 m²" in text and "getekend voor 400 m²" in text
    ((change, shapes),) = response.context["ground_changes"]
    assert [f["properties"]["kind"] for f in shapes["features"]] == ["new", "old"]


def test_ground_gone_from_the_source_says_so_and_offers_no_new_shape(flagged: Contract, regisseur_a: User) -> None:
    Location.objects.filter(pk=flagged.location_id).update(withdrawn_at=timezone.now())
    response = logged_in(regisseur_a).get("/regisseur/")
    text = response.content.decode()
    assert "Weg uit de bron" in text and "Nieuwe vorm overnemen" not in text
    ((change, shapes),) = response.context["ground_changes"]
    assert [f["properties"]["kind"] for f in shapes["features"]] == ["old"]


@pytest.mark.parametrize(
    ("resolution", "status", "area"),
    [("take", Contract.Status.ACTIVE, 900), ("keep", Contract.Status.ACTIVE, 400), ("end", Contract.Status.ENDED, 400)],
)
def test_the_regisseur_resolves_it_from_the_dashboard(
    flagged: Contract, regisseur_a: User, resolution: str, status: str, area: float
) -> None:
    client = logged_in(regisseur_a)
    response = client.post(
        f"/regisseur/grond/{flagged.location_id}/", {"resolution": resolution, "reason": "De strook is verlegd."}
    )
    assert response.status_code == 302 and response["Location"] == "/regisseur/#ground-changed"
    flagged.refresh_from_db()
    assert flagged.status == status and flagged.geometry.area == pytest.approx(area)
    assert _flag(flagged) is None
    assert f'id="ground-{flagged.location_id}"' not in client.get("/regisseur/").content.decode()


def test_ending_without_a_reason_is_refused_and_keeps_the_flag(flagged: Contract, regisseur_a: User) -> None:
    client = logged_in(regisseur_a)
    response = client.post(f"/regisseur/grond/{flagged.location_id}/", {"resolution": "end"}, follow=True)
    assert "Geef een reden voor het beëindigen." in response.content.decode()
    assert _flag(flagged) is not None and Contract.objects.get(pk=flagged.pk).status == Contract.Status.ACTIVE


def test_taking_ground_that_overlaps_another_contract_says_which_and_how_much(
    flagged: Contract, owner_a: Owner, regisseur_a: User, resident_two: User
) -> None:
    neighbour = _running(owner_a, regisseur_a, resident_two, 25, days_left=200)
    response = logged_in(regisseur_a).post(
        f"/regisseur/grond/{flagged.location_id}/", {"resolution": "take"}, follow=True
    )
    text = response.content.decode()
    assert f"100 m² met lopend contract {neighbour.pk} ({neighbour.location.name})" in text
    assert "DETAIL" not in text
    assert _flag(flagged) is not None


@pytest.mark.parametrize("who", ["resident", "regisseur_b", "gis_admin_a"])
def test_others_get_403_and_change_nothing(flagged: Contract, who: str, request: pytest.FixtureRequest) -> None:
    client = logged_in(request.getfixturevalue(who))
    for resolution in ("take", "keep", "end"):
        response = client.post(f"/regisseur/grond/{flagged.location_id}/", {"resolution": resolution, "reason": "x"})
        assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.status == Contract.Status.ACTIVE and flagged.geometry.area == pytest.approx(400)
    assert _flag(flagged) is not None


def test_a_location_that_does_not_exist_is_404(regisseur_a: User) -> None:
    assert logged_in(regisseur_a).post("/regisseur/grond/999999/", {"resolution": "keep"}).status_code == 404


def test_resolving_needs_a_post(flagged: Contract, regisseur_a: User) -> None:
    assert logged_in(regisseur_a).get(f"/regisseur/grond/{flagged.location_id}/").status_code == 405
