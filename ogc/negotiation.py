"""Content negotiation for the feed, done before pygeoapi sees the request.

pygeoapi picks a format from `Accept` itself, and three things go wrong there: a media type
only a collection's formatter knows (`text/csv`) gets past our checks and fails later (500),
`q=0` divides by zero (500, in `Accept-Language` too), and parameters other than q make an
entry unreadable. Here the `Accept` header is resolved against what the answer comes in;
pygeoapi then sees only the choice (or no `Accept` at all for the default format).

An `Accept` header naming nothing we serve gets the default format (JSON), as RFC 9110
§12.5.1 allows: clients that send odd headers (or none) keep working. `?f=` wins over
`Accept`, as in pygeoapi, and an unknown `f` stays a 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True)
class Offer:
    format: str | None  # pygeoapi's format name; None for the default (JSON)
    media_types: tuple[str, ...]  # the first is what pygeoapi is told


JSON_LD = Offer("jsonld", ("application/ld+json",))
HTML = Offer("html", ("text/html", "application/xhtml+xml"))


def json_offer(*media_types: str) -> Offer:
    return Offer(None, (*media_types, "application/json"))


# What each kind of answer comes in; the first offer is the default.
METADATA = (json_offer(), HTML, JSON_LD)
OPENAPI = (json_offer("application/vnd.oai.openapi+json"), HTML)
# TileMatrixSets and processes: pygeoapi labelled its JSON application/ld+json when asked for JSON-LD.
JSON_OR_HTML = (json_offer(), HTML)
SCHEMA = (json_offer("application/schema+json"), HTML)
# CSV, GeoPackage and FlatGeobuf are downloads of every matching feature (ogc.downloads).
ITEMS = (
    json_offer("application/geo+json"), HTML, JSON_LD, Offer("csv", ("text/csv",)),
    Offer("gpkg", ("application/geopackage+sqlite3",)), Offer("fgb", ("application/flatgeobuf",)),
)  # fmt: skip
ITEM = (json_offer("application/geo+json"), HTML, JSON_LD)


def _entries(header: str) -> list[tuple[float, int, str]]:
    """(quality, position, value) of each entry of an Accept-style header; unreadable ones dropped."""
    entries = []
    for position, part in enumerate(header.split(",")):
        value, *parameters = (piece.strip() for piece in part.split(";"))
        if not value:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, raw = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(raw)
                except ValueError:
                    quality = -1.0
        if 0.0 <= quality <= 1.0:
            entries.append((quality, position, value.lower()))
    return entries


def choose(accept: str, offers: Iterable[Offer]) -> Offer:
    """The offer the client prefers most (ties: its order, then ours); the default when none fits."""
    offers = tuple(offers)
    best: tuple[float, int, int] | None = None
    chosen = offers[0]
    for quality, position, value in _entries(accept):
        if quality == 0:
            continue
        for rank, offer in enumerate(offers):
            kind = offer.media_types[0].split("/")[0]
            if value in offer.media_types or value == "*/*" or value == f"{kind}/*":
                key = (-quality, position, rank)
                if best is None or key < best:
                    best, chosen = key, offer
                break
    return chosen


def clean_language(header: str) -> str:
    """Accept-Language without the entries pygeoapi cannot read (q=0 makes it divide by zero)."""
    return ", ".join(
        value if quality == 1 else f"{value};q={quality:g}"
        for quality, _, value in sorted(_entries(header), key=lambda e: e[1])
        if quality > 0
    )


def lang_codes(value: str) -> list[str]:
    """The language tags of a `lang` parameter, read as pygeoapi reads it: a tag or a list of them with
    weights as in Accept-Language, `_` taken for `-` (en_US); none for what is no language tag."""
    return [code for code, _q in parse_accept_lang_header(value.replace("_", "-"))]


def offered_language(codes: Iterable[str]) -> str | None:
    """The first of `codes` the feed comes in (a variant of it: en-GB is en), or None."""
    for code in codes:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def feed_language(request: Any) -> str:
    """The language a feed answer comes in: `lang=` (pygeoapi's parameter), else the best of
    `Accept-Language` we have, else the site's default (Dutch).

    Not the site's language cookie or profile, as on the web pages: shared caches keep feed answers
    (Cache-Control: public) and tell them apart by headers only (Vary: Accept-Language). A `lang` we do not
    offer, or one that is no language tag, is refused (ogc.parameters), in the language of the header.
    """
    header = parse_accept_lang_header(clean_language(request.headers.get("Accept-Language", "")))
    asked = [*lang_codes(request.GET.get("lang", "")), *(code for code, _q in header)]
    return offered_language(asked) or str(settings.LANGUAGE_CODE)


class NegotiatedRequest:
    """The Django request as pygeoapi should see it: `Accept` resolved here, `Accept-Language` cleaned."""

    def __init__(self, request: Any, offer: Offer | None) -> None:
        self._request = request
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"accept", "accept-language"}}
        if offer is not None and offer.format is not None:
            headers["Accept"] = offer.media_types[0]
        headers["Accept-Language"] = feed_language(request)
        self.headers = headers

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)
