"""The contract page: the owner's regisseur sees everything and renews or ends; a manager sees their
own view and can end early; everyone else gets 404, and no POST of theirs changes anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils.timezone import localdate

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.contracts.selectors import contract_url
from gis_service.contracts.services.decisions import contract_approve
from gis_service.owners.models import Owner
from tests.contracts.factories import offered_location, sign_up
from tests.web.conftest import TABLE_REGIONS, log_in, logged_in, split_words_in_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Personas get passwords; the production hasher is slow on purpose, which these tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def contract(owner_a: Owner, regisseur_a: User, resident: User, resident_two: User) -> Contract:
    """A running contract of two managers, ending in 20 days."""
    location = offered_location(owner=owner_a, regisseur=regisseur_a, x=0, y=0, managers_needed=2)
    sign_up(location, resident)
    waiting = sign_up(location, resident_two, plan="Een bankje")
    return contract_approve(
        contract=waiting, by=regisseur_a,
        starts_on=localdate() - dt.timedelta(days=300), ends_on=localdate() + dt.timedelta(days=20),
    )  # fmt: skip


def test_the_reminders_link_is_the_contract_page(contract: Contract, settings: object) -> None:
    assert contract_url(contract).endswith(f"/contracten/{contract.pk}/")


def test_the_regisseur_sees_people_contact_acceptances_period_and_actions(
    contract: Contract, regisseur_a: User
) -> None:
    response = logged_in(regisseur_a).get(f"/contracten/{contract.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-view="regisseur"' in text
    assert "Riet Eerste" in text and "resident_one@example.org" in text and "0612345678" in text
    assert "Akkoorden met de voorwaarden" in text and contract.terms_version.content_hash[:10] in text
    assert 'id="renew-form"' in text and "Contract beëindigen" in text
    assert 'id="ending-soon"' in text  # 20 days left, within CONTRACT_REMINDER_DAYS (30)


def test_a_manager_sees_their_own_view_without_the_regisseurs_actions(contract: Contract, resident: User) -> None:
    text = logged_in(resident).get(f"/contracten/{contract.pk}/").content.decode()
    assert 'data-view="manager"' in text
    assert "Je plan: “Bloemen zaaien”" in text
    assert "Je hebt versie 1 van de voorwaarden geaccepteerd." in text
    assert "Ruud Tweede" in text and "resident_two@example.org" not in text  # co-managers by name only
    assert 'id="renew-form"' not in text and "Akkoorden met de voorwaarden" not in text
    assert "Contract beëindigen" in text


@pytest.mark.parametrize("who", ["regisseur_b", "gis_admin_a", "outsider"])
def test_others_get_404_and_change_nothing(contract: Contract, who: str, request: pytest.FixtureRequest) -> None:
    client = logged_in(request.getfixturevalue(who))
    assert client.get(f"/contracten/{contract.pk}/").status_code == 404
    new_end = (localdate() + dt.timedelta(days=400)).isoformat()
    assert client.post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": new_end}).status_code == 404
    assert client.post(f"/contracten/{contract.pk}/beeindigen/", {"reason": "Weg ermee."}).status_code == 404
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE and contract.ends_on == localdate() + dt.timedelta(days=20)


def test_anonymous_visitors_are_sent_to_log_in(client: object, contract: Contract) -> None:
    response = client.get(f"/contracten/{contract.pk}/")  # type: ignore[attr-defined]
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_manager_cannot_renew(contract: Contract, resident: User) -> None:
    new_end = (localdate() + dt.timedelta(days=400)).isoformat()
    assert logged_in(resident).post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": new_end}).status_code == 403
    contract.refresh_from_db()
    assert contract.ends_on == localdate() + dt.timedelta(days=20)


def test_the_regisseur_renews_and_an_earlier_date_is_refused_beside_the_field(
    contract: Contract, regisseur_a: User
) -> None:
    client = logged_in(regisseur_a)
    earlier = (localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": earlier})
    assert response.status_code == 200
    assert "Kies een einddatum na de huidige" in response.content.decode()
    later = localdate() + dt.timedelta(days=400)
    response = client.post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": later.isoformat(), "back": "dashboard"})
    assert response.status_code == 302 and response["Location"] == "/regisseur/#running"
    contract.refresh_from_db()
    assert contract.ends_on == later


def test_a_manager_ends_early_with_a_reason(contract: Contract, resident: User) -> None:
    client = logged_in(resident)
    response = client.post(f"/contracten/{contract.pk}/beeindigen/", {"reason": ""})
    assert "Geef een reden voor het beëindigen." in response.content.decode()
    response = client.post(f"/contracten/{contract.pk}/beeindigen/", {"reason": "We verhuizen.", "back": "mine"})
    assert response.status_code == 302 and response["Location"] == "/mijn-zelfbeheer/"
    contract.refresh_from_db()
    assert (contract.status, contract.end_reason, contract.ended_by) == (
        Contract.Status.ENDED,
        "We verhuizen.",
        resident,
    )
    text = client.get(f"/contracten/{contract.pk}/").content.decode()
    assert "Reden: We verhuizen." in text and "door Riet Eerste" in text


def test_the_back_field_never_sends_elsewhere(contract: Contract, resident: User) -> None:
    response = logged_in(resident).post(
        f"/contracten/{contract.pk}/beeindigen/", {"reason": "Klaar.", "back": "https://evil.example/"}
    )
    assert response["Location"] == f"/contracten/{contract.pk}/"


def test_writes_need_a_post(contract: Contract, regisseur_a: User) -> None:
    client = logged_in(regisseur_a)
    assert client.get(f"/contracten/{contract.pk}/verlengen/").status_code == 405
    assert client.get(f"/contracten/{contract.pk}/beeindigen/").status_code == 405


@pytest.mark.parametrize(
    ("language", "refused", "renewed"),
    [
        ("nl", "Kies een einddatum na de huidige (6 december 2030).", "is verlengd tot en met 6 december 2031."),
        (
            "en",
            "Choose an end date after the current one (6 December 2030).",
            "has been renewed until 6 December 2031 inclusive.",
        ),
    ],
)
def test_the_renewal_s_messages_write_the_day_in_the_reader_s_language(
    contract: Contract, regisseur_a: User, language: str, refused: str, renewed: str
) -> None:
    Contract.objects.filter(pk=contract.pk).update(ends_on=dt.date(2030, 12, 6))
    regisseur_a.language = language
    regisseur_a.save(update_fields=["language"])
    client = logged_in(regisseur_a)
    response = client.post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": "2030-12-01"})
    assert refused in response.content.decode()
    response = client.post(f"/contracten/{contract.pk}/verlengen/", {"ends_on": "2031-12-06"}, follow=True)
    assert renewed in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_regisseurs_tables_keep_their_words_whole_on_a_phone(
    phone_page: Any, live_server: Any, contract: Contract, regisseur_a: User
) -> None:
    log_in(phone_page, live_server, regisseur_a)
    phone_page.goto(f"{live_server.url}/contracten/{contract.pk}/")
    # The cells' overflow-wrap:anywhere squeezed both tables into 390 px by splitting their words:
    # "Contac / t", "resident_one@exam / ple.org", "Versi / e". Now each table scrolls in a region
    # of its own, named by its heading and reachable by keyboard, and the page does not.
    assert split_words_in_tables(phone_page, "#contract-page") == []
    assert phone_page.evaluate(TABLE_REGIONS, "#contract-page") == ["Beheerders", "Akkoorden met de voorwaarden"]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
