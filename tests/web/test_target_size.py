"""Tap targets on a phone (WCAG 2.2 SC 2.5.8 Target Size, Minimum): at 390 × 844 every link and button
of the header, of a page's menu (`nav`) and of the share row, and every checkbox and radio button, is at
least 24 × 24 CSS px as one box. The header's links were 19 px high, and a link that wrapped ("Account /
aanmaken", "Bord met / QR-code") was two boxes; the checkboxes were the browser's 13 × 13 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from gis_service.contracts.models import Contract
from gis_service.groups.models import Group
from tests.web.conftest import phone_context_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMUM = 24  # CSS px, WCAG 2.2 SC 2.5.8 (docs/accessibility.md)
TARGETS = (
    "header :is(a, button, input, select, summary), nav :is(a, button, input, select, summary), "
    ".share :is(a, button), input[type=checkbox], input[type=radio]"
)
# Each target's boxes: more than one when an inline link wraps onto a second line.
BOXES = "e => [...e.getClientRects()].map(r => [Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10])"


def small_targets(page: Any) -> list[str]:
    """The visible targets of the page that are smaller than MINIMUM (by Playwright's bounding box) or
    broken over lines."""
    small = []
    for target in page.locator(TARGETS).all():
        box = target.bounding_box()
        if box is None:  # not rendered (a folded menu, a hidden field)
            continue
        boxes = target.evaluate(BOXES)
        if box["width"] < MINIMUM or box["height"] < MINIMUM or len(boxes) > 1:
            small.append(f"{boxes} {target.evaluate('e => e.outerHTML')[:100]}")
    return small


def test_every_target_of_the_header_menus_and_checkboxes_is_24_px_on_a_phone(browser: Any, live_server: Any) -> None:
    call_command("load_demo")
    group = Group.objects.order_by("pk").first()
    open_contract = Contract.objects.filter(status=Contract.Status.OPEN).order_by("pk").first()
    assert group is not None and open_contract is not None
    pages = [
        (None, "/"),  # the header of a visitor: "Account aanmaken" wrapped
        ("regisseur", "/regisseur/"),  # the longest header: regisseur, account, log-out button
        ("gisbeheer", "/mijn-zelfbeheer/"),  # with Beheeromgeving
        ("vrijwilliger", f"/groepen/{group.pk}/"),  # the group's own menu (nav.tabs), its share row
        (None, f"/locaties/{open_contract.location_id}/"),  # the share row: WhatsApp, e-mail, the QR sign
        ("bewoner", f"/locaties/{open_contract.location_id}/aanmelden/"),  # "accept the terms"
        ("bewoner", "/initiatief/"),  # the list of locations to pick
    ]
    problems: list[str] = []
    for username, path in pages:
        context = phone_context_as(browser, live_server, username)
        try:
            page = context.new_page()
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            assert page.locator("header nav a").count() >= 5, path  # the header is there to measure
            problems += [f"{username or 'anoniem'} {path}: {target}" for target in small_targets(page)]
        finally:
            context.close()
    assert not problems, "\n".join(problems)
