"""The feed's SQL: GeoJSON built inside PostGIS, pages cut by key, counts, single items.

Every statement is composed from small functions with quoted identifiers (from the
collection declarations) and bound values (`%s`, in `params`), never formatted user input.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyproj
from django.db import connection, transaction
from psycopg import sql

from gis_service.geo.crs import Crs
from ogc.collections import Collection, Field


@dataclass
class Where:
    """Conditions ANDed together, with their bound values in order."""

    parts: list[sql.Composable] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    needs_joins: bool = False  # a condition reads a joined table

    def add(self, condition: sql.Composable, params: list[Any] | tuple[Any, ...] = (), *, joined: bool = False) -> None:
        self.parts.append(condition)
        self.params.extend(params)
        self.needs_joins = self.needs_joins or joined

    def count_from(self, collection: Collection) -> sql.Composable:
        """Counts skip the joins when they can: PostgreSQL then counts from the partial index alone."""
        return collection.from_clause if self.needs_joins else collection.table

    def sql(self, collection: Collection) -> sql.Composable:
        return sql.SQL(" AND ").join([sql.SQL("({})").format(collection.public_rows), *self.parts])


@dataclass(frozen=True)
class SortKey:
    field: Field
    descending: bool


@dataclass
class Page:
    features: str  # Feature objects as JSON text, comma-separated (the inside of an array)
    returned: int
    has_more: bool
    last_sort_values: list[Any] | None  # sort values and key of the last feature: the next page starts after them
    matched: int | None
    first_sort_values: list[Any] | None = None  # ... and of the first: the previous page ends before them


def geometry_json(collection: Collection, crs: Crs, column: sql.Composable) -> sql.Composable:
    """GeoJSON text of the geometry in `crs`, in the axis order the CRS's authority defines."""
    geometry: sql.Composable = column
    if crs.srid != _storage_srid(collection):
        geometry = sql.SQL("ST_Transform({}, {})").format(geometry, sql.Literal(crs.srid))
    if crs.northing_first:
        geometry = sql.SQL("ST_FlipCoordinates({})").format(geometry)
    # options 0: no legacy per-geometry "crs" member (PostGIS adds one for SRIDs other than 4326 by
    # default; RFC 7946 has none, and Part 2 states the CRS in the Content-Crs header).
    return sql.SQL("ST_AsGeoJSON({}, {}, 0)").format(geometry, sql.Literal(crs.decimals))


def _storage_srid(collection: Collection) -> int:
    from gis_service.geo.crs import storage

    return storage().srid


def feature_json(
    collection: Collection,
    *,
    key: sql.Composable,
    geometry: sql.Composable | None,
    properties: list[tuple[str, sql.Composable]],
) -> sql.Composable:
    """A Feature as JSON text, concatenated so the geometry's GeoJSON is never parsed again."""
    if properties:
        # Concatenated rather than json_build_object: ~20% less work per row, and no spaces.
        pairs = [
            sql.SQL("{} || coalesce(to_json({})::text, 'null')").format(
                sql.Literal(("{" if i == 0 else ",") + json.dumps(name) + ":"), value
            )
            for i, (name, value) in enumerate(properties)
        ]
        props: sql.Composable = sql.SQL("({} || '}}')").format(sql.SQL(" || ").join(pairs))
    else:
        props = sql.SQL("'{}'")
    geometry_text: sql.Composable = sql.SQL("'null'")
    if geometry is not None:
        geometry_text = sql.SQL("coalesce({}, 'null')").format(geometry)
    return sql.SQL(
        """'{{"type":"Feature","id":' || {} || ',"geometry":' || {} || ',"properties":' || {} || '}}'"""
    ).format(key, geometry_text, props)


def keyset_condition(order: list[tuple[sql.Composable, str, bool]], *, before: bool = False) -> sql.Composable:
    """Rows strictly after a key in `order` ((expression, SQL type, descending) per column), or
    strictly before it; the key's values are bound as keyset_params gives them.

    Spelled out as (a > x) OR (a = x AND b > y) ..., since the directions may differ per column.
    """
    alternatives: list[sql.Composable] = []
    for i, (expression, sql_type, descending) in enumerate(order):
        terms: list[sql.Composable] = []
        for prior, prior_type, _ in order[:i]:
            terms.append(sql.SQL("{} = CAST(%s AS {})").format(prior, sql.SQL(prior_type)))
        terms.append(
            sql.SQL("{} {} CAST(%s AS {})").format(
                expression, sql.SQL("<" if descending != before else ">"), sql.SQL(sql_type)
            )
        )
        alternatives.append(sql.SQL("({})").format(sql.SQL(" AND ").join(terms)))
    return sql.SQL("({})").format(sql.SQL(" OR ").join(alternatives))


def keyset_params(after: list[Any]) -> list[Any]:
    """The values keyset_condition's placeholders take: the first value, then the first two, …"""
    return [value for i in range(len(after)) for value in after[: i + 1]]


def page_query(
    collection: Collection,
    *,
    where: Where,
    sort: list[SortKey],
    after: list[Any] | None,
    limit: int,
    offset: int,
    crs: Crs,
    properties: list[Field],
    skip_geometry: bool,
    count: bool,
    before: list[Any] | None = None,
    count_at_most: int | None = None,
) -> tuple[sql.Composable | str, list[Any]]:
    """One statement: the page's features as JSON text, whether more follow, the first and last keys, the count.

    A filtered count stops after `count_at_most` + 1 rows when given, and is NULL past `count_at_most`
    (unknown, never a wrong number): an exact count reads every match, 2,000,000 index entries for one
    type at 10,000,000 locations.

    `after` starts the page after a key (a next link), `before` ends it before one (a prev link:
    the rows are read backwards from the key, as cheap as forwards, and put back in order).
    Composing the statement costs ~2 ms of Python; without conditions (the map, a QGIS layer
    loading everything) its text depends only on the shape of the request, so it is kept.
    """
    if after is not None and before is not None:
        raise ValueError("a page starts after a key or ends before one, not both")
    seek = "after" if after is not None else "before" if before is not None else None
    seek_params = keyset_params(after or before or [])
    # Backwards, exactly `limit` rows are read: the page after them (the one the link came from) exists.
    fetch = limit if before is not None else limit + 1
    # The last feature is the `limit`-th forwards; backwards it is the first read (_r = 1).
    last_at = 1 if before is not None else limit
    capped = count and bool(where.parts) and count_at_most is not None
    count_params = [*where.params, *([count_at_most, count_at_most] if capped else [])]
    params = [*where.params, *seek_params, fetch, offset, limit, last_at, *(count_params if count else [])]
    key = None
    if not where.parts:
        shape = (tuple(f.name for f in properties), tuple((s.field.name, s.descending) for s in sort))
        key = (collection.id, crs.uri, shape, skip_geometry, count, seek)
        if key in _page_texts:
            return _page_texts[key], params
    query = _page_sql(collection, where=where, sort=sort, seek=seek, crs=crs, properties=properties,
                      skip_geometry=skip_geometry, count=count, capped=capped)  # fmt: skip
    if key is not None and len(_page_texts) < PAGE_TEXTS_KEPT:
        _page_texts[key] = query.as_string()
    return query, params


# The shapes clients actually use are few; the bound keeps property orders and sortby
# combinations a client makes up from growing each process's memory without end.
PAGE_TEXTS_KEPT = 256
_page_texts: dict[tuple[Any, ...], str] = {}


def _page_sql(
    collection: Collection,
    *,
    where: Where,
    sort: list[SortKey],
    seek: str | None,
    crs: Crs,
    properties: list[Field],
    skip_geometry: bool,
    count: bool,
    capped: bool = False,
) -> sql.Composable:
    """The statement's text; page_query binds the values (the text depends on none of them)."""
    order = [(s.field.expression, s.field.sql_type, s.descending) for s in sort]
    order.append((collection.key, "bigint", False))
    page_where = Where(list(where.parts), needs_joins=where.needs_joins)
    if seek is not None:
        page_where.add(keyset_condition(order, before=seek == "before"))

    sort_columns = [sql.SQL("{} AS {}").format(expr, sql.Identifier(f"_s{i}")) for i, (expr, _, _) in enumerate(order)]
    value_columns = [
        sql.SQL("{} AS {}").format(f.expression, sql.Identifier(f"_p{i}")) for i, f in enumerate(properties)
    ]
    select = [*sort_columns, *value_columns]
    if not skip_geometry:
        select.append(sql.SQL("{} AS _g").format(collection.geometry))
    backwards = seek == "before"
    order_sql = sql.SQL(", ").join(
        sql.SQL("{} {}").format(expr, sql.SQL("DESC" if desc != backwards else "ASC")) for expr, _, desc in order
    )
    page_order, reverse_page_order = (
        sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(f"_s{i}"), sql.SQL("DESC" if desc != reverse else "ASC"))
            for i, (_, _, desc) in enumerate(order)
        )
        for reverse in (False, True)
    )
    key_column = sql.Identifier(f"_s{len(order) - 1}")
    feature = feature_json(
        collection,
        key=key_column,
        geometry=None if skip_geometry else geometry_json(collection, crs, sql.Identifier("_g")),
        properties=[(f.name, sql.Identifier(f"_p{i}")) for i, f in enumerate(properties)],
    )
    last_key = sql.SQL("json_build_array({})::text").format(
        sql.SQL(", ").join(sql.Identifier(f"_s{i}") for i in range(len(order)))
    )
    count_sql: sql.Composable = sql.SQL("NULL::bigint")
    if count and not where.parts and collection.counter is not None:
        # O(1) instead of ~5 ms for 100k rows; as exact, in the same snapshot (ogc/migrations/0002).
        count_sql = sql.SQL("(SELECT sum(n)::bigint FROM {})").format(collection.counter)
    elif count and capped:
        # One row over the bound tells "more"; HAVING then leaves no row, so the count is NULL.
        count_sql = sql.SQL(
            "(SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT %s + 1) AS counted HAVING count(*) <= %s)"
        ).format(where.count_from(collection), where.sql(collection))
    elif count:
        count_sql = sql.SQL("(SELECT count(*) FROM {} WHERE {})").format(
            where.count_from(collection), where.sql(collection)
        )
    where_sql = page_where.sql(collection)
    if (
        collection.page_joins is not None
        and collection.alias is not None
        and not page_where.needs_joins
        and not any(s.field.joined for s in sort)
    ):
        # The rows of the page first, by the main table alone, then their joins: at most `limit` + 1
        # rows look up their joined rows (numbered orders them again); the bound values stay in order.
        alias = sql.Identifier(collection.alias)
        page = sql.SQL("SELECT {} FROM (SELECT {}.* FROM {} WHERE {} ORDER BY {} LIMIT %s OFFSET %s) AS {} {}").format(
            sql.SQL(", ").join(select), alias, collection.table, where_sql, order_sql, alias, collection.page_joins
        )
    else:
        page = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT %s OFFSET %s").format(
            sql.SQL(", ").join(select), collection.from_clause, where_sql, order_sql
        )
    return sql.SQL(
        """WITH page AS (
            {page}
        ), numbered AS (
            SELECT page.*, row_number() OVER (ORDER BY {page_order}) AS _n{reverse_number} FROM page
        )
        SELECT
            coalesce(string_agg({feature}, ',' ORDER BY _n) FILTER (WHERE _n <= %s), ''),
            count(*),
            max({last_key}) FILTER (WHERE {last_number} = %s),
            max({last_key}) FILTER (WHERE _n = 1),
            {count}
        FROM numbered"""
    ).format(
        page=page,
        page_order=page_order,
        reverse_number=(
            sql.SQL(", row_number() OVER (ORDER BY {}) AS _r").format(reverse_page_order) if backwards else sql.SQL("")
        ),
        last_number=sql.SQL("_r" if backwards else "_n"),
        feature=feature,
        last_key=last_key,
        count=count_sql,
    )


def seek_query(
    collection: Collection, *, where: Where, sort: list[SortKey], offset: int
) -> tuple[sql.Composable, list[Any]]:
    """The sort values and key of the row just before `offset`, so a bare `offset` (a client that computes
    offsets, an old link) is answered as a keyset page after it.

    Only the key columns are read: PostgreSQL skips the rows in an index-only scan instead of building
    each of them (1.7 s at offset 999,000 of 1,000,000 when they were built; docs/ogc.md).
    """
    if offset < 1:
        raise ValueError("a seek needs an offset of at least 1")
    order = [(s.field.expression, s.descending) for s in sort]
    order.append((collection.key, False))
    joined = where.needs_joins or any(s.field.joined for s in sort)
    # The JSON is built outside the subquery: in it, it would be built for every row the OFFSET skips
    # (1.4 s instead of 0.25 s for 999,000 index entries).
    return sql.SQL(
        "SELECT json_build_array({})::text FROM (SELECT {} FROM {} WHERE {} ORDER BY {} OFFSET %s LIMIT 1) AS seek"
    ).format(
        sql.SQL(", ").join(sql.Identifier(f"_s{i}") for i in range(len(order))),
        sql.SQL(", ").join(sql.SQL("{} AS {}").format(e, sql.Identifier(f"_s{i}")) for i, (e, _) in enumerate(order)),
        collection.from_clause if joined else collection.table,
        where.sql(collection),
        sql.SQL(", ").join(sql.SQL("{} {}").format(e, sql.SQL("DESC" if d else "ASC")) for e, d in order),
    ), [*where.params, offset - 1]


def fetch_seek(query: sql.Composable, params: list[Any]) -> list[Any] | None:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return json.loads(row[0]) if row is not None else None


def fetch_page(query: sql.Composable | str, params: list[Any], limit: int) -> Page:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        features, fetched, last, first, matched = cursor.fetchone()
    has_more = fetched > limit
    return Page(
        features=features,
        returned=min(fetched, limit),
        has_more=has_more,
        last_sort_values=json.loads(last) if last else None,
        matched=matched,
        first_sort_values=json.loads(first) if first else None,
    )


def compact_counter(collection: Collection) -> None:
    """Folds the counter's delta rows into one, so summing them stays cheap; celery beat runs it
    every minute (ogc.tasks.compact_counters), so feed requests never write.

    Rows that writers append meanwhile are not in this statement's snapshot and stay; a second
    compactor would wait for the first and then find its rows gone, so the sum never changes.
    The advisory lock only keeps two runs from doing the same work at once.
    """
    if collection.counter is None:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"ogc-counter-{collection.id}"])
        row = cursor.fetchone()
        if row is not None and row[0]:
            cursor.execute(
                sql.SQL(
                    "WITH d AS (DELETE FROM {0} RETURNING n) INSERT INTO {0} (n) SELECT coalesce(sum(n), 0) FROM d"
                ).format(collection.counter)
            )


_checked: set[tuple[str, str]] = set()


def ensure_statistics(tables: tuple[str, ...]) -> None:
    """VACUUM ANALYZE a table that was bulk-loaded and never vacuumed or analysed since.

    Without statistics PostgreSQL guesses a few hundred rows and sorts the whole table for
    every page instead of walking the id index (180 ms instead of 30 ms on 100k locations),
    and without a visibility map numberMatched cannot be counted from the index alone.
    Autovacuum fixes both within a minute or so; the feed should not be slow until then.
    Checked once per table and database in each process; never inside a transaction
    (VACUUM cannot run there), so test runs inside one skip it.
    """
    if connection.in_atomic_block:
        return
    database = str(connection.settings_dict["NAME"])
    for table in tables:
        if (database, table) in _checked:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT c.reltuples < 0
                        OR (s.last_vacuum IS NULL AND s.last_autovacuum IS NULL AND c.relallvisible < c.relpages / 2)
                   FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
                   WHERE c.oid = to_regclass(%s)""",
                [table],
            )
            row = cursor.fetchone()
            if row is not None and row[0]:
                cursor.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
        _checked.add((database, table))


def item_query(collection: Collection, *, identifier: int, crs: Crs) -> tuple[sql.Composable, list[Any]]:
    """One Feature as JSON text and its last modification, or no row."""
    feature = feature_json(
        collection,
        key=collection.key,
        geometry=geometry_json(collection, crs, collection.geometry),
        properties=[(f.name, f.expression) for f in collection.fields],
    )
    query = sql.SQL("SELECT {}, {} FROM {} WHERE {} AND {} = %s").format(
        feature, collection.updated, collection.from_clause, collection.public_rows, collection.key
    )
    return query, [identifier]


def bbox_condition(
    collection: Collection, bbox: list[float], crs: Crs, storage: Crs
) -> tuple[sql.Composable, list[Any]]:
    """Rows whose geometry meets the box, drawn in `crs` and moved to the storage CRS by PostGIS."""
    envelope, params = bbox_envelope(bbox, crs, storage)
    if envelope is None:
        return sql.SQL("FALSE"), []
    return sql.SQL("ST_Intersects({}, {})").format(collection.geometry, envelope), params


def bbox_envelope(bbox: list[float], crs: Crs, storage: Crs) -> tuple[sql.Composable | None, list[Any]]:
    """A box drawn in `crs` as a polygon in the storage CRS (None: it lies outside where that is defined).

    The box is first cut to where the storage CRS is defined (QGIS sends the whole world in
    CRS84), and its edges are densified, so a box in degrees keeps its shape in metres.
    """
    minx, miny, maxx, maxy = bbox
    if crs.northing_first:
        minx, miny, maxx, maxy = miny, minx, maxy, maxx
    if crs.srid != storage.srid:
        west, south, east, north = area_of_use(crs.srid, storage.srid)
        minx, miny, maxx, maxy = max(minx, west), max(miny, south), min(maxx, east), min(maxy, north)
        if minx > maxx or miny > maxy:
            return None, []
    envelope: sql.Composable = sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, {})").format(sql.Literal(crs.srid))
    if crs.srid != storage.srid:
        step = max(maxx - minx, maxy - miny) / 32 or 1.0
        envelope = sql.SQL("ST_Transform(ST_Segmentize({}, %s), {})").format(envelope, sql.Literal(storage.srid))
        return envelope, [minx, miny, maxx, maxy, step]
    return envelope, [minx, miny, maxx, maxy]


@cache
def area_of_use(srid: int, storage_srid: int) -> tuple[float, float, float, float]:
    """Where the storage CRS is defined, as x/y bounds in `srid` (pyproj's area of use)."""
    storage_crs = pyproj.CRS.from_epsg(storage_srid)
    area = storage_crs.area_of_use
    bounds = (area.west, area.south, area.east, area.north) if area else (-180.0, -90.0, 180.0, 90.0)
    if srid == 4326:
        return bounds
    transformer = pyproj.Transformer.from_crs(4326, srid, always_xy=True)
    return transformer.transform_bounds(*bounds)


def use_site_url(site_url: str | None) -> None:
    """Links in this transaction's answers (a location's `url`) point at the host the request came to.

    Local to the transaction (set_config's third argument), so a pooled connection keeps nothing.
    """
    if not site_url:
        return
    from ogc.collections import SITE_URL_SETTING

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [SITE_URL_SETTING, site_url])


# The extent reads every public geometry (~200 ms for 100k locations): kept as long as a collection
# answer may be (views.DATA_CACHE), so a client reading the collections pays it once a minute at most.
EXTENT_SECONDS = 60


def spatial_extent(collection: Collection) -> list[float] | None:
    """The bounding box of the public features in CRS84 (lon/lat), rounded outwards; None when there are none.

    The box is taken in the storage CRS and its edges densified before they are moved to degrees, so
    the curved edges of the box in degrees still hold every feature.
    """
    from django.core.cache import cache

    key = f"ogc-extent:{connection.settings_dict['NAME']}:{collection.id}"
    kept = cache.get(key)
    if kept is None:
        kept = _measure_extent(collection) or []  # [] for no features: remembered too
        cache.set(key, kept, EXTENT_SECONDS)
    return kept or None


def _measure_extent(collection: Collection) -> list[float] | None:
    query = sql.SQL(
        """WITH box AS (SELECT ST_SetSRID(ST_Extent({geometry})::geometry, {srid}) AS b FROM {table} WHERE {public})
        SELECT ST_XMin(d), ST_YMin(d), ST_XMax(d), ST_YMax(d) FROM (
            SELECT ST_Transform(
                ST_Segmentize(ST_Expand(b, 0.001), greatest(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b), 1) / 32),
                4326) AS d
            FROM box WHERE b IS NOT NULL
        ) AS moved"""
    ).format(
        geometry=collection.geometry,
        srid=sql.Literal(_storage_srid(collection)),
        table=collection.table,
        public=collection.public_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    scale = 10**7  # about a centimetre: outwards, so the box still holds every feature
    west, south, east, north = (float(value) for value in row)
    return [
        math.floor(west * scale) / scale,
        math.floor(south * scale) / scale,
        math.ceil(east * scale) / scale,
        math.ceil(north * scale) / scale,
    ]


def download_query(
    collection: Collection,
    *,
    where: Where,
    sort: list[SortKey],
    limit: int | None,
    crs: Crs,
    properties: list[Field],
    geometry: str,
) -> tuple[sql.Composable, list[Any]]:
    """Every matching row for a download, in the requested order and then by key.

    `geometry` says what a row is: `feature` one Feature as JSON text (as pages have them); `wkb`
    or `wkt` the key, the geometry and the property values. Files keep x as easting or longitude
    in every CRS, as GDAL writes them; only GeoJSON follows the CRS's own axis order, like pages.
    """
    order = [
        *(sql.SQL("{} {}").format(s.field.expression, sql.SQL("DESC" if s.descending else "ASC")) for s in sort),
        collection.key,
    ]
    if geometry == "feature":
        select = feature_json(
            collection,
            key=collection.key,
            geometry=geometry_json(collection, crs, collection.geometry),
            properties=[(f.name, f.expression) for f in properties],
        )
    else:
        column: sql.Composable = collection.geometry
        if crs.srid != _storage_srid(collection):
            column = sql.SQL("ST_Transform({}, {})").format(column, sql.Literal(crs.srid))
        if geometry == "wkb":
            shape: sql.Composable = sql.SQL("ST_AsBinary({})").format(column)
        else:  # as many decimals as pages: the millimetre in metres, ~0.1 mm in degrees
            shape = sql.SQL("ST_AsText({}, {})").format(column, sql.Literal(crs.decimals))
        values: list[sql.Composable] = [collection.key, shape]
        for f in properties:
            # numeric as a float: a number in files, not a decimal string
            values.append(sql.SQL("({})::float8").format(f.expression) if f.sql_type == "numeric" else f.expression)
        select = sql.SQL(", ").join(values)
    query = sql.SQL("SELECT {select} FROM {from_} WHERE {where} ORDER BY {order}{limit}").format(
        select=select,
        from_=collection.from_clause,
        where=where.sql(collection),
        order=sql.SQL(", ").join(order),
        limit=sql.SQL(" LIMIT %s") if limit is not None else sql.SQL(""),
    )
    return query, [*where.params, *([limit] if limit is not None else [])]
