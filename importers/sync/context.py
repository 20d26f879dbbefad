"""One run of a sync, as its steps share it: the source, the run, and how features become rows."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gis_service.locations.models import Location
from importers import bulk, sql
from importers.models import ImportRun, Source
from importers.readers.base import Batch, FeatureStream, crs_option, within_area_of_use
from importers.uploads import is_upload_of

logger = logging.getLogger(__name__)


# Bumped when the merge changes how a feature becomes a location: the stored hashes then no
# longer match, and the next sync rewrites every location once.
MERGE_VERSION = "1"
LOCATION_VALID_GEOMETRY = "location_geometry_valid"  # the CHECK constraint on locations_location

Progress = Callable[[ImportRun], None]


def salt(source: Source, srid: int) -> str:
    """Everything besides the feature itself that decides what its location looks like."""
    return json.dumps(
        [MERGE_VERSION, settings.STORAGE_SRID, srid, source.id_field, source.name_field, source.type_field]
    )


class Sync:
    """One run inside its transaction: what the steps (first_load, merge) read and report to."""

    def __init__(self, *, source: Source, run: ImportRun, full: bool, progress: Progress | None) -> None:
        self.source = source
        self.run = run
        self.full = full
        self.progress = progress
        self.prefiltered_rejected = 0  # features rejected for their id before staging (merge.Known)
        self.long_id_lengths: set[int] = set()  # of the staged ids rejected as too long (sql.REJECT_LONG_ID)
        self.assumed_crs = ""  # the CRS the source was read in although it names none (StreamInfo)
        # Looked up now: where() is also called in the middle of a COPY, when the connection can run no query.
        self._shown_location = source.location
        if source.kind == Source.Kind.FILE and is_upload_of(source.location, owner_slug=source.owner.slug):
            self._shown_location = PurePosixPath(source.location).name

    def checked(self, stream: FeatureStream) -> Iterator[Batch]:
        """The stream's batches; coordinates that cannot be reprojected fail the run here, with the
        feature and coordinate named. Sources in the storage CRS are not reprojected and not checked."""
        self.assumed_crs = stream.info.assumed_crs
        if stream.info.srid == settings.STORAGE_SRID:
            return self._with_total(stream.batches(), stream)
        return self._with_total(within_area_of_use(stream.batches(), srid=stream.info.srid, where=self.where()), stream)

    def _with_total(self, batches: Iterator[Batch], stream: FeatureStream) -> Iterator[Batch]:
        """The batches, keeping the run's total at what the stream knows while it reads: a WFS
        learns while paging that the total its hits told was its page cap, and drops it."""
        for batch in batches:
            self.run.total = stream.info.total
            yield batch

    def values(self, srid: int) -> dict[str, Any]:
        return {
            "source": self.source.pk,
            "owner": self.source.owner_id,
            "srid": srid,
            "storage_srid": settings.STORAGE_SRID,
            "salt": salt(self.source, srid),
            "run": self.run.pk,
            "status": Location.NEW_STATUS,
        }

    def record_issues(self, cursor: Any, values: dict[str, Any]) -> None:
        """Writes the issues of the staged and worked features (sql.RECORD_ISSUES), each detail in the
        run's language."""
        lengths = sorted(self.long_id_lengths)
        details = [bulk.id_too_long_detail(length) for length in lengths]
        cursor.execute(sql.RECORD_ISSUES, {**values, "long_id_lengths": lengths, "long_id_details": details})

    def where(self) -> str:
        # An uploaded file by its name, as the admin lists it: where the server keeps it is nothing
        # a GIS admin needs (a run's message quoted /srv/…/media/imports/<owner>/<hex>/groen.geojson).
        location = self._shown_location
        if not self.source.layer:
            return location
        return _("%(location)s laag %(layer)s") % {"location": location, "layer": self.source.layer}

    def assumed_crs_note(self) -> str:
        """What the run tells when it read the source in a CRS the source does not name."""
        if not self.assumed_crs:
            return ""
        return _(
            "%(where)s noemt geen coördinatenstelsel; gelezen als %(crs)s. Klopt dat niet, geef het stelsel dan in "
            "%(option)s en synchroniseer opnieuw."
        ) % {"where": self.where(), "crs": self.assumed_crs, "option": crs_option()}
