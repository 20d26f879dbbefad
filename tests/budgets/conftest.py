"""A group on owner A's ground with its manager, and a grant of € 500 running until today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.budgets import services
from gis_service.budgets.models import Grant
from gis_service.groups.models import Group
from gis_service.owners.models import Owner
from tests.conftest import _user
from tests.support.factories import group_on


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def media_of_its_own(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    yield


@pytest.fixture
def manager(db: None) -> User:
    return _user("manager_m", first_name="Mira", last_name="Beheer")


@pytest.fixture
def group(owner_a: Owner, manager: User) -> Group:
    return group_on(owner_a, manager)


@pytest.fixture
def grant(group: Group, regisseur_a: User) -> Grant:
    today = timezone.localdate()
    return services.grant_create(
        group=group, by=regisseur_a, amount=Decimal("500"), purpose="Plantjes en gereedschap",
        starts_on=today - dt.timedelta(days=60), ends_on=today,
    )  # fmt: skip
