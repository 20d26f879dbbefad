"""Following a group means getting its news by e-mail, through the real worker and SMTP."""

from __future__ import annotations

import pytest

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Group
from tests.conftest import SmtpServer


@pytest.mark.django_db(transaction=True)
def test_followers_each_get_the_news_by_e_mail_without_seeing_each_other(
    group: Group, manager: User, resident: User, outsider: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    services.group_follow(group=group, user=resident)
    services.group_follow(group=group, user=outsider)
    services.news_post(group=group, author=manager, title="Plantdag zaterdag", body="Om tien uur bij het bankje.")

    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["outsider@example.org", "resident_one@example.org"]
    for message in messages:
        assert message["Subject"] == "Speelveldje groen: Plantdag zaterdag"
        body = message.get_content()
        assert "Om tien uur bij het bankje." in body and f"/groepen/{group.pk}/" in body
    assert all(manager.email not in m["To"] for m in messages)  # the author is not told their own news
