import pytest
from django.db import transaction

from gis_service.core import mail


@pytest.mark.django_db(transaction=True)
def test_it_sends_mail_through_the_worker_after_commit(celery_worker: str, smtp_server) -> None:
    smtp_server.clear()
    with transaction.atomic():
        mail.send_after_commit(to=["regisseur@example.org"], subject="Drempel bereikt", body="Er zijn 3 beheerders.")
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "regisseur@example.org"
    assert message["Subject"] == "Drempel bereikt"
    assert "3 beheerders" in message.get_content()


@pytest.mark.django_db(transaction=True)
def test_it_sends_nothing_when_the_transaction_rolls_back(celery_worker: str, smtp_server) -> None:
    smtp_server.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_after_commit(to=["regisseur@example.org"], subject="Nooit", body="…")
        raise RuntimeError("decision failed")
    # A control message sent afterwards arrives alone: the rolled-back one was never enqueued.
    with transaction.atomic():
        mail.send_after_commit(to=["control@example.org"], subject="Controle", body="…")
    messages = smtp_server.wait_for(1)
    assert [m["Subject"] for m in messages] == ["Controle"]
