"""The support pages without a browser: who sees what, forms that re-render with their errors,
and the public pool without a single contact detail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gis_service.support import selectors, services
from gis_service.support.models import LedgerEntry, SupportRequest
from tests.web.conftest import logged_in


def _ask(group, manager, supporter) -> SupportRequest:
    return services.support_ask(
        group=group, supporter=supporter, kind="advies", wanted_on=timezone.localdate() + dt.timedelta(days=2),
        message="Welke struiken?", by=manager,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_pool_shows_cards_without_contact_details_and_filters(supporter, supporter_user, owner_b) -> None:
    page = Client().get("/ondersteuning/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Henk de Hovenier" in text and "Groen &amp; Co" in text and "€ 40,00 per uur" in text
    assert supporter_user.email not in text and "hovenier_h" not in text
    assert "Henk" in Client().get("/ondersteuning/?soort=advies&gebied=aadorp").content.decode()
    assert "Henk de Hovenier" not in Client().get("/ondersteuning/?soort=organiseren").content.decode()
    assert "Henk de Hovenier" not in Client().get(f"/ondersteuning/?gebied={owner_b.slug}").content.decode()


@pytest.mark.django_db
def test_a_manager_asks_and_a_refused_form_comes_back_with_the_error_beside_the_field(
    group, manager, supporter
) -> None:
    client = logged_in(manager)
    assert "Ondersteuning en vouchers" in client.get(f"/groepen/{group.pk}/").content.decode()
    url = f"/groepen/{group.pk}/ondersteuning/"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"supporter": supporter.pk, "kind": "advies", "wanted_on": yesterday, "message": "Hoi"})
    assert refused.status_code == 400
    assert 'id="field-wanted_on"' in refused.content.decode() and "vanaf vandaag" in refused.content.decode()
    assert "Hoi" in refused.content.decode()  # the text typed is kept
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    answer = client.post(url, {"supporter": supporter.pk, "kind": "advies", "wanted_on": tomorrow, "message": "Hoi"})
    assert answer.status_code == 302
    assert SupportRequest.objects.get().status == "gevraagd"


@pytest.mark.django_db
def test_the_support_page_is_for_managers_and_the_owners_regisseur(
    group, manager, regisseur_a, regisseur_b, resident, supporter
) -> None:
    url = f"/groepen/{group.pk}/ondersteuning/"
    assert Client().get(url).status_code == 302  # to the log-in
    for user in (resident, regisseur_b, supporter.user):
        assert logged_in(user).get(url).status_code == 403
    assert logged_in(manager).get(url).status_code == 200
    page = logged_in(regisseur_a).get(url)
    assert page.status_code == 200 and 'id="ask-form"' not in page.content.decode()


@pytest.mark.django_db
def test_the_supporter_accepts_in_the_inbox_and_the_manager_pays(group, manager, supporter, regisseur_a) -> None:
    request = _ask(group, manager, supporter)
    inbox = logged_in(supporter.user)
    assert "Welke struiken?" in inbox.get("/ondersteuning/postvak/").content.decode()
    assert logged_in(manager).get("/ondersteuning/postvak/").status_code == 403
    assert (
        inbox.post(f"/ondersteuning/verzoeken/{request.pk}/antwoord/", {"accept": "1", "answer": "Tot dan"}).status_code
        == 302
    )
    assert SupportRequest.objects.get().status == "geaccepteerd"

    regisseur = logged_in(regisseur_a)
    assert regisseur.get("/regisseur/ondersteuning/").status_code == 200
    issued = regisseur.post("/regisseur/ondersteuning/vouchers/", {"group": group.pk, "unit": "voucher", "amount": "2"})
    assert issued.status_code == 302

    client = logged_in(manager)
    spend = f"/groepen/{group.pk}/ondersteuning/{request.pk}/betalen/"
    too_much = client.post(spend, {"vouchers": "3"})
    assert too_much.status_code == 400 and "saldo is niet genoeg" in too_much.content.decode()
    assert client.post(spend, {"vouchers": "1"}).status_code == 302
    page = client.get(f"/groepen/{group.pk}/ondersteuning/").content.decode()
    assert 'id="balance-voucher">1<' in page
    assert selectors.balances(group=group)["voucher"] == Decimal(1)
    assert LedgerEntry.objects.count() == 2


@pytest.mark.django_db
def test_the_regisseur_adds_a_supporter_and_keeps_the_allow_list(owner_a, regisseur_a, resident, regisseur_b) -> None:
    client = logged_in(regisseur_a)
    form = {"owner": owner_a.pk, "email": resident.email, "name": "Buurtwerk Oost", "kind": "buurtwerker",
            "offers": ["organiseren"], "price_kind": "per_uur"}  # fmt: skip
    refused = client.post("/regisseur/ondersteuning/ondersteuner/", form)
    assert refused.status_code == 400 and 'id="field-price_eur"' in refused.content.decode()
    assert client.post("/regisseur/ondersteuning/ondersteuner/", {**form, "price_kind": "gratis"}).status_code == 302
    supporter = resident.supporter
    assert list(selectors.allowed_supporters(owner_id=owner_a.pk)) == [supporter]
    client.post("/regisseur/ondersteuning/lijst/", {"owner": owner_a.pk, "supporter": supporter.pk, "remove": "1"})
    assert not selectors.allowed_supporters(owner_id=owner_a.pk).exists()
    # Another owner's regisseur cannot touch owner A's list.
    other = logged_in(regisseur_b)
    refused = other.post("/regisseur/ondersteuning/lijst/", {"owner": owner_a.pk, "supporter": supporter.pk})
    assert refused.status_code == 403
    assert not selectors.allowed_supporters(owner_id=owner_a.pk).exists()
    assert logged_in(resident).get("/regisseur/ondersteuning/").status_code == 403


# Forbidden posts to the pages, per persona: 403 or 404 (anonymous: to the log-in), nothing changed.
WEB_ACTIONS = {
    "ask": ("/groepen/{group}/ondersteuning/", {"supporter": "{supporter}", "kind": "advies",
                                                "wanted_on": "2099-01-01", "message": "Hoi"}),
    "answer": ("/ondersteuning/verzoeken/{asked}/antwoord/", {"accept": "1"}),
    "spend": ("/groepen/{group}/ondersteuning/{accepted}/betalen/", {"vouchers": "1"}),
    "issue": ("/regisseur/ondersteuning/vouchers/", {"group": "{group}", "unit": "voucher", "amount": "5"}),
    "allow": ("/regisseur/ondersteuning/lijst/", {"owner": "{owner}", "supporter": "{supporter}", "remove": "1"}),
}  # fmt: skip
WEB_PERSONAS = ["anonymous", "resident", "other_manager", "other_supporter", "regisseur_b"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", WEB_PERSONAS)
@pytest.mark.parametrize("action", list(WEB_ACTIONS))
def test_a_forbidden_post_to_a_support_page_changes_nothing(
    action, persona, group, manager, supporter, owner_a, owner_b, regisseur_a, regisseur_b, resident
) -> None:
    from tests.conftest import _user
    from tests.support.factories import gardener, group_on

    other_manager = _user("other_manager")
    other_group = group_on(owner_b, other_manager, x=130000, name="Andere groep")
    other = gardener(owner_b, regisseur_b, _user("other_supporter"))
    services.support_ask(group=other_group, supporter=other, kind="advies", wanted_on=timezone.localdate(),
                         message="Eigen vraag", by=other_manager)  # fmt: skip
    asked = _ask(group, manager, supporter)
    accepted = _ask(group, manager, supporter)
    services.support_answer(request=accepted, by=supporter.user, accept=True)
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(3), by=regisseur_a)
    users = {"resident": resident, "other_manager": other_manager, "other_supporter": other.user,
             "regisseur_b": regisseur_b}  # fmt: skip
    ids = {"group": group.pk, "supporter": supporter.pk, "asked": asked.pk, "accepted": accepted.pk,
           "owner": owner_a.pk}  # fmt: skip

    def state():
        return (list(SupportRequest.objects.values_list("id", "status").order_by("id")),
                list(LedgerEntry.objects.values_list("id", "amount").order_by("id")),
                list(selectors.allowed_supporters(owner_id=owner_a.pk).values_list("id", flat=True)))  # fmt: skip

    before = state()
    client = Client() if persona == "anonymous" else logged_in(users[persona])
    url, body = WEB_ACTIONS[action]
    answer = client.post(url.format(**ids), {key: value.format(**ids) for key, value in body.items()})
    if persona == "anonymous":
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    else:
        assert answer.status_code in (403, 404), answer.status_code
    assert state() == before


@pytest.mark.django_db
def test_the_supporter_sees_in_the_inbox_what_the_group_paid_and_where_to_go(
    group, manager, supporter, regisseur_a
) -> None:
    from tests.support.factories import accepted_request

    request = accepted_request(group, manager, supporter)
    services.vouchers_issue(group=group, unit="euro", amount=Decimal("500"), by=regisseur_a)
    services.support_spend(request=request, by=manager, hours=Decimal("2"))
    page = logged_in(supporter.user).get("/ondersteuning/postvak/").content.decode()
    assert "Betaald op" in page and "80 euro" in page and "(2 uur)" in page
    assert f'href="/locaties/{group.location_id}/"' in page
    assert "500" not in page and "420" not in page  # the group's balance is not the supporter's business
