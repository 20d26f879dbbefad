"""Registering: an inactive account until the address is confirmed by the link mailed to it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gis_service.accounts.models import User
from tests.conftest import SmtpServer

STRONG = "Vondelpark-bankje-42"


def register(client: Client, *, email: str = "nieuw@example.org", password: str = STRONG, next_url: str = "") -> Any:
    data = {"name": "Nina de Nieuwe", "email": email, "password": password, "next": next_url}
    return client.post("/account/aanmaken/", data)


@pytest.mark.django_db(transaction=True)
def test_the_link_in_the_mail_confirms_logs_in_and_brings_the_resident_back(
    smtp_server: SmtpServer, celery_worker: str, settings: Any, owner_a: Any
) -> None:
    settings.SITE_URL = "http://testserver"
    smtp_server.clear()
    client = Client()
    assert register(client, next_url="/locaties/7/").url == "/account/aanmaken/verstuurd/"
    user = User.objects.get(email="nieuw@example.org")
    assert not user.is_active and user.pending_since is not None and user.first_name == "Nina de Nieuwe"
    assert not client.login(username="nieuw@example.org", password=STRONG)  # not before confirming

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "nieuw@example.org"
    link = re.search(r"http://testserver(/account/bevestigen/\S+/)", message.get_content())
    assert link is not None
    page = client.get(link[1])
    assert page.status_code == 200 and "Bevestig mijn e-mailadres" in page.text  # a GET changes nothing
    assert not User.objects.get(pk=user.pk).is_active

    answer = client.post(link[1])
    assert answer.url == "/locaties/7/"
    assert client.get("/account/").status_code == 200  # logged in
    user.refresh_from_db()
    assert user.is_active and user.pending_since is None
    assert client.post(link[1]).status_code == 410  # once only


@pytest.mark.django_db
def test_an_address_with_an_account_is_refused_beside_the_field_whatever_its_case(resident: User) -> None:
    answer = register(Client(), email="Resident_One@Example.org")
    assert answer.status_code == 200
    assert answer.context["form"].errors == {
        "email": ["Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan."]
    }
    assert 'value="Resident_One@Example.org"' in answer.text and 'value="Nina de Nieuwe"' in answer.text
    assert STRONG not in answer.text  # passwords are never sent back
    assert User.objects.filter(email__iexact="resident_one@example.org").count() == 1


@pytest.mark.django_db
def test_bad_input_gets_dutch_messages_beside_each_field() -> None:
    answer = Client().post("/account/aanmaken/", {"name": "", "email": "geen-adres", "password": "1234"})
    errors = answer.context["form"].errors
    assert errors["name"] == ["Vul je naam in."]
    assert errors["email"] == ["Dit is geen geldig e-mailadres."]
    assert errors["password"] == [
        "Dit wachtwoord is te kort: gebruik minstens 8 tekens.",
        "Dit wachtwoord wordt te vaak gebruikt; kies er een dat niet makkelijk te raden is.",
    ]
    assert 'value="geen-adres"' in answer.text and "1234" not in answer.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_second_registration_for_a_waiting_address_resends_but_keeps_the_first_password(
    django_capture_on_commit_callbacks: Any,
) -> None:
    register(Client())
    with django_capture_on_commit_callbacks() as mails:
        assert register(Client(), password="Iemand-anders-99").status_code == 302
    assert len(mails) == 1  # the link again
    user = User.objects.get(email="nieuw@example.org")
    assert user.check_password(STRONG) and not user.check_password("Iemand-anders-99")


@pytest.mark.django_db
def test_an_expired_registration_frees_its_address(settings: Any) -> None:
    register(Client())
    first = User.objects.get(email="nieuw@example.org")
    User.objects.filter(pk=first.pk).update(
        pending_since=timezone.now() - timedelta(seconds=settings.ACCOUNT_CONFIRMATION_SECONDS + 1)
    )
    register(Client(), password="Iemand-anders-99")
    again = User.objects.get(email="nieuw@example.org")
    assert again.pk == first.pk and again.check_password("Iemand-anders-99") and not again.is_active


@pytest.mark.django_db
def test_residents_log_in_with_their_address_in_any_case_and_others_with_their_name(resident: User) -> None:
    assert Client().login(username="RESIDENT_ONE@example.org", password="pw-resident_oneresident_one")
    assert Client().login(username="resident_one", password="pw-resident_oneresident_one")
    answer = Client().post("/accounts/login/", {"username": "resident_one@example.org", "password": "fout"})
    assert answer.status_code == 200 and "horen niet bij elkaar" in answer.text
    assert 'value="resident_one@example.org"' in answer.text


@pytest.mark.django_db
def test_the_login_limit_holds_for_log_ins_by_address(resident: User, settings: Any) -> None:
    settings.LOGIN_FAILURES_PER_USER_AND_ADDRESS = 3
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(3):
        client.post("/accounts/login/", {"username": resident.email, "password": "fout"})
    answer = client.post("/accounts/login/", {"username": resident.email, "password": "pw-resident_oneresident_one"})
    assert answer.status_code == 200  # refused although right, until the window ends
    elsewhere = Client(REMOTE_ADDR="198.51.100.21")
    answer = elsewhere.post("/accounts/login/", {"username": resident.email, "password": "pw-resident_oneresident_one"})
    assert answer.status_code == 302  # the resident still gets in from another address
