"""The admin's map, without the internet: OpenLayers from our own static files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.gis import admin
from django.contrib.gis.forms.widgets import OSMWidget


class LocalOSMWidget(OSMWidget):
    """Django's OSM widget with OpenLayers served by us (gis_service.core.vendor) instead of a
    CDN: municipal networks often block CDNs, and the map would stay empty. The background is the
    public map's (MAP_BACKGROUND_URL) rather than openstreetmap.org: the Content-Security-Policy
    allows that one tile host (core/admin_map_background.js); the geometry is drawn either way."""

    base_layer = "background"

    class Media:
        extend = False  # replace the parent's CDN files, not add to them
        css = {"all": ("openlayers/ol.css", "gis/css/ol3.css")}
        js = ("openlayers/ol.js", "gis/js/OLMapWidget.js", "core/admin_map_background.js")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = dict(attrs or {})
        attrs.setdefault("background_url", settings.MAP_BACKGROUND_URL)
        attrs.setdefault("background_attribution", settings.MAP_BACKGROUND_ATTRIBUTION)
        super().__init__(attrs=attrs)


class MapAdmin(admin.GISModelAdmin):
    """Base of the admin screens with a geometry: the map centred on the Netherlands."""

    gis_widget = LocalOSMWidget
    gis_widget_kwargs = {"attrs": {"default_lon": 5.3, "default_lat": 52.1, "default_zoom": 8}}
