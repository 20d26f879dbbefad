"""Signing up as manager from the location page: terms read, accepted explicitly, plan given."""

from __future__ import annotations

import pytest
from django.test import Client

from gis_service.accounts.models import User
from gis_service.contracts.models import ManagerSignup, Offering, TermsAcceptance, TermsVersion
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square
from tests.web.conftest import logged_in


@pytest.fixture
def terms(green_strip: Location) -> TermsVersion:
    offering = Offering.objects.create(
        location=green_strip, conditions="Geen chemische middelen.", managers_needed=3, support=["materiaal", "kennis"]
    )
    return TermsVersion.objects.create(offering=offering, number=1, text="Bomen blijven van de gemeente.")


@pytest.mark.django_db
def test_the_location_page_shows_the_conditions_support_and_terms(client: Client, terms: TermsVersion) -> None:
    text = client.get(f"/locaties/{terms.offering.location_id}/").content.decode()
    assert "Geen chemische middelen." in text
    assert "materiaal, kennis" in text
    assert terms.content_hash in text
    assert f'href="/locaties/{terms.offering.location_id}/aanmelden/"' in text


@pytest.mark.django_db
def test_signing_up_needs_a_log_in(client: Client, terms: TermsVersion) -> None:
    response = client.get(f"/locaties/{terms.offering.location_id}/aanmelden/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_resident_signs_up_accepting_the_version_shown(terms: TermsVersion, resident: User) -> None:
    client = logged_in(resident)
    url = f"/locaties/{terms.offering.location_id}/aanmelden/"
    assert "Bomen blijven van de gemeente." in client.get(url).content.decode()
    response = client.post(url, {"terms_version": terms.pk, "plan": "Wilde bloemen zaaien", "accept_terms": "on"})
    assert response.status_code == 302
    signup = ManagerSignup.objects.get(user=resident)
    assert signup.plan == "Wilde bloemen zaaien"
    acceptance = TermsAcceptance.objects.get(user=resident)
    assert (acceptance.terms_version, acceptance.content_hash) == (terms, terms.content_hash)


@pytest.mark.django_db
def test_without_ticking_acceptance_nothing_is_signed_and_the_plan_stays(terms: TermsVersion, resident: User) -> None:
    url = f"/locaties/{terms.offering.location_id}/aanmelden/"
    response = logged_in(resident).post(url, {"terms_version": terms.pk, "plan": "Mijn plan"})
    assert response.status_code == 200
    assert "Mijn plan" in response.content.decode()
    assert not ManagerSignup.objects.exists()


@pytest.mark.django_db
def test_terms_changed_after_reading_are_not_accepted_silently(terms: TermsVersion, resident: User) -> None:
    TermsVersion.objects.create(offering=terms.offering, number=2, text="Nieuwe tekst.")
    url = f"/locaties/{terms.offering.location_id}/aanmelden/"
    response = logged_in(resident).post(url, {"terms_version": terms.pk, "plan": "Plan", "accept_terms": "on"})
    assert response.status_code == 200
    assert "versie 2" in response.content.decode()
    assert not ManagerSignup.objects.exists()


@pytest.mark.django_db
def test_the_resident_is_told_why_when_the_terms_changed_while_reading(terms: TermsVersion, resident: User) -> None:
    """The refusal concerns the hidden terms field, so the page must show it in its alert, with the plan kept."""
    TermsVersion.objects.create(offering=terms.offering, number=2, text="Nieuwe tekst.")
    url = f"/locaties/{terms.offering.location_id}/aanmelden/"
    response = logged_in(resident).post(url, {"terms_version": terms.pk, "plan": "Mijn plan", "accept_terms": "on"})
    alert = response.content.decode().split('role="alert">', 1)[1].split("</div>", 1)[0]
    assert "Accepteer de huidige voorwaarden (versie 2)." in alert
    assert "Mijn plan</textarea>" in response.content.decode()


@pytest.mark.django_db
def test_another_locations_terms_cannot_be_posted(terms: TermsVersion, resident: User, owner_a: Owner) -> None:
    elsewhere = Location.objects.create(owner=owner_a, name="Elders", geometry=rd_square(121000, 486000, 10))
    offering = Offering.objects.create(location=elsewhere, conditions="Andere voorwaarden.")
    theirs = TermsVersion.objects.create(offering=offering, number=1, text="Niet de jouwe.")
    url = f"/locaties/{terms.offering.location_id}/aanmelden/"
    response = logged_in(resident).post(url, {"terms_version": theirs.pk, "plan": "Plan", "accept_terms": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"terms_version": ["Deze versie van de voorwaarden bestaat niet."]}
    assert not ManagerSignup.objects.exists()


@pytest.mark.django_db
def test_a_regisseur_gets_no_sign_up_on_their_own_owners_ground(terms: TermsVersion, regisseur_a: User) -> None:
    location = terms.offering.location
    client = logged_in(regisseur_a)
    url = f"/locaties/{location.pk}/aanmelden/"
    page = client.get(f"/locaties/{location.pk}/").content.decode()
    assert 'id="signup-own-ground"' in page and f'href="{url}"' not in page
    refused = client.get(url, follow=True)
    assert refused.redirect_chain == [(f"/locaties/{location.pk}/", 302)]
    assert "daar meld je je niet zelf aan als beheerder" in refused.content.decode()
    client.post(url, {"terms_version": terms.pk, "plan": "Zelf doen", "accept_terms": "on"})
    assert not ManagerSignup.objects.exists()
