"""Shared fixtures: personas and geometry factories in the storage SRID."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon

from gis_service.accounts.models import Membership, User
from gis_service.owners.models import Owner


def rd_square(x: float, y: float, size: float) -> MultiPolygon:
    """A size × size m square with its lower-left corner at (x, y), in the storage SRID."""
    ring = ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))
    return MultiPolygon(Polygon(ring), srid=settings.STORAGE_SRID)


@pytest.fixture
def owner_a(db: None) -> Owner:
    return Owner.objects.create(name="Gemeente Aadorp", slug="aadorp", kind=Owner.Kind.GEMEENTE)


@pytest.fixture
def owner_b(db: None) -> Owner:
    return Owner.objects.create(name="Woonstichting Bebouw", slug="bebouw", kind=Owner.Kind.WONINGCORPORATIE)


def _user(username: str, **extra: object) -> User:
    return User.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-" + username * 2, **extra
    )


@pytest.fixture
def regisseur_a(owner_a: Owner) -> User:
    user = _user("regisseur_a")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.REGISSEUR)
    return user


@pytest.fixture
def regisseur_b(owner_b: Owner) -> User:
    user = _user("regisseur_b")
    Membership.objects.create(user=user, owner=owner_b, role=Membership.Role.REGISSEUR)
    return user


@pytest.fixture
def gis_admin_a(owner_a: Owner) -> User:
    user = _user("gis_admin_a")
    Membership.objects.create(user=user, owner=owner_a, role=Membership.Role.GIS_ADMIN)
    return user


@pytest.fixture
def resident(db: None) -> User:
    return _user("resident_one", first_name="Riet", last_name="Eerste", phone="0612345678")


@pytest.fixture
def resident_two(db: None) -> User:
    return _user("resident_two", first_name="Ruud", last_name="Tweede", phone="0687654321")


@pytest.fixture
def outsider(db: None) -> User:
    return _user("outsider")
