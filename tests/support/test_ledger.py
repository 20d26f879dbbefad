"""The voucher ledger: issued by the owner's regisseur, spent by managers on accepted requests,
never below zero (also under concurrency, also for SQL that skips the services), never changed."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from gis_service.support import selectors, services
from gis_service.support.models import LedgerEntry, SupportRequest
from tests.support.factories import accepted_request


@pytest.mark.django_db
def test_the_balance_is_the_sum_of_issues_and_spendings(group, manager, supporter, regisseur_a) -> None:
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(3), by=regisseur_a)
    services.vouchers_issue(group=group, unit="euro", amount=Decimal("200"), by=regisseur_a)
    request = accepted_request(group, manager, supporter)
    services.support_spend(request=request, by=manager, vouchers=2)
    services.support_spend(request=request, by=manager, hours=Decimal("1.5"))
    assert selectors.balances(group=group) == {"voucher": Decimal(1), "euro": Decimal("140.00")}
    assert LedgerEntry.objects.filter(group=group).count() == 4


@pytest.mark.django_db
def test_it_refuses_to_spend_more_than_the_balance(group, manager, supporter, regisseur_a) -> None:
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(2), by=regisseur_a)
    request = accepted_request(group, manager, supporter)
    with pytest.raises(ValidationError, match="saldo"):
        services.support_spend(request=request, by=manager, vouchers=3)
    with pytest.raises(ValidationError, match="saldo"):
        services.support_spend(request=request, by=manager, hours=Decimal(1))  # no euro budget at all
    assert selectors.balances(group=group)["voucher"] == Decimal(2)


@pytest.mark.django_db
def test_the_database_refuses_overspending_that_skips_the_services(group, manager, supporter, regisseur_a) -> None:
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(1), by=regisseur_a)
    request = accepted_request(group, manager, supporter)
    with pytest.raises(IntegrityError, match="support_ledger_balance_not_negative"), transaction.atomic():
        LedgerEntry.objects.create(group=group, unit="voucher", amount=Decimal(-2), request=request, created_by=manager)


@pytest.mark.django_db
def test_ledger_rows_are_never_changed_or_deleted(group, regisseur_a) -> None:
    entry = services.vouchers_issue(group=group, unit="voucher", amount=Decimal(5), by=regisseur_a)
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal(50))
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal(5)


@pytest.mark.django_db
def test_only_the_owners_regisseur_issues_and_only_managers_spend_accepted_requests(
    group, manager, supporter, regisseur_a, regisseur_b, resident
) -> None:
    for user in (regisseur_b, manager, resident, supporter.user):
        with pytest.raises(PermissionDenied):
            services.vouchers_issue(group=group, unit="voucher", amount=Decimal(1), by=user)
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(4), by=regisseur_a)
    request = services.support_ask(group=group, supporter=supporter, kind="handen",
                                   wanted_on=timezone.localdate(), message="Hulp bij snoeien", by=manager)  # fmt: skip
    with pytest.raises(PermissionDenied):  # not accepted yet
        services.support_spend(request=request, by=manager, vouchers=1)
    services.support_answer(request=request, by=supporter.user, accept=True)
    for user in (regisseur_a, resident, supporter.user):
        with pytest.raises(PermissionDenied):
            services.support_spend(request=request, by=user, vouchers=1)
    assert selectors.balances(group=group)["voucher"] == Decimal(4)


@pytest.mark.django_db(transaction=True)
def test_two_managers_spending_at_once_never_overspend(group, manager, supporter, regisseur_a) -> None:
    """Both see a balance of 3 and each spends 2: one must wait for the other and be refused."""
    services.vouchers_issue(group=group, unit="voucher", amount=Decimal(3), by=regisseur_a)
    request = accepted_request(group, manager, supporter)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def spend() -> None:
        try:
            barrier.wait(timeout=10)
            services.support_spend(request=SupportRequest.objects.get(pk=request.pk), by=manager, vouchers=2)
            outcomes.append("spent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "spent"]
    assert selectors.balances(group=group)["voucher"] == Decimal(1)
    connection.close()


@pytest.mark.django_db
def test_a_supporter_who_deletes_their_account_leaves_the_pool(group, manager, supporter, supporter_user) -> None:
    from gis_service.accounts.services import account_delete

    request = services.support_ask(group=group, supporter=supporter, kind="advies", wanted_on=timezone.localdate(),
                                   message="Nog een vraag", by=manager)  # fmt: skip
    account_delete(user=supporter_user, password="pw-" + supporter_user.username * 2)
    supporter.refresh_from_db()
    assert not supporter.is_active and "Henk" not in supporter.name and supporter.organisation == ""
    assert not selectors.pool().exists() and not supporter.allowed_by.exists()
    request.refresh_from_db()
    assert request.status == "afgewezen"
