"""Who may do what in a group. Every function answers for one action; views ask, services enforce."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gis_service.groups.models import Group, GroupMember, StatusUpdate, Task

AnyUser = AbstractBaseUser | AnonymousUser


def role_in(group: Group, user: AnyUser) -> str | None:
    """The user's role in the group ('beheerder', 'vrijwilliger') or None."""
    if not user.is_authenticated:
        return None
    return GroupMember.objects.filter(group=group, user_id=user.pk).values_list("role", flat=True).first()


def is_manager(group: Group, user: AnyUser) -> bool:
    return role_in(group, user) == GroupMember.Role.MANAGER


def is_member(group: Group, user: AnyUser) -> bool:
    return role_in(group, user) is not None


def can_follow(group: Group, user: AnyUser) -> bool:
    """Anyone with an account can follow, so we know where to send the news."""
    return user.is_authenticated


def can_join(group: Group, user: AnyUser) -> bool:
    return user.is_authenticated and group.is_open


def can_leave(group: Group, user: AnyUser) -> bool:
    """Volunteers may stop; a manager's role comes with the contract, so they withdraw from that. A
    closed group keeps who took part (its figures in the value report)."""
    return group.is_open and role_in(group, user) == GroupMember.Role.VOLUNTEER


def can_post_news(group: Group, user: AnyUser) -> bool:
    """Only managers speak for the project."""
    return group.is_open and is_manager(group, user)


def can_plan(group: Group, user: AnyUser) -> bool:
    """Managers put meetings on the agenda and tasks on the list."""
    return group.is_open and is_manager(group, user)


def can_remove_volunteers(group: Group, user: AnyUser) -> bool:
    """Managers lead the group, so they may take a volunteer out of it (someone who misbehaves, or who
    asked to be taken off). Not a manager: that role comes with the contract."""
    return group.is_open and is_manager(group, user)


def can_moderate_forum(group: Group, user: AnyUser) -> bool:
    """Managers keep the group's forum decent: they hide a post (and may show it again)."""
    return group.is_open and is_manager(group, user)


def can_post_in_forum(group: Group, user: AnyUser) -> bool:
    """Any logged-in resident may ask or answer; anonymous posting invites spam."""
    return group.is_open and user.is_authenticated


def can_post_update(group: Group, user: AnyUser) -> bool:
    """Status updates and photos come from the people doing the work."""
    return group.is_open and is_member(group, user)


def can_delete_update(update: StatusUpdate, user: AnyUser) -> bool:
    """Its author or a manager of the group takes an update and its photos down: a photo shows a
    neighbour's child or front door, or was posted by mistake. Also in a closed group: taking personal
    data down is no new post."""
    if not user.is_authenticated:
        return False
    return update.author_id == user.pk or is_manager(update.group, user)


def can_work_on_tasks(group: Group, user: AnyUser) -> bool:
    """Members take the group's tasks, while the project runs."""
    return group.is_open and is_member(group, user)


def can_finish_task(task: Task, user: AnyUser) -> bool:
    """The one who took it marks it done; a manager may too (someone forgot)."""
    if not task.group.is_open or task.status != Task.Status.TAKEN or not user.is_authenticated:
        return False
    return task.taken_by_id == user.pk or is_manager(task.group, user)


def can_log_hours(group: Group, user: AnyUser) -> bool:
    """Volunteers and managers write down the hours they gave, while the project runs."""
    return group.is_open and is_member(group, user)
