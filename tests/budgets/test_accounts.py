"""Grants, expenses and the accounts: never overdrawn (also at once, also by SQL that skips the
services), nothing new in an approved period, rows never changed, receipts checked by content."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from gis_service.accounts.models import User
from gis_service.budgets import selectors, services
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from tests.budgets.factories import pdf_receipt, photo_receipt, renamed_exe
from tests.groups.test_photos import png_claiming


def spend(grant: Grant, by: User, amount: str, **extra: object) -> Expense:
    fields = {"spent_on": timezone.localdate(), "description": "Vaste planten", "receipt": photo_receipt(), **extra}
    return services.expense_record(grant=grant, by=by, amount=Decimal(amount), **fields)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_balance_is_the_grant_minus_its_rows_and_a_reversal_gives_back(grant, manager) -> None:
    first = spend(grant, manager, "120.50")
    spend(grant, manager, "79.50", receipt=pdf_receipt())
    assert selectors.balance(grant=grant) == Decimal("300.00")
    services.expense_reverse(expense=first, by=manager, reason="Dubbel geboekt")
    assert selectors.balance(grant=grant) == Decimal("420.50")
    with pytest.raises(ValidationError, match="al hersteld"):
        services.expense_reverse(expense=first, by=manager, reason="Nog eens")
    row = selectors.group_grants(group=grant.group).get()
    assert (row.spent, row.balance, row.approved) == (Decimal("79.50"), Decimal("420.50"), False)


@pytest.mark.django_db
def test_an_expense_that_overdraws_is_refused(grant, manager) -> None:
    spend(grant, manager, "450")
    with pytest.raises(ValidationError) as refused:
        spend(grant, manager, "50.01")
    assert "saldo" in str(refused.value.message_dict["amount"])
    assert selectors.balance(grant=grant) == Decimal("50.00")


@pytest.mark.django_db
def test_the_database_refuses_overdrawing_that_skips_the_services(grant, manager) -> None:
    with pytest.raises(IntegrityError, match="budgets_not_overdrawn"), transaction.atomic():
        Expense.objects.create(grant=grant, spent_on=timezone.localdate(), amount=Decimal("500.01"),
                               description="Te veel", receipt="budgetten/bonnen/x.jpg", created_by=manager)  # fmt: skip


@pytest.mark.django_db
def test_rows_are_never_changed_or_deleted(grant, manager, regisseur_a) -> None:
    expense = spend(grant, manager, "10")
    for queryset in (Expense.objects.filter(pk=expense.pk), Grant.objects.filter(pk=grant.pk)):
        with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
            queryset.update(amount=Decimal("1"))
        with pytest.raises(IntegrityError, match="never changed"), transaction.atomic(), connection.cursor() as sql:
            sql.execute(f"DELETE FROM {queryset.model._meta.db_table} WHERE id = %s", [queryset.get().pk])
    decision = services.accounts_decide(grant=grant, by=regisseur_a, approve=False, reason="Bon onleesbaar")
    with pytest.raises(IntegrityError, match="never changed"), transaction.atomic():
        AccountsDecision.objects.filter(pk=decision.pk).update(decision="goedgekeurd")
    assert Expense.objects.get(pk=expense.pk).amount == Decimal("10.00")


@pytest.mark.django_db
def test_an_approved_period_is_closed(grant, manager, regisseur_a) -> None:
    expense = spend(grant, manager, "25")
    with pytest.raises(ValidationError, match="reden"):
        services.accounts_decide(grant=grant, by=regisseur_a, approve=False, reason=" ")
    returned = services.accounts_decide(grant=grant, by=regisseur_a, approve=False, reason="Bon ontbreekt")
    assert returned.decision == "teruggestuurd"
    spend(grant, manager, "5")  # after a return the managers may still correct
    services.accounts_decide(grant=grant, by=regisseur_a, approve=True)
    with pytest.raises(ValidationError, match="gesloten"):
        spend(grant, manager, "5")
    with pytest.raises(ValidationError, match="gesloten"):
        services.expense_reverse(expense=expense, by=manager, reason="Toch niet")
    with pytest.raises(ValidationError, match="al goedgekeurd"):
        services.accounts_decide(grant=grant, by=regisseur_a, approve=True)
    with pytest.raises(IntegrityError, match="budgets_period_closed"), transaction.atomic():
        Expense.objects.create(
            grant=grant, spent_on=timezone.localdate(), amount=Decimal("1"), description="Na sluiting",
            receipt="budgetten/bonnen/x.jpg", created_by=manager,
        )  # fmt: skip
    assert selectors.balance(grant=grant) == Decimal("470.00")


@pytest.mark.django_db
def test_expenses_fall_in_the_period_and_accounts_wait_for_its_end(group, manager, regisseur_a) -> None:
    today = timezone.localdate()
    grant = services.grant_create(
        group=group, by=regisseur_a, amount=Decimal("100"), purpose="Zaden",
        starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=5),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="buiten de periode"):
        spend(grant, manager, "10", spent_on=today - dt.timedelta(days=6))
    with pytest.raises(ValidationError, match="toekomst"):
        spend(grant, manager, "10", spent_on=today + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="eind van de periode"):
        services.accounts_decide(grant=grant, by=regisseur_a, approve=True)


@pytest.mark.django_db
def test_only_the_owners_regisseur_grants_and_decides_and_only_managers_spend(
    grant, manager, regisseur_a, regisseur_b, resident
) -> None:
    today = timezone.localdate()
    for user in (regisseur_b, manager, resident):
        with pytest.raises(PermissionDenied):
            services.grant_create(group=grant.group, by=user, amount=Decimal(1), purpose="x", starts_on=today,
                                  ends_on=today)  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.accounts_decide(grant=grant, by=user, approve=True)
    for user in (regisseur_a, regisseur_b, resident):
        with pytest.raises(PermissionDenied):
            spend(grant, user, "1")
    assert not Expense.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("upload", [renamed_exe("bon.jpg"), renamed_exe("bon.pdf")], ids=["as jpg", "as pdf"])
def test_a_renamed_program_is_no_receipt(grant, manager, upload) -> None:
    with pytest.raises(ValidationError) as refused:
        spend(grant, manager, "10", receipt=upload)
    assert "foto" in str(refused.value.message_dict["receipt"])
    assert not Expense.objects.exists()


@pytest.mark.django_db
def test_a_photo_of_too_many_pixels_is_refused_as_that_not_as_no_receipt(grant, manager) -> None:
    bomb = SimpleUploadedFile("bon.png", png_claiming(60_000, 60_000), content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        spend(grant, manager, "10", receipt=bomb)
    assert refused.value.message_dict["receipt"] == ["De foto heeft te veel pixels."]
    assert not Expense.objects.exists()


@pytest.mark.django_db
def test_receipts_are_stored_under_our_name_with_the_detected_type(grant, manager, settings) -> None:
    settings.MAX_PHOTO_MB = 1
    photo = spend(grant, manager, "1", receipt=photo_receipt("../../etc/passwd.png"))
    pdf = spend(grant, manager, "1", receipt=pdf_receipt("bon.jpg"))
    assert photo.receipt.name.startswith("budgetten/bonnen/") and photo.receipt.name.endswith(".jpg")
    assert (photo.receipt_content_type, pdf.receipt_content_type) == ("image/jpeg", "application/pdf")
    assert pdf.receipt.name.endswith(".pdf")
    too_big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + bytes(1024 * 1024) + b"%%EOF")
    with pytest.raises(ValidationError, match="groter dan 1 MB"):
        spend(grant, manager, "1", receipt=too_big)


@pytest.mark.django_db
def test_a_receipt_is_removed_when_the_transaction_around_the_expense_rolls_back(grant, manager, settings) -> None:
    media = Path(settings.MEDIA_ROOT)
    kept = spend(grant, manager, "1")
    with pytest.raises(RuntimeError), transaction.atomic():
        spend(grant, manager, "2")
        assert len(list(media.rglob("*.jpg"))) == 2
        raise RuntimeError("the caller's next step failed")
    assert [path.relative_to(media).as_posix() for path in media.rglob("*.*")] == [kept.receipt.name]


@pytest.mark.django_db(transaction=True)
def test_two_managers_spending_at_once_never_overdraw(grant, manager, group) -> None:
    second = User.objects.create_user(username="manager_two", email="two@example.org", password="x")
    group.members.create(user=second, role="beheerder")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record(user: User) -> None:
        try:
            barrier.wait(timeout=10)
            spend(Grant.objects.get(pk=grant.pk), user, "300")
            outcomes.append("spent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(user,)) for user in (manager, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "spent"]
    assert selectors.balance(grant=grant) == Decimal("200.00")
