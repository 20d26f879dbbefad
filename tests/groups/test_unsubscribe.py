"""One-click unsubscribe from news mail (RFC 8058), through the real worker and SMTP server."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client

from gis_service.accounts.models import User
from gis_service.groups import services
from gis_service.groups.models import Follower, Group
from gis_service.groups.unsubscribe import unsubscribe_token
from tests.conftest import SmtpServer


def _link(header: str) -> str:
    match = re.fullmatch(r"<https?://[^/]+(/groepen/afmelden/[^>]+/)>", header)
    assert match, header
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_each_news_mail_carries_its_own_one_click_unsubscribe_that_works_without_session_or_csrf(
    group: Group, manager: User, resident: User, outsider: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    services.group_follow(group=group, user=resident)
    services.group_follow(group=group, user=outsider)
    services.news_post(group=group, author=manager, title="Plantdag", body="Zaterdag om tien uur.")

    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    mail = messages["resident_one@example.org"]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = _link(mail["List-Unsubscribe"])
    assert path != _link(messages["outsider@example.org"]["List-Unsubscribe"])  # personal, per follower
    assert path in mail.get_content()  # the same link in the text, for readers without the button

    # What a mail client does (RFC 8058 §3.1): a POST with that body, no cookies, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert not Follower.objects.filter(group=group, user=resident).exists()
    assert Follower.objects.filter(group=group, user=outsider).exists()  # only the owner of the link
    assert client.post(path).status_code == 200  # a second post (clients retry) is no error

    smtp_server.clear()
    services.news_post(group=group, author=manager, title="Nog meer", body="Tot zaterdag.")
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["outsider@example.org"]


@pytest.mark.django_db
def test_opening_the_link_asks_to_confirm_and_unsubscribes_nobody(group: Group, resident: User) -> None:
    # Mail scanners open every link: a GET must change nothing.
    services.group_follow(group=group, user=resident)
    path = f"/groepen/afmelden/{unsubscribe_token(group_id=group.pk, user_id=resident.pk)}/"
    response = Client().get(path)
    assert response.status_code == 200
    assert "<form" in response.content.decode() and "Afmelden" in response.content.decode()
    assert Follower.objects.filter(group=group, user=resident).exists()


@pytest.mark.django_db
def test_a_forged_or_altered_link_is_refused_and_changes_nothing(group: Group, resident: User) -> None:
    services.group_follow(group=group, user=resident)
    token = unsubscribe_token(group_id=group.pk, user_id=resident.pk)
    # Someone else's pair with this signature: the payload part swapped, the rest kept.
    payload = signing.b64_encode(f"[{group.pk},{resident.pk + 1}]".encode()).decode()
    forged = payload + token[token.index(":") :]
    for bad in (forged, "1:2", token[:-2] + "xx"):
        response = Client().post(f"/groepen/afmelden/{bad}/")
        assert response.status_code == 400, bad
        assert "klopt niet" in response.content.decode()
    assert Follower.objects.filter(group=group, user=resident).exists()


@pytest.mark.django_db
def test_a_token_of_another_kind_is_no_unsubscribe_link(group: Group, resident: User) -> None:
    # Signed with the same key but another salt (e.g. a confirmation link) must not work here.
    services.group_follow(group=group, user=resident)
    other = signing.dumps([group.pk, resident.pk], salt="accounts.something-else")
    assert Client().post(f"/groepen/afmelden/{other}/").status_code == 400
    assert Follower.objects.filter(group=group, user=resident).exists()


@pytest.mark.django_db(transaction=True)
def test_the_unsubscribe_header_reaches_mail_clients_as_a_plain_url(
    group: Group, manager: User, resident: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    # A mail client finds the one-click button by reading `<https://…>` in the header (RFC 2369,
    # RFC 8058); the link is longer than a 78-character line, and Python's mail folding wrote it as
    # RFC 2047 encoded-words ("=?utf-8?q?=3Chttp=3A//…?="), which is no URL to a client.
    smtp_server.clear()
    services.group_follow(group=group, user=resident)
    services.news_post(group=group, author=manager, title="Plantdag", body="Zaterdag om tien uur.")

    (mail,) = smtp_server.wait_for(1)
    raw = dict(mail.raw_items())["List-Unsubscribe"]
    assert "=?" not in raw
    assert raw == f"<{mail['List-Unsubscribe'][1:-1]}>"
    assert len(raw) > 78  # long enough that folding would have had to break it
    _link(raw)
