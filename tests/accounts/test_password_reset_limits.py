"""Password-reset mails are limited per e-mail address and per client, so nobody floods a mailbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gis_service.accounts.models import User


def ask_reset(email: str, *, address: str = "198.51.100.7") -> int:
    """Posts the reset form from `address`; the answer's status code."""
    return Client(REMOTE_ADDR=address).post("/accounts/password_reset/", {"email": email}).status_code


@pytest.mark.django_db
def test_the_same_mailbox_gets_a_few_reset_mails_and_then_none(
    resident: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    # Reset mails go the way all our mail goes: enqueued for the worker after commit.
    with django_capture_on_commit_callbacks() as mails:
        answers = [ask_reset(resident.email, address=f"198.51.100.{i}") for i in range(1, 5)]
    assert answers == [302] * 4  # the page says the same every time
    assert len(mails) == 2


@pytest.mark.django_db
def test_one_client_cannot_send_reset_mails_to_many_mailboxes(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PASSWORD_RESETS_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks() as mails:
        for i in range(5):
            User.objects.create_user(username=f"bewoner{i}", email=f"bewoner{i}@example.org", password="pw-x-y-z-12")
            assert ask_reset(f"bewoner{i}@example.org") == 302
    assert len(mails) == 3
    with django_capture_on_commit_callbacks() as mails:
        assert ask_reset("bewoner4@example.org", address="198.51.100.99") == 302  # another client still can
    assert len(mails) == 1
