"""Sources: what a GIS team registers, and which are due for their scheduled sync."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.sync.run import source_sync

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceOptions:
    """What the caller says about a source; empty values leave the saved source as it is."""

    location: str
    kind: str = ""
    layer: str = ""
    crs: str = ""
    id_field: str = ""
    name_field: str = ""
    type_field: str = ""
    where: str = ""


def guess_kind(location: str) -> str:
    """file for a path, wfs for a URL that names a WFS, else oapif for a URL."""
    lower = location.lower()
    if not lower.startswith(("http://", "https://")):
        return Source.Kind.FILE
    if "service=wfs" in lower or "/wfs" in lower or "mapserv" in lower:
        return Source.Kind.WFS
    return Source.Kind.OAPIF


def source_ensure(*, owner: Owner, name: str, options: SourceOptions) -> Source:
    """The owner's source named `name`, created on first use; given options update it."""
    kind = options.kind or guess_kind(options.location)
    if kind not in Source.Kind.values:
        kinds = ", ".join(Source.Kind.values)
        raise ValueError(_("onbekende soort bron %(kind)s: kies uit %(kinds)s") % {"kind": kind, "kinds": kinds})
    location = options.location
    if kind == Source.Kind.FILE:
        location = str(Path(location).resolve())
    source, created = Source.objects.get_or_create(
        owner=owner, name=name, defaults={"kind": kind, "location": location}
    )
    changed: list[str] = []
    for field in ("location", "layer", "crs", "id_field", "name_field", "type_field", "where"):
        value = location if field == "location" else getattr(options, field)
        if value and getattr(source, field) != value:
            setattr(source, field, value)
            changed.append(field)
    if options.kind and source.kind != kind:
        source.kind = kind
        changed.append("kind")
    if changed and not created:
        source.save(update_fields=[*changed, "updated_at"])
    elif changed:
        source.save()
    return source


DEMO_BGT = Path("fixtures") / "bgt" / "bgt_begroeidterreindeel_hilversum.gml"


def demo_bgt_sync(*, owner: Owner) -> ImportRun:
    """Imports the demo BGT extract for `owner` (type from the BGT fysiekVoorkomen); a no-op when
    the file has not changed since the last run."""
    source = source_ensure(
        owner=owner,
        name="bgt-begroeidterreindeel",
        options=SourceOptions(
            location=str(Path(settings.BASE_DIR) / DEMO_BGT), id_field="lokaalID", type_field="class"
        ),
    )
    return source_sync(source=source)


def sources_due(*, now: datetime | None = None) -> list[Source]:
    """Sources with a sync interval whose last run started at least that long ago (or never ran),
    and that are not running now."""
    now = now or timezone.now()
    due = []
    for source in Source.objects.filter(sync_interval_minutes__isnull=False).exclude(sync_interval_minutes=0):
        last = source.runs.order_by("-started_at").first()
        if (
            last is None
            or last.status != ImportRun.Status.RUNNING
            and last.started_at <= now - timedelta(minutes=source.sync_interval_minutes or 0)
        ):
            due.append(source)
    return due
