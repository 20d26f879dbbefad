"""A manager on the location page: withdraw before the start, accept changed terms, see who accepted."""

from __future__ import annotations

from typing import Any

import pytest

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsAcceptance, TermsVersion
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import terms_publish
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import logged_in


@pytest.fixture
def terms(green_strip: Location) -> TermsVersion:
    offering = Offering.objects.create(location=green_strip, conditions="Geen gif.", managers_needed=2)
    return TermsVersion.objects.create(offering=offering, number=1, text="Versie een.")


def sign_up(location: Location, user: User, terms: TermsVersion) -> None:
    manager_sign_up(location=location, user=user, terms_version=terms, plan="Bloemen", accept_terms=True)


@pytest.mark.django_db
def test_a_signed_up_resident_sees_their_plan_and_withdraws_before_the_start(
    green_strip: Location, terms: TermsVersion, resident: User
) -> None:
    sign_up(green_strip, resident, terms)
    client = logged_in(resident)
    text = client.get(f"/locaties/{green_strip.pk}/").content.decode()
    assert "Je bent beheerder in spe" in text and "Bloemen" in text
    response = client.post(f"/locaties/{green_strip.pk}/afmelden/", follow=True)
    assert "Je bent afgemeld als beheerder." in response.content.decode()
    assert ManagerSignup.objects.get(user=resident).withdrawn_at is not None


@pytest.mark.django_db
def test_someone_not_signed_up_cannot_withdraw_or_open_the_terms_page(
    green_strip: Location, terms: TermsVersion, resident: User, outsider: User
) -> None:
    sign_up(green_strip, resident, terms)
    client = logged_in(outsider)
    assert client.post(f"/locaties/{green_strip.pk}/afmelden/").status_code == 404
    assert client.get(f"/locaties/{green_strip.pk}/voorwaarden/").status_code == 404
    assert ManagerSignup.objects.get(user=resident).withdrawn_at is None


@pytest.mark.django_db
def test_withdrawing_needs_a_post(green_strip: Location, terms: TermsVersion, resident: User) -> None:
    sign_up(green_strip, resident, terms)
    assert logged_in(resident).get(f"/locaties/{green_strip.pk}/afmelden/").status_code == 405


@pytest.mark.django_db
def test_managers_accept_changed_terms_and_see_who_has_not_yet(
    green_strip: Location, terms: TermsVersion, resident: User, resident_two: User, regisseur_a: User
) -> None:
    sign_up(green_strip, resident, terms)
    sign_up(green_strip, resident_two, terms)
    contract = Contract.objects.get(location=green_strip)
    contract_approve(contract=contract, by=regisseur_a)
    new = terms_publish(offering=terms.offering, text="Versie twee: geen gif, ook niet biologisch.", by=regisseur_a)

    client = logged_in(resident)
    assert "De voorwaarden zijn gewijzigd (versie 2)" in client.get(f"/locaties/{green_strip.pk}/").content.decode()
    page = client.get(f"/locaties/{green_strip.pk}/voorwaarden/").content.decode()
    assert "Versie twee" in page and new.content_hash in page
    assert page.count("<strong>nog niet</strong>") == 2

    response = client.post(f"/locaties/{green_strip.pk}/voorwaarden/", {"terms_version": new.pk, "accept_terms": "on"})
    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(user=resident, terms_version=new)
    assert acceptance.content_hash == new.content_hash
    page = client.get(f"/locaties/{green_strip.pk}/voorwaarden/").content.decode()
    assert page.count("<strong>nog niet</strong>") == 1  # resident_two has not yet


@pytest.mark.django_db
def test_accepting_needs_the_explicit_tick(
    green_strip: Location, terms: TermsVersion, resident: User, resident_two: User, regisseur_a: User
) -> None:
    sign_up(green_strip, resident, terms)
    sign_up(green_strip, resident_two, terms)
    contract_approve(contract=Contract.objects.get(location=green_strip), by=regisseur_a)
    new = terms_publish(offering=terms.offering, text="Versie twee.", by=regisseur_a)
    response = logged_in(resident).post(f"/locaties/{green_strip.pk}/voorwaarden/", {"terms_version": new.pk})
    assert response.status_code == 200
    assert not TermsAcceptance.objects.filter(terms_version=new).exists()


@pytest.mark.django_db
def test_withdrawing_does_not_ask_who_accepted_the_terms(
    green_strip: Location, terms: TermsVersion, resident: User, resident_two: User, django_assert_max_num_queries: Any
) -> None:
    """The withdraw view needs the sign-up only; the terms status is for the location and terms pages."""
    sign_up(green_strip, resident, terms)
    sign_up(green_strip, resident_two, terms)
    client = logged_in(resident)
    with django_assert_max_num_queries(9) as captured:  # 11 with the terms status
        response = client.post(f"/locaties/{green_strip.pk}/afmelden/")
    assert response.status_code == 302
    assert not any("contracts_termsacceptance" in query["sql"] for query in captured.captured_queries)
    assert ManagerSignup.objects.get(user=resident).withdrawn_at is not None


@pytest.mark.django_db
def test_another_contracts_terms_cannot_be_accepted_here(
    green_strip: Location, terms: TermsVersion, resident: User, owner_a: Owner
) -> None:
    sign_up(green_strip, resident, terms)
    elsewhere = Location.objects.create(owner=owner_a, name="Elders", geometry=rd_square(121000, 486000, 10))
    theirs = TermsVersion.objects.create(
        offering=Offering.objects.create(location=elsewhere, conditions="Anders."), number=1, text="Niet deze."
    )
    response = logged_in(resident).post(
        f"/locaties/{green_strip.pk}/voorwaarden/", {"terms_version": theirs.pk, "accept_terms": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"terms_version": ["Deze versie van de voorwaarden bestaat niet."]}
    assert not TermsAcceptance.objects.filter(terms_version=theirs).exists()


@pytest.mark.django_db
def test_a_manager_is_told_why_when_the_terms_changed_again_while_reading(
    green_strip: Location, terms: TermsVersion, resident: User, resident_two: User, regisseur_a: User
) -> None:
    sign_up(green_strip, resident, terms)
    sign_up(green_strip, resident_two, terms)
    contract_approve(contract=Contract.objects.get(location=green_strip), by=regisseur_a)
    read = terms_publish(offering=terms.offering, text="Versie twee.", by=regisseur_a)
    terms_publish(offering=terms.offering, text="Versie drie.", by=regisseur_a)
    response = logged_in(resident).post(
        f"/locaties/{green_strip.pk}/voorwaarden/", {"terms_version": read.pk, "accept_terms": "on"}
    )
    assert response.status_code == 200
    alert = response.content.decode().split('role="alert">', 1)[1].split("</div>", 1)[0]
    assert "Accepteer de huidige versie (3)." in alert
    assert not TermsAcceptance.objects.filter(user=resident, terms_version=read).exists()
