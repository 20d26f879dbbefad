"""Budgets and accounts (seed 003, Leeuwarden's groenbudgetten): an owner's grant to a contract's
group, the expenses its managers record against it with a receipt, and the regisseur's decision on
the accounts at the end of the grant's period.

Every row is history: PostgreSQL refuses UPDATE and DELETE, an expense that overdraws its grant and
an expense in a period whose accounts were approved (sql/budgets.sql). A correction is a new row
that reverses an expense.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from gis_service.core import limits


class Grant(models.Model):
    """Money the owner gives a group for a purpose and a period; granted by the owner's regisseur."""

    group = models.ForeignKey("groups.Group", on_delete=models.PROTECT, related_name="grants")
    amount = models.DecimalField(_("bedrag (€)"), max_digits=10, decimal_places=2)
    purpose = models.CharField(_("doel"), max_length=limits.TITLE)
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot en met"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetten")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_grant_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="budget_grant_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.purpose} (€ {self.amount})"


class Expense(models.Model):
    """Money spent from a grant (positive, with a receipt), or the reversal of such a row (negative,
    naming it): rows are never changed, so a mistake is corrected by reversing it."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("datum"))
    amount = models.DecimalField(_("bedrag (€)"), max_digits=10, decimal_places=2)
    description = models.CharField(_("omschrijving"), max_length=limits.TITLE)
    # Stored under a name of ours (budgetten/bonnen/<uuid>.<ext>), served only through a checked view.
    receipt = models.FileField(_("bon"), max_length=200, blank=True)
    receipt_content_type = models.CharField(max_length=40, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("uitgave")
        verbose_name_plural = _("uitgaven")
        ordering = ["spent_on", "id"]
        constraints = [
            # An expense spends and has its receipt; a reversal gives back and names what it reverses.
            models.CheckConstraint(
                condition=(models.Q(reverses__isnull=True, amount__gt=0) & ~models.Q(receipt=""))
                | models.Q(reverses__isnull=False, amount__lt=0),
                name="budget_expense_or_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on}: € {self.amount} {self.description}"


class AccountsDecision(models.Model):
    """The regisseur's decision on a grant's accounts: approved (the period is closed) or returned
    with a reason (the managers correct and the regisseur decides again)."""

    class Decision(models.TextChoices):
        APPROVED = "goedgekeurd", _("goedgekeurd")
        RETURNED = "teruggestuurd", _("teruggestuurd")

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("besluit"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reden"), max_length=limits.MESSAGE, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        verbose_name = _("besluit over de verantwoording")
        verbose_name_plural = _("besluiten over de verantwoording")
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="goedgekeurd") | ~models.Q(reason=""),
                name="budget_returned_has_reason",
            ),
            models.UniqueConstraint(
                fields=["grant"], condition=models.Q(decision="goedgekeurd"), name="budget_approved_once"
            ),
            limits.max_length_constraint("reason", limits.MESSAGE, name="budget_decision_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.grant}: {self.get_decision_display()}"
