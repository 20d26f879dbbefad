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
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits
from gis_service.core.dates import written_date


class Group(models.Model):
    """The group of one zelfbeheer project."""

    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="groups", verbose_name=_("locatie")
    )
    # The contract the group works under; null for a group started by hand (by staff).
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group",
        verbose_name=_("contract"),
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=limits.MESSAGE, blank=True)
    # A group whose contract ended stays readable but takes no new posts.
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("zelfbeheergroep")
        verbose_name_plural = _("zelfbeheergroepen")
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("description", limits.MESSAGE, name="group_description_length")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """Someone who works in the group: a manager (from the contract) or a volunteer."""

    class Role(models.TextChoices):
        MANAGER = "beheerder", _("beheerder")
        VOLUNTEER = "vrijwilliger", _("vrijwilliger")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members", verbose_name=_("groep"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("gebruiker"),
    )
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("lid sinds"))

    class Meta:
        verbose_name = _("groepslid")
        verbose_name_plural = _("groepsleden")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_unique")]

    def __str__(self) -> str:
        return _("%(user)s (%(role)s) in %(group)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "group": self.group,
        }


class MembershipPeriod(models.Model):
    """One stretch of someone's membership in one role, from joining until leaving (open while current).

    GroupMember is who is in the group now, which every permission asks; this is who was, which the
    value report counts per year (docs/value.md). Append-only in the database (sql/membership_period.sql):
    a period is only ever closed, never changed back nor deleted, so leaving keeps the year counted.
    """

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="membership_periods", verbose_name=_("groep")
    )
    # An account is anonymised, never deleted (accounts.services.account_delete): its periods stay
    # under it, so a year's count outlives the person's data.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gebruiker")
    )
    role = models.CharField(_("rol"), max_length=16, choices=GroupMember.Role.choices)
    started_at = models.DateTimeField(_("begonnen op"))
    ended_at = models.DateTimeField(_("gestopt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschapsperiode")
        verbose_name_plural = _("lidmaatschapsperiodes")
        ordering = ["started_at", "id"]
        constraints = [
            # One current period per role: a second join while the first is open would count twice.
            models.UniqueConstraint(
                fields=["group", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_period_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=models.F("started_at")),
                name="membership_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s (%(role)s) in %(group)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "group": self.group,
        }


class Follower(models.Model):
    """Someone who follows the group's news; needs no other role."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="followers", verbose_name=_("groep"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_groups", verbose_name=_("gebruiker")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_follower_unique")]

    def __str__(self) -> str:
        return _("%(user)s volgt %(group)s") % {"user": self.user, "group": self.group}


class NewsPost(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="news", verbose_name=_("groep"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("bericht"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("nieuwsberichten")
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("body", limits.MESSAGE, name="news_post_body_length")]

    def __str__(self) -> str:
        return self.title


class ForumThread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads", verbose_name=_("groep"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("forumonderwerp")
        verbose_name_plural = _("forumonderwerpen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ForumPost(models.Model):
    thread = models.ForeignKey(ForumThread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("onderwerp"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    body = models.TextField(_("bericht"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    # A manager hid the post (services.forum_post_hide): its text is no longer shown to anyone but the
    # group's managers, nor given by the API; it is kept, so showing it again undoes a mistake.
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )

    class Meta:
        verbose_name = _("forumbericht")
        verbose_name_plural = _("forumberichten")
        ordering = ["created_at", "id"]
        constraints = [
            limits.max_length_constraint("body", limits.MESSAGE, name="forum_post_body_length"),
            # A hidden post always says who hid it and when; a shown one says neither.
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True, hidden_by__isnull=True)
                | models.Q(hidden_at__isnull=False, hidden_by__isnull=False),
                name="forum_post_hidden_by_whom",
            ),
        ]

    def __str__(self) -> str:
        return _("bericht %(id)s in %(thread)s") % {"id": self.pk, "thread": self.thread}


class AgendaItem(models.Model):
    """A meeting or work day of the group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("groep"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangemaakt door")
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    description = models.TextField(_("beschrijving"), max_length=limits.MESSAGE, blank=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agenda")
        ordering = ["starts_at", "id"]
        constraints = [
            limits.max_length_constraint("description", limits.MESSAGE, name="agenda_item_description_length")
        ]

    def __str__(self) -> str:
        return self.title


class RepeatUnit(models.TextChoices):
    DAYS = "dagen", _("dagen")
    WEEKS = "weken", _("weken")


class Task(models.Model):
    """Work a volunteer can take on and mark done; it may recur."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        TAKEN = "opgepakt", _("opgepakt")
        DONE = "klaar", _("klaar")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("groep"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangemaakt door")
    )
    title = models.CharField(_("taak"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=limits.MESSAGE, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("status"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opgepakt door"),
    )
    taken_at = models.DateTimeField(null=True, blank=True, verbose_name=_("opgepakt op"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("klaar op"))
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    # The day it should be done by; a recurring task needs one to count from.
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    # Recurring work (mowing every two weeks): when this one is done or its day has passed,
    # the next one is created `repeat_every` days or weeks after `due_on`.
    repeat_every = models.PositiveSmallIntegerField(_("herhaal elke"), null=True, blank=True)
    repeat_unit = models.CharField(_("eenheid"), max_length=8, choices=RepeatUnit.choices, blank=True)
    # The task this one repeats. One-to-one: a task has at most one next one, even when the
    # volunteer's "done" and the beat task's "its day passed" race (the second insert fails).
    follows = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_task",
        editable=False,
        verbose_name=_("volgt op"),
    )

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
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

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="updates", verbose_name=_("groep"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    body = models.TextField(_("bericht"), max_length=limits.MESSAGE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("statusupdate")
        verbose_name_plural = _("statusupdates")
        ordering = ["-created_at", "-id"]
        constraints = [limits.max_length_constraint("body", limits.MESSAGE, name="status_update_body_length")]

    def __str__(self) -> str:
        return _("update %(id)s van %(group)s") % {"id": self.pk, "group": self.group}

    # Read from the prefetched photos (selectors.group_page), so the page asks no query per update.
    @property
    def before_photos(self) -> list[Photo]:
        return [photo for photo in self.photos.all() if photo.kind == Photo.Kind.BEFORE]

    @property
    def after_photos(self) -> list[Photo]:
        return [photo for photo in self.photos.all() if photo.kind == Photo.Kind.AFTER]

    @property
    def plain_photos(self) -> list[Photo]:
        return [photo for photo in self.photos.all() if photo.kind == Photo.Kind.PLAIN]


class Photo(models.Model):
    """A checked image; `file` is a generated name under MEDIA_ROOT, never the uploader's."""

    class Kind(models.TextChoices):
        # Before/after pairs show what the work changed; the group page puts them side by side.
        PLAIN = "", _("foto")
        BEFORE = "voor", _("voor")
        AFTER = "na", _("na")

    update = models.ForeignKey(
        StatusUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("statusupdate")
    )
    file = models.FileField(max_length=200, verbose_name=_("bestand"))
    content_type = models.CharField(max_length=32, verbose_name=_("bestandstype"))
    width = models.PositiveIntegerField(verbose_name=_("breedte (pixels)"))
    height = models.PositiveIntegerField(verbose_name=_("hoogte (pixels)"))
    size = models.PositiveIntegerField(verbose_name=_("grootte (bytes)"))
    kind = models.CharField(
        _("soort"), max_length=4, choices=Kind.choices, blank=True, default=Kind.PLAIN, db_default=Kind.PLAIN
    )

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=["", "voor", "na"]), name="photo_kind_known")]

    def __str__(self) -> str:
        return self.file.name or f"foto {self.pk}"


class HourEntry(models.Model):
    """Hours a member gave: on a task, on a work day (an agenda item), or on a day of their own."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="hours", verbose_name=_("groep"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gebruiker")
    )
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours", verbose_name=_("taak")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours", verbose_name=_("werkdag")
    )
    worked_on = models.DateField(_("datum"))
    hours = models.DecimalField(_("uren"), max_digits=4, decimal_places=2)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("gewerkte uren")
        verbose_name_plural = _("gewerkte uren")
        ordering = ["-worked_on", "-id"]
        constraints = [
            # More than a day in a day is a typing error (an extra zero), not work.
            models.CheckConstraint(
                condition=models.Q(hours__gt=Decimal(0), hours__lte=Decimal(24)), name="hour_entry_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return _("%(hours)s uur van %(user)s op %(day)s") % {
            "hours": self.hours,
            "user": self.user,
            "day": written_date(self.worked_on),
        }


class CalendarKey(models.Model):
    """The secret in a user's personal calendar URL (all their groups' agendas).

    Stored rather than signed, so a user who shared the URL by mistake can make a new one and the
    old one stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key", verbose_name=_("gebruiker")
    )
    token = models.CharField(max_length=64, unique=True, verbose_name=_("sleutel"))
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("agendasleutel")
        verbose_name_plural = _("agendasleutels")

    def __str__(self) -> str:
        return _("agendasleutel van %(user)s") % {"user": self.user}
