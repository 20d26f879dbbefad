"""Small rules the contract steps share: who decides for an owner, dates, required text."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gis_service.accounts.models import User
from gis_service.core import limits


def may_direct(user: Any, owner_id: int) -> bool:
    """Whether `user` acts for the owner: holds its regisseur role (User.directs)."""
    return bool(user.is_authenticated and user.directs(owner_id))


def require_regisseur(user: Any, owner_id: int) -> None:
    """Only the owner's regisseurs act for an owner (User.directs)."""
    if not may_direct(user, owner_id):
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag dit."))


def refuse_own_ground(user: Any, owner_id: int) -> None:
    """A regisseur decides on the sign-ups for their owner's ground, so signing up there as manager
    would be deciding on their own request: refused. Elsewhere (where they live, on another
    owner's ground) they sign up as any resident does."""
    if may_direct(user, owner_id):
        raise PermissionDenied(
            _(
                "Je bent regisseur van deze eigenaar en beslist over de aanmeldingen op zijn grond: "
                "daar meld je je niet zelf aan als beheerder."
            )
        )


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def required_text(value: str, field: str, message: str, *, max_length: int = limits.MESSAGE) -> str:
    """`value` stripped; a ValidationError on `field` with `message` when nothing is left, or
    naming the limit when more than `max_length` characters are."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return limits.check_length(value, field, max_length)


def optional_text(value: str, field: str, *, max_length: int) -> str:
    """`value` stripped, possibly empty; a ValidationError naming the limit when it is too long."""
    return limits.check_length((value or "").strip(), field, max_length)


def person_with_contact(user: User) -> str:
    name = user.get_full_name() or user.username
    contact = ", ".join(part for part in (user.email, user.phone) if part)
    return f"{name} ({contact})" if contact else name
