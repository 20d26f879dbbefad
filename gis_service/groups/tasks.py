"""Periodic work of the groups app; each task calls one service."""

from celery import shared_task

from gis_service.groups.services import tasks_repeat_due


@shared_task(name="groups.repeat_tasks")
def repeat_tasks() -> int:
    """Run by celery beat: a recurring task whose day passed gets its next one, done or not."""
    return tasks_repeat_due()
