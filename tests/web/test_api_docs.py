"""The API's Swagger UI works without the internet: its scripts come from our static files."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_offline(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI renders the title from /api/schema/; from a CDN, offline, the page stays empty.
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Zelfbeheer API" in page.inner_text(".swagger-ui .info .title")
    assert "cdn.jsdelivr" not in page.content()
    assert page.js_errors == []
