"""The marker (bord met QR) that stands at a location: a QR code linking to its page."""

from __future__ import annotations

import io

import segno

from gis_service.core.links import site_url
from gis_service.locations.models import Location


def location_public_url(location: Location) -> str:
    """The absolute URL of a location's page, as printed on its marker."""
    return site_url("web:location", location.pk)


def marker_qr_svg(location: Location, *, scale: int = 10) -> str:
    """An SVG QR code for the location's page.

    Error correction level Q (25 %) because the sign stands outside: dirt, scratches and
    stickers must not make it unreadable.
    """
    qr = segno.make_qr(location_public_url(location), error="q", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, border=4, xmldecl=True, svgns=True, title=str(location), nl=True)
    return out.getvalue().decode()
