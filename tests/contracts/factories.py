"""Offered locations and contracts in the storage SRID, for the workflow tests."""

from __future__ import annotations

import datetime as dt

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering
from gis_service.contracts.services.decisions import contract_approve
from gis_service.contracts.services.offering import offering_create
from gis_service.contracts.services.signup import manager_sign_up
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import rd_square


def offered_location(
    *, owner: Owner, regisseur: User, x: float = 140000, y: float = 466000, size: float = 20, managers_needed: int = 3
) -> Location:
    """A square location of `owner`, offered with conditions and terms version 1."""
    location = Location.objects.create(owner=owner, name=f"Groenstrook {x:.0f}-{y:.0f}", geometry=rd_square(x, y, size))
    offering_create(
        location=location,
        by=regisseur,
        conditions="Geen gif; bomen blijven van de gemeente.",
        terms_text="Versie 1: onderhoud de strook, geen chemische middelen.",
        managers_needed=managers_needed,
    )
    return location


def sign_up(location: Location, user: User, plan: str = "Bloemen zaaien") -> Contract:
    offering = Offering.objects.get(location=location)
    signup = manager_sign_up(
        location=location, user=user, terms_version=offering.current_terms(), plan=plan, accept_terms=True
    )
    return signup.contract


def active_contract(
    *, owner: Owner, regisseur: User, manager: User, x: float, y: float, size: float = 20,
    starts_on: dt.date | None = None, ends_on: dt.date | None = None,
) -> Contract:  # fmt: skip
    location = offered_location(owner=owner, regisseur=regisseur, x=x, y=y, size=size, managers_needed=1)
    contract = sign_up(location, manager)
    return contract_approve(contract=contract, by=regisseur, starts_on=starts_on, ends_on=ends_on)
