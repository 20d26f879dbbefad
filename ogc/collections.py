"""The collections the feed publishes, declared once: which rows are public and which properties.

This module is the one place that decides what is public. A collection names its tables,
the condition that makes a row public, and every published property as a SQL expression.
Nothing else of a row ever reaches the feed: no personal data (names, e-mail addresses,
phone numbers of residents) may be listed here. Adding a collection is adding an entry to
`COLLECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from psycopg import sql


@dataclass(frozen=True)
class Field:
    """A published property: its name, the SQL that computes it, and its JSON schema type."""

    name: str
    expression: sql.Composable
    sql_type: str  # a PostgreSQL type, to cast bound values compared with this property
    json_type: str  # JSON schema type: string, number, integer
    format: str | None = None  # JSON schema format, e.g. date-time
    enum: tuple[str, ...] | None = None
    description: str = ""
    joined: bool = False  # reads a joined table: a count filtering on it needs the joins


@dataclass(frozen=True)
class Collection:
    """A public view of one model: rows, properties, geometry, key."""

    id: str
    title: str
    description: str
    table: sql.Composable  # the main table, with its alias
    joins: sql.Composable  # tables that only some properties read
    public_rows: sql.Composable  # the condition every published row satisfies
    key: sql.Composable  # unique, indexed, integer: pages are cut by it
    geometry: sql.Composable
    updated: sql.Composable  # last modification of a row: Last-Modified of an item
    fields: tuple[Field, ...]
    editable: bool = False
    keywords: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # the tables read, by name: their planner statistics are checked

    @property
    def from_clause(self) -> sql.Composable:
        return sql.SQL("{} {}").format(self.table, self.joins)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _table(model_label: str) -> sql.Identifier:
    return sql.Identifier(apps.get_model(model_label)._meta.db_table)


def _col(alias: str, column: str) -> sql.Composed:
    return sql.Identifier(alias, column)  # type: ignore[return-value]


def _labels(expression: sql.Composable, choices: list[tuple[str, str]]) -> sql.Composed:
    """A CASE expression that publishes the human label of a choice instead of its stored value."""
    whens = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(value), sql.Literal(label)) for value, label in choices
    )
    return sql.SQL("(CASE {} {} END)").format(expression, whens)


def locations() -> Collection:
    """Every current location: offered public space, with its owner's name."""
    from gis_service.locations.models import Location

    status_choices = [(str(value), str(label)) for value, label in Location.Status.choices]
    return Collection(
        id="locations",
        title="Zelfbeheerlocaties",
        description="Openbare ruimte die bewoners zelf kunnen beheren: soort, status, eigenaar en oppervlakte.",
        keywords=("zelfbeheer", "openbare ruimte", "groen"),
        table=sql.SQL("{} AS l").format(_table("locations.Location")),
        joins=sql.SQL("JOIN {} AS o ON o.id = l.owner_id").format(_table("owners.Owner")),
        # Withdrawn locations are gone from their source: kept only for the contracts on them.
        public_rows=sql.SQL("l.withdrawn_at IS NULL"),
        key=_col("l", "id"),
        geometry=_col("l", "geometry"),
        updated=_col("l", "updated_at"),
        editable=True,
        tables=(Location._meta.db_table,),
        fields=(
            Field("name", _col("l", "name"), "text", "string", description="naam"),
            Field("type", _col("l", "type"), "text", "string", description="soort"),
            Field(
                "status",
                _labels(_col("l", "status"), status_choices),
                "text",
                "string",
                enum=tuple(label for _, label in status_choices),
                description="beschikbaar, aangevraagd, in beheer of niet beschikbaar",
            ),
            Field("owner", _col("o", "name"), "text", "string", description="eigenaar", joined=True),
            Field(
                "area_m2",
                sql.SQL("round(l.area_m2::numeric, 2)"),
                "numeric",
                "number",
                description="oppervlakte in m²",
            ),
            Field(
                "updated",
                _col("l", "updated_at"),
                "timestamptz",
                "string",
                format="date-time",
                description="laatst gewijzigd",
            ),
        ),
    )


@dataclass
class Registry:
    """The published collections, built lazily because they read Django's app registry."""

    factories: tuple[Callable[[], Collection], ...]
    _built: dict[str, Collection] = field(default_factory=dict)

    def all(self) -> dict[str, Collection]:
        if not self._built:
            for factory in self.factories:
                collection = factory()
                self._built[collection.id] = collection
        return self._built

    def get(self, collection_id: str) -> Collection | None:
        return self.all().get(collection_id)


COLLECTIONS = Registry(factories=(locations,))
