"""Reads for offerings, contracts and the overlap check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gis_service.accounts.models import User
from gis_service.contracts.models import Contract, ManagerSignup, TermsAcceptance, TermsVersion
from gis_service.contracts.overlap import overlap_params, run_overlap_sql
from gis_service.core.links import site_url
from gis_service.geo.areas import AreaError, DrawnArea
from gis_service.locations.models import Location
from gis_service.owners.models import Owner


def overlap_check(
    *,
    area: DrawnArea,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, Any]:
    """How `area` meets active contracts (conflicts) and locations, and what is free of contracts.

    Refuses (AreaError) an area outside every owner's territory — only when owners have a
    territory and the area meets no location, so owners known only by their BGT locations work.
    """
    result = run_overlap_sql(overlap_params(area, start=start, end=end))
    territories_exist, in_territory = result.pop("territories_exist"), result.pop("in_territory")
    on_locations = result.pop("on_locations")
    if territories_exist and not in_territory and not on_locations:
        centre: Any = area.geometry.centroid.transform(area.crs.srid, clone=True)
        raise AreaError(
            "outside_territory",
            "Het vlak ligt buiten het gebied van elke eigenaar (outside every owner's territory).",
            area.crs.point(*centre.coords),
        )
    return result


def owners_covering(*, area: DrawnArea) -> list[Owner]:
    """Owners whose current locations or territory share ground with `area`, most ground first."""
    geom = area.geometry
    shares: dict[int, float] = {}
    for location in Location.objects.current().intersecting(geom).only("owner_id", "geometry"):
        shares[location.owner_id] = shares.get(location.owner_id, 0.0) + location.geometry.intersection(geom).area
    for owner in Owner.objects.filter(territory__bboverlaps=geom, territory__intersects=geom).only("territory"):
        # Territory counts less than locations the owner actually holds there.
        assert owner.territory is not None
        shares[owner.pk] = shares.get(owner.pk, 0.0) + owner.territory.intersection(geom).area * 1e-3
    ordered = sorted(shares, key=lambda owner_id: -shares[owner_id])
    owners = Owner.objects.in_bulk(ordered)
    return [owners[owner_id] for owner_id in ordered]


def current_signups(contract: Contract) -> QuerySet[ManagerSignup]:
    return contract.signups.filter(withdrawn_at__isnull=True).select_related("user")


def contract_managers(contract: Contract) -> list[User]:
    return [signup.user for signup in current_signups(contract)]


@dataclass(frozen=True)
class ManagerTerms:
    user: User
    plan: str
    accepted_version: TermsVersion | None  # the newest version this manager accepted
    accepted_at: dt.datetime | None
    has_accepted_current: bool


def contract_terms_status(contract: Contract) -> list[ManagerTerms]:
    """Per current manager: which terms version they accepted last, and whether it is the current one."""
    acceptances: dict[int, TermsAcceptance] = {}
    # contract_list prefetches both; a contract from elsewhere asks for them.
    ordered = getattr(contract, "prefetched_acceptances", None)
    if ordered is None:
        ordered = contract.acceptances.select_related("terms_version").order_by("terms_version__number")
    for acceptance in ordered:
        acceptances[acceptance.user_id] = acceptance
    signups = getattr(contract, "prefetched_current_signups", None)
    if signups is None:
        signups = current_signups(contract)
    rows = []
    for signup in signups:
        last = acceptances.get(signup.user_id)
        rows.append(
            ManagerTerms(
                user=signup.user,
                plan=signup.plan,
                accepted_version=last.terms_version if last else None,
                accepted_at=last.accepted_at if last else None,
                has_accepted_current=bool(last and last.terms_version_id == contract.terms_version_id),
            )
        )
    return rows


def contract_list(*, user: Any) -> QuerySet[Contract]:
    """Contracts the user may see, with what the API shows of each fetched in a fixed number of queries."""
    return (
        Contract.objects.visible_to(user)
        .select_related("location", "location__owner", "terms_version")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ManagerSignup.objects.filter(withdrawn_at__isnull=True).select_related("user"),
                to_attr="prefetched_current_signups",
            ),
            Prefetch(
                "acceptances",
                queryset=TermsAcceptance.objects.select_related("terms_version").order_by("terms_version__number"),
                to_attr="prefetched_acceptances",
            ),
        )
        .order_by("id")
    )


def location_list() -> QuerySet[Location]:
    open_contracts = Contract.objects.filter(status=Contract.Status.OPEN).annotate(
        manager_count=Count("signups", filter=Q(signups__withdrawn_at__isnull=True))
    )
    return (
        Location.objects.current()
        .select_related("owner", "offering")
        .prefetch_related(
            Prefetch("contracts", queryset=open_contracts, to_attr="open_contracts"),
            "offering__terms_versions",
        )
        .order_by("id")
    )


def decision_url(contract: Contract) -> str:
    """Where a regisseur decides on a contract: its entry on the regisseur's dashboard."""
    return site_url("web:regisseur", anchor=f"contract-{contract.pk}")


def contract_url(contract: Contract) -> str:
    """Where a contract is shown to its managers and the regisseur: its location's page."""
    return site_url("web:location", contract.location_id)


def terms_acceptance_url(contract: Contract) -> str:
    """Where a manager reads and accepts the current terms of the contract's location."""
    return site_url("web:terms", contract.location_id)


def contracts_ending(*, today: dt.date, days: int) -> QuerySet[Contract]:
    """Active contracts ending within `days` whose reminder has not gone out."""
    return Contract.objects.filter(
        status=Contract.Status.ACTIVE,
        reminder_sent_at__isnull=True,
        ends_on__isnull=False,
        ends_on__gt=today,
        ends_on__lte=today + dt.timedelta(days=days),
    )


def locations_under_contract(location_ids: Collection[int]) -> set[int]:
    """The ids among `location_ids` with an open or active contract (the contracts' protector)."""
    return set(
        Contract.objects.filter(
            location_id__in=list(location_ids), status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE]
        ).values_list("location_id", flat=True)
    )


def locations_to_offer(*, owner_ids: set[int], query: str = "", limit: int = 50) -> tuple[list[Location], int]:
    """The owners' current locations not offered now (never, or stopped), by name, matching `query`;
    the first `limit` of them and how many there are."""
    locations = (
        Location.objects.current()
        .filter(owner_id__in=owner_ids)
        .filter(Q(offering__isnull=True) | Q(offering__stopped_at__isnull=False))
        .select_related("owner", "offering")
        .only("id", "name", "type", "area_m2", "owner__name", "offering__stopped_at")
        .order_by("name", "id")
    )
    if query.strip():
        locations = locations.filter(Q(name__icontains=query.strip()) | Q(type__icontains=query.strip()))
    listed = list(locations[:limit])
    return listed, locations.count() if len(listed) == limit else len(listed)


@dataclass(frozen=True)
class ContractTerms:
    contract: Contract
    managers: list[ManagerTerms]


def location_terms_status(location: Location) -> list[ContractTerms]:
    """The location's open and active contracts, each with who accepted its current terms version."""
    contracts = Contract.objects.filter(
        location=location, status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE]
    ).select_related("terms_version")
    return [ContractTerms(contract=contract, managers=contract_terms_status(contract)) for contract in contracts]
