"""Confirmation links: forged, expired, used or meant for something else, they confirm nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from gis_service.accounts import tokens
from gis_service.accounts.models import User
from gis_service.accounts.services import account_register
from gis_service.groups import services as group_services
from gis_service.groups.models import Follower
from gis_service.groups.unsubscribe import unsubscribe_token
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


@pytest.fixture
def waiting(db: None) -> User:
    return account_register(
        name="Wim Wachter", email="wim@example.org", password="Lange-zin-met-bomen", send_mail=False
    )


def registration_link(user: User) -> str:
    assert user.pending_since is not None
    token = tokens.registration_token(user_id=user.pk, pending_since=user.pending_since.isoformat(), next_url="")
    return f"/account/bevestigen/{token}/"


@pytest.mark.django_db
def test_a_forged_link_is_refused(waiting: User) -> None:
    assert waiting.pending_since is not None
    payload = {"u": waiting.pk, "p": waiting.pending_since.isoformat(), "n": ""}
    forged = signing.dumps(payload, key="not-our-secret", salt=tokens.REGISTRATION, compress=True)
    for link in (f"/account/bevestigen/{forged}/", registration_link(waiting)[:-8] + "xxxxxxx/"):
        answer = Client().post(link)
        assert answer.status_code == 400 and "Deze link klopt niet" in answer.text
    waiting.refresh_from_db()
    assert not waiting.is_active


@pytest.mark.django_db
def test_an_expired_link_is_refused(waiting: User, settings: Any) -> None:
    link = registration_link(waiting)
    settings.ACCOUNT_CONFIRMATION_SECONDS = -1  # every link is older than that
    answer = Client().post(link)
    assert answer.status_code == 410 and "Deze link is verlopen." in answer.text
    waiting.refresh_from_db()
    assert not waiting.is_active


@pytest.mark.django_db
def test_a_link_to_change_an_address_does_not_confirm_a_registration(waiting: User) -> None:
    token = tokens.email_change_token(user_id=waiting.pk, old_email=waiting.email, new_email="ander@example.org")
    assert Client().post(f"/account/bevestigen/{token}/").status_code == 400
    assert Client().post(f"/account/e-mailadres/{registration_link(waiting).split('/')[-2]}/").status_code == 400


@pytest.mark.django_db
def test_an_address_change_link_works_once_and_not_when_the_address_was_taken_meanwhile(
    resident: User, outsider: User
) -> None:
    def link(new: str) -> str:
        token = tokens.email_change_token(user_id=resident.pk, old_email=resident.email, new_email=new)
        return f"/account/e-mailadres/{token}/"

    taken = link("later-bezet@example.org")
    User.objects.filter(pk=outsider.pk).update(email="Later-Bezet@example.org")
    answer = Client().post(taken)
    assert answer.status_code == 409 and "Er is al een account met dit e-mailadres" in answer.text

    first, second = link("riet@example.org"), link("riet2@example.org")
    assert Client().post(first).status_code == 302
    resident.refresh_from_db()
    assert resident.email == "riet@example.org"
    for used in (first, second):  # both were made for the old address
        answer = Client().post(used)
        assert answer.status_code == 410 and "Deze link is al gebruikt." in answer.text


@pytest.mark.django_db
def test_a_link_checker_opening_the_links_with_head_changes_nothing(waiting: User, resident: User) -> None:
    # Mail gateways and link checkers send HEAD (or GET) to every link in a mail. Those answer as the
    # page does, and only the page's button (POST) confirms, logs in or unsubscribes.
    checker = Client()
    answer = checker.head(registration_link(waiting))
    assert answer.status_code == 200 and answer.content == b""
    waiting.refresh_from_db()
    assert not waiting.is_active and waiting.pending_since is not None
    assert "_auth_user_id" not in checker.session  # nobody logged in

    owner = Owner.objects.create(name="Gemeente Hoofd", slug="hoofd", kind=Owner.Kind.GEMEENTE)
    location = Location.objects.create(owner=owner, name="Strook", geometry=rd_square(121000, 487000, 10))
    group = group_services.group_create(location=location, name="Strookgroep", managers=[])
    group_services.group_follow(group=group, user=resident)
    link = f"/groepen/afmelden/{unsubscribe_token(group_id=group.pk, user_id=resident.pk)}/"
    assert checker.head(link).status_code == 200
    assert Follower.objects.filter(group=group, user=resident).exists()
    assert checker.post(link).status_code == 200  # the page's button still does it
    assert not Follower.objects.filter(group=group, user=resident).exists()
