"""Paying a request takes vouchers or hours, and says so when it gets both: a walk paid 2 vouchers
with "1,5 uur" typed beside them, and the hours were dropped without a word (the ledger row had none).
Nothing silent: the refusal comes back beside the field, on the page and in the API, nothing booked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from gis_service.support import services
from gis_service.support.models import LedgerEntry, SupportRequest
from tests.support.factories import accepted_request
from tests.web.conftest import logged_in


def _accepted(group, manager, supporter, regisseur) -> SupportRequest:
    request = accepted_request(group, manager, supporter)
    services.vouchers_issue(group=group, by=regisseur, unit="voucher", amount=Decimal(5))
    services.vouchers_issue(group=group, by=regisseur, unit="euro", amount=Decimal(200))
    return request


@pytest.mark.django_db
def test_vouchers_and_hours_at_once_are_refused_on_the_page(group, manager, supporter, regisseur_a) -> None:
    request = _accepted(group, manager, supporter, regisseur_a)
    booked = LedgerEntry.objects.count()

    page = logged_in(manager).post(
        f"/groepen/{group.pk}/ondersteuning/{request.pk}/betalen/", {"vouchers": "2", "hours": "1.5"}
    )

    assert page.status_code == 400
    assert "Vul vouchers of uren in, niet allebei." in page.content.decode()
    assert LedgerEntry.objects.count() == booked


@pytest.mark.django_db
def test_vouchers_and_hours_at_once_are_refused_by_the_api(group, manager, supporter, regisseur_a) -> None:
    request = _accepted(group, manager, supporter, regisseur_a)
    booked = LedgerEntry.objects.count()
    client = APIClient()
    client.force_authenticate(manager)

    answer = client.post(f"/api/support-requests/{request.pk}/spend/", {"vouchers": 2, "hours": "1.5"}, format="json")

    assert answer.status_code == 400
    assert answer.json() == {"hours": ["Vul vouchers of uren in, niet allebei."]}
    assert LedgerEntry.objects.count() == booked


@pytest.mark.django_db
def test_either_one_alone_still_pays(group, manager, supporter, regisseur_a) -> None:
    request = _accepted(group, manager, supporter, regisseur_a)
    assert services.support_spend(request=request, by=manager, vouchers=2).amount == Decimal(-2)
    entry = services.support_spend(request=request, by=manager, hours=Decimal("1.5"))
    assert (entry.unit, entry.amount, entry.hours) == ("euro", Decimal("-60.00"), Decimal("1.5"))


@pytest.mark.django_db
def test_a_free_supporter_is_not_paid_and_the_page_offers_no_payment(
    group, manager, owner_a, regisseur_a, resident
) -> None:
    # A walk found "Betalen" under an accepted request of a free community worker, and 2 vouchers
    # paid for help that costs nothing were gone from the group's balance.
    free = services.supporter_create(
        owner=owner_a, by=regisseur_a, email=resident.email, name="Bo", organisation="Buurtwerk",
        kind="buurtwerker", offers=["organiseren"], price_kind="gratis", price_eur=None,
    )  # fmt: skip
    request = services.support_ask(
        group=group, supporter=free, kind="organiseren", wanted_on=timezone.localdate() + dt.timedelta(days=2),
        message="Wie helpt de buren bij elkaar te brengen?", by=manager,
    )  # fmt: skip
    services.support_answer(request=request, by=resident, accept=True, answer="")
    services.vouchers_issue(group=group, by=regisseur_a, unit="voucher", amount=Decimal(5))
    booked = LedgerEntry.objects.count()
    client = logged_in(manager)

    page = client.get(f"/groepen/{group.pk}/ondersteuning/").content.decode()
    assert f"/ondersteuning/{request.pk}/betalen/" not in page
    assert "Gratis: er is niets te betalen." in page

    # A post the page no longer offers (an old tab) is refused and comes back to the same statement.
    refused = client.post(f"/groepen/{group.pk}/ondersteuning/{request.pk}/betalen/", {"vouchers": "2"})
    assert refused.status_code == 400
    assert "Gratis: er is niets te betalen." in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        services.support_spend(request=request, by=manager, vouchers=2)
    assert error.value.message_dict == {"vouchers": ["Deze ondersteuner is gratis: er is niets te betalen."]}
    assert LedgerEntry.objects.count() == booked
