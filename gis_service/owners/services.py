from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gis_service.accounts.models import Membership, User
from gis_service.owners import sql
from gis_service.owners.models import MaintenanceCost, Owner, ValueArea


def owner_get_or_create(*, name: str, slug: str, kind: str) -> tuple[Owner, bool]:
    """The owner with this slug; created when missing. An existing owner is left as it is."""
    if kind not in Owner.Kind.values:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(Owner.Kind.values)}")
    return Owner.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})


def maintenance_cost_set(*, owner: Owner, type: str, cost_per_m2: Decimal, by: User) -> MaintenanceCost:
    """Set the owner's yearly cost per m² for a location type; only its own regisseurs may."""
    if not Membership.objects.directed_by(by).filter(owner=owner).exists():
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag de kostentabel wijzigen."))
    if cost_per_m2 < 0:
        raise ValidationError(_("De kosten per m² kunnen niet negatief zijn."))
    cost, _created = MaintenanceCost.objects.update_or_create(
        owner=owner, type=type.strip().lower(), defaults={"cost_per_m2": cost_per_m2, "updated_by": by}
    )
    return cost


@dataclass(frozen=True)
class AreaBatch:
    """Areas read from a file: parallel columns, geometry as WKB in `srid`."""

    srid: int
    codes: list[str]
    names: list[str]
    households: list[int | None]
    wkbs: list[bytes | None]


def value_areas_load(*, owner: Owner, kind: str, batches: Iterable[AreaBatch], replace: bool = False) -> int:
    """Writes the owner's buurten or complexes from `batches` in one transaction (a code already
    there is updated); with `replace`, the owner's areas of that kind not in the batches go."""
    if kind not in ValueArea.Kind.values:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(ValueArea.Kind.values)}")
    written, seen = 0, set()
    with transaction.atomic():
        for batch in batches:
            if any(h is not None and h < 1 for h in batch.households):
                raise ValidationError(_("Een complex heeft minstens één huishouden."))
            written += sql.areas_upsert(
                owner_id=owner.pk,
                kind=kind,
                srid=batch.srid,
                storage_srid=settings.STORAGE_SRID,
                codes=batch.codes,
                names=batch.names,
                households=batch.households,
                wkbs=batch.wkbs,
            )
            seen.update(batch.codes)
        if replace:
            ValueArea.objects.filter(owner=owner, kind=kind).exclude(code__in=seen).delete()
    return written
