"""One run of a sync, as its steps share it: the source, the run, and how features become rows."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gis_service.locations.models import Location
from importers import bulk, sql
from importers.models import ImportRun, Source
from importers.readers.base import Batch, FeatureStream, within_area_of_use

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

    def checked(self, stream: FeatureStream) -> Iterator[Batch]:
        """The stream's batches; coordinates that cannot be reprojected fail the run here, with the
        feature and coordinate named. Sources in the storage CRS are not reprojected and not checked."""
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
        if not self.source.layer:
            return self.source.location
        return _("%(location)s laag %(layer)s") % {"location": self.source.location, "layer": self.source.layer}
