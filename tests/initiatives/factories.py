"""An initiative filed the way a resident files one, and a professional of an owner (also for the browser tests)."""

from __future__ import annotations

from gis_service.accounts.models import Membership, User
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import DrawnArea
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.services import initiative_submit
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from tests.conftest import _user, rd_square


def filed_initiative(owner: Owner, resident: User, *, x: float = 122000, plan: str = "Een buurtmoestuin") -> Initiative:
    """A 20 × 20 m initiative on a location of `owner` (so `owner` decides), filed by `resident`."""
    Location.objects.create(owner=owner, name="Grasveld", geometry=rd_square(x, 488000, 100))
    area = DrawnArea(geometry=rd_square(x + 10, 488010, 20), crs=geo_crs.supported()[geo_crs.storage_uri()])
    return initiative_submit(user=resident, description=plan, area=area)


def professional_of(owner: Owner, username: str = "groenadviseur_g", **extra: object) -> User:
    user = _user(username, **extra)
    Membership.objects.create(user=user, owner=owner, role=Membership.Role.PROFESSIONAL)
    return user
