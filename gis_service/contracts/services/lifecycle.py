"""A running contract's life after approval: reminders before its end, and the end itself."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gis_service.accounts.selectors import regisseur_emails
from gis_service.contracts.models import (
    Contract,
)
from gis_service.contracts.selectors import (
    contract_managers,
    contracts_ending,
    decision_url,
)
from gis_service.core.mail import send_after_commit


def contracts_remind_ending(*, today: dt.date | None = None, days: int | None = None) -> int:
    """E-mails managers and regisseurs of contracts ending within `days`; ends contracts past their end."""
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
            send_after_commit(
                to=[user.email for user in contract_managers(contract)]
                + regisseur_emails(owner_id=contract.location.owner_id),
                subject=f"Contract voor {contract.location} loopt af op {contract.ends_on:%d-%m-%Y}",
                body=(
                    f"Het zelfbeheercontract voor {contract.location} loopt af op {contract.ends_on:%d-%m-%Y}. "
                    f"Overleg op tijd over verlengen: {decision_url(contract)}\n"
                ),
            )
            sent += 1
    Contract.objects.filter(status=Contract.Status.ACTIVE, ends_on__lte=today).update(status=Contract.Status.ENDED)
    return sent
