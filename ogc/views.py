"""Thin views: pygeoapi's API functions on one cached API object, plus what pygeoapi leaves to the web layer.

That is: CORS for reading, ETag/Last-Modified with 304 answers, CSRF exemption (CQL2-JSON
queries and Part 4 writes are POSTs from non-browser clients, authenticated by token),
authentication of writes, and sending the provider's GeoJSON text without re-serialising it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlencode

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
import pygeoapi.api.processes as processes_api
import pygeoapi.api.tiles as tiles_api
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.csp import CSP
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from pygeoapi.api import API, F_HTML, APIRequest
from pygeoapi.util import render_j2_template
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from gis_service.geo import crs
from ogc import downloads, negotiation, parameters, temporal, tiles
from ogc.api import get_api
from ogc.collections import COLLECTIONS, Collection
from ogc.context import FeedRequest, feed_request
from ogc.cql import CqlError, parse_json
from ogc.editing import editor_owner_ids
from ogc.errors import ProviderBadRequestError, unsupported_crs
from ogc.sql import spatial_extent
from ogc.throttles import computes, filter_wait

Result = tuple[dict[str, Any], int, Any]
FEATURES_PREFIX = '{"type":"FeatureCollection","features":[]'
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Crs, ETag, Last-Modified, Location, Link, Content-Language",
}
READ_METHODS = {"GET", "HEAD"}
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
# Answers may be kept this long by browsers and shared caches, then revalidated by ETag (a 304 is
# cheap). Features and collections (whose temporal extents follow the data) change when someone
# edits or an import runs: a minute. Metadata changes only with a deployment: an hour.
DATA_CACHE = "public, max-age=60"
METADATA_CACHE = "public, max-age=3600"
METADATA = negotiation.METADATA
# Query parameters of /items besides the queryables; anything else answers 400 (Part 1, query-param-unknown).
ITEMS_PARAMETERS = {
    "f", "lang", "limit", "offset", "cursor", "bbox", "bbox-crs", "crs", "datetime", "resulttype", "sortby",
    "properties", "skipGeometry", "filter", "filter-lang", "filter-crs",
}  # fmt: skip
ITEM_PARAMETERS = {"f", "lang", "crs"}
# Query parameters every other answer of pygeoapi's reads (landing page, conformance, collections, queryables,
# schema, OpenAPI, TileMatrixSets, processes), whose values are checked. Others are not refused there: QGIS
# sends the query of a connection's URL (`/ogc?type=gras`, a filter of its items) with every request.
METADATA_PARAMETERS = {"f", "lang"}
# The OpenAPI document also reads `ui`, the page that shows it (ogc.parameters.UIS).
OPENAPI_PARAMETERS = METADATA_PARAMETERS | {"ui"}
# Redoc (`/ogc/openapi?f=html&ui=redoc`) writes its styles into <style> elements, which style-src 'self'
# refuses, so the page stayed blank. On that page alone: those carrying the answer's nonce (styled-components
# puts the one ogc/redoc_ui.js hands Redoc on each), and the two Redoc's bundle inserts as it loads, before
# it knows the nonce: perfect-scrollbar's style sheet (by its hash, Redoc 2.5.4 of drf-spectacular-sidecar
# 2026.10.1; tests/web/test_api_docs.py fails with the new hash when an upgrade changes it) and an empty one.
REDOC_STYLE_HASHES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's .ps{…} rules
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "" (the element, before its text)
]
REDOC_CSP: dict[str, Any] = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.NONCE, *REDOC_STYLE_HASHES]}


def landing_page(request: HttpRequest) -> HttpResponse:
    return _respond(request, core_api.landing_page, cache=METADATA_CACHE)


def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document, or (`f=html`) a page over it: Swagger UI, or Redoc with `ui=redoc`."""
    if request.GET.get("ui") == "redoc":
        return _openapi_redoc(request)
    return _openapi_answer(request, core_api.openapi_)


def _openapi_answer(request: HttpRequest, function: Callable[[API, APIRequest], Result]) -> HttpResponse:
    """`function`'s answer (the document, or a page over it) with the OpenAPI document's parameters checked."""
    return _respond(
        request, function, offers=negotiation.OPENAPI, cache=METADATA_CACHE, read=OPENAPI_PARAMETERS,
        uis=parameters.UIS,
    )  # fmt: skip


@csp_override(REDOC_CSP)
def _openapi_redoc(request: HttpRequest) -> HttpResponse:
    """`ui=redoc`: Redoc's page carries the nonce its style elements need (REDOC_CSP); the JSON document
    is as without `ui`."""

    def document_or_page(api: API, api_request: APIRequest) -> Result:
        if api_request.format != F_HTML:
            return core_api.openapi_(api, api_request)
        # pygeoapi's openapi_ renders this template too, but its data cannot carry the request's nonce
        data = {"openapi-document-path": f"{api.base_url}/openapi", "csp-nonce": str(get_nonce(request))}
        page = render_j2_template(
            api.tpl_config, api.config["server"]["templates"], "openapi/redoc.html", data, api_request.locale
        )
        return api_request.get_response_headers(**api.api_headers), HTTPStatus.OK, page

    response = _openapi_answer(request, document_or_page)
    if get_nonce(request):  # made (LazyNonce) only for the page
        # A nonce is one answer's: a page kept and shown again would reuse it.
        response["Cache-Control"] = "no-store"
    return response


def conformance(request: HttpRequest) -> HttpResponse:
    return _respond(request, core_api.conformance, cache=METADATA_CACHE)


def collections(request: HttpRequest, collection_id: str | None = None) -> HttpResponse:
    base = _base_url(request)

    def rewrite(document: dict[str, Any]) -> None:
        _plain_items_links(document)
        tiles.add_collection_links(document, base)

    return _respond(request, core_api.describe_collections, collection_id, rewrite=rewrite)


def _plain_items_links(document: dict[str, Any]) -> None:
    """GeoJSON `items` links without `?f=json` (JSON is the default anyway), and real spatial and temporal extents.

    GDAL 3.6 appends `/{id}` to that link to fetch one feature, which with a query string
    becomes `items?f=json/{id}`. The temporal interval is the data's first and last moment, with
    the properties `datetime` selects on (`ogc.collections.Temporal`).
    """
    for collection in document.get("collections", [document]):
        declared = COLLECTIONS.get(collection.get("id", ""))
        area = collection.get("extent", {}).get("spatial")
        if declared is not None and area is not None and (bbox := spatial_extent(declared)) is not None:
            area["bbox"] = [bbox]  # the data's; an empty collection keeps the area it is declared for
        period = collection.get("extent", {}).get("temporal")
        if declared is not None and declared.temporal is not None and period is not None:
            period["interval"] = [temporal.extent(declared)]
            period["properties"] = [name for name in (declared.temporal.start, declared.temporal.end) if name]
        for link in collection.get("links", []):
            if link.get("rel") == "items" and link.get("type") == "application/geo+json":
                link["href"] = link["href"].split("?", 1)[0]


def collection_queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    def temporal_roles(document: dict[str, Any]) -> None:
        """Part 5's roles of the properties `datetime` selects on, as in the schema (pygeoapi leaves them out)."""
        collection = COLLECTIONS.get(collection_id)
        properties = document.get("properties", {})
        if collection is not None and "geometry" in properties:
            properties["geometry"] = collection.geometry_schema  # pygeoapi says geometry-any
        if collection is None or collection.temporal is None:
            return
        roles = {collection.temporal.start: "primary-instant"}
        if collection.temporal.end:
            roles = {
                collection.temporal.start: "primary-interval-start",
                collection.temporal.end: "primary-interval-end",
            }
        for name, role in roles.items():
            if name in properties:
                properties[name]["x-ogc-role"] = role

    return _respond(
        request, itemtypes_api.get_collection_queryables, collection_id, offers=negotiation.SCHEMA,
        cache=METADATA_CACHE, rewrite=temporal_roles,
    )  # fmt: skip


def collection_schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    def geometry_type(document: dict[str, Any]) -> None:
        """The declared geometry type instead of pygeoapi's geometry-any (QGIS reads it from here)."""
        collection = COLLECTIONS.get(collection_id)
        if collection is not None and "geometry" in document.get("properties", {}):
            document["properties"]["geometry"] = collection.geometry_schema

    return _respond(
        request, core_api.get_collection_schema, collection_id, offers=negotiation.SCHEMA, cache=METADATA_CACHE,
        rewrite=geometry_type,
    )  # fmt: skip


def tilematrixsets(request: HttpRequest, tilematrixset_id: str | None = None) -> HttpResponse:
    if tilematrixset_id is None:
        return _respond(request, tiles_api.tilematrixsets, offers=negotiation.JSON_OR_HTML, cache=METADATA_CACHE)
    return _respond(
        request, tiles_api.tilematrixset, tilematrixset_id, offers=negotiation.JSON_OR_HTML, cache=METADATA_CACHE
    )


def processes(request: HttpRequest) -> HttpResponse:
    return _respond(
        request, processes_api.describe_processes, None, offers=negotiation.JSON_OR_HTML, cache=METADATA_CACHE
    )


@csrf_exempt
def collection_items(request: HttpRequest, collection_id: str) -> HttpResponseBase:
    """GET (and POST with CQL2 JSON) reads items; POST of a GeoJSON feature creates one (Part 4)."""
    if request.method == "OPTIONS":
        return _options(request, collection_id, None)
    if request.method == "POST" and request.content_type == "application/geo+json":
        return _write(request, "create", collection_id, None)
    if request.method not in {"GET", "HEAD", "POST"}:
        return _not_allowed(request, "GET, HEAD, POST, OPTIONS")
    if computes(request) and (wait := filter_wait(request)) is not None:
        return _throttled(request, wait)
    if request.method == "POST" and request.body and (refusal := _hostile_json(request)):
        return refusal
    collection = COLLECTIONS.get(collection_id)
    unknown = set(request.GET) - ITEMS_PARAMETERS - set(collection.field_names if collection else ())
    if unknown:
        return _unknown_parameters(request, unknown, ITEMS_PARAMETERS, queryables=True)
    # f is checked below: the downloads and mvt here, then pygeoapi (which knows the collection's formatters)
    if message := parameters.refusal(request.GET):
        return _refuse(request, message)
    format_name = (
        request.GET.get("f") or negotiation.choose(request.headers.get("Accept", ""), negotiation.ITEMS).format
    )
    if format_name == "mvt":  # pygeoapi answered GeoJSON labelled as a vector tile
        return _refuse(
            request,
            gettext(
                "f=mvt: vectortiles staan niet op /items maar onder /collections/%(id)s/tiles; gebruik hier f=json."
            )
            % {"id": collection_id},
        )
    if collection is not None and format_name in downloads.FORMATS:
        return _download(request, collection, format_name)
    if refusal := _unsupported_crs(request):
        return refusal
    return _respond(
        request, itemtypes_api.get_collection_items, collection_id, items=True, check_format=False,
        offers=negotiation.ITEMS, read=None,
    )  # fmt: skip


def _download(request: HttpRequest, collection: Collection, format_name: str) -> HttpResponseBase:
    """Every matching feature in one file (ogc.downloads), streamed from a temporary file."""
    body = request.body if request.method == "POST" and request.content_type == "application/json" else b""
    try:
        download = downloads.create(
            collection,
            format_name=format_name,
            params={key: str(value) for key, value in request.GET.items()},
            filter_body=body.decode(errors="replace") or None,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except ProviderBadRequestError as error:
        return _refuse(request, error.message)
    response = FileResponse(download.file, content_type=download.format.media_type)
    response.block_size = 1 << 20  # 4 kB pieces (the default) cost ~1 s of a 50 MB file over WSGI
    response["Content-Length"] = str(download.size)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Content-Crs"] = f"<{download.crs_uri}>"
    response["Link"] = _link_header(_items_links(request, collection.id, download.format.media_type, []))
    response["Cache-Control"] = DATA_CACHE
    _add_cors(request, response)
    patch_vary_headers(response, ("Accept", "Accept-Encoding"))
    return response


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    api = get_api(_base_url(request))
    return _error(api, _pygeoapi_request(request, api), HTTPStatus.BAD_REQUEST, "InvalidParameterValue", message)


@csrf_exempt
def collection_item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    """GET reads one item; PUT replaces, PATCH updates, DELETE deletes it (Part 4)."""
    if request.method == "OPTIONS":
        return _options(request, collection_id, item_id)
    if request.method in {"PUT", "PATCH", "DELETE"}:
        action = "delete" if request.method == "DELETE" else "update"
        return _write(request, action, collection_id, item_id)
    if request.method not in READ_METHODS:
        return _not_allowed(request, "GET, HEAD, PUT, PATCH, DELETE, OPTIONS")
    if unknown := set(request.GET) - ITEM_PARAMETERS:
        return _unknown_parameters(request, unknown, ITEM_PARAMETERS)
    if message := parameters.refusal(request.GET, formats=_formats(negotiation.ITEM)):
        return _refuse(request, message)
    if refusal := _unsupported_crs(request):
        return refusal
    return _respond(
        request, itemtypes_api.get_collection_item, collection_id, item_id, items=True, offers=negotiation.ITEM,
        read=None,
    )  # fmt: skip


# --- the web layer around pygeoapi ----------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ogc:landing-page")).rstrip("/")


# The provider reads these itself (from the feed request). pygeoapi would move a bbox and
# CQL2 geometries between CRSs in Python with a new pyproj Transformer per request (30 ms);
# PostGIS does it in the query instead.
# pygeoapi would also check `datetime` against the declared temporal extent and refuse what
# lies outside it (where the standard answers no features); the provider matches it in SQL.
PROVIDER_PARAMETERS = ("bbox", "bbox-crs", "datetime", "filter", "filter-lang", "filter-crs")


def _formats(offers: tuple[negotiation.Offer, ...]) -> set[str]:
    """The values of `f` an answer comes in: pygeoapi took `f=jsonld` on queryables, schemas, the OpenAPI
    document and TileMatrixSets too, and answered JSON (labelled JSON-LD on TileMatrixSets)."""
    return {offer.format or "json" for offer in offers}


def _pygeoapi_request(request: HttpRequest, api: API, offers: tuple[negotiation.Offer, ...] = METADATA) -> APIRequest:
    """pygeoapi's request, with `Accept` resolved by us (ogc.negotiation) unless `f` says the format."""
    offer = None if request.GET.get("f") else negotiation.choose(request.headers.get("Accept", ""), offers)
    api_request = APIRequest.from_django(negotiation.NegotiatedRequest(request, offer), api.locales)
    if offer is not None and offer.format is not None:
        api_request._format = offer.format  # also a collection formatter's (csv), which pygeoapi finds only later
    return api_request


def _api_request(request: HttpRequest, api: API, offers: tuple[negotiation.Offer, ...], *, items: bool) -> APIRequest:
    api_request = _pygeoapi_request(request, api, offers)
    if items:
        rest = request.GET.copy()
        for name in PROVIDER_PARAMETERS:
            rest.pop(name, None)
        api_request._args = rest
        api_request._data = b""  # a CQL2 JSON body goes to the provider too
    return api_request


def _feed_request(request: HttpRequest, api: API, api_request: APIRequest, collection_id: str | None) -> FeedRequest:
    items_url = f"{api.get_collections_url()}/{collection_id}/items" if collection_id else ""
    body = request.body if request.method == "POST" and request.content_type == "application/json" else b""
    return FeedRequest(
        params={key: str(value) for key, value in request.GET.items()},
        items_url=items_url,
        raw_features=api_request.format in (None, "json"),
        content_crs=(request.headers.get("Content-Crs") or "").strip("<> ") or None,
        filter_body=body.decode(errors="replace") or None,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )


def _respond(
    request: HttpRequest,
    function: Callable[..., Result],
    *args: Any,
    items: bool = False,
    check_format: bool = True,
    rewrite: Callable[[dict[str, Any]], None] | None = None,
    offers: tuple[negotiation.Offer, ...] = METADATA,
    cache: str = DATA_CACHE,
    read: set[str] | None = METADATA_PARAMETERS,
    uis: tuple[str, ...] | None = None,
) -> HttpResponse:
    """pygeoapi's answer to `function`, with what the web layer adds; `read` are the query parameters
    whose values are checked here (None: the view checked them), `uis` the values `ui` may take."""
    if not items and request.method not in READ_METHODS | {"OPTIONS"}:
        return _not_allowed(request, "GET, HEAD, OPTIONS")  # pygeoapi answered TRACE, PUT, … with 200
    if read is not None and (message := parameters.refusal(request.GET, formats=_formats(offers), uis=uis, read=read)):
        return _refuse(request, message)
    api = get_api(_base_url(request))
    api_request = _api_request(request, api, offers, items=items)
    collection_id = args[0] if items else None
    feed = _feed_request(request, api, api_request, collection_id)
    if check_format and not api_request.is_valid():
        headers, status, content = api.get_format_exception(api_request)
    else:
        with feed_request(feed):
            headers, status, content = function(api, api_request, *args)
    links: list[dict[str, Any]] = []
    if status == HTTPStatus.OK and api_request.format in (None, "json") and isinstance(content, str):
        # Parsed before the provider's features are spliced in, so a page of 1000 costs no more.
        document = json.loads(content)
        if items:
            _request_links(request, document)
        if rewrite is not None:
            rewrite(document)
        content = json.dumps(document, separators=(",", ":"))
        links = document.get("links", []) if isinstance(document, dict) else []
    if feed.features_text is not None and status == HTTPStatus.OK and isinstance(content, str):
        content = _splice_features(content, feed.features_text)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    if items and status == HTTPStatus.OK and api_request.format in (None, "json"):
        response["Content-Type"] = "application/geo+json"
    if items and status == HTTPStatus.OK and not links and collection_id is not None:
        links = _items_links(request, collection_id, response.get("Content-Type", ""), feed.links)
    if links:
        response["Link"] = _link_header(links)
    _add_cors(request, response)
    patch_vary_headers(response, ("Accept", "Accept-Encoding"))
    if request.method in READ_METHODS and status == HTTPStatus.OK:
        response["Cache-Control"] = cache
        return _conditional(request, response, feed)
    return response


def _request_links(request: HttpRequest, document: dict[str, Any]) -> None:
    """`self` and `alternate` links of items with every parameter of the request, in their own format,
    and on a page of items the link to the collection's queryables (Part 3 looks for it there).

    pygeoapi builds them from the parameters it saw, and it does not see those the provider
    reads itself (bbox, datetime, filter, …): a `self` link without the filter names another page.
    """
    links = document.setdefault("links", [])
    # The provider's own prev link (a keyset cursor) comes first; pygeoapi adds one computed from the
    # offset alone on a last page, which would read every row it skips.
    prev_links = [link for link in links if isinstance(link, dict) and link.get("rel") == "prev"]
    for duplicate in prev_links[1:]:
        links.remove(duplicate)
    collection = next((link["href"] for link in links if link.get("rel") == "collection" and "href" in link), None)
    if document.get("type") == "FeatureCollection" and collection is not None:
        links.append({"rel": QUERYABLES_REL, "type": "application/schema+json", "title": "Queryables",
                      "href": f"{collection.split('?', 1)[0]}/queryables"})  # fmt: skip
    for link in links:
        if link.get("rel") not in ("self", "alternate") or "href" not in link:
            continue
        base, _, query = link["href"].partition("?")
        link_format = parse_qs(query).get("f")
        params = [(key, value) for key, values in request.GET.lists() if key != "f" for value in values]
        params += [("f", link_format[0])] if link_format else []
        link["href"] = f"{base}?{urlencode(params)}" if params else base


def _items_links(
    request: HttpRequest, collection_id: str, content_type: str, page_links: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """The links of items answered as HTML (a page) or as a download, which carry none a client can read in
    their body: self, the GeoJSON and HTML alternates, the queryables, and a page's prev and next."""
    base = request.build_absolute_uri(request.path)
    params = [(key, value) for key, values in request.GET.lists() if key != "f" for value in values]
    media_type = content_type.split(";", 1)[0].strip()

    def href(fmt: str | None) -> str:
        query = urlencode(params + ([("f", fmt)] if fmt else []))
        return f"{base}?{query}" if query else base

    links: list[dict[str, Any]] = [
        {"rel": "self", "type": media_type, "href": request.build_absolute_uri()},
        {"rel": "alternate", "type": "application/geo+json", "href": href("json")},
        {"rel": "alternate", "type": "text/html", "href": href("html")},
        {"rel": QUERYABLES_REL, "type": "application/schema+json",
         "href": request.build_absolute_uri(reverse("ogc:queryables", args=[collection_id]))},
    ]  # fmt: skip
    links = [link for link in links if link["rel"] != "alternate" or link["type"] != media_type]
    links += [{**link, "type": media_type} for link in page_links if link.get("rel") in ("prev", "next")]
    return links


# Characters that end a link or a parameter in a Link header; simple parsers (ogctests) split on
# them, so they go percent-encoded into the URI, where they mean the same to our views.
LINK_URI_ESCAPES = str.maketrans({",": "%2C", ";": "%3B", "<": "%3C", ">": "%3E", '"': "%22", " ": "%20"})


def _link_header(links: list[dict[str, Any]]) -> str:
    """RFC 8288 `Link` header of a JSON answer's links (self, alternate, next, prev, queryables, …),
    for clients and test suites that read links from the headers (the ogctests filtering suite)."""
    values = []
    for link in links:
        if not isinstance(link, dict) or not link.get("href") or not link.get("rel"):
            continue
        value = f'<{str(link["href"]).translate(LINK_URI_ESCAPES)}>; rel="{link["rel"]}"'
        if link.get("type"):
            value += f'; type="{str(link["type"]).replace(chr(34), "")}"'
        values.append(value)
    return ", ".join(values)


def _splice_features(content: str, features_text: str) -> str:
    """Puts the provider's Feature JSON into the FeatureCollection pygeoapi serialised around it."""
    if not content.startswith(FEATURES_PREFIX):
        raise RuntimeError("pygeoapi changed how it serialises a FeatureCollection")
    head = FEATURES_PREFIX[:-2]
    return f"{head}[{features_text}]{content[len(FEATURES_PREFIX) :]}"


def _conditional(request: HttpRequest, response: HttpResponse, feed: FeedRequest) -> HttpResponse:
    """ETag on the body (without pygeoapi's timeStamp, which changes every time) and 304 answers.

    The ETag is weak: two answers with the same one may differ in that timeStamp (and in their
    gzip encoding), which a strong ETag would promise they do not.
    """
    body = response.content
    stamp = body.rfind(b',"timeStamp":"')
    digest = hashlib.sha256(body[:stamp] if stamp > 0 else body).hexdigest()[:32]
    response["ETag"] = f'W/"{digest}"'
    last_modified = None
    if feed.last_modified is not None:
        last_modified = feed.last_modified.timestamp()
        response["Last-Modified"] = http_date(last_modified)
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=int(last_modified) if last_modified else None, response=response
    )
    if conditional is None:
        return response
    if conditional is not response:
        _add_cors(request, conditional)
    return conditional


def _add_cors(request: HttpRequest, response: HttpResponseBase) -> None:
    for key, value in CORS_HEADERS.items():
        response[key] = value


def _not_allowed(request: HttpRequest, allow: str) -> HttpResponse:
    api = get_api(_base_url(request))
    api_request = _pygeoapi_request(request, api)
    headers, status, content = api.get_exception(
        HTTPStatus.METHOD_NOT_ALLOWED, {"Content-Type": "application/json"}, api_request.format,
        "InvalidRequest", parameters.not_allowed(str(request.method), allow),
    )  # fmt: skip
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    response["Allow"] = allow
    patch_vary_headers(response, ("Accept", "Accept-Encoding"))
    return response


def _hostile_json(request: HttpRequest) -> HttpResponse | None:
    """A CQL2 JSON body beyond the filter's limits (ogc/cql.py, with the API's JSON limits) answers
    400 before anything else reads it: a lone surrogate in a filter made pygeoapi's answer
    unencodable (a 500), a 5.9 MB polygon kept PostgreSQL busy for 29.9 s."""
    try:
        parse_json(request.body)
    except (CqlError, UnicodeDecodeError) as error:
        api = get_api(_base_url(request))
        api_request = APIRequest.from_django(request, api.locales)
        message = (
            str(error) if isinstance(error, CqlError) else gettext("Het CQL2 JSON-filter is geen geldige UTF-8-tekst.")
        )
        return _error(api, api_request, HTTPStatus.BAD_REQUEST, "InvalidParameterValue", message)
    except Exception:  # pygeofilter raises many kinds of errors on JSON that is no CQL2; the provider says which
        return None
    return None


def _throttled(request: HttpRequest, wait: float) -> HttpResponse:
    api = get_api(_base_url(request))
    api_request = _pygeoapi_request(request, api)
    message = gettext("Te veel filtervragen vanaf dit adres; probeer het over %(seconds)d seconden opnieuw.") % {
        "seconds": math.ceil(wait)
    }
    response = _error(api, api_request, HTTPStatus.TOO_MANY_REQUESTS, "TooManyRequests", message)
    response["Retry-After"] = str(math.ceil(wait))
    return response


def _unknown_parameters(
    request: HttpRequest, names: set[str], allowed: set[str], *, queryables: bool = False
) -> HttpResponse:
    """400 naming the parameters we do not know and those that may be used instead."""
    api = get_api(_base_url(request))
    api_request = _pygeoapi_request(request, api)
    message = parameters.unknown_parameters(names, allowed, queryables=queryables)
    return _error(api, api_request, HTTPStatus.BAD_REQUEST, "InvalidParameterValue", message)


def _unsupported_crs(request: HttpRequest) -> HttpResponse | None:
    """400 for a `crs` the answer cannot come in, before pygeoapi (whose refusal carries the value, so
    ogc.errors cannot translate it). pygeoapi takes the URIs only, not their other names (EPSG:28992)."""
    asked = request.GET.get("crs")
    if not asked or asked in crs.supported():
        return None
    return _refuse(request, unsupported_crs("crs", asked))


def _options(request: HttpRequest, collection_id: str, item_id: str | None) -> HttpResponse:
    """CORS preflight for reading, and the Allow header QGIS reads to offer editing (only to editors)."""
    api = get_api(_base_url(request))
    api_request = _pygeoapi_request(request, api)
    args = (collection_id,) if item_id is None else (collection_id, item_id)
    headers, status, content = itemtypes_api.manage_collection_item(api, api_request, "options", *args)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    if status == HTTPStatus.OK:
        try:
            user = _token_user(request)
        except AuthenticationFailed:
            user = None
        editable = headers.get("Allow", "")
        can_edit = user is not None and bool(editor_owner_ids(user))
        allow = "HEAD, GET, OPTIONS"
        if can_edit and "POST" in editable:
            allow += ", POST"
        if can_edit and "PUT" in editable:
            allow += ", PUT, PATCH, DELETE"
        response["Allow"] = allow
    _add_cors(request, response)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, If-Modified-Since, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    patch_vary_headers(response, ("Authorization",))  # Allow depends on the token
    return response


def _token_user(request: HttpRequest) -> Any:
    """The user of a valid `Authorization: Token …` header; None without one; raises on a bad one."""
    result = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]
    return result[0] if result else None


def _write(request: HttpRequest, action: str, collection_id: str, item_id: str | None) -> HttpResponse:
    """Part 4: only a regisseur authenticated by token writes; the provider checks the owner."""
    api = get_api(_base_url(request))
    api_request = _pygeoapi_request(request, api)
    try:
        user = _token_user(request)
    except AuthenticationFailed as error:
        return _error(api, api_request, HTTPStatus.UNAUTHORIZED, "Unauthorized", str(error.detail))
    if user is None:
        message = gettext("Wijzigen kan alleen met je token: stuur de kop Authorization met Token en je sleutel.")
        return _error(api, api_request, HTTPStatus.UNAUTHORIZED, "Unauthorized", message)
    if not editor_owner_ids(user):
        message = gettext("Alleen regisseurs wijzigen locaties, en je bent van geen eigenaar regisseur.")
        return _error(api, api_request, HTTPStatus.FORBIDDEN, "Forbidden", message)
    feed = _feed_request(request, api, api_request, collection_id)
    feed.user = user
    feed.partial_update = request.method == "PATCH"
    args = (collection_id,) if item_id is None else (collection_id, item_id)
    with feed_request(feed):
        headers, status, content = itemtypes_api.manage_collection_item(api, api_request, action, *args)
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    return response


def _error(api: API, api_request: APIRequest, status: int, code: str, message: str) -> HttpResponse:
    headers, status, content = api.get_exception(
        status, {"Content-Type": "application/json"}, api_request.format, code, message
    )
    response = HttpResponse(content, status=status)
    for key, value in headers.items():
        response[key] = value
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = "Token"
    patch_vary_headers(response, ("Accept", "Accept-Encoding"))
    return response
