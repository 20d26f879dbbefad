"""The marker (bord met QR) that stands at a location: a QR code linking to its page."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from gis_service.core.links import site_url
from gis_service.locations.models import Location


def location_public_url(location: Location) -> str:
    """The absolute URL of a location's page, as printed on its marker."""
    return site_url("web:location", location.pk)


def marker_qr_svg(location: Location, *, scale: int = 10, scalable: bool = False) -> str:
    """An SVG QR code for the location's page.

    Error correction level Q (25 %) because the sign stands outside: dirt, scratches and
    stickers must not make it unreadable. `scalable` gives it a viewBox instead of a width and
    height, for a page whose CSS sizes it: a fixed-size drawing shrunk to a phone is cut off.
    """
    qr = segno.make_qr(location_public_url(location), error="q", boost_error=False)
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=True,
        svgns=True,
        title=str(location),
        nl=True,
        omitsize=scalable,
    )
    return out.getvalue().decode()


# fpdf2 subsets the font with fontTools, which logs some forty INFO lines per PDF: noise in the app log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

# The sign's text is set in DejaVu Sans (Debian's fonts-dejavu-core, installed by scripts/setup.sh
# and the Dockerfile): it has every letter a Dutch name may carry, which PDF's built-in Helvetica does not.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

# Paper sizes in mm (ISO 216), portrait.
PAPER: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}


def marker_kicker(location: Location) -> str:
    """The line above the name; it says what the location's status says (locations/sql/status.sql)."""
    if location.status == "in_beheer":
        return _("Beheerd door bewoners")
    if location.status == "beschikbaar":
        return _("Beheer deze plek samen met je buren")
    return _("Zelfbeheer in je buurt")


def _qr_png(location: Location, *, scale: int) -> bytes:
    qr = segno.make_qr(location_public_url(location), error="q", boost_error=False)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def marker_pdf(location: Location, *, paper: str = "A4") -> bytes:
    """The marker as a print-ready PDF page in A4 or A5: status line, name, QR code, call, URL, owner.

    Everything is laid out in proportion to the page width, so A5 is A4 made smaller, and the QR code
    (half the width: 10.5 cm on A4, 7.4 cm on A5) scans from a few metres away.
    """
    if paper not in PAPER:
        raise ValueError(f"unknown paper size {paper!r}")
    width, height = PAPER[paper]
    unit = width / 210.0  # 1 on A4
    margin = 18 * unit
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))
    pdf.set_title(f"{_('Bord')} — {location}")
    pdf.set_creator("Zelfbeheerplatform")
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.add_page()
    text_width = width - 2 * margin

    pdf.set_y(margin)
    pdf.set_font("DejaVu", "B", 20 * unit)
    pdf.set_text_color(34, 102, 51)
    pdf.multi_cell(text_width, 10 * unit, marker_kicker(location), align="C")
    pdf.ln(4 * unit)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "B", 30 * unit)
    pdf.multi_cell(text_width, 13 * unit, str(location), align="C")

    qr_size = width / 2
    qr_top = max(pdf.get_y() + 8 * unit, 80 * unit)
    pdf.image(io.BytesIO(_qr_png(location, scale=20)), x=(width - qr_size) / 2, y=qr_top, w=qr_size, h=qr_size)

    pdf.set_y(qr_top + qr_size + 6 * unit)
    pdf.set_font("DejaVu", "", 16 * unit)
    pdf.multi_cell(text_width, 8 * unit, _("Scan de code: lees meer, volg het nieuws, doe mee."), align="C")
    pdf.ln(2 * unit)
    pdf.set_font("DejaVu", "", 11 * unit)
    pdf.multi_cell(text_width, 6 * unit, location_public_url(location), align="C")
    pdf.set_y(height - margin - 8 * unit)
    pdf.set_font("DejaVu", "", 12 * unit)
    pdf.multi_cell(text_width, 8 * unit, str(location.owner), align="C")
    return bytes(pdf.output())


def marker_png(location: Location, *, width: int = 1240) -> bytes:
    """The marker as a PNG image (A4 proportions; 1240 px wide is A4 at 150 dpi), for websites and flyers."""
    height = round(width * 297 / 210)
    unit = width / 210.0  # pixels per mm of A4
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def centred(text: str, y: float, size_mm: float, *, bold: bool = False, fill: str = "black") -> float:
        font = ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), round(size_mm * unit))
        for line in _wrap(draw, text, font, width - 36 * unit):
            left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
            draw.text(((width - (right - left)) / 2, y), line, font=font, fill=fill)
            y += (bottom - top) * 1.35
        return y

    y = centred(marker_kicker(location), 18 * unit, 7, bold=True, fill="#226633")
    y = centred(str(location), y + 4 * unit, 10.5, bold=True)
    qr = Image.open(io.BytesIO(_qr_png(location, scale=20))).convert("RGB")
    qr_size = width // 2
    qr = qr.resize((qr_size, qr_size), Image.Resampling.NEAREST)
    qr_top = round(max(y + 8 * unit, 80 * unit))
    image.paste(qr, ((width - qr_size) // 2, qr_top))
    y = centred(_("Scan de code: lees meer, volg het nieuws, doe mee."), qr_top + qr_size + 6 * unit, 5.6)
    centred(location_public_url(location), y + 2 * unit, 3.9)
    centred(str(location.owner), height - 26 * unit, 4.2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Words on lines no wider than `max_width`; a single word wider than that keeps its own line."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= max_width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]
