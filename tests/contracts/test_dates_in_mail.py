"""The days in contract mails are written as each recipient's language writes a date ("10 juni 2027",
"10 June 2027"), never as digits that read as another day elsewhere, through the real worker and SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from gis_service.accounts.models import User
from gis_service.contracts.services.lifecycle import contract_renew, contracts_remind_ending
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer
from tests.contracts.factories import active_contract


@pytest.mark.django_db(transaction=True)
def test_the_reminder_and_the_renewal_give_the_day_in_each_recipient_s_language(
    owner_a: Owner, regisseur_a: User, resident: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    resident.language = "en"
    resident.save(update_fields=["language"])
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                               starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 10))  # fmt: skip
    with transaction.atomic():
        assert contracts_remind_ending(today=dt.date(2027, 6, 1), days=14) == 1
    # The sign-up's and the approval's mails may still be on their way: the reminders by their subject.
    ending = smtp_server.wait_for_matching(2, lambda message: str(contract.location) in message["Subject"]
                                           and "2027" in message["Subject"])  # fmt: skip
    reminders = {message["To"]: message for message in ending}
    dutch, english = reminders["regisseur_a@example.org"], reminders["resident_one@example.org"]
    assert dutch["Subject"] == f"Contract voor {contract.location} loopt af op 10 juni 2027"
    assert english["Subject"] == f"Contract for {contract.location} ends on 10 June 2027"
    assert "loopt af op 10 juni 2027." in dutch.get_content()
    assert "10 June 2027" in english.get_content() and "10-06-2027" not in english.get_content()

    with transaction.atomic():
        contract_renew(contract=contract, by=regisseur_a, ends_on=dt.date(2028, 12, 6))
    (renewal,) = smtp_server.wait_for_matching(1, lambda message: "2028" in message.get_content())  # managers only
    assert renewal["To"] == "resident_one@example.org"
    assert "6 December 2028" in renewal.get_content()
