"""A mail to several people is a message each: nobody learns another's e-mail address (issue 16)."""

from __future__ import annotations

import pytest

from gis_service.accounts.models import User
from gis_service.contracts.services.decisions import contract_approve
from gis_service.owners.models import Owner
from tests.conftest import SmtpServer
from tests.contracts.factories import offered_location, sign_up


@pytest.mark.django_db(transaction=True)
def test_two_managers_get_a_message_each_with_only_their_own_address(
    owner_a: Owner,
    regisseur_a: User,
    resident: User,
    resident_two: User,
    smtp_server: SmtpServer,
    celery_worker: str,
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, managers_needed=2)
    contract = sign_up(location, resident)
    sign_up(location, resident_two)
    smtp_server.wait_for(1)  # the regisseur is told the threshold is reached
    smtp_server.clear()

    contract_approve(contract=contract, by=regisseur_a)

    messages = smtp_server.wait_for(2)
    assert len(smtp_server.messages) == 2
    by_address = {message["To"]: message for message in messages}
    assert sorted(by_address) == [resident.email, resident_two.email]
    for address, message in by_address.items():
        other = (set(by_address) - {address}).pop()
        assert message["Cc"] is None and message["Bcc"] is None
        assert other not in message.as_string()
        assert "Goedgekeurd" in message["Subject"]
    # What the server was asked to deliver each message to (RCPT TO), where a Bcc would show: its To alone.
    assert smtp_server.envelope_recipients == [[message["To"]] for message in smtp_server.messages]
