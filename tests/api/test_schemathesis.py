"""Requests generated from both OpenAPI documents (the REST API's and the OGC feed's) find no server error.

schemathesis reads each document from the running Django application (WSGI, in this process)
and sends a bounded number of generated requests to every operation, valid and invalid ones, as
an anonymous client and as a regisseur with a token. Whatever it sends, the answer is never a
5xx: input we cannot honour is a 4xx with a message.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from gis_service.accounts.models import User
from gis_service.owners.models import Owner
from tests.ogc.conftest import add_workflow, make_feed

# Django's own WSGI handler: importing gis_service.wsgi would mark this whole test process as a
# serving-only one (gis_service/core/timeouts.py), which no other test expects.
application = get_wsgi_application()

# 5 examples per operation (and the documents' own examples) keep both documents (22 + 30
# operations) to about a minute here; a one-off run with 25 found no server error either.
EXAMPLES = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure here is reproducible
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def data(transactional_db: None, owner_a: Owner, owner_b: Owner, regisseur_a: User) -> dict[str, str]:
    """The feed's fixture data (locations of two owners, contracts, an approved initiative); a regisseur's token."""
    feed = make_feed(owner_a, owner_b)
    add_workflow(feed, User.objects.create_user(username="bewoner", email="b@example.org"))
    return {"Authorization": f"Token {Token.objects.create(user=regisseur_a).key}"}


def run_every_operation(schema: Any, headers: list[dict[str, str]]) -> list[str]:
    """Generated requests to every operation of `schema`; what answered a server error."""
    errors: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # an operation schemathesis cannot read fails here, loudly

        @given(case=operation.as_strategy())
        @EXAMPLES
        def requests(case: Any) -> None:
            for extra in headers:
                response = case.call(headers=extra)
                if response.status_code >= 500:
                    errors.append(
                        f"{case.method} {case.formatted_path} {case.query or ''} {str(case.body)[:200]}"
                        f" -> {response.status_code}: {response.text[:300]}"
                    )

        requests()
    return errors


def test_the_rest_api_answers_no_server_error(data: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    assert len(list(schema.get_all_operations())) >= 20
    assert run_every_operation(schema, [{}, data]) == []


def test_the_ogc_feed_answers_no_server_error(data: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", application)
    assert len(list(schema.get_all_operations())) >= 25
    assert run_every_operation(schema, [{}]) == []
