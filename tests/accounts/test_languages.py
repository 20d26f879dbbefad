"""The language a person reads: chosen with the switch (cookie for visitors, profile for users),
taken from Accept-Language at a first visit, and the language of every mail they get."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from gis_service.accounts.models import User
from gis_service.accounts.services import account_update
from gis_service.contracts.tasks import remind_ending
from gis_service.core.mail import by_language
from tests.conftest import SmtpServer
from tests.contracts.factories import active_contract
from tests.web.conftest import logged_in


def html_lang(answer: Any) -> str:
    found = re.search(r'<html lang="([a-z-]+)"', answer.content.decode())
    assert found is not None
    return found[1]


@pytest.mark.django_db
def test_a_first_visit_follows_accept_language_and_dutch_is_the_default() -> None:
    assert html_lang(Client().get("/accounts/login/")) == "nl"
    assert html_lang(Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")) == "en"
    assert html_lang(Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")) == "nl"


@pytest.mark.django_db
def test_every_page_offers_the_switch_with_each_language_in_itself() -> None:
    page = Client().get("/accounts/login/").content.decode()
    switch = page[page.index('class="language-switch"') :]
    switch = switch[: switch.index("</form>")]
    assert 'action="/i18n/setlang/"' in page and "csrfmiddlewaretoken" in switch
    assert '<span class="current" lang="nl" aria-current="true">Nederlands</span>' in switch
    assert '<button class="link" name="language" value="en" lang="en">English</button>' in switch


@pytest.mark.django_db
def test_a_visitor_s_choice_is_kept_in_the_cookie_and_the_url_stays_the_same() -> None:
    client = Client(enforce_csrf_checks=False)
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert answer.status_code == 302 and answer.url == "/accounts/login/"
    assert client.cookies["django_language"].value == "en"
    assert html_lang(client.get("/accounts/login/")) == "en"
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")) == "nl"  # the cookie wins


@pytest.mark.django_db
def test_the_switch_refuses_a_get_and_a_post_without_csrf() -> None:
    assert Client().get("/i18n/setlang/?language=en").status_code == 405
    assert Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"}).status_code == 403


@pytest.mark.django_db
def test_a_user_s_choice_is_kept_in_their_profile_and_wins_over_the_cookie(resident: User) -> None:
    client = logged_in(resident)
    client.post("/i18n/setlang/", {"language": "en", "next": "/account/"})
    resident.refresh_from_db()
    assert resident.language == "en"
    elsewhere = logged_in(resident)  # another browser, whose cookie says Dutch
    elsewhere.cookies["django_language"] = "nl"
    assert html_lang(elsewhere.get("/account/")) == "en"
    assert html_lang(Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl")) == "nl"  # logged out: not theirs


@pytest.mark.django_db
def test_the_account_page_sets_the_language_and_refuses_another(resident: User) -> None:
    client = logged_in(resident)
    data = {"name": "Riet Eerste", "email": resident.email, "phone": "", "language": "en"}
    assert client.post("/account/", data).status_code == 302
    resident.refresh_from_db()
    assert resident.language == "en"
    refused = client.post("/account/", {**data, "language": "fr"})
    assert refused.status_code == 200 and refused.context["form"].errors["language"] == [
        "Choose one of the site's languages."  # in the user's own language, English now
    ]


@pytest.mark.django_db
def test_a_registration_takes_the_language_the_page_was_read_in() -> None:
    data = {"name": "Nina", "email": "nina@example.org", "password": "Vondelpark-bankje-42"}
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/account/aanmaken/", data)
    Client().post("/account/aanmaken/", {**data, "email": "noor@example.org"})
    assert User.objects.get(email="nina@example.org").language == "en"
    assert User.objects.get(email="noor@example.org").language == "nl"


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_mail_is_written_in_the_recipient_s_language(
    resident: User, celery_worker: str, smtp_server: SmtpServer
) -> None:
    smtp_server.clear()
    resident.language = "en"
    resident.save(update_fields=["language"])
    with transaction.atomic():
        account_update(user=resident, name="Riet", email="riet@example.org", phone="")
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Confirm your new e-mail address for Zelfbeheer"
    assert "The link works for 48 hours, and once." in message.get_content()


@pytest.mark.django_db
def test_recipients_are_grouped_by_the_language_they_read(
    resident: User, resident_two: User, regisseur_a: User
) -> None:
    resident.language = "en"
    regisseur_a.language = ""  # never chose: the site's language
    assert by_language([resident, resident_two, regisseur_a]) == [
        ("en", ["resident_one@example.org"]),
        ("nl", ["resident_two@example.org", "regisseur_a@example.org"]),
    ]


@pytest.mark.django_db(transaction=True)
def test_managers_and_regisseur_of_different_languages_get_a_mail_each(
    owner_a: Any, regisseur_a: User, resident: User, celery_worker: str, smtp_server: SmtpServer
) -> None:
    resident.language = "en"
    resident.save(update_fields=["language"])
    smtp_server.clear()
    today = dt.date.today()
    active_contract(owner=owner_a, regisseur=regisseur_a, manager=resident, x=0, y=0,
                    starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=5))  # fmt: skip
    smtp_server.wait_for(2)  # threshold reached and approval
    smtp_server.clear()
    with transaction.atomic():
        assert remind_ending() == 1
    sent = sorted(message["To"] for message in smtp_server.wait_for(2))
    assert sent == ["regisseur_a@example.org", "resident_one@example.org"]
