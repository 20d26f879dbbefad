"""Offerings, versioned terms, digital contracts and the managers who sign them.

The rules that must hold whatever code writes the rows live in PostgreSQL (migration
0002): a terms version's text and hash never change, an acceptance is never rewritten,
and two active contracts never share ground in overlapping periods (docs/workflow.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models.functions import Now
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits


def terms_hash(text: str) -> str:
    """The content hash of a terms text: SHA-256 of its UTF-8 bytes, as the database computes it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Offering(models.Model):
    """What an owner offers with a location: the content of its digital zelfbeheer contract."""

    class Support(models.TextChoices):
        MATERIALS = "materiaal", _("materiaal")
        KNOWLEDGE = "kennis", _("kennis")
        TOOLS = "gereedschap", _("gereedschap")
        CONTACT = "contactpersoon", _("contactpersoon")
        BUDGET = "budget", _("budget of vouchers")

    location = models.OneToOneField(
        "locations.Location", on_delete=models.CASCADE, related_name="offering", verbose_name=_("locatie")
    )
    conditions = models.TextField(_("randvoorwaarden"), max_length=limits.TERMS)
    offered_from = models.DateField(_("aangeboden vanaf"), null=True, blank=True)
    offered_until = models.DateField(_("aangeboden tot"), null=True, blank=True)
    # Real municipalities ask for at least three residents (Hendrik-Ido-Ambacht, Pijnacker-Nootdorp).
    managers_needed = models.PositiveSmallIntegerField(_("aantal beheerders nodig"), default=3)
    contract_months = models.PositiveSmallIntegerField(_("looptijd contract (maanden)"), default=12)
    budget_eur = models.DecimalField(_("budget (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    reward = models.CharField(_("beloning"), max_length=255, blank=True)
    # A list of Support values: what the owner offers, so residents can pick what fits.
    support = models.JSONField(_("ondersteuning"), default=list, blank=True)
    support_notes = models.TextField(_("toelichting ondersteuning"), max_length=limits.MESSAGE, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contactpersoon"),
    )
    # Set when the regisseur stops offering the location: it is then no longer available for
    # sign-ups, while running contracts on it go on (the offering row stays: terms hang on it).
    stopped_at = models.DateTimeField(_("aanbod gestopt op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(managers_needed__gte=1), name="offering_managers_needed_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(contract_months__gte=1), name="offering_contract_months_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(offered_from__isnull=True)
                | models.Q(offered_until__isnull=True)
                | models.Q(offered_until__gte=models.F("offered_from")),
                name="offering_period_ordered",
            ),
            limits.max_length_constraint("conditions", limits.TERMS, name="offering_conditions_length"),
            limits.max_length_constraint("support_notes", limits.MESSAGE, name="offering_support_notes_length"),
        ]

    def __str__(self) -> str:
        return _("aanbod %(location)s") % {"location": self.location}

    def period_on(self, day: dt.date | None = None) -> str:
        """Where `day` (today, by default) lies in the offering period: "not_yet", "within" or "over";
        the period part of the status rule (locations/sql/status.sql), for what the pages say."""
        day = day or localdate()
        if self.offered_from and day < self.offered_from:
            return "not_yet"
        if self.offered_until and day > self.offered_until:
            return "over"
        return "within"

    def current_terms(self) -> TermsVersion | None:
        return self.terms_versions.order_by("-number").first()


class TermsVersion(models.Model):
    """One version of an offering's contract terms; its text and hash are immutable in the database."""

    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="terms_versions", verbose_name=_("aanbod")
    )
    number = models.PositiveIntegerField(_("versie"))
    text = models.TextField(_("voorwaarden"), max_length=limits.TERMS)
    # Set (and checked) by the database from `text` on insert: see migration 0002.
    content_hash = models.CharField(_("hash (SHA-256)"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))

    class Meta:
        verbose_name = _("versie van de voorwaarden")
        verbose_name_plural = _("versies van de voorwaarden")
        ordering = ["offering", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "number"], name="terms_version_unique_number"),
            limits.max_length_constraint("text", limits.TERMS, name="terms_version_text_length"),
        ]

    def __str__(self) -> str:
        return _("voorwaarden v%(number)s (%(hash)s)") % {"number": self.number, "hash": self.content_hash[:10]}

    def save(self, *args: object, **kwargs: object) -> None:
        self.content_hash = terms_hash(self.text)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class OverlapRule(models.Model):
    """The one row holding the overlap tolerance; the database trigger and the check both read it."""

    tolerance_m2 = models.FloatField(_("tolerantie (m²)"), default=1.0)

    class Meta:
        verbose_name = _("overlapregel")
        verbose_name_plural = _("overlapregel")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="overlap_rule_single_row"),
            models.CheckConstraint(condition=models.Q(tolerance_m2__gte=0), name="overlap_rule_tolerance_positive"),
        ]

    def __str__(self) -> str:
        return _("overlap boven %(m2)s m² telt") % {"m2": self.tolerance_m2}


class ContractQuerySet(models.QuerySet["Contract"]):
    def visible_to(self, user: Any) -> ContractQuerySet:
        """Active contracts are public; the others only for their managers, the owner's regisseurs, platform staff."""
        from gis_service.accounts.models import Membership

        public = models.Q(status=Contract.Status.ACTIVE)
        if not getattr(user, "is_authenticated", False):
            return self.filter(public)
        if user.sees_every_owner():
            return self
        regisseur_of = Membership.objects.directed_by(user).values("owner_id")
        return self.filter(
            public
            | models.Q(location__owner_id__in=regisseur_of)
            | models.Q(signups__user=user, signups__withdrawn_at__isnull=True)
        ).distinct()


class Contract(models.Model):
    """A digital zelfbeheer contract for one location: open for sign-ups, then decided by a regisseur."""

    class Status(models.TextChoices):
        OPEN = "open", _("aanmelding open")
        ACTIVE = "active", _("actief")
        REJECTED = "rejected", _("afgewezen")
        ENDED = "ended", _("beëindigd")

    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("locatie")
    )
    # The ground agreed on, copied from the location: a later re-sync of the source must not
    # move a signed contract's ground (Location.ground_changed_at flags such changes instead).
    geometry = models.MultiPolygonField(_("grond"), srid=settings.STORAGE_SRID)
    terms_version = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("versie van de voorwaarden")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("status"))
    starts_on = models.DateField(_("begindatum"), null=True, blank=True)
    ends_on = models.DateField(_("einddatum"), null=True, blank=True)
    # "Update only if unchanged" flags: set once by a conditional UPDATE (services.py).
    threshold_reached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("genoeg beheerders op"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("herinnering verstuurd op"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("besloten op"))
    rejection_reason = models.TextField(_("reden van afwijzing"), max_length=limits.MESSAGE, blank=True)
    # How an active contract ended: by its end date (ended_by empty), or early by a manager or
    # the regisseur, with the reason (either side may end the agreement, as Lansingerland's says).
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )
    end_reason = models.TextField(_("reden van beëindiging"), max_length=limits.MESSAGE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, db_default=Now(), verbose_name=_("gewijzigd op"))

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("zelfbeheercontract")
        verbose_name_plural = _("zelfbeheercontracten")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(geometry__isvalid=True), name="contract_geometry_valid"),
            models.UniqueConstraint(
                fields=["location"], condition=models.Q(status="open"), name="contract_one_open_per_location"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(starts_on__isnull=False),
                name="contract_active_has_start",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="contract_period_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_at__isnull=False),
                name="contract_ended_has_moment",
            ),
            limits.max_length_constraint("rejection_reason", limits.MESSAGE, name="contract_rejection_reason_length"),
            limits.max_length_constraint("end_reason", limits.MESSAGE, name="contract_end_reason_length"),
        ]
        indexes = [models.Index(fields=["status", "ends_on"], name="contract_status_ends_on")]

    def has_started(self) -> bool:
        """Active from a start date that is today or past, on the local calendar: from then on a
        manager can no longer withdraw."""
        return self.status == Contract.Status.ACTIVE and self.starts_on is not None and self.starts_on <= localdate()

    def __str__(self) -> str:
        return _("contract %(id)s — %(location)s") % {"id": self.pk, "location": self.location}


class ManagerSignup(models.Model):
    """A resident signed up as manager (beheerder) of a contract, with their plan."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signups", verbose_name=_("contract"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="manager_signups", verbose_name=_("gebruiker")
    )
    plan = models.TextField(_("plan"), max_length=limits.MESSAGE)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("aangemaakt op"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ingetrokken op"))

    class Meta:
        verbose_name = _("aanmelding als beheerder")
        verbose_name_plural = _("aanmeldingen als beheerder")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="signup_one_current_per_user",
            ),
            limits.max_length_constraint("plan", limits.MESSAGE, name="signup_plan_length"),
        ]

    def __str__(self) -> str:
        return _("%(user)s voor %(contract)s") % {"user": self.user, "contract": self.contract}


class TermsAcceptance(models.Model):
    """Proof that a user accepted a terms version for a contract: who, when, which text (hash).

    Rows are append-only in the database, so the proof cannot be rewritten later.
    """

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="acceptances", verbose_name=_("contract")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="terms_acceptances",
        verbose_name=_("gebruiker"),
    )
    terms_version = models.ForeignKey(
        TermsVersion, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("versie van de voorwaarden")
    )
    content_hash = models.CharField(max_length=64, verbose_name=_("hash (SHA-256)"))
    accepted_at = models.DateTimeField(auto_now_add=True, db_default=Now(), verbose_name=_("akkoord gegeven op"))

    class Meta:
        verbose_name = _("akkoord met voorwaarden")
        verbose_name_plural = _("akkoorden met voorwaarden")
        ordering = ["accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "user", "terms_version"], name="acceptance_once_per_version"),
        ]

    def __str__(self) -> str:
        return _("%(user)s akkoord met %(terms)s") % {"user": self.user, "terms": self.terms_version}
