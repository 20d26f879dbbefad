"""Outgoing e-mail. Services call `send_after_commit` so a rolled-back decision sends nothing.

Every message goes to one address: a contract's managers, an initiative's initiators, a group's
followers and an owner's regisseurs never see each other's e-mail addresses (docs/security.md, *Mail*).
This module is the one place that holds that rule; callers pass every recipient at once.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
from collections.abc import Iterable
from email import headerregistry
from email.message import EmailMessage as StdlibMessage
from typing import Protocol, cast

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction

logger = logging.getLogger(__name__)


class NotAllSent(OSError):
    """The mail server failed while sending; `unsent` are the addresses that got no message yet."""

    def __init__(self, *, unsent: list[str]) -> None:
        super().__init__(f"{len(unsent)} of the messages were not sent")
        self.unsent = unsent


class _UrlListHeader(headerregistry.UnstructuredHeader):
    """A header of URLs in angle brackets (List-Unsubscribe, RFC 2369), written on one line as given.

    Python's folding writes a token longer than a 78-character line as RFC 2047 encoded-words
    (`=?utf-8?q?=3Chttps=3A//…?=`), and a signed unsubscribe link is longer: mail clients then find
    no URL and show no unsubscribe button. RFC 5322 allows lines up to 998 characters.
    """

    max_count = 1

    def fold(self, *, policy: email.policy.Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"  # type: ignore[attr-defined]  # BaseHeader's name


_HEADERS = headerregistry.HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", cast("type[headerregistry.BaseHeader]", _UrlListHeader))


class _Message(EmailMessage):
    """Django's message with our header classes in whatever policy the mail backend serialises with."""

    def message(self, *, policy: email.policy.Policy | None = email.policy.default) -> StdlibMessage:
        ours = cast(email.policy.EmailPolicy, policy or email.policy.default).clone(header_factory=_HEADERS)
        return super().message(policy=ours)


def send_now(*, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Sends the e-mail to each address of `to` in a message of its own (its To: holds that address
    alone; no Cc, no Bcc), all over one SMTP connection.

    Raises NotAllSent, from the server's error, naming the addresses still to send to: retrying
    those alone gives nobody the mail twice.
    """
    messages = [
        _Message(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=dict(headers) if headers else None,
        )
        for address in to
    ]
    refused: list[str] = []
    done = 0
    try:
        with mailers.default as connection:  # one SMTP connection for all of them
            for message in messages:
                try:
                    connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused:
                    # The server refused this address alone (smtplib reset the connection, which
                    # still serves the others): it is tried again with the retry.
                    logger.warning("the mail server refused %s", message.to[0], exc_info=True)
                    refused.append(message.to[0])
                done += 1
    except OSError as error:  # smtplib's errors and socket errors are OSErrors
        # An error on closing, after the server took every message, loses nothing.
        if refused or done < len(messages):
            raise NotAllSent(unsent=refused + to[done:]) from error
    if refused:
        raise NotAllSent(unsent=refused)


def send_after_commit(*, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Enqueues the e-mail for the worker once the current transaction commits; each address gets a
    message of its own (`send_now`).

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
