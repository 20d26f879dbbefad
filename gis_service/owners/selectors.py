"""Reads for the value report of one owner: what zelfbeheer on its ground amounts to in a year,
per type, per area (buurt or complex) and over the last years.

The figures come from two SQL queries (gis_service/owners/sql.py), never a loop per location or
group; Python only applies the cost table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Lower

from gis_service.groups.models import Task
from gis_service.locations.models import Location
from gis_service.owners import sql
from gis_service.owners.models import MaintenanceCost, Owner, ValueArea

# Estimated yearly maintenance cost in € per m² by BGT/IMBOR type, used until the owner's own
# table says otherwise. Every figure is an estimate; sources and reasoning: docs/value.md.
DEFAULT_COST_PER_M2: dict[str, Decimal] = {
    "groenvoorziening": Decimal("2.50"),
    "gras- en kruidachtigen": Decimal("0.60"),
    "heesters": Decimal("3.00"),
    "boomteelt": Decimal("1.50"),
}
FALLBACK_COST_PER_M2 = Decimal("1.00")
# Years shown in the report's history (the chosen year and the ones before it).
HISTORY_YEARS = 5
CENT = Decimal("0.01")
ZERO_EUROS = Decimal("0.00")  # an area without savings shows 0.00, as the others show cents


class _Totals(TypedDict):
    locations: int
    area_m2: Decimal
    saving_eur: Decimal


@dataclass(frozen=True)
class TypeFigure:
    type: str
    locations: int
    area_m2: Decimal
    cost_per_m2: Decimal
    saving_eur: Decimal


@dataclass(frozen=True)
class AreaFigure:
    """One buurt or complex; area_id None holds what lies outside every area of the owner."""

    area_id: int | None
    code: str
    name: str
    households: int | None
    locations: int
    area_m2: Decimal
    saving_eur: Decimal
    active_groups: int
    volunteers: int
    hours: Decimal
    tasks_done: int

    @property
    def saving_per_household(self) -> Decimal | None:
        """The saving in service costs per household of a complex (None without households)."""
        return (self.saving_eur / self.households).quantize(CENT) if self.households else None


@dataclass(frozen=True)
class YearFigure:
    year: int
    locations: int
    area_m2: Decimal
    saving_eur: Decimal


@dataclass(frozen=True)
class ValueReport:
    year: int
    by_type: list[TypeFigure]
    active_groups: int
    volunteers: int
    hours: Decimal
    tasks_done: int
    area_kind: str = ValueArea.Kind.BUURT
    by_area: tuple[AreaFigure, ...] = ()
    by_year: tuple[YearFigure, ...] = ()

    @property
    def area_m2(self) -> Decimal:
        return sum((row.area_m2 for row in self.by_type), Decimal(0))

    @property
    def saving_eur(self) -> Decimal:
        return sum((row.saving_eur for row in self.by_type), Decimal(0))

    @property
    def locations(self) -> int:
        return sum(row.locations for row in self.by_type)


def cost_table(*, owner: Owner, costs: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
    """Cost per m² per year by lower-cased type: the defaults, then the owner's own, then `costs`."""
    own = dict(MaintenanceCost.objects.filter(owner=owner).values_list("type", "cost_per_m2"))
    return DEFAULT_COST_PER_M2 | own | {k.lower(): v for k, v in (costs or {}).items()}


@dataclass(frozen=True)
class OwnedType:
    """A type of the owner's current locations, and the cost per m² the report counts it at."""

    type: str
    locations: int
    area_m2: Decimal
    cost_per_m2: Decimal
    own: bool  # the owner's own figure, not a default


def owned_types(*, owner: Owner) -> list[OwnedType]:
    """The (lower-cased) types of the owner's current locations, most m² first, with the cost each
    is counted at now: what the cost table page asks the regisseur to fill in. A corporation's
    geveltuin or binnentuin is in no default; without this list they had to guess how to spell it."""
    own = dict(MaintenanceCost.objects.filter(owner=owner).values_list("type", "cost_per_m2"))
    table = DEFAULT_COST_PER_M2 | own
    rows = (
        Location.objects.current()
        .filter(owner=owner)
        .annotate(kind=Lower("type"))
        .values("kind")
        .annotate(locations=Count("id"), area_m2=Sum("area_m2"))
        .order_by("-area_m2", "kind")
    )
    return [
        OwnedType(
            type=row["kind"],
            locations=row["locations"],
            area_m2=Decimal(row["area_m2"] or 0).quantize(Decimal(1)),
            cost_per_m2=table.get(row["kind"], FALLBACK_COST_PER_M2),
            own=row["kind"] in own,
        )
        for row in rows
        if row["kind"]
    ]


def default_area_kind(owner: Owner) -> str:
    """Complexes for a woningcorporatie, neighbourhoods for everyone else."""
    return ValueArea.Kind.COMPLEX if owner.kind == Owner.Kind.WONINGCORPORATIE else ValueArea.Kind.BUURT


def value_report(
    *, owner: Owner, year: int, costs: dict[str, Decimal] | None = None, area_kind: str | None = None
) -> ValueReport:
    """The owner's figures for `year`; saving = m² per type × cost per m² per year × the share of
    the year in zelfbeheer, in Decimal."""
    kind = area_kind or default_area_kind(owner)
    table = cost_table(owner=owner, costs=costs)

    def totals(group: list[sql.GroundRow]) -> _Totals:
        """What a type, a year and an area all show of their rows; the saving is each row's m²-years
        at its type's cost."""
        return _Totals(
            locations=sum(r.locations for r in group),
            area_m2=sum((r.m2 for r in group), Decimal(0)),
            saving_eur=sum(
                ((r.m2_years * table.get(r.type, FALLBACK_COST_PER_M2)).quantize(CENT) for r in group), ZERO_EUROS
            ),
        )

    rows = sql.ground(owner_id=owner.pk, kind=kind, first=year - HISTORY_YEARS + 1, last=year, tz=settings.TIME_ZONE)
    this_year = [row for row in rows if row.year == year]

    types: dict[str, list[sql.GroundRow]] = defaultdict(list)
    for row in this_year:
        types[row.type].append(row)
    by_type = [
        TypeFigure(type=type_, cost_per_m2=table.get(type_, FALLBACK_COST_PER_M2), **totals(group))
        for type_, group in sorted(types.items())
    ]

    years: dict[int, list[sql.GroundRow]] = defaultdict(list)
    for row in rows:
        years[row.year].append(row)
    by_year = tuple(YearFigure(year=y, **totals(years[y])) for y in range(year - HISTORY_YEARS + 1, year + 1))

    people = sql.people(owner_id=owner.pk, kind=kind, year=year, tz=settings.TIME_ZONE, done=Task.Status.DONE)
    total = next(p for p in people if p.total)
    per_area = {p.area_id: p for p in people if not p.total}
    ground_per_area: dict[int | None, list[sql.GroundRow]] = defaultdict(list)
    for row in this_year:
        ground_per_area[row.area_id].append(row)
    areas = list(ValueArea.objects.filter(owner=owner, kind=kind).order_by("name", "id"))
    outside = [None] if None in ground_per_area or None in per_area else []

    def area_figure(area: ValueArea | None) -> AreaFigure:
        key = area.pk if area else None
        group = ground_per_area.get(key, [])
        work = per_area.get(key)
        return AreaFigure(
            area_id=key,
            code=area.code if area else "",
            name=area.name if area else "",
            households=area.households if area else None,
            **totals(group),
            active_groups=work.groups if work else 0,
            volunteers=work.volunteers if work else 0,
            hours=work.hours if work else Decimal(0),
            tasks_done=work.tasks if work else 0,
        )

    return ValueReport(
        year=year,
        by_type=by_type,
        active_groups=total.groups,
        volunteers=total.volunteers,
        hours=total.hours,
        tasks_done=total.tasks,
        area_kind=kind,
        by_area=tuple(area_figure(a) for a in [*areas, *outside]),
        by_year=by_year,
    )


def value_area_geometries(*, area_ids: list[int]) -> dict[int, bytes]:
    """The shapes of these areas as WKB in the storage SRID, by id."""
    return {
        pk: bytes(geometry.wkb)
        for pk, geometry in ValueArea.objects.filter(pk__in=area_ids).values_list("pk", "geometry")
    }
