"""Periodic work of the feed."""

from celery import shared_task

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from ogc.collections import COLLECTIONS
from ogc.sql import compact_counter


@shared_task(name="ogc.compact_counters")
def compact_counters() -> int:
    """Run by celery beat (CELERY_BEAT_SCHEDULE): folds each collection's counter rows into one,
    so the feed's requests only read. Returns how many counters it folded."""
    folded = 0
    for collection in COLLECTIONS.all().values():
        if collection.counter is not None:
            compact_counter(collection)
            folded += 1
    return folded
