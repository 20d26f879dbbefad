"""Which name of a resident others see: the one home of the rule "no personal data on public pages".

A resident types one name when registering ("Naam", stored whole in `User.first_name`). Everyone
reads a group's page, its forum and an initiative's discussion, and the API that serves the same;
there a resident is shown by their public name, "Anna V." for "Anna de Vries". The full name is
for those with a reason to know it (`sees_full_names`): the members of the group (managers and
volunteers), the regisseurs of the owner the group or initiative belongs to, and the person
themself. Pages only these people open (contracts, terms, budgets, the regisseur's dashboard)
and mail to them keep the full name.

People acting in an office keep their name as they gave it, on every page: an owner's contact
person on an offering, regisseurs, professionals offering help on an initiative, and supporters in
the support pool, who publish their own card. Their templates and serializers do not call this.

Tests: tests/accounts/test_public_names.py (the rule), tests/web/test_public_names.py (pages, each
role), tests/api/test_public_names.py (JSON).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gis_service.accounts.models import Membership


def full_name(user: Any) -> str:
    """The name as the person typed it (the account's user name if they gave none; "verwijderd
    account" for a deleted one, whose user name is a made-up `verwijderd-…` nobody should read)."""
    name = str(user.get_full_name()).strip()
    if name:
        return name
    if not user.is_active and user.pending_since is None:
        return _("verwijderd account")
    return str(user.username)


def public_name(user: Any) -> str:
    """The first word of the name and the initial of its last: "Anna de Vries" → "Anna V.".

    A one-word name stays as it is; no name at all (a deleted account) is "bewoner".
    """
    words = str(user.get_full_name()).split()
    if not words:
        return _("bewoner")
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def sees_full_names(viewer: Any, *, group_id: int | None = None, owner_id: int | None = None) -> bool:
    """Whether `viewer` is in the circle of a group (its members) or of an owner (its regisseurs).

    Asked once per page or answer, not per name: at most two queries.
    """
    if not getattr(viewer, "is_authenticated", False):
        return False
    if group_id is not None and viewer.group_memberships.filter(group_id=group_id).exists():
        return True
    return owner_id is not None and Membership.objects.directed_by(viewer).filter(owner_id=owner_id).exists()


def name_for(person: Any, *, viewer: Any, sees_full: bool) -> str:
    """The name of `person` that `viewer` sees: the full one in the circle (`sees_full_names`) or
    for the person themself, the public one for everyone else."""
    if sees_full or (getattr(viewer, "is_authenticated", False) and viewer.pk == person.pk):
        return full_name(person)
    return public_name(person)
