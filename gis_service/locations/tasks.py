"""Periodic work of the locations app; each task calls one service."""

from celery import shared_task

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from gis_service.locations.services import locations_follow_calendar


@shared_task(name="locations.follow_calendar")
def follow_calendar() -> int:
    """Run by celery beat: statuses follow offering periods as days pass."""
    return locations_follow_calendar()
