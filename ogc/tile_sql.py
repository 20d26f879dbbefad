"""The tiles' SQL: one statement per tile, a Mapbox Vector Tile made by PostGIS's ST_AsMVT.

Composed like ogc/sql.py from the collection declarations (quoted identifiers) with the tile's
bounds as bound values. Rows are found by the GiST index on the stored geometry, with the tile
moved to the storage CRS; only the rows' shapes (or cell centres) are moved to the tile's CRS.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pyproj
from django.apps import apps
from django.db import connection
from psycopg import sql

from gis_service.geo.crs import storage
from ogc.collections import Collection, Field
from ogc.tiles import (
    BUFFER,
    CELL_SIZES,
    CELL_TABLES,
    CLUSTER_PIXELS,
    EXTENT,
    KIND_CELL_TABLES,
    SEARCH_CANDIDATES,
    TILE_SEARCH,
    TileAddress,
    tile_fields,
)


def _value(f: Field) -> sql.Composable:
    """A property as MVT keeps it: numbers as numbers, dates and the rest as text."""
    if f.sql_type in {"numeric", "double precision", "real"}:
        return sql.SQL("({})::float8").format(f.expression)
    if f.sql_type in {"bigint", "integer"}:
        return sql.SQL("({})::bigint").format(f.expression)
    return sql.SQL("({})::text").format(f.expression)


def _in_storage(envelope: sql.Composable, tile_srid: int, storage_srid: int) -> sql.Composable:
    """A tile-CRS polygon in the storage CRS; edges densified, so a Mercator box keeps its shape in RD."""
    if tile_srid == storage_srid:
        return envelope
    return sql.SQL("ST_Transform(ST_Segmentize({}, %s), {})").format(envelope, sql.Literal(storage_srid))


def tile_query(address: TileAddress) -> tuple[sql.Composable, list[Any]]:
    """The statement that makes the tile at `address`, and its bound values. It returns one bytea."""
    collection = address.collection
    tms = address.matrix_set
    storage_srid = storage().srid
    minx, miny, maxx, maxy = tms.bounds(address.level, address.row, address.col)
    span = maxx - minx
    margin = span * BUFFER / EXTENT
    box = sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, {})").format(sql.Literal(tms.srid))
    tile_params: list[Any] = [minx, miny, maxx, maxy]
    # Rows are looked for in the tile plus its buffer (in the storage CRS)
    area = _in_storage(box, tms.srid, storage_srid)
    area_params: list[Any] = [minx - margin, miny - margin, maxx + margin, maxy + margin]
    if tms.srid != storage_srid:
        area_params.append(span / 16)
    where, where_params = _where(address)
    filtered = [f for f, _ in address.filters] + _searched(address)  # properties the condition reads
    if address.detailed:
        query = _shapes(collection, box, area, tms.srid, storage_srid, where, filtered)
        return query, [*tile_params, *area_params, *where_params]
    core = _in_storage(box, tms.srid, storage_srid)
    core_params: list[Any] = [minx, miny, maxx, maxy] + ([span / 16] if tms.srid != storage_srid else [])
    kept = _kept_cells(address)
    west, south, east, north = _storage_bounds(tms.srid, storage_srid, minx, miny, maxx, maxy)
    sizes = [size for size in CELL_SIZES if size <= (east - west) / (256 // CLUSTER_PIXELS)]
    if kept is not None and sizes:
        size = max(sizes)
        table, join = kept
        query = _counted_cells(collection, table, join, size, box, core, tms.srid, storage_srid, where)
        # The kept cells' index range, a cell wider than the tile on each side (PostGIS's and
        # pyproj's transforms may differ by a hair); which of them lie in the tile, ST_Intersects decides.
        keys = [int(west // size) - 1, int(east // size) + 1, int(south // size) - 1, int(north // size) + 1]
        return query, [*tile_params, *core_params, *keys, *where_params]
    if address.search:
        # The tile's area once more as bound values in the search's condition, so the planner sees
        # how many rows lie under it and chooses between the GiST and the trigram index.
        cell_table = CELL_TABLES.get(collection.id)
        if cell_table is None or not sizes:
            query = _cells(collection, box, core, tms.srid, storage_srid, where, filtered, searched_in=core)
            return query, [*tile_params, *core_params, *core_params, *where_params]
        size = max(sizes)
        keys = [int(west // size) - 1, int(east // size) + 1, int(south // size) - 1, int(north // size) + 1]
        under = _rows_under(sql.Identifier(cell_table), size)
        read, read_params = _where(address, indexed=False)
        query = _cells(
            collection, box, core, tms.srid, storage_srid, where, filtered, searched_in=core, under=(under, read)
        )
        return query, [*tile_params, *core_params, *keys, *core_params, *read_params, *core_params, *where_params]
    query = _cells(collection, box, core, tms.srid, storage_srid, where, filtered)
    return query, [*tile_params, *core_params, *where_params]


def _kept_cells(address: TileAddress) -> tuple[sql.Identifier, sql.Composable] | None:
    """The kept cells that answer the tile's filters, and the join their condition needs; None
    when they cannot (a search, or a collection without kept cells): then the rows are counted.

    Unfiltered and status-filtered tiles read the cells per status (fewer rows); type and owner,
    in any combination with each other and status, the cells per status, type and owner.
    """
    if address.search:
        return None
    names = {f.name for f, _ in address.filters}
    table = CELL_TABLES.get(address.collection.id)
    if table is not None and names <= {"status"}:
        return sql.Identifier(table), sql.SQL("")
    kind = KIND_CELL_TABLES.get(address.collection.id)
    if kind is not None and names <= kind[1]:
        join: sql.Composable = sql.SQL("")
        if "owner" in names:  # the feed's owner is the owner's name: `o.name` as on the locations
            owners = sql.Identifier(apps.get_model(kind[2])._meta.db_table)
            join = sql.SQL("JOIN {} AS o ON o.id = l.owner_id").format(owners)
        return sql.Identifier(kind[0]), join
    return None


def _where(address: TileAddress, *, indexed: bool = True) -> tuple[sql.Composable, list[Any]]:
    """The request's filters and search as a condition (TRUE without any), values bound. Not
    `indexed`, the search is the same test written so the trigram index cannot answer it."""
    conditions: list[sql.Composable] = [sql.SQL("({}) = %s").format(f.expression) for f, _ in address.filters]
    params: list[Any] = [value for _, value in address.filters]
    searched = _searched(address)
    if searched and not indexed:
        # Contains the text, any case: what ILIKE '%text%' tests (PostgreSQL's ILIKE compares lower()),
        # with % and _ as plain text; strpos has no operator class, so only the GiST finds the rows.
        conditions.append(
            sql.SQL("({})").format(
                sql.SQL(" OR ").join(sql.SQL("strpos(lower({}), lower(%s)) > 0").format(f.expression) for f in searched)
            )
        )
        params.extend(address.search for _ in searched)
    elif searched:
        pattern = "%" + address.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            sql.SQL("({})").format(
                sql.SQL(" OR ").join(sql.SQL("({}) ILIKE %s").format(f.expression) for f in searched)
            )
        )
        params.extend(pattern for _ in searched)
    return sql.SQL(" AND ").join([sql.SQL("TRUE"), *conditions]), params


def _searched(address: TileAddress) -> list[Field]:
    """The properties `q` searches in (none without a search)."""
    if not address.search:
        return []
    fields = [address.collection.field(name) for name in TILE_SEARCH.get(address.collection.id, ())]
    return [f for f in fields if f is not None]


def _from(collection: Collection, fields: list[Field]) -> sql.Composable:
    """The main table, with the joins only when a property read needs them."""
    return collection.from_clause if any(f.joined for f in fields) else collection.table


@cache
def _transformer(source: int, target: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _storage_bounds(
    srid: int, storage_srid: int, minx: float, miny: float, maxx: float, maxy: float
) -> tuple[float, float, float, float]:
    """A box of the tile's CRS in the storage CRS (Web Mercator metres are 0.6 m in the Netherlands)."""
    if srid == storage_srid:
        return minx, miny, maxx, maxy
    west, south, east, north = _transformer(srid, storage_srid).transform_bounds(minx, miny, maxx, maxy, densify_pts=5)
    return float(west), float(south), float(east), float(north)


def _counted_cells(
    collection: Collection,
    table: sql.Identifier,
    join: sql.Composable,
    size: int,
    box: sql.Composable,
    core: sql.Composable,
    tile_srid: int,
    storage_srid: int,
    where: sql.Composable,
) -> sql.Composable:
    """As _cells, from the cells of `size` metres the triggers keep instead of the rows.

    A kept cell belongs to the tile holding its centre of mass, so a tile's counts add up to the
    rows under it as exactly as from the rows, and its cost is bounded by the kept cells in its
    area (the Netherlands in 3.2 km cells: at most ~10,000) instead of the locations (millions).
    """
    status = collection.field("status")
    if status is None:
        raise ValueError(f"{collection.id}: counted cells need a status field")
    point: sql.Composable = sql.SQL("ST_SetSRID(ST_MakePoint(l.x, l.y), {})").format(sql.Literal(storage_srid))
    if tile_srid != storage_srid:
        point = sql.SQL("ST_Transform({}, {})").format(point, sql.Literal(tile_srid))
    return sql.SQL(
        """WITH tile AS (
            SELECT {box} AS box, {core} AS core
        ), grid AS (
            SELECT box, core, (ST_XMax(core) - ST_XMin(core)) / {cells} AS cell FROM tile
        ), kept AS (
            SELECT l.sx / l.n AS x, l.sy / l.n AS y, l.n, l.status
            FROM {table} AS l {join} CROSS JOIN grid  -- as l: filters read l.status, l.type as on the locations
            WHERE l.size = {size} AND l.n > 0 AND l.gx BETWEEN %s AND %s AND l.gy BETWEEN %s AND %s
              AND ST_Intersects(ST_SetSRID(ST_MakePoint(l.sx / l.n, l.sy / l.n), {storage}), grid.core)
              AND {where}
        ), per_status AS (
            SELECT floor(x / grid.cell) AS i, floor(y / grid.cell) AS j, status,
                   sum(n) AS n, sum(x * n) AS sx, sum(y * n) AS sy
            FROM kept, grid GROUP BY 1, 2, 3
        ), l AS (
            SELECT sum(n) AS count, (array_agg(status ORDER BY n DESC, status))[1] AS status,
                   sum(sx) / sum(n) AS x, sum(sy) / sum(n) AS y
            FROM per_status GROUP BY i, j
        )
        SELECT ST_AsMVT(t, {layer}, {extent}, 'geom') FROM (
            SELECT l.count::int AS count, {status} AS status,
                   ST_AsMVTGeom({point}, grid.box::box2d, {extent}, {buffer}, true) AS geom
            FROM l, grid
        ) AS t WHERE geom IS NOT NULL"""
    ).format(
        box=box,
        core=core,
        cells=sql.Literal(256 // CLUSTER_PIXELS),
        size=sql.Literal(size),
        table=table,
        join=join,
        storage=sql.Literal(storage_srid),
        layer=sql.Literal(collection.id),
        extent=sql.Literal(EXTENT),
        buffer=sql.Literal(BUFFER),
        status=status.expression,  # reads l.status: the stored value, published as its label
        point=point,
        where=where,
    )


def _shapes(
    collection: Collection,
    box: sql.Composable,
    area: sql.Composable,
    tile_srid: int,
    storage_srid: int,
    where: sql.Composable,
    filtered: list[Field],
) -> sql.Composable:
    """Every public shape meeting the tile, with its id and the tile's properties."""
    fields = tile_fields(collection)
    geometry: sql.Composable = collection.geometry
    if tile_srid != storage_srid:
        geometry = sql.SQL("ST_Transform({}, {})").format(geometry, sql.Literal(tile_srid))
    columns = [sql.SQL("{} AS {}").format(_value(f), sql.Identifier(f.name)) for f in fields]
    from_clause = _from(collection, fields + filtered)
    return sql.SQL(
        """WITH tile AS (SELECT {box} AS box, {area} AS area)
        SELECT ST_AsMVT(t, {layer}, {extent}, 'geom', 'id') FROM (
            SELECT {key}::bigint AS id, {columns},
                   ST_AsMVTGeom({geometry}, tile.box::box2d, {extent}, {buffer}, true) AS geom
            FROM {from_}, tile
            WHERE ({public}) AND {stored} && tile.area AND {where}
        ) AS t WHERE geom IS NOT NULL"""
    ).format(
        box=box,
        area=area,
        layer=sql.Literal(collection.id),
        extent=sql.Literal(EXTENT),
        buffer=sql.Literal(BUFFER),
        key=collection.key,
        columns=sql.SQL(", ").join(columns),
        geometry=geometry,
        from_=from_clause,
        public=collection.public_rows,
        stored=collection.geometry,
        where=where,
    )


def _rows_under(table: sql.Identifier, size: int) -> sql.Composable:
    """How many rows lie under the tile (and a kept cell around it), from the kept cells of `size`:
    their index range bound as in _counted_cells."""
    return sql.SQL(
        "SELECT coalesce(sum(n), 0) FROM {} WHERE size = {} AND gx BETWEEN %s AND %s AND gy BETWEEN %s AND %s"
    ).format(table, sql.Literal(size))


def _cells(
    collection: Collection,
    box: sql.Composable,
    core: sql.Composable,
    tile_srid: int,
    storage_srid: int,
    where: sql.Composable,
    filtered: list[Field],
    searched_in: sql.Composable | None = None,
    under: tuple[sql.Composable, sql.Composable] | None = None,
) -> sql.Composable:
    """Shapes as points gathered in cells of CLUSTER_PIXELS: each cell's centre, count and most common status.

    A shape belongs to the tile holding the centre of its bounding box (cheap: the box is stored
    with the geometry), so a cell on a tile's edge is never counted in both tiles. A search
    (`searched_in`: the tile's core again, as bound values) gathers at most SEARCH_CANDIDATES rows.

    With `under` (a count of the rows under the tile, and the search written for reading them),
    a tile with at most SEARCH_CANDIDATES rows under it reads them by the GiST alone and tests
    each: the planner cannot tell that the trigram index's scan costs the same on every tile (a
    search sharing trigrams with most names, "Plantsoen 4242", reads their posting lists over
    the whole table), so it took that scan beside the GiST for a tile of 500 rows, several times
    slower (docs/benchmarks.md). Both ways are planned; the count decides which one runs.
    """
    status = collection.field("status")
    status_sql: sql.Composable = sql.SQL("NULL::text")
    if status is not None:
        status_sql = sql.SQL("mode() WITHIN GROUP (ORDER BY s)")
    point: sql.Composable = sql.SQL("ST_SetSRID(ST_MakePoint(avg(c.x), avg(c.y)), {})").format(
        sql.Literal(storage_srid)
    )
    if tile_srid != storage_srid:
        point = sql.SQL("ST_Transform({}, {})").format(point, sql.Literal(tile_srid))
    cells_per_side = 256 // CLUSTER_PIXELS
    table = _from(collection, filtered + ([status] if status is not None else []))

    def gathered(area: sql.Composable, condition: sql.Composable) -> sql.Composable:
        """The rows under `area` meeting `condition`, each as its box's centre and its status."""
        return sql.SQL(
            """SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, {status} AS s
            FROM {table}, grid, LATERAL (SELECT {stored}::box2d AS b) AS bb
            WHERE ({public}) AND {stored} && {area} AND {condition}"""
        ).format(
            status=status.expression if status is not None else sql.SQL("NULL::text"),
            table=table,
            stored=collection.geometry,
            public=collection.public_rows,
            area=area,
            condition=condition,
        )

    limit = sql.Literal(SEARCH_CANDIDATES)
    prelude: sql.Composable = sql.SQL("")
    if searched_in is None:
        rows = gathered(sql.SQL("grid.core"), where)
    elif under is None:
        rows = sql.SQL("{} LIMIT {}").format(gathered(searched_in, where), limit)
    else:
        count, read = under
        prelude = sql.SQL(", under AS (SELECT ({}) AS n)").format(count)
        few = sql.SQL("(SELECT n FROM under) <= {}").format(limit)
        rows = sql.SQL("({} AND {few} LIMIT {limit}) UNION ALL ({} AND NOT {few} LIMIT {limit})").format(
            gathered(searched_in, read), gathered(searched_in, where), few=few, limit=limit
        )
    return sql.SQL(
        """WITH tile AS (
            SELECT {box} AS box, {core} AS core
        ), grid AS (
            SELECT box, core, (ST_XMax(core) - ST_XMin(core)) / {cells} AS cell FROM tile
        ){prelude}, c AS (
            {rows}
        )
        SELECT ST_AsMVT(t, {layer}, {extent}, 'geom') FROM (
            SELECT count(*)::int AS count, {status_mode} AS status,
                   ST_AsMVTGeom({point}, grid.box::box2d, {extent}, {buffer}, true) AS geom
            FROM c, grid
            WHERE ST_Intersects(ST_SetSRID(ST_MakePoint(c.x, c.y), {storage}), grid.core)
            GROUP BY floor(c.x / grid.cell), floor(c.y / grid.cell), grid.box
        ) AS t WHERE geom IS NOT NULL"""
    ).format(
        box=box,
        core=core,
        cells=sql.Literal(cells_per_side),
        prelude=prelude,
        rows=rows,
        layer=sql.Literal(collection.id),
        extent=sql.Literal(EXTENT),
        buffer=sql.Literal(BUFFER),
        status_mode=status_sql,
        point=point,
        storage=sql.Literal(storage_srid),
    )


def fetch_tile(address: TileAddress) -> bytes:
    """The tile's bytes (empty when nothing of the collection lies in it)."""
    query, params = tile_query(address)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
