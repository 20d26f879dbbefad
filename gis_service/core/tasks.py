"""Tasks shared by every app. Each task gets plain values and calls one service."""

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

import gis_service.celery  # noqa: F401  # the app these tasks are sent with (see gis_service/__init__.py)
from gis_service.core import mail


@shared_task(bind=True, max_retries=5)
def send_email(self: Task, *, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Sends the e-mail over SMTP, a message to each address; retried with back-off while the mail
    server is unreachable, for the addresses that got nothing yet (none gets it twice)."""
    try:
        mail.send_now(to=to, subject=subject, body=body, headers=headers)
    except mail.NotAllSent as error:
        # What autoretry_for=(OSError,) with retry_backoff=True did, but with only the unsent addresses.
        countdown = get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=600, full_jitter=True
        )
        unsent = {"to": error.unsent, "subject": subject, "body": body, "headers": headers}
        raise self.retry(kwargs=unsent, exc=error, countdown=countdown) from error
