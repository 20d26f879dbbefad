"""The budget pages without a browser: who sees what, an expense with its receipt (a renamed
program refused beside the field), receipts only for the group's managers and the regisseur,
the regisseur's grant, decision and export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from gis_service.budgets import selectors
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from tests.budgets.factories import pdf_receipt, photo_receipt, renamed_exe
from tests.conftest import _user
from tests.web.conftest import logged_in


def expense_post(grant: Grant, receipt: object, amount: str = "12.50") -> dict[str, object]:
    return {"grant": grant.pk, "spent_on": timezone.localdate().isoformat(), "amount": amount,
            "description": "Bollen", "receipt": receipt}  # fmt: skip


@pytest.mark.django_db
def test_a_manager_records_an_expense_and_a_renamed_program_is_refused_beside_the_field(grant, manager) -> None:
    client = logged_in(manager)
    page = client.get(f"/groepen/{grant.group_id}/")
    assert f'href="/groepen/{grant.group_id}/budget/"' in page.content.decode()
    refused = client.post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, renamed_exe()))
    assert refused.status_code == 400
    assert "Een bon is een foto (JPEG, PNG of WebP) of een PDF." in refused.content.decode()
    assert not Expense.objects.exists()
    done = client.post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, photo_receipt()), follow=True)
    assert "De uitgave is geboekt." in done.content.decode()
    assert "487,50" in done.content.decode()
    assert selectors.balance(grant=grant) == 487.5


@pytest.mark.django_db
def test_amounts_are_read_as_a_dutch_resident_writes_them(group, grant, manager, regisseur_a) -> None:
    # A number field (type=number) dropped the decimal comma in Chromium: "12,95" was booked as 1295.
    client = logged_in(manager)
    page = client.get(f"/groepen/{grant.group_id}/budget/").content.decode()
    assert 'type="number" name="amount"' not in page and 'inputmode="decimal"' in page
    client.post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, photo_receipt(), amount="12,95"))
    assert Expense.objects.get().amount == Decimal("12.95")
    today = timezone.localdate()
    grant_post = {"group": group.pk, "amount": "€ 1.250,50", "purpose": "Bollen", "starts_on": today.isoformat(),
                  "ends_on": today.isoformat()}  # fmt: skip
    shown = logged_in(regisseur_a).post("/regisseur/budgetten/", grant_post, follow=True).content.decode()
    assert Grant.objects.get(purpose="Bollen").amount == Decimal("1250.50")
    assert "1.250,50" in shown  # grouped, so a slip of a hundred times stands out


@pytest.mark.django_db
def test_budget_and_receipts_are_for_the_managers_and_the_owners_regisseur(
    grant, manager, regisseur_a, regisseur_b, resident
) -> None:
    client = logged_in(manager)
    client.post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, pdf_receipt()))
    expense = Expense.objects.get()
    volunteer = _user("volunteer_v")
    grant.group.members.create(user=volunteer, role="vrijwilliger")
    for user in (resident, regisseur_b, volunteer):
        assert logged_in(user).get(f"/groepen/{grant.group_id}/budget/").status_code == 403
        assert logged_in(user).get(f"/budget/bonnen/{expense.pk}/").status_code == 404
    assert logged_in(regisseur_a).get(f"/groepen/{grant.group_id}/budget/").status_code == 200
    download = logged_in(regisseur_a).get(f"/budget/bonnen/{expense.pk}/")
    assert download["Content-Type"] == "application/pdf" and download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    anonymous = logged_in(resident)
    anonymous.logout()
    assert anonymous.get(f"/budget/bonnen/{expense.pk}/").status_code == 302
    # The regisseur's own page records no expense: only managers do.
    refused = logged_in(regisseur_a).post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, photo_receipt()))
    assert refused.status_code == 403
    assert Expense.objects.count() == 1


@pytest.mark.django_db
def test_the_regisseur_grants_decides_and_exports(group, manager, regisseur_a, regisseur_b) -> None:
    client = logged_in(regisseur_a)
    assert 'href="/regisseur/budgetten/"' in client.get("/regisseur/").content.decode()
    today = timezone.localdate()
    start = today - dt.timedelta(days=9)
    grant_post = {"group": group.pk, "amount": "300", "purpose": "Bollen", "starts_on": start.isoformat(),
                  "ends_on": today.isoformat()}  # fmt: skip
    assert logged_in(regisseur_b).post("/regisseur/budgetten/", grant_post).status_code == 403
    assert "Het budget is toegekend." in client.post("/regisseur/budgetten/", grant_post, follow=True).content.decode()
    grant = Grant.objects.get()
    returned = client.post(f"/regisseur/budgetten/{grant.pk}/besluit/", {"approve": "0", "reason": ""})
    assert returned.status_code == 400 and "Geef de reden" in returned.content.decode()
    assert logged_in(regisseur_b).post(f"/regisseur/budgetten/{grant.pk}/besluit/", {"approve": "1"}).status_code == 404
    assert logged_in(manager).post(f"/regisseur/budgetten/{grant.pk}/besluit/", {"approve": "1"}).status_code == 403
    client.post(f"/regisseur/budgetten/{grant.pk}/besluit/", {"approve": "1"})
    assert AccountsDecision.objects.get().decision == "goedgekeurd"
    export = client.get("/regisseur/budgetten/aadorp.csv")
    assert export.status_code == 200 and "Bollen" in export.content.decode()
    assert logged_in(regisseur_b).get("/regisseur/budgetten/aadorp.csv").status_code == 403
    closed = logged_in(manager).get(f"/groepen/{group.pk}/budget/").content.decode()
    assert "de periode is gesloten" in closed and "expense-form" not in closed


@pytest.mark.django_db
def test_the_export_gives_the_booking_time_on_the_platforms_clock(grant, manager, regisseur_a) -> None:
    logged_in(manager).post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, photo_receipt()))
    expense = Expense.objects.get()
    export = logged_in(regisseur_a).get("/regisseur/budgetten/aadorp.csv").content.decode("utf-8-sig")
    booked = list(csv.reader(io.StringIO(export)))[1][-1]
    # As Amsterdam's clock read it, to the second: UTC with microseconds put a booking at 00:02 on the day before.
    assert booked == timezone.localtime(expense.created_at).isoformat(timespec="seconds")
    assert booked.endswith(("+01:00", "+02:00"))


@pytest.mark.django_db
def test_a_manager_reverses_a_mistake_with_a_new_row_and_a_reason(grant, manager, regisseur_a) -> None:
    client = logged_in(manager)
    client.post(f"/groepen/{grant.group_id}/budget/", expense_post(grant, photo_receipt(), amount="80"))
    expense = Expense.objects.get()
    page = client.get(f"/groepen/{grant.group_id}/budget/").content.decode()
    assert "geboekt door Mira op" in page and f"/budget/{expense.pk}/herstellen/" in page
    url = f"/groepen/{grant.group_id}/budget/{expense.pk}/herstellen/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and Expense.objects.count() == 1
    assert logged_in(regisseur_a).post(url, {"reason": "Fout"}).status_code == 403
    done = client.post(url, {"reason": "Dubbel geboekt"}, follow=True).content.decode()
    assert "Hersteld" in done and "Herstel: Dubbel geboekt" in done and "500,00" in done
    assert f"/budget/{expense.pk}/herstellen/" not in done
    assert Expense.objects.get(reverses=expense).amount == -expense.amount
