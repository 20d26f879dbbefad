"""Single files from npm packages (web/frontend/node_modules) served as static files.

Mapping a whole package as a static folder would collect thousands of files (OpenLayers' npm
package is 15 MB of ES modules); the Django admin's map needs two of them, the public map two of
MapLibre's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

NODE_MODULES = Path(settings.BASE_DIR) / "web" / "frontend" / "node_modules"
# static path -> file in node_modules (same file name: collectstatic keeps the source's name)
VENDOR_FILES = {
    "openlayers/ol.js": "ol/dist/ol.js",
    "openlayers/ol.css": "ol/ol.css",
    # MapLibre GL JS for the public map (web/static/web/map.js)
    "maplibre/maplibre-gl.js": "maplibre-gl/dist/maplibre-gl.js",
    "maplibre/maplibre-gl.css": "maplibre-gl/dist/maplibre-gl.css",
    # MapLibre inside Leaflet, for the initiative page's tiles under Geoman's drawing (web/static/web/initiative.js)
    "maplibre/leaflet-maplibre-gl.js": "@maplibre/maplibre-gl-leaflet/leaflet-maplibre-gl.js",
    # Chart.js for the value report's charts (web/static/web/value.js)
    "chartjs/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


class VendorFileFinder(BaseFinder):
    """Finds the files of VENDOR_FILES that npm installed."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:  # as FileSystemFinder: [] when not found
        source = VENDOR_FILES.get(path)
        found = str(NODE_MODULES / source) if source and (NODE_MODULES / source).is_file() else None
        if find_all:
            return [found] if found else []
        return found or []

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for path, source in VENDOR_FILES.items():
            file = NODE_MODULES / source
            if file.is_file():
                storage = FileSystemStorage(location=str(file.parent))
                storage.prefix = str(Path(path).parent)  # type: ignore[attr-defined]  # collectstatic's folder
                yield file.name, storage
