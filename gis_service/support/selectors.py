"""Reads of the support pool, requests and balances."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Prefetch, Q, QuerySet, Sum

from gis_service.accounts.models import Membership, User
from gis_service.groups.models import Group, GroupMember
from gis_service.initiatives.models import Initiative
from gis_service.owners.models import Owner
from gis_service.support.models import (
    AllowedSupporter,
    LedgerEntry,
    Supporter,
    SupporterApplication,
    SupportRequest,
    Unit,
)

AnyUser = AbstractBaseUser | AnonymousUser


def pool(*, kind: str = "", owner: Owner | None = None) -> QuerySet[Supporter]:
    """The active supporters, optionally those offering `kind` or working on `owner`'s ground."""
    supporters = Supporter.objects.filter(is_active=True).prefetch_related("areas")
    if kind:
        supporters = supporters.filter(offers__contains=[kind])
    if owner is not None:
        supporters = supporters.filter(areas=owner)
    return supporters.order_by("name", "id")


def pool_owners() -> QuerySet[Owner]:
    """The owners some active supporter works for: the area filter's choices."""
    return Owner.objects.filter(supporters_working_here__is_active=True).distinct().order_by("name")


def allowed_supporters(*, owner_id: int) -> QuerySet[Supporter]:
    """The supporters the groups on this owner's ground may ask."""
    return pool().filter(allowed_by__owner_id=owner_id)


def allow_list(*, owner: Owner) -> QuerySet[AllowedSupporter]:
    return AllowedSupporter.objects.filter(owner=owner).select_related("supporter").order_by("supporter__name")


def balances(*, group: Group) -> dict[str, Decimal]:
    """The group's balance per unit: the sum of its ledger rows (0 when none)."""
    sums = dict(
        LedgerEntry.objects.filter(group=group)
        .values("unit")
        .annotate(total=Sum("amount"))
        .values_list("unit", "total")
    )
    return {unit: sums.get(unit) or Decimal("0") for unit in Unit.values}


def ledger(*, group: Group) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(group=group).select_related("request__supporter").order_by("created_at", "id")


def group_requests(*, group: Group) -> QuerySet[SupportRequest]:
    """The group's requests, each with what was paid for it (`spendings`, oldest first, with the
    positive `paid_amount` of each: a spending's row holds it negative)."""
    paid = LedgerEntry.objects.annotate(paid_amount=F("amount") * -1).order_by("created_at", "id")
    payments = Prefetch("spendings", queryset=paid)
    return SupportRequest.objects.filter(group=group).select_related("supporter", "group").prefetch_related(payments)


def first_payment(*, request: SupportRequest) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(request=request).order_by("created_at", "id").first()


def initiative_requests(*, initiative_id: int) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.filter(initiative_id=initiative_id)
        .select_related("supporter")
        .order_by("-asked_at", "-id")
    )


def initiators_to_mail(*, initiative_id: int) -> list[User]:
    """Where the answer to an initiative's request goes: its active initiators with an address."""
    initiators = User.objects.filter(initiatives__pk=initiative_id, is_active=True).exclude(email="")
    return list(initiators.distinct().order_by("email"))


def inbox(*, supporter: Supporter) -> QuerySet[SupportRequest]:
    """The supporter's requests, unanswered first, each with what the group paid for it (`spendings`,
    as in `group_requests`; never the group's balance)."""
    paid = LedgerEntry.objects.annotate(paid_amount=F("amount") * -1).order_by("created_at", "id")
    return (
        SupportRequest.objects.filter(supporter=supporter)
        .select_related("group__location", "initiative__owner", "supporter")
        .prefetch_related(Prefetch("spendings", queryset=paid))
        .order_by("answered_at", "-asked_at", "-id")
    )


def requests_visible_to(user: AnyUser) -> QuerySet[SupportRequest]:
    """What the user may read: their group's or initiative's requests (manager, initiator), those
    asked of them (supporter), and those of groups and initiatives of owners they direct (regisseur)."""
    if not user.is_authenticated:
        return SupportRequest.objects.none()
    managed = GroupMember.objects.filter(user_id=user.pk, role=GroupMember.Role.MANAGER).values("group_id")
    directed = Membership.objects.directed_by(user).values("owner_id")  # type: ignore[arg-type]
    initiated = Initiative.objects.filter(initiators__pk=user.pk).values("pk")
    return (
        SupportRequest.objects.filter(
            Q(group_id__in=managed)
            | Q(supporter__user_id=user.pk)
            | Q(group__location__owner_id__in=directed)
            | Q(initiative_id__in=initiated)
            | Q(initiative__owner_id__in=directed)
        )
        .select_related("supporter", "group")
        .order_by("-asked_at", "-id")
    )


def ledger_visible_to(user: AnyUser) -> QuerySet[LedgerEntry]:
    """Ledger rows of groups the user manages or whose owner they direct."""
    if not user.is_authenticated:
        return LedgerEntry.objects.none()
    managed = GroupMember.objects.filter(user_id=user.pk, role=GroupMember.Role.MANAGER).values("group_id")
    directed = Membership.objects.directed_by(user).values("owner_id")  # type: ignore[arg-type]
    return LedgerEntry.objects.filter(Q(group_id__in=managed) | Q(group__location__owner_id__in=directed)).order_by(
        "created_at", "id"
    )


def groups_directed_by(user: AnyUser) -> QuerySet[Group]:
    """Open groups on the ground of the owners the user directs: those they may issue vouchers to."""
    if not user.is_authenticated:
        return Group.objects.none()
    directed = Membership.objects.directed_by(user).values("owner_id")  # type: ignore[arg-type]
    return Group.objects.filter(is_open=True, location__owner_id__in=directed).order_by("name", "id")


def applications_of(user: AnyUser) -> QuerySet[SupporterApplication]:
    """The user's own applications to join the pool, newest first."""
    if not user.is_authenticated:
        return SupporterApplication.objects.none()
    return SupporterApplication.objects.filter(user_id=user.pk).select_related("owner").order_by("-created_at", "-id")


def open_applications(*, owner_ids: Iterable[int]) -> QuerySet[SupporterApplication]:
    """Applications waiting for a decision of these owners' regisseurs, oldest first."""
    return (
        SupporterApplication.objects.filter(owner_id__in=list(owner_ids), status=SupporterApplication.Status.ASKED)
        .select_related("owner", "user")
        .order_by("created_at", "id")
    )
