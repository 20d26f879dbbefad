"""Asking for support on a phone: under "Wat" only what the chosen supporter offers. A walk chose the
first supporter (a community organiser who offers organising) and "advies", and heard only after
sending it that this supporter does not offer that."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from gis_service.accounts.models import User
from gis_service.owners.models import Owner
from gis_service.support import services
from tests.conftest import _user
from tests.support.factories import gardener, group_on
from tests.web.conftest import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_what_one_may_ask_follows_the_chosen_supporter(
    phone_page: Any, live_server: Any, owner_a: Owner, regisseur_a: User
) -> None:
    page = phone_page
    manager = _user("mira", first_name="Mira")
    group = group_on(owner_a, manager)
    henk = gardener(owner_a, regisseur_a, _user("henk", first_name="Henk"))  # advies, handen
    bo = services.supporter_create(
        owner=owner_a, by=regisseur_a, email=_user("bo").email, name="Bo", organisation="Buurtwerk",
        kind="buurtwerker", offers=["organiseren"], price_kind="gratis", price_eur=None,
    )  # fmt: skip

    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/groepen/{group.pk}/ondersteuning/")
    enabled = "Array.from(document.querySelectorAll('#id_kind option')).filter(o => !o.disabled).map(o => o.value)"

    page.select_option("#id_supporter", str(bo.pk))
    assert page.evaluate(enabled) == ["organiseren"]
    expect(page.locator("#id_kind")).to_have_value("organiseren")

    page.select_option("#id_supporter", str(henk.pk))
    assert sorted(page.evaluate(enabled)) == ["advies", "handen"]
    expect(page.locator("#id_kind")).to_have_value("advies")
