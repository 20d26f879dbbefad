"""Reads for groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from gis_service.groups.models import (
    AgendaItem,
    Follower,
    ForumThread,
    Group,
    GroupMember,
    NewsPost,
    StatusUpdate,
    Task,
)


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


def thread_get(group: Group, thread_id: int) -> ForumThread:
    return group.threads.select_related("author").get(pk=thread_id)


def done_tasks(group: Group) -> QuerySet[Task]:
    return group.tasks.filter(status=Task.Status.DONE).select_related("taken_by").order_by("-done_at")[:20]


def followers_to_notify(*, group: Group, except_user_id: int | None = None) -> list[str]:
    """E-mail addresses of the group's active followers, each once."""
    followers = group.followers.filter(user__is_active=True).exclude(user__email="")
    if except_user_id is not None:
        followers = followers.exclude(user_id=except_user_id)
    emails = followers.values_list("user__email", flat=True)
    return sorted(set(emails))
