"""The first import of a source: features go straight into the locations table.

A source without locations has nothing to compare with, so its features need no staging table
and no merge. Each batch is prepared here, in the importing process, while PostgreSQL ingests
the previous one: ids checked (missing, seen before), geometries validated and repaired with
GEOS (shapely), made MultiPolygons, hashed, and sorted along a space-filling curve (the GiST
index takes neighbours much faster than random order). The batches are written one after another
into a single binary COPY into `locations_location` (importers/sync/first_load.py), where the CHECK
constraint proves validity once more.

Only "plain" features take this way: 2D polygons in the storage SRID, which is nearly every
municipal dataset. Anything else (curves, Z, another CRS, WKB GEOS cannot read) is handed back
for the staging table and the SQL merge (importers/sql.py), which owns those conversions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import ngettext

from importers import copy_binary
from importers.gdal import pyarrow
from importers.idset import IdSet, as_keys, first_occurrences
from importers.readers.base import Batch
from importers.sql import MAX_ID_LENGTH

LOCATION_COLUMNS = (
    "owner_id", "source_id", "external_id", "name", "type", "geometry", "attributes", "source_hash", "status",
)  # fmt: skip
COPY_LOCATIONS = f"COPY locations_location ({', '.join(LOCATION_COLUMNS)}) FROM STDIN (FORMAT binary)"  # noqa: S608  # fixed names

# shapely's type ids
POLYGON, MULTIPOLYGON, GEOMETRYCOLLECTION = 3, 6, 7
# WKB geometry types of 2D polygons: any Z, M, SRID flag or curve type makes another number.
WKB_POLYGON, WKB_MULTIPOLYGON = 3, 6


@dataclass
class Issue:
    """A repaired or rejected feature, as the run's report lists it."""

    feature_index: int
    external_id: str
    kind: str  # "repaired" or "rejected"
    code: str
    detail: str = ""


@dataclass
class PreparedBatch:
    payload: bytes  # rows of binary COPY data for COPY_LOCATIONS, without header and trailer
    rows: int
    rest: Any  # Arrow table of the features the SQL merge must convert, or None
    issues: list[Issue] = field(default_factory=list)
    read: int = 0


@dataclass(frozen=True)
class Target:
    """Where and how the prepared features go."""

    owner_id: int
    source_id: int
    status: str
    salt: str  # the merge's salt: hashes must equal those the SQL merge computes (importers/sql.py)
    srid: int  # of the source
    storage_srid: int


def prepare(batch: Batch, *, target: Target, seen_ids: IdSet) -> PreparedBatch:
    """The batch's plain features as binary COPY data; the others back as an Arrow table.

    `seen_ids` holds the external ids of earlier batches: an id seen twice keeps its first feature.
    """
    import shapely

    pa = pyarrow()
    table = batch.table
    numbers = table.column("n").to_numpy()
    ext_ids = table.column("ext_id").to_pylist()
    issues: list[Issue] = []

    usable = usable_ids(numbers, ext_ids, seen_ids=seen_ids, issues=issues)
    wkb = table.column("wkb").combine_chunks()
    wkb_types = _wkb_types(wkb)
    plain = usable & ((wkb_types == WKB_POLYGON) | (wkb_types == WKB_MULTIPOLYGON))
    if target.srid != target.storage_srid:
        plain[:] = False
    geometries = np.full(len(numbers), None, dtype=object)
    plain_wkb = wkb.filter(pa.array(plain)).to_numpy(zero_copy_only=False)
    geometries[plain] = shapely.from_wkb(plain_wkb, on_invalid="ignore")
    plain &= ~shapely.is_missing(geometries)
    # Missing geometry, curves, Z, other CRSs: the SQL merge converts them or says why not.
    rest = usable & ~plain
    rest_table = table.filter(pa.array(rest)) if rest.any() else None

    index = np.flatnonzero(plain)
    empty = shapely.is_empty(geometries[index])
    issues += [Issue(int(numbers[i]), ext_ids[i][:MAX_ID_LENGTH], "rejected", "empty") for i in index[empty]]
    index = index[~empty]
    shapes = geometries[index]
    # The source's own WKB is stored for valid features (a polygon wrapped as a MultiPolygon);
    # repaired ones are written by GEOS.
    repaired: dict[int, bytes] = {}
    valid = shapely.is_valid(shapes)
    for position in np.flatnonzero(~valid):
        i = int(index[position])
        fixed = _repaired(shapes[position])
        if fixed is None:
            issues.append(Issue(int(numbers[i]), ext_ids[i][:MAX_ID_LENGTH], "rejected", "unrepairable"))
        else:
            reason = str(shapely.is_valid_reason(shapes[position]))
            issues.append(Issue(int(numbers[i]), ext_ids[i][:MAX_ID_LENGTH], "repaired", "made_valid", reason))
            repaired[i] = shapely.to_wkb(fixed, output_dimension=2)
    if not valid.all():
        keep = valid | np.isin(index, np.fromiter(repaired, dtype=np.int64, count=len(repaired)))
        index, shapes = index[keep], shapes[keep]
    index = index[_along_curve(shapes)]

    rows = len(index)
    payload = b""
    if rows:
        selected = table.take(pa.array(index, pa.int64()))
        stored = _stored_wkb(selected.column("wkb"), single_polygon=wkb_types[index] == WKB_POLYGON,
                             replacements=[repaired.get(int(i)) for i in index])  # fmt: skip
        payload = _copy_payload(selected, stored, target)
    return PreparedBatch(payload=payload, rows=rows, rest=rest_table, issues=issues, read=len(numbers))


def usable_ids(numbers: Any, ext_ids: list[str | None], *, seen_ids: IdSet, issues: list[Issue]) -> Any:
    """Which features have a usable external id: missing ones (`no_id`), longer ones than a location
    keeps (`id_too_long`) and ids seen before (`duplicate_id`: the first feature with an id wins, in
    this batch or in `seen_ids`) are added to `issues`, in feature order; the usable ids are added to
    `seen_ids`. Column-wise: a Python set of the ids made memory grow ~110 bytes per feature."""
    usable, codes, keys, candidates = id_codes(ext_ids)
    repeated = ~first_occurrences(keys) | seen_ids.contains(keys)
    seen_ids.add(keys[~repeated])
    usable[candidates[~repeated]] = True
    codes[candidates[repeated]] = "duplicate_id"
    id_issues(numbers, ext_ids, codes, ~usable, issues)
    return usable


def id_codes(ext_ids: list[str | None]) -> tuple[Any, Any, Any, Any]:
    """All-False usable flags, the reject code of each feature so far (no_id, id_too_long), the
    byte-string keys of the others and their positions."""
    n = len(ext_ids)
    lengths = np.fromiter((len(e) if e else 0 for e in ext_ids), dtype=np.int64, count=n)
    codes = np.full(n, None, dtype=object)
    codes[lengths == 0] = "no_id"
    codes[lengths > MAX_ID_LENGTH] = "id_too_long"
    candidates = np.flatnonzero((lengths > 0) & (lengths <= MAX_ID_LENGTH))
    keys = as_keys([ext_ids[i] for i in candidates])
    return np.zeros(n, dtype=bool), codes, keys, candidates


def id_too_long_detail(length: int) -> str:
    """The detail of the issue of an id of `length` characters, more than a location keeps."""
    return ngettext(
        "%(count)d teken; een extern id heeft er hoogstens %(max)d",
        "%(count)d tekens; een extern id heeft er hoogstens %(max)d",
        length,
    ) % {"count": length, "max": MAX_ID_LENGTH}


def id_issues(numbers: Any, ext_ids: list[str | None], codes: Any, rejected: Any, issues: list[Issue]) -> None:
    """The issues of the features with a reject code among `rejected`, in feature order."""
    for i in np.flatnonzero(rejected):
        code, ext_id = codes[i], ext_ids[i] or ""
        if code is None:
            continue
        detail = id_too_long_detail(len(ext_id)) if code == "id_too_long" else ""
        issues.append(Issue(int(numbers[i]), ext_id[:MAX_ID_LENGTH], "rejected", code, detail))


def _hashed_values(table: Any, *, salt: str) -> list[bytes]:
    """What each feature's hash is taken over, as sql.CREATE_WORK does it: the source WKB and the
    concat_ws of salt, name, type and attributes."""
    import pyarrow.compute as pc

    pa = pyarrow()
    hashed = pc.binary_join_element_wise(
        pc.fill_null(pc.cast(table.column("wkb"), pa.binary()), b""),
        # concat_ws in sql.CREATE_WORK: NULLs (no name, no type) are left out with their separator.
        pc.cast(pc.binary_join_element_wise(salt, table.column("name"), table.column("type"), table.column("attrs"),
                                            "\x1f", null_handling="skip"), pa.binary()),
        b"",
    )  # fmt: skip
    return hashed.to_pylist()


def feature_hashes(table: Any, *, salt: str) -> list[str]:
    """The hash of each feature (a batch table's rows) as sql.CREATE_WORK computes it: md5, in hex."""
    md5 = hashlib.md5
    return [md5(value, usedforsecurity=False).hexdigest() for value in _hashed_values(table, salt=salt)]


def feature_digests(table: Any, *, salt: str) -> Any:
    """The same hashes as 16-byte digests (a numpy array), to compare with merge.Known's."""
    md5 = hashlib.md5
    digests = b"".join(md5(value, usedforsecurity=False).digest() for value in _hashed_values(table, salt=salt))
    return np.frombuffer(digests, dtype="S16")


# A Polygon's WKB inside a MultiPolygon of one: byte order, type 6, one part. WKB lets every
# part carry its own byte order, so this prefix suits any source byte order.
_MULTI_OF_ONE = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00"


def _stored_wkb(source_wkb: Any, *, single_polygon: Any, replacements: list[bytes | None]) -> Any:
    """The WKB each location stores: GEOS's repair where there is one (a MultiPolygon: _repaired),
    else the source's own bytes, a single Polygon wrapped as a MultiPolygon of one."""
    import pyarrow.compute as pc

    pa = pyarrow()
    wkb = pc.cast(source_wkb, pa.binary())
    wrapped = pc.if_else(pa.array(single_polygon), pc.binary_join_element_wise(_MULTI_OF_ONE, wkb, b""), wkb)
    return pc.coalesce(pa.array(replacements, pa.binary()), wrapped)


def _copy_payload(rows: Any, wkb: Any, target: Target) -> bytes:
    """The rows, with the WKB to store, as binary COPY rows for COPY_LOCATIONS (importers/copy_binary.py):
    the caller writes the header once before all batches and the trailer after them."""
    import pyarrow.compute as pc

    pa = pyarrow()
    names = pc.utf8_slice_codeunits(pc.fill_null(rows.column("name"), ""), 0, 255)
    types = pc.utf8_slice_codeunits(pc.fill_null(rows.column("type"), ""), 0, 100)
    attrs = rows.column("attrs")
    hashes = pa.array(feature_hashes(rows, salt=target.salt), pa.string())

    fields = [
        copy_binary.int8_field(target.owner_id),
        copy_binary.int8_field(target.source_id),
        *(copy_binary.variable_column(column) for column in (rows.column("ext_id"), names, types, wkb)),
        copy_binary.variable_column(
            pc.binary_join_element_wise(copy_binary.JSONB_VERSION, pc.cast(attrs, pa.binary()), b"")
        ),
        copy_binary.variable_column(hashes),
        copy_binary.text_field(target.status),
    ]
    return copy_binary.rows(fields, rows.num_rows)


def _wkb_types(column: Any) -> Any:
    """The geometry type number in each WKB value's header (-1 for null or short values), read
    without parsing: GEOS refuses curve types, which the SQL merge linearises."""
    pa = pyarrow()
    column = column.cast(pa.large_binary()) if pa.types.is_binary(column.type) else column
    validity, offsets_buffer, data_buffer = column.buffers()
    n = len(column)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[column.offset : column.offset + n + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    result = np.full(n, -1, dtype=np.int64)
    long_enough = (offsets[1:] - offsets[:-1]) >= 5
    if validity is not None:
        long_enough &= np.asarray(column.is_valid())
    starts = offsets[:-1][long_enough]
    header = np.stack([data[starts + k] for k in range(5)]).astype(np.int64)
    little = header[1] | header[2] << 8 | header[3] << 16 | header[4] << 24
    big = header[4] | header[3] << 8 | header[2] << 16 | header[1] << 24
    result[long_enough] = np.where(header[0] == 1, little, big)
    return result


def _repaired(geometry: Any) -> Any | None:
    """The polygonal part of GEOS's repair as a MultiPolygon, as sql.CREATE_WORK does it with
    ST_MakeValid, ST_CollectionExtract(…, 3) and ST_Multi; None when nothing valid is left."""
    import shapely

    fixed = shapely.make_valid(geometry)
    kind = shapely.get_type_id(fixed)
    parts = shapely.get_parts(fixed)  # a Polygon is its own one part; a MultiPolygon's are polygons
    if kind == GEOMETRYCOLLECTION:
        polygons = [p for p in parts if shapely.get_type_id(p) in (POLYGON, MULTIPOLYGON)]
        parts = shapely.get_parts(np.array(polygons, dtype=object))
    elif kind not in (POLYGON, MULTIPOLYGON):
        return None
    if len(parts) == 0:
        return None
    fixed = shapely.multipolygons(parts)
    if shapely.is_empty(fixed) or not shapely.is_valid(fixed):
        return None
    return fixed


def _along_curve(shapes: Any) -> Any:
    """Positions of `shapes` ordered along a Z-order curve over their bounding-box centres."""
    import shapely

    if len(shapes) < 2:
        return np.arange(len(shapes))
    bounds = shapely.bounds(shapes)
    centres = [(bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2]
    cells = []
    for values in centres:
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) / ((high - low) or 1.0) * 0xFFFF
        cells.append(_spread_bits(scaled.astype(np.uint64)))
    return np.argsort(cells[0] | (cells[1] << np.uint64(1)), kind="stable")


def _spread_bits(values: Any) -> Any:
    """16-bit integers with a zero bit inserted after every bit (for interleaving x and y)."""
    values = values & np.uint64(0xFFFF)
    for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
        values = (values | (values << np.uint64(shift))) & np.uint64(mask)
    return values
