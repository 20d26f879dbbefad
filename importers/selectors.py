"""Reads for the admin screens."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from gis_service.accounts.models import Membership, User
from gis_service.locations.models import Location
from gis_service.locations.protection import protected_location_ids
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source

DIFF_LIMIT = 5000  # features on the diff map; a 100k first import is a count, not a map


def owners_administered_by(user: User) -> QuerySet[Owner]:
    """The owners whose sources `user` manages: every owner for a superuser; else those they are GIS admin of."""
    if user.is_superuser:
        return Owner.objects.all()
    return Owner.objects.filter(pk__in=user.memberships.filter(role=Membership.Role.GIS_ADMIN).values("owner_id"))


def sources_visible_to(user: User) -> QuerySet[Source]:
    """All sources for a superuser; else those of owners the user is GIS admin of."""
    if user.is_superuser:
        return Source.objects.all()
    return Source.objects.filter(owner__in=owners_administered_by(user))


def runs_visible_to(user: User) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(source__in=sources_visible_to(user))


def protected_locations_of(source: Source) -> list[Location]:
    """The current locations of `source` that a sync would not quietly change: those with an open or
    active contract or a waiting initiative (the protectors of gis_service/locations/protection.py)."""
    ids = list(Location.objects.filter(source=source, withdrawn_at=None).values_list("pk", flat=True))
    return list(Location.objects.filter(pk__in=protected_location_ids(ids)).order_by("name", "pk"))


def run_diff_geojson(run: ImportRun) -> dict[str, Any]:
    """The locations a run created, updated or withdrew, in WGS84 for the map, with `change`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', l.id,
                'geometry', ST_AsGeoJSON(ST_Transform(l.geometry, 4326), 7)::json,
                'properties', json_build_object('change', d.change, 'name', l.name, 'external_id', l.external_id)
            ) ORDER BY d.change, l.id), '[]'::json))
            FROM (
                (SELECT location_id, change FROM importers_importchange WHERE run_id = %(run)s LIMIT %(limit)s)
                UNION ALL
                (SELECT id, 'created' FROM locations_location
                 WHERE source_id = %(source)s AND id BETWEEN %(first)s AND %(last)s LIMIT %(limit)s)
            ) d JOIN locations_location l ON l.id = d.location_id
            """,
            {"run": run.pk, "source": run.source_id, "first": run.created_first_id or 0,
             "last": run.created_last_id or -1, "limit": DIFF_LIMIT},
        )  # fmt: skip
        (collection,) = cursor.fetchone()
    return collection if isinstance(collection, dict) else dict(collection)
