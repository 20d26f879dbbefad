"""Guessing passwords: failed log-ins are limited per user name and address, on every login form."""

from __future__ import annotations

import pytest
from django.test import Client

from gis_service.accounts.models import User

PASSWORD = "pw-" + "resident_one" * 2  # tests/conftest.py's _user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """The production hasher is slow on purpose; these tests log in dozens of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def attempt(username: str, password: str, *, address: str = "198.51.100.1", url: str = "/accounts/login/") -> bool:
    """Posts the login form from `address`; True when it logged in."""
    client = Client(REMOTE_ADDR=address)
    client.post(url, {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(resident: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS = 5
    for _ in range(5):
        assert not attempt("resident_one", "wachtwoord1")
    assert not attempt("resident_one", PASSWORD)
    # The lock is on this name from this address: the resident can still log in from home.
    assert attempt("resident_one", PASSWORD, address="198.51.100.2")


@pytest.mark.django_db
def test_the_admin_login_is_limited_too(resident: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS = 3
    resident.is_staff = True
    resident.save()
    for _ in range(3):
        assert not attempt("resident_one", "wachtwoord1", url="/admin/login/")
    assert not attempt("resident_one", PASSWORD, url="/admin/login/")


@pytest.mark.django_db
def test_one_address_trying_many_names_is_stopped(resident: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    for n in range(5):
        assert not attempt(f"iemand{n}", "wachtwoord1")
    assert not attempt("resident_one", PASSWORD)


@pytest.mark.django_db
def test_a_few_typos_do_not_lock_anyone_out(resident: User) -> None:
    for _ in range(3):
        assert not attempt("resident_one", "wachtwoord1")
    assert attempt("resident_one", PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_the_async_login_path_is_limited_too(resident: User, settings) -> None:  # type: ignore[no-untyped-def]
    from asgiref.sync import async_to_sync
    from django.contrib.auth import aauthenticate
    from django.test import RequestFactory

    settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS = 2
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="198.51.100.9")
    for _ in range(2):
        assert async_to_sync(aauthenticate)(request, username="resident_one", password="fout") is None
    assert async_to_sync(aauthenticate)(request, username="resident_one", password=PASSWORD) is None
