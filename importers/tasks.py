"""Celery tasks: each fetches by id and calls one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from importers.models import Source
from importers.progress import DatabaseProgress
from importers.sync import runs_fail_stale, source_sync, sources_due


@shared_task(acks_late=True)
def sync_source(source_id: int, full: bool = False, language: str = "") -> dict[str, object]:
    """Syncs one source (the same service as import_locations); returns the run summary. The run's
    message is written in `language`, that of whoever asked for the run (default LANGUAGE_CODE)."""
    source = Source.objects.select_related("owner").get(pk=source_id)
    progress = DatabaseProgress()
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            run = source_sync(source=source, full=full, progress=progress)
    finally:
        progress.close()
    return run.summary()


@shared_task
def sync_due_sources() -> list[int]:
    """Queues a sync of every source whose interval has passed (run by celery beat every minute)."""
    due = [source.pk for source in sources_due()]
    for source_id in due:
        sync_source.delay(source_id)
    return due


@shared_task(name="importers.fail_stale_runs")
def fail_stale_runs() -> list[int]:
    """Fails the runs whose worker stopped answering and removes their work folders (beat, every 30 s)."""
    return runs_fail_stale()
