"""Reads for resident initiatives."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet
from django.utils.crypto import constant_time_compare

from gis_service.initiatives.models import Initiative


def initiative_list(*, user: Any) -> QuerySet[Initiative]:
    """What `user` may see: their own initiatives; a regisseur's owner's; everything for staff."""
    return (
        Initiative.objects.visible_to(user)
        .select_related("owner", "created_by")
        .prefetch_related("initiators", "locations")
        .order_by("-created_at", "-id")
    )


def locations_in_waiting_initiatives(location_ids: Collection[int]) -> set[int]:
    """The ids among `location_ids` that a waiting initiative asks for (the initiatives' protector)."""
    return set(
        Initiative.locations.through.objects.filter(
            location_id__in=list(location_ids), initiative__status=Initiative.Status.SUBMITTED
        ).values_list("location_id", flat=True)
    )


def initiatives_of(*, user: Any) -> QuerySet[Initiative]:
    """The initiatives `user` filed or joined, newest first, with what approval made of them."""
    return (
        Initiative.objects.filter(initiators=user)
        .select_related("owner", "location", "contract")
        .defer("geometry")
        .order_by("-created_at", "-id")
    )


def invite_matches(*, initiative: Initiative, token: Any) -> bool:
    """Whether `token` is the initiative's invite token, compared in constant time."""
    return isinstance(token, str) and constant_time_compare(token, initiative.invite_token)
