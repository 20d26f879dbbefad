"""A new request e-mails the supporter; the answer e-mails each manager — through the real
worker and SMTP server, after the transaction commits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from gis_service.groups.models import GroupMember
from gis_service.support import services
from tests.conftest import SmtpServer, _user


@pytest.mark.django_db(transaction=True)
def test_the_supporter_hears_of_a_request_and_each_manager_of_the_answer(
    group, manager, supporter, smtp_server: SmtpServer, celery_worker: str
) -> None:
    co_manager = _user("manager_two")
    GroupMember.objects.create(group=group, user=co_manager, role=GroupMember.Role.MANAGER)
    smtp_server.clear()
    request = services.support_ask(
        group=group, supporter=supporter, kind="advies", wanted_on=timezone.localdate() + dt.timedelta(days=7),
        message="Welke planten passen in de schaduw?", by=manager,
    )  # fmt: skip
    (asked,) = smtp_server.wait_for(1)
    assert asked["To"] == supporter.user.email
    assert asked["Subject"] == "Verzoek om ondersteuning van Speelveldje groen"
    body = asked.get_content()
    assert "Welke planten passen in de schaduw?" in body and "/ondersteuning/postvak/" in body
    assert manager.email not in body  # contact goes through the platform

    smtp_server.clear()
    services.support_answer(request=request, by=supporter.user, accept=True, answer="Ik kom zaterdag kijken.")
    answers = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in answers) == sorted([manager.email, co_manager.email])
    for message in answers:
        assert message["Subject"] == "Henk de Hovenier helpt Speelveldje groen"
        assert "Ik kom zaterdag kijken." in message.get_content()
        assert f"/groepen/{group.pk}/ondersteuning/" in message.get_content()


@pytest.mark.django_db(transaction=True)
def test_a_refused_request_sends_nothing(
    group, manager, supporter, smtp_server: SmtpServer, celery_worker: str
) -> None:
    from django.core.exceptions import ValidationError

    smtp_server.clear()
    with pytest.raises(ValidationError):
        services.support_ask(group=group, supporter=supporter, kind="organiseren",  # not offered
                             wanted_on=timezone.localdate(), message="Buren bij elkaar?", by=manager)  # fmt: skip
    services.support_ask(group=group, supporter=supporter, kind="handen", wanted_on=timezone.localdate(),
                         message="Snoeien", by=manager)  # fmt: skip
    (only,) = smtp_server.wait_for(1)
    assert "Snoeien" in only.get_content()


@pytest.mark.django_db(transaction=True)
def test_the_request_and_the_answer_reach_each_in_their_own_language(
    group, manager, supporter, smtp_server: SmtpServer, celery_worker: str
) -> None:
    supporter.user.language = "en"
    supporter.user.save(update_fields=["language"])
    english_manager = _user("manager_en", language="en")
    GroupMember.objects.create(group=group, user=english_manager, role=GroupMember.Role.MANAGER)
    smtp_server.clear()
    with translation.override("nl"):  # the Dutch manager asks from a Dutch page
        request = services.support_ask(group=group, supporter=supporter, kind="advies", wanted_on=dt.date(2030, 12, 6),
                                       message="Welke planten passen in de schaduw?", by=manager)  # fmt: skip
    (asked,) = smtp_server.wait_for(1)
    assert asked["Subject"] == "Request for support from Speelveldje groen"
    assert "on 6 December 2030:" in asked.get_content()

    smtp_server.clear()
    with translation.override("en"):  # the supporter answers from an English page
        services.support_answer(request=request, by=supporter.user, accept=False, answer="Dan ben ik weg.")
    answers = {message["To"]: message for message in smtp_server.wait_for(2)}
    dutch, english = answers[manager.email], answers[english_manager.email]
    assert dutch["Subject"] == "Henk de Hovenier kan Speelveldje groen niet helpen"
    assert "op 6 december 2030 is afgewezen." in dutch.get_content()
    assert "on 6 December 2030" in english.get_content() and "helps" not in english["Subject"]
    for message in (dutch, english):
        assert "Dan ben ik weg." in message.get_content()


@pytest.mark.django_db(transaction=True)
def test_the_supporter_hears_what_was_paid_for_their_help_and_not_the_balance(
    group, manager, supporter, regisseur_a, smtp_server: SmtpServer, celery_worker: str
) -> None:
    from decimal import Decimal

    from tests.support.factories import accepted_request

    smtp_server.clear()
    request = accepted_request(group, manager, supporter)
    smtp_server.wait_for(2)  # the request and the answer
    services.vouchers_issue(group=group, unit="euro", amount=Decimal("500"), by=regisseur_a)
    smtp_server.clear()
    services.support_spend(request=request, by=manager, hours=Decimal("2.5"))
    (paid,) = smtp_server.wait_for(1)
    assert paid["To"] == supporter.user.email
    assert paid["Subject"] == "Speelveldje groen heeft je hulp betaald"
    body = paid.get_content()
    assert "€ 100,00 (2,5 uur)" in body and "/ondersteuning/postvak/" in body
    assert "400" not in body and manager.email not in body  # the balance left and the manager stay the group's
