"""The regisseur resolves ground that changed under a contract (issue 10).

A sync or an edit that moves or removes a location's ground flags it
(`locations.services.locations_ground_changed`) and leaves the contract on the ground it was
signed for. The regisseur then takes the new shape into the contract, ends the contract, or keeps
it as it is; each clears the flag through `locations.services.location_ground_change_resolved`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gis_service.contracts.models import Contract
from gis_service.contracts.services.decisions import conflict_error, conflicts_for, contract_reject, overlap_refusal
from gis_service.contracts.services.lifecycle import contract_end_early
from gis_service.contracts.services.rules import require_regisseur
from gis_service.locations.models import Location
from gis_service.locations.services import location_ground_change_resolved

# The contracts whose ground a flag can concern: those the protector keeps ground for.
UNDER_CONTRACT = (Contract.Status.OPEN, Contract.Status.ACTIVE)


def _locked(contract: Contract, by: Any) -> tuple[Contract, Location]:
    """The contract and its location, locked, after checking who asks and that the flag is still up."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    # Race: a re-sync moving the ground again while the regisseur takes it; the lock orders them.
    location = Location.objects.select_for_update().get(pk=contract.location_id)
    contract.location = location
    require_regisseur(by, location.owner_id)
    if location.ground_changed_at is None:
        raise ValidationError({"location": _("De grond van deze plek is niet (meer) als veranderd gemarkeerd.")})
    if contract.status not in UNDER_CONTRACT:
        raise ValidationError({"status": _("Dit contract loopt niet (meer).")})
    return contract, location


@transaction.atomic
def contract_take_new_ground(*, contract: Contract, by: Any) -> Contract:
    """The contract takes the location's new ground; the overlap rule has the last word."""
    contract, location = _locked(contract, by)
    if location.withdrawn_at is not None:
        raise ValidationError(
            {"geometry": _("De plek staat niet meer in de bron: er is geen nieuwe vorm om over te nemen.")}
        )
    if contract.status == Contract.Status.ACTIVE:
        assert contract.starts_on is not None  # an active contract has a start (a database constraint)
        conflicts = conflicts_for(geometry=location.geometry, start=contract.starts_on, end=contract.ends_on,
                                  exclude_contract=contract.pk)  # fmt: skip
        if conflicts:
            raise conflict_error(conflicts)
    contract.geometry = location.geometry
    try:
        with transaction.atomic():
            contract.save(update_fields=["geometry", "updated_at"])
    except IntegrityError as exc:
        # Race: overlapping ground was approved for another contract while we checked.
        refusal = overlap_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc
    location_ground_change_resolved(location=location, by=by)
    return contract


@transaction.atomic
def contract_end_for_changed_ground(*, contract: Contract, by: Any, reason: str) -> Contract:
    """Ends a running contract (rejects a waiting one) whose ground changed, with the reason managers get."""
    contract, location = _locked(contract, by)
    if contract.status == Contract.Status.ACTIVE:
        contract = contract_end_early(contract=contract, by=by, reason=reason)
    else:
        contract = contract_reject(contract=contract, by=by, reason=reason)
    location_ground_change_resolved(location=location, by=by)
    return contract


@transaction.atomic
def contract_keep_ground(*, contract: Contract, by: Any) -> Contract:
    """The contract keeps the ground it was signed for; only the flag is cleared."""
    contract, location = _locked(contract, by)
    location_ground_change_resolved(location=location, by=by)
    return contract
