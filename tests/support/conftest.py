"""A group on owner A's ground, its manager, and a supporter in the pool allowed by owner A."""

from __future__ import annotations

import pytest

from gis_service.accounts.models import User
from gis_service.groups.models import Group
from gis_service.owners.models import Owner
from gis_service.support.models import Supporter
from tests.conftest import _user
from tests.support.factories import gardener, group_on


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def manager(db: None) -> User:
    return _user("manager_m", first_name="Mira", last_name="Beheer")


@pytest.fixture
def group(owner_a: Owner, manager: User) -> Group:
    return group_on(owner_a, manager)


@pytest.fixture
def supporter_user(db: None) -> User:
    return _user("hovenier_h", first_name="Henk")


@pytest.fixture
def supporter(owner_a: Owner, regisseur_a: User, supporter_user: User) -> Supporter:
    return gardener(owner_a, regisseur_a, supporter_user)
