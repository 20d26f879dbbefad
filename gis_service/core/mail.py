"""Outgoing e-mail. Services call `send_after_commit` so a rolled-back decision sends nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction


def send_now(*, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, headers=headers or None
    ).send()


def send_after_commit(*, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Enqueues the e-mail for the worker once the current transaction commits.

    `headers` are extra header lines (List-Unsubscribe for news mail); plain strings, so the task stays JSON.
    """
    from gis_service.core.tasks import send_email

    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    extra = dict(headers) if headers else None
    transaction.on_commit(lambda: send_email.delay(to=recipients, subject=subject, body=body, headers=extra))


class MailRecipient(Protocol):
    """A person mail goes to (accounts.User): their address and the language they read."""

    email: str

    @property
    def mail_language(self) -> str: ...


def by_language(recipients: Iterable[MailRecipient]) -> list[tuple[str, list[str]]]:
    """The recipients' addresses grouped by the language they read, each group to get the mail built
    inside translation.override(language): every recipient reads it in their own language
    (docs/i18n.md). Recipients without an address are left out; languages in a stable order."""
    groups: dict[str, list[str]] = {}
    for recipient in recipients:
        if recipient.email:
            groups.setdefault(recipient.mail_language, []).append(recipient.email)
    return sorted(groups.items())
