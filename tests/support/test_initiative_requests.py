"""An initiative's initiators ask a supporter of the owner's allow-list, before there is a group;
the supporter answers and the initiators hear of it. Vouchers stay a group's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from gis_service.support import services
from gis_service.support.models import SupportRequest
from tests.conftest import SmtpServer
from tests.initiatives.factories import filed_initiative
from tests.initiatives.test_initiatives import client_for

ASK = {"kind": "advies", "message": "Welke planten passen hier?"}


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def initiative(owner_a, regisseur_a, resident):
    return filed_initiative(owner_a, resident)


def test_an_initiator_asks_through_the_api_and_sees_the_request(initiative, supporter, resident) -> None:
    body = {"initiative": initiative.pk, "supporter": supporter.pk, "wanted_on": tomorrow().isoformat(), **ASK}
    answer = client_for(resident).post("/api/support-requests/", body, format="json")
    assert answer.status_code == 201, answer.data
    assert answer.data["initiative"] == initiative.pk and answer.data["group"] is None
    listed = client_for(resident).get("/api/support-requests/").data["results"]
    assert [row["id"] for row in listed] == [answer.data["id"]]


def test_neither_or_both_askers_is_refused(initiative, supporter, group, resident, manager) -> None:
    body = {"supporter": supporter.pk, "wanted_on": tomorrow().isoformat(), **ASK}
    assert client_for(resident).post("/api/support-requests/", body, format="json").status_code == 400
    both = {**body, "initiative": initiative.pk, "group": group.pk}
    assert client_for(manager).post("/api/support-requests/", both, format="json").status_code == 400
    assert not SupportRequest.objects.exists()


def test_only_initiators_ask_for_an_initiative(initiative, supporter, regisseur_a, resident_two) -> None:
    for user in (regisseur_a, resident_two):
        with pytest.raises(PermissionDenied):
            services.support_ask_for_initiative(
                initiative=initiative, supporter=supporter, wanted_on=tomorrow(), by=user, **ASK
            )
    assert not SupportRequest.objects.exists()


def test_an_initiatives_request_cannot_be_paid_from_vouchers(initiative, supporter, resident) -> None:
    asked = services.support_ask_for_initiative(
        initiative=initiative, supporter=supporter, wanted_on=tomorrow(), by=resident, **ASK
    )
    services.support_answer(request=asked, by=supporter.user, accept=True)
    with pytest.raises(PermissionDenied):
        services.support_spend(request=asked, by=resident, vouchers=1)


def test_the_database_holds_exactly_one_asker(initiative, supporter, group, resident) -> None:
    asked = services.support_ask_for_initiative(
        initiative=initiative, supporter=supporter, wanted_on=tomorrow(), by=resident, **ASK
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRequest.objects.filter(pk=asked.pk).update(group=group)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRequest.objects.filter(pk=asked.pk).update(initiative=None)


@pytest.mark.django_db(transaction=True)
def test_the_supporter_hears_of_it_and_the_initiators_of_the_answer(
    owner_a, regisseur_a, resident, supporter, smtp_server: SmtpServer, celery_worker: str
) -> None:
    smtp_server.clear()
    initiative = filed_initiative(owner_a, resident)
    smtp_server.wait_for(1)  # the regisseur's mail of the new initiative, before counting ours
    smtp_server.clear()
    asked = services.support_ask_for_initiative(
        initiative=initiative, supporter=supporter, wanted_on=tomorrow(), by=resident, **ASK
    )
    (request_mail,) = smtp_server.wait_for(1)
    assert request_mail["To"] == supporter.user.email
    assert request_mail["Subject"] == f"Verzoek om ondersteuning van Bewonersinitiatief “{initiative.description}”"
    assert request_mail.get_content().startswith(f"Bewonersinitiatief “{initiative.description}” vraagt je om ")
    assert resident.email not in request_mail.get_content()
    smtp_server.clear()
    services.support_answer(request=asked, by=supporter.user, accept=True, answer="Ik kom dinsdag.")
    (answer_mail,) = smtp_server.wait_for(1)
    assert answer_mail["To"] == resident.email
    assert "Ik kom dinsdag." in answer_mail.get_content()
    assert f"/initiatief/{initiative.pk}/#support" in answer_mail.get_content()


def test_the_inbox_and_the_initiative_page_show_the_request_to_whom_it_concerns(
    initiative, supporter, resident, resident_two, client
) -> None:
    services.support_ask_for_initiative(
        initiative=initiative, supporter=supporter, wanted_on=tomorrow(), by=resident, **ASK
    )
    client.force_login(supporter.user)
    inbox = client.get("/ondersteuning/postvak/").content.decode()
    assert f"Bewonersinitiatief “{initiative.description}”" in inbox and f'href="/initiatief/{initiative.pk}/"' in inbox
    assert "Gemeente Aadorp" in inbox and resident.email not in inbox
    client.force_login(resident)
    assert "Welke planten passen hier?" in client.get(f"/initiatief/{initiative.pk}/").content.decode()
    client.force_login(resident_two)
    assert "Welke planten passen hier?" not in client.get(f"/initiatief/{initiative.pk}/").content.decode()
