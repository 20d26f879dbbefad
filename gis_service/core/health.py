"""Checks of the services the platform depends on: database, PostGIS, broker."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection


class ServiceUnavailable(Exception):
    """A required service is down or misconfigured; the message says what to fix."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version')")
            version = cursor.fetchone()[0]
    except Exception as error:  # any driver error means "not reachable" to an operator
        line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return Check("database", False, f"cannot connect: {line}")
    return Check("database", True, f"PostgreSQL {version}")


def check_postgis() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            row = cursor.fetchone()
    except Exception as error:
        line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return Check("postgis", False, f"cannot query: {line}")
    if row is None:
        return Check("postgis", False, "extension not installed: run CREATE EXTENSION postgis")
    return Check("postgis", True, row[0])


def check_broker(timeout: float = 2.0) -> Check:
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:
        return Check("broker", False, f"cannot connect to {_without_password(url)}: {error}")
    return Check("broker", True, _without_password(url))


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def run_all() -> list[Check]:
    database = check_database()
    postgis = check_postgis() if database.ok else Check("postgis", False, "database not reachable")
    return [database, postgis, check_broker()]
