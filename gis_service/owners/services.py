from __future__ import annotations

from gis_service.owners.models import Owner


def owner_get_or_create(*, name: str, slug: str, kind: str) -> tuple[Owner, bool]:
    """The owner with this slug; created when missing. An existing owner is left as it is."""
    if kind not in Owner.Kind.values:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(Owner.Kind.values)}")
    return Owner.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
