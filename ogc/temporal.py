"""The `datetime` parameter (OGC API Features Part 1): instants and intervals, as SQL with bound values.

QGIS 3.22 and GDAL 3.6 turn a date condition into `datetime=`, so a feed that ignored it
would answer every feature. Each collection declares its temporal property (`Temporal`);
a request's `datetime` is parsed here (RFC 3339 date-times, and the date-only form those
clients also send) and matched against it, or refused with 400.

Matching follows Part 1: a feature matches when its instant or period intersects the
requested instant or interval; `..` (or an empty string) leaves an end open. A date-only
value stands for its whole calendar day in the collection's time zone, a date-time for that
instant (without an offset: local time there); a date property covers its whole day, and a
period with no end runs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from psycopg import sql

from ogc.collections import Collection, Field

DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$")
OPEN = {"..", ""}


class DatetimeError(ValueError):
    """A `datetime` value that is not an RFC 3339 instant or interval."""


@dataclass(frozen=True)
class Span:
    """What a request asks for: from `start` (inclusive) to `end`, both optional (open)."""

    start: datetime | None
    end: datetime | None
    end_exclusive: bool  # a date-only end: up to the next day's midnight, not including it


def _explain(value: str) -> str:
    return gettext(
        "datetime %(value)s is geen RFC 3339-tijdstip of -datum, of een interval van twee daarvan met '..' voor "
        "een open eind (zoals 2026-01-01T00:00:00Z, 2026-05-01, 2026-01-01T00:00:00Z/.. of ../2020-01-01)."
    ) % {"value": value}


# An offset such as +02:00 sent unencoded in a query string arrives as " 02:00".
UNENCODED_PLUS = re.compile(r"(\d{2}:\d{2}(\.\d+)?) (\d{2}:\d{2})$")


def _instant(text: str, zone: ZoneInfo, original: str) -> tuple[datetime, datetime | None]:
    """The start of `text`, and for a date-only value the start of the next day."""
    text = UNENCODED_PLUS.sub(r"\1+\3", text)
    if match := DATE.match(text):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as error:
            raise DatetimeError(_explain(original)) from error
        start = datetime.combine(day, time(), zone)
        return start, datetime.combine(day + timedelta(days=1), time(), zone)
    if DATE_TIME.match(text):
        try:
            moment = datetime.fromisoformat(text.upper().replace(" ", "T"))
        except ValueError as error:
            raise DatetimeError(_explain(original)) from error
        # RFC 3339 requires an offset; without one (as some clients send it) it is the collection's local time
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)), None
    raise DatetimeError(_explain(original))


def parse(value: str, zone: ZoneInfo) -> Span:
    """The span of a `datetime` parameter; date-only values are days in `zone`."""
    text = value.strip()
    parts = text.split("/")
    if len(parts) == 1:
        if text in OPEN:
            raise DatetimeError(_explain(value))
        start, next_day = _instant(text, zone, value)
        return Span(start, next_day or start, end_exclusive=next_day is not None)
    if len(parts) != 2 or (parts[0].strip() in OPEN and parts[1].strip() in OPEN):
        raise DatetimeError(_explain(value))
    first, last = (part.strip() for part in parts)
    begins: datetime | None = None if first in OPEN else _instant(first, zone, value)[0]
    end: datetime | None = None
    exclusive = False
    if last not in OPEN:
        end_start, next_day = _instant(last, zone, value)
        end, exclusive = (next_day, True) if next_day is not None else (end_start, False)
    if begins is not None and end is not None and (end < begins or (exclusive and end == begins)):
        raise DatetimeError(gettext("datetime %(value)s eindigt voordat het begint.") % {"value": value})
    return Span(begins, end, exclusive)


def _first_day(moment: datetime, zone: ZoneInfo) -> date:
    """The first calendar day (in `zone`) that has a moment at or after `moment`."""
    return moment.astimezone(zone).date()


def _last_day(moment: datetime, exclusive: bool, zone: ZoneInfo) -> date:
    """The last calendar day (in `zone`) that has a moment before (or at) `moment`."""
    local = moment.astimezone(zone)
    if exclusive and local.time() == time():
        return local.date() - timedelta(days=1)
    return local.date()


def _expression(found: Field) -> sql.Composable:
    return sql.SQL("({})").format(found.expression)


def condition(collection: Collection, span: Span) -> tuple[sql.Composable, list[object], bool]:
    """SQL that keeps the features whose temporal property meets `span`, its values, and whether it joins."""
    temporal = collection.temporal
    if temporal is None:
        raise DatetimeError(gettext("%(id)s heeft geen tijdseigenschap: laat datetime weg.") % {"id": collection.id})
    zone = ZoneInfo(temporal.zone)
    start_field = collection.field(temporal.start)
    end_field = collection.field(temporal.end) if temporal.end else None
    if start_field is None or (temporal.end and end_field is None):
        raise RuntimeError(f"{collection.id}: its temporal properties are not among its fields")
    parts: list[sql.Composable] = []
    params: list[object] = []
    days = start_field.sql_type == "date"
    begins, ends = _expression(start_field), _expression(end_field or start_field)
    if span.end is not None:  # the feature begins before the span ends
        if days:
            parts.append(sql.SQL("{} <= %s").format(begins))
            params.append(_last_day(span.end, span.end_exclusive, zone))
        else:
            parts.append(sql.SQL("{} {} %s").format(begins, sql.SQL("<" if span.end_exclusive else "<=")))
            params.append(span.end)
    if span.start is not None:  # and ends after it starts; a period without an end runs on
        compare = sql.SQL("{} >= %s").format(ends)
        if end_field is not None:
            compare = sql.SQL("({} IS NULL OR {})").format(ends, compare)
        parts.append(compare)
        params.append(_first_day(span.start, zone) if days else span.start)
    joined = start_field.joined or bool(end_field and end_field.joined)
    return sql.SQL("({})").format(sql.SQL(" AND ").join(parts)), params, joined


def _moment(value: date | datetime | None, zone: ZoneInfo, *, end: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59) if end else time(), zone)
    return value.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


def extent(collection: Collection) -> list[str | None] | None:
    """The first and last moment of the collection's public features (None: open, or no features)."""
    from django.db import connection

    temporal = collection.temporal
    if temporal is None:
        return None
    start_field = collection.field(temporal.start)
    end_field = collection.field(temporal.end) if temporal.end else start_field
    if start_field is None or end_field is None:
        raise RuntimeError(f"{collection.id}: its temporal properties are not among its fields")
    joined = start_field.joined or end_field.joined
    ends = _expression(end_field)
    query = sql.SQL(
        "SELECT min({begins}), CASE WHEN bool_or({ends} IS NULL) THEN NULL ELSE max({ends}) END"
        " FROM {rows} WHERE {public}"
    ).format(
        begins=_expression(start_field),
        ends=ends,
        rows=collection.from_clause if joined else collection.table,
        public=collection.public_rows,
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        first, last = cursor.fetchone()
    zone = ZoneInfo(temporal.zone)
    return [_moment(first, zone, end=False), _moment(last, zone, end=True)]
