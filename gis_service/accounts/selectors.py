"""Reads of users and their roles that every app shares, and who a confirmation link is for."""

from __future__ import annotations

from gis_service.accounts import tokens
from gis_service.accounts.models import Membership, User


def regisseur_emails(*, owner_id: int) -> list[str]:
    """Where mail for an owner's regisseurs goes: every active regisseur with an address."""
    return sorted(
        User.objects.filter(memberships__owner_id=owner_id, memberships__role=Membership.Role.REGISSEUR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def regisseurs(*, owner_id: int) -> list[User]:
    """Who mail for an owner's regisseurs goes to (each in their own language): every active
    regisseur with an address."""
    return list(
        User.objects.filter(memberships__owner_id=owner_id, memberships__role=Membership.Role.REGISSEUR, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def professionals(*, owner_ids: set[int]) -> list[Membership]:
    """The professional roles at these owners, for their regisseurs' page."""
    return list(
        Membership.objects.filter(owner_id__in=owner_ids, role=Membership.Role.PROFESSIONAL)
        .select_related("user", "owner")
        .order_by("owner__name", "user__email")
    )


def email_taken(email: str, *, except_user_id: int | None = None) -> bool:
    """Whether another account has this address (case-insensitive, as the database constraint says)."""
    others = User.objects.filter(email__iexact=email.strip())
    if except_user_id is not None:
        others = others.exclude(pk=except_user_id)
    return others.exists()


def user_for_registration(token: str) -> tuple[User, str]:
    """The waiting account a registration link confirms, and where to go after; BadLink otherwise."""
    claim = tokens.registration_claim(token)
    user = User.objects.filter(pk=claim.user_id).first()
    if user is None:
        raise tokens.BadLink("invalid")
    # Confirmed already, or registered anew after this link's registration expired.
    if user.pending_since is None or user.pending_since.isoformat() != claim.pending_since:
        raise tokens.BadLink("used")
    return user, claim.next_url


def user_for_email_change(token: str) -> tuple[User, str]:
    """The account an e-mail-change link is for, and its new address; BadLink otherwise."""
    claim = tokens.email_change_claim(token)
    user = User.objects.filter(pk=claim.user_id, is_active=True).first()
    if user is None:
        raise tokens.BadLink("invalid")
    if user.email != claim.old_email:  # changed since: this link or another was followed
        raise tokens.BadLink("used")
    return user, claim.new_email
