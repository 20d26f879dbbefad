"""No two landmarks of a page share a name (WCAG 1.3.1, 2.4.1; ARIA's landmark-unique): a screen reader
lists a page's regions by name, and two "Lopende contracten (1)" in that list (a section and the
scrolling table inside it, both named by the section's heading) are two stops that say the same. Every
page type of the site, public and logged in, at phone width, as Chromium's accessibility tree names them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gis_service.contracts.models import Contract
from gis_service.groups.models import Group
from tests.web.conftest import phone_context_as
from tests.web.site_pages import demo_site_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANDMARKS = {"banner", "complementary", "contentinfo", "form", "main", "navigation", "region", "search"}
# Without a name a form or a section is no landmark (WCAG's ARIA mapping; Chromium still says "form").
LANDMARKS_ONLY_WHEN_NAMED = {"form", "region"}


def landmarks(page: Any) -> list[tuple[str, str]]:
    """The page's landmarks as (role, accessible name), in the order of the page."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    found = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        name = " ".join(str(node.get("name", {}).get("value", "")).split())
        if node.get("ignored") or role not in LANDMARKS or (role in LANDMARKS_ONLY_WHEN_NAMED and not name):
            continue
        found.append((role, name))
    return found


def duplicates(found: list[tuple[str, str]]) -> list[str]:
    """Names that more than one landmark has (whatever their roles), and roles that more than one
    landmark without a name has."""
    by_name = Counter(name.casefold() for _, name in found if name)
    by_role = Counter(role for role, name in found if not name)
    return [f"{count} × “{name}”" for name, count in by_name.items() if count > 1] + [
        f"{count} × {role} without a name" for role, count in by_role.items() if count > 1
    ]


def more_page_types() -> list[tuple[str, str]]:
    """Pages of the demo that site_pages opens as another user only, where other sections show."""
    group = Group.objects.order_by("pk").first()
    contract = Contract.objects.filter(status=Contract.Status.ACTIVE).order_by("pk").first()
    assert group is not None and contract is not None
    return [
        ("beheerder", f"/groepen/{group.pk}/"),  # a manager's group page: every form of the group's tools
        ("regisseur", f"/contracten/{contract.pk}/"),  # the regisseur's contract page: its tables
        ("regisseur", f"/locaties/{contract.location_id}/"),
        ("bewoner", f"/locaties/{contract.location_id}/"),
        ("corporatie", "/regisseur/"),
        ("huurder", "/mijn-zelfbeheer/"),
        ("groenadviseur", "/initiatieven/"),
    ]


def test_no_two_landmarks_of_a_page_share_a_name(browser: Any, live_server: Any) -> None:
    pages = demo_site_pages() + more_page_types()
    problems: list[str] = []
    contexts: dict[str | None, Any] = {}
    try:
        for username, path in pages:
            if username not in contexts:
                contexts[username] = phone_context_as(browser, live_server, username)
            page = contexts[username].new_page()
            response = page.goto(f"{live_server.url}{path}", wait_until="load")
            assert response is not None and response.status == 200, (username, path)
            page.wait_for_load_state("networkidle")
            found = landmarks(page)
            assert ("main", "") in found, (username, path, found)  # the tree was read
            problems += [f"{username or 'anoniem'} {path}: {problem}" for problem in duplicates(found)]
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    assert not problems, "\n".join(problems)
