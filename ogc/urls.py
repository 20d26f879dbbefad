"""OGC API Features at /ogc/, on the canonical paths QGIS and GDAL build themselves (no trailing slashes).

Every answer is gzipped for clients that accept it (Django's GZipMiddleware at level 1, ogc/compression.py):
a page of 1000 features is ~700 kB of JSON and ~10% of that gzipped. The views' ETags are weak,
so they stay true of both encodings; the middleware adds `Vary: Accept-Encoding`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.urls import path
from django.utils import translation
from django.utils.decorators import decorator_from_middleware

from ogc import negotiation, tile_views, views
from ogc.compression import FeedGZipMiddleware

feed_gzip = decorator_from_middleware(FeedGZipMiddleware)


def _gzip(view: Callable[..., Any]) -> Callable[..., Any]:
    """Gzipped, and in the feed's language (ogc.negotiation.feed_language) for our own texts as for pygeoapi's."""

    @wraps(view)  # keeps csrf_exempt (functools.wraps copies the attribute)
    def in_feed_language(request: Any, *args: Any, **kwargs: Any) -> Any:
        with translation.override(negotiation.feed_language(request)):
            return view(request, *args, **kwargs)

    return feed_gzip(in_feed_language)


app_name = "ogc"
urlpatterns = [
    path("", _gzip(views.landing_page), name="landing-page"),
    path("openapi", _gzip(views.openapi), name="openapi"),
    path("conformance", _gzip(views.conformance), name="conformance"),
    path("collections", _gzip(views.collections), name="collections"),
    path("collections/<str:collection_id>", _gzip(views.collections), name="collection"),
    path("collections/<str:collection_id>/queryables", _gzip(views.collection_queryables), name="queryables"),
    path("collections/<str:collection_id>/schema", _gzip(views.collection_schema), name="schema"),
    path("collections/<str:collection_id>/items", _gzip(views.collection_items), name="items"),
    path("collections/<str:collection_id>/items/<str:item_id>", _gzip(views.collection_item), name="item"),
    path("TileMatrixSets", _gzip(views.tilematrixsets), name="tilematrixsets"),
    path("TileMatrixSets/<str:tilematrixset_id>", _gzip(views.tilematrixsets), name="tilematrixset"),
    # OGC API – Tiles (ogc/tiles.py); the tile matrix sets of our tiles on the standard's path
    path("tileMatrixSets", _gzip(tile_views.tile_matrix_sets), name="tile-matrix-sets"),
    path("tileMatrixSets/<str:tile_matrix_set_id>", _gzip(tile_views.tile_matrix_set), name="tile-matrix-set"),
    path("collections/<str:collection_id>/tiles", _gzip(tile_views.collection_tilesets), name="tilesets"),
    path(
        "collections/<str:collection_id>/tiles/<str:tile_matrix_set_id>",
        _gzip(tile_views.collection_tileset),
        name="tileset",
    ),
    path(
        "collections/<str:collection_id>/tiles/<str:tile_matrix_set_id>/<str:level>/<str:row>/<str:col>",
        _gzip(tile_views.collection_tile),
        name="tile",
    ),
    path("processes", _gzip(views.processes), name="processes"),
]
