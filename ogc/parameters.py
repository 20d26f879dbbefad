"""The values of the feed's own query parameters, checked before anything reads them: a value we cannot
honour is refused with a message that says what is allowed, never read as if the parameter were absent.

pygeoapi reads `skipGeometry=maybe` as false, `resulttype=nope` (and `HITS`) as results and `limit=true`
as 1, and takes the last of a repeated parameter; an empty `crs=`, `f=` or `filter-lang=` meant the
default. Each of those answered 200 (docs/ogc.md, *Parameter values*).

What clients send keeps working: every boolean pygeoapi reads (`true`, `True`, `1`, `yes`, `on`, and
their opposites), `lang` as a language tag or an Accept-Language list (`en-US`, `en_US`, `en,nl`).
A language we do not offer is refused like a value that is no language tag: `lang` asks in so many words
(Accept-Language, a preference, still falls back to the default).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from ogc import negotiation

# pygeoapi's str2bool reads these as true and anything else as false; the false ones are their opposites.
TRUE_VALUES = frozenset({"true", "t", "1", "yes", "on"})
FALSE_VALUES = frozenset({"false", "f", "0", "no", "off"})
RESULT_TYPES = ("results", "hits")
# The pages of the OpenAPI document we serve (`/ogc/openapi?f=html&ui=…`); pygeoapi read any other value,
# `ui=foo` or `ui=ReDoc`, as Swagger UI.
UIS = ("swagger", "redoc")
# Digits, as clients write a count; pygeoapi would also take `true` (1) and Python's `1_000`.
WHOLE_NUMBER = re.compile(r"\s*\+?[0-9]+\s*")
# The parameters of ours whose empty value would mean the default (or nothing): a property filter's
# empty value is a value (`owner=` selects those without one), so only these are refused when empty.
OWN_PARAMETERS = frozenset({
    "f", "lang", "limit", "offset", "cursor", "bbox", "bbox-crs", "crs", "datetime", "resulttype", "sortby",
    "properties", "skipGeometry", "filter", "filter-lang", "filter-crs",
})  # fmt: skip


def refusal(
    params: Any,
    *,
    formats: Collection[str] | None = None,
    uis: Collection[str] | None = None,
    read: Collection[str] | None = None,
) -> str | None:
    """Why the query `params` (a QueryDict) cannot be answered as asked, or None when every value can.

    `formats` are the values `f` may take here (None: the caller or pygeoapi checks `f`); `uis` those `ui`
    may take (None: `ui` is not ours here); `read` the parameters the answer reads (None: all), the others
    are not looked at.
    """
    if read is not None:
        params = params.copy()
        for name in set(params) - set(read):
            del params[name]
    if repeated := sorted(name for name in params if len(params.getlist(name)) > 1):
        return gettext("Geef elke parameter één keer: %(names)s.") % {"names": ", ".join(repeated)}
    own = OWN_PARAMETERS | ({"ui"} if uis is not None else set())
    if empty := sorted(name for name in params if name in own and not params[name].strip()):
        return gettext("%(names)s zonder waarde: geef een waarde, of laat de parameter weg.") % {
            "names": ", ".join(empty)
        }
    if formats is not None and "f" in params and params["f"] not in formats:
        return unknown_format(params["f"], formats)
    if uis is not None and "ui" in params and params["ui"] not in uis:
        return gettext("ui=%(value)s wordt hier niet aangeboden; gebruik %(uis)s.") % {
            "value": params["ui"],
            "uis": ", ".join(uis),
        }
    if "lang" in params and (refused := _lang_refusal(params["lang"])):
        return refused
    if "skipGeometry" in params and params["skipGeometry"].lower() not in TRUE_VALUES | FALSE_VALUES:
        return gettext("skipGeometry=%(value)s is geen ja of nee; gebruik skipGeometry=true of skipGeometry=false.") % {
            "value": params["skipGeometry"]
        }
    if "resulttype" in params and params["resulttype"] not in RESULT_TYPES:
        return gettext("resulttype=%(value)s bestaat niet; gebruik resulttype=results of resulttype=hits.") % {
            "value": params["resulttype"]
        }
    if "limit" in params and not WHOLE_NUMBER.fullmatch(params["limit"]):
        return gettext("limit moet een geheel getal van 1 of meer zijn.")
    if "offset" in params and not WHOLE_NUMBER.fullmatch(params["offset"]):
        return gettext("offset moet een geheel getal van 0 of meer zijn.")
    return None


def unknown_parameters(names: Collection[str], allowed: Collection[str], *, queryables: bool = False) -> str:
    """The refusal of parameters an answer does not know, naming those it takes (and the queryables, where
    a collection's properties filter it)."""
    values = {"names": ", ".join(sorted(names)), "allowed": ", ".join(sorted(allowed, key=str.lower))}
    if queryables:
        return (
            gettext(
                "Onbekende parameters: %(names)s. Je kunt hier %(allowed)s gebruiken, en de eigenschappen uit de "
                "queryables van de collectie."
            )
            % values
        )
    return gettext("Onbekende parameters: %(names)s. Je kunt hier %(allowed)s gebruiken.") % values


def not_allowed(method: str, allowed: str) -> str:
    """The refusal of a method an answer does not take, naming those it does."""
    return gettext("%(method)s kan hier niet; gebruik %(allowed)s.") % {"method": method, "allowed": allowed}


def unknown_format(value: str, formats: Collection[str]) -> str:
    """The refusal of an `f` not offered here, naming those that are."""
    return gettext("f=%(format)s wordt hier niet aangeboden; gebruik %(formats)s.") % {
        "format": value,
        "formats": ", ".join(sorted(formats)),
    }


def _lang_refusal(value: str) -> str | None:
    """Why `lang` cannot be honoured: it is no language tag, or names no language the feed comes in (`*`, any,
    is one). Asked in so many words, unlike Accept-Language, a preference, which falls back to the default;
    the API's documentation refuses it the same way (gis_service.api.docs)."""
    codes = negotiation.lang_codes(value)
    if not codes:
        return gettext(
            "lang=%(value)s is geen taalcode; gebruik bijvoorbeeld lang=nl of lang=en (of en-US, zoals een browser)."
        ) % {"value": value}
    if "*" not in codes and negotiation.offered_language(codes) is None:
        return gettext(
            "lang=%(value)s: de feed is er alleen in %(codes)s; gebruik bijvoorbeeld lang=nl of lang=en."
        ) % {"value": value, "codes": ", ".join(code for code, _name in settings.LANGUAGES)}
    return None
