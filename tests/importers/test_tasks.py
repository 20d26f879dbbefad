"""The Celery task runs the same service; beat looks for sources whose interval has passed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from gis_service.celery import app
from gis_service.locations.models import Location
from gis_service.owners.models import Owner
from importers.models import ImportRun, Source
from importers.sync import SourceOptions, source_ensure, sources_due
from importers.tasks import sync_source

from .conftest import BGT_CITYGML, copy_dataset


def _source(owner: Owner, name: str, interval: int | None) -> Source:
    source = source_ensure(owner=owner, name=name, options=SourceOptions(location="/nowhere.gpkg"))
    source.sync_interval_minutes = interval
    source.save()
    return source


def test_a_source_is_due_when_its_interval_has_passed_since_the_last_run(owner_a: Owner) -> None:
    never = _source(owner_a, "never-ran", 60)
    old = _source(owner_a, "ran-long-ago", 60)
    recent = _source(owner_a, "ran-just-now", 60)
    _source(owner_a, "no-schedule", None)
    ImportRun.objects.filter(pk=ImportRun.objects.create(source=old, status="succeeded").pk).update(
        started_at=timezone.now() - timedelta(hours=2)
    )
    ImportRun.objects.create(source=recent, status="succeeded")
    assert {s.name for s in sources_due()} == {never.name, old.name}


def test_beat_asks_every_minute_which_sources_are_due() -> None:
    entry = app.conf.beat_schedule["importers-sync-due-sources"]
    assert entry["task"] == "importers.tasks.sync_due_sources"
    assert entry["schedule"] == 60.0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_task_syncs_a_source_in_a_real_worker(owner_a: Owner, celery_worker: str, tmp_path: Path) -> None:
    gml = copy_dataset(BGT_CITYGML, tmp_path)
    source = source_ensure(owner=owner_a, name="bgt", options=SourceOptions(location=str(gml), id_field="lokaalID"))
    summary = sync_source.delay(source.pk).get(timeout=120)
    assert summary["status"] == "succeeded"
    assert summary["created"] == 770
    assert Location.objects.filter(source=source).count() == 770
    run = ImportRun.objects.get(pk=summary["run"])
    assert (run.read, run.status) == (770, "succeeded")
