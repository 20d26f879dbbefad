"""OGC API – Tiles for the feed's collections: tile matrix sets, tileset metadata and addressing.

Vector tiles (Mapbox Vector Tiles, made by PostGIS's ST_AsMVT in ogc/tile_sql.py) of every
collection of `ogc.collections`, in two tile matrix sets: WebMercatorQuad (web maps, MapLibre)
and NetherlandsRDNewQuad (RD New, as PDOK offers it, for clients working in EPSG:28992). Tiles
carry a few of the collection's published properties, chosen here by name from the fields
`ogc.collections` declares, so that module stays the one place that decides what is public.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import pyproj
from django.utils.translation import gettext

from ogc.collections import COLLECTIONS, Collection, Field

MVT = "application/vnd.mapbox-vector-tile"
TILING_SCHEME_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
TILESETS_VECTOR_REL = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILESETS_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    # The feed's OpenAPI document describes every tile resource with its parameters and answers
    # (openapi_paths; tests/ogc/test_openapi.py fails when a served path is not in it).
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]

# The published properties a tile carries, per collection (the feature id is the collection's key).
# Few and short: the map colours by status and shows a name; the rest is one click away.
TILE_FIELDS: dict[str, tuple[str, ...]] = {
    "locations": ("name", "type", "status", "owner", "area_m2"),
    "contracts": ("status", "starts_on", "ends_on", "location_id"),
    "initiatives": ("status", "date", "area_m2", "location_id"),
}

# Published properties a tile request may select on (`?status=beschikbaar&type=gras`): equal to the value.
TILE_FILTERS: dict[str, tuple[str, ...]] = {
    "locations": ("type", "status", "owner"),
    "contracts": ("status",),
    "initiatives": ("status",),
}

# `q` searches these published properties of a collection: any of them containing the text, any case.
TILE_SEARCH: dict[str, tuple[str, ...]] = {"locations": ("name", "type")}

# Below this much ground per pixel (in the tile matrix set's units) a tile shows every shape; above
# it, shapes are points gathered in cells of CLUSTER_PIXELS (a count and the most common status per
# cell), so a tile holds at most (256 / CLUSTER_PIXELS)² features however many rows lie under it.
# 10 m/pixel is WebMercatorQuad level 14 (a neighbourhood; 6 m on the ground in the Netherlands) and
# RD level 9. At level 13 a dense town's tile of shapes took 97 ms from 1,000,000 rows, its cells 10 ms.
DETAIL_CELL_SIZE = 10.0
CLUSTER_PIXELS = 8
# Tables that count a collection's public rows in square cells per status, kept by triggers
# (ogc/sql/location_summary.sql), and their cell sizes in metres: a tile below the detail level reads
# the largest cells no larger than its own cells, so its cost no longer grows with the rows.
CELL_TABLES = {"locations": "ogc_location_cell"}
CELL_SIZES = (50, 200, 800, 3200)
# The same cells per status, type and owner (kept by the same triggers): a tile below the
# detail level filtered on type or owner (alone or combined with each other and status) reads these.
# Each entry: the table, the filters its key answers, and the join that gives the filters' fields
# their values (the owner's name, which the feed publishes, from the owner_id the cells keep).
KIND_CELL_TABLES = {
    "locations": ("ogc_location_kind_cell", frozenset({"status", "type", "owner"}), "owners.Owner"),
}
# A search (`q`) cannot be kept in cells: below the detail level a tile gathers at most this many
# matching rows (found by the trigram index when they are few, by the tile's area when many), so
# a search matching most locations stays as fast as one matching a few. Past it, the tile's counts
# are of the first SEARCH_CANDIDATES matches; zooming in shows them all.
SEARCH_CANDIDATES = 5000
EXTENT = 4096  # MVT coordinate units per tile side (the specification's default)
BUFFER = 64  # units drawn beyond the edge, so strokes and symbols do not break at tile borders


@dataclass(frozen=True)
class TileMatrixSet:
    """A quadtree tile matrix set: one tile at level 0, each level halving the cell size."""

    id: str
    title: str
    uri: str
    crs: str
    srid: int
    origin: tuple[float, float]  # top left corner, x (easting) first
    cell_size_0: float  # ground units per pixel at level 0
    scale_0: float  # scale denominator at level 0 (0.28 mm pixels)
    max_level: int
    bbox: tuple[float, float, float, float]  # the extent the set covers, in its CRS
    tile_size: int = 256

    def tile_span(self, level: int) -> float:
        """The width (and height) of one tile at `level`, in the CRS's units."""
        return self.cell_size_0 * self.tile_size / 2**level

    def matrix_size(self, level: int) -> int:
        return 2**level

    def bounds(self, level: int, row: int, col: int) -> tuple[float, float, float, float]:
        span = self.tile_span(level)
        minx = self.origin[0] + col * span
        maxy = self.origin[1] - row * span
        return minx, maxy - span, minx + span, maxy

    def cell_size(self, level: int) -> float:
        return self.cell_size_0 / 2**level

    def document(self) -> dict[str, Any]:
        """The OGC Two Dimensional Tile Matrix Set 2.0 JSON encoding."""
        return {
            "id": self.id,
            "title": self.title,
            "uri": self.uri,
            "crs": self.crs,
            "orderedAxes": ["E", "N"] if self.srid == 3857 else ["X", "Y"],
            "tileMatrices": [
                {
                    "id": str(level),
                    "scaleDenominator": self.scale_0 / 2**level,
                    "cellSize": self.cell_size(level),
                    "cornerOfOrigin": "topLeft",
                    "pointOfOrigin": list(self.origin),
                    "tileWidth": self.tile_size,
                    "tileHeight": self.tile_size,
                    "matrixWidth": self.matrix_size(level),
                    "matrixHeight": self.matrix_size(level),
                }
                for level in range(self.max_level + 1)
            ],
        }


MERCATOR_HALF = 20037508.3427892
TILE_MATRIX_SETS: dict[str, TileMatrixSet] = {
    "WebMercatorQuad": TileMatrixSet(
        id="WebMercatorQuad",
        title="Google Maps Compatible for the World",
        uri="http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        crs="http://www.opengis.net/def/crs/EPSG/0/3857",
        srid=3857,
        origin=(-MERCATOR_HALF, MERCATOR_HALF),
        cell_size_0=2 * MERCATOR_HALF / 256,
        scale_0=559082264.028717,
        max_level=22,
        bbox=(-MERCATOR_HALF, -MERCATOR_HALF, MERCATOR_HALF, MERCATOR_HALF),
    ),
    # As PDOK's tiles (and the OGC TMS 2.0 registry's definition): levels 0–16, 3440.64 m pixels at 0.
    "NetherlandsRDNewQuad": TileMatrixSet(
        id="NetherlandsRDNewQuad",
        title="Netherlands RD New (EPSG:28992), as PDOK's tiles",
        uri="http://www.opengis.net/def/tilematrixset/OGC/1.0/NetherlandsRDNewQuad",
        crs="http://www.opengis.net/def/crs/EPSG/0/28992",
        srid=28992,
        origin=(-285401.92, 903401.92),
        cell_size_0=3440.64,
        scale_0=12288000.0,
        max_level=16,
        bbox=(-285401.92, 22598.08, 595401.92, 903401.92),
    ),
}


def no_collection(collection_id: str) -> str:
    return gettext("Collectie %(id)r bestaat niet; zie /collections voor de collecties die er zijn.") % {
        "id": collection_id
    }


def no_tile_matrix_set(matrix_set_id: str) -> str:
    return gettext("Tile matrix set %(id)r bestaat niet; er zijn %(sets)s.") % {
        "id": matrix_set_id,
        "sets": ", ".join(TILE_MATRIX_SETS),
    }


class TileError(Exception):
    """A tile request that cannot be answered: the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class TileAddress:
    collection: Collection
    matrix_set: TileMatrixSet
    level: int
    row: int
    col: int
    filters: tuple[tuple[Field, str], ...] = ()  # published properties and the value they must equal
    search: str = ""  # text one of the TILE_SEARCH properties must contain

    @property
    def detailed(self) -> bool:
        """Whether this tile shows every shape, or points gathered in cells (see DETAIL_CELL_SIZE)."""
        return self.matrix_set.cell_size(self.level) <= DETAIL_CELL_SIZE


def _index(name: str, value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise TileError(
            400,
            gettext("%(name)s moet een geheel getal van 0 of meer zijn, niet %(value)r.")
            % {"name": name, "value": value},
        )
    return int(value)


def tile_address(
    collection_id: str, matrix_set_id: str, level: str, row: str, col: str, filters: dict[str, str] | None = None
) -> TileAddress:
    """The tile a request names, or a TileError: 404 for what does not exist, 400 for what is malformed."""
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise TileError(404, no_collection(collection_id))
    matrix_set = TILE_MATRIX_SETS.get(matrix_set_id)
    if matrix_set is None:
        raise TileError(404, no_tile_matrix_set(matrix_set_id))
    z, y, x = _index("tileMatrix", level), _index("tileRow", row), _index("tileCol", col)
    if z > matrix_set.max_level:
        raise TileError(
            404,
            gettext("tileMatrix %(level)d bestaat niet in %(set)s: kies 0 tot en met %(max)d.")
            % {"level": z, "set": matrix_set.id, "max": matrix_set.max_level},
        )
    size = matrix_set.matrix_size(z)
    if y >= size or x >= size:
        last = size - 1
        raise TileError(
            404,
            gettext(
                "Tegel %(row)d/%(col)d ligt buiten tileMatrix %(level)d van %(set)s (rijen en kolommen 0–%(last)d)."
            )
            % {"row": y, "col": x, "level": z, "set": matrix_set.id, "last": last},
        )
    filters = dict(filters or {})
    search = filters.pop("q", "")
    if search and collection.id not in TILE_SEARCH:
        raise TileError(
            400,
            gettext("Onbekende parameters: q (in de tegels van %(collection)s kun je niet zoeken).")
            % {"collection": collection.id},
        )
    return TileAddress(collection, matrix_set, z, y, x, _filters(collection, filters), search)


def _filters(collection: Collection, filters: dict[str, str]) -> tuple[tuple[Field, str], ...]:
    allowed = TILE_FILTERS.get(collection.id, ())
    chosen = []
    for name, value in sorted(filters.items()):
        field_ = collection.field(name)
        if name not in allowed or field_ is None:
            raise TileError(
                400,
                gettext("Onbekende parameters: %(name)s (de tegels van %(collection)s kiezen op %(allowed)s).")
                % {"name": name, "collection": collection.id, "allowed": ", ".join(allowed) or "-"},
            )
        if field_.enum and value not in field_.enum:
            raise TileError(
                400,
                gettext("%(name)s=%(value)r is niet een van %(allowed)s.")
                % {"name": name, "value": value, "allowed": ", ".join(field_.enum)},
            )
        chosen.append((field_, value))
    return tuple(chosen)


def tile_fields(collection: Collection) -> list[Field]:
    """The published properties a tile of `collection` carries."""
    fields = [collection.field(name) for name in TILE_FIELDS.get(collection.id, ())]
    return [f for f in fields if f is not None]


# --- documents ------------------------------------------------------------------------------


def _link(href: str, rel: str, type_: str = "application/json", title: str = "", **extra: Any) -> dict[str, Any]:
    link = {"href": href, "rel": rel, "type": type_, **extra}
    if title:
        link["title"] = title
    return link


def tile_matrix_sets_document(base: str) -> dict[str, Any]:
    """/tileMatrixSets: the tile matrix sets the tiles come in."""
    return {
        "tileMatrixSets": [
            {
                "id": tms.id,
                "title": tms.title,
                "uri": tms.uri,
                "crs": tms.crs,
                "links": [_link(f"{base}/tileMatrixSets/{tms.id}", TILING_SCHEME_REL, title=tms.title)],
            }
            for tms in TILE_MATRIX_SETS.values()
        ],
        "links": [_link(f"{base}/tileMatrixSets", "self")],
    }


def _tiles_url(base: str, collection: Collection) -> str:
    return f"{base}/collections/{collection.id}/tiles"


def _tileset_summary(base: str, collection: Collection, tms: TileMatrixSet) -> dict[str, Any]:
    href = f"{_tiles_url(base, collection)}/{tms.id}"
    return {
        "title": f"{collection.title} ({tms.id})",
        "dataType": "vector",
        "crs": tms.crs,
        "tileMatrixSetURI": tms.uri,
        "links": [
            _link(href, "self", title=f"{collection.title}, {tms.id}"),
            _link(f"{base}/tileMatrixSets/{tms.id}", TILING_SCHEME_REL, title=tms.title),
        ],
    }


def tilesets_document(base: str, collection: Collection) -> dict[str, Any]:
    """/collections/{id}/tiles: the collection's tilesets, one per tile matrix set."""
    return {
        "tilesets": [_tileset_summary(base, collection, tms) for tms in TILE_MATRIX_SETS.values()],
        "links": [
            _link(_tiles_url(base, collection), "self"),
            _link(f"{base}/collections/{collection.id}", "collection", title=str(collection.title)),
        ],
    }


# What a property's JSON schema type is in a tile: MVT keeps numbers as numbers, the rest as text.
def _property_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": f.json_type, "description": f.description}
    if f.format:
        schema["format"] = f.format
    if f.enum:
        schema["enum"] = list(f.enum)
    return schema


@cache
def _limits(tms_id: str) -> list[dict[str, Any]]:
    """The rows and columns of each level that cover the Netherlands: where tiles can hold data."""
    tms = TILE_MATRIX_SETS[tms_id]
    minx, miny, maxx, maxy = netherlands_bounds(tms.srid)
    limits = []
    for level in range(tms.max_level + 1):
        span = tms.tile_span(level)
        last = tms.matrix_size(level) - 1
        limits.append(
            {
                "tileMatrix": str(level),
                "minTileRow": max(0, int((tms.origin[1] - maxy) // span)),
                "maxTileRow": min(last, int((tms.origin[1] - miny) // span)),
                "minTileCol": max(0, int((minx - tms.origin[0]) // span)),
                "maxTileCol": min(last, int((maxx - tms.origin[0]) // span)),
            }
        )
    return limits


@cache
def netherlands_bounds(srid: int) -> tuple[float, float, float, float]:
    """The Netherlands (the extent every collection declares) as x/y bounds in `srid`."""
    from ogc.config import NL_BBOX  # ogc.config declares this module's conformance classes

    transformer = pyproj.Transformer.from_crs(4326, srid, always_xy=True)
    west, south, east, north = NL_BBOX
    return transformer.transform_bounds(west, south, east, north, densify_pts=21)


def tileset_document(base: str, collection: Collection, tms: TileMatrixSet) -> dict[str, Any]:
    """/collections/{id}/tiles/{tileMatrixSetId}: the tileset's metadata and its tile URL template."""
    document = _tileset_summary(base, collection, tms)
    template = f"{_tiles_url(base, collection)}/{tms.id}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=mvt"
    document["links"].append(_link(template, "item", MVT, title="Mapbox Vector Tile", templated=True))
    document["links"].append(_link(f"{base}/collections/{collection.id}", "collection", title=str(collection.title)))
    document["tileMatrixSetLimits"] = _limits(tms.id)
    detail = next(level for level in range(tms.max_level + 1) if tms.cell_size(level) <= DETAIL_CELL_SIZE)
    document["layers"] = [
        {
            "id": collection.id,
            "title": str(collection.title),
            "description": (
                f"From tileMatrix {detail} every shape, with its properties; below it points, each the"
                f" centre of the shapes in a cell of {CLUSTER_PIXELS}×{CLUSTER_PIXELS} pixels, with"
                " their number (count) and most common status."
            ),
            "dataType": "vector",
            "geometryDimension": 2,
            "minTileMatrix": "0",
            "maxTileMatrix": str(tms.max_level),
            "propertiesSchema": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "description": "id of the feature in the collection"},
                    **{f.name: _property_schema(f) for f in tile_fields(collection)},
                    "count": {"type": "integer", "description": f"shapes in the cell (below tileMatrix {detail})"},
                },
            },
        }
    ]
    return document


def add_collection_links(document: dict[str, Any], base: str) -> None:
    """Links from a collection's description (or each one of /collections) to its tilesets."""
    for described in document.get("collections", [document]):
        collection = COLLECTIONS.get(described.get("id", ""))
        if collection is not None:
            link = _link(_tiles_url(base, collection), TILESETS_VECTOR_REL, title="Vector tiles (Mapbox Vector Tiles)")
            described.setdefault("links", []).append(link)


# --- the API definition ----------------------------------------------------------------------


BINARY = {"type": "string", "format": "binary"}


def _path_parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def _json_document(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


def openapi_paths(tag_of: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The tiles' paths for the feed's OpenAPI document (ogc.config.openapi_document): pygeoapi's
    describes only its own endpoints, so clients and readers of the definition did not see the tiles.
    `tag_of` gives each collection's tag in that document; the responses refer to its components."""
    sets = list(TILE_MATRIX_SETS)
    tms_id = _path_parameter("tileMatrixSetId", "one of /tileMatrixSets", {"type": "string", "enum": sets})
    index = {"type": "integer", "minimum": 0}
    lang = {"$ref": "#/components/parameters/lang"}
    refused = {"$ref": "#/components/responses/InvalidParameter"}
    missing = {"$ref": "#/components/responses/NotFound"}

    document_format = {"name": "f", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json"]}}
    tile_format = {"name": "f", "in": "query", "required": False, "schema": {"type": "string", "enum": ["mvt"]}}

    def get(operation_id: str, summary: str, tag: str, parameters: list[Any], ok: dict[str, Any]) -> dict[str, Any]:
        return {
            "get": {
                "operationId": operation_id,
                "summary": summary,
                "tags": [tag],
                "parameters": parameters,
                "responses": {
                    "200": ok,
                    "304": {"description": "Not modified (the ETag matched)"},
                    "400": refused,
                    "404": missing,
                },
            }  # fmt: skip
        }

    paths = {
        "/tileMatrixSets": get(
            "getTileMatrixSetsList", "The tile matrix sets the tiles come in", "server", [document_format, lang],
            _json_document("The tile matrix sets, each with a link to its definition"),
        ),
        "/tileMatrixSets/{tileMatrixSetId}": get(
            "getTileMatrixSet", "A tile matrix set's definition", "server", [tms_id, document_format, lang],
            _json_document("The tile matrix set (OGC Two Dimensional Tile Matrix Set 2.0, JSON)"),
        ),
    }  # fmt: skip
    for collection_id, tag in tag_of.items():
        collection = COLLECTIONS.get(collection_id)
        if collection is None:
            continue
        name = collection_id.capitalize()
        base = f"/collections/{collection_id}/tiles"
        selects = []
        for field_name in TILE_FILTERS.get(collection_id, ()):
            field_ = collection.field(field_name)
            if field_ is None:
                continue
            schema: dict[str, Any] = {"type": "string"}
            if field_.enum:
                schema["enum"] = list(field_.enum)
            selects.append(
                {"name": field_name, "in": "query", "required": False, "schema": schema,
                 "description": f"only features whose {field_name} is this value"}
            )  # fmt: skip
        if collection_id in TILE_SEARCH:
            selects.append(
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": f"only features whose {' or '.join(TILE_SEARCH[collection_id])} contains this text"}
            )  # fmt: skip
        paths[base] = get(
            f"get{name}TileSetsList", f"The tilesets of {collection_id}", tag, [document_format, lang],
            _json_document("The collection's tilesets, one per tile matrix set"),
        )  # fmt: skip
        paths[f"{base}/{{tileMatrixSetId}}"] = get(
            f"get{name}TileSet", f"A tileset of {collection_id}: its layers and tile URL template", tag,
            [tms_id, document_format, lang], _json_document("The tileset's metadata (OGC API - Tiles)"),
        )  # fmt: skip
        paths[f"{base}/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"] = get(
            f"get{name}Tile",
            f"A vector tile of {collection_id}: shapes from the detail level, counted points in cells above it",
            tag,
            [
                tms_id,
                _path_parameter("tileMatrix", "the level", index),
                _path_parameter("tileRow", "the row, from the top", index),
                _path_parameter("tileCol", "the column, from the left", index),
                *selects,
                tile_format,
                lang,
            ],
            {"description": "A Mapbox Vector Tile", "content": {MVT: {"schema": BINARY}}},
        )
    return paths
