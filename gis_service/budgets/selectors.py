"""Reads of grants, expenses and their balances; the owner's export for its finance department."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.accounts.models import Membership
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from gis_service.groups.models import Group, GroupMember
from gis_service.owners.models import Owner

AnyUser = AbstractBaseUser | AnonymousUser
ZERO = Value(Decimal("0"))


def with_balance(grants: QuerySet[Grant]) -> QuerySet[Grant]:
    """Grants with `spent` (sum of their expense rows), `balance` and `approved` (the period closed)."""
    approved = AccountsDecision.objects.filter(grant=OuterRef("pk"), decision=AccountsDecision.Decision.APPROVED)
    return grants.annotate(spent=Coalesce(Sum("expenses__amount"), ZERO), approved=Exists(approved)).annotate(
        balance=F("amount") - F("spent")
    )


def balance(*, grant: Grant) -> Decimal:
    spent = Expense.objects.filter(grant=grant).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return grant.amount - spent


def is_closed(*, grant: Grant) -> bool:
    return grant.decisions.filter(decision=AccountsDecision.Decision.APPROVED).exists()


def group_grants(*, group: Group) -> QuerySet[Grant]:
    return with_balance(Grant.objects.filter(group=group)).select_related("group__location")


def expenses(*, grant: Grant) -> QuerySet[Expense]:
    return Expense.objects.filter(grant=grant).select_related("created_by", "reverses").order_by("spent_on", "id")


def last_decision(*, grant: Grant) -> AccountsDecision | None:
    return grant.decisions.select_related("decided_by").order_by("-decided_at", "-id").first()


def _visible(user: AnyUser) -> Q | None:
    if not user.is_authenticated:
        return None
    managed = GroupMember.objects.filter(user_id=user.pk, role=GroupMember.Role.MANAGER).values("group_id")
    directed = Membership.objects.directed_by(user).values("owner_id")  # type: ignore[arg-type]
    return Q(group_id__in=managed) | Q(group__location__owner_id__in=directed)


def grants_visible_to(user: AnyUser) -> QuerySet[Grant]:
    """The grants of the groups the user manages and of the groups on ground of owners they direct."""
    visible = _visible(user)
    if visible is None:
        return Grant.objects.none()
    return with_balance(Grant.objects.filter(visible)).select_related("group__location")


def expenses_visible_to(user: AnyUser) -> QuerySet[Expense]:
    grants = grants_visible_to(user).values("pk")
    return Expense.objects.filter(grant_id__in=grants).select_related("grant", "created_by").order_by("spent_on", "id")


def grants_directed_by(user: AnyUser) -> QuerySet[Grant]:
    """The grants on ground of owners the user directs (the regisseur's page)."""
    if not user.is_authenticated:
        return Grant.objects.none()
    directed = Membership.objects.directed_by(user).values("owner_id")  # type: ignore[arg-type]
    return with_balance(Grant.objects.filter(group__location__owner_id__in=directed)).select_related(
        "group__location__owner"
    )


def export_rows(*, owner: Owner) -> Iterator[list[object]]:
    """One row per expense row of the grants on `owner`'s ground (grants without expenses too),
    for the finance department. Amounts stay numbers; the CSV writer neutralises text."""
    grants = with_balance(Grant.objects.filter(group__location__owner=owner)).select_related("group").order_by("id")
    for grant in grants:
        state = AccountsDecision.Decision.APPROVED.label if grant.approved else _("open")  # type: ignore[attr-defined]
        head = [grant.pk, grant.group.name, grant.purpose, grant.starts_on.isoformat(), grant.ends_on.isoformat(),
                grant.amount, grant.balance, str(state)]  # type: ignore[attr-defined]  # fmt: skip
        rows = list(expenses(grant=grant))
        if not rows:
            yield [*head, "", "", "", "", "", ""]
        for expense in rows:
            yield [*head, expense.pk, expense.spent_on.isoformat(), expense.amount, expense.description,
                   expense.reverses_id or "", _booked_at(expense.created_at)]  # fmt: skip


def _booked_at(moment: dt.datetime) -> str:
    """On the platform's clock, to the second, with its offset: a booking at 00:02 in Amsterdam was
    "…T23:02:38.081145+00:00" of the day before, beside a spending date of the next day."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def export_header() -> list[str]:
    return [
        _("budget"), _("groep"), _("doel"), _("van"), _("tot en met"), _("toegekend"), _("saldo"),
        _("verantwoording"), _("boeking"), _("datum"), _("bedrag"), _("omschrijving"), _("herstelt boeking"),
        _("geboekt op"),
    ]  # fmt: skip
