"""The coordinate reference systems the platform reads and writes, one registry for the overlap
check, the feed and the importers: each by its OGC URI (and the names clients also use), with the
SRID PostGIS knows it by, its axis order and the precision coordinates are written with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"


@dataclass(frozen=True)
class Crs:
    """A CRS by its OGC URI, with the SRID PostGIS knows it by.

    `northing_first` is the authority's axis order: EPSG:4326 is latitude first, while
    PostGIS always keeps x = longitude, so its coordinates are flipped on the way out and in.
    """

    uri: str
    srid: int
    northing_first: bool
    decimals: int  # a tenth of a millimetre on the ground, so a round trip through degrees keeps the mm

    def point(self, x: float, y: float) -> dict[str, Any]:
        """A GeoJSON point at PostGIS's (x, y), in this CRS's axis order."""
        return {"type": "Point", "coordinates": [y, x] if self.northing_first else [x, y]}


def storage_uri() -> str:
    return EPSG.format(settings.STORAGE_SRID)


@cache
def supported() -> dict[str, Crs]:
    """Every CRS a client may ask for, by URI; CRS84 (the default) first."""
    crss = [
        Crs(CRS84, 4326, northing_first=False, decimals=9),
        Crs(EPSG.format(4326), 4326, northing_first=True, decimals=9),
        Crs(EPSG.format(3857), 3857, northing_first=False, decimals=3),
        Crs(EPSG.format(28992), 28992, northing_first=False, decimals=3),
    ]
    if settings.STORAGE_SRID not in {c.srid for c in crss}:
        crss.append(Crs(storage_uri(), settings.STORAGE_SRID, northing_first=False, decimals=3))
    return {c.uri: c for c in crss}


@cache
def _aliases() -> dict[str, str]:
    """Other names of the supported CRSs that clients send: OGC URNs and EPSG:n."""
    aliases = {"urn:ogc:def:crs:OGC:1.3:CRS84": CRS84, "OGC:CRS84": CRS84, "CRS84": CRS84}
    for uri, crs in supported().items():
        if uri != CRS84:
            aliases[f"urn:ogc:def:crs:EPSG::{crs.srid}"] = uri
            aliases[f"EPSG:{crs.srid}"] = uri
    return aliases


def by_uri(uri: str | None, default: str = CRS84) -> Crs | None:
    """The CRS for a URI (or another name of it), or None when we do not serve it."""
    name = uri or default
    return supported().get(_aliases().get(name, name))


def storage() -> Crs:
    return supported()[storage_uri()]


def srid_from_urn(urn: str) -> int | None:
    """The EPSG code in a URN such as urn:ogc:def:crs:EPSG::28992 (how pygeofilter names CRSs)."""
    authority, _, code = urn.rpartition(":")
    if "EPSG" in authority.upper() and code.isdigit():
        return int(code)
    if urn.upper().endswith("CRS84"):
        return 4326
    return None
