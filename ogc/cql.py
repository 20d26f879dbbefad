"""CQL2 filters (parsed by pygeofilter) compiled to SQL over a collection's published properties.

Only published properties and the geometry can be named, so a filter can never reach a
column that is not public; every value is a bound parameter, never part of the SQL text.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import shapely.errors
import shapely.geometry
from django.conf import settings
from django.utils.translation import gettext
from lark import Lark
from psycopg import sql
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parser as cql2_text
from rest_framework.exceptions import ParseError

from gis_service.geo.crs import Crs, srid_from_urn
from gis_service.geo.limits import Counts, GeometryLimits, GeometryMalformed, GeometryTooLarge, check_coordinates
from ogc.collections import Collection, Field
from ogc.errors import unknown_property
from ogc.sql import bbox_envelope

SPATIAL_FUNCTIONS: dict[type, str] = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
    ast.GeometryEquals: "ST_Equals",
}
COMPARISONS: dict[type, str] = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
ARITHMETIC: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mul: "*", ast.Div: "/"}


class CqlError(ValueError):
    """A filter we cannot run: unknown property, wrong type, unsupported operator."""


class CqlTooLarge(CqlError):
    """A filter beyond the limits below, refused before it is parsed further or compiled."""


# --- limits, checked while parsing -----------------------------------------------------------
# A CQL2 JSON `and` with 1,000 arguments took 120 s (400 raised RecursionError), and an
# s_touches against a 150,000-vertex polygon (5.9 MB) 29.9 s. The text's size bounds the
# parser's work (64 KiB of CQL2 text parse in about 0.3 s here); arguments, nesting and vertices
# bound what PostgreSQL is asked to do per row.


@dataclass(frozen=True)
class FilterLimits:
    chars: int
    args: int
    depth: int

    @classmethod
    def from_settings(cls) -> FilterLimits:
        return cls(
            chars=int(getattr(settings, "CQL2_MAX_CHARS", 65_536)),
            args=int(getattr(settings, "CQL2_MAX_ARGS", 100)),
            depth=int(getattr(settings, "CQL2_MAX_DEPTH", 20)),
        )


def _check_length(size: int, limits: FilterLimits) -> None:
    if size > limits.chars:
        raise CqlTooLarge(gettext("Het filter is langer dan %(limit)d tekens.") % {"limit": limits.chars})


def _too_many_args(limits: FilterLimits) -> CqlTooLarge:
    return CqlTooLarge(
        gettext("Een operator in het filter heeft meer dan %(limit)d argumenten.") % {"limit": limits.args}
    )


def _too_deep(limits: FilterLimits) -> CqlTooLarge:
    return CqlTooLarge(gettext("Het filter is meer dan %(limit)d niveaus diep genest.") % {"limit": limits.depth})


def _check_geometry(kind: Any, coordinates: Any, counts: Counts) -> None:
    try:
        check_coordinates(str(kind), coordinates, GeometryLimits.for_filters(), counts)
    except GeometryTooLarge as error:
        raise CqlTooLarge(gettext("Geometrie in het filter: %(error)s") % {"error": error}) from None
    except GeometryMalformed as error:
        raise CqlError(gettext("Ongeldige geometrie in het filter: %(error)s") % {"error": error}) from None


def parse_json(source: str | bytes) -> Any:
    """A CQL2 JSON filter, checked against the limits as plain JSON (iteratively, before pygeofilter,
    whose parser recurses), then parsed into pygeofilter's AST."""
    limits = FilterLimits.from_settings()
    if isinstance(source, bytes):
        _check_length(len(source) // 4, limits)  # no UTF-8 character takes more than 4 bytes
        source = source.decode("utf-8")
    _check_length(len(source), limits)
    from gis_service.api.parsers import loads  # the API's JSON limits: depth, finite numbers, no surrogates

    try:
        document = loads(source)
    except ParseError as error:
        raise CqlError(str(error.detail)) from None
    counts = Counts()
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, list):
            if len(value) > limits.args:
                raise _too_many_args(limits)
            stack.extend((item, depth) for item in value)
        elif isinstance(value, dict):
            if "op" in value:
                depth += 1
                if depth > limits.depth:
                    raise _too_deep(limits)
            if "type" in value and "coordinates" in value:
                _check_geometry(value["type"], value["coordinates"], counts)
                continue
            stack.extend((item, depth) for key, item in value.items() if key != "bbox")
    return parse_cql2_json(document)


def check_tree(node: Any) -> None:
    """The limits on a parsed filter (CQL2 text): arguments of one operator (a chain of ANDs or of
    ORs counts as one), nesting, and the vertices of its geometry literals. Iterative."""
    limits = FilterLimits.from_settings()
    counts = Counts()
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, values.Geometry):
            _check_geometry(value.geometry.get("type"), value.geometry.get("coordinates"), counts)
            continue
        if isinstance(value, list):
            if len(value) > limits.args:
                raise _too_many_args(limits)
            stack.extend((item, depth) for item in value)
            continue
        if not isinstance(value, ast.Node):
            continue
        depth += 1
        if depth > limits.depth:
            raise _too_deep(limits)
        if isinstance(value, ast.And | ast.Or):
            operands = _chain(value)
            if len(operands) > limits.args:
                raise _too_many_args(limits)
            stack.extend((operand, depth) for operand in operands)
            continue
        children = value.get_sub_nodes()
        if isinstance(value, ast.In | ast.Function):
            arguments = value.sub_nodes if isinstance(value, ast.In) else value.arguments
            if len(arguments) > limits.args:
                raise _too_many_args(limits)
        stack.extend((child, depth) for child in children)


def _chain(node: Any) -> list[Any]:
    """The operands of a chain of the same combination (`a AND b AND c`), which the parsers nest
    one level per operand; iterative, so a long chain cannot exhaust the stack."""
    kind = type(node)
    operands: list[Any] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if type(current) is kind:
            pending.extend((current.rhs, current.lhs))
        else:
            operands.append(current)
    return operands


# pygeofilter's CQL2 text grammar accepts `NOT (a = 'x')` but not `NOT ((a = 'x'))` nor
# `NOT ((a = 'x') AND …)`, because it wants a single predicate in the parentheses; QGIS 3.32+
# writes every NOT as `(NOT ((…)))`. Its grammar with that one rule taking a condition:
NOT_PREDICATE = re.compile(r'\| "NOT"i "\(" predicate "\)"\s+-> not_')


@cache
def _text_parser() -> Lark:
    grammar = Path(cql2_text.__file__).with_name("grammar.lark").read_text()
    if len(NOT_PREDICATE.findall(grammar)) != 1 or "%import .wkt.ewkt_geometry" not in grammar:
        raise RuntimeError("pygeofilter changed its CQL2 text grammar: check ogc.cql._text_parser")
    grammar = NOT_PREDICATE.sub('| "NOT"i "(" condition ")" -> not_', grammar)
    grammar = grammar.replace("%import .wkt.ewkt_geometry", "%import wkt.ewkt_geometry")
    return Lark(
        grammar,
        parser="lalr",
        maybe_placeholders=False,
        transformer=cql2_text.CQLTransformer(),
        import_paths=[os.path.dirname(os.path.dirname(cql2_text.__file__))],
    )


def parse_text(source: str) -> Any:
    """A CQL2 text filter within the limits, parsed into pygeofilter's AST (raises on malformed text)."""
    _check_length(len(source), FilterLimits.from_settings())
    node = _text_parser().parse(source)
    check_tree(node)
    return node


@dataclass
class Compiler:
    """Compiles one filter; collects the bound values in `params`, in order."""

    collection: Collection
    storage: Crs
    filter_crs: Crs  # the CRS of geometry literals that do not name their own
    params: list[Any] = field(default_factory=list)
    joined: bool = False  # the filter reads a property from a joined table

    def compile(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.And | ast.Or):  # a chain, flat: `(a AND b AND c)`, not one level per operand
            joiner = " AND " if isinstance(node, ast.And) else " OR "
            parts = [self.compile(operand) for operand in _chain(node)]
            return sql.SQL("({})").format(sql.SQL(joiner).join(parts))
        if isinstance(node, ast.Not):
            return sql.SQL("(NOT {})").format(self.compile(node.sub_node))
        if isinstance(node, ast.Include):
            return sql.SQL("FALSE" if node.not_ else "TRUE")
        if type(node) in COMPARISONS:
            lhs, rhs = self.pair(node.lhs, node.rhs)
            return sql.SQL("({} {} {})").format(lhs, sql.SQL(COMPARISONS[type(node)]), rhs)
        if isinstance(node, ast.Between):
            hint = self.field_of(node.lhs)
            subject = self.scalar(node.lhs)
            low, high = self.scalar(node.low, hint), self.scalar(node.high, hint)
            return sql.SQL("({} {}BETWEEN {} AND {})").format(subject, sql.SQL("NOT " if node.not_ else ""), low, high)
        if isinstance(node, ast.Like):
            subject = self.scalar(node.lhs)
            return sql.SQL("({}::text {}{} {})").format(
                subject,
                sql.SQL("NOT " if node.not_ else ""),
                sql.SQL("ILIKE" if node.nocase else "LIKE"),
                self.pattern(node.pattern),
            )
        if isinstance(node, ast.In):
            hint = self.field_of(node.lhs)
            subject = self.scalar(node.lhs)
            options = sql.SQL(", ").join([self.scalar(v, hint) for v in node.sub_nodes])
            return sql.SQL("({} {}IN ({}))").format(subject, sql.SQL("NOT " if node.not_ else ""), options)
        if isinstance(node, ast.IsNull):
            return sql.SQL("({} IS {}NULL)").format(self.scalar(node.lhs), sql.SQL("NOT " if node.not_ else ""))
        if type(node) in SPATIAL_FUNCTIONS:
            lhs, rhs = self.spatial(node.lhs), self.spatial(node.rhs)
            return sql.SQL("{}({}, {})").format(sql.SQL(SPATIAL_FUNCTIONS[type(node)]), lhs, rhs)
        if isinstance(node, ast.BBox):  # the draft's BBOX(geometry, …) predicate
            envelope = values.Envelope(node.minx, node.maxx, node.miny, node.maxy)
            crs_srid = srid_from_urn(node.crs) if node.crs else None
            return sql.SQL("ST_Intersects({}, {})").format(
                self.spatial(node.lhs), self.geometry_literal(envelope.geometry, crs_srid)
            )
        if isinstance(node, ast.DistanceWithin | ast.DistanceBeyond):
            lhs, rhs = self.spatial(node.lhs), self.spatial(node.rhs)
            self.params.append(float(node.distance))
            function = "ST_DWithin" if isinstance(node, ast.DistanceWithin) else "NOT ST_DWithin"
            return sql.SQL("({}({}, {}, %s))").format(sql.SQL(function), lhs, rhs)
        raise CqlError(
            gettext("%(operator)s kan niet in een filter van deze dienst.") % {"operator": type(node).__name__}
        )

    # --- operands ---------------------------------------------------------------------------

    def pattern(self, node: Any) -> sql.Composable:
        """A LIKE pattern: text, or text in CASEI/LOWER/UPPER (QGIS: `CASEI(type) LIKE CASEI('GRAS%')`)."""
        if isinstance(node, str):
            self.params.append(node)
            return sql.SQL("%s")
        if isinstance(node, ast.Function) and len(node.arguments) == 1 and isinstance(node.arguments[0], str):
            name = node.name.lower()
            if name in {"casei", "lower", "upper"}:
                self.params.append(node.arguments[0])
                return sql.SQL("{}(%s)").format(sql.SQL("upper" if name == "upper" else "lower"))
        raise CqlError(gettext("LIKE vraagt een tekstpatroon, tussen aanhalingstekens of in CASEI('…')."))

    def field_of(self, node: Any) -> Field | None:
        if isinstance(node, ast.Attribute):
            return self.attribute(node.name)
        return None

    def attribute(self, name: str) -> Field:
        found = self.collection.field(name)
        if found is None:
            raise CqlError(unknown_property(name))
        self.joined = self.joined or found.joined
        return found

    def pair(self, lhs: Any, rhs: Any) -> tuple[sql.Composable, sql.Composable]:
        """Both sides of a comparison; a value is cast to the type of the property it meets."""
        left = self.scalar(lhs, self.field_of(rhs))
        right = self.scalar(rhs, self.field_of(lhs))
        return left, right

    def scalar(self, node: Any, hint: Field | None = None) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            if node.name == "id":
                return self.collection.key
            return sql.SQL("({})").format(self.attribute(node.name).expression)
        if type(node) in ARITHMETIC:
            lhs, rhs = self.scalar(node.lhs, hint), self.scalar(node.rhs, hint)
            return sql.SQL("({} {} {})").format(lhs, sql.SQL(ARITHMETIC[type(node)]), rhs)
        if isinstance(node, ast.Function):
            name = node.name.lower()
            if name in {"casei", "lower"} and len(node.arguments) == 1:
                return sql.SQL("lower({}::text)").format(self.scalar(node.arguments[0], hint))
            if name == "upper" and len(node.arguments) == 1:
                return sql.SQL("upper({}::text)").format(self.scalar(node.arguments[0], hint))
            raise CqlError(
                gettext("Functie %(name)r kan niet in een filter; wel CASEI, LOWER en UPPER.") % {"name": node.name}
            )
        if isinstance(node, bool) or node is None:
            self.params.append(node)
            return sql.SQL("%s")
        if isinstance(node, str | int | float | datetime | date):
            self.check_type(node, hint)
            self.params.append(node)
            if hint is not None:
                return sql.SQL("CAST(%s AS {})").format(sql.SQL(hint.sql_type))
            return sql.SQL("%s")
        raise CqlError(gettext("Een waarde van soort %(kind)s kan niet in een filter.") % {"kind": type(node).__name__})

    def check_type(self, value: Any, hint: Field | None) -> None:
        if hint is None:
            return
        if hint.json_type == "number" and not isinstance(value, int | float):
            raise CqlError(gettext("%(name)s is een getal, niet %(value)r.") % {"name": hint.name, "value": value})
        if hint.json_type == "integer" and not isinstance(value, int):
            raise CqlError(
                gettext("%(name)s is een geheel getal, niet %(value)r.") % {"name": hint.name, "value": value}
            )
        if hint.json_type == "string" and hint.format not in {"date", "date-time"} and not isinstance(value, str):
            raise CqlError(
                gettext("%(name)s is tekst: zet %(value)r tussen aanhalingstekens.")
                % {"name": hint.name, "value": value}
            )

    def spatial(self, node: Any) -> sql.Composable:
        if isinstance(node, ast.Attribute):
            if node.name not in {"geometry", "geom"}:
                raise CqlError(gettext("%(name)r is geen geometrie: gebruik 'geometry'.") % {"name": node.name})
            return self.collection.geometry
        if isinstance(node, values.Geometry):
            urn = node.geometry.get("crs", {}).get("properties", {}).get("name")
            return self.geometry_literal(node.geometry, srid_from_urn(urn) if urn else None)
        if isinstance(node, values.Envelope):
            return self.geometry_literal(node.geometry, None)
        if isinstance(node, ast.Function) and node.name.lower() == "bbox":
            return self.bbox_literal(node.arguments)
        raise CqlError(gettext("Ruimtelijke functies vergelijken 'geometry' met een geometrie in het filter."))

    def bbox_literal(self, arguments: list[Any]) -> sql.Composable:
        """CQL2's `BBOX(minx, miny, maxx, maxy)` (or 6 numbers, in 3D) in filter-crs, as QGIS sends it.

        Cut to where the storage CRS is defined, like the bbox parameter: QGIS sends the whole world.
        """
        if len(arguments) not in {4, 6} or not all(
            isinstance(n, int | float) and not isinstance(n, bool) for n in arguments
        ):
            raise CqlError(gettext("BBOX vraagt 4 getallen (of 6, in 3D): minx, miny, maxx, maxy."))
        numbers = [float(n) for n in arguments]
        if len(numbers) == 6:
            numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
        if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
            raise CqlError(gettext("BBOX: het minimum is groter dan het maximum; zet het minimum voorop."))
        envelope, params = bbox_envelope(numbers, self.filter_crs, self.storage)
        if envelope is None:  # outside where the data can be: an empty polygon meets nothing
            return sql.SQL("ST_GeomFromText('POLYGON EMPTY', {})").format(sql.Literal(self.storage.srid))
        self.params.extend(params)
        return envelope

    def geometry_literal(self, geojson: dict[str, Any], srid: int | None) -> sql.Composable:
        """A literal in its own CRS (when it names one) or in filter-crs, moved to the storage CRS."""
        shape = {key: value for key, value in geojson.items() if key != "crs"}
        try:
            # shapely refuses what PostGIS would quietly accept, such as an unclosed ring
            empty = shapely.geometry.shape(shape).is_empty
        except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError) as error:
            raise CqlError(gettext("Ongeldige geometrie in het filter: %(error)s") % {"error": error}) from error
        if empty:
            raise CqlError(gettext("De geometrie in het filter is leeg."))
        self.params.append(json.dumps(shape))
        literal: sql.Composable = sql.SQL("ST_GeomFromGeoJSON(%s)")
        if srid is None:
            srid = self.filter_crs.srid
            if self.filter_crs.northing_first:
                literal = sql.SQL("ST_FlipCoordinates({})").format(literal)
        literal = sql.SQL("ST_SetSRID({}, {})").format(literal, sql.Literal(srid))
        if srid != self.storage.srid:
            literal = sql.SQL("ST_Transform({}, {})").format(literal, sql.Literal(self.storage.srid))
        return literal


def compile_filter(
    node: Any, collection: Collection, storage: Crs, filter_crs: Crs
) -> tuple[sql.Composable, list[Any], bool]:
    """SQL for a parsed CQL2 filter, its bound values, and whether it reads a joined table."""
    compiler = Compiler(collection, storage, filter_crs)
    condition = compiler.compile(node)
    return condition, compiler.params, compiler.joined
