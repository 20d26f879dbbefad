"""OGC API Features at /ogc/, on the canonical paths QGIS and GDAL build themselves (no trailing slashes).

Every answer is gzipped for clients that accept it (Django's GZipMiddleware, for the feed only):
a page of 1000 features is ~700 kB of JSON and ~10% of that gzipped. The views' ETags are weak,
so they stay true of both encodings; the middleware adds `Vary: Accept-Encoding`.
"""

from collections.abc import Callable
from typing import Any

from django.urls import path
from django.views.decorators.gzip import gzip_page

from ogc import views


def _gzip(view: Callable[..., Any]) -> Callable[..., Any]:
    return gzip_page(view)  # keeps csrf_exempt (functools.wraps copies the attribute)


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
    path("processes", _gzip(views.processes), name="processes"),
]
