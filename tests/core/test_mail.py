import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from gis_service.core import mail


@pytest.mark.django_db(transaction=True)
def test_it_sends_mail_through_the_worker_after_commit(celery_worker: str, smtp_server) -> None:
    with transaction.atomic():
        mail.send_after_commit(to=["regisseur@example.org"], subject="Drempel bereikt", body="Er zijn 3 beheerders.")
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "regisseur@example.org"
    assert message["Subject"] == "Drempel bereikt"
    assert "3 beheerders" in message.get_content()


@pytest.mark.django_db(transaction=True)
def test_it_sends_nothing_when_the_transaction_rolls_back(celery_worker: str, smtp_server) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_after_commit(to=["regisseur@example.org"], subject="Nooit", body="…")
        raise RuntimeError("decision failed")
    # A control message sent afterwards arrives alone: the rolled-back one was never enqueued.
    with transaction.atomic():
        mail.send_after_commit(to=["control@example.org"], subject="Controle", body="…")
    messages = smtp_server.wait_for(1)
    assert [m["Subject"] for m in messages] == ["Controle"]


@pytest.mark.django_db(transaction=True)
def test_each_address_gets_a_message_of_its_own(celery_worker: str, smtp_server) -> None:
    with transaction.atomic():
        mail.send_after_commit(to=["een@example.org", "twee@example.org"], subject="Besluit", body="Goedgekeurd.")
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["een@example.org", "twee@example.org"]
    assert all(m["Cc"] is None and m["Bcc"] is None for m in messages)
    assert smtp_server.envelope_recipients == [[m["To"]] for m in messages]


@pytest.mark.django_db(transaction=True)
def test_an_address_refused_for_now_gets_its_mail_on_the_retry_and_nobody_gets_it_twice(
    celery_worker: str, smtp_server
) -> None:
    smtp_server.refuse_once("bezet@example.org")
    with transaction.atomic():
        mail.send_after_commit(
            to=["een@example.org", "bezet@example.org", "twee@example.org"], subject="Besluit", body="…"
        )
    # The first attempt delivers the other two; the retry (within a second or two) only the refused one.
    # Had the retry sent all three again, the third message to arrive would be a second copy.
    messages = smtp_server.wait_for(3)
    assert [m["To"] for m in messages][2] == "bezet@example.org"
    assert sorted(m["To"] for m in messages) == ["bezet@example.org", "een@example.org", "twee@example.org"]


def test_the_console_mail_of_the_demo_shows_its_links_whole() -> None:
    """`EMAIL_URL=console://` (the demo's, .env.example's) prints mail in the worker's log, where the
    README sends a new user for the confirmation link. Django's console backend printed it
    quoted-printable, a long link cut by "=" line ends: copied, it answered "Deze link klopt niet"."""
    link = (
        "http://127.0.0.1:8000/account/bevestigen/"
        + "eyJ1IjoxMjMsInAiOiIyMDI2LTEyLTA3VDE5OjU1OjMz" * 3
        + ":1vSabc:xyz/"
    )
    code = (
        "import django; django.setup(); from gis_service.core import mail; "
        "mail.send_now(to=['anna@example.org'], subject='Bevestig je e-mailadres', "
        f"body='Hallo Anna, één klik: {link}')"
    )
    environment = {**os.environ, "EMAIL_URL": "console://", "DJANGO_SETTINGS_MODULE": "gis_service.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(settings.BASE_DIR), env=environment, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    assert link in result.stdout.splitlines()[-2]  # the body's line, the link whole
    assert "Hallo Anna, één klik:" in result.stdout and "=C3=A9" not in result.stdout
    assert "To: anna@example.org" in result.stdout and "Subject: Bevestig je e-mailadres" in result.stdout
