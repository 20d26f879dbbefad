"""Reads for groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.accounts.models import User
from gis_service.groups.models import (
    AgendaItem,
    CalendarKey,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    HourEntry,
    NewsPost,
    StatusUpdate,
    Task,
)
from gis_service.groups.unsubscribe import unsubscribe_read


def group_for_location(location_id: int) -> Group | None:
    """The location's current group: the newest open one, else the newest."""
    return Group.objects.filter(location_id=location_id).order_by("-is_open", "-created_at", "-id").first()


def group_for_contract(contract_id: int) -> Group | None:
    """The group working under the contract, if it has one (approval makes it)."""
    return Group.objects.filter(contract_id=contract_id).first()


@dataclass(frozen=True)
class MyGroup:
    group: Group
    role: str  # a GroupMember.Role value, or "volger" for someone who only follows


def groups_of(*, user: Any) -> list[MyGroup]:
    """The groups `user` works in (as manager or volunteer) or follows, open ones first."""
    mine: dict[int, MyGroup] = {}
    for member in GroupMember.objects.filter(user_id=user.pk).select_related("group", "group__location"):
        mine[member.group_id] = MyGroup(group=member.group, role=member.role)
    for follow in Follower.objects.filter(user_id=user.pk).select_related("group", "group__location"):
        mine.setdefault(follow.group_id, MyGroup(group=follow.group, role=FOLLOWER))
    return sorted(mine.values(), key=lambda row: (not row.group.is_open, row.group.name, row.group.pk))


FOLLOWER = "volger"


@dataclass(frozen=True)
class MyPlace:
    """Where the caller stands in one group: following its news, and their role (or None)."""

    group: Group
    following: bool
    role: str | None


def my_place_in(*, group: Group, user: Any) -> MyPlace:
    if not user.is_authenticated:
        return MyPlace(group=group, following=False, role=None)
    role = GroupMember.objects.filter(group=group, user_id=user.pk).values_list("role", flat=True).first()
    return MyPlace(group=group, following=group.followers.filter(user_id=user.pk).exists(), role=role)


def group_get(group_id: int) -> Group:
    return Group.objects.select_related("location", "location__owner").get(pk=group_id)


@dataclass(frozen=True)
class GroupPage:
    news: QuerySet[NewsPost]
    threads: QuerySet[ForumThread]
    agenda: QuerySet[AgendaItem]
    tasks: QuerySet[Task]
    updates: QuerySet[StatusUpdate]
    managers: QuerySet[GroupMember]
    volunteer_count: int
    follower_count: int


def group_page(group: Group) -> GroupPage:
    """Everything the group page shows, each list bounded."""
    return GroupPage(
        news=group.news.select_related("author")[:10],
        threads=group.threads.select_related("author").annotate(post_count=Count("posts"))[:20],
        agenda=group.agenda.filter(starts_at__gte=timezone.now() - timedelta(hours=6))[:10],
        tasks=group.tasks.select_related("taken_by").exclude(status=Task.Status.DONE)[:50],
        updates=group.updates.select_related("author").prefetch_related(Prefetch("photos"))[:10],
        managers=group.members.filter(role=GroupMember.Role.MANAGER).select_related("user"),
        volunteer_count=group.members.filter(role=GroupMember.Role.VOLUNTEER).count(),
        follower_count=group.followers.count(),
    )


def volunteers_of(group: Group) -> QuerySet[GroupMember]:
    """The group's volunteers, for its managers (who may take one out), longest-standing first."""
    return group.members.filter(role=GroupMember.Role.VOLUNTEER).select_related("user").order_by("joined_at", "id")


def managers_to_mail(group: Group) -> list[User]:
    """The group's active managers with an e-mail address: who hears of decisions on the group's money."""
    return list(
        User.objects.filter(
            group_memberships__group=group, group_memberships__role=GroupMember.Role.MANAGER, is_active=True
        )
        .exclude(email="")
        .order_by("email")
    )


def thread_get(group: Group, thread_id: int) -> ForumThread:
    return group.threads.select_related("author").get(pk=thread_id)


def done_tasks(group: Group) -> QuerySet[Task]:
    return group.tasks.filter(status=Task.Status.DONE).select_related("taken_by").order_by("-done_at")[:20]


def followers_to_mail(*, group: Group, except_user_id: int | None = None) -> list[tuple[int, str, str]]:
    """(user id, e-mail address, language) of the group's active followers, for mail that is personal
    per follower and in their own language."""
    followers = group.followers.filter(user__is_active=True).exclude(user__email="")
    if except_user_id is not None:
        followers = followers.exclude(user_id=except_user_id)
    rows = set(followers.values_list("user_id", "user__email", "user__language"))
    return sorted(
        ((user_id, email, language or settings.LANGUAGE_CODE) for user_id, email, language in rows),
        key=lambda row: row[1],
    )


# How far back a calendar feed reaches: clients keep what they saw, and a year of the past is enough
# to look up when the last work day was.
CALENDAR_PAST = timedelta(days=365)
CALENDAR_MAX_ITEMS = 500


def calendar_items_of_group(group: Group) -> QuerySet[AgendaItem]:
    since = timezone.now() - CALENDAR_PAST
    return group.agenda.filter(starts_at__gte=since).select_related("group")[:CALENDAR_MAX_ITEMS]


def calendar_items_of_user(user_id: int) -> QuerySet[AgendaItem]:
    """The agenda of every group the user works in or follows."""
    since = timezone.now() - CALENDAR_PAST
    mine = Q(group__members__user_id=user_id) | Q(group__followers__user_id=user_id)
    return (
        AgendaItem.objects.filter(mine, starts_at__gte=since)
        .distinct()
        .select_related("group")
        .order_by("starts_at", "id")[:CALENDAR_MAX_ITEMS]
    )


def calendar_key_user_id(token: str) -> int | None:
    """The user whose personal calendar URL carries `token`; None for an unknown or old one."""
    return CalendarKey.objects.filter(token=token, user__is_active=True).values_list("user_id", flat=True).first()


@dataclass(frozen=True)
class GroupHours:
    total: Decimal
    people: int
    mine: Decimal
    recent: QuerySet[HourEntry]


def group_hours(group: Group, *, user_id: int | None = None) -> GroupHours:
    """Hours given to the group in all: the total, by how many people, the user's own, and the latest
    entries for the group's members only (who worked when is theirs, as /api/hours/ answers)."""
    totals = group.hours.aggregate(total=Sum("hours"), people=Count("user", distinct=True))
    mine = Decimal(0)
    recent = HourEntry.objects.none()
    if user_id is not None:
        mine = group.hours.filter(user_id=user_id).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        if GroupMember.objects.filter(group=group, user_id=user_id).exists():
            recent = group.hours.select_related("user", "task", "agenda_item")
    return GroupHours(total=totals["total"] or Decimal(0), people=totals["people"], mine=mine, recent=recent[:10])


def calendar_key_of(user_id: int) -> str | None:
    """The token of the user's personal calendar URL, if they made one."""
    return CalendarKey.objects.filter(user_id=user_id).values_list("token", flat=True).first()


@dataclass(frozen=True)
class UnsubscribeTarget:
    group: Group
    user_id: int


def unsubscribe_target(token: str) -> UnsubscribeTarget:
    """The group and follower a signed unsubscribe link names; ValidationError when it is not ours."""
    try:
        target = unsubscribe_read(token)
    except signing.BadSignature:
        raise ValidationError(
            _("Deze afmeldlink klopt niet. Gebruik de link uit de e-mail, of meld je af op de groepspagina.")
        ) from None
    group = Group.objects.filter(pk=target.group_id).first()
    if group is None:
        raise ValidationError(_("Deze groep bestaat niet meer."))
    return UnsubscribeTarget(group=group, user_id=target.user_id)


# Reads of the REST API. The group page is public, and so are its news, forum, agenda, tasks and
# updates; the hours entries (who worked when) are for the group's own members.


def _of_group(rows: QuerySet[Any], group_id: int | None, field: str = "group_id") -> QuerySet[Any]:
    return rows.filter(**{field: group_id}) if group_id is not None else rows


def news_list(*, group_id: int | None = None) -> QuerySet[NewsPost]:
    return _of_group(NewsPost.objects.all(), group_id)


def threads_list(*, group_id: int | None = None) -> QuerySet[ForumThread]:
    return _of_group(ForumThread.objects.annotate(post_count=Count("posts")), group_id)


def forum_posts_list(*, thread_id: int | None = None) -> QuerySet[ForumPost]:
    return _of_group(ForumPost.objects.select_related("thread"), thread_id, "thread_id")


def agenda_list(*, group_id: int | None = None) -> QuerySet[AgendaItem]:
    return _of_group(AgendaItem.objects.all(), group_id)


def tasks_list(*, group_id: int | None = None) -> QuerySet[Task]:
    return _of_group(Task.objects.select_related("group"), group_id)


def updates_list(*, group_id: int | None = None) -> QuerySet[StatusUpdate]:
    return _of_group(StatusUpdate.objects.prefetch_related("photos"), group_id)


def hours_visible_to(user: Any, *, group_id: int | None = None) -> QuerySet[HourEntry]:
    """The hours entries of the groups `user` works in (as manager or volunteer); none for anyone else."""
    if not user.is_authenticated:
        return HourEntry.objects.none()
    mine = GroupMember.objects.filter(user_id=user.pk).values("group_id")
    return _of_group(HourEntry.objects.filter(group_id__in=mine), group_id)


def groups_list() -> QuerySet[Group]:
    """Every group, with the public sums its page shows: volunteers and hours given."""
    # Sums as subqueries: two joins (members and hours) in one query would multiply each other's rows.
    hours = HourEntry.objects.filter(group=OuterRef("pk")).values("group").annotate(total=Sum("hours")).values("total")
    volunteers = (
        GroupMember.objects.filter(group=OuterRef("pk"), role=GroupMember.Role.VOLUNTEER)
        .values("group")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Group.objects.annotate(
        hours_total=Coalesce(
            Subquery(hours), Value(Decimal(0)), output_field=DecimalField(max_digits=12, decimal_places=2)
        ),
        volunteer_count=Coalesce(Subquery(volunteers), Value(0)),
    )
