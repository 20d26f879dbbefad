"""Who may do what with budgets. Views ask these; services enforce them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gis_service.budgets.models import Grant
from gis_service.groups.models import Group
from gis_service.groups.permissions import is_manager
from gis_service.support.permissions import directs_group_owner

AnyUser = AbstractBaseUser | AnonymousUser


def can_see_budget(group: Group, user: AnyUser) -> bool:
    """Grants, expenses and receipts are for the group's managers and the owner's regisseur only."""
    return is_manager(group, user) or directs_group_owner(group, user)


def can_grant(group: Group, user: AnyUser) -> bool:
    """The owner's regisseur grants money to a running group."""
    return group.is_open and directs_group_owner(group, user)


def can_record_expense(grant: Grant, user: AnyUser) -> bool:
    """The group's managers account for the money (also after the group closed: the last period
    still has to be accounted for)."""
    return is_manager(grant.group, user)


def can_decide(grant: Grant, user: AnyUser) -> bool:
    """The owner's regisseur approves or returns the accounts."""
    return directs_group_owner(grant.group, user)
