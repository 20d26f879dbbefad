"""The regisseur's owners for the pages that act for them: one home for the check, each page its
own refusal text (said in the 403 page)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from gis_service.owners.models import Owner


def directed_owners(request: HttpRequest, *, refusal: str) -> QuerySet[Owner]:
    """The owners the logged-in user acts for as regisseur, by name; 403 with `refusal` when none."""
    owners = Owner.objects.filter(pk__in=request.user.directed_owner_ids()).order_by("name")  # type: ignore[union-attr]
    if not owners.exists():
        raise PermissionDenied(refusal)
    return owners


def directed_owner(request: HttpRequest, slug: str, *, refusal: str) -> Owner:
    """The owner by its slug (404 when unknown), when the logged-in user is one of its regisseurs (else 403)."""
    owner = get_object_or_404(Owner, slug=slug)
    if not request.user.directs(owner.pk):  # type: ignore[union-attr]
        raise PermissionDenied(refusal)
    return owner
