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
from django.conf import settings
from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
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
class Temporal:
    """The property the `datetime` parameter is matched against: an instant, or a period start–end."""

    start: str  # a field's name
    end: str | None = None  # the field that ends a period (NULL: it runs on); None for an instant
    zone: str = "UTC"  # the calendar a date property, and a date-only `datetime`, counts days in


@dataclass(frozen=True)
class Collection:
    """A public view of one model: rows, properties, geometry, key."""

    id: str
    title: str | Promise  # translatable: the feed gives it in the request's language (ogc.config)
    description: str | Promise
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
    # A table of deltas whose sum is the number of public rows, kept by triggers (ogc/migrations/0002):
    # numberMatched of an unfiltered page without counting the rows. Its triggers must count exactly
    # the rows `public_rows` selects.
    counter: sql.Composable | None = None
    temporal: Temporal | None = None  # what `datetime` selects on (ogc/temporal.py)
    # The GeoJSON type of every geometry (the columns are typed so): declared in the schema and the
    # queryables, since QGIS otherwise guesses it from the first features, and an empty collection has none.
    geometry_type: str = "MultiPolygon"
    # How a page of the feed joins when the main table alone decides its rows and their order: the
    # page's rows are selected first (under `alias`, the main table's alias in `table`), then each
    # looks its joined rows up by key. None: a page joins as `joins`, and the planner picks how; at
    # random_page_cost 4 it hashed all 47,890 offerings for a bbox page of 193 locations at
    # 10,000,000 (9.1 ms of SQL, 5.4 ms looked up: docs/benchmarks.md, National dataset with EXPLAIN).
    page_joins: sql.Composable | None = None
    alias: str | None = None

    @property
    def geometry_schema(self) -> dict[str, str]:
        """The geometry in a schema or queryables: its GeoJSON type (QGIS reads the `$ref`), never geometry-any."""
        return {
            "$ref": f"https://geojson.org/schema/{self.geometry_type}.json",
            "format": f"geometry-{self.geometry_type.lower()}",
            "x-ogc-role": "primary-geometry",
        }

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


def published_labels(choices: type[Choices]) -> list[tuple[str, str]]:
    """A choice's values with the labels the feed publishes: always in the site's default language (Dutch).

    The labels are data to feed clients (QGIS filters on `status = 'beschikbaar'`, the enum in the
    schema, cached answers), so they must not follow the language of whichever request came first.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return [(str(value), str(label)) for value, label in choices.choices]


def _labels(expression: sql.Composable, choices: list[tuple[str, str]]) -> sql.Composed:
    """A CASE expression that publishes the human label of a choice instead of its stored value."""
    whens = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(value), sql.Literal(label)) for value, label in choices
    )
    return sql.SQL("(CASE {} {} END)").format(expression, whens)


# The site's address as the request that is answered reached it (set per transaction by the feed,
# ogc.sql.use_site_url); SITE_URL where no request set it (a shell, a task).
SITE_URL_SETTING = "zelfbeheer.site_url"


def _site_url(path_sql: sql.Composable) -> sql.Composed:
    """An absolute URL on the public site, on the host the request came to, for a path built in SQL."""
    return sql.SQL("(coalesce(nullif(current_setting({}, true), ''), {}) || {})").format(
        sql.Literal(SITE_URL_SETTING), sql.Literal(settings.SITE_URL), path_sql
    )


def locations() -> Collection:
    """Every current location: offered public space, with its owner's name and what is offered."""
    from gis_service.locations.models import Location

    status_choices = published_labels(Location.Status)
    owner = sql.SQL("JOIN {} AS o ON o.id = l.owner_id").format(_table("owners.Owner"))
    source = sql.SQL("LEFT JOIN {} AS s ON s.id = l.source_id").format(_table("importers.Source"))
    offering = _table("contracts.Offering")
    return Collection(
        id="locations",
        title=_("Zelfbeheerlocaties"),
        description=_("Openbare ruimte die bewoners zelf kunnen beheren: soort, status, eigenaar en oppervlakte."),
        keywords=("zelfbeheer", "openbare ruimte", "groen"),
        table=sql.SQL("{} AS l").format(_table("locations.Location")),
        joins=sql.SQL(" ").join(
            [owner, sql.SQL("LEFT JOIN {} AS f ON f.location_id = l.id").format(offering), source]
        ),
        # The same joins, the offering looked up per row; LIMIT 1 keeps the lateral subquery from being
        # flattened into a join again (location_id is unique).
        page_joins=sql.SQL(" ").join(
            [
                owner,
                sql.SQL(
                    "LEFT JOIN LATERAL (SELECT * FROM {} AS f0 WHERE f0.location_id = l.id LIMIT 1) AS f ON TRUE"
                ).format(offering),
                source,
            ]
        ),
        alias="l",
        # Withdrawn locations are gone from their source: kept only for the contracts on them.
        public_rows=sql.SQL("l.withdrawn_at IS NULL"),
        key=_col("l", "id"),
        geometry=_col("l", "geometry"),
        updated=_col("l", "updated_at"),
        editable=True,
        tables=(Location._meta.db_table,),
        counter=sql.Identifier("ogc_location_count"),
        temporal=Temporal("updated", zone=settings.TIME_ZONE),  # the last change
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
                "offered_from", _col("f", "offered_from"), "date", "string", format="date",
                description="aangeboden vanaf", joined=True,
            ),
            Field(
                "offered_until", _col("f", "offered_until"), "date", "string", format="date",
                description="aangeboden tot", joined=True,
            ),
            Field(
                "conditions",
                # A summary: the first 200 characters of the owner's randvoorwaarden.
                sql.SQL("(CASE WHEN length(f.conditions) > 200 THEN left(f.conditions, 199) || '…'"
                        " ELSE nullif(f.conditions, '') END)"),
                "text", "string", description="randvoorwaarden (samenvatting)", joined=True,
            ),
            # The way back to the municipality's own data: the id in its source (the BGT lokaalID, a
            # GUID) and the source's name; empty for locations drawn by hand.
            Field(
                "external_id", sql.SQL("nullif(l.external_id, '')"), "text", "string",
                description="id in de bron (zoals de lokaalID van de BGT)",
            ),
            Field("source", _col("s", "name"), "text", "string", description="naam van de bron", joined=True),
            Field(
                "url",
                _site_url(sql.SQL("'/locaties/' || l.id || '/'")),
                "text", "string", format="uri", description="pagina van de locatie",
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
    )  # fmt: skip


def contracts() -> Collection:
    """Active contracts, and those approved to start later: ground, period, status, group, location."""
    from gis_service.contracts.models import Contract

    status = sql.SQL("(CASE WHEN c.starts_on > zelfbeheer_today() THEN 'gepland' ELSE 'actief' END)")
    return Collection(
        id="contracts",
        title=_("Zelfbeheercontracten"),
        description=_(
            "Goedgekeurde zelfbeheercontracten die lopen of nog beginnen: grond, periode, groep en locatie."
        ),
        keywords=("zelfbeheer", "contract"),
        table=sql.SQL("{} AS c").format(_table("contracts.Contract")),
        joins=sql.SQL("LEFT JOIN {} AS g ON g.contract_id = c.id").format(_table("groups.Group")),
        # Approved (active) and not yet ended; open, rejected and ended contracts are not public.
        public_rows=sql.SQL("c.status = {} AND (c.ends_on IS NULL OR c.ends_on >= zelfbeheer_today())").format(
            sql.Literal(str(Contract.Status.ACTIVE))
        ),
        key=_col("c", "id"),
        geometry=_col("c", "geometry"),
        updated=_col("c", "updated_at"),
        tables=(Contract._meta.db_table,),
        temporal=Temporal("starts_on", "ends_on", zone=settings.TIME_ZONE),  # the period it runs
        fields=(
            Field("status", status, "text", "string", enum=("actief", "gepland"), description="actief of gepland"),
            Field("starts_on", _col("c", "starts_on"), "date", "string", format="date", description="begindatum"),
            Field("ends_on", _col("c", "ends_on"), "date", "string", format="date", description="einddatum"),
            Field("group", _col("g", "name"), "text", "string", description="naam van de groep", joined=True),
            Field("location_id", _col("c", "location_id"), "bigint", "integer", description="id in locations"),
            Field(
                "area_m2", sql.SQL("round(ST_Area(c.geometry)::numeric, 2)"), "numeric", "number",
                description="oppervlakte in m²",
            ),
            Field(
                "updated", _col("c", "updated_at"), "timestamptz", "string", format="date-time",
                description="laatst gewijzigd",
            ),
        ),
    )  # fmt: skip


def initiatives() -> Collection:
    """Approved resident initiatives: the drawn area, its plan, status and date. Never who proposed it.

    Submitted and rejected initiatives are visible only to their initiators and the owner's
    regisseurs (gis_service.initiatives), so the feed publishes approved ones only.
    """
    from gis_service.initiatives.models import Initiative

    status_choices = published_labels(Initiative.Status)
    return Collection(
        id="initiatives",
        title=_("Bewonersinitiatieven"),
        description=_("Goedgekeurde bewonersinitiatieven: getekend gebied, plan, status en datum."),
        keywords=("zelfbeheer", "bewonersinitiatief"),
        table=sql.SQL("{} AS i").format(_table("initiatives.Initiative")),
        joins=sql.SQL(""),
        public_rows=sql.SQL("i.status = {}").format(sql.Literal(str(Initiative.Status.APPROVED))),
        key=_col("i", "id"),
        geometry=_col("i", "geometry"),
        updated=sql.SQL("coalesce(i.decided_at, i.created_at)"),
        tables=(Initiative._meta.db_table,),
        # `date` is the day it was submitted as the municipality counts days, the day its page shows
        temporal=Temporal("date", zone=settings.TIME_ZONE),
        fields=(
            Field(
                "status", _labels(_col("i", "status"), status_choices), "text", "string",
                enum=tuple(label for _, label in status_choices), description="status",
            ),
            Field("description", _col("i", "description"), "text", "string", description="het plan"),
            Field("date", sql.SQL("(i.created_at AT TIME ZONE {})::date").format(sql.Literal(settings.TIME_ZONE)),
                  "date", "string", format="date",
                  description="ingediend op"),
            Field(
                "area_m2", sql.SQL("round(i.area_m2::numeric, 2)"), "numeric", "number",
                description="oppervlakte in m²",
            ),
            Field("location_id", _col("i", "location_id"), "bigint", "integer", description="id in locations"),
        ),
    )  # fmt: skip


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


COLLECTIONS = Registry(factories=(locations, contracts, initiatives))
