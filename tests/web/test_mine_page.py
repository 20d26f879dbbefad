"""Mijn zelfbeheer: a resident's sign-ups, contracts, initiatives and groups, each with where it
stands and what to do next; only their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup
from gis_service.contracts.services.decisions import contract_approve, contract_reject
from gis_service.contracts.services.offering import terms_publish
from gis_service.groups.services import group_follow, group_join
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.services import initiative_reject, initiative_submit
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.contracts.factories import offered_location, sign_up
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _page(user: User) -> str:
    response = logged_in(user).get("/mijn-zelfbeheer/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/mijn-zelfbeheer/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_who_takes_part_in_nothing_is_shown_where_to_start(outsider: User) -> None:
    text = _page(outsider)
    assert "Je doet nog nergens aan mee." in text


def test_each_sign_up_shows_where_it_stands(owner_a: Owner, regisseur_a: User, resident: User) -> None:
    waiting = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=3)
    sign_up(waiting, resident)
    decide = offered_location(owner=owner_a, regisseur=regisseur_a, x=100, y=0, managers_needed=1)
    sign_up(decide, resident)
    rejected = offered_location(owner=owner_a, regisseur=regisseur_a, x=200, y=0, managers_needed=1)
    contract_reject(contract=sign_up(rejected, resident), by=regisseur_a, reason="Hier komt een fietspad.")
    gone = offered_location(owner=owner_a, regisseur=regisseur_a, x=300, y=0, managers_needed=3)
    sign_up(gone, resident)
    ManagerSignup.objects.filter(contract__location=gone).update(withdrawn_at=dt.datetime.now(dt.UTC))

    text = _page(resident)
    assert "Wacht op meer beheerders: 1 van de 3 aangemeld." in text
    assert "Er zijn genoeg beheerders: de regisseur beslist nu." in text
    assert "Afgewezen. Reden: Hier komt een fietspad." in text
    assert "Afgemeld op" in text
    assert text.count(">Afmelden</button>") == 2  # the open ones; not the rejected or withdrawn


def test_contracts_show_running_ending_and_ended_with_what_to_do(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    from gis_service.contracts.services.lifecycle import contract_end_early

    ending = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=2)
    sign_up(ending, resident)
    contract = contract_approve(
        contract=sign_up(ending, resident_two), by=regisseur_a,
        starts_on=localdate() - dt.timedelta(days=100), ends_on=localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    ended = offered_location(owner=owner_a, regisseur=regisseur_a, x=100, y=0, managers_needed=1)
    over = contract_approve(contract=sign_up(ended, resident), by=regisseur_a)
    contract_end_early(contract=over, by=regisseur_a, reason="De strook wordt heringericht.")
    terms_publish(offering=ending.offering, text="Versie 2: ook geen kunstmest.", by=regisseur_a)

    text = _page(resident)
    assert "Loopt binnenkort af." in text
    assert "Samen met Ruud Tweede" in text
    assert "Reden: De strook wordt heringericht." in text and "door regisseur_a" in text
    assert f'action="/contracten/{contract.pk}/beeindigen/"' in text
    assert f'action="/contracten/{over.pk}/beeindigen/"' not in text  # ended: nothing to end
    assert f'href="/locaties/{ending.pk}/voorwaarden/"' in text  # accept the new terms
    assert f'href="/groepen/{contract.group.pk}/"' in text


def test_initiatives_and_groups_show_their_state(
    owner_a: Owner, regisseur_a: User, resident: User, resident_two: User
) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=1)
    contract = contract_approve(contract=sign_up(location, resident_two), by=regisseur_a)
    group_follow(group=contract.group, user=resident)
    other = offered_location(owner=owner_a, regisseur=regisseur_a, x=100, y=0, managers_needed=1)
    volunteering = contract_approve(contract=sign_up(other, resident_two), by=regisseur_a)
    group_join(group=volunteering.group, user=resident)
    school = Location.objects.create(owner=owner_a, name="Schoolplein", geometry=rd_square(500, 0, 10))
    pond = Location.objects.create(owner=owner_a, name="Vijverrand", geometry=rd_square(600, 0, 10))
    waiting = initiative_submit(user=resident, description="Moestuin bij de school", location_ids=[school.pk])
    refused = initiative_submit(user=resident, description="Bankje bij de vijver", location_ids=[pond.pk])
    initiative_reject(initiative=refused, by=regisseur_a, reason="Daar komt een steiger.")

    text = _page(resident)
    assert "Je volgt deze groep." in text and "Je doet mee als vrijwilliger." in text
    assert "Moestuin bij de school" in text and "de regisseur van Gemeente Aadorp beslist" in text
    assert "Afgewezen. Reden: Daar komt een steiger." in text
    assert waiting.status == Initiative.Status.SUBMITTED


def test_it_shows_only_the_users_own(owner_a: Owner, regisseur_a: User, resident: User, outsider: User) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=3)
    sign_up(location, resident)
    assert location.name not in _page(outsider)


def test_withdrawing_from_the_page_returns_to_it(owner_a: Owner, regisseur_a: User, resident: User) -> None:
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=3)
    contract = sign_up(location, resident)
    response = logged_in(resident).post(f"/locaties/{location.pk}/afmelden/", {"back": "mine"})
    assert response.status_code == 302 and response["Location"] == "/mijn-zelfbeheer/"
    assert ManagerSignup.objects.get(contract=contract).withdrawn_at is not None
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.OPEN
