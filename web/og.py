"""Open Graph and Twitter card tags: what a link preview shows of a page (web/templates/web/_og.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import truncatechars
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gis_service.core.links import site_url
from gis_service.groups.models import Group
from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location

DESCRIPTION_MAX = 200  # previews cut longer descriptions anyway, mid-word


@dataclass(frozen=True)
class OpenGraph:
    title: str
    description: str
    url: str
    image: str
    image_alt: str


def _status_line(location: Location) -> str:
    if location.status == Location.Status.MANAGED:
        return _("beheerd door bewoners")
    if location.status == Location.Status.AVAILABLE:
        return _("beschikbaar voor zelfbeheer: doe mee")
    if location.status == Location.Status.REQUESTED:
        return _("aangevraagd voor zelfbeheer")
    return _("zelfbeheer in je buurt")


def for_location(location: Location) -> OpenGraph:
    area = number_format(round(location.area_m2 or 0), force_grouping=True)
    kind = location.type or _("locatie")
    description = _("%(kind)s van %(area)s m² van %(owner)s, %(status)s.") % {
        "kind": kind.capitalize(),
        "area": area,
        "owner": location.owner,
        "status": _status_line(location),
    }
    return OpenGraph(
        title=str(location),
        description=truncatechars(description, DESCRIPTION_MAX),
        url=site_url("web:location", location.pk),
        image=site_url("web:location-image", location.pk),
        image_alt=_("De vorm van %(name)s op een kaartje") % {"name": location},
    )


def for_group(group: Group, *, volunteers: int) -> OpenGraph:
    description = group.description.strip() or _(
        "Zelfbeheergroep van %(location)s: volg het nieuws, doe mee als vrijwilliger (nu %(count)s)."
    ) % {"location": group.location, "count": volunteers}
    return OpenGraph(
        title=group.name,
        description=truncatechars(description, DESCRIPTION_MAX),
        url=site_url("web:group", group.pk),
        image=site_url("web:location-image", group.location_id),
        image_alt=_("De vorm van %(name)s op een kaartje") % {"name": group.location},
    )


def for_home() -> OpenGraph:
    return OpenGraph(
        title=_("Zelfbeheer: groen in je buurt, samen met je buren"),
        description=_(
            "Vind een plek in je buurt die je samen met je buren kunt beheren, teken een initiatief "
            "en volg wat bewoners al beheren."
        ),
        url=site_url("web:map"),
        image=site_url("web:home-image"),
        image_alt=_("Alle plekken die bewoners beheren, op een kaartje"),
    )


def for_initiative_form() -> OpenGraph:
    return OpenGraph(
        title=_("Dien een bewonersinitiatief in"),
        description=_("Teken op de kaart welk stuk groen je met je buren wilt beheren en vertel je plan."),
        url=site_url("web:initiative-new"),
        image=site_url("web:home-image"),
        image_alt=_("Alle plekken die bewoners beheren, op een kaartje"),
    )


def for_initiative(initiative: Initiative) -> OpenGraph:
    """A public initiative: its plan and its area, never who proposed it."""
    area = number_format(round(initiative.area_m2 or 0), force_grouping=True)
    return OpenGraph(
        title=_("Bewonersinitiatief bij %(owner)s (%(area)s m²)") % {"owner": initiative.owner, "area": area},
        description=truncatechars(initiative.description.strip(), DESCRIPTION_MAX),
        url=site_url("web:initiative", initiative.pk),
        image=site_url("web:initiative-image", initiative.pk),
        image_alt=_("Het gebied van het initiatief op een kaartje"),
    )
