"""Writes for groups. Each service checks its permission itself, so no caller can skip it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.core import limits
from gis_service.core.links import site_url
from gis_service.core.mail import send_after_commit
from gis_service.groups import permissions
from gis_service.groups.models import (
    AgendaItem,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    NewsPost,
    Photo,
    StatusUpdate,
    Task,
)
from gis_service.groups.photos import check_photo
from gis_service.groups.selectors import followers_to_notify
from gis_service.locations.models import Location

AnyUser = AbstractBaseUser | AnonymousUser
MAX_PHOTOS_PER_UPDATE = 6


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _uid(user: AnyUser) -> int:
    """The id of a logged-in user; anonymous users never write."""
    if not user.is_authenticated or user.pk is None:
        raise PermissionDenied("Log eerst in.")
    return int(user.pk)


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """`value` stripped; refused when required and empty, or when longer than `max_length` (named)."""
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("Dit veld is verplicht.")})
    return limits.check_length(value, field, max_length)


@transaction.atomic
def group_create(
    *,
    location: Location,
    name: str,
    managers: Iterable[User] = (),
    description: str = "",
    contract: Contract | None = None,
) -> Group:
    """Create the group of a project; its managers lead it and follow it."""
    group = Group.objects.create(location=location, contract=contract, name=name, description=description)
    for user in managers:
        GroupMember.objects.update_or_create(group=group, user=user, defaults={"role": GroupMember.Role.MANAGER})
        Follower.objects.get_or_create(group=group, user=user)
    return group


def group_for_contract(*, contract: Contract, managers: Iterable[User]) -> Group:
    """The group of a contract that just became active; created once, however often it is called."""
    existing = Group.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    return group_create(
        location=contract.location,
        contract=contract,
        name=f"Zelfbeheergroep {contract.location}",
        managers=managers,
    )


def group_follow(*, group: Group, user: AnyUser) -> None:
    _require(permissions.can_follow(group, user), "Log in om deze groep te volgen.")
    Follower.objects.get_or_create(group=group, user_id=_uid(user))


def group_unfollow(*, group: Group, user: AnyUser) -> None:
    Follower.objects.filter(group=group, user_id=_uid(user)).delete()


def group_join(*, group: Group, user: AnyUser) -> GroupMember:
    """Join as volunteer; a manager stays manager. Joining also follows the news."""
    _require(permissions.can_join(group, user), "Log in om mee te doen.")
    member, _created = GroupMember.objects.get_or_create(
        group=group, user_id=_uid(user), defaults={"role": GroupMember.Role.VOLUNTEER}
    )
    Follower.objects.get_or_create(group=group, user_id=_uid(user))
    return member


@transaction.atomic
def member_leave_all(*, user: User) -> None:
    """Takes `user`, whose account is being deleted, out of every group: no longer a member nor a
    follower; tasks they had taken and not finished are open again for others."""
    Task.objects.filter(taken_by_id=user.pk, status=Task.Status.TAKEN).update(
        status=Task.Status.OPEN, taken_by=None, taken_at=None
    )
    GroupMember.objects.filter(user_id=user.pk).delete()
    Follower.objects.filter(user_id=user.pk).delete()


@transaction.atomic
def news_post(*, group: Group, author: AnyUser, title: str, body: str) -> NewsPost:
    """Post news and e-mail it to every follower (after commit, one e-mail each)."""
    _require(permissions.can_post_news(group, author), "Alleen beheerders plaatsen nieuws.")
    post = NewsPost.objects.create(
        group=group,
        author_id=_uid(author),
        title=_text(title, "title", max_length=limits.TITLE),
        body=_text(body, "body", max_length=limits.MESSAGE),
    )
    url = site_url("web:group", group.pk)
    message = (
        f"{post.body}\n\n— {group.name}\n{url}\n\nJe krijgt dit bericht omdat je deze groep volgt; stoppen kan op {url}"
    )
    # One e-mail per follower: a shared To: line would hand every follower's address to all others.
    for email in followers_to_notify(group=group, except_user_id=_uid(author)):
        send_after_commit(to=[email], subject=f"{group.name}: {post.title}", body=message)
    return post


@transaction.atomic
def forum_thread_start(*, group: Group, author: AnyUser, title: str, body: str) -> ForumThread:
    _require(permissions.can_post_in_forum(group, author), "Log in om een onderwerp te starten.")
    thread = ForumThread.objects.create(
        group=group, author_id=_uid(author), title=_text(title, "title", max_length=limits.TITLE)
    )
    ForumPost.objects.create(thread=thread, author_id=_uid(author), body=_text(body, "body", max_length=limits.MESSAGE))
    return thread


def forum_reply(*, thread: ForumThread, author: AnyUser, body: str) -> ForumPost:
    _require(permissions.can_post_in_forum(thread.group, author), "Log in om te reageren.")
    return ForumPost.objects.create(
        thread=thread, author_id=_uid(author), body=_text(body, "body", max_length=limits.MESSAGE)
    )


def agenda_add(
    *, group: Group, user: AnyUser, title: str, starts_at: datetime, place: str = "", description: str = ""
) -> AgendaItem:
    _require(permissions.can_plan(group, user), "Alleen beheerders plannen bijeenkomsten.")
    return AgendaItem.objects.create(
        group=group,
        created_by_id=_uid(user),
        title=_text(title, "title", max_length=limits.TITLE),
        starts_at=starts_at,
        place=_text(place, "place", max_length=limits.TITLE, required=False),
        description=_text(description, "description", max_length=limits.MESSAGE, required=False),
    )


def task_add(*, group: Group, user: AnyUser, title: str, description: str = "") -> Task:
    _require(permissions.can_plan(group, user), "Alleen beheerders zetten taken klaar.")
    return Task.objects.create(
        group=group,
        created_by_id=_uid(user),
        title=_text(title, "title", max_length=limits.TITLE),
        description=_text(description, "description", max_length=limits.MESSAGE, required=False),
    )


def task_take(*, task: Task, user: AnyUser) -> Task:
    """Take an open task. Two volunteers taking it at once: the update only matches while it is open."""
    # Not can_take_task: whether the task is still open is for the update below, which settles the race.
    _require(
        permissions.can_work_on_tasks(task.group, user),
        "Meld je eerst aan als vrijwilliger." if task.group.is_open else "Dit project is afgelopen.",
    )
    taken = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
        status=Task.Status.TAKEN, taken_by_id=user.pk, taken_at=timezone.now()
    )
    if not taken:
        raise ValidationError("Deze taak is al opgepakt.")
    task.refresh_from_db()
    return task


def task_finish(*, task: Task, user: AnyUser) -> Task:
    _require(permissions.can_finish_task(task, user), "Alleen wie de taak oppakte kan hem afronden.")
    # Only while still taken: a double click must not move done_at.
    Task.objects.filter(pk=task.pk, status=Task.Status.TAKEN).update(status=Task.Status.DONE, done_at=timezone.now())
    task.refresh_from_db()
    return task


def status_update_post(
    *, group: Group, author: AnyUser, body: str, photos: Sequence[UploadedFile] = ()
) -> StatusUpdate:
    """Post an update with photos; every photo is checked before anything is stored."""
    _require(permissions.can_post_update(group, author), "Alleen groepsleden plaatsen updates en foto's.")
    if not body.strip() and not photos:
        raise ValidationError({"body": "Schrijf iets of voeg een foto toe."})
    body = _text(body, "body", max_length=limits.MESSAGE, required=False)
    if len(photos) > MAX_PHOTOS_PER_UPDATE:
        raise ValidationError({"photos": f"Maximaal {MAX_PHOTOS_PER_UPDATE} foto's per update."})
    try:
        checked = [check_photo(upload) for upload in photos]
    except ValidationError as error:  # said beside the photo field, not above the form
        raise ValidationError({"photos": error.messages}) from error
    stored: list[str] = []
    try:
        with transaction.atomic():
            update = StatusUpdate.objects.create(group=group, author_id=_uid(author), body=body)
            for photo in checked:
                name = default_storage.save(photo.name, ContentFile(photo.content))
                stored.append(name)
                Photo.objects.create(
                    update=update,
                    file=name,
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size=len(photo.content),
                )
    except BaseException:
        # The rows rolled back; files on disk do not, so remove them here.
        for name in stored:
            default_storage.delete(name)
        raise
    return update


def group_archive(*, group: Group) -> None:
    """The project ended: the group stays readable, but takes no new posts, members or tasks."""
    Group.objects.filter(pk=group.pk, is_open=True).update(is_open=False)
