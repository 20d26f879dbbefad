"""Who may do what in an initiative's discussion and help offers. Views ask, services enforce."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gis_service.accounts.models import Membership
from gis_service.contracts.services.rules import may_direct
from gis_service.initiatives.models import HelpOffer, Initiative, InitiativePost

AnyUser = AbstractBaseUser | AnonymousUser


def is_open(initiative: Initiative) -> bool:
    """A rejected initiative is closed: no page, no posts, no offers."""
    return initiative.status != Initiative.Status.REJECTED


def can_post(initiative: Initiative, user: AnyUser) -> bool:
    """The group forum's rule: any logged-in resident may write; anonymous posting invites spam."""
    return is_open(initiative) and user.is_authenticated


def directs_owner(initiative: Initiative, user: AnyUser) -> bool:
    """The regisseur of the initiative's owner: the one contact for its residents, and its moderator."""
    return may_direct(user, initiative.owner_id)


def can_hide(post: InitiativePost, user: AnyUser) -> bool:
    return post.hidden_at is None and directs_owner(post.initiative, user)


def is_professional_of(owner_id: int, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, owner_id=owner_id, role=Membership.Role.PROFESSIONAL).exists()


def can_offer_help(initiative: Initiative, user: AnyUser) -> bool:
    """A professional of the initiative's owner, once per initiative, while it is open."""
    return (
        is_open(initiative)
        and is_professional_of(initiative.owner_id, user)
        and not HelpOffer.objects.filter(initiative=initiative, professional_id=user.pk).exists()
    )
