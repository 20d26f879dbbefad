"""The value report per area (buurt or complex) and per year, on hand-counted squares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract
from gis_service.groups.models import HourEntry
from gis_service.owners.models import Owner, ValueArea
from gis_service.owners.selectors import value_report
from tests.conftest import rd_square
from tests.owners.test_value_report import _managed


def _area(
    owner: Owner, code: str, x: float, *, kind: str = ValueArea.Kind.BUURT, households: int | None = None
) -> ValueArea:
    # 1 km wide strips side by side, starting at x.
    return ValueArea.objects.create(
        owner=owner,
        kind=kind,
        code=code,
        name=f"Buurt {code}",
        households=households,
        geometry=rd_square(x, 486500, 1000),
    )


@pytest.mark.django_db
def test_each_location_counts_in_the_area_holding_its_point_on_surface(
    owner_a: Owner, resident: User, resident_two: User
) -> None:
    west, east = _area(owner_a, "BU01", 120000), _area(owner_a, "BU02", 121000)
    one = _managed(owner_a, "Veld", "heesters", 120100, 10, [resident])  # 100 m² in west
    # 30 × 30 m across the border at x = 121000, mostly east: its point on surface lies east.
    _managed(owner_a, "Rand", "heesters", 120990, 30, [resident, resident_two])
    _managed(owner_a, "Buiten", "heesters", 125000, 20, [resident_two])  # 400 m² in no area
    HourEntry.objects.create(group=one, user=resident, worked_on=dt.date(2026, 3, 1), hours=Decimal("2.50"))

    report = value_report(owner=owner_a, year=2026)

    figures = {
        a.code: (a.locations, a.area_m2, a.saving_eur, a.active_groups, a.volunteers, a.hours) for a in report.by_area
    }
    assert figures == {
        "BU01": (1, Decimal("100.0"), Decimal("300.00"), 1, 1, Decimal("2.50")),
        "BU02": (1, Decimal("900.0"), Decimal("2700.00"), 1, 2, Decimal("0")),
        "": (1, Decimal("400.0"), Decimal("1200.00"), 1, 1, Decimal("0")),
    }
    assert [a.area_id for a in report.by_area] == [west.pk, east.pk, None]
    # The owner's totals count a volunteer in two areas once.
    assert (report.volunteers, report.active_groups, report.saving_eur) == (2, 3, Decimal("4200.00"))


@pytest.mark.django_db
def test_a_complex_divides_its_saving_over_its_households(owner_b: Owner, resident: User) -> None:
    _area(owner_b, "C-12", 120000, kind=ValueArea.Kind.COMPLEX, households=8)
    _area(owner_b, "BU01", 120000)  # a buurt over the same ground: not the corporation's default
    _managed(owner_b, "Binnentuin", "gras- en kruidachtigen", 120100, 20, [resident])  # 400 m² × € 0.60

    report = value_report(owner=owner_b, year=2026)

    assert report.area_kind == ValueArea.Kind.COMPLEX
    [complex_] = report.by_area
    assert (complex_.code, complex_.saving_eur, complex_.saving_per_household) == (
        "C-12",
        Decimal("240.00"),
        Decimal("30.00"),
    )
    assert [a.code for a in value_report(owner=owner_b, year=2026, area_kind="buurt").by_area] == ["BU01"]


@pytest.mark.django_db
def test_a_year_counts_the_share_of_it_in_zelfbeheer_and_the_years_before(owner_a: Owner, resident: User) -> None:
    group = _managed(
        owner_a, "Veld", "heesters", 120100, 10, [resident], joined=timezone.make_aware(dt.datetime(2024, 6, 1))
    )  # 100 m² × € 3.00
    contract = group.contract
    assert contract is not None
    # In zelfbeheer from 1 July 2024 until it was ended on 1 July 2025 (local time).
    contract.starts_on = dt.date(2024, 7, 1)
    contract.status = Contract.Status.ENDED
    contract.ended_at = timezone.make_aware(dt.datetime(2025, 7, 1, 0, 30))
    contract.save()

    report = value_report(owner=owner_a, year=2026)

    # 2024: 184 of 366 days; 2025: 181 of 365 days; 2026: nothing.
    assert [(y.year, y.locations, y.saving_eur) for y in report.by_year] == [
        (2022, 0, Decimal(0)),
        (2023, 0, Decimal(0)),
        (2024, 1, (Decimal(300) * 184 / 366).quantize(Decimal("0.01"))),
        (2025, 1, (Decimal(300) * 181 / 365).quantize(Decimal("0.01"))),
        (2026, 0, Decimal(0)),
    ]
    assert (report.locations, report.active_groups, report.volunteers) == (0, 0, 0)
    assert value_report(owner=owner_a, year=2025).active_groups == 1
