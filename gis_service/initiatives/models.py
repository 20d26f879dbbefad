"""Resident initiatives (bewonersinitiatieven): areas residents ask to take into zelfbeheer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models.functions import Length, Now
from django.db.models.lookups import LessThanOrEqual
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def visible_to(self, user: Any) -> InitiativeQuerySet:
        """Initiators, the responsible owner's regisseurs and platform staff see an initiative; nobody else."""
        from gis_service.accounts.models import Membership

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.sees_every_owner():
            return self
        regisseur_of = Membership.objects.directed_by(user).values("owner_id")
        return self.filter(models.Q(owner_id__in=regisseur_of) | models.Q(initiators=user)).distinct()

    def public(self) -> InitiativeQuerySet:
        """Initiatives everyone may read and discuss: waiting and approved ones. A rejected one
        closes; who proposed an initiative is never public (only its plan, area and status)."""
        return self.exclude(status=Initiative.Status.REJECTED)

    def waiting(self) -> InitiativeQuerySet:
        return self.filter(status=Initiative.Status.SUBMITTED)


# Longest texts an initiative keeps, in characters: a 5 MB description was stored and mailed in
# full (issue 17). A plan of a few paragraphs fits easily; the database holds the same limits.
DESCRIPTION_MAX_CHARS = limits.MESSAGE
REJECTION_REASON_MAX_CHARS = limits.MESSAGE


class Initiative(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("ingediend")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    # The owner whose locations or territory cover most of the area: its regisseurs decide.
    owner = models.ForeignKey(
        "owners.Owner", on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("eigenaar")
    )
    geometry = models.MultiPolygonField(_("gebied"), srid=settings.STORAGE_SRID)
    area_m2 = models.GeneratedField(
        expression=models.Func(models.F("geometry"), function="ST_Area", output_field=models.FloatField()),
        output_field=models.FloatField(),
        db_persist=True,
        verbose_name=_("oppervlakte (m²)"),
    )
    description = models.TextField(_("plan"))
    # Drawn from existing locations, when the resident picked them instead of drawing.
    locations = models.ManyToManyField(
        "locations.Location", blank=True, related_name="initiatives", verbose_name=_("locaties")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangemaakt door")
    )
    initiators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="initiatives", verbose_name=_("initiatiefnemers")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, verbose_name=_("status"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("besloten op"))
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    # What approval made of it.
    location = models.OneToOneField(
        "locations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_initiative",
        verbose_name=_("locatie"),
    )
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative",
        verbose_name=_("contract"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    # The key of the form it was submitted from: the same form sent twice (a double tap, a retry
    # after a lost answer) makes one initiative, which the unique constraint below guarantees.
    submission_key = models.UUIDField(null=True, blank=True, editable=False, verbose_name=_("indieningssleutel"))

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewonersinitiatief")
        verbose_name_plural = _("bewonersinitiatieven")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(geometry__isvalid=True), name="initiative_geometry_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(contract__isnull=False),
                name="initiative_approved_has_contract",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_CHARS),
                name="initiative_description_length",
                # What the admin's form shows (model validation); the number is DESCRIPTION_MAX_CHARS.
                violation_error_message=_("Gebruik voor het plan hoogstens 5000 tekens."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("rejection_reason"), REJECTION_REASON_MAX_CHARS),
                name="initiative_rejection_reason_length",
                violation_error_message=_("Gebruik voor de reden van afwijzing hoogstens 5000 tekens."),
            ),
            models.UniqueConstraint(fields=["created_by", "submission_key"], name="initiative_submitted_once"),
        ]

    def __str__(self) -> str:
        return _("initiatief %(id)s: %(plan)s") % {"id": self.pk, "plan": self.description[:40]}

    @property
    def invite_token(self) -> str:
        """What an initiator shares so a neighbour can join: an HMAC of the id under SECRET_KEY, as
        ids are sequential and anyone who joins reads the initiators' names and later their contacts."""
        return salted_hmac("initiatives.invite", str(self.pk), algorithm="sha256").hexdigest()[:32]


class InitiativePostQuerySet(models.QuerySet["InitiativePost"]):
    def shown(self) -> InitiativePostQuerySet:
        return self.filter(hidden_at__isnull=True)


class InitiativePost(models.Model):
    """A message in an initiative's public discussion: any logged-in resident writes one, the
    regisseur of the initiative's owner hides one with a reason (kept, never deleted)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="posts", verbose_name=_("bewonersinitiatief")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    body = models.TextField(_("bericht"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )
    hidden_reason = models.TextField(_("reden om te verbergen"), max_length=limits.MESSAGE, blank=True)

    objects = InitiativePostQuerySet.as_manager()

    class Meta:
        verbose_name = _("bericht bij een initiatief")
        verbose_name_plural = _("berichten bij initiatieven")
        ordering = ["created_at", "id"]
        constraints = [
            limits.max_length_constraint("body", limits.MESSAGE, name="initiative_post_body_length"),
            limits.max_length_constraint("hidden_reason", limits.MESSAGE, name="initiative_post_reason_length"),
            # A hidden post always says who hid it, when and why; a shown one says none of it.
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True, hidden_by__isnull=True, hidden_reason="")
                | (models.Q(hidden_at__isnull=False, hidden_by__isnull=False) & ~models.Q(hidden_reason="")),
                name="initiative_post_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("bericht %(id)s bij initiatief %(initiative)s") % {"id": self.pk, "initiative": self.initiative_id}


class HelpOffer(models.Model):
    """A professional of the initiative's owner offers help: who they are (their function) and what."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="help_offers", verbose_name=_("bewonersinitiatief")
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("professional")
    )
    function = models.CharField(_("functie"), max_length=limits.TITLE)
    offer = models.TextField(_("wat je aanbiedt"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("hulpaanbod")
        verbose_name_plural = _("hulpaanbiedingen")
        ordering = ["created_at", "id"]
        constraints = [
            limits.max_length_constraint("offer", limits.MESSAGE, name="help_offer_text_length"),
            # One offer per professional per initiative: a second tap or a retry makes no second card.
            models.UniqueConstraint(fields=["initiative", "professional"], name="help_offer_once"),
        ]

    def __str__(self) -> str:
        return _("hulpaanbod %(id)s bij initiatief %(initiative)s") % {"id": self.pk, "initiative": self.initiative_id}
