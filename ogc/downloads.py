"""Downloads of a collection as a file: CSV, GeoJSON, GeoPackage and FlatGeobuf, also filtered.

`/ogc/collections/{id}/items?f=gpkg` (or `Accept: application/geopackage+sqlite3`) answers every
matching feature in one file instead of a page. The rows, and the conditions that select them,
are the feed's (`ogc.collections`, `ogc.providers.build_where`): a download publishes nothing a
page does not. The rows are read from a server-side cursor in batches and written to a file in
a temporary folder, which is then streamed: Python holds one batch at a time, whatever the
size of the collection, and a query PostgreSQL rejects is still a 400 (the status is decided
before the first byte is sent).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.db import DatabaseError, connection
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gis_service.core.csv import SafeWriter
from gis_service.geo import crs
from ogc.collections import Collection, Field
from ogc.errors import ProviderBadRequestError, unknown_property, unsupported_crs
from ogc.providers import build_where, run_query
from ogc.sql import SortKey, download_query

StrOrPromise = str | Promise

# Rows fetched from the server-side cursor at a time: ~5 MB of 100k-location rows in Python.
BATCH_ROWS = 5000


@dataclass(frozen=True)
class Format:
    name: str  # the value of `f`
    media_type: str
    extension: str
    title: StrOrPromise  # the link's title on the collection's page
    driver: str | None = None  # GDAL's, for the formats GDAL writes


FORMATS = {
    f.name: f
    for f in (
        Format("csv", "text/csv; charset=utf-8", "csv", _("Download als CSV (id, WKT-geometrie, eigenschappen)")),
        Format("geojson", "application/geo+json", "geojson", _("Download als GeoJSON")),
        Format("gpkg", "application/geopackage+sqlite3", "gpkg", _("Download als GeoPackage"), "GPKG"),
        Format("fgb", "application/flatgeobuf", "fgb", _("Download als FlatGeobuf"), "FlatGeobuf"),
    )
}

# Paging belongs to pages: a download is every matching feature (or the first `limit`).
PAGE_ONLY_PARAMETERS = ("offset", "cursor", "resulttype", "skipGeometry")

_ARROW_TYPES = {"text": "string", "numeric": "float64", "bigint": "int64", "date": "date32", "timestamptz": "timestamp"}


@dataclass
class Download:
    file: IO[bytes]  # open, already unlinked: closing it frees the disk space
    size: int
    format: Format
    filename: str
    crs_uri: str


def create(
    collection: Collection,
    *,
    format_name: str,
    params: dict[str, str],
    filter_body: str | None = None,
    site_url: str | None = None,
) -> Download:
    """The file of `collection`'s features that the request's parameters select.

    Raises ProviderBadRequestError (400) for what cannot be answered: paging parameters, an
    unknown property, a malformed filter or a value PostgreSQL rejects.
    """
    chosen = FORMATS[format_name]
    refused = [name for name in PAGE_ONLY_PARAMETERS if name in params]
    if refused:
        raise ProviderBadRequestError(
            user_msg=gettext(
                "%(names)s: niet voor een download, die alle gevonden objecten bevat (beperk het aantal met limit)."
            )
            % {"names": ", ".join(refused)}
        )
    output = crs.by_uri(params.get("crs"))
    if output is None:
        raise ProviderBadRequestError(user_msg=unsupported_crs("crs", params.get("crs")))
    storage = crs.storage()
    properties = [(name, value) for name, value in params.items() if collection.field(name) is not None]
    where = build_where(collection, params, properties, filter_body, storage)
    fields = _selected(collection, params.get("properties"))
    sort = _sort(collection, params.get("sortby"))
    limit = _limit(params.get("limit"))
    shape = {"csv": "wkt", "geojson": "feature"}.get(chosen.name, "wkb")
    query, values = download_query(
        collection, where=where, sort=sort, limit=limit, crs=output, properties=fields, geometry=shape
    )

    folder = tempfile.TemporaryDirectory(prefix="zelfbeheer-download-")
    try:
        path = Path(folder.name) / f"{collection.id}.{chosen.extension}"

        def write() -> None:
            with connection.chunked_cursor() as cursor:
                cursor.execute(query, values)
                batches = _Batches(cursor)
                try:
                    if chosen.name == "csv":
                        _write_csv(path, batches, fields)
                    elif chosen.name == "geojson":
                        _write_geojson(path, batches)
                    else:
                        _write_ogr(path, batches, collection, fields, output, driver=str(chosen.driver))
                except RuntimeError:
                    # pyogrio reports an error of the rows it was reading as its own: the database's
                    # error is the one that tells whether the client's values were at fault (run_query)
                    if batches.error is not None:
                        raise batches.error from None
                    raise

        run_query(write, site_url=site_url)
        handle = path.open("rb")
        size = os.fstat(handle.fileno()).st_size
    finally:
        folder.cleanup()  # the open handle keeps the file's data until the response closes it
    return Download(handle, size, chosen, f"{collection.id}.{chosen.extension}", output.uri)


class _Batches:
    """The rows of a server-side cursor, a batch at a time; keeps the database's error for the caller."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self.error: DatabaseError | None = None

    def __iter__(self) -> Iterator[Sequence[Sequence[Any]]]:
        try:
            while rows := self._cursor.fetchmany(BATCH_ROWS):
                yield rows
        except DatabaseError as error:
            self.error = error
            raise


def _selected(collection: Collection, names: str | None) -> list[Field]:
    if not names:
        return list(collection.fields)
    selected = []
    for name in names.split(","):
        found = collection.field(name.strip())
        if found is None:
            raise ProviderBadRequestError(user_msg=unknown_property(name.strip(), "properties"))
        selected.append(found)
    return selected


def _sort(collection: Collection, sortby: str | None) -> list[SortKey]:
    keys = []
    for part in (sortby or "").split(","):
        part = part.strip()
        if not part:
            continue
        descending = part.startswith("-")
        found = collection.field(part.lstrip("+-"))
        if found is None:
            raise ProviderBadRequestError(user_msg=unknown_property(part.lstrip("+-"), "sortby"))
        keys.append(SortKey(found, descending))
    return keys


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit < 1:
        raise ProviderBadRequestError(user_msg=gettext("limit moet een geheel getal van 1 of meer zijn."))
    return limit


def _text(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else value


def _write_csv(path: Path, batches: Iterable[Sequence[Sequence[Any]]], fields: list[Field]) -> None:
    """id, the geometry as WKT (in a column GDAL's CSV driver reads as geometry by its name), the properties."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = SafeWriter(out)
        writer.writerow(["id", "wkt", *(f.name for f in fields)])
        for rows in batches:
            for row in rows:
                writer.writerow([_text(value) for value in row])


def _write_geojson(path: Path, batches: Iterable[Sequence[Sequence[Any]]]) -> None:
    """Feature JSON as PostGIS wrote it, one FeatureCollection (no paging links: it is all of them)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[')
        first = True
        for rows in batches:
            for (feature,) in rows:
                out.write(feature if first else "," + feature)
                first = False
        out.write("]}")


def _write_ogr(
    path: Path,
    batches: Iterable[Sequence[Sequence[Any]]],
    collection: Collection,
    fields: list[Field],
    output: crs.Crs,
    driver: str,
) -> None:
    """GeoPackage or FlatGeobuf through pyogrio's Arrow writer: each batch goes to GDAL as it is read."""
    import pyarrow as pa
    import pyogrio

    def arrow_type(f: Field) -> Any:
        name = _ARROW_TYPES.get(f.sql_type, "string")
        return pa.timestamp("us", tz="UTC") if name == "timestamp" else getattr(pa, name)()

    schema = pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            pa.field("geometry", pa.binary()),
            *(pa.field(f.name, arrow_type(f)) for f in fields),
        ]
    )

    def record_batches() -> Iterator[Any]:
        for rows in batches:
            columns = list(zip(*rows, strict=True))
            yield pa.record_batch(
                [pa.array(column, type=schema.field(i).type) for i, column in enumerate(columns)], schema=schema
            )

    reader = pa.RecordBatchReader.from_batches(schema, record_batches())
    # The feature id is the GeoPackage's FID (what QGIS and ogr2ogr -preserve_fid keep); FlatGeobuf has
    # no FID, so there `id` stays an ordinary column. A FlatGeobuf spatial index is built in memory at
    # the end (its peak grew by ~50 MB per 100k locations); without it the file is written as rows come.
    layer_options = {"FID": "id"} if driver == "GPKG" else {"SPATIAL_INDEX": "NO"}
    pyogrio.write_arrow(
        reader,
        str(path),
        layer=collection.id,
        driver=driver,
        geometry_name="geometry",
        geometry_type=collection.geometry_type,
        crs="OGC:CRS84" if output.uri == crs.CRS84 else f"EPSG:{output.srid}",
        layer_options=layer_options,
        # GeoPackage 1.2: GDAL writes 1.4, which GDAL 3.6 and QGIS 3.22 (Debian 12) warn about on every open
        dataset_options={"VERSION": "1.2"} if driver == "GPKG" else None,
    )
