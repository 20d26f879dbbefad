"""The API's JSON parser: DRF's, plus the limits that keep hostile JSON from reaching a view.

Python's json module recurses per level (3,000 levels raised RecursionError, a 500), turns
`1e999` into infinity (which the renderer then cannot write back, another 500) and accepts a
lone UTF-16 surrogate such as "\\ud800" (which no UTF-8 answer or database row can hold).
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_SURROGATE = re.compile("[\ud800-\udfff]")


def max_depth() -> int:
    """How deeply arrays and objects may nest: a GeoJSON MultiPolygon in a request needs 5."""
    return int(getattr(settings, "API_JSON_MAX_DEPTH", 32))


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ParseError(_("Het getal %(number)s is te groot.") % {"number": text[:20]})
    return value


def _no_constant(name: str) -> float:
    raise ParseError(_("%(name)s is geen getal in JSON.") % {"name": name})


def _too_deep() -> ParseError:
    return ParseError(_("De JSON is te diep genest; maximaal %(limit)d niveaus.") % {"limit": max_depth()})


# In JSON text a lone surrogate can only come from an escape: decoded UTF-8 holds none.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Objects nest like arrays: with `{}` read as `[]` and every other byte deleted, the brackets of a
# document are left, in one C-speed pass.
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(code for code in range(256) if code not in b"[]{}")


def max_containers() -> int:
    """How many arrays and objects one document may hold: a drawn area of AREA_MAX_VERTICES needs one per vertex."""
    return int(getattr(settings, "API_JSON_MAX_CONTAINERS", 50_000))


def _too_many_containers() -> ParseError:
    return ParseError(_("De JSON bevat meer dan %(limit)d lijsten en objecten.") % {"limit": max_containers()})


def check_structure(text: str) -> None:
    """Refuses text whose arrays and objects nest deeper than max_depth() or number more than
    max_containers(), before the text is parsed (iterating parsed values in Python took 1.1 s for
    300,000 empty rings; parsing 10 MB of them 1 s). Outside strings, the brackets are counted and
    peeled one level per pass (`[]` removed, each pass in C): a document deeper than the limit
    keeps some after max_depth() passes. Text that is no JSON may pass or fail here: the parser
    then says what is wrong with it."""
    brackets = _STRING.sub("", text).encode("utf-8", "surrogatepass").translate(_AS_SQUARE, _NOT_BRACKETS)
    if len(brackets) // 2 > max_containers():
        raise _too_many_containers()
    for _level in range(max_depth()):
        if not brackets:
            return
        brackets = brackets.replace(b"[]", b"")
    if brackets:
        raise _too_deep()


def check_values(data: Any) -> None:
    """Refuses nesting deeper than max_depth() and strings with a lone surrogate; iterative, so a deep
    document cannot exhaust the stack here either."""
    limit = max_depth()
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ParseError(_("De tekst bevat een ongeldig teken."))
        elif isinstance(value, dict | list):
            if depth >= limit:
                raise _too_deep()
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items if isinstance(item, str | dict | list))


def loads(text: str) -> Any:
    """JSON text parsed within the limits above; ParseError (with a message for people) otherwise."""
    check_structure(text)
    try:
        data = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:  # also digits beyond int's limit
        raise ParseError(_("Geen geldige JSON: %(error)s") % {"error": exc}) from None
    if _SURROGATE_ESCAPE.search(text):
        check_values(data)  # rare: walk the values to tell a lone surrogate from a pair (an emoji)
    return data


class LimitedJSONParser(JSONParser):
    """DRF's JSONParser with a nesting limit, finite numbers only and no lone surrogates."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except ValueError as exc:  # UnicodeDecodeError
            raise ParseError(_("Geen geldige JSON: %(error)s") % {"error": exc}) from None
        return loads(text)
