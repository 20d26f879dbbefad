"""The admin's map, without the internet: OpenLayers from our own static files."""

from __future__ import annotations

from django.contrib.gis import admin
from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    """Django's OSM widget with OpenLayers served by us (gis_service.core.vendor) instead of a
    CDN: municipal networks often block CDNs, and the map would stay empty. The OSM background
    tiles still come from openstreetmap.org when it can be reached; the geometry is drawn either way."""

    class Media:
        extend = False  # replace the parent's CDN files, not add to them
        css = {"all": ("openlayers/ol.css", "gis/css/ol3.css")}
        js = ("openlayers/ol.js", "gis/js/OLMapWidget.js")


class MapAdmin(admin.GISModelAdmin):
    """Base of the admin screens with a geometry: the map centred on the Netherlands."""

    gis_widget = LocalOSMWidget
    gis_widget_kwargs = {"attrs": {"default_lon": 5.3, "default_lat": 52.1, "default_zoom": 8}}
