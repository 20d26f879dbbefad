"""When a regisseur approves a contract, its group exists in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.contracts.signals import contract_activated
from gis_service.groups.models import Group, GroupMember
from gis_service.locations.models import Location


@pytest.fixture
def offered(location: Location) -> TermsVersion:
    offering = Offering.objects.create(location=location, conditions="Geen gif.", managers_needed=2)
    return TermsVersion.objects.create(offering=offering, number=1, text="Geen gif, bomen blijven staan.")


@pytest.mark.django_db
def test_the_contract_activated_hook_creates_the_group_once(
    location: Location, offered: TermsVersion, resident: User
) -> None:
    contract = Contract.objects.create(
        location=location,
        geometry=location.geometry,
        terms_version=offered,
        status=Contract.Status.ACTIVE,
        starts_on=dt.date.today(),
    )
    contract_activated.send(sender=Contract, contract=contract, managers=[resident])
    contract_activated.send(sender=Contract, contract=contract, managers=[resident])  # a retry changes nothing

    group = Group.objects.get(contract=contract)
    assert group.name == "Zelfbeheergroep Speelveldje"
    assert list(group.members.values_list("user__username", "role")) == [("resident_one", "beheerder")]


@pytest.mark.django_db
def test_approving_a_contract_creates_its_group_led_by_its_managers(
    location: Location, offered: TermsVersion, resident: User, resident_two: User, regisseur_a: User
) -> None:
    for user in (resident, resident_two):
        manager_sign_up(location=location, user=user, terms_version=offered, plan="Bloemen", accept_terms=True)
    contract = Contract.objects.get(location=location)
    contract_approve(contract=contract, by=regisseur_a)

    group = Group.objects.get(contract=contract)
    assert group.location == location
    managers = set(group.members.filter(role=GroupMember.Role.MANAGER).values_list("user__username", flat=True))
    assert managers == {"resident_one", "resident_two"}
    assert group.followers.count() == 2
