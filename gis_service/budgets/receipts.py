"""Checks on uploaded receipts: a photo (checked and re-encoded as group photos are) or a PDF,
told by the content, never by the name or the browser's content type. A renamed program is refused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from gis_service.groups.photos import TOO_MANY_PIXELS, check_photo, max_photo_bytes

PDF = "application/pdf"


@dataclass(frozen=True)
class CheckedReceipt:
    content: bytes
    content_type: str
    name: str


def _is_pdf(content: bytes) -> bool:
    """A PDF starts with its header and ends with an end-of-file marker (within the last KB)."""
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]


def check_receipt(upload: UploadedFile) -> CheckedReceipt:
    """Read and verify a receipt; raises ValidationError in the user's language."""
    limit = max_photo_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_("De bon is groter dan %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise ValidationError(_("De bon is groter dan %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
        if not _is_pdf(content):
            raise ValidationError(_("Deze PDF is onvolledig of beschadigd."))
        return CheckedReceipt(content=content, content_type=PDF, name=f"budgetten/bonnen/{uuid.uuid4().hex}.pdf")
    try:
        photo = check_photo(upload)
    except ValidationError as error:
        if error.code == TOO_MANY_PIXELS:
            raise  # a photo, but too big to decode: "no photo or PDF" would be wrong
        raise ValidationError(_("Een bon is een foto (JPEG, PNG of WebP) of een PDF.")) from error
    extension = photo.name.rsplit(".", 1)[-1]
    return CheckedReceipt(
        content=photo.content, content_type=photo.content_type, name=f"budgetten/bonnen/{uuid.uuid4().hex}.{extension}"
    )
