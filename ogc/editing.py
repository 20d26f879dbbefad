"""Part 4 writes on `locations`: regisseurs create, replace, update and delete their own owner's locations."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext
from psycopg import sql
from pygeoapi.provider.base import ProviderItemNotFoundError

from gis_service.accounts.models import User
from gis_service.geo import crs
from gis_service.geo.limits import GeometryLimits, GeometryMalformed, GeometryTooLarge, check_coordinates
from gis_service.locations import services as locations
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from ogc.collections import published_labels
from ogc.errors import ProviderBadRequestError, ProviderConflictError, ProviderForbiddenError, unsupported_crs


def editor_owner_ids(user: User) -> set[int]:
    """Owners whose locations `user` may edit through the feed: those they are regisseur of."""
    return user.directed_owner_ids()


def parse_feature(text: bytes | str, *, patch: bool = False) -> dict[str, Any]:
    """The body of a write; a PATCH body may be a JSON merge patch (RFC 7396) of the feature, which is
    how QGIS 3.32+ sends changes: `{"geometry": …}` or `{"properties": {…}}`, without `"type"`."""
    try:
        feature = json.loads(text)
    except (ValueError, TypeError) as error:
        raise ProviderBadRequestError(user_msg=gettext("De body is geen JSON; stuur een GeoJSON-Feature.")) from error
    if not isinstance(feature, dict) or feature.get("type", "Feature" if patch else None) != "Feature":
        raise ProviderBadRequestError(user_msg=gettext('Stuur één GeoJSON-Feature ("type": "Feature").'))
    if not isinstance(feature.get("properties") or {}, dict):
        raise ProviderBadRequestError(user_msg=gettext("properties moet een JSON-object zijn."))
    return feature


def _refuse_status_change(properties: dict[str, Any], location: Location | None) -> None:
    """The status follows from offering, contracts and initiatives (gis_service/locations/sql/status.sql):
    a body may repeat it, but a status it cannot honour is refused rather than ignored."""
    if "status" not in properties:
        return
    current = location.status if location is not None else Location.NEW_STATUS
    labels = dict(published_labels(Location.Status))
    if properties["status"] not in (current, labels[current]):
        raise ProviderBadRequestError(
            user_msg=gettext(
                "De status volgt uit het aanbod en de contracten van de locatie (nu %(status)r) en kun je niet "
                "zelf zetten; bied de locatie aan of besluit over haar contracten."
            )
            % {"status": labels[current]}
        )


def _text(properties: dict[str, Any], name: str, max_length: int) -> str:
    value = properties.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_length:
        raise ProviderBadRequestError(
            user_msg=gettext("%(name)s moet tekst van hoogstens %(limit)d tekens zijn.")
            % {"name": name, "limit": max_length}
        )
    return value


def storage_geometry(geometry: Any, content_crs: str | None) -> MultiPolygon:
    """The feature's (Multi)Polygon, in the request's Content-Crs, as a valid MultiPolygon in storage."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ProviderBadRequestError(user_msg=gettext("De geometrie moet een Polygon of MultiPolygon zijn."))
    try:  # counted before PostGIS repairs it: ST_MakeValid's cost grows with the vertices
        check_coordinates(geometry["type"], geometry.get("coordinates"), GeometryLimits.for_areas())
    except (GeometryTooLarge, GeometryMalformed) as error:
        raise ProviderBadRequestError(user_msg=str(error)) from None
    source = crs.by_uri(content_crs)
    if source is None:
        raise ProviderBadRequestError(user_msg=unsupported_crs("Content-Crs", content_crs))
    storage = crs.storage()
    shape: sql.Composable = sql.SQL("ST_GeomFromGeoJSON(%s)")
    if source.northing_first:
        shape = sql.SQL("ST_FlipCoordinates({})").format(shape)
    shape = sql.SQL("ST_SetSRID({}, {})").format(shape, sql.Literal(source.srid))
    if source.srid != storage.srid:
        shape = sql.SQL("ST_Transform({}, {})").format(shape, sql.Literal(storage.srid))
    query = sql.SQL("SELECT ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D({})), 3)))").format(shape)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(query, [json.dumps(geometry)])
            (ewkb,) = cursor.fetchone()
    except DatabaseError as error:
        raise ProviderBadRequestError(user_msg=gettext("De geometrie is onleesbaar.")) from error
    result = GEOSGeometry(memoryview(bytes(ewkb)))
    if not isinstance(result, MultiPolygon) or result.empty:
        raise ProviderBadRequestError(user_msg=gettext("De geometrie heeft geen oppervlakte."))
    return result


def _owner_for_create(user: User, properties: dict[str, Any]) -> Owner:
    allowed = editor_owner_ids(user)
    named = properties.get("owner")
    if named is None:
        if len(allowed) != 1:
            raise ProviderBadRequestError(
                user_msg=gettext(
                    "Noem de eigenaar (naam of slug) in properties.owner: je bent van meer eigenaren regisseur."
                )
            )
        return Owner.objects.get(pk=next(iter(allowed)))
    owner = Owner.objects.filter(Q(name=named) | Q(slug=named)).first()
    if owner is None:
        raise ProviderBadRequestError(user_msg=gettext("Eigenaar %(owner)r bestaat niet.") % {"owner": named})
    if owner.pk not in allowed:
        raise ProviderForbiddenError(user_msg=gettext("Je bent geen regisseur van deze eigenaar."))
    return owner


def location_create(*, user: User, feature: dict[str, Any], content_crs: str | None) -> int:
    properties = feature.get("properties") or {}
    if "status" in properties and properties["status"] is None:
        # QGIS sends every field of a new feature, null where nothing was entered: that claims no status.
        properties = {name: value for name, value in properties.items() if name != "status"}
    owner = _owner_for_create(user, properties)
    _refuse_status_change(properties, None)
    location = locations.location_create(
        owner_id=owner.pk,
        name=_text(properties, "name", 255),
        type=_text(properties, "type", 100),
        geometry=storage_geometry(feature.get("geometry"), content_crs),
    )
    return location.pk


def _editable_location(user: User, location_id: int) -> Location:
    # Locked, so two editors replacing the same location do not interleave their changes.
    location = Location.objects.current().select_for_update().filter(pk=location_id).first()
    if location is None:
        raise ProviderItemNotFoundError(user_msg=gettext("Locatie %(id)s bestaat niet.") % {"id": location_id})
    if location.owner_id not in editor_owner_ids(user):
        raise ProviderForbiddenError(user_msg=gettext("Je bent geen regisseur van de eigenaar van deze locatie."))
    return location


def location_change(
    *, user: User, location_id: int, feature: dict[str, Any], content_crs: str | None, partial: bool
) -> None:
    """PUT replaces every editable property and the geometry; PATCH changes only those sent."""
    properties = feature.get("properties") or {}
    if not partial and feature.get("geometry") is None:
        raise ProviderBadRequestError(user_msg=gettext("Een vervanging (PUT) heeft een geometrie nodig."))
    if "owner" in properties:
        raise ProviderBadRequestError(user_msg=gettext("De eigenaar van een locatie kun je hier niet wijzigen."))
    with transaction.atomic():
        location = _editable_location(user, location_id)
        _refuse_status_change(properties, location)
        geometry = feature.get("geometry")
        locations.location_change(
            location=location,
            name=_text(properties, "name", 255) if not partial or "name" in properties else None,
            type=_text(properties, "type", 100) if not partial or "type" in properties else None,
            geometry=storage_geometry(geometry, content_crs) if geometry is not None else None,
        )


def location_delete(*, user: User, location_id: int) -> None:
    try:
        with transaction.atomic():
            _editable_location(user, location_id).delete()
    except (ProtectedError, IntegrityError) as error:
        raise ProviderConflictError(
            user_msg=gettext("Op deze locatie rusten contracten of imports; je kunt haar niet verwijderen.")
        ) from error
