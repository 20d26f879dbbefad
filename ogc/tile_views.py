"""Thin views of OGC API – Tiles (ogc/tiles.py): JSON documents and the tiles themselves.

Tiles are cached by browsers and shared caches for a minute and revalidated by ETag, a digest of
the tile: it changes exactly when what the tile shows changes (a location edited, imported or
withdrawn under it), and a 304 costs the client nothing but the request.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from ogc import parameters, tiles
from ogc.collections import COLLECTIONS
from ogc.tile_sql import fetch_tile
from ogc.views import CORS_HEADERS, DATA_CACHE, METADATA_CACHE

# `lang` chooses the language of refusals, as everywhere in the feed (ogc.negotiation.feed_language).
DOCUMENT_PARAMETERS = {"f", "lang"}
TILE_PARAMETERS = {"f", "lang"}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("ogc:landing-page")).rstrip("/")


def _error(status: int, code: str, message: str) -> HttpResponse:
    """An answer in the OGC API exception form (as pygeoapi gives), saying what was wrong."""
    response = HttpResponse(
        json.dumps({"code": code, "description": message}), status=status, content_type="application/json"
    )
    for key, value in CORS_HEADERS.items():
        response[key] = value
    response["Content-Language"] = get_language()
    return response


def _refusal(request: HttpRequest, allowed: set[str], formats: set[str]) -> HttpResponse | None:
    """A 405 for writes, a 400 for unknown parameters or values we cannot honour: nothing is silently ignored."""
    if request.method not in {"GET", "HEAD"}:
        response = _error(405, "InvalidRequest", parameters.not_allowed(str(request.method), "GET, HEAD"))
        response["Allow"] = "GET, HEAD"
        return response
    if unknown := set(request.GET) - allowed:
        return _error(400, "InvalidParameterValue", parameters.unknown_parameters(unknown, allowed))
    if refused := parameters.refusal(request.GET, formats=formats):  # repeated, empty f or lang, a lang no tag
        return _error(400, "InvalidParameterValue", refused)
    return None


def _answer(request: HttpRequest, body: bytes, content_type: str, cache: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    for key, value in CORS_HEADERS.items():
        response[key] = value
    response["Cache-Control"] = cache
    response["ETag"] = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    patch_vary_headers(response, ("Accept-Encoding",))
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    if conditional is not None and conditional is not response:
        for key, value in CORS_HEADERS.items():
            conditional[key] = value
        conditional["Cache-Control"] = cache
        return conditional
    return response


def _document(request: HttpRequest, document: dict[str, Any]) -> HttpResponse:
    body = json.dumps(document, separators=(",", ":")).encode()
    return _answer(request, body, "application/json", METADATA_CACHE)


def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    if refusal := _refusal(request, DOCUMENT_PARAMETERS, {"json"}):
        return refusal
    return _document(request, tiles.tile_matrix_sets_document(_base_url(request)))


def tile_matrix_set(request: HttpRequest, tile_matrix_set_id: str) -> HttpResponse:
    if refusal := _refusal(request, DOCUMENT_PARAMETERS, {"json"}):
        return refusal
    tms = tiles.TILE_MATRIX_SETS.get(tile_matrix_set_id)
    if tms is None:
        return _error(404, "NotFound", tiles.no_tile_matrix_set(tile_matrix_set_id))
    return _document(request, tms.document())


def collection_tilesets(request: HttpRequest, collection_id: str) -> HttpResponse:
    if refusal := _refusal(request, DOCUMENT_PARAMETERS, {"json"}):
        return refusal
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        return _error(404, "NotFound", tiles.no_collection(collection_id))
    return _document(request, tiles.tilesets_document(_base_url(request), collection))


def collection_tileset(request: HttpRequest, collection_id: str, tile_matrix_set_id: str) -> HttpResponse:
    if refusal := _refusal(request, DOCUMENT_PARAMETERS, {"json"}):
        return refusal
    collection = COLLECTIONS.get(collection_id)
    tms = tiles.TILE_MATRIX_SETS.get(tile_matrix_set_id)
    if collection is None or tms is None:
        return _error(
            404,
            "NotFound",
            tiles.no_collection(collection_id) if collection is None else tiles.no_tile_matrix_set(tile_matrix_set_id),
        )
    return _document(request, tiles.tileset_document(_base_url(request), collection, tms))


def collection_tile(
    request: HttpRequest, collection_id: str, tile_matrix_set_id: str, level: str, row: str, col: str
) -> HttpResponse:
    # Unknown parameters are refused by tile_address, which knows what each collection selects on.
    if refusal := _refusal(request, set(request.GET), {"mvt"}):
        return refusal
    filters = {name: str(request.GET[name]) for name in request.GET if name not in TILE_PARAMETERS}
    try:
        address = tiles.tile_address(collection_id, tile_matrix_set_id, level, row, col, filters)
    except tiles.TileError as error:
        return _error(error.status, "NotFound" if error.status == 404 else "InvalidParameterValue", error.message)
    return _answer(request, fetch_tile(address), tiles.MVT, DATA_CACHE)
