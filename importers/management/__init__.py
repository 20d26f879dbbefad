"""What the importers' commands share: the owner they import for, named by slug."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gis_service.owners.models import Owner


def owner_by_slug(slug: str) -> Owner:
    """The owner a command's `--owner` names, or the command's one-line error saying how to make it."""
    try:
        return Owner.objects.get(slug=slug)
    except Owner.DoesNotExist:
        message = _("geen eigenaar met slug '%(slug)s' (maak die aan met create_owner)") % {"slug": slug}
        raise CommandError(message) from None
