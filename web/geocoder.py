"""Address search for the map: a geocoder that answers as PDOK's Locatieserver `/free` does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from django.conf import settings

_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)\s*$", re.IGNORECASE)


class GeocoderError(Exception):
    """The geocoder could not be reached or answered something we cannot read."""


@dataclass(frozen=True)
class Place:
    name: str  # weergavenaam: "Kerkweg 1, 1234AB Hilversum"
    kind: str  # type: adres, weg, postcode, woonplaats, gemeente, …
    lon: float
    lat: float


def search(text: str, *, limit: int = 5) -> list[Place]:
    """The places the geocoder finds for `text`, best first (CRS84 centroids)."""
    query = urlencode({"q": text, "rows": limit, "fl": "weergavenaam,type,centroide_ll"})
    try:
        # S310: GEOCODER_URL is checked to be http(s) by the settings (env_url).
        with urlopen(f"{settings.GEOCODER_URL}?{query}", timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310
            answer = json.load(response)
        docs = answer["response"]["docs"]
    except (URLError, TimeoutError, OSError, ValueError, KeyError, TypeError) as error:
        raise GeocoderError(str(error)) from error
    places = []
    for doc in docs:
        match = _POINT.match(str(doc.get("centroide_ll", "")))
        if match is None:
            raise GeocoderError(f"no centroide_ll POINT in {doc!r}")
        places.append(
            Place(str(doc.get("weergavenaam", "")), str(doc.get("type", "")), float(match[1]), float(match[2]))
        )
    return places
