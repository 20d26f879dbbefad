"""Periodic and queued work of the contract workflow; each task calls one service."""

from celery import shared_task

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from gis_service.contracts.services.lifecycle import contracts_end_due, contracts_remind_ending


@shared_task(name="contracts.remind_ending")
def remind_ending() -> int:
    """Run by celery beat (CELERY_BEAT_SCHEDULE): reminders for contracts ending soon."""
    return contracts_remind_ending()


@shared_task(name="contracts.end_due")
def end_due() -> int:
    """Run by celery beat: contracts whose end date has come end (their groups become archives)."""
    return contracts_end_due()
