"""A process that only serves web requests keeps the statement timeout on its connection between
requests (gis_service/core/timeouts.py): no round trips to set and reset it on every request."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from gis_service.core import timeouts


def held_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture
def serving_only(transactional_db: None) -> Iterator[None]:
    """As under gunicorn: gis_service.wsgi says the process serves requests only."""
    timeouts.keep_between_requests()
    yield
    timeouts.keep_between_requests(False)
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")  # the next test's connection starts as a new one would


def test_the_wsgi_module_marks_its_process_as_serving_only() -> None:
    # In a process of its own, as gunicorn loads it: importing it here would mark the test process.
    check = "import gis_service.wsgi; from gis_service.core import timeouts; print(timeouts._keep)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gis_service.settings"}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, cwd=django_settings.BASE_DIR, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "True"
    assert timeouts._keep is False  # and this test process is no serving-only one


def test_a_serving_process_keeps_the_web_timeout_after_a_request(serving_only: None, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 7
    Client().get("/api/locations/")
    assert held_timeout() == "7s"
    Client().get("/api/locations/")
    assert held_timeout() == "7s"


def test_an_admin_page_sets_its_own_timeout_and_the_next_web_request_its_own(
    serving_only: None, admin_client: Client, settings: Any
) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 7
    settings.ADMIN_STATEMENT_TIMEOUT = 20
    admin_client.get("/admin/locations/location/")
    assert held_timeout() == "20s"
    Client().get("/api/locations/")
    assert held_timeout() == "7s"


def test_a_changed_timeout_is_set_again(serving_only: None, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 7
    Client().get("/api/locations/")
    settings.WEB_STATEMENT_TIMEOUT = 8
    Client().get("/api/locations/")
    assert held_timeout() == "8s"


def test_other_processes_reset_it_when_the_request_ends(transactional_db: None, settings: Any) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 7
    Client().get("/api/locations/")
    assert held_timeout() == "0"
