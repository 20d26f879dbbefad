"""Checks on uploaded photos: what the content is, not what the name or browser says."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats browsers show everywhere; Pillow's name → (content type, file extension). MPO is a JPEG
# with more pictures appended (a depth map, an HDR gain map): what many phones save. Browsers show
# its first picture, and that is all we keep.
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
JPEG_FORMATS = ("JPEG", "MPO")  # Pillow's names for what is stored as a JPEG
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
# A JPEG at least twice this on its long edge is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg
# scales while decoding), as far as that leaves this much: a 40-megapixel photo then takes ~30 MB
# instead of ~400 MB to re-encode, and a group page has no use for more. A 12-megapixel phone
# photo (4032 px) stays as it is.
JPEG_DECODE_EDGE = 2048
TOO_MANY_PIXELS = "too_many_pixels"  # the refusal's code: a receipt passes it on as it is


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes
    content_type: str
    name: str
    width: int
    height: int


def max_photo_bytes() -> int:
    return settings.MAX_PHOTO_MB * 1024 * 1024


def _too_large(limit: int) -> str:
    return _("De foto is groter dan %(mb)d MB.") % {"mb": limit // (1024 * 1024)}


def check_photo(upload: UploadedFile) -> CheckedPhoto:
    """Read and verify an uploaded image; raises ValidationError in the user's language."""

    limit = max_photo_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_large(limit))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(_too_large(limit))
    too_many_pixels = _("De foto heeft te veel pixels.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(too_many_pixels, code=TOO_MANY_PIXELS)
            image.verify()  # reads the whole file: a truncated or corrupt image fails here
    except Image.DecompressionBombError as error:
        # Pillow's own limit (twice Image.MAX_IMAGE_PIXELS, 179 Mpx) refuses in open(), before
        # ours is asked: the same refusal, not "no photo" for what is a PNG of 60,000 x 60,000.
        raise ValidationError(too_many_pixels, code=TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("Dit bestand is geen foto (JPEG, PNG of WebP).")) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Alleen JPEG-, PNG- en WebP-foto's zijn toegestaan."))
    content, width, height = _without_metadata(content, image_format)
    content_type, extension = ALLOWED_FORMATS[image_format]
    # The stored name is ours: the uploader's name could hold a path or a misleading extension.
    name = f"groepen/fotos/{uuid.uuid4().hex}.{extension}"
    return CheckedPhoto(content=content, content_type=content_type, name=name, width=width, height=height)


def _without_metadata(content: bytes, image_format: str) -> tuple[bytes, int, int]:
    """Re-encode the pixels only. Phone photos carry EXIF with the GPS position where they were
    taken (often someone's home) and the device; none of it may be published. The orientation
    tag is applied first so the photo stays upright. Re-encoding also drops anything appended
    to or hidden in the file."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            long_edge = max(image.size)
            if image_format in JPEG_FORMATS and long_edge > JPEG_DECODE_EDGE:
                # draft() keeps both sides at least this big, so ask for the photo's own proportions.
                width, height = image.size
                image.draft("RGB", (width * JPEG_DECODE_EDGE // long_edge, height * JPEG_DECODE_EDGE // long_edge))
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if image_format in JPEG_FORMATS:
                upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif image_format == "WEBP":
                upright.save(out, "WEBP", quality=85)
            else:
                upright.save(out, "PNG", optimize=True)
            return out.getvalue(), upright.width, upright.height
    except (OSError, ValueError) as error:
        raise ValidationError(_("Deze foto kan niet worden gelezen.")) from error
