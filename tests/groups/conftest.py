from __future__ import annotations

import pytest

from gis_service.accounts.models import User
from gis_service.groups.models import Group
from gis_service.groups.services import group_create, group_join
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square


@pytest.fixture
def location(owner_a: Owner) -> Location:
    return Location.objects.create(owner=owner_a, name="Speelveldje", geometry=rd_square(121000, 487000, 30))


@pytest.fixture
def manager(db: None) -> User:
    return _user("manager_m", first_name="Mira", last_name="Beheer")


@pytest.fixture
def group(location: Location, manager: User) -> Group:
    return group_create(location=location, name="Speelveldje groen", managers=[manager])


@pytest.fixture
def volunteer(group: Group) -> User:
    user = _user("volunteer_v", first_name="Vera")
    group_join(group=group, user=user)
    return user
