"""The regisseur's decisions on a contract: approve (activate) or reject."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gis_service.contracts.models import (
    Contract,
)
from gis_service.contracts.overlap import overlap_params, run_overlap_sql
from gis_service.contracts.selectors import (
    contract_managers,
)
from gis_service.contracts.services.rules import add_months, person_with_contact, require_regisseur, required_text
from gis_service.contracts.signals import contract_activated
from gis_service.core.dates import written_date
from gis_service.core.mail import by_language, send_after_commit
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import DrawnArea


def conflicts_for(
    *, geometry: Any, start: dt.date, end: dt.date | None, exclude_contract: int | None = None
) -> list[dict[str, Any]]:
    """Active contracts sharing more than the tolerance with `geometry` in [start, end)."""
    area = DrawnArea(geometry=geometry, crs=geo_crs.supported()[geo_crs.CRS84])
    return list(
        run_overlap_sql(overlap_params(area, start=start, end=end, exclude_contract=exclude_contract))["conflicts"]
    )


def _square_metres(m2: float) -> str:
    """An overlap as the regisseur reads it: whole m², or one decimal below 10 m² (Dutch comma)."""
    return number_format(round(m2, 1) if m2 < 10 else round(m2), decimal_pos=1 if m2 < 10 else 0)


def overlap_message(*, contract_id: int, location_name: str, overlap_m2: float) -> str:
    """Why ground cannot be given: which other contract holds it, on which location, and how much."""
    return _(
        "De grond overlapt %(m2)s m² met lopend contract %(contract)s (%(location)s) in dezelfde periode. "
        "Kies een periode die daar niet mee samenvalt, of los de overlap eerst op."
    ) % {"m2": _square_metres(overlap_m2), "contract": contract_id, "location": location_name}


def conflict_error(conflicts: list[dict[str, Any]]) -> ValidationError:
    first = conflicts[0]
    name = first["location_name"] or _("locatie %(id)s") % {"id": first["location"]}
    return ValidationError(
        {"geometry": overlap_message(contract_id=first["contract"], location_name=name, overlap_m2=first["overlap_m2"])}
    )


# The overlap trigger's DETAIL (contracts/sql/overlap.sql): machine-readable, never shown as is.
_TRIGGER_DETAIL = re.compile(r"conflicting_contract=(\d+) overlap_m2=([\d.]+)")


def overlap_refusal(exc: IntegrityError) -> ValidationError | None:
    """The overlap trigger's refusal as the message the regisseur reads (naming the other contract's
    location and the overlap), or None when `exc` is another integrity error."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is None or diag.constraint_name != "contract_no_shared_ground":
        return None
    found = _TRIGGER_DETAIL.search(diag.message_detail or "")
    if found is None:
        return ValidationError({"geometry": _("De grond is zojuist aan een ander lopend contract gegeven.")})
    other = Contract.objects.select_related("location").only("location__name").get(pk=int(found[1]))
    return ValidationError(
        {
            "geometry": _("De grond is zojuist aan een ander contract gegeven.")
            + " "
            + overlap_message(contract_id=other.pk, location_name=str(other.location), overlap_m2=float(found[2]))
        }
    )


def contract_activate(*, contract: Contract, by: Any, starts_on: dt.date, ends_on: dt.date | None) -> Contract:
    """Makes a locked, checked contract active; the database trigger has the last word on overlap."""
    conflicts = conflicts_for(geometry=contract.geometry, start=starts_on, end=ends_on, exclude_contract=contract.pk)
    if conflicts:
        raise conflict_error(conflicts)
    contract.status = Contract.Status.ACTIVE
    contract.starts_on, contract.ends_on = starts_on, ends_on
    contract.decided_by, contract.decided_at = by, timezone.now()
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        # Race: another regisseur activated overlapping ground while we checked; the trigger refused.
        refusal = overlap_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc
    managers = contract_managers(contract)
    contract_activated.send(sender=Contract, contract=contract, managers=managers)
    return contract


@transaction.atomic
def contract_approve(
    *, contract: Contract, by: Any, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> Contract:
    """The regisseur approves: the contract becomes active for its period and gets its group."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("location", "location__offering")
        .get(pk=contract.pk)
    )
    require_regisseur(by, contract.location.owner_id)
    if contract.status != Contract.Status.OPEN:
        raise ValidationError(
            {"status": _("Over dit contract is al besloten (%(status)s).") % {"status": contract.get_status_display()}}
        )
    managers = contract_managers(contract)
    if not managers:
        raise ValidationError({"managers": _("Er zijn (nog) geen beheerders aangemeld.")})
    starts_on = starts_on or timezone.localdate()
    offering = getattr(contract.location, "offering", None)
    ends_on = ends_on or add_months(starts_on, offering.contract_months if offering else 12)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("De einddatum moet na de begindatum liggen.")})
    contract_activate(contract=contract, by=by, starts_on=starts_on, ends_on=ends_on)
    for language, addresses in by_language(managers):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Goedgekeurd: zelfbeheer van %(location)s") % {"location": contract.location},
                body=_(
                    "Je zelfbeheercontract voor %(location)s is goedgekeurd door %(regisseur)s.\n"
                    "Looptijd: %(start)s tot %(end)s.\n"
                )
                % {
                    "location": contract.location,
                    "regisseur": person_with_contact(by),
                    "start": written_date(starts_on),
                    "end": written_date(ends_on),
                },
            )
    return contract


@transaction.atomic
def contract_reject(*, contract: Contract, by: Any, reason: str) -> Contract:
    """The regisseur rejects with a reason; the managers receive it by e-mail."""
    contract = Contract.objects.select_for_update().select_related("location").get(pk=contract.pk)
    require_regisseur(by, contract.location.owner_id)
    reason = required_text(reason, "reason", _("Geef een reden voor de afwijzing."))
    if contract.status != Contract.Status.OPEN:
        raise ValidationError(
            {"status": _("Over dit contract is al besloten (%(status)s).") % {"status": contract.get_status_display()}}
        )
    contract.status = Contract.Status.REJECTED
    contract.rejection_reason = reason
    contract.decided_by, contract.decided_at = by, timezone.now()
    contract.save()
    for language, addresses in by_language(contract_managers(contract)):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Afgewezen: zelfbeheer van %(location)s") % {"location": contract.location},
                body=_("Je aanmelding voor %(location)s is afgewezen.\n\nReden: %(reason)s\n")
                % {"location": contract.location, "reason": reason},
            )
    return contract
