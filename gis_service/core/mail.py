"""Outgoing e-mail. Services call `send_after_commit` so a rolled-back decision sends nothing."""

from __future__ import annotations

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
