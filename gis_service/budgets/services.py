"""Writes of budgets and accounts: grants, expenses with receipts, reversals, the decision on the accounts.

Each service checks its permission itself (budgets.permissions), so no caller can skip it. The
database has the last word on the money (sql/budgets.sql); its refusals come back as messages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gis_service.budgets import permissions, selectors
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from gis_service.budgets.receipts import check_receipt
from gis_service.core import limits
from gis_service.core.dates import written_date
from gis_service.core.files import file_save_with_transaction
from gis_service.core.links import site_url
from gis_service.core.mail import by_language, send_after_commit
from gis_service.groups.models import Group
from gis_service.groups.selectors import managers_to_mail

AnyUser = AbstractBaseUser | AnonymousUser
CENT = Decimal("0.01")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _uid(user: AnyUser) -> int:
    if not user.is_authenticated or user.pk is None:
        raise PermissionDenied(_("Log eerst in."))
    return int(user.pk)


def _refusal(error: IntegrityError) -> ValidationError | None:
    """The database's refusal (sql/budgets.sql) as a message beside the field, never database text."""
    text = str(error)
    if "budgets_not_overdrawn" in text:
        return ValidationError({"amount": _("Dit is meer dan het saldo van het budget.")})
    if "budgets_period_closed" in text:
        return ValidationError(_("De verantwoording van dit budget is goedgekeurd: de periode is gesloten."))
    if "budgets_expense_in_period" in text:
        return ValidationError({"spent_on": _("Deze datum ligt buiten de periode van het budget.")})
    if "budget_approved_once" in text:
        return ValidationError(_("De verantwoording van dit budget is al goedgekeurd."))
    return None


def _insert(model: type[Expense] | type[AccountsDecision], **fields: object) -> object:
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError as error:
        refusal = _refusal(error)
        if refusal is None:
            raise
        raise refusal from error


def _money(amount: Decimal, field: str = "amount") -> Decimal:
    if amount <= 0:
        raise ValidationError({field: _("Geef een bedrag groter dan nul.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Geef het bedrag in euro en centen.")})
    return amount.quantize(CENT)


def _text(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: _("Dit veld is verplicht.")})
    return limits.check_length(value, field, limit)


@transaction.atomic
def grant_create(
    *, group: Group, by: AnyUser, amount: Decimal, purpose: str, starts_on: dt.date, ends_on: dt.date
) -> Grant:
    """The owner's regisseur grants the group an amount for a purpose and a period."""
    _require(permissions.can_grant(group, by), _("Alleen een regisseur van de eigenaar kent een budget toe."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Het einde ligt voor het begin.")})
    return Grant.objects.create(
        group=group,
        amount=_money(amount),
        purpose=_text(purpose, "purpose", limits.TITLE),
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by_id=_uid(by),
    )


@transaction.atomic
def expense_record(
    *, grant: Grant, by: AnyUser, spent_on: dt.date, amount: Decimal, description: str, receipt: UploadedFile | None
) -> Expense:
    """A manager records money spent from the grant, with its receipt (photo or PDF)."""
    _require(permissions.can_record_expense(grant, by), _("Alleen beheerders van de groep boeken uitgaven."))
    amount = _money(amount)
    description = _text(description, "description", limits.TITLE)
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("Deze datum ligt in de toekomst.")})
    if receipt is None:
        raise ValidationError({"receipt": _("Voeg de bon toe (foto of PDF).")})
    try:
        checked = check_receipt(receipt)
    except ValidationError as error:
        raise ValidationError({"receipt": error.messages}) from error
    # Two managers at once would each see the old balance: the grant's row lock makes the second
    # wait and read the first's expense (the trigger takes the same lock).
    Grant.objects.select_for_update().filter(pk=grant.pk).first()
    if selectors.is_closed(grant=grant):
        raise ValidationError(_("De verantwoording van dit budget is goedgekeurd: de periode is gesloten."))
    if not grant.starts_on <= spent_on <= grant.ends_on:
        raise ValidationError({"spent_on": _("Deze datum ligt buiten de periode van het budget.")})
    if amount > selectors.balance(grant=grant):
        raise ValidationError({"amount": _("Dit is meer dan het saldo van het budget.")})
    # Removed again if this transaction (or the caller's around it) rolls back.
    name = file_save_with_transaction(name=checked.name, content=checked.content)
    expense = _insert(
        Expense,
        grant=grant,
        spent_on=spent_on,
        amount=amount,
        description=description,
        receipt=name,
        receipt_content_type=checked.content_type,
        created_by_id=_uid(by),
    )
    assert isinstance(expense, Expense)
    return expense


@transaction.atomic
def expense_reverse(*, expense: Expense, by: AnyUser, reason: str) -> Expense:
    """A manager corrects a mistake: a new row giving the amount back, naming the expense and why."""
    _require(permissions.can_record_expense(expense.grant, by), _("Alleen beheerders van de groep boeken uitgaven."))
    if expense.reverses_id is not None:
        raise ValidationError(_("Een herstelboeking kan niet zelf hersteld worden."))
    if Expense.objects.filter(reverses=expense).exists():
        raise ValidationError(_("Deze uitgave is al hersteld."))
    reason = _text(reason, "reason", limits.TITLE - 20)
    Grant.objects.select_for_update().filter(pk=expense.grant_id).first()
    reversal = _insert(
        Expense,
        grant_id=expense.grant_id,
        spent_on=timezone.localdate(),
        amount=-expense.amount,
        description=_("Herstel: %(reason)s") % {"reason": reason},
        reverses=expense,
        created_by_id=_uid(by),
    )
    assert isinstance(reversal, Expense)
    return reversal


@transaction.atomic
def accounts_decide(*, grant: Grant, by: AnyUser, approve: bool, reason: str = "") -> AccountsDecision:
    """The owner's regisseur approves the accounts once the period's last day has come (the period
    closes), or returns them with a reason (the managers correct, and the regisseur decides again)."""
    _require(permissions.can_decide(grant, by), _("Alleen een regisseur van de eigenaar beoordeelt de verantwoording."))
    if timezone.localdate() < grant.ends_on:
        raise ValidationError(_("De verantwoording volgt aan het eind van de periode (%(day)s).") % {
            "day": written_date(grant.ends_on)})  # fmt: skip
    reason = limits.check_length(reason.strip(), "reason", limits.MESSAGE)
    if not approve and not reason:
        raise ValidationError({"reason": _("Geef de reden, zodat de beheerders weten wat ze moeten verbeteren.")})
    Grant.objects.select_for_update().filter(pk=grant.pk).first()
    if selectors.is_closed(grant=grant):
        raise ValidationError(_("De verantwoording van dit budget is al goedgekeurd."))
    decision = _insert(
        AccountsDecision,
        grant=grant,
        decision=AccountsDecision.Decision.APPROVED if approve else AccountsDecision.Decision.RETURNED,
        reason=reason,
        decided_by_id=_uid(by),
    )
    assert isinstance(decision, AccountsDecision)
    _tell_managers(grant=grant, decision=decision)
    return decision


def _tell_managers(*, grant: Grant, decision: AccountsDecision) -> None:
    """The group's managers hear of the decision by e-mail (after commit), each in their own language:
    approved closes the period; returned says what to correct."""
    url = site_url("web:group-budget", grant.group_id)
    for language, addresses in by_language(managers_to_mail(grant.group)):
        with translation.override(language):
            subject = _("Verantwoording %(decision)s: %(purpose)s") % {
                "decision": decision.get_decision_display(),
                "purpose": grant.purpose,
            }
            if decision.decision == AccountsDecision.Decision.APPROVED:
                body = _(
                    'De regisseur heeft de verantwoording van het budget "%(purpose)s" (%(start)s tot %(end)s) '
                    "van %(group)s goedgekeurd. De periode is gesloten.\n\n%(url)s\n"
                )
            else:
                body = _(
                    'De regisseur heeft de verantwoording van het budget "%(purpose)s" (%(start)s tot %(end)s) '
                    "van %(group)s teruggestuurd.\n\nReden: %(reason)s\n\nVerbeter de uitgaven en laat het de "
                    "regisseur weten.\n%(url)s\n"
                )
            send_after_commit(
                to=addresses,
                subject=subject,
                body=body
                % {
                    "purpose": grant.purpose,
                    "start": written_date(grant.starts_on),
                    "end": written_date(grant.ends_on),
                    "group": grant.group.name,
                    "reason": decision.reason,
                    "url": url,
                },
            )
