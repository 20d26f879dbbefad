"""The pages over the feed's OpenAPI document: `ui` picks Swagger UI (the default) or Redoc, and nothing else.

pygeoapi took any other `ui` (`foo`, `ReDoc`, empty, repeated) as Swagger UI, and its Redoc page came from a
CDN the Content-Security-Policy refuses: blank. That page renders in Chromium in tests/web/test_api_docs.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from ogc.views import REDOC_STYLE_HASHES

pytestmark = pytest.mark.django_db

OPENAPI = "/ogc/openapi"


def get(params: dict[str, Any], language: str = "nl", accept: str = "application/json") -> Any:
    return Client(HTTP_HOST="127.0.0.1").get(OPENAPI, params, headers={"Accept": accept, "Accept-Language": language})


def policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())


@pytest.mark.parametrize("params", [{"ui": "foo"}, {"ui": "ReDoc"}, {"ui": "foo", "f": "json"}])
def test_it_refuses_a_ui_it_does_not_serve_in_the_language_of_the_request(params: dict[str, str]) -> None:
    value = params["ui"]
    for language, description in (
        ("nl", f"ui={value} wordt hier niet aangeboden; gebruik swagger, redoc."),
        ("en", f"ui={value} is not offered here; use swagger, redoc."),
    ):
        response = get(params, language)
        assert response.status_code == 400, response.content[:300]
        assert response["Content-Language"] == language
        document = json.loads(response.content)
        assert document["code"] == "InvalidParameterValue"
        assert document["description"] == description


@pytest.mark.parametrize(
    ("params", "dutch", "english"),
    [
        ({"ui": ""}, "ui zonder waarde: geef een waarde, of laat de parameter weg.",
         "ui without a value: give a value, or leave the parameter out."),
        ({"ui": ["redoc", "redoc"]}, "Geef elke parameter één keer: ui.", "Give each parameter once: ui."),
        ({"ui": ["swagger", "redoc"]}, "Geef elke parameter één keer: ui.", "Give each parameter once: ui."),
    ],
)  # fmt: skip
def test_it_refuses_an_empty_or_repeated_ui(params: dict[str, Any], dutch: str, english: str) -> None:
    for language, description in (("nl", dutch), ("en", english)):
        response = get({**params, "f": "html"}, language, accept="text/html")
        assert response.status_code == 400
        assert json.loads(get(params, language).content)["description"] == description
        # asked as a page, the refusal is the feed's error page, in the same language
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert f'<html lang="{language}"' in page and description in page.replace("&#39;", "'")


@pytest.mark.parametrize("ui", ["swagger", "redoc"])
def test_each_ui_it_serves_is_a_page_and_leaves_the_json_document_as_it_is(ui: str) -> None:
    page = get({"f": "html", "ui": ui})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "cdn.jsdelivr" not in page.content.decode() and "unpkg.com" not in page.content.decode()
    document = get({"f": "json", "ui": ui})
    assert document.status_code == 200
    assert json.loads(document.content) == json.loads(get({"f": "json"}).content)
    assert "nonce-" not in document["Content-Security-Policy"]
    assert document["Cache-Control"] == "public, max-age=3600"


def test_the_redoc_page_loads_our_redoc_and_allows_only_its_own_style_elements() -> None:
    response = get({"f": "html", "ui": "redoc"}, accept="text/html")
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "fonts.googleapis" not in html
    directives = policy(response)
    nonce = re.search(r'<script src="/static/ogc/redoc_ui.js" nonce="([^"]+)">', html)
    assert nonce is not None
    assert directives["style-src"].split() == ["'self'", f"'nonce-{nonce.group(1)}'", *REDOC_STYLE_HASHES]
    assert directives["script-src"] == "'self'" and "unsafe" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"  # a nonce is one answer's
    again = get({"f": "html", "ui": "redoc"}, accept="text/html")
    assert policy(again)["style-src"] != directives["style-src"]


def test_the_swagger_page_keeps_the_sites_policy() -> None:
    response = get({"f": "html"}, accept="text/html")
    assert response.status_code == 200
    assert policy(response)["style-src"] == "'self'"
    assert "nonce" not in response.content.decode()
