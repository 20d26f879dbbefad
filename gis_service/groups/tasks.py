"""Periodic work of the groups app; each task calls one service."""

from celery import shared_task

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from gis_service.groups.services import tasks_repeat_due


@shared_task(name="groups.repeat_tasks")
def repeat_tasks() -> int:
    """Run by celery beat: a recurring task whose day passed gets its next one, done or not."""
    return tasks_repeat_due()
