"""A drawn area, as residents send it to the overlap check and with an initiative: parsed and
validated with GEOS (type, emptiness, validity with the point where it fails, size) and
reprojected to the storage SRID, before any SQL sees it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import shapely
import shapely.errors
from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gis_service.geo.crs import Crs, by_uri, supported
from gis_service.geo.limits import GeometryLimits, GeometryMalformed, GeometryTooLarge, check_coordinates
from gis_service.geo.transforms import cached_transform


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


def crs_from_uri(uri: Any) -> Crs:
    """The supported CRS named by `uri` (CRS84 when absent); anything else is an AreaError."""
    if uri is not None and not isinstance(uri, str):
        raise AreaError("unsupported_crs", _("Geef de CRS als tekst, bijvoorbeeld EPSG:28992."), field="crs")
    crs = by_uri(uri)
    if crs is None:
        allowed = ", ".join(supported())
        raise AreaError(
            "unsupported_crs",
            _("CRS %(uri)s wordt niet ondersteund; kies uit %(allowed)s.") % {"uri": repr(uri), "allowed": allowed},
            field="crs",
        )
    return crs


def _check_coordinates(geometry: dict[str, Any]) -> None:
    """Shape and size of the coordinates, counted before GEOS builds anything (gis_service/geo/limits.py):
    strings, objects or nulls in their place made the axis swap recurse without end or raised
    KeyError (500s), and 300,000 empty rings took 13.8 s to build."""
    try:
        check_coordinates(geometry["type"], geometry["coordinates"], GeometryLimits.for_areas())
    except GeometryTooLarge as error:
        raise AreaError("too_large", str(error)) from None
    except GeometryMalformed as error:
        raise AreaError("invalid_geojson", _("Geen geldige GeoJSON-geometrie: %(error)s") % {"error": error}) from None


def _swap_axes(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [coordinates[1], coordinates[0], *coordinates[2:]]
    return [_swap_axes(part) for part in coordinates]


def _ring(positions: list[Any]) -> list[tuple[float, float]]:
    ring = [(float(point[0]), float(point[1])) for point in positions]
    if ring[0] != ring[-1]:
        raise ValueError(_("een ring moet sluiten: het eerste en laatste punt zijn gelijk"))
    return ring


def _from_geojson(geometry: dict[str, Any]) -> GEOSGeometry:
    """GEOS from the coordinates through shapely's vectorised constructors and WKB: no GDAL round trip,
    and a 10,000-vertex area is built in 10 ms (GEOS's own coordinate setters, one ctypes call per
    number, took 65–430 ms)."""
    if geometry["type"] == "Polygon":
        rings = [_ring(ring) for ring in geometry["coordinates"]]
        shape: Any = shapely.Polygon(rings[0], rings[1:])
    else:
        parts = [[_ring(ring) for ring in rings] for rings in geometry["coordinates"]]
        shape = shapely.MultiPolygon([(rings[0], rings[1:]) for rings in parts])
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)))


Bounds = tuple[float, float, float, float]  # min x, min y, max x, max y


@cache
def valid_range(srid: int) -> Bounds:
    """Where coordinates of this CRS mean something: the whole globe for degrees, the area of use
    (EPSG's, through PROJ) for a projection. Beyond it PROJ fails ("OGR failure") or makes up numbers."""
    from pyproj import CRS, Transformer

    crs = CRS.from_epsg(srid)
    if crs.is_geographic:
        return (-180.0, -90.0, 180.0, 90.0)
    west, south, east, north = crs.area_of_use.bounds  # type: ignore[union-attr]
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform_bounds(west, south, east, north)


@cache
def storage_area_of_use_in(srid: int) -> Bounds:
    """The storage CRS's area of use, in the coordinates of `srid` (x = easting or longitude)."""
    from pyproj import CRS, Transformer

    west, south, east, north = CRS.from_epsg(settings.STORAGE_SRID).area_of_use.bounds  # type: ignore[union-attr]
    if srid == 4326:
        return (west, south, east, north)
    return Transformer.from_crs("EPSG:4326", CRS.from_epsg(srid), always_xy=True).transform_bounds(
        west, south, east, north
    )


def _within(extent: Bounds, bounds: Bounds) -> bool:
    return bounds[0] <= extent[0] and bounds[1] <= extent[1] and extent[2] <= bounds[2] and extent[3] <= bounds[3]


def _check_range(geom: GEOSGeometry, crs: Crs) -> None:
    """Refuses coordinates outside the CRS's valid range and, when we reproject, areas outside the
    storage CRS's area of use: a 0.0005° square near Sydney measured 522,679 m² in RD New."""
    extent = geom.extent
    # In the storage CRS itself nothing is reprojected, so its metres are exact wherever they lie
    # (and the tests' squares near 0, 0 stay valid); only infinity is refused there.
    reprojected = crs.srid != settings.STORAGE_SRID
    if not all(math.isfinite(value) for value in extent) or (
        reprojected and not _within(extent, valid_range(crs.srid))
    ):
        raise AreaError(
            "out_of_range",
            _("Het vlak heeft coördinaten buiten het geldige bereik van %(crs)s.") % {"crs": crs.uri},
        )
    if reprojected and not _within(extent, storage_area_of_use_in(crs.srid)):
        raise AreaError(
            "out_of_area",
            _("Het vlak ligt buiten het gebied dat dit platform beheert (het geldigheidsgebied van EPSG:%(srid)s).")
            % {"srid": settings.STORAGE_SRID},
        )


_REASON = re.compile(r"^(?P<reason>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


def whole_number(number: float) -> str:
    """A whole number with the reader's thousands separator (1.800 in Dutch, 1,800 in English)."""
    return number_format(round(number), force_grouping=True)


def parse_area(geometry: Any, crs_uri: Any = None) -> DrawnArea:
    """A drawn GeoJSON Polygon or MultiPolygon, validated and reprojected to the storage SRID."""
    crs = crs_from_uri(crs_uri)
    if geometry is None:
        raise AreaError("required", _("Teken een vlak: de geometrie ontbreekt."))
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise AreaError(
            "not_polygon",
            _("Teken een vlak: een Polygon of MultiPolygon is nodig, geen %(kind)s.") % {"kind": kind},
        )
    coordinates = geometry.get("coordinates")
    if not coordinates or not isinstance(coordinates, list):
        raise AreaError("empty", _("Het getekende vlak is leeg."))
    _check_coordinates(geometry)
    if crs.northing_first:
        geometry = {"type": geometry["type"], "coordinates": _swap_axes(coordinates)}
    try:
        geom = _from_geojson(geometry)
    except (GEOSException, ValueError, TypeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise AreaError("invalid_geojson", _("Geen geldige GeoJSON-geometrie: %(error)s") % {"error": exc}) from None
    if geom.empty:
        raise AreaError("empty", _("Het getekende vlak is leeg."))
    _check_range(geom, crs)
    if not geom.valid:
        reason = geom.valid_reason
        match = _REASON.match(reason)
        where = crs.point(float(match["x"]), float(match["y"])) if match else None
        text = match["reason"].strip() if match else reason
        if "self-intersection" in text.lower():
            raise AreaError(
                "self_intersection",
                (
                    _("Het vlak snijdt zichzelf bij %(x)s, %(y)s.")
                    % {"x": f"{where['coordinates'][0]:g}", "y": f"{where['coordinates'][1]:g}"}
                )
                if where
                else _("Het vlak snijdt zichzelf."),
                where,
            )
        raise AreaError("invalid", _("Het vlak is ongeldig: %(reason)s.") % {"reason": text}, where)
    geom.srid = crs.srid
    if crs.srid != settings.STORAGE_SRID:
        try:
            geom.transform(cached_transform(crs.srid, settings.STORAGE_SRID))
        except GDALException:  # the range checks above leave PROJ nothing it cannot do; this is the last word
            raise AreaError("out_of_area", _("Het vlak kan niet worden omgerekend.")) from None
        if not geom.valid:  # a reprojection can pinch a ring that was valid before
            geom = geom.buffer(0)
    area = geom.area
    if area <= 0:
        raise AreaError("empty", _("Het getekende vlak heeft geen oppervlakte."))
    if area > max_area_m2():
        raise AreaError(
            "too_large",
            _("Het vlak is %(area)s m²; maximaal %(max)s m².")
            % {"area": whole_number(area), "max": whole_number(max_area_m2())},
        )
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=settings.STORAGE_SRID)
    return DrawnArea(geometry=geom, crs=crs)
