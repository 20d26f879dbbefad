"""Periodic and queued work of the contract workflow; each task calls one service."""

from celery import shared_task

from gis_service.contracts.services.lifecycle import contracts_remind_ending


@shared_task(name="contracts.remind_ending")
def remind_ending() -> int:
    """Run by celery beat (CELERY_BEAT_SCHEDULE): reminders for contracts ending soon."""
    return contracts_remind_ending()
