"""Behind our TLS proxy, Django knows which requests came over https (HSTS, secure cookies)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

# Settings are read once per process, so each deployment is its own process.
SCRIPT = """
import django
django.setup()
from django.test import Client
answer = Client(HTTP_X_FORWARDED_PROTO="https").get("/api/schema/")
print(answer.status_code, answer.get("Strict-Transport-Security", "-"))
"""


def served_with(**env: str) -> str:
    environment = {
        **os.environ, "ENV_FILE": "/nonexistent", "DJANGO_SETTINGS_MODULE": "gis_service.settings",
        "SITE_URL": "https://zelfbeheer.example.org", "ALLOWED_HOSTS": "testserver", **env,
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_behind_a_proxy_an_https_request_gets_hsts() -> None:
    assert served_with(NUM_PROXIES="1") == "200 max-age=31536000"


def test_without_a_proxy_the_forwarded_header_is_not_believed() -> None:
    assert served_with(NUM_PROXIES="0") == "200 -"
