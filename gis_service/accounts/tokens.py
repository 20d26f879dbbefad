"""Signed links in confirmation mails: a new registration, and a changed e-mail address.

A link carries the user's id and the state it was made for (when the registration started; the
old and new address), signed with SECRET_KEY and a salt per purpose, and stamped with its time.
It is refused once older than ACCOUNT_CONFIRMATION_SECONDS, and once that state has changed (the
registration confirmed, the address changed), so every link works once. Nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core import signing

REGISTRATION = "accounts.registration"
EMAIL_CHANGE = "accounts.email-change"


class BadLink(Exception):
    """A confirmation link that is forged or mangled, too old, or already used."""

    def __init__(self, reason: Literal["invalid", "expired", "used"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RegistrationClaim:
    user_id: int
    pending_since: str
    next_url: str


@dataclass(frozen=True)
class EmailChangeClaim:
    user_id: int
    old_email: str
    new_email: str


def registration_token(*, user_id: int, pending_since: str, next_url: str) -> str:
    return signing.dumps({"u": user_id, "p": pending_since, "n": next_url}, salt=REGISTRATION, compress=True)


def email_change_token(*, user_id: int, old_email: str, new_email: str) -> str:
    return signing.dumps({"u": user_id, "o": old_email, "e": new_email}, salt=EMAIL_CHANGE, compress=True)


def _load(token: str, salt: str) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=salt, max_age=settings.ACCOUNT_CONFIRMATION_SECONDS)
    except signing.SignatureExpired:
        raise BadLink("expired") from None
    except signing.BadSignature:
        raise BadLink("invalid") from None
    if not isinstance(data, dict):
        raise BadLink("invalid")
    return data


def registration_claim(token: str) -> RegistrationClaim:
    """What a registration link says, if we signed it and it is not too old (BadLink otherwise)."""
    data = _load(token, REGISTRATION)
    return RegistrationClaim(user_id=int(data["u"]), pending_since=str(data["p"]), next_url=str(data.get("n") or ""))


def email_change_claim(token: str) -> EmailChangeClaim:
    """What an e-mail-change link says, if we signed it and it is not too old (BadLink otherwise)."""
    data = _load(token, EMAIL_CHANGE)
    return EmailChangeClaim(user_id=int(data["u"]), old_email=str(data["o"]), new_email=str(data["e"]))
