"""A group on an owner's ground and a supporter in its pool, for the support tests (also the browser's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.groups.models import Group
from gis_service.groups.services import group_create
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from gis_service.support import services
from gis_service.support.models import Supporter, SupportRequest
from tests.conftest import rd_square


def group_on(owner: Owner, manager: User, *, x: float = 121000, name: str = "Speelveldje groen") -> Group:
    location = Location.objects.create(owner=owner, name="Speelveldje", geometry=rd_square(x, 487000, 30))
    return group_create(location=location, name=name, managers=[manager])


def gardener(owner: Owner, regisseur: User, user: User, *, price: str = "40") -> Supporter:
    """A gardener at € `price` an hour, in `owner`'s pool and on its allow-list."""
    return services.supporter_create(
        owner=owner,
        by=regisseur,
        email=user.email,
        name="Henk de Hovenier",
        organisation="Groen & Co",
        kind="hovenier",
        offers=["advies", "handen"],
        price_kind="per_uur",
        price_eur=Decimal(price),
    )


def accepted_request(group: Group, manager: User, supporter: Supporter, *, kind: str = "advies") -> SupportRequest:
    """A request of the group's manager, three days ahead, that `supporter` accepted."""
    request = services.support_ask(
        group=group, supporter=supporter, kind=kind, wanted_on=timezone.localdate() + dt.timedelta(days=3),
        message="Welke planten passen in de schaduw?", by=manager,
    )  # fmt: skip
    return services.support_answer(request=request, by=supporter.user, accept=True, answer="Graag")
