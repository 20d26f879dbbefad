"""Joining the pool from the site: someone with an account applies to an owner, its regisseur
accepts (the card appears in the pool, on the owner's allow-list) or declines; mails through the
real worker; nobody else sees or decides an application."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gis_service.support import selectors, services
from gis_service.support.models import Supporter, SupporterApplication
from tests.conftest import SmtpServer, _user
from tests.web.conftest import logged_in

FORM = {"name": "Gerda Groen", "organisation": "Tuinen van Gerda", "kind": "hovenier",
        "offers": ["advies", "handen"], "price_kind": "per_uur", "price_eur": "38.50",
        "description": "Snoeien en planten."}  # fmt: skip


@pytest.mark.django_db
def test_a_gardener_applies_on_the_site_and_the_regisseur_takes_her_into_the_pool(
    owner_a, regisseur_a, resident
) -> None:
    client = logged_in(resident)
    assert "/ondersteuning/aanmelden/" in Client().get("/ondersteuning/").content.decode()
    page = client.get("/ondersteuning/aanmelden/")
    assert page.status_code == 200 and 'id="apply-form"' in page.content.decode()
    refused = client.post("/ondersteuning/aanmelden/", {**FORM, "owner": owner_a.pk, "price_eur": ""})
    assert refused.status_code == 400 and 'id="field-price_eur"' in refused.content.decode()
    assert client.post("/ondersteuning/aanmelden/", {**FORM, "owner": owner_a.pk}).status_code == 302
    application = SupporterApplication.objects.get()
    assert application.status == "aangevraagd" and application.user == resident
    # Not public yet: the pool shows no card, a second application to the same owner waits.
    assert "Gerda Groen" not in Client().get("/ondersteuning/").content.decode()
    again = client.post("/ondersteuning/aanmelden/", {**FORM, "owner": owner_a.pk})
    assert again.status_code == 400 and SupporterApplication.objects.count() == 1

    regisseur = logged_in(regisseur_a)
    listed = regisseur.get("/regisseur/ondersteuning/").content.decode()
    assert f'id="application-{application.pk}"' in listed and resident.email in listed
    decided = regisseur.post(
        f"/regisseur/ondersteuning/aanmeldingen/{application.pk}/besluit/", {"accept": "1", "reason": "Welkom!"}
    )
    assert decided.status_code == 302
    supporter = Supporter.objects.get(user=resident)
    assert (supporter.name, supporter.kind, supporter.offers) == ("Gerda Groen", "hovenier", ["advies", "handen"])
    assert str(supporter.price_eur) == "38.50" and supporter.added_by_owner == owner_a
    assert list(selectors.allowed_supporters(owner_id=owner_a.pk)) == [supporter]
    pool = Client().get("/ondersteuning/").content.decode()
    assert "Gerda Groen" in pool and resident.email not in pool
    mine = client.get("/ondersteuning/aanmelden/").content.decode()
    assert "geaccepteerd" in mine and "Welkom!" in mine and 'id="apply-form"' not in mine
    assert client.get("/ondersteuning/postvak/").status_code == 200


@pytest.mark.django_db
def test_only_the_owners_regisseur_decides_once_and_a_refusal_changes_nothing(
    owner_a, owner_b, regisseur_a, regisseur_b, resident
) -> None:
    application = services.supporter_apply(
        owner=owner_a, by=resident, **{**FORM, "price_eur": None, "price_kind": "gratis"}
    )
    url = f"/regisseur/ondersteuning/aanmeldingen/{application.pk}/besluit/"
    other_applicant = _user("other_applicant")
    for client, expected in (
        (Client(), 302),  # to the log-in
        (logged_in(resident), 403),  # the applicant does not accept herself
        (logged_in(other_applicant), 403),
        (logged_in(regisseur_b), 404),  # another owner's regisseur does not see it
    ):
        answer = client.post(url, {"accept": "1"})
        assert answer.status_code == expected
        if expected == 302:
            assert "/inloggen/" in answer["Location"] or "login" in answer["Location"]
    assert "Gerda Groen" not in logged_in(regisseur_b).get("/regisseur/ondersteuning/").content.decode()
    with pytest.raises(PermissionDenied):
        services.supporter_application_decide(application=application, by=regisseur_b, accept=True)
    application.refresh_from_db()
    assert application.status == "aangevraagd" and not Supporter.objects.exists()

    services.supporter_application_decide(application=application, by=regisseur_a, accept=False, reason="Vol.")
    with pytest.raises(PermissionDenied):  # decided once
        services.supporter_application_decide(application=application, by=regisseur_a, accept=True)
    assert not Supporter.objects.exists()
    assert logged_in(regisseur_a).post(url, {"accept": "1"}).status_code == 403
    assert not Supporter.objects.exists()


@pytest.mark.django_db
def test_a_supporter_does_not_apply_again_and_a_deleted_account_takes_its_applications(
    owner_a, regisseur_a, resident
) -> None:
    from gis_service.support.services import supporter_leave

    application = services.supporter_apply(
        owner=owner_a, by=resident, **{**FORM, "price_kind": "gratis", "price_eur": None}
    )
    services.supporter_application_decide(application=application, by=regisseur_a, accept=True)
    with pytest.raises(PermissionDenied):
        services.supporter_apply(owner=owner_a, by=resident, **{**FORM, "price_kind": "gratis", "price_eur": None})
    assert logged_in(resident).post("/ondersteuning/aanmelden/", {**FORM, "owner": owner_a.pk}).status_code == 403
    supporter_leave(user=resident)
    assert not SupporterApplication.objects.exists()


@pytest.mark.django_db
def test_an_owner_without_a_regisseur_takes_no_applications(owner_b, resident) -> None:
    with pytest.raises(ValidationError):
        services.supporter_apply(owner=owner_b, by=resident, **{**FORM, "price_kind": "gratis", "price_eur": None})


@pytest.mark.django_db(transaction=True)
def test_the_regisseur_hears_of_an_application_and_the_applicant_of_the_decision(
    owner_a, regisseur_a, resident, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    application = services.supporter_apply(
        owner=owner_a, by=resident, **{**FORM, "price_kind": "gratis", "price_eur": None}
    )
    (asked,) = smtp_server.wait_for(1)
    assert asked["To"] == regisseur_a.email
    assert asked["Subject"] == "Gerda Groen meldt zich aan als ondersteuner"
    assert "/regisseur/ondersteuning/#applications" in asked.get_content()
    assert resident.email not in asked.get_content()  # the address is on the regisseur's page, behind a log-in

    smtp_server.clear()
    services.supporter_application_decide(application=application, by=regisseur_a, accept=True, reason="Welkom!")
    (decided,) = smtp_server.wait_for_matching(1, lambda message: message["To"] == resident.email)
    assert decided["Subject"].startswith("Je staat in de pool van")
    assert "Welkom!" in decided.get_content() and "/ondersteuning/postvak/" in decided.get_content()
