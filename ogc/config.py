"""pygeoapi's configuration and OpenAPI document, generated from `ogc.collections` and settings."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gis_service.geo import crs
from ogc import tiles
from ogc.collections import COLLECTIONS, Collection
from ogc.openapi import make_valid

# A page of 1000 is what GDAL and our map ask for; 10000 keeps one response under ~7 MB.
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "pygeoapi"
# Where pygeoapi's Jinja2 pages find their translations: <dir>/<language>/LC_MESSAGES/messages.mo,
# which is a link to the app's django.mo (ogc/locale), so the pages and Python share one catalog.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
PROVIDER = "ogc.providers.CollectionProvider"
# The Netherlands, in CRS84: the extent every collection is declared with.
NL_BBOX = [3.2, 50.7, 7.3, 53.6]
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",  # LIKE, IN, BETWEEN
    # The draft's name of basic-spatial-functions, which QGIS looks for before it sends spatial filters
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/queryables",
    *tiles.CONFORMANCE,  # OGC API – Tiles (ogc/tiles.py)
]


def in_each_language(text: Any) -> dict[str, str]:
    """pygeoapi's language struct of a translatable text: {"nl": …, "en": …}; it answers in the
    request's language (`lang=`, then Accept-Language), the site's default first."""
    values = {}
    for code in languages():
        with translation.override(code):
            values[code] = str(text)
    return values


def languages() -> list[str]:
    """The site's languages, its default (Dutch) first: pygeoapi answers in the first when asked for none."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE, *(code for code in codes if code != settings.LANGUAGE_CODE)]


def _extents(collection: Collection) -> dict[str, Any]:
    """The spatial extent, and a temporal one for collections `datetime` selects on.

    The temporal interval is open here; the views fill in the data's real first and last
    moment when they answer (ogc.sql.temporal_extent), as pygeoapi reads this only once.
    """
    extents: dict[str, Any] = {"spatial": {"bbox": NL_BBOX, "crs": crs.CRS84}}
    if collection.temporal is not None:
        extents["temporal"] = {"begin": None, "end": None, "trs": GREGORIAN}
    return extents


def _download_links(collection: Collection, base_url: str) -> list[dict[str, str]]:
    """Links to the collection as a file, on its page (JSON and HTML).

    `items` in another encoding, which is what they are. Not `enclosure`: pygeoapi would send a
    HEAD request to each (building the file) on every collection answer to learn its length.
    The GeoJSON file is left out: GDAL takes the first `items` link of type GeoJSON for its pages.
    """
    from ogc.downloads import FORMATS

    return [
        {
            "type": f.media_type.split(";")[0],
            "rel": "items",
            "title": str(f.title),
            "href": f"{base_url}/collections/{collection.id}/items?f={f.name}",
        }
        for f in FORMATS.values()
        if f.name != "geojson"
    ]


def _resource(collection: Collection, base_url: str) -> dict[str, Any]:
    return {
        "type": "collection",
        "title": in_each_language(collection.title),
        "description": in_each_language(collection.description),
        "keywords": list(collection.keywords),
        "links": _download_links(collection, base_url),
        "extents": _extents(collection),
        "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT, "on_exceed": "throttle"},
        "providers": [
            {
                "type": "feature",
                "name": PROVIDER,
                "data": collection.id,
                "id_field": "id",
                "title_field": "name" if collection.field("name") else None,
                "editable": collection.editable,
                "crs": list(crs.supported()),
                "storage_crs": crs.storage_uri(),
            }
        ],
    }


def pygeoapi_config(base_url: str) -> dict[str, Any]:
    """The configuration pygeoapi would read from YAML, for a feed served at `base_url`."""
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": languages(),
            "locale_dir": str(LOCALE_DIR),
            "pretty_print": False,
            "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT, "on_exceed": "throttle"},
            # The feed's HTML pages in the site's look, from our static files (ogc/templates/pygeoapi):
            # pygeoapi's own load Bootstrap and Leaflet from CDNs, OSM tiles and inline script, which
            # the Content-Security-Policy refuses. The map has the public map's background.
            "templates": {"path": str(TEMPLATES_DIR)},
            "map": {"url": settings.MAP_BACKGROUND_URL, "attribution": settings.MAP_BACKGROUND_ATTRIBUTION},
            # Without strict slashes /items redirects to /items/, which clients do not expect.
            "api_rules": {"strict_slashes": True, "api_version": "1.0.0", "url_prefix": ""},
            "admin": False,
        },
        "logging": {"level": "WARNING"},
        # Read by our templates only: where the site and its static files are.
        "zelfbeheer": {
            "static_url": settings.STATIC_URL,
            "background_url": settings.MAP_BACKGROUND_URL,
            "background_attribution": settings.MAP_BACKGROUND_ATTRIBUTION,
        },
        "metadata": {
            "identification": {
                "title": "Zelfbeheerplatform",
                "description": in_each_language(_("Openbare ruimte in zelfbeheer, als OGC API Features")),
                "keywords": ["zelfbeheer", "openbare ruimte", "OGC API Features"],
                "keywords_type": "theme",
                "terms_of_service": "https://creativecommons.org/publicdomain/zero/1.0/",
                "url": settings.SITE_URL,
            },
            "license": {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
            "provider": {"name": "Zelfbeheerplatform", "url": settings.SITE_URL},
            "contact": {"name": "Zelfbeheerplatform", "email": settings.DEFAULT_FROM_EMAIL, "role": "pointOfContact"},
        },
        "resources": {cid: _resource(collection, base_url) for cid, collection in COLLECTIONS.all().items()},
    }


def openapi_document(config: dict[str, Any]) -> dict[str, Any]:
    """pygeoapi's OpenAPI 3.0 document, with what GDAL, QGIS and CQL2 clients look for added, made valid."""
    from pygeoapi.openapi import get_oas

    document = deepcopy(get_oas(config))
    limit = {
        "name": "limit",
        "in": "query",
        "description": f"The number of features in a page (maximum={MAX_LIMIT}, default={DEFAULT_LIMIT}).",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    }
    parameters = document.setdefault("components", {}).setdefault("parameters", {})
    parameters["limit"] = limit
    parameters["filter"] = {
        "name": "filter",
        "in": "query",
        "description": "A CQL2 filter (text, or JSON with filter-lang=cql2-json)",
        "required": False,
        "schema": {"type": "string"},
    }
    parameters["filter-lang"] = {
        "name": "filter-lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"},
    }
    parameters["filter-crs"] = {
        "name": "filter-crs",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "uri", "enum": list(crs.supported()), "default": crs.CRS84},
    }
    parameters["sortby"] = {
        "name": "sortby",
        "in": "query",
        "description": "Comma-separated properties, each with an optional + or - prefix",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": {"type": "string"}},
    }
    parameters["cursor"] = {
        "name": "cursor",
        "in": "query",
        "description": "Where the page starts: set by next links, do not build it yourself",
        "required": False,
        "schema": {"type": "string"},
    }
    parameters["datetime"] = {
        "name": "datetime",
        "in": "query",
        "description": "Features whose temporal property meets this RFC 3339 instant or interval, '..' for an open"
        " end: 2026-01-01T00:00:00Z/.., ../2020-01-01, 2026-05-01 (a whole day)",
        "required": False,
        "style": "form",
        "explode": False,
        "schema": {"type": "string"},
    }
    for path, item in document.get("paths", {}).items():
        if not path.endswith("/items") or "get" not in item:
            continue
        collection = COLLECTIONS.get(path.removesuffix("/items").rsplit("/", 1)[-1])
        kept = []
        for parameter in item["get"]["parameters"]:
            ref = parameter.get("$ref", "") if isinstance(parameter, dict) else ""
            if parameter.get("name") == "limit":
                parameter = limit
            if ref.endswith("sortby.yaml"):  # a remote file: give clients the parameter itself
                parameter = {"$ref": "#/components/parameters/sortby"}
            if ref.endswith("/datetime"):
                continue
            kept.append(parameter)
        names = ["filter", "filter-lang", "filter-crs", "cursor"]
        if collection is not None and collection.temporal is not None:
            names.append("datetime")  # pygeoapi lists it only for its own time_field
        for name in names:
            kept.append({"$ref": f"#/components/parameters/{name}"})
        item["get"]["parameters"] = kept
    tags = {path.split("/")[2]: item["get"]["tags"][0] for path, item in document["paths"].items()
            if path.startswith("/collections/") and path.count("/") == 2 and "get" in item}  # fmt: skip
    document["paths"].update(tiles.openapi_paths(tags))
    document = make_valid(document)
    _offer_downloads(document)
    # pygeoapi lists a tag for every kind of resource it knows (coverages, edr, maps, processes, stac, ...):
    # only those of operations this API has are kept, so a reader of the definition sees only what it offers.
    used = {tag for item in document["paths"].values() for op in item.values() if isinstance(op, dict)
            for tag in op.get("tags", [])}  # fmt: skip
    document["tags"] = [tag for tag in document.get("tags", []) if tag["name"] in used]
    return document


def _offer_downloads(document: dict[str, Any]) -> None:
    """`f` on each collection's /items also takes the download formats (ogc.downloads)."""
    from ogc.downloads import FORMATS

    for path, item in document.get("paths", {}).items():
        if not path.endswith("/items") or "get" not in item:
            continue
        for parameter in item["get"].get("parameters", []):
            enum = parameter.get("schema", {}).get("enum") if parameter.get("name") == "f" else None
            if isinstance(enum, list):
                enum.extend(name for name in FORMATS if name not in enum)
