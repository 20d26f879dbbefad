"""Tasks shared by every app. Each task gets plain values and calls one service."""

from celery import shared_task

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from gis_service.core import mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Sends one e-mail over SMTP; retried with back-off while the mail server is unreachable."""
    mail.send_now(to=to, subject=subject, body=body, headers=headers)
