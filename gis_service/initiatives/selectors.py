"""Reads for resident initiatives."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gis_service.initiatives.models import Initiative


def initiative_list(*, user: Any) -> QuerySet[Initiative]:
    """What `user` may see: their own initiatives; a regisseur's owner's; everything for staff."""
    return (
        Initiative.objects.visible_to(user)
        .select_related("owner", "created_by")
        .prefetch_related("initiators", "locations")
        .order_by("-created_at", "-id")
    )
