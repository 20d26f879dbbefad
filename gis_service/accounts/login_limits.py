"""Limits on guessing passwords, for every form that logs in (the site's and the admin's).

Failed log-ins are counted in the cache per user name *and* address, and per address. A lock
on a name alone would let anyone lock a regisseur out by typing wrong passwords; per name and
address, the real user still logs in from elsewhere, and the per-address count stops one
machine trying many names. The counts run for LOGIN_LOCK_SECONDS from the first failure.
"""

from __future__ import annotations

import hashlib
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gis_service.core.clients import client_address
from gis_service.core.counters import count_in_window


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    address = client_address(request)
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]  # no user names in the cache
    return f"login-failures:{name}:{address}", f"login-failures:{address}"


def _hashed(email: str) -> str:
    """The cache key part for an e-mail address: no addresses in the cache."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _limits() -> tuple[int, int]:
    return settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS, settings.LOGIN_FAILURES_PER_ADDRESS


def login_locked(request: HttpRequest | None, username: str) -> bool:
    """Whether log-ins for `username` from this request's address are refused for now."""
    if request is None:  # not a web request (a management command, a test calling authenticate)
        return False
    keys = _keys(request, username)
    counts = cache.get_many(keys)
    return any(counts.get(key, 0) >= limit for key, limit in zip(keys, _limits(), strict=True))


def login_failed(request: HttpRequest | None, username: str) -> None:
    """Counts a failed log-in for the name from this address, and for the address."""
    if request is None:
        return
    for key in _keys(request, username):
        count_in_window(cache, key, settings.LOGIN_LOCK_SECONDS)


def password_reset_allowed(request: HttpRequest | None, email: str) -> bool:
    """Counts a request for a password-reset mail; False once the address or the e-mail address
    asked more often than PASSWORD_RESETS_PER_ADDRESS / _PER_EMAIL within the window.

    Each request sends a mail to whoever owns that e-mail address: without a limit anyone could
    flood a resident's mailbox from our server (and get it marked as a spammer)."""
    if request is None:
        return True
    email_key = _hashed(email)
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    per_email = count_in_window(cache, f"password-resets:{email_key}", window)
    per_address = count_in_window(cache, f"password-resets:{client_address(request)}", window)
    return per_email <= settings.PASSWORD_RESETS_PER_EMAIL and per_address <= settings.PASSWORD_RESETS_PER_ADDRESS


def registration_allowed(request: HttpRequest) -> bool:
    """Counts a registration from this request's address; False past REGISTRATIONS_PER_ADDRESS
    within the window (one machine creating accounts in bulk)."""
    count = count_in_window(cache, f"registrations:{client_address(request)}", settings.ACCOUNT_LIMIT_WINDOW_SECONDS)
    return count <= settings.REGISTRATIONS_PER_ADDRESS


def confirmation_mail_allowed(request: HttpRequest, email: str) -> bool:
    """Counts a confirmation mail (of a registration or a changed address) to `email` asked from this
    request's address; False past CONFIRMATION_MAILS_PER_EMAIL or _PER_ADDRESS within the window,
    for the same reason as password_reset_allowed: nobody floods a mailbox from our server."""
    window = settings.ACCOUNT_LIMIT_WINDOW_SECONDS
    per_email = count_in_window(cache, f"confirmation-mails:{_hashed(email)}", window)
    per_address = count_in_window(cache, f"confirmation-mails:{client_address(request)}", window)
    return per_email <= settings.CONFIRMATION_MAILS_PER_EMAIL and per_address <= settings.CONFIRMATION_MAILS_PER_ADDRESS


def login_succeeded(request: HttpRequest | None, username: str) -> None:
    """The right password ends the count for this name from this address (typos do add up otherwise)."""
    if request is not None:
        cache.delete(_keys(request, username)[0])


def _username_for(login: str | None) -> str | None:
    """The user name to check the password of: residents log in with their e-mail address
    (registration gives them a generated user name), older accounts and staff with their name.

    A name that is some user's user name stays that; otherwise an address is looked up
    case-insensitively (unique in the database, accounts.User's constraint).
    """
    if not login or "@" not in login:
        return login
    from gis_service.accounts.models import User

    if User.objects.filter(username=login).exists():
        return login
    by_email = User.objects.filter(email__iexact=login.strip()).values_list("username", flat=True).first()
    return by_email if by_email is not None else login


class LimitedModelBackend(ModelBackend):
    """Django's user-and-password backend that first refuses a name or address that guessed too often,
    and takes an e-mail address for the user name.

    PermissionDenied stops django.contrib.auth.authenticate() at once (no other backend is tried)
    and reaches the form as an ordinary failed log-in, so it tells a guesser nothing new.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        name = username if username is not None else kwargs.get(self._username_field(), "")
        if login_locked(request, str(name or "")):
            raise PermissionDenied(_("Te veel mislukte pogingen om in te loggen; probeer het later opnieuw."))
        return super().authenticate(request, username=_username_for(username), password=password, **kwargs)

    async def aauthenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        # ModelBackend has an async path of its own, which must not skip the lock.
        name = username if username is not None else kwargs.get(self._username_field(), "")
        if await sync_to_async(login_locked)(request, str(name or "")):
            raise PermissionDenied(_("Te veel mislukte pogingen om in te loggen; probeer het later opnieuw."))
        username = await sync_to_async(_username_for)(username)
        return await super().aauthenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return str(get_user_model().USERNAME_FIELD)
