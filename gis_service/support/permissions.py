"""Who may do what with support. Views ask these; services enforce them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gis_service.accounts.models import Membership
from gis_service.groups.models import Group
from gis_service.groups.permissions import is_manager
from gis_service.initiatives import permissions as initiative_permissions
from gis_service.initiatives.models import Initiative
from gis_service.support.models import Supporter, SupporterApplication, SupportRequest

AnyUser = AbstractBaseUser | AnonymousUser


def directs_group_owner(group: Group, user: AnyUser) -> bool:
    """The regisseur of the owner whose ground the group works on."""
    if not user.is_authenticated:
        return False
    return Membership.objects.directed_by(user).filter(owner_id=group.location.owner_id).exists()  # type: ignore[arg-type]


def supporter_of(user: AnyUser) -> Supporter | None:
    if not user.is_authenticated:
        return None
    return Supporter.objects.filter(user_id=user.pk, is_active=True).first()


def can_see_group_support(group: Group, user: AnyUser) -> bool:
    """Requests and balance are the group's business: its managers and the owner's regisseur."""
    return is_manager(group, user) or directs_group_owner(group, user)


def can_ask(group: Group, user: AnyUser) -> bool:
    """Managers choose the support their group needs, while the project runs."""
    return group.is_open and is_manager(group, user)


def is_initiator(initiative: Initiative, user: AnyUser) -> bool:
    return user.is_authenticated and initiative.initiators.filter(pk=user.pk).exists()


def can_see_initiative_support(initiative: Initiative, user: AnyUser) -> bool:
    """An initiative's requests are its initiators' business and its owner's regisseur's."""
    return is_initiator(initiative, user) or initiative_permissions.directs_owner(initiative, user)


def can_ask_for_initiative(initiative: Initiative, user: AnyUser) -> bool:
    """Initiators ask the pool for support while their initiative is open (waiting or approved)."""
    return initiative_permissions.is_open(initiative) and is_initiator(initiative, user)


def can_see_request(request: SupportRequest, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    if request.supporter.user_id == user.pk:
        return True
    if request.group is not None:
        return can_see_group_support(request.group, user)
    return request.initiative is not None and can_see_initiative_support(request.initiative, user)


def can_answer(request: SupportRequest, user: AnyUser) -> bool:
    """Only the supporter asked answers, and only once."""
    return (
        user.is_authenticated and request.supporter.user_id == user.pk and request.status == SupportRequest.Status.ASKED
    )


def can_issue(group: Group, user: AnyUser) -> bool:
    """Vouchers and budget come from the owner, through its regisseur."""
    return group.is_open and directs_group_owner(group, user)


def can_spend(request: SupportRequest, user: AnyUser) -> bool:
    """Managers pay an accepted request from the group's vouchers or budget."""
    # An initiative has no vouchers or budget yet: those are issued to a group.
    if request.group is None:
        return False
    return (
        request.group.is_open and request.status == SupportRequest.Status.ACCEPTED and is_manager(request.group, user)
    )


def can_apply(user: AnyUser) -> bool:
    """Anyone with an account who is not in the pool yet asks an owner to take them in."""
    return user.is_authenticated and not Supporter.objects.filter(user_id=user.pk).exists()


def can_decide_application(application: SupporterApplication, user: AnyUser) -> bool:
    """The regisseur of the owner applied to decides, once."""
    return (
        user.is_authenticated
        and application.status == SupporterApplication.Status.ASKED
        and Membership.objects.directed_by(user).filter(owner_id=application.owner_id).exists()  # type: ignore[arg-type]
    )
