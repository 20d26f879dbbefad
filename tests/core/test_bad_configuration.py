"""Bad configuration ends with one clear line that says what to fix, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.conftest import free_port

ROOT = Path(settings.BASE_DIR)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENV_FILE": "/nonexistent", "DEBUG": "true", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_it_explains_a_malformed_database_url() -> None:
    result = manage("check", DATABASE_URL="mysql://root@localhost/zelfbeheer")
    assert_one_clear_line(result, "DATABASE_URL", "expected postgis://")


def test_it_explains_an_unreachable_database() -> None:
    url = f"postgis://postgres@127.0.0.1:{free_port()}/zelfbeheer"
    result = manage("migrate", "--check", DATABASE_URL=url)
    assert_one_clear_line(result, "database error", "check DATABASE_URL")


def test_it_explains_a_broker_that_is_down() -> None:
    result = manage("preflight", CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert_one_clear_line(result, "broker", "geen verbinding")  # LANGUAGE_CODE: Dutch


def test_it_explains_a_database_without_postgis() -> None:
    name = f"zb_nopostgis_{uuid.uuid4().hex[:8]}"
    admin = settings.DATABASES["default"]
    params = {"host": admin["HOST"] or "127.0.0.1", "port": admin["PORT"] or 5432, "user": admin["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgis://{admin['USER']}@{params['host']}:{params['port']}/{name}"
        result = manage("preflight", DATABASE_URL=url)
        assert_one_clear_line(result, "postgis", "CREATE EXTENSION postgis")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_it_refuses_to_start_without_a_secret_key_in_production() -> None:
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert_one_clear_line(result, "SECRET_KEY is not set")


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "perhaps"), ("STORAGE_SRID", "rd"), ("SITE_URL", "ftp://x")])
def test_it_names_the_variable_with_a_bad_value(name: str, value: str) -> None:
    result = manage("check", **{name: value})
    assert_one_clear_line(result, "configuration error", name)


def test_the_database_script_reads_the_same_env_file_as_the_settings(tmp_path: Path) -> None:
    """setup.sh exports `.env` before it runs scripts/ensure_database.py; run alone, the script must still
    create the database the settings will use, not the default one."""
    port = free_port()  # nothing listens there: the script's error names the port it tried
    env_file = tmp_path / ".env"
    env_file.write_text(f"# a developer's own database\nDATABASE_URL=postgis://postgres@127.0.0.1:{port}/mine\n")
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "scripts/ensure_database.py"], cwd=ROOT, env={**environment, "ENV_FILE": str(env_file)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert_one_clear_line(result, "database error", f"port {port} failed", "check DATABASE_URL")
