from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import MaintenanceCost, Owner


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
