"""Bounds on the size of geometries that requests send, counted on the parsed JSON before GEOS,
PROJ or PostgreSQL see a coordinate.

The cost of what follows grows with the geometry: 300,000 empty rings took 13.8 s to build in
GEOS before the overlap check answered "empty", and a 150,000-vertex polygon in a CQL2 filter
kept PostgreSQL busy for 29.9 s. Counting positions in Python lists costs microseconds, and the
walk stops at the first limit passed, so a refusal costs no more than the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


class GeometryTooLarge(ValueError):
    """More vertices, rings or parts than allowed; the message says which and the limit."""


class GeometryMalformed(ValueError):
    """Coordinates that are not lists as deep as the type says, around positions of numbers."""


@dataclass(frozen=True)
class GeometryLimits:
    vertices: int
    rings: int
    parts: int

    @classmethod
    def for_areas(cls) -> GeometryLimits:
        """Drawn areas (overlap check, initiatives) and areas edited through the feed."""
        return cls(
            vertices=int(getattr(settings, "AREA_MAX_VERTICES", 10_000)),
            rings=int(getattr(settings, "AREA_MAX_RINGS", 100)),
            parts=int(getattr(settings, "AREA_MAX_PARTS", 100)),
        )

    @classmethod
    def for_filters(cls) -> GeometryLimits:
        """Geometry literals in CQL2 filters: PostgreSQL compares each with every candidate row."""
        return cls(
            vertices=int(getattr(settings, "CQL2_MAX_VERTICES", 1_000)),
            rings=int(getattr(settings, "AREA_MAX_RINGS", 100)),
            parts=int(getattr(settings, "AREA_MAX_PARTS", 100)),
        )


# How deep a type's coordinates nest down to positions, and whether those lists are rings.
DEPTHS = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and 2 <= len(value) <= 4
        and all(isinstance(number, int | float) and not isinstance(number, bool) for number in value)
    )


@dataclass
class Counts:
    vertices: int = 0
    rings: int = 0
    parts: int = 0


def check_coordinates(kind: str, coordinates: Any, limits: GeometryLimits, counts: Counts | None = None) -> Counts:
    """Walks the coordinates of a GeoJSON geometry of type `kind` (iteratively), counting vertices,
    rings (of polygons) and parts (of multi-geometries) into `counts` (shared across the
    geometries of one request); raises GeometryTooLarge at the first limit passed, GeometryMalformed
    on coordinates of the wrong shape, such as an empty ring or one of fewer than 4 positions."""
    counts = counts if counts is not None else Counts()
    depth = DEPTHS.get(kind)
    if depth is None:
        raise GeometryMalformed(_("Onbekend geometrietype %(kind)s.") % {"kind": str(kind)[:40]})
    polygonal = kind in ("Polygon", "MultiPolygon")
    multi = kind.startswith("Multi")
    stack: list[tuple[Any, int]] = [(coordinates, depth)]
    while stack:
        value, level = stack.pop()
        if level == 0:
            if not _is_position(value):
                raise GeometryMalformed(_("Een punt is een lijst van 2 tot 4 getallen."))
            counts.vertices += 1
            if counts.vertices > limits.vertices:
                raise GeometryTooLarge(
                    _("De geometrie heeft meer dan %(limit)d hoekpunten.") % {"limit": limits.vertices}
                )
            continue
        if not isinstance(value, list | tuple):  # tuples: pygeofilter's geometries parsed from WKT
            raise GeometryMalformed(_("Coördinaten zijn lijsten, zo diep als het type zegt."))
        if polygonal and level == 1 and len(value) < 4:  # a ring
            raise GeometryMalformed(_("Een ring heeft minstens 4 punten (de eerste en laatste gelijk)."))
        # Each list's length is checked before anything of it is walked: 300,000 rings are
        # refused by one comparison, not after pushing them all.
        if polygonal and level == 2:  # the rings of one polygon
            counts.rings += len(value)
            if counts.rings > limits.rings:
                raise GeometryTooLarge(_("De geometrie heeft meer dan %(limit)d ringen.") % {"limit": limits.rings})
        if multi and level == depth:  # the list of parts
            counts.parts += len(value)
            if counts.parts > limits.parts:
                raise GeometryTooLarge(_("De geometrie heeft meer dan %(limit)d delen.") % {"limit": limits.parts})
        if level == 1 and counts.vertices + len(value) > limits.vertices:
            raise GeometryTooLarge(_("De geometrie heeft meer dan %(limit)d hoekpunten.") % {"limit": limits.vertices})
        stack.extend((item, level - 1) for item in reversed(value))
    return counts
