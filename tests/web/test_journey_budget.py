"""Budgets and accounts on a phone (390 × 844): the regisseur grants the group a budget, a manager
records an expense with a photo of the receipt, the regisseur approves the accounts, and the group's
page shows the balance and the closed period; once with a Dutch phone and once with an English one,
axe-core on every page (tests/web/journeys.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.budgets.models import AccountsDecision, Expense, Grant
from gis_service.owners.models import Owner
from tests.budgets.factories import jpeg_bytes
from tests.conftest import _user
from tests.support.factories import group_on
from tests.web.conftest import log_in
from tests.web.journeys import AxeWalk, Texts, in_both_languages


def fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


# Amounts as each language writes them: the expense typed, the grant and the balance shown.
AMOUNTS = {"nl-NL": ("42,50", "250,00", "207,50"), "en-GB": ("42.50", "250.00", "207.50")}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@in_both_languages
def test_a_grant_an_expense_with_a_receipt_photo_and_the_approval_on_a_phone(
    locale: str, axe: AxeWalk, phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User, settings: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    page, t = phone_page, Texts(locale)
    spent, granted, left = AMOUNTS[locale]
    axe.follow(page)
    manager = _user("mira", first_name="Mira")
    group = group_on(owner_a, manager)
    today = timezone.localdate()

    # The regisseur grants, from the dashboard.
    log_in(page, live_server, regisseur_a, axe)
    axe.check(page)  # the front page, logged in
    page.goto(f"{live_server.url}/regisseur/")
    axe.check(page)
    page.get_by_role("link", name=t("Budgetten en verantwoording")).click()
    page.select_option("#id_group", str(group.pk))
    axe.check(page)
    page.fill("#id_amount", "250")
    page.fill("#id_purpose", "Groenbudget: vaste planten")
    page.fill("#id_starts_on", (today - dt.timedelta(days=30)).isoformat())
    page.fill("#id_ends_on", today.isoformat())
    page.get_by_role("button", name=t("Toekennen")).click()
    expect(page.locator(".messages")).to_contain_text(t("Het budget is toegekend."))
    grant = Grant.objects.get()
    fits_the_phone(page)

    # The manager records an expense with a photo of the receipt, from the group's page.
    page.context.clear_cookies()
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/")
    axe.check(page)
    page.get_by_role("link", name=t("Budget en verantwoording")).click()
    expect(page.locator(f"#balance-{grant.pk}")).to_have_text(granted)
    page.locator(f"#grant-{grant.pk} summary").click()
    # As the phone's language writes it: a number field (type=number) dropped the Dutch comma and booked 4250.
    page.fill(f"#id_expense{grant.pk}_amount", spent)
    page.fill(f"#id_expense{grant.pk}_description", "Vaste planten, tuincentrum")
    page.set_input_files(
        f"#id_expense{grant.pk}_receipt", files=[{"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_role("button", name=t("Boeken")).click()
    expect(page.locator(".messages")).to_contain_text(t("De uitgave is geboekt."))
    expect(page.locator(f"#balance-{grant.pk}")).to_have_text(left)
    axe.check(page)  # with the expense form opened and booked
    expense = Expense.objects.get()
    assert (expense.amount, expense.created_by_id, expense.receipt_content_type) == (
        Decimal("42.50"), manager.pk, "image/jpeg")  # fmt: skip
    expect(page.get_by_role("link", name=t("bon"))).to_have_attribute("href", f"/budget/bonnen/{expense.pk}/")
    fits_the_phone(page)

    # The regisseur approves the accounts: the period closes.
    page.context.clear_cookies()
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/budgetten/")
    page.locator(f"#grant-{grant.pk}").get_by_role("button", name=t("Verantwoording goedkeuren")).click()
    expect(page.locator(".messages")).to_contain_text(t("Goedgekeurd: de periode is gesloten."))
    axe.check(page)
    expect(page.locator(f"#grant-{grant.pk}")).to_have_attribute("data-state", "goedgekeurd")
    assert AccountsDecision.objects.get().decided_by_id == regisseur_a.pk

    # The manager sees the balance and that no expense can be added any more.
    page.context.clear_cookies()
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/budget/")
    expect(page.locator(f"#balance-{grant.pk}")).to_have_text(left)
    expect(page.locator(f"#accounts-{grant.pk}")).to_contain_text(
        t("De verantwoording is goedgekeurd; de periode is gesloten.")
    )
    expect(page.locator(".expense-form")).to_have_count(0)
    fits_the_phone(page)
    axe.check(page)
    axe.every_page_checked()
