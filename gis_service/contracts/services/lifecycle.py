"""A running contract's life after approval: reminders before its end, renewal, and its end
(by its end date, through beat, or early by either side with a reason).

When a contract ends, the location follows its offering again (PostgreSQL's status rule sees the
contract is no longer active) and the group becomes a read-only archive (`contract_ended`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gis_service.accounts.selectors import regisseurs
from gis_service.contracts.models import Contract
from gis_service.contracts.selectors import contract_managers, contract_url, contracts_ending, current_signups
from gis_service.contracts.services.decisions import conflict_error, conflicts_for, overlap_refusal
from gis_service.contracts.services.rules import require_regisseur, required_text
from gis_service.contracts.signals import contract_ended
from gis_service.core.dates import written_date
from gis_service.core.mail import by_language, send_after_commit


def contracts_remind_ending(*, today: dt.date | None = None, days: int | None = None) -> int:
    """E-mails managers and regisseurs of contracts ending within `days`, once per contract."""
    today = today or timezone.localdate()
    days = days if days is not None else settings.CONTRACT_REMINDER_DAYS
    sent = 0
    for contract in contracts_ending(today=today, days=days).select_related("location"):
        with transaction.atomic():
            # Race: two beat runs at once; only the UPDATE that flips the flag sends.
            if not Contract.objects.filter(pk=contract.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            ):
                continue
            assert contract.ends_on is not None  # contracts_ending picks contracts by their end date
            recipients = contract_managers(contract) + regisseurs(owner_id=contract.location.owner_id)
            for language, addresses in by_language(recipients):
                with translation.override(language):
                    send_after_commit(
                        to=addresses,
                        subject=_("Contract voor %(location)s loopt af op %(day)s")
                        % {"location": contract.location, "day": written_date(contract.ends_on)},
                        body=_(
                            "Het zelfbeheercontract voor %(location)s loopt af op %(day)s. "
                            "Overleg op tijd over verlengen: %(url)s"
                        )
                        % {
                            "location": contract.location,
                            "day": written_date(contract.ends_on),
                            "url": contract_url(contract),
                        }
                        + "\n",
                    )
            sent += 1
    return sent


def contracts_end_due(*, today: dt.date | None = None) -> int:
    """Ends every active contract whose end date has come (run by beat); returns how many."""
    today = today or timezone.localdate()
    due = Contract.objects.filter(status=Contract.Status.ACTIVE, ends_on__lte=today).values_list("pk", flat=True)
    ended = 0
    for contract_id in list(due):
        with transaction.atomic():
            contract = Contract.objects.select_for_update().select_related("location").get(pk=contract_id)
            # Race: a regisseur renewed or ended it since the list was read.
            if contract.status != Contract.Status.ACTIVE or contract.ends_on is None or contract.ends_on > today:
                continue
            _end(contract=contract, by=None, reason=_("De einddatum is bereikt."))
            ended += 1
    return ended


@transaction.atomic
def contract_end_early(*, contract: Contract, by: Any, reason: str) -> Contract:
    """A manager or the owner's regisseur ends an active contract before its end date, with a reason."""
    contract = Contract.objects.select_for_update().select_related("location").get(pk=contract.pk)
    is_manager = by.is_authenticated and current_signups(contract).filter(user_id=by.pk).exists()
    if not is_manager:
        require_regisseur(by, contract.location.owner_id)
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError({"status": _("Dit contract loopt niet (meer).")})
    reason = required_text(reason, "reason", _("Geef een reden voor het beëindigen."))
    return _end(contract=contract, by=by, reason=reason)


def _end(*, contract: Contract, by: Any, reason: str) -> Contract:
    contract.status = Contract.Status.ENDED
    contract.ended_at, contract.ended_by, contract.end_reason = timezone.now(), by, reason
    contract.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
    contract_ended.send(sender=Contract, contract=contract)
    for language, addresses in by_language(
        contract_managers(contract) + regisseurs(owner_id=contract.location.owner_id)
    ):
        with translation.override(language):
            who = _("door het verstrijken van de einddatum") if by is None else _("door %(name)s") % {"name": by}
            send_after_commit(
                to=addresses,
                subject=_("Beëindigd: zelfbeheer van %(location)s") % {"location": contract.location},
                body=_(
                    "Het zelfbeheercontract voor %(location)s is beëindigd %(who)s.\n\nReden: %(reason)s\n\n"
                    "De groep blijft te lezen als archief: %(url)s"
                )
                % {"location": contract.location, "who": who, "reason": reason, "url": contract_url(contract)}
                + "\n",
            )
    return contract


@transaction.atomic
def contract_renew(*, contract: Contract, by: Any, ends_on: dt.date) -> Contract:
    """The regisseur extends an active contract to a later end date; its managers are told."""
    contract = Contract.objects.select_for_update().select_related("location").get(pk=contract.pk)
    require_regisseur(by, contract.location.owner_id)
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError({"status": _("Alleen een lopend contract kan worden verlengd.")})
    if contract.ends_on is not None and ends_on <= contract.ends_on:
        raise ValidationError(
            {"ends_on": _("Kies een einddatum na de huidige (%(day)s).") % {"day": written_date(contract.ends_on)}}
        )
    assert contract.starts_on is not None  # an active contract has a start (a database constraint)
    conflicts = conflicts_for(geometry=contract.geometry, start=contract.starts_on, end=ends_on,
                              exclude_contract=contract.pk)  # fmt: skip
    if conflicts:
        raise conflict_error(conflicts)
    contract.ends_on, contract.reminder_sent_at = ends_on, None
    try:
        with transaction.atomic():
            contract.save(update_fields=["ends_on", "reminder_sent_at", "updated_at"])
    except IntegrityError as exc:
        # Race: overlapping ground was approved for the longer period while we checked.
        refusal = overlap_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc
    for language, addresses in by_language(contract_managers(contract)):
        with translation.override(language):
            send_after_commit(
                to=addresses,
                subject=_("Verlengd: zelfbeheer van %(location)s") % {"location": contract.location},
                body=_("Het zelfbeheercontract voor %(location)s is verlengd tot %(day)s.\n\n%(url)s")
                % {"location": contract.location, "day": written_date(ends_on), "url": contract_url(contract)}
                + "\n",
            )
    return contract
