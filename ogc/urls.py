"""OGC API Features at /ogc/, on the canonical paths QGIS and GDAL build themselves (no trailing slashes)."""

from django.urls import path

from ogc import views

app_name = "ogc"
urlpatterns = [
    path("", views.landing_page, name="landing-page"),
    path("openapi", views.openapi, name="openapi"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection_id>", views.collections, name="collection"),
    path("collections/<str:collection_id>/queryables", views.collection_queryables, name="queryables"),
    path("collections/<str:collection_id>/schema", views.collection_schema, name="schema"),
    path("collections/<str:collection_id>/items", views.collection_items, name="items"),
    path("collections/<str:collection_id>/items/<str:item_id>", views.collection_item, name="item"),
    path("TileMatrixSets", views.tilematrixsets, name="tilematrixsets"),
    path("TileMatrixSets/<str:tilematrixset_id>", views.tilematrixsets, name="tilematrixset"),
    path("processes", views.processes, name="processes"),
]
