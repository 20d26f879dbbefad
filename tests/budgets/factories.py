"""Receipts for the budget tests (also the browser's): a real photo, a real PDF, a renamed program."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# What a Windows program starts with (MZ header, DOS stub text).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"This program cannot be run in DOS mode." + bytes(200)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 40)).save(out, "JPEG")
    return out.getvalue()


def photo_receipt(name: str = "bon.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def pdf_receipt(name: str = "factuur.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def renamed_exe(name: str = "bon.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE, content_type="image/jpeg")
