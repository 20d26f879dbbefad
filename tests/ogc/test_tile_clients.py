"""Headless QGIS (Debian's 3.22) loads the locations' vector tiles as a vector tile layer and draws them.

QGIS 3.22 reads vector tiles from an XYZ template (OGC API – Tiles came in a later version), which
is our WebMercatorQuad template with {z}/{y}/{x} for {tileMatrix}/{tileRow}/{tileCol}. Drawing the
layer is the proof it fetched and decoded the tiles: QGIS 3.22's Python has no way to list a
vector tile layer's features.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pyproj
import pytest

from tests.ogc.conftest import Feed
from tests.ogc.qgis_client import QGIS_PYTHON, qgis_version
from tests.ogc.test_clients import live_feed, run

__all__ = ["live_feed"]  # the fixture, shared with tests/ogc/test_clients.py
pytestmark = [pytest.mark.slow]

QGIS_TILES_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from qgis.core import (
        QgsApplication, QgsDataSourceUri, QgsVectorTileLayer, QgsMapSettings, QgsMapRendererSequentialJob,
        QgsRectangle, QgsCoordinateReferenceSystem, QgsVectorTileBasicRenderer, QgsVectorTileBasicRendererStyle,
        QgsFillSymbol, QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", sys.argv[1])
    uri.setParam("zmin", "0")
    uri.setParam("zmax", "22")
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), "locations")
    style = QgsVectorTileBasicRendererStyle("shapes", "locations", QgsWkbTypes.PolygonGeometry)
    style.setSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,255", "outline_style": "no"}))
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles([style])
    layer.setRenderer(renderer)

    def red_pixels(extent):
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        settings.setExtent(QgsRectangle(*extent))
        settings.setOutputSize(QSize(256, 256))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        return sum(
            1 for x in range(image.width()) for y in range(image.height())
            if QColor(image.pixel(x, y)).red() > 200 and QColor(image.pixel(x, y)).green() < 60
        )

    print(json.dumps({
        "valid": layer.isValid(),
        "feed": red_pixels([float(v) for v in sys.argv[2].split(",")]),
        "empty": red_pixels([float(v) for v in sys.argv[3].split(",")]),
    }))
    """
)


def mercator_box(minx: float, miny: float, maxx: float, maxy: float) -> str:
    box = pyproj.Transformer.from_crs(28992, 3857, always_xy=True).transform_bounds(minx, miny, maxx, maxy)
    return ",".join(str(v) for v in box)


def test_headless_qgis_draws_the_locations_vector_tiles(live_feed: tuple[str, Feed], tmp_path: Path) -> None:
    qgis_version()
    base, feed = live_feed
    template = f"{base}/collections/locations/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env: dict[str, Any] = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    feed_box = mercator_box(139900, 469900, 140600, 470600)  # owner A's 25 squares
    empty_box = mercator_box(200000, 400000, 200700, 400700)  # no location there
    result = run(str(QGIS_PYTHON), "-c", QGIS_TILES_SCRIPT, template, feed_box, empty_box, env=env, timeout=300)
    drawn = json.loads(result.stdout.strip().splitlines()[-1])
    assert drawn["valid"], result.stderr[-2000:]
    assert drawn["empty"] == 0
    # 25 squares of 10–34 m in a 700 m view of 256 pixels: each at least a few pixels
    assert drawn["feed"] > 25 * 4, result.stderr[-2000:]
