"""Self-chosen support (seed 002): a pool of supporters, each owner's allow-list, the groups'
requests for support and their vouchers and support budget.

A supporter is a user with a `Supporter` profile; the owner's regisseur makes one of an existing
account (docs/workflow.md, *Zelfgekozen ondersteuning*). The voucher ledger is append-only and its
balance never goes below zero: PostgreSQL holds both rules (sql/ledger.sql).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now, Round
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits


class SupporterKind(models.TextChoices):
    COMMUNITY_ORGANISER = "buurtwerker", _("buurtwerker / community organiser")
    GREEN_ADVISER = "groenadviseur", _("groenadviseur")
    GARDENER = "hovenier", _("hovenier")
    HOUSING_WARDEN = "wijkbeheerder", _("wijkbeheerder van een woningcorporatie")
    OTHER = "anders", _("anders")


class SupportKind(models.TextChoices):
    """What a supporter offers and what a group asks for."""

    ORGANISING = "organiseren", _("buren bij elkaar brengen")
    ADVICE = "advies", _("advies over beplanting en onderhoud")
    HANDS = "handen", _("meewerken")
    PLAN = "plan", _("hulp bij een plan of aanvraag")
    TOOLS = "gereedschap", _("gereedschap en materiaal")


class PriceKind(models.TextChoices):
    FREE = "gratis", _("gratis")
    PER_HOUR = "per_uur", _("per uur")
    PER_JOB = "per_klus", _("per klus")


class Supporter(models.Model):
    """A person or organisation in the pool. Its public card: name, organisation, offer, area, price."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supporter")
    name = models.CharField(_("naam"), max_length=limits.TITLE)
    organisation = models.CharField(_("organisatie"), max_length=limits.TITLE, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=SupporterKind.choices)
    # A list of SupportKind values, as an offering lists its support (contracts.Offering.support).
    offers = models.JSONField(_("aanbod"), default=list)
    description = models.TextField(_("toelichting"), max_length=limits.MESSAGE, blank=True)
    # Where they work: the owners (gemeenten, corporaties) whose ground they come to.
    areas = models.ManyToManyField("owners.Owner", related_name="supporters_working_here", verbose_name=_("werkgebied"))
    price_kind = models.CharField(_("prijs"), max_length=10, choices=PriceKind.choices)
    price_eur = models.DecimalField(_("bedrag (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    # The owner whose regisseur added them: only its regisseurs change the profile.
    added_by_owner = models.ForeignKey("owners.Owner", on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("ondersteuner")
        verbose_name_plural = _("ondersteuners")
        ordering = ["name", "id"]
        constraints = [
            # Free means no amount; a price per hour or job needs a positive one.
            models.CheckConstraint(
                condition=(models.Q(price_kind="gratis", price_eur__isnull=True))
                | (~models.Q(price_kind="gratis") & models.Q(price_eur__gt=0)),
                name="supporter_price_matches_kind",
            ),
            limits.max_length_constraint("description", limits.MESSAGE, name="supporter_description_length"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    @property
    def offer_labels(self) -> list[str]:
        """What they offer, in words."""
        labels = dict(SupportKind.choices)
        return [str(labels[kind]) for kind in self.offers if kind in labels]


class AllowedSupporter(models.Model):
    """An owner's allow-list: the supporters the groups on its ground may ask."""

    owner = models.ForeignKey("owners.Owner", on_delete=models.CASCADE, related_name="allowed_supporters")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="allowed_by")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("toegestane ondersteuner")
        verbose_name_plural = _("toegestane ondersteuners")
        constraints = [models.UniqueConstraint(fields=["owner", "supporter"], name="allowed_supporter_once")]

    def __str__(self) -> str:
        return f"{self.owner}: {self.supporter}"


class SupportRequest(models.Model):
    """A group's (or a resident initiative's) question to one supporter: what, when, a message; the
    supporter answers. Exactly one of `group` and `initiative` asks (support_request_one_asker)."""

    class Status(models.TextChoices):
        ASKED = "gevraagd", _("gevraagd")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        DECLINED = "afgewezen", _("afgewezen")

    group = models.ForeignKey(
        "groups.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="support_requests"
    )
    # Residents with an initiative ask for help before there is a group (a plan, advice on planting).
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, null=True, blank=True, related_name="support_requests"
    )
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("wat"), max_length=20, choices=SupportKind.choices)
    wanted_on = models.DateField(_("wanneer"))
    message = models.TextField(_("bericht"), max_length=limits.MESSAGE)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASKED)
    answer = models.TextField(_("antwoord"), max_length=limits.MESSAGE, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ondersteuningsverzoek")
        verbose_name_plural = _("ondersteuningsverzoeken")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="gevraagd", answered_at__isnull=True)
                | (~models.Q(status="gevraagd") & models.Q(answered_at__isnull=False)),
                name="support_request_answered_when_answered",
            ),
            models.CheckConstraint(
                condition=models.Q(group__isnull=False, initiative__isnull=True)
                | models.Q(group__isnull=True, initiative__isnull=False),
                name="support_request_one_asker",
            ),
            limits.max_length_constraint("message", limits.MESSAGE, name="support_request_message_length"),
            limits.max_length_constraint("answer", limits.MESSAGE, name="support_request_answer_length"),
        ]

    def __str__(self) -> str:
        return f"{self.asker_name} → {self.supporter}: {self.get_kind_display()}"

    @property
    def asker_name(self) -> str:
        """Who asks, in words: the group's name, or the initiative (never its initiators' names)."""
        if self.group is not None:
            return str(self.group.name)
        # Its plan's start, as its public page shows it: "bewonersinitiatief 2" told a supporter nothing,
        # and began a sentence in lower case.
        assert self.initiative is not None  # support_request_one_asker
        return str(_("Bewonersinitiatief “%(plan)s”") % {"plan": Truncator(self.initiative.description).chars(50)})

    @property
    def place_name(self) -> str:
        """Where the help is wanted: the group's location, or the owner of the initiative's ground."""
        if self.group is not None:
            return str(self.group.location.name)
        return str(self.initiative.owner.name) if self.initiative is not None else ""


class Unit(models.TextChoices):
    VOUCHER = "voucher", _("vouchers")
    EURO = "euro", _("euro")


class LedgerEntry(models.Model):
    """One change of a group's vouchers or support budget: issued (+) or spent (−).

    Never updated or deleted; the balance is the sum of a group's rows per unit, and PostgreSQL
    refuses a row that would take it below zero (sql/ledger.sql).
    """

    group = models.ForeignKey("groups.Group", on_delete=models.PROTECT, related_name="support_ledger")
    unit = models.CharField(_("eenheid"), max_length=8, choices=Unit.choices)
    amount = models.DecimalField(_("aantal of bedrag"), max_digits=10, decimal_places=2)
    # A spending names the accepted request it paid for; an issue names none.
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="spendings"
    )
    hours = models.DecimalField(_("uren"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("omschrijving"), max_length=limits.TITLE, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("voucherboeking")
        verbose_name_plural = _("voucherboekingen")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero"),
            # Issues add, spendings (on a request) take away: a request never adds.
            models.CheckConstraint(
                condition=models.Q(request__isnull=True, amount__gt=0) | models.Q(request__isnull=False, amount__lt=0),
                name="ledger_entry_issue_or_spend",
            ),
            models.CheckConstraint(
                condition=~models.Q(unit="voucher") | models.Q(amount=Round("amount")),
                name="ledger_voucher_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.amount} {self.unit}"


class SupporterApplication(models.Model):
    """Someone with an account asks an owner to be taken into the pool; the owner's regisseur accepts
    (which makes the `Supporter`, on the owner's allow-list) or declines. Seen by the applicant and
    that owner's regisseurs only: nothing of it is public until accepted."""

    class Status(models.TextChoices):
        ASKED = "aangevraagd", _("aangevraagd")
        ACCEPTED = "geaccepteerd", _("geaccepteerd")
        DECLINED = "afgewezen", _("afgewezen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_applications")
    owner = models.ForeignKey("owners.Owner", on_delete=models.CASCADE, related_name="supporter_applications")
    name = models.CharField(_("naam"), max_length=limits.TITLE)
    organisation = models.CharField(_("organisatie"), max_length=limits.TITLE, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=SupporterKind.choices)
    offers = models.JSONField(_("aanbod"), default=list)
    description = models.TextField(_("toelichting"), max_length=limits.MESSAGE, blank=True)
    price_kind = models.CharField(_("prijs"), max_length=10, choices=PriceKind.choices)
    price_eur = models.DecimalField(_("bedrag (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASKED)
    reason = models.TextField(_("toelichting van de regisseur"), max_length=limits.MESSAGE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("aanmelding als ondersteuner")
        verbose_name_plural = _("aanmeldingen als ondersteuner")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open application per person and owner: a second would be a second queue entry.
            models.UniqueConstraint(
                fields=["user", "owner"],
                condition=models.Q(status="aangevraagd"),
                name="supporter_application_open_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status="aangevraagd", decided_at__isnull=True)
                | (~models.Q(status="aangevraagd") & models.Q(decided_at__isnull=False)),
                name="supporter_application_decided_when_decided",
            ),
            models.CheckConstraint(
                condition=(models.Q(price_kind="gratis", price_eur__isnull=True))
                | (~models.Q(price_kind="gratis") & models.Q(price_eur__gt=0)),
                name="supporter_application_price_matches_kind",
            ),
            limits.max_length_constraint(
                "description", limits.MESSAGE, name="supporter_application_description_length"
            ),
            limits.max_length_constraint("reason", limits.MESSAGE, name="supporter_application_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.owner}"

    @property
    def offer_labels(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [str(labels[kind]) for kind in self.offers if kind in labels]
