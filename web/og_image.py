"""The picture that link previews show (og:image): a location's shape on a small map, drawn on the server.

No map tiles: the server fetches nothing from elsewhere (tiles would also carry their provider's terms).
The map is the shape itself, the neighbouring locations in grey for context, and a scale bar, in
the storage SRID (metric, so metres are pixels times a factor and north is up).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from PIL import Image, ImageDraw, ImageFont

from gis_service.initiatives.models import Initiative
from gis_service.locations.models import Location
from web.marker import FONT_REGULAR

# 1200 × 630 is the size Facebook, LinkedIn, Mastodon and X (summary_large_image) all show uncropped.
WIDTH, HEIGHT = 1200, 630
BACKGROUND = "#eef3ea"
NEIGHBOUR_FILL, NEIGHBOUR_LINE = "#d5dccf", "#b9c2b2"
SHAPE_FILL, SHAPE_LINE = "#5aa469", "#1f5f2c"
MAX_NEIGHBOURS = 400
MAX_OVERVIEW_SHAPES = 5000
# A tree pit of 2 m² would be a dot: show at least this many metres around the shape.
MIN_EXTENT_M = 60.0


def _rings(geometry: GEOSGeometry) -> Iterable[tuple[list[tuple[float, float]], bool]]:
    """(coordinates, is_hole) of every ring of a (Multi)Polygon."""
    polygons = geometry if isinstance(geometry, MultiPolygon) else [geometry]
    for polygon in polygons:
        if not isinstance(polygon, Polygon):
            continue
        for index, ring in enumerate(polygon):
            yield [(x, y) for x, y, *_ in ring.coords], index > 0


class _Frame:
    """Maps metres in the storage SRID onto the picture, north up, keeping the aspect ratio."""

    def __init__(self, extent: tuple[float, float, float, float], margin: float = 0.12) -> None:
        xmin, ymin, xmax, ymax = extent
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        span_x = max(xmax - xmin, MIN_EXTENT_M)
        span_y = max(ymax - ymin, MIN_EXTENT_M)
        self.scale = min(WIDTH * (1 - 2 * margin) / span_x, HEIGHT * (1 - 2 * margin) / span_y)  # px per m
        self.cx, self.cy = cx, cy

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return WIDTH / 2 + (x - self.cx) * self.scale, HEIGHT / 2 - (y - self.cy) * self.scale

    def bbox_m(self) -> tuple[float, float, float, float]:
        half_w, half_h = WIDTH / 2 / self.scale, HEIGHT / 2 / self.scale
        return self.cx - half_w, self.cy - half_h, self.cx + half_w, self.cy + half_h


def _draw(draw: ImageDraw.ImageDraw, frame: _Frame, geometry: GEOSGeometry, fill: str, line: str, width: int) -> None:
    for ring, hole in _rings(geometry):
        points = [frame(x, y) for x, y in ring]
        if len(points) >= 3:
            draw.polygon(points, fill=BACKGROUND if hole else fill, outline=line, width=width)


def _scale_bar(draw: ImageDraw.ImageDraw, frame: _Frame) -> None:
    """A bar of a round number of metres, about a fifth of the width, bottom left."""
    target = WIDTH / 5 / frame.scale
    metres = next(m for m in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 10**9)
                  if m >= target / 2)  # fmt: skip
    length = metres * frame.scale
    x0, y0 = 40, HEIGHT - 40
    draw.line([(x0, y0), (x0 + length, y0)], fill="#333333", width=4)
    for x in (x0, x0 + length):
        draw.line([(x, y0 - 10), (x, y0)], fill="#333333", width=3)
    label = f"{metres:,} m".replace(",", ".") if metres < 1000 else f"{metres // 1000} km"
    draw.text((x0 + length + 12, y0 - 24), label, fill="#333333", font=ImageFont.truetype(str(FONT_REGULAR), 24))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shape_png(geometry: GEOSGeometry, *, exclude_location_id: int | None = None) -> bytes:
    """`geometry` (storage SRID) highlighted among the current locations around it."""
    frame = _Frame(geometry.extent)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    around = Polygon.from_bbox(frame.bbox_m())
    around.srid = settings.STORAGE_SRID
    neighbours = Location.objects.current().filter(geometry__bboverlaps=around)
    if exclude_location_id is not None:
        neighbours = neighbours.exclude(pk=exclude_location_id)
    for neighbour in neighbours.values_list("geometry", flat=True)[:MAX_NEIGHBOURS]:
        _draw(draw, frame, neighbour, NEIGHBOUR_FILL, NEIGHBOUR_LINE, 2)
    _draw(draw, frame, geometry, SHAPE_FILL, SHAPE_LINE, 5)
    _scale_bar(draw, frame)
    return _png(image)


def location_png(location: Location) -> bytes:
    return shape_png(location.geometry, exclude_location_id=location.pk)


def initiative_png(initiative: Initiative) -> bytes:
    """An initiative's area among the locations around it."""
    return shape_png(initiative.geometry)


def overview_png() -> bytes:
    """For the home page: every location residents manage, on one picture."""
    shapes = list(
        Location.objects.current()
        .filter(status=Location.Status.MANAGED)
        .values_list("geometry", flat=True)[:MAX_OVERVIEW_SHAPES]
    )
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    if shapes:
        xs = [v for shape in shapes for v in (shape.extent[0], shape.extent[2])]
        ys = [v for shape in shapes for v in (shape.extent[1], shape.extent[3])]
        frame = _Frame((min(xs), min(ys), max(xs), max(ys)))
        for shape in shapes:
            # At city scale a strip is a few pixels: a thick outline keeps every one visible.
            _draw(draw, frame, shape, SHAPE_FILL, SHAPE_LINE, 3)
        _scale_bar(draw, frame)
    return _png(image)
