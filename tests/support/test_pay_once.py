"""A job has one price: a request to a supporter who charges per job is paid once. A second payment
(another manager, an old tab, the API) is refused beside the field and books nothing; the page lists
what each request was paid and offers no second payment. Hours and vouchers pay per visit, so a
request to a supporter paid per hour may be paid more than once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from gis_service.accounts.models import User
from gis_service.groups.models import Group
from gis_service.owners.models import Owner
from gis_service.support import services
from gis_service.support.models import LedgerEntry, Supporter, SupportRequest
from tests.support.factories import accepted_request
from tests.web.conftest import logged_in


def _job_supporter(owner: Owner, regisseur: User, user: User) -> Supporter:
    return services.supporter_create(
        owner=owner, by=regisseur, email=user.email, name="Snoeiwerk Smit", organisation="Smit",
        kind="hovenier", offers=["handen"], price_kind="per_klus", price_eur=Decimal("85.00"),
    )  # fmt: skip


def _accepted(group: Group, manager: User, supporter: Supporter, regisseur: User) -> SupportRequest:
    request = accepted_request(group, manager, supporter, kind="handen")
    services.vouchers_issue(group=group, by=regisseur, unit="euro", amount=Decimal(500))
    services.vouchers_issue(group=group, by=regisseur, unit="voucher", amount=Decimal(5))
    return request


@pytest.mark.django_db
def test_a_job_is_paid_once_in_any_unit(group, manager, owner_a, regisseur_a, resident) -> None:
    request = _accepted(group, manager, _job_supporter(owner_a, regisseur_a, resident), regisseur_a)
    assert services.support_spend(request=request, by=manager).amount == Decimal("-85.00")
    booked = LedgerEntry.objects.count()

    for again in ({}, {"vouchers": 2}):
        with pytest.raises(ValidationError) as error:
            services.support_spend(request=request, by=manager, **again)
        field = "vouchers" if again else "hours"
        assert list(error.value.message_dict) == [field]
        assert error.value.message_dict[field][0].startswith("Deze klus is al betaald op ")
    assert LedgerEntry.objects.count() == booked


@pytest.mark.django_db
def test_the_page_lists_the_payment_and_refuses_a_second_one(group, manager, owner_a, regisseur_a, resident) -> None:
    request = _accepted(group, manager, _job_supporter(owner_a, regisseur_a, resident), regisseur_a)
    client = logged_in(manager)
    pay = f"/groepen/{group.pk}/ondersteuning/{request.pk}/betalen/"
    assert f'action="{pay}"' in client.get(f"/groepen/{group.pk}/ondersteuning/").content.decode()

    assert client.post(pay, {}).status_code == 302
    page = client.get(f"/groepen/{group.pk}/ondersteuning/").content.decode()
    assert "Betaald op " in page and ": 85 euro" in page
    assert "De klus is betaald." in page and f'action="{pay}"' not in page

    booked = LedgerEntry.objects.count()
    refused = client.post(pay, {})  # an old tab
    assert refused.status_code == 400
    assert "Deze klus is al betaald op " in refused.content.decode()
    api = APIClient()
    api.force_authenticate(manager)
    answer = api.post(f"/api/support-requests/{request.pk}/spend/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["hours"][0].startswith("Deze klus is al betaald op ")
    assert LedgerEntry.objects.count() == booked


@pytest.mark.django_db
def test_an_hourly_request_is_paid_per_visit(group, manager, supporter, regisseur_a) -> None:
    request = _accepted(group, manager, supporter, regisseur_a)  # € 40 an hour
    services.support_spend(request=request, by=manager, hours=Decimal("2"))
    services.support_spend(request=request, by=manager, hours=Decimal("1.5"))
    services.support_spend(request=request, by=manager, vouchers=1)

    page = logged_in(manager).get(f"/groepen/{group.pk}/ondersteuning/").content.decode()
    assert page.count("Betaald op ") == 3
    assert ": 80 euro (2 uur)" in page and ": 60 euro (1,50 uur)" in page and ": 1 voucher<" in page
    assert f"/ondersteuning/{request.pk}/betalen/" in page


@pytest.mark.django_db
def test_the_database_refuses_a_second_payment_that_skips_the_services(
    group, manager, owner_a, regisseur_a, resident
) -> None:
    request = _accepted(group, manager, _job_supporter(owner_a, regisseur_a, resident), regisseur_a)
    LedgerEntry.objects.create(group=group, unit="euro", amount=Decimal("-85"), request=request, created_by=manager)
    with pytest.raises(IntegrityError, match="support_ledger_job_paid_once"), transaction.atomic():
        LedgerEntry.objects.create(group=group, unit="voucher", amount=Decimal(-1), request=request, created_by=manager)
    assert LedgerEntry.objects.filter(request=request).count() == 1


@pytest.mark.django_db
def test_a_job_asks_no_hours_and_refuses_them_rather_than_drop_them(
    group, manager, owner_a, regisseur_a, resident
) -> None:
    request = _accepted(group, manager, _job_supporter(owner_a, regisseur_a, resident), regisseur_a)
    client = logged_in(manager)
    page = client.get(f"/groepen/{group.pk}/ondersteuning/").content.decode()
    assert f'id="id_spend{request.pk}_vouchers"' in page and f'id="id_spend{request.pk}_hours"' not in page
    assert "de klus (€ 85,00)" in page
    with pytest.raises(ValidationError) as error:
        services.support_spend(request=request, by=manager, hours=Decimal("3"))
    assert error.value.message_dict == {"hours": ["Deze ondersteuner rekent per klus: laat de uren leeg."]}
    refused = client.post(f"/groepen/{group.pk}/ondersteuning/{request.pk}/betalen/", {"hours": "3"})
    assert refused.status_code == 400 and "laat de uren leeg" in refused.content.decode()
    assert not LedgerEntry.objects.filter(request=request).exists()
