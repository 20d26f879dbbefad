"""Reads for the value report of one owner: what zelfbeheer on its ground amounts to in a year.

Every figure is one SQL query over the owner's rows, never a loop per location or group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Cast, Coalesce

from gis_service.contracts.models import Contract
from gis_service.groups.models import Group, GroupMember, HourEntry, Task
from gis_service.locations.models import Location
from gis_service.owners.models import MaintenanceCost, Owner

# Estimated yearly maintenance cost in € per m² by BGT type, used until the owner's own table
# says otherwise. Sources and reasoning: docs/workflow.md, "Waarde van zelfbeheer".
DEFAULT_COST_PER_M2: dict[str, Decimal] = {
    "groenvoorziening": Decimal("2.50"),
    "gras- en kruidachtigen": Decimal("0.60"),
    "heesters": Decimal("3.00"),
    "boomteelt": Decimal("1.50"),
}
FALLBACK_COST_PER_M2 = Decimal("1.00")

MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class TypeFigure:
    type: str
    locations: int
    area_m2: Decimal
    cost_per_m2: Decimal
    saving_eur: Decimal


@dataclass(frozen=True)
class ValueReport:
    year: int
    by_type: list[TypeFigure]
    active_groups: int
    volunteers: int
    hours: Decimal
    tasks_done: int

    @property
    def area_m2(self) -> Decimal:
        return sum((row.area_m2 for row in self.by_type), Decimal(0))

    @property
    def saving_eur(self) -> Decimal:
        return sum((row.saving_eur for row in self.by_type), Decimal(0))


def value_report(*, owner: Owner, year: int, costs: dict[str, Decimal] | None = None) -> ValueReport:
    """The owner's figures for `year`; saving = m² per type × cost per m² per year (Decimal)."""
    own = dict(MaintenanceCost.objects.filter(owner=owner).values_list("type", "cost_per_m2"))
    table = DEFAULT_COST_PER_M2 | own | (costs or {})
    rows = (
        Location.objects.filter(owner=owner, status=Location.Status.MANAGED)
        .values("type")
        .annotate(n=Count("id"), m2=Cast(Sum("area_m2"), DecimalField(max_digits=14, decimal_places=1)))
        .order_by("type")
    )
    by_type = []
    for row in rows:
        cost = table.get(row["type"].lower(), FALLBACK_COST_PER_M2)
        area = row["m2"] or Decimal(0)
        by_type.append(
            TypeFigure(
                type=row["type"],
                locations=row["n"],
                area_m2=area,
                cost_per_m2=cost,
                saving_eur=(area * cost).quantize(Decimal("0.01")),
            )
        )
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    groups = Group.objects.filter(location__owner=owner)
    active = groups.filter(contract__status=Contract.Status.ACTIVE)
    return ValueReport(
        year=year,
        by_type=by_type,
        active_groups=active.count(),
        volunteers=GroupMember.objects.filter(group__in=active).values("user").distinct().count(),
        hours=HourEntry.objects.filter(group__in=groups, worked_on__gte=start, worked_on__lt=end).aggregate(
            total=Coalesce(Sum("hours"), Decimal(0), output_field=MONEY)
        )["total"],
        tasks_done=Task.objects.filter(
            Q(done_at__date__gte=start) & Q(done_at__date__lt=end), group__in=groups, status=Task.Status.DONE
        ).count(),
    )
