"""The group's managers hear by e-mail when the regisseur approves or returns the accounts, through
the real worker and SMTP server, each in their own language."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gis_service.accounts.models import User
from gis_service.budgets import services
from gis_service.budgets.models import Grant
from gis_service.groups import services as group_services
from gis_service.groups.models import Group, GroupMember
from tests.conftest import SmtpServer, _user


@pytest.fixture
def english_manager(group: Group) -> User:
    user = _user("manager_en", language="en")
    GroupMember.objects.create(group=group, user=user, role=GroupMember.Role.MANAGER)
    return user


@pytest.mark.django_db(transaction=True)
def test_returned_accounts_reach_each_manager_in_their_language_with_the_reason(
    grant: Grant, manager: User, english_manager: User, resident: User, regisseur_a: User,
    smtp_server: SmtpServer, celery_worker: str,
) -> None:  # fmt: skip
    group_services.group_join(group=grant.group, user=resident)  # a volunteer: not told about money
    smtp_server.clear()
    with transaction.atomic():
        services.accounts_decide(grant=grant, by=regisseur_a, approve=False, reason="De bon van de schep ontbreekt")

    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert sorted(messages) == ["manager_en@example.org", "manager_m@example.org"]
    dutch, english = messages["manager_m@example.org"], messages["manager_en@example.org"]
    assert dutch["Subject"] == "Verantwoording teruggestuurd: Plantjes en gereedschap"
    assert "returned" in english["Subject"] and "teruggestuurd" not in english["Subject"]
    for message in (dutch, english):
        body = message.get_content()
        assert "De bon van de schep ontbreekt" in body
        assert f"/groepen/{grant.group_id}/budget/" in body


@pytest.mark.django_db(transaction=True)
def test_approved_accounts_are_mailed_to_the_manager(
    grant: Grant, manager: User, regisseur_a: User, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    with pytest.raises(PermissionDenied), transaction.atomic():  # a manager may not decide
        services.accounts_decide(grant=grant, by=manager, approve=True)
    with transaction.atomic():
        services.accounts_decide(grant=grant, by=regisseur_a, approve=True)

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "manager_m@example.org"
    assert message["Subject"] == "Verantwoording goedgekeurd: Plantjes en gereedschap"
    assert "De periode is gesloten." in message.get_content()
