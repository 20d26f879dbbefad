"""Reads of users and their roles that every app shares."""

from __future__ import annotations

from gis_service.accounts.models import Membership, User


def regisseur_emails(*, owner_id: int) -> list[str]:
    """Where mail for an owner's regisseurs goes: every active regisseur with an address."""
    return sorted(
        User.objects.filter(memberships__owner_id=owner_id, memberships__role=Membership.Role.REGISSEUR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
