"""The overlap check: a drawn area (gis_service.geo.areas) against active contracts and locations.

Measured in one SQL statement with bound values. The same statement is what
`bench/bench_overlap.py` times as "raw SQL", so the HTTP overhead is all that differs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from django.db import connection
from django.utils.timezone import localdate

from gis_service.geo.areas import DrawnArea


def _out(expression: str) -> str:
    """SQL for `expression` (storage SRID) as GeoJSON in the request's CRS and axis order."""
    transformed = f"ST_Transform({expression}, %(srid)s::int)"
    return (
        f"ST_AsGeoJSON(CASE WHEN %(northing_first)s::boolean THEN ST_FlipCoordinates({transformed})"
        f" ELSE {transformed} END, %(decimals)s::int, 0)::json"
    )


# Conflicts: active contracts sharing more than the tolerance in the asked period (the one rule, in
# gis_service/contracts/sql/overlap.sql).
# Locations: current locations the area meets (also only along an edge), largest share first.
OVERLAP_SQL = f"""
WITH drawn AS (SELECT ST_GeomFromEWKB(%(geom)s::bytea) AS g),
conflicts AS (
    SELECT c.id, c.status, c.starts_on, c.ends_on, l.name, l.id AS location_id, s.overlap,
           ST_Area(s.overlap) AS overlap_m2
      FROM drawn d,
           contracts_active_sharing(d.g, %(start)s::date, %(end)s::date, %(exclude)s::bigint) s
      JOIN contracts_contract c ON c.id = s.contract_id
      JOIN locations_location l ON l.id = c.location_id
),
touched AS (
    SELECT l.id, l.name, l.status, l.area_m2, ST_Area(ST_Intersection(l.geometry, d.g)) AS overlap_m2,
           EXISTS (SELECT 1 FROM contracts_offering o WHERE o.location_id = l.id) AS offered
      FROM locations_location l, drawn d
     WHERE l.withdrawn_at IS NULL AND l.geometry && d.g AND ST_Intersects(l.geometry, d.g)
     ORDER BY overlap_m2 DESC, l.id LIMIT 500
)
SELECT ST_Area(d.g) AS area_m2,
       (SELECT coalesce(json_agg(json_build_object(
                'contract', c.id, 'location', c.location_id, 'location_name', c.name, 'status', c.status,
                'starts_on', c.starts_on, 'ends_on', c.ends_on,
                'overlap_m2', round(c.overlap_m2::numeric, 2),
                'overlap_pct', round((100 * c.overlap_m2 / ST_Area(d.g))::numeric, 2),
                'overlap_geometry', {_out("c.overlap")}) ORDER BY c.overlap_m2 DESC, c.id), '[]'::json)
          FROM conflicts c) AS conflicts,
       (SELECT coalesce(json_agg(json_build_object(
                'id', t.id, 'name', t.name, 'status', t.status, 'offered', t.offered,
                'overlap_m2', round(t.overlap_m2::numeric, 2),
                'share_pct', round((100 * t.overlap_m2 / ST_Area(d.g))::numeric, 2),
                'location_share_pct', round((100 * t.overlap_m2 / nullif(t.area_m2, 0))::numeric, 2))
                ORDER BY t.overlap_m2 DESC, t.id), '[]'::json)
          FROM touched t) AS locations,
       {_out("coalesce(ST_Difference(d.g, (SELECT ST_Union(overlap) FROM conflicts)), d.g)")} AS free_geometry,
       EXISTS (SELECT 1 FROM owners_owner WHERE territory IS NOT NULL) AS territories_exist,
       EXISTS (SELECT 1 FROM owners_owner o WHERE o.territory && d.g AND ST_Intersects(o.territory, d.g))
           AS in_territory,
       EXISTS (SELECT 1 FROM touched) AS on_locations
  FROM drawn d
"""


def overlap_params(
    area: DrawnArea,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    exclude_contract: int | None = None,
) -> dict[str, Any]:
    """The bound values for OVERLAP_SQL. Without a period: from today on, open-ended."""
    return {
        "geom": bytes(area.geometry.ewkb),
        "srid": area.crs.srid,
        "northing_first": area.crs.northing_first,
        "decimals": area.crs.decimals,
        "exclude": exclude_contract,
        "start": start or localdate(),
        "end": end,
    }


def run_overlap_sql(params: dict[str, Any]) -> dict[str, Any]:
    """Runs OVERLAP_SQL on Django's connection (inside its transaction, if any).

    Through a server-side binding cursor, prepared: the statement is planned once per
    connection and the EWKB travels as binary, instead of Django's default client-side
    interpolation, which makes PostgreSQL parse and plan the whole statement every time.
    """
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(OVERLAP_SQL, params, prepare=True)
        assert cursor.description is not None
        columns = [column.name for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(columns, row, strict=True))
