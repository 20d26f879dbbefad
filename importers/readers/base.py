"""What every reader hands to the merge: batches of plain columns, already mapped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from django.utils.translation import gettext as _

from gis_service.geo import crs as geo_crs
from importers.gdal import pyarrow


class ImportFailed(Exception):
    """The source cannot be imported; the message says what went wrong and where.

    The message is written when it is raised, in the active language (docs/importers.md, *The
    language of a run's message*), from Dutch msgids with the English in the catalog.
    """

    def at(self, where: str) -> ImportFailed:
        """The same refusal (of the same class), prefixed with where it happened."""
        return type(self)(_("%(where)s: %(error)s") % {"where": where, "error": self})


@dataclass(frozen=True)
class Mapping:
    """Which source fields become the location's external id, name, type and attributes."""

    id_field: str = ""
    name_field: str = ""
    type_field: str = ""
    keep_fields: Sequence[str] = ()
    where: str = ""


@dataclass
class Batch:
    """Consecutive features of a source as an Arrow table with the staging columns:
    n (feature index), ext_id, name, type, attrs (JSON text), wkb (binary)."""

    start: int  # index of the first feature in the source (0-based)
    table: Any

    def __len__(self) -> int:
        return int(self.table.num_rows)


@dataclass
class StreamInfo:
    srid: int
    total: int | None = None  # number of features when the source says so up front
    fields: list[str] = field(default_factory=list)
    # The CRS the source was read in although it names none (a shapefile without .prj, GeoJSON
    # without `crs`), when the source's CRS field did not name one either: the run says so.
    assumed_crs: str = ""


def crs_option() -> str:
    """Where a GIS admin gives the CRS of a source, in the admin and on the command line."""
    return _("het veld ‘CRS als de bron er geen noemt’ bij de bron (import_locations: --crs)")


def layer_option() -> str:
    """Where a GIS admin chooses the layer of a source, in the admin and on the command line."""
    return _("het veld ‘laag of typename’ bij de bron (import_locations: --layer)")


class FeatureStream(Protocol):
    info: StreamInfo

    def batches(self) -> Iterator[Batch]: ...


# Fields that BGT files carry but that are not attributes of the area: GDAL turns the
# kruinlijn (a line) into a text field holding coordinates when it reads the area geometry.
_NOISE_FIELD = re.compile(r"^kruinlijn", re.IGNORECASE)


def resolve_field(wanted: str, fields: Sequence[str], *, what: str) -> str:
    """The source field meant by `wanted`: exact, then case-insensitive, then the last dotted part
    (`lokaalID` for `identificatie.lokaalID`), then cut at 10 characters (shapefile field names)."""
    if wanted in fields:
        return wanted
    lower = wanted.lower()
    for candidate in (
        [f for f in fields if f.lower() == lower],
        [f for f in fields if f.lower().rsplit(".", 1)[-1] == lower],
        [f for f in fields if len(wanted) > 10 and f.lower() == lower[:10]],
    ):
        if len(candidate) == 1:
            return candidate[0]
    raise ImportFailed(
        _("%(what)s '%(wanted)s' is geen veld van de bron; de velden zijn: %(fields)s")
        % {"what": what, "wanted": wanted, "fields": ", ".join(fields)}
    )


@dataclass(frozen=True)
class ResolvedMapping:
    id_field: str | None
    name_field: str | None
    type_field: str | None
    keep_fields: list[str]

    @classmethod
    def for_fields(cls, mapping: Mapping, fields: Sequence[str]) -> ResolvedMapping:
        fields = list(fields)

        def one(wanted: str, what: str) -> str | None:
            return resolve_field(wanted, fields, what=what) if wanted else None

        keep = (
            [resolve_field(f, fields, what=_("het attribuut")) for f in mapping.keep_fields]
            if mapping.keep_fields
            else [f for f in fields if not _NOISE_FIELD.match(f)]
        )
        return cls(
            id_field=one(mapping.id_field, _("het id-veld")),
            name_field=one(mapping.name_field, _("het naamveld")),
            type_field=one(mapping.type_field, _("het soortveld")),
            keep_fields=keep,
        )


def _json_default(value: object) -> str:
    # Dates, times and decimals from the source are kept as their ISO/text form.
    return str(value)


def _utf8_bytes(column: Any) -> Any:
    """The bytes of a string column's values (32-bit offsets), end to end, without copying (numpy uint8)."""
    _, offsets_buffer, data_buffer = column.buffers()
    if data_buffer is None:
        return np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[column.offset : column.offset + len(column) + 1]
    return np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]


def _json_values(column: Any) -> Any | None:
    """JSON text of every value of an Arrow column (null for nulls), computed column-wise;
    None when a value needs escaping this does not do (control characters)."""
    pa = pyarrow()
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_large_string(kind):
        # A batch's texts fit 32-bit offsets; the joins below take no mix of string widths.
        column, kind = pc.cast(column, pa.string()), pa.string()
    if pa.types.is_string(kind):
        # Looked for in the bytes at once (UTF-8 never uses bytes below 0x80 inside a multi-byte
        # character): a regular expression and two replacements per column took ~0.05 s per
        # 100,000 features, and most columns hold no quote, backslash or control character.
        data = _utf8_bytes(column)
        if bool((data < 0x20).any()):
            return None
        text = column
        if bool(((data == ord("\\")) | (data == ord('"'))).any()):
            text = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
        text = pc.binary_join_element_wise('"', text, '"', "")
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_integer(kind):
        text = pc.cast(column, pa.string())
    elif pa.types.is_floating(kind):
        finite = pc.is_finite(column)
        text = pc.if_else(finite, pc.cast(column, pa.string()), pa.scalar(None, pa.string()))
    elif pa.types.is_date(kind) or pa.types.is_timestamp(kind) or pa.types.is_time(kind):
        text = pc.binary_join_element_wise('"', pc.cast(column, pa.string()), '"', "")
    else:
        return None
    return pc.fill_null(text, "null")


def _attrs_json(record_batch: Any, keep: list[str]) -> Any:
    """One JSON object text per row holding the `keep` fields."""
    pa = pyarrow()
    import pyarrow.compute as pc

    n = record_batch.num_rows
    if not keep:
        return pa.array(["{}"] * n, pa.string())
    # One join of all columns, the keys and punctuation between them as scalars: {"a":1,"b":"x"}
    pieces: list[Any] = []
    for position, name in enumerate(keep):
        values = _json_values(record_batch.column(name))
        if values is None:
            return _attrs_json_slow(record_batch, keep)
        pieces += [("{" if position == 0 else ",") + json.dumps(name, ensure_ascii=False) + ":", values]
    return pc.binary_join_element_wise(*pieces, "}", "")


def _attrs_json_slow(record_batch: Any, keep: list[str]) -> Any:
    pa = pyarrow()
    columns = [record_batch.column(name).to_pylist() for name in keep]
    dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default, separators=(",", ":")).encode
    return pa.array([dumps(dict(zip(keep, values, strict=True))) for values in zip(*columns, strict=True)])


def _binary(column: Any) -> Any:
    pa = pyarrow()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        return column
    return pa.array([None if v is None else bytes(v) for v in column.to_pylist()], pa.binary())


def batch_from_arrow(record_batch: Any, *, start: int, mapping: ResolvedMapping, geometry_column: str) -> Batch:
    """A Batch from one Arrow record batch read by pyogrio."""
    pa = pyarrow()
    import pyarrow.compute as pc

    n = record_batch.num_rows

    def strings(name: str | None) -> Any:
        if name is None:
            return pa.nulls(n, pa.string())
        column = record_batch.column(name)
        if pa.types.is_floating(column.type):
            # 123.0 from a float id column is the id "123"
            whole = pc.equal(column, pc.floor(column))
            if pc.all(pc.or_kleene(whole, pc.is_null(column))).as_py():
                column = pc.cast(column, pa.int64())
        if not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        return column

    ext_ids = strings(mapping.id_field) if mapping.id_field else pc.cast(pa.array(range(start, start + n)), pa.string())
    table = pa.table(
        {
            "n": pa.array(range(start, start + n), pa.int64()),
            "ext_id": ext_ids,
            "name": strings(mapping.name_field),
            "type": strings(mapping.type_field),
            "attrs": _attrs_json(record_batch, mapping.keep_fields),
            "wkb": _binary(record_batch.column(geometry_column)),
        }
    )
    return Batch(start=start, table=table)


_EPSG = re.compile(r"(?:EPSG:|urn:ogc:def:crs:EPSG::|http://www\.opengis\.net/def/crs/EPSG/0/)(\d+)")


def srid_from_crs(crs: str | None, *, fallback: str, where: str) -> int:
    """The EPSG code of a CRS as pyogrio reports it (`EPSG:28992` or WKT), else of `fallback`."""
    text = (crs or fallback).strip()
    known = geo_crs.by_uri(text)  # the platform's own names (URIs, URNs, EPSG:n, CRS84)
    if known is not None:
        return known.srid
    match = _EPSG.fullmatch(text)
    if match:  # an EPSG code the feed does not serve, which pyogrio can still reproject from
        return int(match.group(1))
    try:
        from pyproj import CRS

        code = CRS.from_user_input(text).to_epsg(min_confidence=70)
    except Exception as error:  # pyproj raises its own error types for any unreadable CRS
        raise ImportFailed(
            _("%(where)s: het coördinatenstelsel '%(crs)s' is niet te lezen: %(error)s")
            % {"where": where, "crs": text[:80], "error": error}
        ) from None
    if code is None:
        raise ImportFailed(
            _("%(where)s: het coördinatenstelsel is geen EPSG-stelsel; geef het als EPSG:n in %(option)s")
            % {"where": where, "option": crs_option()}
        )
    return int(code)


@dataclass(frozen=True)
class AreaOfUse:
    """Where coordinates of a CRS make sense, in its own x/y (longitude/latitude for a geographic
    CRS), with a margin: data just over a border is fine, another CRS's numbers are not."""

    name: str
    bounds: tuple[float, float, float, float]

    def outside(self, x: Any, y: Any) -> Any:
        xmin, ymin, xmax, ymax = self.bounds
        return (x < xmin) | (x > xmax) | (y < ymin) | (y > ymax)


@lru_cache(maxsize=32)
def area_of_use(srid: int) -> AreaOfUse | None:
    """The area of use of EPSG:`srid` (None when PROJ knows none)."""
    from pyproj import CRS, Transformer

    crs = CRS.from_epsg(srid)
    area = crs.area_of_use
    if area is None:
        return None
    if crs.is_geographic:
        west, south, east, north = area.bounds
    else:
        to_crs = Transformer.from_crs("OGC:CRS84", crs, always_xy=True)
        west, south, east, north = to_crs.transform_bounds(*area.bounds)
    dx, dy = (east - west) * 0.1, (north - south) * 0.1
    west, south, east, north = west - dx, south - dy, east + dx, north + dy
    if crs.is_geographic:  # there is no longitude beyond ±180 or latitude beyond ±90
        west, south, east, north = max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)
    return AreaOfUse(name=f"EPSG:{srid} ({crs.name})", bounds=(west, south, east, north))


def within_area_of_use(batches: Iterator[Batch], *, srid: int, where: str) -> Iterator[Batch]:
    """The batches; ImportFailed at the first feature with coordinates outside the area of use of
    `srid`, naming the CRS and the coordinate. RD coordinates read as CRS84 (a GeoJSON without
    `crs`) otherwise failed deep in PostGIS with "transform: Invalid coordinate"."""
    import shapely

    area = area_of_use(srid)
    for batch in batches:
        if area is not None and len(batch):
            geometries = shapely.from_wkb(batch.table.column("wkb").to_numpy(zero_copy_only=False), on_invalid="ignore")
            bounds = shapely.bounds(geometries)
            # A box lies within the area when both its corners do. Missing geometries have NaN bounds,
            # which compare as inside: they are rejected as no_geometry later.
            outside = area.outside(bounds[:, 0], bounds[:, 1]) | area.outside(bounds[:, 2], bounds[:, 3])
            if outside.any():
                i = int(np.argmax(outside))
                x, y = (float(v) for v in shapely.get_coordinates(geometries[i])[0])
                west, south, east, north = area.bounds
                raise ImportFailed(
                    _(
                        "%(where)s: object %(n)d heeft coördinaten buiten het gebruiksgebied van %(crs)s, "
                        "bijvoorbeeld (%(x).6g, %(y).6g), terwijl dat stelsel x %(west).6g … %(east).6g, "
                        "y %(south).6g … %(north).6g beslaat: staan ze in een ander stelsel? Geef het stelsel van "
                        "de bron in %(option)s, bijvoorbeeld EPSG:28992 voor RD"
                    )
                    % {
                        "where": where,
                        "option": crs_option(),
                        "n": batch.start + i,
                        "crs": area.name,
                        "x": x,
                        "y": y,
                        "west": west,
                        "east": east,
                        "south": south,
                        "north": north,
                    }  # fmt: skip
                )
        yield batch
