"""The zelfbeheergroep: every project (a contract on a location) gets one.

Anyone can follow a group; managers (beheerders) lead it; volunteers (vrijwilligers) join it,
take tasks and mark them done. It has news, a forum, an agenda, tasks and status updates
with photos.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from gis_service.core import limits


class Group(models.Model):
    """The group of one zelfbeheer project."""

    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="groups", verbose_name="locatie"
    )
    # The contract the group works under; null for a group started by hand (by staff).
    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="group"
    )
    name = models.CharField("naam", max_length=200)
    description = models.TextField("beschrijving", max_length=limits.MESSAGE, blank=True)
    # A group whose contract ended stays readable but takes no new posts.
    is_open = models.BooleanField("open", default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "zelfbeheergroep"
        verbose_name_plural = "zelfbeheergroepen"
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("description", limits.MESSAGE, name="group_description_length")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """Someone who works in the group: a manager (from the contract) or a volunteer."""

    class Role(models.TextChoices):
        MANAGER = "beheerder", "beheerder"
        VOLUNTEER = "vrijwilliger", "vrijwilliger"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField("rol", max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "groepslid"
        verbose_name_plural = "groepsleden"
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.group}"


class Follower(models.Model):
    """Someone who follows the group's news; needs no other role."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_groups")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "volger"
        verbose_name_plural = "volgers"
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_follower_unique")]

    def __str__(self) -> str:
        return f"{self.user} volgt {self.group}"


class NewsPost(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="news")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("titel", max_length=200)
    body = models.TextField("bericht", max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "nieuwsbericht"
        verbose_name_plural = "nieuwsberichten"
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("body", limits.MESSAGE, name="news_post_body_length")]

    def __str__(self) -> str:
        return self.title


class ForumThread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("onderwerp", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "forumonderwerp"
        verbose_name_plural = "forumonderwerpen"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ForumPost(models.Model):
    thread = models.ForeignKey(ForumThread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("bericht", max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "forumbericht"
        verbose_name_plural = "forumberichten"
        ordering = ["created_at", "id"]
        constraints = [limits.max_length_constraint("body", limits.MESSAGE, name="forum_post_body_length")]

    def __str__(self) -> str:
        return f"bericht {self.pk} in {self.thread}"


class AgendaItem(models.Model):
    """A meeting or work day of the group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="agenda")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("titel", max_length=200)
    starts_at = models.DateTimeField("begint")
    place = models.CharField("plaats", max_length=200, blank=True)
    description = models.TextField("beschrijving", max_length=limits.MESSAGE, blank=True)

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agenda"
        ordering = ["starts_at", "id"]
        constraints = [
            limits.max_length_constraint("description", limits.MESSAGE, name="agenda_item_description_length")
        ]

    def __str__(self) -> str:
        return self.title


class RepeatUnit(models.TextChoices):
    DAYS = "dagen", "dagen"
    WEEKS = "weken", "weken"


class Task(models.Model):
    """Work a volunteer can take on and mark done; it may recur."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        TAKEN = "opgepakt", "opgepakt"
        DONE = "klaar", "klaar"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("taak", max_length=200)
    description = models.TextField("beschrijving", max_length=limits.MESSAGE, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    # The day it should be done by; a recurring task needs one to count from.
    due_on = models.DateField("uiterlijk op", null=True, blank=True)
    # Recurring work (mowing every two weeks): when this one is done or its day has passed,
    # the next one is created `repeat_every` days or weeks after `due_on`.
    repeat_every = models.PositiveSmallIntegerField("herhaal elke", null=True, blank=True)
    repeat_unit = models.CharField("eenheid", max_length=8, choices=RepeatUnit.choices, blank=True)
    # The task this one repeats. One-to-one: a task has at most one next one, even when the
    # volunteer's "done" and the beat task's "its day passed" race (the second insert fails).
    follows = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_task", editable=False
    )

    class Meta:
        verbose_name = "taak"
        verbose_name_plural = "taken"
        ordering = ["created_at", "id"]
        constraints = [
            # A taken or finished task always says who did it.
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(taken_by__isnull=False), name="task_taken_has_person"
            ),
            # Recurring means an interval of at least one, a unit and a day to count from; or none of them.
            models.CheckConstraint(
                condition=models.Q(repeat_every__isnull=True, repeat_unit="")
                | models.Q(repeat_every__gte=1, repeat_unit__in=["dagen", "weken"], due_on__isnull=False),
                name="task_repeat_complete",
            ),
            limits.max_length_constraint("description", limits.MESSAGE, name="task_description_length"),
        ]

    def __str__(self) -> str:
        return self.title


class StatusUpdate(models.Model):
    """How the project is doing, with photos."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("bericht", max_length=limits.MESSAGE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "statusupdate"
        verbose_name_plural = "statusupdates"
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("body", limits.MESSAGE, name="status_update_body_length")]

    def __str__(self) -> str:
        return f"update {self.pk} van {self.group}"


class Photo(models.Model):
    """A checked image; `file` is a generated name under MEDIA_ROOT, never the uploader's."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = "foto"
        verbose_name_plural = "foto's"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name or f"foto {self.pk}"


class HourEntry(models.Model):
    """Hours a member gave: on a task, on a work day (an agenda item), or on a day of their own."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="hours")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours", verbose_name="werkdag"
    )
    worked_on = models.DateField("datum")
    hours = models.DecimalField("uren", max_digits=4, decimal_places=2)
    note = models.CharField("toelichting", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "gewerkte uren"
        verbose_name_plural = "gewerkte uren"
        ordering = ["-worked_on", "-id"]
        constraints = [
            # More than a day in a day is a typing error (an extra zero), not work.
            models.CheckConstraint(
                condition=models.Q(hours__gt=Decimal(0), hours__lte=Decimal(24)), name="hour_entry_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} uur van {self.user} op {self.worked_on}"


class CalendarKey(models.Model):
    """The secret in a user's personal calendar URL (all their groups' agendas).

    Stored rather than signed, so a user who shared the URL by mistake can make a new one and the
    old one stops working.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = "agendasleutel"
        verbose_name_plural = "agendasleutels"

    def __str__(self) -> str:
        return f"agendasleutel van {self.user}"
