"""Ground that changed under a contract: the owner's regisseur takes the new shape, ends the
contract, or keeps it; each clears the flag, and nobody else can do any of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.contracts.services.ground import (
    contract_end_for_changed_ground,
    contract_keep_ground,
    contract_take_new_ground,
)
from gis_service.locations.models import Location
from gis_service.locations.services import location_change, location_ground_change_resolved
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import active_contract, offered_location, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(owner_a: Owner, regisseur_a: User, resident: User) -> Contract:
    """An active contract whose location was given new ground by an edit (flagged)."""
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0)
    location_change(location=contract.location, geometry=rd_square(0, 0, 30))
    assert Location.objects.get(pk=contract.location_id).ground_changed_at is not None
    return contract


def _flag(contract: Contract) -> Any:
    return Location.objects.get(pk=contract.location_id).ground_changed_at


def test_the_regisseur_takes_the_new_ground_into_the_contract(moved: Contract, regisseur_a: User) -> None:
    contract_take_new_ground(contract=moved, by=regisseur_a)
    moved.refresh_from_db()
    assert moved.geometry.area == pytest.approx(900)
    assert _flag(moved) is None
    assert moved.status == Contract.Status.ACTIVE


def test_taking_new_ground_onto_another_contract_is_refused_with_its_location_and_the_overlap(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User, moved: Contract
) -> None:
    neighbour = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident_two, x=25, y=0)
    with pytest.raises(ValidationError) as error:
        contract_take_new_ground(contract=moved, by=regisseur_a)
    message = " ".join(error.value.messages)
    assert f"lopend contract {neighbour.pk} ({neighbour.location.name})" in message
    assert "100 m²" in message  # 5 x 20 m of the neighbour's ground
    moved.refresh_from_db()
    assert moved.geometry.area == pytest.approx(400)  # unchanged
    assert _flag(moved) is not None  # still to resolve


def test_ground_gone_from_the_source_has_no_new_shape_to_take(moved: Contract, regisseur_a: User) -> None:
    Location.objects.filter(pk=moved.location_id).update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError, match="niet meer in de bron"):
        contract_take_new_ground(contract=moved, by=regisseur_a)
    assert _flag(moved) is not None


def test_the_regisseur_ends_the_contract_with_a_reason(moved: Contract, regisseur_a: User) -> None:
    with pytest.raises(ValidationError, match="reden"):
        contract_end_for_changed_ground(contract=moved, by=regisseur_a, reason=" ")
    assert _flag(moved) is not None  # the refusal rolled everything back
    contract_end_for_changed_ground(contract=moved, by=regisseur_a, reason="De strook wordt een fietspad.")
    moved.refresh_from_db()
    assert (moved.status, moved.end_reason, moved.ended_by) == (
        Contract.Status.ENDED,
        "De strook wordt een fietspad.",
        regisseur_a,
    )
    assert _flag(moved) is None


def test_a_waiting_contract_on_changed_ground_is_rejected_with_the_reason(
    owner_a: Owner, regisseur_a: User, resident: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=500, y=0)
    waiting = sign_up(location, resident)
    location_change(location=location, geometry=rd_square(500, 0, 10))
    contract_end_for_changed_ground(contract=waiting, by=regisseur_a, reason="De plek is kleiner geworden.")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.rejection_reason) == (Contract.Status.REJECTED, "De plek is kleiner geworden.")
    assert _flag(waiting) is None


def test_the_regisseur_keeps_the_contract_as_it_is(moved: Contract, regisseur_a: User) -> None:
    contract_keep_ground(contract=moved, by=regisseur_a)
    moved.refresh_from_db()
    assert moved.geometry.area == pytest.approx(400)
    assert moved.status == Contract.Status.ACTIVE
    assert _flag(moved) is None
    with pytest.raises(ValidationError, match="niet \\(meer\\) als veranderd"):
        contract_keep_ground(contract=moved, by=regisseur_a)


@pytest.mark.parametrize("who", ["resident", "regisseur_b", "gis_admin_a"])
def test_only_the_owners_regisseur_resolves_and_others_change_nothing(
    moved: Contract, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    for resolve in (
        lambda: contract_take_new_ground(contract=moved, by=user),
        lambda: contract_end_for_changed_ground(contract=moved, by=user, reason="Weg ermee."),
        lambda: contract_keep_ground(contract=moved, by=user),
        lambda: location_ground_change_resolved(location=moved.location, by=user),
    ):
        with pytest.raises(PermissionDenied):
            resolve()
    moved.refresh_from_db()
    assert moved.status == Contract.Status.ACTIVE and moved.geometry.area == pytest.approx(400)
    assert _flag(moved) is not None
