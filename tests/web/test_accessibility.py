"""Pages pass axe-core's WCAG 2 A/AA rules in a real browser (no serious or critical violations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from gis_service.accounts.models import User
from gis_service.groups.services import group_create, task_add
from gis_service.locations.models import Location
from tests.web.conftest import log_in

AXE = Path(settings.BASE_DIR) / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def violations(page: Any) -> list[str]:
    # Evaluated through the DevTools protocol: a <script> tag with axe's text would be inline
    # script, which the Content-Security-Policy refuses (docs/security.md).
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/locaties/{location}/", "/locaties/{location}/bord/", "/initiatief/",
                                  "/groepen/{group}/", "/accounts/login/"])  # fmt: skip
def test_pages_have_no_serious_accessibility_violations(
    page: Any, live_server: Any, green_strip: Location, resident: User, path: str
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` in web/frontend (make setup does)")
    group = group_create(location=green_strip, name="Vondelgroen", managers=[resident])
    task_add(group=group, user=resident, title="Onkruid wieden")
    page.goto(live_server.url + path.format(location=green_strip.pk, group=group.pk))
    page.wait_for_load_state("networkidle")
    assert violations(page) == []


@pytest.mark.browser
def test_the_regisseur_dashboard_has_no_serious_accessibility_violations(
    page: Any, live_server: Any, regisseur_a: User
) -> None:
    log_in(page, live_server, regisseur_a)
    page.goto(f"{live_server.url}/regisseur/")
    assert violations(page) == []
