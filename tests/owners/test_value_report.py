"""The value report's figures on a small, hand-counted fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, Offering, TermsVersion
from gis_service.groups.models import Group, HourEntry, Task
from gis_service.groups.services import group_create
from gis_service.locations.models import Location
from gis_service.owners.models import MaintenanceCost, Owner
from gis_service.owners.selectors import value_report
from gis_service.owners.services import maintenance_cost_set
from tests.conftest import rd_square

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YEAR_2026 = dt.datetime(2026, 1, 1, 9, tzinfo=AMSTERDAM)


def _managed(
    owner: Owner,
    name: str,
    type_: str,
    x: float,
    size: float,
    managers: list[User],
    *,
    joined: dt.datetime = NEW_YEAR_2026,
) -> Group:
    """A location in zelfbeheer since 1 January 2026, its group led by `managers` since `joined`."""
    location = Location.objects.create(owner=owner, name=name, type=type_, geometry=rd_square(x, 487000, size))
    offering = Offering.objects.create(location=location, conditions="Geen gif.")
    terms = TermsVersion.objects.create(offering=offering, number=1, text="Geen gif.")
    contract = Contract.objects.create(
        location=location,
        geometry=location.geometry,
        terms_version=terms,
        status=Contract.Status.ACTIVE,
        starts_on=dt.date(2026, 1, 1),
    )
    return group_create(location=location, contract=contract, name=f"Groep {name}", managers=managers, at=joined)


@pytest.mark.django_db
def test_figures_per_type_and_saving_in_decimal(
    owner_a: Owner, owner_b: Owner, resident: User, resident_two: User
) -> None:
    one = _managed(owner_a, "Veld", "gras- en kruidachtigen", 121000, 10, [resident])  # 100 m²
    _managed(owner_a, "Border", "heesters", 121100, 20, [resident, resident_two])  # 400 m²
    _managed(owner_b, "Elders", "heesters", 121200, 30, [resident_two])  # another owner's
    Location.objects.create(owner=owner_a, name="Vrij", type="heesters", geometry=rd_square(121300, 487000, 50))
    HourEntry.objects.create(group=one, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("2.50"))
    HourEntry.objects.create(group=one, user=resident, worked_on=dt.date(2025, 3, 1), hours=Decimal("9"))
    Task.objects.create(
        group=one,
        created_by=resident,
        title="Maaien",
        status=Task.Status.DONE,
        taken_by=resident,
        taken_at=timezone.make_aware(dt.datetime(2026, 4, 1, 12)),
        done_at=timezone.make_aware(dt.datetime(2026, 5, 1, 12)),
    )
    Task.objects.create(group=one, created_by=resident, title="Snoeien")

    report = value_report(owner=owner_a, year=2026, costs={"heesters": Decimal("4.00")})

    assert [(r.type, r.locations, r.area_m2, r.saving_eur) for r in report.by_type] == [
        ("gras- en kruidachtigen", 1, Decimal("100.0"), Decimal("60.00")),
        ("heesters", 1, Decimal("400.0"), Decimal("1600.00")),
    ]
    assert report.saving_eur == Decimal("1660.00")
    assert (report.active_groups, report.volunteers, report.hours, report.tasks_done) == (2, 2, Decimal("2.50"), 1)


@pytest.mark.django_db
def test_only_the_owners_own_regisseur_sets_a_cost_and_the_report_uses_it(
    owner_a: Owner, regisseur_a: User, regisseur_b: User, resident: User
) -> None:
    _managed(owner_a, "Border", "heesters", 121100, 20, [resident])  # 400 m²
    for stranger in (regisseur_b, resident):
        with pytest.raises(PermissionDenied):
            maintenance_cost_set(owner=owner_a, type="heesters", cost_per_m2=Decimal("9.99"), by=stranger)
    assert not MaintenanceCost.objects.exists()
    with pytest.raises(ValidationError):
        maintenance_cost_set(owner=owner_a, type="heesters", cost_per_m2=Decimal("-1"), by=regisseur_a)

    maintenance_cost_set(owner=owner_a, type="Heesters", cost_per_m2=Decimal("5.25"), by=regisseur_a)

    assert value_report(owner=owner_a, year=2026).saving_eur == Decimal("2100.00")
