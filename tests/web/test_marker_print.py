"""The marker as a print-ready PDF (A4, A5) and as a PNG: the QR code decodes to the location's page.

The PDF is rendered to an image by poppler's pdftoppm (scripts/setup.sh --test installs it), as a
print shop's RIP would, and the code is read from that image with zxing-cpp.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from PIL import Image

from gis_service.locations.models import Location

PDFTOPPM = shutil.which("pdftoppm")


def _render(pdf: bytes, *, dpi: int) -> Image.Image:
    if PDFTOPPM is None:
        pytest.fail("pdftoppm is missing: run scripts/setup.sh --test (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bord.pdf"
        source.write_bytes(pdf)
        subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", "-singlefile", str(source), str(Path(folder) / "page")],
                       check=True, timeout=60)  # fmt: skip
        image = Image.open(Path(folder) / "page.png")
        image.load()
        return image


@pytest.mark.django_db
@pytest.mark.parametrize(("paper", "size_mm"), [("a4", (210, 297)), ("a5", (148, 210))])
def test_the_pdf_is_one_page_of_the_paper_size_and_its_qr_code_decodes_to_the_location(
    client: Client, green_strip: Location, paper: str, size_mm: tuple[int, int]
) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/bord-{paper}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    image = _render(response.content, dpi=100)
    # pdftoppm makes one pixel per 1/100 inch: the page is the paper size to within a pixel.
    expected = tuple(round(mm / 25.4 * 100) for mm in size_mm)
    assert all(abs(got - want) <= 1 for got, want in zip(image.size, expected, strict=True)), image.size
    decoded = zxingcpp.read_barcodes(image)
    assert [code.text for code in decoded] == [f"{settings.SITE_URL}/locaties/{green_strip.pk}/"]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode
    # The name is set as text (searchable, sharp in print), not only drawn.
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert b"Groenstrook Vondelstraat" in text and b"Zelfbeheer in je buurt" in text


@pytest.mark.django_db
def test_the_png_shows_a_qr_code_that_decodes_to_the_location(client: Client, green_strip: Location) -> None:
    response = client.get(f"/locaties/{green_strip.pk}/bord.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1240, 1754)
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [f"{settings.SITE_URL}/locaties/{green_strip.pk}/"]


@pytest.mark.django_db
def test_other_paper_sizes_and_unknown_locations_are_not_found(client: Client, green_strip: Location) -> None:
    assert client.get(f"/locaties/{green_strip.pk}/bord-a3.pdf").status_code == 404
    assert client.get("/locaties/999999/bord-a4.pdf").status_code == 404
    assert client.get("/locaties/999999/bord.png").status_code == 404


@pytest.mark.django_db
def test_the_marker_page_links_the_pdfs_and_the_png(client: Client, green_strip: Location) -> None:
    text = client.get(f"/locaties/{green_strip.pk}/bord/").content.decode()
    for path in ("bord-a4.pdf", "bord-a5.pdf", "bord.png"):
        assert f"/locaties/{green_strip.pk}/{path}" in text
