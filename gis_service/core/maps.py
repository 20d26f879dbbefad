"""What the maps' background says about itself, in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

# The default of MAP_BACKGROUND_ATTRIBUTION (gis_service/settings.py reads it from here): PDOK's
# BRT-Achtergrondkaart.
DEFAULT_ATTRIBUTION = "Kaartgegevens &copy; Kadaster (PDOK)"


def background_attribution() -> str:
    """MAP_BACKGROUND_ATTRIBUTION, translated while it is the default; an operator's own text as written.

    The setting is read once at start-up, in no language: as it was, an English reader of the public
    map and of an import run's map read "Kaartgegevens", where the location pages' maps said "Map data".
    """
    if settings.MAP_BACKGROUND_ATTRIBUTION == DEFAULT_ATTRIBUTION:
        return gettext("Kaartgegevens &copy; Kadaster (PDOK)")
    return settings.MAP_BACKGROUND_ATTRIBUTION
