"""Writes of locations. Every app that creates a location or changes its ground comes here;
the status is never written: PostgreSQL derives it (sql/status.sql).

The importer's bulk SQL writes many rows at once and keeps its set-based statements
(importers/sync), but takes the rules from here: the status a new row carries
(`Location.NEW_STATUS`), and what happens to protected ground (`locations_ground_changed`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gis_service.accounts.selectors import regisseurs
from gis_service.core.links import site_url
from gis_service.core.lookups import AnyOf
from gis_service.core.mail import by_language, send_after_commit
from gis_service.locations.models import Location
from gis_service.locations.protection import protected_location_ids


@transaction.atomic
def location_create(
    *,
    owner_id: int,
    name: str,
    type: str,
    geometry: MultiPolygon,
    attributes: dict[str, Any] | None = None,  # noqa: A002
) -> Location:
    """A location entered by hand (Part 4, the admin, an approved initiative): no source, status by the rule."""
    return Location.objects.create(
        owner_id=owner_id, name=name, type=type, geometry=geometry, attributes=attributes or {}
    )


@transaction.atomic
def location_change(
    *,
    location: Location,
    name: str | None = None,
    type: str | None = None,
    geometry: MultiPolygon | None = None,  # noqa: A002
) -> Location:
    """Changes a location's name, type or ground. New ground under a contract or open initiative
    keeps the location as it is asked, flags it and tells the regisseurs."""
    if name is not None:
        location.name = name
    if type is not None:
        location.type = type
    moved = geometry is not None and not geometry.equals_exact(location.geometry, tolerance=0)
    if geometry is not None:
        location.geometry = geometry
    location.save()
    if moved:
        locations_ground_changed(
            owner_id=location.owner_id, moved=[location.pk], gone=[], cause=gettext_lazy("een bewerking")
        )
    return location


def locations_ground_changed(
    *, owner_id: int, moved: Collection[int], gone: Collection[int], cause: str | Promise
) -> list[int]:
    """Flags the protected locations among those whose ground moved or is gone, and e-mails the
    owner's regisseurs (after commit) naming each; returns the flagged ids."""
    protected = sorted(protected_location_ids([*moved, *gone]))
    if not protected:
        return []
    Location.objects.filter(AnyOf(F("pk"), protected)).update(ground_changed_at=timezone.now())
    _tell_regisseurs(owner_id=owner_id, location_ids=protected, gone=set(gone), cause=cause)
    return protected


@transaction.atomic
def location_ground_change_resolved(*, location: Location, by: Any) -> bool:
    """The owner's regisseur has dealt with the flagged ground (took it into the contract, ended the
    contract, or kept it as it is): clears the flag; returns whether this call cleared it."""
    if not (by.is_authenticated and by.directs(location.owner_id)):
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag dit."))
    # Race: two regisseurs resolve at once; only the UPDATE that still finds the flag counts.
    cleared = Location.objects.filter(pk=location.pk, ground_changed_at__isnull=False).update(ground_changed_at=None)
    location.ground_changed_at = None
    return bool(cleared)


def _tell_regisseurs(*, owner_id: int, location_ids: list[int], gone: set[int], cause: str | Promise) -> None:
    # `cause` may be lazy, so each regisseur reads it in their own language.
    locations = list(Location.objects.filter(AnyOf(F("pk"), location_ids)).order_by("pk"))
    count = len(locations)
    for language, addresses in by_language(regisseurs(owner_id=owner_id)):
        with translation.override(language):
            lines = []
            for location in locations:
                what = (
                    _("staat niet meer in de bron") if location.pk in gone else _("heeft een andere geometrie gekregen")
                )
                external = _(", extern id %(id)s") % {"id": location.external_id} if location.external_id else ""
                lines.append(
                    f"- {location} (id {location.pk}{external}): {what}\n  {site_url('web:location', location.pk)}"
                )
            subject = ngettext(
                "Grond veranderd onder %(count)d locatie", "Grond veranderd onder %(count)d locaties", count
            ) % {"count": count}
            body = (
                _(
                    "Door %(cause)s is de grond veranderd onder locaties waar een zelfbeheercontract of een open "
                    "bewonersinitiatief op rust. Ze zijn niet verwijderd, maar gemarkeerd; kijk of het contract of "
                    "initiatief moet worden aangepast."
                )
                % {"cause": cause}
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Overzicht: %(url)s") % {"url": site_url("web:regisseur", anchor="ground-changed")}
                + "\n"
            )
            send_after_commit(to=addresses, subject=subject, body=body)


def locations_follow_calendar() -> int:
    """Brings the status of offered locations to what the rule says today (run daily by beat:
    offering periods start and end with the calendar, not with a write); returns how many changed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT locations_follow_calendar()")
        (changed,) = cursor.fetchone()
    return int(changed)
