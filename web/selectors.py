"""Reads for the web pages that do not belong to one domain app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyproj
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, DateField, F, Func, Prefetch, Q, Value

from gis_service.contracts import selectors as contract_selectors
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.selectors import ManagerTerms, contract_terms_status
from gis_service.geo.geojson import crs84_geojson
from gis_service.groups import selectors as group_selectors
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.selectors import initiatives_of
from gis_service.locations.models import Location, list_order
from gis_service.locations.selectors import OPEN_FOR_SIGNUPS, status_today


@dataclass(frozen=True)
class MapFilters:
    """What the public map and its list show: every current location, or only one type, status, owner."""

    type: str = ""
    status: str = ""  # a Location.Status value
    owner_id: int | None = None
    search: str = ""  # in the name or the type, any case
    # West, south, east, north (CRS84): only what lies in the map's view. Not a filter the user
    # chose (the list follows the map), so it does not count in bool().
    view: tuple[float, float, float, float] | None = None

    def __bool__(self) -> bool:
        return bool(self.type or self.status or self.owner_id is not None or self.search)

    def apply(self, locations: Any) -> Any:
        """`locations` (a QuerySet) narrowed to what the filters let through."""
        if self.type:
            locations = locations.filter(type=self.type)
        if self.status:
            locations = locations.filter(status=self.status)
        if self.owner_id is not None:
            locations = locations.filter(owner_id=self.owner_id)
        if self.search:
            locations = locations.filter(Q(name__icontains=self.search) | Q(type__icontains=self.search))
        if self.view is not None:
            # Box against box on the spatial index: what the map shows, also at national zoom.
            box = Polygon.from_bbox(self.view)
            box.srid = 4326
            box.transform(settings.STORAGE_SRID)
            locations = locations.filter(geometry__bboverlaps=box)
        return locations


def location_types() -> list[str]:
    """The types of current locations, sorted; one index probe per type (a loose index scan on the
    feed's (type, id) index of current locations), not a scan of millions of rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """WITH RECURSIVE t AS (
                   SELECT min(type) AS type FROM locations_location WHERE withdrawn_at IS NULL
                   UNION ALL
                   SELECT (SELECT min(type) FROM locations_location WHERE withdrawn_at IS NULL AND type > t.type)
                   FROM t WHERE t.type IS NOT NULL
               )
               SELECT type FROM t WHERE type IS NOT NULL AND type <> ''"""
        )
        return [row[0] for row in cursor.fetchall()]


def map_owners() -> list[tuple[int, str, str]]:
    """(id, slug, name) of every owner, by name: the map's owner filter."""
    from gis_service.owners.models import Owner

    return list(Owner.objects.order_by("name", "id").values_list("id", "slug", "name"))


def map_list(
    *, limit: int, filters: MapFilters | None = None, offset: int = 0, count_up_to: int | None = None
) -> tuple[list[Location], int]:
    """`limit` locations of the public map's list from `offset` on (in `list_order`: offered, requested
    and managed first, then the others; named before unnamed, by name), and how many there are.

    Counted only when the page is full: a shorter last page ends the list, which gives the count.
    Without filters the kept counter gives it (counting 1,000,000 rows took 100 ms of the map page).
    With `count_up_to`, rows past it are not counted: the count is then at most `count_up_to` + 1.
    """
    # Only what the list shows: 500 geometries and attribute sets would be most of the page's time.
    shown = ("id", "name", "type", "status", "area_m2")
    filters = filters if filters is not None else MapFilters()
    locations = filters.apply(Location.objects.current()).only(*shown).order_by(*list_order())
    listed = list(locations[offset : offset + limit])
    if not (len(listed) == limit or (offset and not listed)):
        return listed, offset + len(listed)
    if not filters and filters.view is None:
        return listed, current_location_count()
    if count_up_to is not None:
        return listed, locations.order_by()[: count_up_to + 1].count()
    return listed, locations.count()


def current_location_count() -> int:
    """How many current locations there are, from the counter the feed keeps (ogc/sql/location_count.sql)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(n), 0)::bigint FROM ogc_location_count")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


_to_crs84 = pyproj.Transformer.from_crs(settings.STORAGE_SRID, 4326, always_xy=True)


def map_extent(filters: MapFilters | None = None) -> tuple[float, float, float, float] | None:
    """West, south, east, north (CRS84) of the current locations, where the map first looks; None without any.

    From the planner's statistics when the table has them (O(1): the exact extent of 10 million
    rows takes seconds), which may include withdrawn locations; exact otherwise (a new, small table).
    """
    if filters:
        # Where the chosen locations are (exact: a scan of what the filters let through)
        box = filters.apply(Location.objects.current()).aggregate(box=Extent("geometry"))["box"]
        if box is None:
            return None
        west, south, east, north = _to_crs84.transform_bounds(*box)
        return west, south, east, north
    table = Location._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """WITH box AS (
                   SELECT coalesce(
                       ST_EstimatedExtent(%s, 'geometry'),
                       (SELECT ST_Extent(geometry) FROM locations_location WHERE withdrawn_at IS NULL)
                   ) AS b
               ), shape AS (SELECT ST_Transform(ST_SetSRID(b::geometry, %s), 4326) AS g FROM box WHERE b IS NOT NULL)
               SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g) FROM shape""",
            [table, settings.STORAGE_SRID],
        )
        row = cursor.fetchone()
    return (row[0], row[1], row[2], row[3]) if row else None


def location_for_page(location_id: int) -> Location:
    """A location as its public page shows it; raises Location.DoesNotExist."""
    return Location.objects.select_related("owner").get(pk=location_id)


@dataclass(frozen=True)
class LocationOffer:
    """What the owner offers with a location and where its contract stands."""

    offering: Offering | None
    terms: TermsVersion | None
    active_contract: Contract | None
    open_contract: Contract | None
    managers_signed: int
    # By the status rule (locations/sql/status.sql), as manager_sign_up asks it: offered (not
    # stopped, today in the period) or waiting for a decision, and no other contract on its ground.
    open_for_signups: bool

    @property
    def can_sign_up(self) -> bool:
        return self.open_for_signups and self.terms is not None and self.active_contract is None

    @property
    def opens_on(self) -> date | None:
        """The day sign-ups open, when the offering's period starts later (a resident waits for
        it rather than filing an initiative for a place already offered)."""
        offering = self.offering
        if offering is None or offering.stopped_at is not None or offering.period_on() != "not_yet":
            return None
        return offering.offered_from

    def support_labels(self) -> list[str]:
        labels = dict(Offering.Support.choices)
        return [str(labels.get(value, value)) for value in (self.offering.support if self.offering else [])]


def location_offer(location: Location) -> LocationOffer:
    offering = Offering.objects.filter(location=location).select_related("contact_person").first()
    contracts = Contract.objects.filter(location=location)
    open_contract = contracts.filter(status=Contract.Status.OPEN).first()
    return LocationOffer(
        offering=offering,
        terms=offering.current_terms() if offering else None,
        active_contract=contracts.filter(status=Contract.Status.ACTIVE).order_by("-starts_on").first(),
        open_contract=open_contract,
        managers_signed=open_contract.signups.filter(withdrawn_at__isnull=True).count() if open_contract else 0,
        open_for_signups=offering is not None and status_today(location) in OPEN_FOR_SIGNUPS,
    )


@dataclass(frozen=True)
class MyContract:
    """The logged-in resident's part in a location's contract, if any."""

    contract: Contract
    signup: ManagerSignup
    terms_status: list[ManagerTerms]
    accepted_current: bool

    @property
    def can_withdraw(self) -> bool:
        """Before the start only, by the rule manager_withdraw checks again (Contract.has_started)."""
        open_or_active = self.contract.status in (Contract.Status.OPEN, Contract.Status.ACTIVE)
        return open_or_active and not self.contract.has_started()


def my_signup(location: Location, user: Any) -> ManagerSignup | None:
    """The current sign-up of `user` for the location's open or active contract, with the contract."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ManagerSignup.objects.filter(
            user_id=user.pk,
            withdrawn_at__isnull=True,
            contract__location=location,
            contract__status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE],
        )
        .select_related("contract", "contract__terms_version")
        .order_by("-contract__status", "-id")  # an open one before an active one is irrelevant: one per user
        .first()
    )


def my_contract(location: Location, user: Any) -> MyContract | None:
    """The open or active contract of the location that `user` signed as manager, with who accepted its terms."""
    signup = my_signup(location, user)
    if signup is None:
        return None
    status = contract_terms_status(signup.contract)
    mine = next((row for row in status if row.user.pk == user.pk), None)
    return MyContract(
        contract=signup.contract,
        signup=signup,
        terms_status=status,
        accepted_current=bool(mine and mine.has_accepted_current),
    )


def location_geojson(location: Location) -> dict[str, Any]:
    """The location's geometry as a GeoJSON object in CRS84 for Leaflet."""
    return crs84_geojson(location.geometry)


# --- the regisseur's dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    contract: Contract
    overlap: GEOSGeometry  # storage SRID

    @property
    def overlap_m2(self) -> float:
        return float(self.overlap.area)


@dataclass
class Decision:
    """One thing waiting for the regisseur: an initiative or a contract whose threshold was reached."""

    kind: str  # "initiative" or "contract"
    id: int
    title: str
    geometry: GEOSGeometry
    people: list[tuple[str, str, str]]  # (name, contact, plan)
    created_at: datetime
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def area_m2(self) -> float:
        return float(self.geometry.area)


@dataclass
class Dashboard:
    initiatives: list[Decision]
    contracts: list[Decision]

    def map_data(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection (CRS84) of everything waiting and its conflicts."""
        features: list[dict[str, Any]] = []
        for item in [*self.initiatives, *self.contracts]:
            features.append(_feature(item.geometry, {"kind": item.kind, "id": item.id, "title": item.title}))
            for conflict in item.conflicts:
                features.append(
                    _feature(
                        conflict.overlap,
                        {"kind": "conflict", "of": f"{item.kind}-{item.id}", "contract": conflict.contract.pk},
                    )
                )
        return {"type": "FeatureCollection", "features": features}


def _feature(geometry: GEOSGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": crs84_geojson(geometry), "properties": properties}


def _person(user: Any) -> tuple[str, str]:
    name = user.get_full_name() or user.username
    contact = ", ".join(part for part in (user.email, getattr(user, "phone", "")) if part)
    return name, contact


def _conflicting_contract_ids(*, of_a_contract: bool = False) -> Func:
    """The ids of the active contracts the overlap rule (contracts/sql/overlap.sql) finds on the
    row's ground from today on (other than itself, if it is a contract): asked in the decisions'
    own query, so their conflicts take no query each."""
    return Func(
        F("geometry"),
        Func(function="zelfbeheer_today", output_field=DateField()),
        Value(None, output_field=DateField()),
        F("pk") if of_a_contract else Value(None, output_field=BigIntegerField()),
        function="contracts_conflicting_ids",
        output_field=ArrayField(BigIntegerField()),
    )


def _conflicts(geometry: GEOSGeometry, contract_ids: list[int], contracts: dict[int, Contract]) -> list[Conflict]:
    """The conflicting contracts, each with the ground it shares with `geometry` (to draw it)."""
    return [
        Conflict(contract=contracts[contract_id], overlap=contracts[contract_id].geometry.intersection(geometry))
        for contract_id in contract_ids
    ]


def regisseur_dashboard(*, owner_ids: set[int]) -> Dashboard:
    """What waits for a decision by the regisseur of these owners, each with its conflicts."""
    waiting_initiatives = list(
        Initiative.objects.waiting()
        .filter(owner_id__in=owner_ids)
        .annotate(meeting_contract_ids=_conflicting_contract_ids())
        .prefetch_related("initiators")
        .order_by("created_at", "id")
    )
    current_signups = ManagerSignup.objects.filter(withdrawn_at__isnull=True).select_related("user")
    waiting_contracts = list(
        Contract.objects.filter(
            status=Contract.Status.OPEN, threshold_reached_at__isnull=False, location__owner_id__in=owner_ids
        )
        .annotate(meeting_contract_ids=_conflicting_contract_ids(of_a_contract=True))
        .select_related("location")
        .prefetch_related(Prefetch("signups", queryset=current_signups))
        .order_by("threshold_reached_at", "id")
    )
    # Their ground, and the location's name the decision shows (not its geometry or attributes).
    met_contracts = (
        Contract.objects.select_related("location")
        .only("geometry", "location__name")
        .in_bulk(
            {contract_id for initiative in waiting_initiatives for contract_id in initiative.meeting_contract_ids}
            | {contract_id for contract in waiting_contracts for contract_id in contract.meeting_contract_ids}
        )
    )
    initiatives = [
        Decision(
            kind="initiative",
            id=initiative.pk,
            title=initiative.description[:80],
            geometry=initiative.geometry,
            people=[(*_person(user), initiative.description) for user in initiative.initiators.all()],
            created_at=initiative.created_at,
            conflicts=_conflicts(initiative.geometry, initiative.meeting_contract_ids, met_contracts),
        )
        for initiative in waiting_initiatives
    ]
    contracts = [
        Decision(
            kind="contract",
            id=contract.pk,
            title=str(contract.location),
            geometry=contract.geometry,
            people=[(*_person(s.user), s.plan) for s in contract.signups.all()],
            created_at=contract.threshold_reached_at or contract.created_at,
            conflicts=_conflicts(contract.geometry, contract.meeting_contract_ids, met_contracts),
        )
        for contract in waiting_contracts
    ]
    return Dashboard(initiatives=initiatives, contracts=contracts)


# --- Mijn zelfbeheer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyZelfbeheer:
    """What a resident takes part in, from each app's own selector."""

    signups: list[contract_selectors.MySignup]
    contracts: list[contract_selectors.MyContract]
    initiatives: list[Initiative]
    groups: list[group_selectors.MyGroup]

    @property
    def is_empty(self) -> bool:
        return not (self.signups or self.contracts or self.initiatives or self.groups)


def my_zelfbeheer(*, user: Any) -> MyZelfbeheer:
    return MyZelfbeheer(
        signups=contract_selectors.manager_signups(user=user),
        contracts=contract_selectors.manager_contracts(user=user),
        initiatives=list(initiatives_of(user=user)),
        groups=group_selectors.groups_of(user=user),
    )


def ground_change_map(change: contract_selectors.GroundChange) -> dict[str, Any]:
    """The ground the contract was signed for ("old") and the location's ground now ("new", unless
    it is gone from the source), as a GeoJSON FeatureCollection (CRS84) for the dashboard."""
    features = []
    if not change.gone:
        features.append(_feature(change.location.geometry, {"kind": "new"}))
    if change.contract is not None:  # drawn last, so its dashed outline shows over the new shape
        features.append(_feature(change.contract.geometry, {"kind": "old"}))
    return {"type": "FeatureCollection", "features": features}
