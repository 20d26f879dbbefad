"""Reads for resident initiatives."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models.functions import NumPoints
from django.contrib.gis.geos import GeometryCollection, GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_service.accounts.models import Membership
from gis_service.core.lookups import AnyOf
from gis_service.geo import crs as geo_crs
from gis_service.geo.areas import AreaError, DrawnArea, max_area_m2, whole_number
from gis_service.geo.limits import GeometryLimits
from gis_service.geo.transforms import cached_transform
from gis_service.initiatives.models import HelpOffer, Initiative, InitiativePost
from gis_service.locations.models import Location


def max_locations() -> int:
    return int(getattr(settings, "INITIATIVE_MAX_LOCATIONS", 50))


@dataclass(frozen=True)
class InitiativeArea:
    """What an initiative asks for: the drawn area and the picked locations as one area."""

    area: DrawnArea  # the union, a MultiPolygon in the storage SRID, with the CRS it was asked in
    locations: list[Location]

    @property
    def fingerprint(self) -> str:
        """Names this exact area (shape and locations): the check hands it out, and a submission
        that carries it is refused when what it would store differs from what was checked."""
        geometry = self.area.geometry.clone()
        geometry.normalize()
        digest = hashlib.sha256(bytes(geometry.wkb))
        digest.update(",".join(str(location.pk) for location in self.locations).encode())
        return digest.hexdigest()[:32]

    def geojson(self) -> dict[str, Any]:
        """The area as GeoJSON in the CRS (and axis order) it was asked in, as the check shows it."""
        crs = self.area.crs
        geometry = self.area.geometry.transform(cached_transform(settings.STORAGE_SRID, crs.srid), clone=True)
        data: dict[str, Any] = json.loads(geometry.json)
        if crs.northing_first:
            data["coordinates"] = _flip(data["coordinates"])
        return data


def _flip(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_flip(part) for part in coordinates]


def initiative_area(
    *, area: DrawnArea | None, location_ids: Sequence[int] | None, crs: geo_crs.Crs | None = None
) -> InitiativeArea:
    """The drawn area joined with the picked current locations, within the same limits as a drawn
    area: their number and vertices are bounded before any geometry is read or joined, and the
    whole counts toward OVERLAP_CHECK_MAX_AREA_M2 (770 picked locations made 4,857,888 m²).
    Answers come in the drawn area's CRS, else in `crs` (CRS84 when not given)."""
    ids = sorted(set(location_ids or ()))
    if len(ids) > max_locations():
        raise ValidationError(
            {
                "location_ids": _("Kies hoogstens %(max)d locaties; je koos er %(count)d.")
                % {"max": max_locations(), "count": len(ids)}
            }
        )
    if area is None and not ids:
        raise ValidationError({"geometry": _("Teken een gebied of kies bestaande locaties.")})
    locations: list[Location] = []
    if ids:
        current = Location.objects.current().filter(pk__in=ids)
        # One cheap aggregate before the geometries: how many exist, how many vertices they have.
        found = current.aggregate(count=Count("pk"), vertices=Sum(NumPoints("geometry")))
        if found["count"] != len(ids):
            known = set(current.values_list("pk", flat=True))
            missing = ", ".join(str(pk) for pk in ids if pk not in known)
            raise ValidationError({"location_ids": _("Onbekende locaties: %(ids)s.") % {"ids": missing}})
        vertices = int(found["vertices"] or 0) + (area.geometry.num_coords if area else 0)
        if vertices > GeometryLimits.for_areas().vertices:
            raise AreaError(
                "too_large",
                ngettext(
                    "Het gebied heeft %(count)d hoekpunt; maximaal %(max)d.",
                    "Het gebied heeft %(count)d hoekpunten; maximaal %(max)d.",
                    vertices,
                )
                % {"count": vertices, "max": GeometryLimits.for_areas().vertices},
                field="location_ids",
            )
        locations = list(current.order_by("pk"))
    parts: list[Polygon] = []
    for geometry in [area.geometry] if area else []:
        parts.extend(_polygons(geometry))
    for location in locations:
        parts.extend(_polygons(location.geometry))
    union: GEOSGeometry = MultiPolygon(parts, srid=settings.STORAGE_SRID).unary_union
    union = MultiPolygon(_polygons(union), srid=settings.STORAGE_SRID)
    if union.area > max_area_m2():
        raise AreaError(
            "too_large",
            _("Het gebied is %(area)s m²; maximaal %(max)s m².")
            % {"area": whole_number(union.area), "max": whole_number(max_area_m2())},
            field="location_ids" if locations else "geometry",
        )
    crs = area.crs if area else crs or geo_crs.supported()[geo_crs.CRS84]
    return InitiativeArea(area=DrawnArea(geometry=union, crs=crs), locations=locations)


def _polygons(geometry: GEOSGeometry) -> list[Polygon]:
    """The polygons of `geometry` (a union of touching areas can hold lines and points too)."""
    if isinstance(geometry, Polygon):
        return [geometry.clone()]
    if isinstance(geometry, GeometryCollection):  # MultiPolygon too
        return [polygon for part in geometry for polygon in _polygons(part)]
    return []


def initiative_list(*, user: Any) -> QuerySet[Initiative]:
    """What `user` may see: their own initiatives; a regisseur's owner's; everything for staff."""
    return (
        Initiative.objects.visible_to(user)
        .select_related("owner", "created_by")
        .prefetch_related("initiators", "locations")
        .order_by("-created_at", "-id")
    )


def locations_in_waiting_initiatives(location_ids: Collection[int]) -> set[int]:
    """The ids among `location_ids` that a waiting initiative asks for (the initiatives' protector)."""
    return set(
        Initiative.locations.through.objects.filter(
            AnyOf(F("location_id"), location_ids), initiative__status=Initiative.Status.SUBMITTED
        ).values_list("location_id", flat=True)
    )


def initiatives_of(*, user: Any) -> QuerySet[Initiative]:
    """The initiatives `user` filed or joined, newest first, with what approval made of them."""
    return (
        Initiative.objects.filter(initiators=user)
        .select_related("owner", "location", "contract")
        .defer("geometry")
        .order_by("-created_at", "-id")
    )


def invite_matches(*, initiative: Initiative, token: Any) -> bool:
    """Whether `token` is the initiative's invite token, compared in constant time."""
    return isinstance(token, str) and constant_time_compare(token, initiative.invite_token)


def initiative_public(initiative_id: int) -> Initiative:
    """An initiative everyone may read (Initiative.DoesNotExist when rejected or unknown); without
    its initiators, whose names are never public."""
    return Initiative.objects.public().select_related("owner").defer("submission_key").get(pk=initiative_id)


def public_initiatives(*, owner_id: int | None = None) -> QuerySet[Initiative]:
    """Open initiatives, newest first, for the list of open initiatives."""
    found = Initiative.objects.public().select_related("owner").defer("geometry")
    if owner_id is not None:
        found = found.filter(owner_id=owner_id)
    return found.order_by("-created_at", "-id")


def posts_visible_to(*, user: Any, initiative_id: int | None = None) -> QuerySet[InitiativePost]:
    """Posts of open initiatives; hidden ones only for the regisseurs of the initiative's owner."""
    posts = InitiativePost.objects.filter(initiative__in=Initiative.objects.public())
    if initiative_id is not None:
        posts = posts.filter(initiative_id=initiative_id)
    shown = Q(hidden_at__isnull=True)
    if getattr(user, "is_authenticated", False):
        shown |= Q(initiative__owner_id__in=Membership.objects.directed_by(user).values("owner_id"))
    return posts.filter(shown).select_related("author", "initiative").order_by("created_at", "id")


def public_help_offers(*, initiative_id: int | None = None) -> QuerySet[HelpOffer]:
    """Help offered on open initiatives, oldest first."""
    offers = HelpOffer.objects.filter(initiative__in=Initiative.objects.public())
    if initiative_id is not None:
        offers = offers.filter(initiative_id=initiative_id)
    return offers.select_related("professional", "initiative__owner").order_by("created_at", "id")
