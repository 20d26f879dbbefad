"""The overlap check: a drawn area against active contracts and locations.

Input is parsed and validated here with GEOS (type, emptiness, validity with the point
where it fails, size), reprojected to the storage SRID, and then measured in one SQL
statement with bound values. The same statement is what `bench/bench_overlap.py` times
as "raw SQL", so the HTTP overhead is all that differs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from django.conf import settings
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.db import connection
from django.utils.timezone import localdate

from gis_service.core.transforms import cached_transform

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    # EPSG:4326 as an OGC URI has latitude first (the EPSG axis order); CRS84 is lon/lat.
    lat_first: bool
    digits: int  # decimals in GeoJSON output: about a centimetre

    def point(self, x: float, y: float) -> dict[str, Any]:
        """A GeoJSON point in this CRS's axis order."""
        return {"type": "Point", "coordinates": [y, x] if self.lat_first else [x, y]}


ALLOWED_CRS = {
    crs.uri: crs
    for crs in (
        Crs(CRS84, 4326, lat_first=False, digits=7),
        Crs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, lat_first=True, digits=7),
        Crs("http://www.opengis.net/def/crs/EPSG/0/28992", 28992, lat_first=False, digits=3),
        Crs("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, lat_first=False, digits=2),
    )
}
_CRS_ALIASES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84": CRS84,
    "urn:ogc:def:crs:EPSG::4326": "http://www.opengis.net/def/crs/EPSG/0/4326",
    "urn:ogc:def:crs:EPSG::28992": "http://www.opengis.net/def/crs/EPSG/0/28992",
    "urn:ogc:def:crs:EPSG::3857": "http://www.opengis.net/def/crs/EPSG/0/3857",
    "EPSG:4326": "http://www.opengis.net/def/crs/EPSG/0/4326",
    "EPSG:28992": "http://www.opengis.net/def/crs/EPSG/0/28992",
    "EPSG:3857": "http://www.opengis.net/def/crs/EPSG/0/3857",
}


class AreaError(Exception):
    """A drawn area the check refuses: `code` says what, `where` (a GeoJSON point) says where."""

    def __init__(self, code: str, message: str, where: dict[str, Any] | None = None, field: str = "geometry"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.where = where
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.where is not None:
            detail["where"] = self.where
        return {self.field: [self.message], "error": detail}


@dataclass(frozen=True)
class DrawnArea:
    geometry: GEOSGeometry  # a MultiPolygon in the storage SRID
    crs: Crs


def max_area_m2() -> float:
    return float(getattr(settings, "OVERLAP_CHECK_MAX_AREA_M2", 1_000_000))


def max_vertices() -> int:
    return int(getattr(settings, "OVERLAP_CHECK_MAX_VERTICES", 10_000))


def crs_from_uri(uri: str | None) -> Crs:
    """The allowed CRS named by `uri` (CRS84 when absent); anything else is an AreaError."""
    if not uri:
        return ALLOWED_CRS[CRS84]
    crs = ALLOWED_CRS.get(_CRS_ALIASES.get(uri, uri))
    if crs is None:
        allowed = ", ".join(ALLOWED_CRS)
        raise AreaError(
            "unsupported_crs", f"CRS {uri!r} wordt niet ondersteund (unsupported); kies uit {allowed}.", field="crs"
        )
    return crs


def _swap_axes(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap_axes(part) for part in coordinates]


def _polygon(rings: list[Any]) -> Polygon:
    return Polygon(*[[(float(point[0]), float(point[1])) for point in ring] for ring in rings])


def _from_geojson(geometry: dict[str, Any]) -> Polygon | MultiPolygon:
    """GEOS straight from the coordinates: no GDAL round trip, so a check costs microseconds here."""
    if geometry["type"] == "Polygon":
        return _polygon(geometry["coordinates"])
    return MultiPolygon(*[_polygon(rings) for rings in geometry["coordinates"]])


_REASON = re.compile(r"^(?P<reason>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


def parse_area(geometry: Any, crs_uri: str | None = None) -> DrawnArea:
    """A drawn GeoJSON Polygon or MultiPolygon, validated and reprojected to the storage SRID."""
    crs = crs_from_uri(crs_uri)
    if geometry is None:
        raise AreaError("required", "Teken een vlak: de geometrie ontbreekt (geometry is required).")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise AreaError(
            "not_polygon", f"Teken een vlak: een Polygon of MultiPolygon is nodig, geen {kind} (not a polygon)."
        )
    coordinates = geometry.get("coordinates")
    if not coordinates or not isinstance(coordinates, list):
        raise AreaError("empty", "Het getekende vlak is leeg (empty geometry).")
    if crs.lat_first:
        geometry = {"type": geometry["type"], "coordinates": _swap_axes(coordinates)}
    try:
        geom = _from_geojson(geometry)
    except (GEOSException, ValueError, TypeError, IndexError) as exc:
        raise AreaError("invalid_geojson", f"Geen geldige GeoJSON-geometrie (invalid GeoJSON): {exc}") from None
    if geom.empty:
        raise AreaError("empty", "Het getekende vlak is leeg (empty geometry).")
    if geom.num_coords > max_vertices():
        raise AreaError(
            "too_large", f"Het vlak heeft {geom.num_coords} hoekpunten; maximaal {max_vertices()} (too many vertices)."
        )
    if not geom.valid:
        reason = geom.valid_reason
        match = _REASON.match(reason)
        where = crs.point(float(match["x"]), float(match["y"])) if match else None
        text = match["reason"].strip() if match else reason
        if "self-intersection" in text.lower():
            raise AreaError(
                "self_intersection",
                "Het vlak snijdt zichzelf (self-intersection)"
                + (f" bij {where['coordinates'][0]:g}, {where['coordinates'][1]:g}" if where else "")
                + ".",
                where,
            )
        raise AreaError("invalid", f"Het vlak is ongeldig: {text} (invalid polygon).", where)
    geom.srid = crs.srid
    if crs.srid != settings.STORAGE_SRID:
        geom.transform(cached_transform(crs.srid, settings.STORAGE_SRID))
        if not geom.valid:  # a reprojection can pinch a ring that was valid before
            geom = geom.buffer(0)
    area = geom.area
    if area <= 0:
        raise AreaError("empty", "Het getekende vlak heeft geen oppervlakte (empty).")
    if area > max_area_m2():
        raise AreaError(
            "too_large", f"Het vlak is {area:,.0f} m²; maximaal {max_area_m2():,.0f} m² (too large).".replace(",", ".")
        )
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=settings.STORAGE_SRID)
    return DrawnArea(geometry=geom, crs=crs)


def _out(expression: str) -> str:
    """SQL for `expression` (storage SRID) as GeoJSON in the request's CRS and axis order."""
    transformed = f"ST_Transform({expression}, %(srid)s::int)"
    return (
        f"ST_AsGeoJSON(CASE WHEN %(lat_first)s::boolean THEN ST_FlipCoordinates({transformed}) ELSE {transformed} END,"
        " %(digits)s::int, 0)::json"
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
        "lat_first": area.crs.lat_first,
        "digits": area.crs.digits,
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
