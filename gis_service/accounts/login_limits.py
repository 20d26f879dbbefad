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

from gis_service.core.clients import client_address
from gis_service.core.counters import count_in_window


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    address = client_address(request)
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]  # no user names in the cache
    return f"login-failures:{name}:{address}", f"login-failures:{address}"


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
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]  # no addresses in the cache
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    per_email = count_in_window(cache, f"password-resets:{email_key}", window)
    per_address = count_in_window(cache, f"password-resets:{client_address(request)}", window)
    return per_email <= settings.PASSWORD_RESETS_PER_EMAIL and per_address <= settings.PASSWORD_RESETS_PER_ADDRESS


def login_succeeded(request: HttpRequest | None, username: str) -> None:
    """The right password ends the count for this name from this address (typos do add up otherwise)."""
    if request is not None:
        cache.delete(_keys(request, username)[0])


class LimitedModelBackend(ModelBackend):
    """Django's user-and-password backend that first refuses a name or address that guessed too often.

    PermissionDenied stops django.contrib.auth.authenticate() at once (no other backend is tried)
    and reaches the form as an ordinary failed log-in, so it tells a guesser nothing new.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        name = username if username is not None else kwargs.get(self._username_field(), "")
        if login_locked(request, str(name or "")):
            raise PermissionDenied("Te veel mislukte pogingen om in te loggen; probeer het later opnieuw.")
        return super().authenticate(request, username=username, password=password, **kwargs)

    async def aauthenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        # ModelBackend has an async path of its own, which must not skip the lock.
        name = username if username is not None else kwargs.get(self._username_field(), "")
        if await sync_to_async(login_locked)(request, str(name or "")):
            raise PermissionDenied("Te veel mislukte pogingen om in te loggen; probeer het later opnieuw.")
        return await super().aauthenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return str(get_user_model().USERNAME_FIELD)
