"""Professionals of the initiative's owner offer help, once each; the offer is shown on the initiative."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from gis_service.accounts import services as account_services
from gis_service.accounts.models import Membership
from gis_service.initiatives.models import HelpOffer, Initiative
from tests.initiatives.factories import filed_initiative, professional_of
from tests.initiatives.test_initiatives import client_for


@pytest.fixture
def initiative(owner_a, regisseur_a, resident) -> Initiative:
    return filed_initiative(owner_a, resident)


def offer(user, initiative_id, **extra):
    body = {"initiative": initiative_id, "function": "groenadviseur", "offer": "Advies over inheemse planten", **extra}
    return client_for(user).post("/api/help-offers/", body, format="json")


def test_a_professional_offers_help_once_and_everyone_sees_it(owner_a, initiative) -> None:
    adviser = professional_of(owner_a, first_name="Gerda", last_name="Groen")
    answer = offer(adviser, initiative.pk)
    assert answer.status_code == 201, answer.data
    assert offer(adviser, initiative.pk).status_code == 400  # a second tap makes no second card
    (row,) = APIClient().get(f"/api/help-offers/?initiative={initiative.pk}").data["results"]
    assert row["professional"] == "Gerda Groen" and row["function"] == "groenadviseur"
    assert row["owner"] == "Gemeente Aadorp" and "example.org" not in str(row)
    page = APIClient().get(f"/initiatief/{initiative.pk}/")
    assert "Advies over inheemse planten" in page.content.decode()


def test_a_professional_of_another_owner_cannot_offer(owner_b, initiative) -> None:
    other = professional_of(owner_b)
    assert offer(other, initiative.pk).status_code == 403
    assert not HelpOffer.objects.exists()


def test_the_regisseur_grants_and_revokes_the_role(owner_a, owner_b, regisseur_a, regisseur_b, resident_two) -> None:
    account_services.professional_grant(owner=owner_a, by=regisseur_a, email="RESIDENT_TWO@example.org")
    assert resident_two.owner_ids_with_role(Membership.Role.PROFESSIONAL) == {owner_a.pk}
    with pytest.raises(PermissionDenied):
        account_services.professional_revoke(owner=owner_a, by=regisseur_b, user_id=resident_two.pk)
    account_services.professional_revoke(owner=owner_a, by=regisseur_a, user_id=resident_two.pk)
    assert resident_two.owner_ids_with_role(Membership.Role.PROFESSIONAL) == set()


def test_the_regisseurs_page_grants_the_role_by_address(owner_a, regisseur_a, resident_two, client) -> None:
    client.force_login(regisseur_a)
    answer = client.post("/regisseur/professionals/", {"owner": owner_a.pk, "email": "nobody@example.org"})
    assert answer.status_code == 400 and "Er is geen account" in answer.content.decode()
    answer = client.post("/regisseur/professionals/", {"owner": owner_a.pk, "email": resident_two.email})
    assert answer.status_code == 302
    assert Membership.objects.filter(user=resident_two, owner=owner_a, role="professional").exists()
