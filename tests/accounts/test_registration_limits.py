"""Registrations per client address, and confirmation mails per mailbox and per client, are limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gis_service.accounts.models import User
from tests.web.conftest import logged_in


def register(email: str, *, address: str = "198.51.100.30") -> Any:
    data = {"name": "Bea Bulk", "email": email, "password": "Vondelpark-bankje-42"}
    return Client(REMOTE_ADDR=address).post("/account/aanmaken/", data)


@pytest.mark.django_db
def test_one_client_address_creates_a_few_accounts_an_hour_and_then_is_told_to_wait(settings: Any) -> None:
    settings.REGISTRATIONS_PER_ADDRESS = 2
    assert [register(f"bea{i}@example.org").status_code for i in range(2)] == [302, 302]
    refused = register("bea2@example.org")
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Vanaf jouw internetadres zijn net te veel accounts aangemaakt. Probeer het over een uur opnieuw."
    ]
    assert not User.objects.filter(email="bea2@example.org").exists()
    assert register("bea2@example.org", address="198.51.100.31").status_code == 302  # another client still can


@pytest.mark.django_db
def test_a_mailbox_gets_a_few_confirmation_mails_and_then_none(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CONFIRMATION_MAILS_PER_EMAIL = 2
    with django_capture_on_commit_callbacks() as mails:
        answers = [register("bea@example.org", address=f"198.51.100.{40 + i}").status_code for i in range(4)]
    assert answers == [302] * 4  # the page says the same every time
    assert len(mails) == 2


@pytest.mark.django_db
def test_a_logged_in_resident_cannot_mail_many_mailboxes_by_changing_their_address(
    resident: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CONFIRMATION_MAILS_PER_ADDRESS = 2
    client = logged_in(resident)
    with django_capture_on_commit_callbacks() as mails:
        for i in range(4):
            client.post("/account/", {"name": "Riet", "email": f"slachtoffer{i}@example.org", "phone": ""})
    assert len(mails) == 2
    resident.refresh_from_db()
    assert resident.email == "resident_one@example.org"  # nothing changes before a link is followed
