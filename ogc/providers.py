"""pygeoapi feature providers that let PostGIS build the GeoJSON, on Django's own connection.

pygeoapi loads these by dotted path (`ogc.providers.CollectionProvider`, with `data` naming
an entry of `ogc.collections.COLLECTIONS`). Compared with pygeoapi's PostgreSQL provider:
no Python reprojection (ST_Transform), no per-row Python objects (the page is one text
value), pages cut by key instead of OFFSET, and one driver and connection (Django's).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DataError, InternalError, OperationalError, connection, transaction
from django.utils.translation import gettext
from pygeoapi.provider.base import BaseProvider, ProviderGenericError, ProviderItemNotFoundError, SchemaType

from gis_service.core.timeouts import cancelled_message, is_query_cancelled
from gis_service.geo import crs
from ogc import context, editing, temporal
from ogc.collections import COLLECTIONS, Collection, Field
from ogc.cql import CqlError, compile_filter, parse_json, parse_text
from ogc.errors import (
    ProviderBadRequestError,
    ProviderForbiddenError,
    ProviderTimeoutError,
    unknown_property,
    unsupported_crs,
)
from ogc.sql import (
    SortKey,
    Where,
    bbox_condition,
    ensure_statistics,
    fetch_page,
    fetch_seek,
    item_query,
    page_query,
    seek_query,
    use_site_url,
)
from ogc.temporal import DatetimeError

LOGGER = logging.getLogger(__name__)

CURSOR_PARAM = "cursor"


@dataclass(frozen=True)
class Cursor:
    """Where a page reached by a link starts: after a key (next) or before one (prev), and the
    number of matches counted on the first page of a filtered query (or that it found more than
    OGC_COUNT_MAX), with the query it counts."""

    offset: int
    after: list[Any] | None = None
    before: list[Any] | None = None
    matched: int | None = None
    past_bound: bool = False  # counted past OGC_COUNT_MAX: no number, and the pages after it count no more
    query: str | None = None  # fingerprint of the selection `matched` or `past_bound` was counted for


def encode_cursor(cursor: Cursor) -> str:
    data: dict[str, Any] = {"o": cursor.offset}
    if cursor.after is not None:
        data["k"] = cursor.after
    if cursor.before is not None:
        data["b"] = cursor.before
    if cursor.matched is not None:
        data["m"], data["q"] = cursor.matched, cursor.query
    elif cursor.past_bound:
        data["p"], data["q"] = 1, cursor.query
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, offset: int) -> Cursor | None:
    """The cursor of a link, if it belongs to this offset.

    A cursor is only used together with the offset it was made for: a client that changes the
    offset by hand gets the page at that offset instead of the cursor's.
    """
    malformed = gettext("De cursor is onleesbaar: volg de next- of prev-link precies zoals je hem kreeg.")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursor = Cursor(
            offset=int(data["o"]),
            after=data.get("k"),
            before=data.get("b"),
            matched=int(data["m"]) if data.get("m") is not None else None,
            past_bound=data.get("p") == 1,
            query=str(data["q"]) if data.get("q") is not None else None,
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise ProviderBadRequestError(user_msg=malformed) from error
    for values in (cursor.after, cursor.before):
        if values is not None and (
            not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values)
        ):
            raise ProviderBadRequestError(user_msg=malformed)
    if (cursor.after is None) == (cursor.before is None) or (cursor.matched is not None and cursor.matched < 0):
        raise ProviderBadRequestError(user_msg=malformed)
    return cursor if cursor.offset == offset else None


# Parameters that page through a selection without changing it.
PAGING_PARAMETERS = frozenset({"offset", CURSOR_PARAM, "limit", "f"})


def selection_fingerprint(params: Any, filter_body: str | None) -> str:
    """Names the selection a request makes (every parameter but the paging ones, and a POSTed filter), so a
    count carried in a cursor is only used for the query it was counted for."""
    selection = sorted((str(k), str(v)) for k, v in params.items() if k not in PAGING_PARAMETERS)
    raw = json.dumps([selection, filter_body or ""], separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


class CollectionProvider(BaseProvider):
    """Features of one declared collection, read with SQL built in `ogc.sql`."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        # BaseProvider.__init__ builds a pyproj CRS on every request; set what pygeoapi reads.
        self.name = provider_def["name"]
        self.type = provider_def["type"]
        self.data = provider_def["data"]
        self.editable = provider_def.get("editable", False)
        self.count = True
        self.options = None
        self.id_field = "id"
        self.uri_field = None
        self.x_field = self.y_field = self.z_field = None
        self.time_field = None
        self.title_field = provider_def.get("title_field")
        self.properties: list[str] = []
        self.file_types: list[str] = []
        self.include_extra_query_parameters = False
        self.filename = None
        self.axes: list[str] = []
        self.crs = None
        self.num_bands = None
        collection = COLLECTIONS.get(self.data)
        if collection is None:
            raise ProviderGenericError(f"no collection {self.data!r} in ogc.collections")
        self.collection: Collection = collection
        self._fields = {f.name: _field_schema(f) for f in collection.fields}
        temporal = collection.temporal  # Part 5's roles name what `datetime` selects on (schema, queryables)
        if temporal is not None and temporal.end is None:
            self._fields[temporal.start]["x-ogc-role"] = "primary-instant"
        elif temporal is not None and temporal.end is not None:
            self._fields[temporal.start]["x-ogc-role"] = "primary-interval-start"
            self._fields[temporal.end]["x-ogc-role"] = "primary-interval-end"

    @property
    def storage_crs(self) -> Any:  # pygeoapi reads it; a pyproj CRS, built only when asked for
        from pygeoapi.crs import get_crs

        return get_crs(crs.storage_uri())

    def get_fields(self) -> dict[str, dict[str, Any]]:
        return self._fields

    def get_schema(self, schema_type: SchemaType = SchemaType.item) -> tuple[str, dict[str, Any]]:
        properties: dict[str, Any] = {
            name: {"title": name, **{k: v for k, v in schema.items() if k != "values"}}
            for name, schema in self._fields.items()
        }
        for name, schema in self._fields.items():
            if "values" in schema:
                properties[name]["enum"] = schema["values"]
        properties["geometry"] = self.collection.geometry_schema
        return "application/schema+json", {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": properties,
        }

    # --- reading ---------------------------------------------------------------------------

    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        crs_transform_spec: Any = None,
        q: str | None = None,
        language: Any = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        request = context.current()
        params = request.params if request else {}
        storage = crs.storage()
        limit, offset = int(limit), int(offset)  # pygeoapi reads limit=true as True
        output = self._output_crs(crs_transform_spec)

        where = build_where(
            self.collection, params, properties or [], request.filter_body if request else None, storage
        )

        sort = [SortKey(self._field(s["property"]), descending=s.get("order") == "-") for s in (sortby or [])]
        selected = (
            [self._field(name) for name in select_properties] if select_properties else list(self.collection.fields)
        )
        cursor_token = params.get(CURSOR_PARAM)
        cursor = decode_cursor(cursor_token, offset) if cursor_token else None
        for values in (cursor.after, cursor.before) if cursor is not None else ():
            if values is not None and len(values) != len(sort) + 1:
                raise ProviderBadRequestError(
                    user_msg=gettext("De cursor hoort bij een andere sortby: volg de next-link zoals je hem kreeg.")
                )
        fingerprint = selection_fingerprint(params, request.filter_body if request else None)
        # A filtered selection is counted once, on its first page, and the count travels in the links'
        # cursors: counting 200,000 matches again on every page cost 27-67 ms each (docs/ogc.md). So does
        # having found more than OGC_COUNT_MAX: the pages after it would count 10,001 matches each again.
        counted_by = cursor if cursor is not None and cursor.query == fingerprint and where.parts else None
        carried = counted_by.matched if counted_by is not None else None
        carried_past_bound = counted_by is not None and counted_by.past_bound

        if resulttype == "hits":
            limit = 0
        ensure_statistics(self.collection.tables)
        after = cursor.after if cursor is not None else None
        if cursor is None and offset > 0 and limit > 0:
            seek, seek_params = seek_query(self.collection, where=where, sort=sort, offset=offset)
            after = self._run(lambda: fetch_seek(seek, seek_params))  # None past the end: OFFSET finds nothing
        query, query_params = page_query(
            self.collection,
            where=where,
            sort=sort,
            after=after,
            before=cursor.before if cursor is not None else None,
            limit=limit,
            offset=0 if cursor is not None or after is not None else offset,
            crs=output,
            properties=selected,
            skip_geometry=skip_geometry,
            count=self.count and carried is None and not carried_past_bound,
            # A page counts its matches up to a bound; resulttype=hits asks for the number, so it counts all.
            count_at_most=None if resulttype == "hits" else settings.OGC_COUNT_MAX,
        )
        page = self._run(lambda: fetch_page(query, query_params, limit))
        # None past OGC_COUNT_MAX: numberMatched is then left out (optional in OGC API Features).
        matched = carried if carried is not None else page.matched
        # Backwards, the page the prev link came from follows this one.
        has_more = page.has_more or (cursor is not None and cursor.before is not None and page.returned > 0)

        result: dict[str, Any] = {"type": "FeatureCollection", "features": []}
        if request is not None and request.raw_features:
            request.features_text = page.features
        else:
            result["features"] = json.loads(f"[{page.features}]")
        if matched is not None:
            result["numberMatched"] = matched
        result["numberReturned"] = page.returned
        result["links"] = []
        if request is None or resulttype == "hits":
            return result
        request.links = result["links"]  # the view also puts them in the Link header of HTML and CSV pages
        # The count travels only for a filtered selection: an unfiltered one reads its exact counter for free.
        carried_count = matched if where.parts else None
        # No number on a filtered page (hits always has one): it was counted past OGC_COUNT_MAX, here or before.
        past_bound = bool(where.parts) and resulttype != "hits" and matched is None
        if offset > 0 and page.first_sort_values is not None:
            previous = max(0, offset - limit)
            before = page.first_sort_values if previous > 0 else None  # the first page needs no key
            result["links"].append(
                self._page_link(
                    request,
                    "prev",
                    previous,
                    before=before,
                    matched=carried_count,
                    past_bound=past_bound,
                    query=fingerprint,
                )
            )
        if has_more and page.last_sort_values is not None:
            result["links"].append(
                self._page_link(
                    request,
                    "next",
                    offset + page.returned,
                    after=page.last_sort_values,
                    matched=carried_count,
                    past_bound=past_bound,
                    query=fingerprint,
                )  # fmt: skip
            )
        return result

    def get(self, identifier: Any, crs_transform_spec: Any = None, **kwargs: Any) -> dict[str, Any]:
        key = _integer_id(identifier)
        query, params = item_query(self.collection, identifier=key, crs=self._output_crs(crs_transform_spec))

        def run() -> Any:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchone()

        row = self._run(run)
        if row is None:
            raise ProviderItemNotFoundError(user_msg=_no_item(identifier, self.collection.id))
        request = context.current()
        if request is not None:
            request.last_modified = row[1]
        return json.loads(row[0])

    # --- writing (Part 4) -------------------------------------------------------------------

    def create(self, item: Any) -> int:
        request = self._editor()
        return editing.location_create(
            user=request.user, feature=editing.parse_feature(item), content_crs=request.content_crs
        )

    def update(self, identifier: Any, item: Any) -> bool:
        request = self._editor()
        editing.location_change(
            user=request.user,
            location_id=_integer_id(identifier),
            feature=editing.parse_feature(item, patch=request.partial_update),
            content_crs=request.content_crs,
            partial=request.partial_update,
        )
        return True

    def delete(self, identifier: Any) -> bool:
        request = self._editor()
        editing.location_delete(user=request.user, location_id=_integer_id(identifier))
        return True

    def _editor(self) -> context.FeedRequest:
        """The authenticated editor the view established; writes are never anonymous."""
        request = context.current()
        if not self.editable or self.collection.id != "locations":
            message = gettext("De collectie %(collection)s kun je niet bewerken; alleen locations kan dat.")
            raise ProviderForbiddenError(user_msg=message % {"collection": self.collection.id})
        if request is None or request.user is None:
            raise ProviderForbiddenError(user_msg=gettext("Wijzigen kan alleen met je token."))
        return request

    # --- helpers ---------------------------------------------------------------------------

    def _field(self, name: str) -> Field:
        found = self.collection.field(name)
        if found is None:
            raise ProviderBadRequestError(user_msg=unknown_property(name))
        return found

    def _output_crs(self, spec: Any) -> crs.Crs:
        uri = spec.target_crs_uri if spec is not None else crs.storage_uri()
        output = crs.by_uri(uri)
        if output is None:
            raise ProviderBadRequestError(user_msg=unsupported_crs("crs", uri))
        return output

    def _page_link(
        self,
        request: context.FeedRequest,
        rel: str,
        offset: int,
        *,
        after: list[Any] | None = None,
        before: list[Any] | None = None,
        matched: int | None = None,
        past_bound: bool = False,
        query: str | None = None,
    ) -> dict[str, str]:
        """A next or prev link that keeps every parameter of this request, `f` included, and adds the key:
        either way the page is found by an index seek, never by reading the rows an offset skips."""
        from urllib.parse import urlencode

        params = {k: v for k, v in request.params.items() if k not in {"offset", CURSOR_PARAM}}
        params["offset"] = str(offset)
        if after is not None or before is not None:
            params[CURSOR_PARAM] = encode_cursor(
                Cursor(
                    offset=offset,
                    after=after,
                    before=before,
                    matched=matched,
                    past_bound=past_bound,
                    query=query if matched is not None or past_bound else None,
                )  # fmt: skip
            )
        return {
            "type": "application/geo+json",
            "rel": rel,
            "title": "Items (next)" if rel == "next" else "Items (prev)",
            "href": f"{request.items_url}?{urlencode(params)}",
        }

    def _run(self, work: Any) -> Any:
        return run_query(work)


def run_query(work: Any, *, site_url: str | None = None) -> Any:
    """Runs a query; a value PostgreSQL or PostGIS rejects (a bad geometry in a filter) is the client's error.

    Data exceptions (SQLSTATE 22) and PostGIS's own errors (XX000) come from values the
    client sent; anything else (a missing table, a lost connection) stays a server error.
    Links in the answer point at the host the request came to (ogc.sql.use_site_url).
    """
    request = context.current()
    if site_url is None and request is not None:
        site_url = request.site_url
    try:
        with transaction.atomic():
            use_site_url(site_url)
            return work()
    except OperationalError as error:
        if is_query_cancelled(error):  # the statement_timeout of web requests (gis_service.core.timeouts)
            raise ProviderTimeoutError(user_msg=cancelled_message()) from error
        raise
    except (DataError, InternalError) as error:
        LOGGER.info("query rejected by PostgreSQL: %s", error)
        # PostgreSQL's own words stay in its language (English): they name what it could not do.
        message = str(error).splitlines()[0] if str(error) else ""
        raise ProviderBadRequestError(
            user_msg=gettext("De database weigert deze vraag: %(reason)s") % {"reason": message}
        ) from error


def build_where(
    collection: Collection,
    params: Any,
    properties: list[tuple[str, str]],
    filter_body: str | None,
    storage: crs.Crs,
) -> Where:
    """The conditions of a request on its collection: bbox, datetime, property=value and CQL2 (text or JSON).

    Pages and downloads select with the same conditions; what cannot be answered raises ProviderBadRequestError.
    """
    where = Where()
    _add_bbox(collection, where, params, storage)
    _add_datetime(collection, where, params)
    for name, value in properties:
        found = collection.field(name)
        if found is not None:
            condition = _sql("({}) = CAST(%s AS {})", found.expression, _raw(found.sql_type))
            where.add(condition, [value], joined=found.joined)
    parsed_filter = _parse_filter(params, filter_body)
    if parsed_filter is not None:
        filter_crs = crs.by_uri(params.get("filter-crs"))
        if filter_crs is None:
            raise ProviderBadRequestError(user_msg=unsupported_crs("filter-crs", params.get("filter-crs")))
        try:
            condition, values, joined = compile_filter(parsed_filter, collection, storage, filter_crs)
        except CqlError as error:
            raise ProviderBadRequestError(user_msg=str(error)) from error
        where.add(condition, values, joined=joined)
    return where


def _add_bbox(collection: Collection, where: Where, params: Any, storage: crs.Crs) -> None:
    """The bbox as the client drew it, in its bbox-crs, moved to the storage CRS by PostGIS."""
    raw = params.get("bbox")
    if raw is None:
        if params.get("bbox-crs"):
            raise ProviderBadRequestError(
                user_msg=gettext("bbox-crs zonder bbox: geef ook een bbox, of laat bbox-crs weg.")
            )
        return
    numbers = bbox_numbers(raw)
    if len(numbers) == 6:  # a 3D box: our geometries are 2D
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    bbox_crs = crs.by_uri(params.get("bbox-crs"))
    if bbox_crs is None:
        raise ProviderBadRequestError(user_msg=unsupported_crs("bbox-crs", params.get("bbox-crs")))
    condition, values = bbox_condition(collection, numbers, bbox_crs, storage)
    where.add(condition, values)


def bbox_numbers(raw: str) -> list[float]:
    """The numbers of a `bbox` parameter, 4 or 6 of them, minimum before maximum on each axis.

    Ours rather than pygeoapi's validate_bbox, whose refusals are English texts with the values in them.
    """
    parts = raw.split(",")
    if len(parts) not in {4, 6}:
        raise ProviderBadRequestError(
            user_msg=gettext(
                "bbox heeft 4 getallen (minx,miny,maxx,maxy) of 6 (minx,miny,minz,maxx,maxy,maxz), "
                "gescheiden door komma's; deze heeft er %(count)d."
            )
            % {"count": len(parts)}
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if not numbers or not all(math.isfinite(n) for n in numbers):
        raise ProviderBadRequestError(
            user_msg=gettext("bbox bestaat uit getallen met een punt als decimaalteken, zoals 4.85,52.34,4.95,52.40.")
        )
    half = len(numbers) // 2
    for axis, low, high in zip(("x", "y", "z"), numbers[:half], numbers[half:], strict=False):
        if low > high:
            raise ProviderBadRequestError(
                user_msg=gettext("bbox: min%(axis)s is groter dan max%(axis)s; zet het minimum voorop.")
                % {"axis": axis}
            )
    return numbers


def _add_datetime(collection: Collection, where: Where, params: Any) -> None:
    """The `datetime` parameter, matched against the collection's temporal property (never ignored)."""
    raw = params.get("datetime")
    if raw is None:
        return
    try:
        zone = ZoneInfo(collection.temporal.zone if collection.temporal else "UTC")
        condition, values, joined = temporal.condition(collection, temporal.parse(raw, zone))
    except DatetimeError as error:
        raise ProviderBadRequestError(user_msg=str(error)) from error
    where.add(condition, values, joined=joined)


def _parse_filter(params: Any, body: str | None) -> Any:
    """The CQL2 filter of the request (text or JSON, in the query or a POSTed body), parsed."""
    text = params.get("filter")
    language = params.get("filter-lang") or ("cql2-text" if text is not None else "cql2-json")
    if text is None and not body:
        if params.get("filter-lang") or params.get("filter-crs"):
            raise ProviderBadRequestError(
                user_msg=gettext("filter-lang of filter-crs zonder filter: geef ook een filter, of laat ze weg.")
            )
        return None
    if language not in {"cql2-text", "cql2-json"}:
        raise ProviderBadRequestError(user_msg=gettext("filter-lang moet cql2-text of cql2-json zijn."))
    source = text if text is not None else (body or "")
    try:
        return parse_text(source) if language == "cql2-text" else parse_json(source)
    except CqlError as error:  # beyond a limit, or not CQL: the message says which
        raise ProviderBadRequestError(user_msg=str(error)) from error
    except Exception as error:  # pygeofilter's parsers raise many kinds of errors on bad input
        column = getattr(error, "column", None)
        where = gettext(" bij teken %(column)s") % {"column": column} if isinstance(column, int) else ""
        message = gettext("Het %(language)s-filter is onleesbaar%(where)s; zie de CQL2-standaard voor de vorm.") % {
            "language": language,
            "where": where,
        }
        raise ProviderBadRequestError(user_msg=message) from error


def _field_schema(f: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": f.json_type}
    if f.format:
        schema["format"] = f.format
    if f.enum:
        schema["values"] = list(f.enum)
    if f.description:
        schema["description"] = f.description
    return schema


def _integer_id(identifier: Any) -> int:
    try:
        value = int(str(identifier))
    except ValueError:
        raise ProviderItemNotFoundError(user_msg=_no_item(identifier)) from None
    if not -(2**63) <= value < 2**63:
        raise ProviderItemNotFoundError(user_msg=_no_item(identifier))
    return value


def _no_item(identifier: Any, collection_id: str | None = None) -> str:
    if collection_id is None:
        return gettext("Object %(id)s bestaat niet; een id is een geheel getal.") % {"id": identifier}
    return gettext("Object %(id)s bestaat niet in %(collection)s.") % {"id": identifier, "collection": collection_id}


def _sql(template: str, *parts: Any) -> Any:
    from psycopg import sql

    return sql.SQL(template).format(*parts)


def _raw(text: str) -> Any:
    from psycopg import sql

    return sql.SQL(text)
