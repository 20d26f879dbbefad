"""Writes for groups. Each service checks its permission itself, so no caller can skip it."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.core import limits
from gis_service.core.files import file_save_with_transaction, files_delete_with_transaction
from gis_service.core.links import site_url
from gis_service.core.mail import send_after_commit
from gis_service.groups import permissions
from gis_service.groups.models import (
    AgendaItem,
    CalendarKey,
    Follower,
    ForumPost,
    ForumThread,
    Group,
    GroupMember,
    HourEntry,
    MembershipPeriod,
    NewsPost,
    Photo,
    RepeatUnit,
    StatusUpdate,
    Task,
)
from gis_service.groups.photos import check_photo
from gis_service.groups.selectors import followers_to_mail, unsubscribe_target
from gis_service.groups.unsubscribe import list_unsubscribe_headers, unsubscribe_url
from gis_service.locations.models import Location

AnyUser = AbstractBaseUser | AnonymousUser
MAX_PHOTOS_PER_UPDATE = 6


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _uid(user: AnyUser) -> int:
    """The id of a logged-in user; anonymous users never write."""
    if not user.is_authenticated or user.pk is None:
        raise PermissionDenied(_("Log eerst in."))
    return int(user.pk)


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """`value` stripped; refused when required and empty, or when longer than `max_length` (named)."""
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("Dit veld is verplicht.")})
    return limits.check_length(value, field, max_length)


def _period_open(*, group: Group, user_id: int, role: str, at: datetime | None) -> None:
    """Starts the history of a membership that was just created (MembershipPeriod)."""
    MembershipPeriod.objects.create(group=group, user_id=user_id, role=role, started_at=at or timezone.now())


def _memberships_end(*, user_id: int, at: datetime | None, group: Group | None = None, role: str | None = None) -> None:
    """Ends the user's memberships (of `group` and `role`, or all): the rows go, their periods are closed and
    kept, and the tasks the user had taken and not finished there are open again for others.

    The rows are deleted first, which locks them: a task being taken at that moment holds its taker's
    row (task_take), so it is either taken before this goes on (and then opened again below, in a later
    statement that sees it) or finds no membership and is refused. Opening the tasks first left a window
    in which a task was taken by someone no longer in the group."""
    members = GroupMember.objects.filter(user_id=user_id)
    tasks = Task.objects.filter(taken_by_id=user_id, status=Task.Status.TAKEN)
    if group is not None:
        members, tasks = members.filter(group=group), tasks.filter(group=group)
    if role is not None:
        members = members.filter(role=role)
    deleted, _rows = members.delete()
    if deleted:  # two ends at once: the second deletes nothing and closes nothing
        _periods_close(user_id=user_id, group=group, role=role, at=at)
    tasks.update(status=Task.Status.OPEN, taken_by=None, taken_at=None)


def _periods_close(*, user_id: int, at: datetime | None, group: Group | None = None, role: str | None = None) -> None:
    """Closes the open periods of memberships that were just removed; closed ones stay as they were."""
    periods = MembershipPeriod.objects.filter(user_id=user_id, ended_at__isnull=True)
    if group is not None:
        periods = periods.filter(group=group)
    if role is not None:
        periods = periods.filter(role=role)
    periods.update(ended_at=at or timezone.now())


@transaction.atomic
def group_create(
    *,
    location: Location,
    name: str,
    managers: Iterable[User] = (),
    description: str = "",
    contract: Contract | None = None,
    at: datetime | None = None,
) -> Group:
    """Create the group of a project; its managers lead it and follow it (from `at`, now by default)."""
    group = Group.objects.create(location=location, contract=contract, name=name, description=description)
    for user in managers:
        _member, created = GroupMember.objects.get_or_create(
            group=group, user=user, defaults={"role": GroupMember.Role.MANAGER}
        )
        if created:  # a manager named twice is one member with one period
            _period_open(group=group, user_id=user.pk, role=GroupMember.Role.MANAGER, at=at)
        Follower.objects.get_or_create(group=group, user=user)
    return group


def group_for_contract(*, contract: Contract, managers: Iterable[User], at: datetime | None = None) -> Group:
    """The group of a contract that just became active; created once, however often it is called."""
    existing = Group.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    return group_create(
        location=contract.location,
        contract=contract,
        name=f"Zelfbeheergroep {contract.location}",
        managers=managers,
        at=at,
    )


def group_follow(*, group: Group, user: AnyUser) -> None:
    _require(permissions.can_follow(group, user), _("Log in om deze groep te volgen."))
    Follower.objects.get_or_create(group=group, user_id=_uid(user))


def group_unfollow(*, group: Group, user: AnyUser) -> None:
    Follower.objects.filter(group=group, user_id=_uid(user)).delete()


@transaction.atomic
def group_join(*, group: Group, user: AnyUser, at: datetime | None = None) -> GroupMember:
    """Join as volunteer (from `at`, now by default); a manager stays manager. Joining also follows the news."""
    _require(permissions.can_join(group, user), _("Log in om mee te doen."))
    # Two joins at once: the second waits on the unique (group, user) and gets the first's row, so
    # only the one that created the member opens a period.
    member, created = GroupMember.objects.get_or_create(
        group=group, user_id=_uid(user), defaults={"role": GroupMember.Role.VOLUNTEER}
    )
    if created:
        _period_open(group=group, user_id=_uid(user), role=member.role, at=at)
    Follower.objects.get_or_create(group=group, user_id=_uid(user))
    return member


@transaction.atomic
def group_leave(*, group: Group, user: AnyUser, at: datetime | None = None) -> None:
    """Stop as volunteer (at `at`, now by default): tasks taken and not finished are open again for
    others; hours written down stay (the group's total), and so does the period they helped in (the
    value report counts it). Following the news is a choice of its own and stays."""
    _require(permissions.can_leave(group, user), _("Alleen vrijwilligers van een lopende groep kunnen stoppen."))
    _memberships_end(user_id=_uid(user), group=group, role=GroupMember.Role.VOLUNTEER, at=at)


@transaction.atomic
def member_leave_all(*, user: User, at: datetime | None = None) -> None:
    """Takes `user`, whose account is being deleted, out of every group: no longer a member nor a
    follower, no personal calendar URL; tasks they had taken and not finished are open again for
    others. Hours they wrote down stay (the group's total), and so do their membership periods,
    closed at `at` (now by default): both under the anonymised account, so counts keep them."""
    _memberships_end(user_id=user.pk, at=at)
    Follower.objects.filter(user_id=user.pk).delete()
    CalendarKey.objects.filter(user_id=user.pk).delete()


@transaction.atomic
def member_set(*, group: Group, user: User, role: str, at: datetime | None = None) -> GroupMember:
    """Makes `user` a member in `role` from `at` (now by default), for staff in the admin, which checks
    its own permissions. A changed role ends the old role's period and starts the new one's."""
    member = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
    if member is None:
        member = GroupMember.objects.create(group=group, user=user, role=role)
        _period_open(group=group, user_id=user.pk, role=role, at=at)
    elif member.role != role:
        _periods_close(group=group, user_id=user.pk, role=member.role, at=at)
        member.role = role
        member.save(update_fields=["role"])
        _period_open(group=group, user_id=user.pk, role=role, at=at)
    return member


@transaction.atomic
def member_remove(*, group: Group, user: User, at: datetime | None = None) -> None:
    """Takes `user` out of the group at `at` (now by default), a manager too, for staff in the admin;
    their period is closed and kept, the tasks they had taken are open again."""
    _memberships_end(user_id=user.pk, group=group, at=at)


@transaction.atomic
def volunteer_remove(*, group: Group, by: AnyUser, user_id: int, at: datetime | None = None) -> bool:
    """A manager takes a volunteer out of the group (at `at`, now by default), as leaving does: the
    tasks they had taken are open again, their hours and period stay (the value report counts them),
    and following the news stays their own choice (the news is public). They are told by e-mail, so
    they do not find out by a refused tap. False when they were no volunteer (any more): twice is no error."""
    _require(permissions.can_remove_volunteers(group, by), _("Alleen beheerders halen vrijwilligers uit de groep."))
    if user_id == _uid(by):
        raise PermissionDenied(_("Je kunt jezelf niet uit de groep halen."))
    member = (
        GroupMember.objects.select_related("user")
        .filter(group=group, user_id=user_id, role=GroupMember.Role.VOLUNTEER)
        .first()
    )
    if member is None:
        return False
    _memberships_end(user_id=user_id, group=group, role=GroupMember.Role.VOLUNTEER, at=at)
    user = member.user
    if user.is_active and user.email:
        with translation.override(user.mail_language):
            send_after_commit(
                to=[user.email],
                subject=_("Je doet niet meer mee bij %(group)s") % {"group": group.name},
                body=_(
                    "Een beheerder van %(group)s heeft je uit de groep gehaald. De taken die je had opgepakt "
                    "staan weer open voor anderen; je uren blijven meetellen. Vragen? Stel ze op het forum "
                    "van de groep: %(url)s"
                )
                % {"group": group.name, "url": site_url("web:group", group.pk)},
            )
    return True


@transaction.atomic
def news_post(*, group: Group, author: AnyUser, title: str, body: str) -> NewsPost:
    """Post news and e-mail it to every follower (after commit, one e-mail each)."""
    _require(permissions.can_post_news(group, author), _("Alleen beheerders plaatsen nieuws."))
    post = NewsPost.objects.create(
        group=group,
        author_id=_uid(author),
        title=_text(title, "title", max_length=limits.TITLE),
        body=_text(body, "body", max_length=limits.MESSAGE),
    )
    url = site_url("web:group", group.pk)
    # One e-mail per follower: a shared To: line would hand every follower's address to all others,
    # and each carries its own signed unsubscribe link (in the text and in the List-Unsubscribe header).
    for user_id, email, language in followers_to_mail(group=group, except_user_id=_uid(author)):
        stop = unsubscribe_url(group_id=group.pk, user_id=user_id)
        with translation.override(language):
            footer = _(
                "Je krijgt dit bericht omdat je deze groep volgt. Geen nieuws meer ontvangen? Eén klik: %(url)s"
            ) % {"url": stop}
        send_after_commit(
            to=[email],
            subject=f"{group.name}: {post.title}",
            body=f"{post.body}\n\n— {group.name}\n{url}\n\n{footer}",
            headers=list_unsubscribe_headers(stop),
        )
    return post


def group_unsubscribe(*, token: str) -> Group:
    """Stop the news mail a signed unsubscribe link names; the link is the proof, no log-in needed.

    Unsubscribing twice is no error: a mail client may post the link more than once.
    """
    target = unsubscribe_target(token)
    Follower.objects.filter(group=target.group, user_id=target.user_id).delete()
    return target.group


@transaction.atomic
def forum_thread_start(*, group: Group, author: AnyUser, title: str, body: str) -> ForumThread:
    _require(permissions.can_post_in_forum(group, author), _("Log in om een onderwerp te starten."))
    thread = ForumThread.objects.create(
        group=group, author_id=_uid(author), title=_text(title, "title", max_length=limits.TITLE)
    )
    ForumPost.objects.create(thread=thread, author_id=_uid(author), body=_text(body, "body", max_length=limits.MESSAGE))
    return thread


def forum_reply(*, thread: ForumThread, author: AnyUser, body: str) -> ForumPost:
    _require(permissions.can_post_in_forum(thread.group, author), _("Log in om te reageren."))
    return ForumPost.objects.create(
        thread=thread, author_id=_uid(author), body=_text(body, "body", max_length=limits.MESSAGE)
    )


@transaction.atomic
def forum_post_hide(*, post: ForumPost, by: AnyUser, hidden: bool = True) -> ForumPost:
    """A manager hides a post from the group's forum (or, `hidden=False`, shows it again). The text is
    kept, not deleted: a hide by mistake is undone, and what was said stays on record for the managers."""
    _require(permissions.can_moderate_forum(post.thread.group, by), _("Alleen beheerders kunnen berichten verbergen."))
    if hidden and post.hidden_at is None:
        post.hidden_at, post.hidden_by_id = timezone.now(), _uid(by)
    elif not hidden:
        post.hidden_at, post.hidden_by_id = None, None
    post.save(update_fields=["hidden_at", "hidden_by"])
    return post


def agenda_add(
    *, group: Group, user: AnyUser, title: str, starts_at: datetime, place: str = "", description: str = ""
) -> AgendaItem:
    _require(permissions.can_plan(group, user), _("Alleen beheerders plannen bijeenkomsten."))
    return AgendaItem.objects.create(
        group=group,
        created_by_id=_uid(user),
        title=_text(title, "title", max_length=limits.TITLE),
        starts_at=starts_at,
        place=_text(place, "place", max_length=limits.TITLE, required=False),
        description=_text(description, "description", max_length=limits.MESSAGE, required=False),
    )


MAX_REPEAT_DAYS = 366


def _repeat_step(every: int, unit: str) -> timedelta:
    return timedelta(weeks=every) if unit == RepeatUnit.WEEKS else timedelta(days=every)


def task_add(
    *,
    group: Group,
    user: AnyUser,
    title: str,
    description: str = "",
    due_on: date | None = None,
    repeat_every: int | None = None,
    repeat_unit: str = "",
) -> Task:
    """A task for the group; with `repeat_every` and `repeat_unit` it recurs, counted from `due_on`."""
    _require(permissions.can_plan(group, user), _("Alleen beheerders zetten taken klaar."))
    if repeat_every is not None or repeat_unit:
        if repeat_unit not in RepeatUnit.values:
            raise ValidationError({"repeat_unit": _("Kies dagen of weken.")})
        if repeat_every is None or repeat_every < 1:
            raise ValidationError({"repeat_every": _("Herhaal elke 1 of meer dagen of weken.")})
        if _repeat_step(repeat_every, repeat_unit) > timedelta(days=MAX_REPEAT_DAYS):
            raise ValidationError({"repeat_every": _("Herhaal hoogstens eens per jaar.")})
        if due_on is None:
            raise ValidationError({"due_on": _("Een terugkerende taak heeft een eerste datum nodig.")})
    return Task.objects.create(
        group=group,
        created_by_id=_uid(user),
        title=_text(title, "title", max_length=limits.TITLE),
        description=_text(description, "description", max_length=limits.MESSAGE, required=False),
        due_on=due_on,
        repeat_every=repeat_every,
        repeat_unit=repeat_unit,
    )


def task_repeat(*, task: Task, today: date | None = None) -> Task | None:
    """The next one of a recurring task, created once; None when it does not recur (or its group closed).

    Its day is the first step after `due_on` that is not before today, so a task left alone for
    a month yields one new task for the coming turn, not a backlog of missed ones.
    """
    if task.repeat_every is None or task.due_on is None or not task.group.is_open:
        return None
    existing = Task.objects.filter(follows=task).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    step = _repeat_step(task.repeat_every, task.repeat_unit)
    due = task.due_on + step
    while due < today:
        due += step
    try:
        # The savepoint lets a lost race (the other side inserted the next task first) end quietly.
        with transaction.atomic():
            return Task.objects.create(
                group=task.group,
                created_by_id=task.created_by_id,
                title=task.title,
                description=task.description,
                due_on=due,
                repeat_every=task.repeat_every,
                repeat_unit=task.repeat_unit,
                follows=task,
            )
    except IntegrityError:
        return Task.objects.get(follows=task)


def tasks_repeat_due(*, today: date | None = None) -> int:
    """For the beat: recurring tasks whose day has passed get their next one. Returns how many were made."""
    today = today or timezone.localdate()
    made = 0
    due = Task.objects.filter(
        repeat_every__isnull=False, due_on__lt=today, next_task__isnull=True, group__is_open=True
    ).select_related("group")
    for task in due.iterator():
        if task_repeat(task=task, today=today) is not None:
            made += 1
    return made


@transaction.atomic
def task_take(*, task: Task, user: AnyUser) -> Task:
    """Take an open task. Two volunteers taking it at once: the update only matches while it is open."""
    # The taker's membership is held until the task is taken: ending it at the same moment waits for this
    # and then opens the task again; ended first, it is not there for the check below (_memberships_end).
    # The person first, as account_delete locks them: the task's reference to them is checked at commit,
    # and a deletion holding the person while waiting for the membership deadlocked with it.
    if user.is_authenticated:
        User.objects.select_for_update(no_key=True).filter(pk=_uid(user)).first()
        GroupMember.objects.select_for_update(no_key=True).filter(group_id=task.group_id, user_id=_uid(user)).first()
    # Not can_take_task: whether the task is still open is for the update below, which settles the race.
    _require(
        permissions.can_work_on_tasks(task.group, user),
        _("Meld je eerst aan als vrijwilliger.") if task.group.is_open else _("Dit project is afgelopen."),
    )
    taken = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
        status=Task.Status.TAKEN, taken_by_id=user.pk, taken_at=timezone.now()
    )
    if not taken:
        raise ValidationError(_("Deze taak is al opgepakt."))
    task.refresh_from_db()
    return task


def task_finish(*, task: Task, user: AnyUser) -> Task:
    _require(permissions.can_finish_task(task, user), _("Alleen wie de taak oppakte kan hem afronden."))
    # Only while still taken: a double click must not move done_at.
    with transaction.atomic():
        finished = Task.objects.filter(pk=task.pk, status=Task.Status.TAKEN).update(
            status=Task.Status.DONE, done_at=timezone.now()
        )
        task.refresh_from_db()
        if finished:
            task_repeat(task=task)
    return task


MAX_HOURS_BACK = timedelta(days=366)


@transaction.atomic
def hours_log(
    *,
    group: Group,
    user: AnyUser,
    worked_on: date,
    hours: Decimal,
    task: Task | None = None,
    agenda_item: AgendaItem | None = None,
    note: str = "",
) -> HourEntry:
    """Write down hours a member gave, on one of the group's tasks or work days, or on a day of their own."""
    _require(
        permissions.can_log_hours(group, user), _("Alleen vrijwilligers en beheerders van de groep schrijven uren.")
    )
    if not Decimal(0) < hours <= Decimal(24):
        raise ValidationError({"hours": _("Vul tussen 0 en 24 uur in.")})
    if (hours * 4) % 1:
        raise ValidationError({"hours": _("Vul uren in kwartieren in (bijvoorbeeld 1,5 of 2,25).")})
    today = timezone.localdate()
    if worked_on > today:
        raise ValidationError({"worked_on": _("Uren schrijf je achteraf: deze datum ligt in de toekomst.")})
    if worked_on < today - MAX_HOURS_BACK:
        raise ValidationError({"worked_on": _("Deze datum ligt meer dan een jaar terug.")})
    if task is not None and task.group_id != group.pk:
        raise ValidationError({"task": _("Deze taak hoort niet bij deze groep.")})
    if agenda_item is not None and agenda_item.group_id != group.pk:
        raise ValidationError({"agenda_item": _("Deze werkdag hoort niet bij deze groep.")})
    return HourEntry.objects.create(
        group=group,
        user_id=_uid(user),
        task=task,
        agenda_item=agenda_item,
        worked_on=worked_on,
        hours=hours,
        note=note.strip()[:200],
    )


def calendar_key_get(*, user: AnyUser) -> CalendarKey:
    """The user's personal calendar key, made the first time it is asked for."""
    key, _created = CalendarKey.objects.get_or_create(user_id=_uid(user), defaults={"token": secrets.token_urlsafe(32)})
    return key


def calendar_key_renew(*, user: AnyUser) -> CalendarKey:
    """A new secret for the personal calendar URL; the old URL stops working at once."""
    key, _created = CalendarKey.objects.update_or_create(
        user_id=_uid(user), defaults={"token": secrets.token_urlsafe(32)}
    )
    return key


def calendar_key_revoke(*, user: AnyUser) -> None:
    """No personal calendar URL any more; the old one answers 404. Revoking twice is no error."""
    CalendarKey.objects.filter(user_id=_uid(user)).delete()


def status_update_post(
    *,
    group: Group,
    author: AnyUser,
    body: str,
    photos: Sequence[UploadedFile] = (),
    before: Sequence[UploadedFile] = (),
    after: Sequence[UploadedFile] = (),
) -> StatusUpdate:
    """Post an update with photos, some of them marked as taken before or after the work; every photo
    is checked before anything is stored."""
    _require(permissions.can_post_update(group, author), _("Alleen groepsleden plaatsen updates en foto's."))
    uploads = [
        *((upload, Photo.Kind.BEFORE) for upload in before),
        *((upload, Photo.Kind.AFTER) for upload in after),
        *((upload, Photo.Kind.PLAIN) for upload in photos),
    ]
    if not body.strip() and not uploads:
        raise ValidationError({"body": _("Schrijf iets of voeg een foto toe.")})
    body = _text(body, "body", max_length=limits.MESSAGE, required=False)
    if len(uploads) > MAX_PHOTOS_PER_UPDATE:
        raise ValidationError(
            {
                "photos": ngettext(
                    "Maximaal %(count)d foto per update.",
                    "Maximaal %(count)d foto's per update.",
                    MAX_PHOTOS_PER_UPDATE,
                )
                % {"count": MAX_PHOTOS_PER_UPDATE}
            }
        )
    checked = []
    for upload, kind in uploads:
        try:
            checked.append((check_photo(upload), kind))
        except ValidationError as error:  # said beside the field the photo came in, not above the form
            raise ValidationError({_PHOTO_FIELD[kind]: error.messages}) from error
    with transaction.atomic():
        update = StatusUpdate.objects.create(group=group, author_id=_uid(author), body=body)
        for photo, kind in checked:
            # Removed again if this transaction (or the caller's around it) rolls back.
            name = file_save_with_transaction(name=photo.name, content=photo.content)
            Photo.objects.create(
                update=update,
                file=name,
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size=len(photo.content),
                kind=kind,
            )
    return update


@transaction.atomic
def status_update_delete(*, update: StatusUpdate, by: AnyUser) -> None:
    """Its author or a group manager deletes an update with its photos; the files go once the rows
    are gone for good (after commit), so a rollback never leaves a row without its file."""
    _require(
        permissions.can_delete_update(update, by),
        _("Alleen wie de update plaatste of een beheerder van de groep kan hem verwijderen."),
    )
    names = list(update.photos.values_list("file", flat=True))
    update.delete()
    files_delete_with_transaction(names=names)


# The form (and API) field each kind of photo is posted in, for the error beside it.
_PHOTO_FIELD = {Photo.Kind.PLAIN: "photos", Photo.Kind.BEFORE: "before", Photo.Kind.AFTER: "after"}


def group_archive(*, group: Group) -> None:
    """The project ended: the group stays readable, but takes no new posts, members or tasks."""
    Group.objects.filter(pk=group.pk, is_open=True).update(is_open=False)
