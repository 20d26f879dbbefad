"""Writes for resident initiatives: submit, join, approve into a location with a contract, reject."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.accounts.selectors import regisseur_emails
from gis_service.contracts.models import Contract, ManagerSignup, Offering, TermsVersion
from gis_service.contracts.selectors import overlap_check, owners_covering, terms_acceptance_url
from gis_service.contracts.services.decisions import contract_activate
from gis_service.contracts.services.rules import add_months, require_regisseur, required_text
from gis_service.core.links import site_url
from gis_service.core.mail import send_after_commit
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import AreaError, DrawnArea
from gis_service.initiatives.models import Initiative
from gis_service.initiatives.selectors import invite_matches
from gis_service.locations.models import Location
from gis_service.locations.services import location_create

# The terms a location made from an initiative starts with, after common municipal rules
# (Lansingerland, Pijnacker-Nootdorp); the regisseur can give others when approving.
DEFAULT_TERMS = """Zelfbeheerovereenkomst (standaardvoorwaarden)

1. De beheerders onderhouden de locatie zorgvuldig, zoals in hun plan beschreven.
2. Er worden geen chemische bestrijdingsmiddelen gebruikt.
3. Bomen blijven eigendom en verantwoordelijkheid van de eigenaar.
4. Aan het einde van de overeenkomst wordt de oorspronkelijke staat hersteld, tenzij anders afgesproken.
5. Beide partijen kunnen de overeenkomst beëindigen; de regisseur is het vaste aanspreekpunt.
"""


def _url(initiative: Initiative) -> str:
    return site_url("web:regisseur", anchor=f"initiative-{initiative.pk}")


def _area_of(*, area: DrawnArea | None, location_ids: list[int] | None) -> tuple[DrawnArea, list[Location]]:
    locations: list[Location] = []
    if location_ids:
        locations = list(Location.objects.current().filter(pk__in=location_ids))
        missing = set(location_ids) - {location.pk for location in locations}
        if missing:
            raise ValidationError({"location_ids": f"Onbekende locaties: {', '.join(map(str, sorted(missing)))}."})
    if area is None and not locations:
        raise ValidationError({"geometry": "Teken een gebied of kies bestaande locaties."})
    geometry: Any = area.geometry if area else None
    for location in locations:
        geometry = location.geometry if geometry is None else geometry.union(location.geometry)
    assert geometry is not None
    if geometry.geom_type == "Polygon":
        geometry = MultiPolygon(geometry, srid=settings.STORAGE_SRID)
    if geometry.geom_type != "MultiPolygon":
        geometry = MultiPolygon([part for part in geometry if part.geom_type == "Polygon"], srid=settings.STORAGE_SRID)
    return DrawnArea(geometry=geometry, crs=area.crs if area else geo_crs.supported()[geo_crs.CRS84]), locations


@transaction.atomic
def initiative_submit(
    *, user: Any, description: str, area: DrawnArea | None = None, location_ids: list[int] | None = None
) -> Initiative:
    """Registers a resident's initiative and e-mails the regisseurs of the owner covering its area."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in om een initiatief in te dienen.")
    description = required_text(description, "description", "Beschrijf wat u met deze plek wilt doen.")
    drawn, locations = _area_of(area=area, location_ids=location_ids)
    result = overlap_check(area=drawn)
    if result["conflicts"]:
        first = result["conflicts"][0]
        raise AreaError(
            "overlaps_contract",
            f"Het gebied overlapt {first['overlap_m2']} m² met een lopend zelfbeheercontract "
            f"({first['location_name'] or 'contract ' + str(first['contract'])}); teken alleen het vrije deel.",
            first["overlap_geometry"],
        )
    owners = owners_covering(area=drawn)
    if not owners:
        raise AreaError("no_owner", "Geen eigenaar is verantwoordelijk voor dit gebied (no owner covers it).")
    initiative = Initiative.objects.create(
        owner=owners[0],
        geometry=drawn.geometry,  # type: ignore[misc]
        description=description,
        created_by=user,
    )
    initiative.initiators.add(user)
    initiative.locations.set(locations)
    send_after_commit_to_regisseurs(initiative)
    return initiative


def send_after_commit_to_regisseurs(initiative: Initiative) -> None:
    user = initiative.created_by
    send_after_commit(
        to=regisseur_emails(owner_id=initiative.owner_id),
        subject=f"Nieuw bewonersinitiatief ({initiative.area_m2 or initiative.geometry.area:.0f} m²)",
        body=(
            f"{user.get_full_name() or user.username} ({user.email}"
            + (f", {user.phone}" if user.phone else "")
            + f") diende een bewonersinitiatief in.\n\nPlan:\n{initiative.description}\n\n"
            f"Besluit hier: {_url(initiative)}\n"
        ),
    )


@transaction.atomic
def initiative_join(*, initiative: Initiative, user: Any, token: str) -> Initiative:
    """Another resident joins an initiative that is still waiting, as co-initiator, with the invite
    token an initiator shared (Initiative.invite_token)."""
    if not user.is_authenticated:
        raise PermissionDenied("Log in om mee te doen.")
    if not invite_matches(initiative=initiative, token=token):
        raise PermissionDenied(_("Je kunt alleen meedoen via de uitnodigingslink van een initiatiefnemer."))
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError({"status": "Over dit initiatief is al besloten."})
    initiative.initiators.add(user)
    return initiative


@transaction.atomic
def initiative_approve(
    *,
    initiative: Initiative,
    by: Any,
    name: str = "",
    terms_text: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Initiative:
    """Approval makes the area a location with an active contract managed by the initiators."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    require_regisseur(by, initiative.owner_id)
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError({"status": f"Over dit initiatief is al besloten ({initiative.get_status_display()})."})
    starts_on = starts_on or timezone.localdate()
    ends_on = ends_on or add_months(starts_on, 12)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "De einddatum moet na de begindatum liggen."})
    location = location_create(
        owner_id=initiative.owner_id,
        name=(name or "").strip() or f"Bewonersinitiatief {initiative.pk}",
        type="bewonersinitiatief",
        geometry=initiative.geometry,
    )
    terms_text = (terms_text or "").strip() or DEFAULT_TERMS
    offering = Offering.objects.create(location=location, conditions=terms_text, managers_needed=1, contact_person=by)
    terms = TermsVersion.objects.create(offering=offering, number=1, text=terms_text, created_by=by)
    contract = Contract.objects.create(location=location, geometry=initiative.geometry, terms_version=terms)
    initiators = list(initiative.initiators.all())
    for user in initiators:
        ManagerSignup.objects.create(contract=contract, user=user, plan=initiative.description)
    contract_activate(contract=contract, by=by, starts_on=starts_on, ends_on=ends_on)
    initiative.status = Initiative.Status.APPROVED
    initiative.location, initiative.contract = location, contract
    initiative.decided_by, initiative.decided_at = by, timezone.now()
    initiative.save()
    send_after_commit(
        to=[user.email for user in initiators],
        subject=f"Goedgekeurd: uw bewonersinitiatief is nu {location.name}",
        body=(
            f"Uw initiatief is goedgekeurd: {location.name} staat nu op de kaart, met u als beheerder(s), "
            f"van {starts_on:%d-%m-%Y} tot {ends_on:%d-%m-%Y}.\n\n"
            f"Lees en accepteer de voorwaarden (versie 1, hash {terms.content_hash}):\n"
            f"{terms_acceptance_url(contract)}\n\n{terms.text}\n"
        ),
    )
    return initiative


@transaction.atomic
def initiative_reject(*, initiative: Initiative, by: Any, reason: str) -> Initiative:
    """Rejection with a reason, which the initiators receive by e-mail."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    require_regisseur(by, initiative.owner_id)
    reason = required_text(reason, "reason", "Geef een reden voor de afwijzing.")
    if initiative.status != Initiative.Status.SUBMITTED:
        raise ValidationError({"status": f"Over dit initiatief is al besloten ({initiative.get_status_display()})."})
    initiative.status = Initiative.Status.REJECTED
    initiative.rejection_reason = reason
    initiative.decided_by, initiative.decided_at = by, timezone.now()
    initiative.save()
    send_after_commit(
        to=[user.email for user in initiative.initiators.all()],
        subject="Afgewezen: uw bewonersinitiatief",
        body=f"Uw bewonersinitiatief is afgewezen.\n\nReden: {reason}\n\nUw plan:\n{initiative.description}\n",
    )
    return initiative
