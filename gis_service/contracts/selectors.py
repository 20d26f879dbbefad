"""Reads for offerings, contracts and the overlap check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.accounts.models import User
from gis_service.accounts.names import full_name
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsAcceptance, TermsVersion
from gis_service.contracts.overlap import overlap_params, run_overlap_sql
from gis_service.contracts.services.rules import may_direct
from gis_service.core.links import site_url
from gis_service.core.lookups import AnyOf
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
            _("Het vlak ligt buiten het gebied van elke eigenaar."),
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
    # Equal shares (two owners holding copies of the same ground) go to the owner registered first,
    # the same one every time, rather than to whichever row the scan returned first.
    ordered = sorted(shares, key=lambda owner_id: (-shares[owner_id], owner_id))
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
    """Where a contract is shown to its managers and the owner's regisseurs: the contract page."""
    return site_url("web:contract", contract.pk)


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
            AnyOf(F("location_id"), location_ids), status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE]
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


def _ending_soon(contract: Contract, today: dt.date, days: int) -> bool:
    return contract.ends_on is not None and today < contract.ends_on <= today + dt.timedelta(days=days)


# --- a manager's own contracts and sign-ups (Mijn zelfbeheer) ------------------------------------


@dataclass(frozen=True)
class MySignup:
    """One of a resident's sign-ups as manager, and where it stands."""

    signup: ManagerSignup
    # withdrawn | waiting_managers | waiting_regisseur | approved | rejected | ended
    state: str
    managers_signed: int
    managers_needed: int
    accepted_current: bool
    can_withdraw: bool

    @property
    def contract(self) -> Contract:
        return self.signup.contract


def _signup_state(signup: ManagerSignup) -> str:
    contract = signup.contract
    if signup.withdrawn_at is not None:
        return "withdrawn"
    if contract.status == Contract.Status.OPEN:
        return "waiting_regisseur" if contract.threshold_reached_at else "waiting_managers"
    if contract.status == Contract.Status.ACTIVE:
        return "approved"
    return "rejected" if contract.status == Contract.Status.REJECTED else "ended"


def manager_signups(*, user: Any) -> list[MySignup]:
    """Every sign-up of `user` as manager, newest first, with its contract's state and what they may do."""
    signups = list(
        ManagerSignup.objects.filter(user_id=user.pk)
        .select_related("contract", "contract__location", "contract__location__offering")
        .annotate(
            managers_signed=Count(
                "contract__signups", filter=Q(contract__signups__withdrawn_at__isnull=True), distinct=True
            )
        )
        .order_by("-created_at", "-id")
    )
    accepted = set(
        TermsAcceptance.objects.filter(user_id=user.pk, contract__in=[s.contract_id for s in signups]).values_list(
            "contract_id", "terms_version_id"
        )
    )
    rows = []
    for signup in signups:
        contract = signup.contract
        state = _signup_state(signup)
        offering = getattr(contract.location, "offering", None)
        rows.append(
            MySignup(
                signup=signup,
                state=state,
                managers_signed=signup.managers_signed,
                managers_needed=offering.managers_needed if offering else 1,
                accepted_current=(contract.pk, contract.terms_version_id) in accepted,
                # The rule manager_withdraw checks again: before the start, while open or approved.
                can_withdraw=state in ("waiting_managers", "waiting_regisseur", "approved")
                and not contract.has_started(),
            )
        )
    return rows


@dataclass(frozen=True)
class MyContract:
    """A running or ended contract the resident manages (their sign-up still stands)."""

    contract: Contract
    state: str  # upcoming | running | ending | ended
    accepted_current: bool
    co_managers: list[str]


def manager_contracts(*, user: Any, today: dt.date | None = None, days: int | None = None) -> list[MyContract]:
    """The active and ended contracts `user` is a manager of, running ones first."""
    today = today or timezone.localdate()
    days = days if days is not None else settings.CONTRACT_REMINDER_DAYS
    contracts = list(
        Contract.objects.filter(
            status__in=[Contract.Status.ACTIVE, Contract.Status.ENDED],
            signups__user_id=user.pk,
            signups__withdrawn_at__isnull=True,
        )
        .select_related("location", "ended_by", "group")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ManagerSignup.objects.filter(withdrawn_at__isnull=True).select_related("user"),
                to_attr="prefetched_current_signups",
            )
        )
        .order_by("status", "ends_on", "id")  # "active" sorts before "ended"
    )
    accepted = set(
        TermsAcceptance.objects.filter(user_id=user.pk, contract__in=contracts).values_list(
            "contract_id", "terms_version_id"
        )
    )
    rows = []
    for contract in contracts:
        if contract.status == Contract.Status.ENDED:
            state = "ended"
        elif contract.starts_on and contract.starts_on > today:
            state = "upcoming"
        else:
            state = "ending" if _ending_soon(contract, today, days) else "running"
        rows.append(
            MyContract(
                contract=contract,
                state=state,
                accepted_current=(contract.pk, contract.terms_version_id) in accepted,
                co_managers=[
                    s.user.get_full_name() or s.user.username
                    for s in contract.prefetched_current_signups
                    if s.user_id != user.pk
                ],
            )
        )
    return rows


# --- the owner's contracts (the regisseur's dashboard) -----------------------------------------


@dataclass(frozen=True)
class OwnerContracts:
    """An owner's running contracts (and those ending within the reminder days) and the last ended."""

    running: list[Contract]
    ending: list[Contract]
    ended: list[Contract]
    limit: int


def owner_contracts(
    *, owner_ids: set[int], today: dt.date | None = None, days: int | None = None, limit: int = 100
) -> OwnerContracts:
    """Active contracts of these owners, split by whether they end within `days`; the `limit` most
    recently ended ones; each with its current managers, in a fixed number of queries."""
    today = today or timezone.localdate()
    days = days if days is not None else settings.CONTRACT_REMINDER_DAYS
    base = (
        Contract.objects.filter(location__owner_id__in=owner_ids)
        .select_related("location", "ended_by")
        .defer("geometry", "location__geometry", "location__attributes")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ManagerSignup.objects.filter(withdrawn_at__isnull=True).select_related("user"),
                to_attr="prefetched_current_signups",
            )
        )
    )
    soon = Q(ends_on__gt=today, ends_on__lte=today + dt.timedelta(days=days))
    active = base.filter(status=Contract.Status.ACTIVE)
    return OwnerContracts(
        running=list(active.exclude(soon).order_by("ends_on", "id")[:limit]),
        ending=list(active.filter(soon).order_by("ends_on", "id")[:limit]),
        ended=list(base.filter(status=Contract.Status.ENDED).order_by("-ended_at", "-id")[:limit]),
        limit=limit,
    )


# --- offerings waiting for managers (the regisseur's dashboard) ---------------------------------


@dataclass(frozen=True)
class WaitingOffering:
    """An offered location below its threshold: who signed so far, by full name (the owner's
    regisseurs see full names, gis_service/accounts/names.py)."""

    offering: Offering
    managers: list[str]

    @property
    def location(self) -> Location:
        return self.offering.location

    @property
    def state(self) -> str:
        """Why it takes sign-ups or not today: open | not_yet (its period starts later) | over
        (its period ended) | held (another contract holds its ground), by the status rule."""
        if self.location.status == Location.Status.AVAILABLE:
            return "open"
        period = self.offering.period_on()
        return "held" if period == "within" else period

    @property
    def signed(self) -> int:
        return len(self.managers)


def offerings_waiting(*, owner_ids: set[int], limit: int = 50) -> tuple[list[WaitingOffering], int]:
    """The owners' offerings (not stopped) whose location waits for managers, by name; the first
    `limit` and how many there are. Two queries (three when there are more).

    Open for sign-ups (status beschikbaar) or not (niet beschikbaar: the period starts later or is
    over, or another contract holds the ground; `WaitingOffering.state` says which): an offering
    from next week was on neither this list nor the one to offer, so the regisseur lost sight of
    what they had just offered. Not here: in beheer, or aangevraagd (on the list of decisions)."""
    offerings = (
        Offering.objects.filter(
            location__owner_id__in=owner_ids,
            location__withdrawn_at__isnull=True,
            location__status__in=[Location.Status.AVAILABLE, Location.Status.UNAVAILABLE],
            stopped_at__isnull=True,
        )
        # Enough managers on ground another contract holds: on the list of decisions already.
        .exclude(
            Exists(
                Contract.objects.filter(
                    location_id=OuterRef("location_id"),
                    status=Contract.Status.OPEN,
                    threshold_reached_at__isnull=False,
                )
            )
        )
        .select_related("location", "location__owner")
        .only(
            "id",
            "offered_from",
            "offered_until",
            "managers_needed",
            "location__id",
            "location__name",
            "location__status",
            "location__owner__name",
        )
        .order_by("location__name", "location_id")
    )
    listed = list(offerings[:limit])
    count = offerings.count() if len(listed) == limit else len(listed)
    names: dict[int, list[str]] = {offering.location_id: [] for offering in listed}
    if names:
        signups = (
            ManagerSignup.objects.filter(
                AnyOf(F("contract__location_id"), list(names)),
                contract__status=Contract.Status.OPEN,
                withdrawn_at__isnull=True,
            )
            .select_related("user", "contract")
            .defer("contract__geometry")
            .order_by("created_at", "id")
        )
        for signup in signups:
            names[signup.contract.location_id].append(full_name(signup.user))
    return [WaitingOffering(offering=offering, managers=names[offering.location_id]) for offering in listed], count


# --- ground that changed under a contract (issue 10) --------------------------------------------


@dataclass(frozen=True)
class GroundChange:
    """A flagged location of the owner: the ground its contract was signed for and what the source says now."""

    location: Location
    contract: Contract | None  # its open or active contract; None when none is left

    @property
    def gone(self) -> bool:
        return self.location.withdrawn_at is not None


def ground_changes(*, owner_ids: set[int]) -> list[GroundChange]:
    """The owners' locations whose ground changed under a contract or initiative, oldest flag first."""
    under_contract = Contract.objects.filter(status__in=[Contract.Status.OPEN, Contract.Status.ACTIVE]).order_by(
        "status",
        "-id",  # "active" before "open": an open one only when no active one is left
    )
    locations = (
        Location.objects.filter(owner_id__in=owner_ids, ground_changed_at__isnull=False)
        .select_related("owner")
        .prefetch_related(Prefetch("contracts", queryset=under_contract, to_attr="contracts_under"))
        .order_by("ground_changed_at", "id")
    )
    return [
        GroundChange(location=location, contract=next(iter(location.contracts_under), None)) for location in locations
    ]


# --- one contract's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractPage:
    """A contract as its page shows it: to the owner's regisseur everything, to a manager their own view."""

    contract: Contract
    as_regisseur: bool
    managers: list[ManagerTerms]
    acceptances: list[TermsAcceptance]  # every proof, oldest first (the regisseur's view)
    me: ManagerTerms | None  # the manager's own row (their view)
    ending_soon: bool

    @property
    def co_managers(self) -> list[ManagerTerms]:
        return [row for row in self.managers if self.me is None or row.user.pk != self.me.user.pk]


def contract_for_page(*, contract_id: int, user: Any, today: dt.date | None = None) -> ContractPage:
    """The contract for its page, if `user` directs its owner or is one of its managers; otherwise
    raises Contract.DoesNotExist (the page answers 404, telling an outsider nothing)."""
    contract = Contract.objects.select_related("location", "location__owner", "terms_version", "ended_by").get(
        pk=contract_id
    )
    as_regisseur = may_direct(user, contract.location.owner_id)
    managers = contract_terms_status(contract)
    me = next((row for row in managers if row.user.pk == getattr(user, "pk", None)), None)
    if not as_regisseur and me is None:
        raise Contract.DoesNotExist
    acceptances = (
        list(contract.acceptances.select_related("user", "terms_version").order_by("accepted_at", "id"))
        if as_regisseur
        else []
    )
    return ContractPage(
        contract=contract,
        as_regisseur=as_regisseur,
        managers=managers,
        acceptances=acceptances,
        me=me,
        ending_soon=contract.status == Contract.Status.ACTIVE
        and _ending_soon(contract, today or timezone.localdate(), settings.CONTRACT_REMINDER_DAYS),
    )
