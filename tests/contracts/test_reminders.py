"""Reminders before a contract ends: once, to managers and regisseurs, by the beat task."""

import datetime as dt

import pytest
from django.db import transaction

from gis_service.contracts.models import Contract
from gis_service.contracts.services.lifecycle import contracts_end_due, contracts_remind_ending
from gis_service.contracts.tasks import remind_ending
from tests.contracts.factories import active_contract


@pytest.mark.django_db
def test_contracts_ending_within_the_configured_days_get_one_reminder(owner_a, regisseur_a, resident, settings):
    settings.CONTRACT_REMINDER_DAYS = 14
    today = dt.date(2027, 6, 1)
    soon = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                           starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 10))  # fmt: skip
    later = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=100, y=0,
                            starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 9, 1))  # fmt: skip
    assert contracts_remind_ending(today=today) == 1
    assert contracts_remind_ending(today=today) == 0  # never twice
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None and later.reminder_sent_at is None


@pytest.mark.django_db
def test_contracts_past_their_end_are_ended(owner_a, regisseur_a, resident) -> None:
    contract = active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                               starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1))  # fmt: skip
    assert contracts_end_due(today=dt.date(2020, 12, 31)) == 0
    assert contracts_end_due(today=dt.date(2021, 1, 1)) == 1
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED and contract.ended_by is None and contract.ended_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_reminder_reaches_managers_and_regisseur_by_e_mail(
    owner_a, regisseur_a, resident, celery_worker, smtp_server
) -> None:
    smtp_server.clear()
    today = dt.date.today()
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                    starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=5))  # fmt: skip
    smtp_server.wait_for(2)  # threshold reached (one manager needed) and approval
    smtp_server.clear()
    with transaction.atomic():
        assert remind_ending() == 1
    messages = smtp_server.wait_for(2)  # a message each: the manager does not see the regisseur's address
    assert sorted(message["To"] for message in messages) == ["regisseur_a@example.org", "resident_one@example.org"]
    assert all("loopt af" in message["Subject"] for message in messages)
