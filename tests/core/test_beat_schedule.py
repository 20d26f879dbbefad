"""Every periodic entry names a task the worker knows (a typo would fail silently at run time)."""

from __future__ import annotations

import pytest

from gis_service.celery import app


@pytest.mark.django_db  # the worker start-up Celery imitates runs Django's system checks, which touch the database
def test_every_beat_entry_names_a_registered_task() -> None:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover each app's tasks
    entries = {name: entry["task"] for name, entry in app.conf.beat_schedule.items()}
    assert {"contracts-remind-ending", "importers-sync-due-sources", "ogc-compact-counters"} <= set(entries)
    assert {name: task for name, task in entries.items() if task not in app.tasks} == {}
