"""Checks of the services the platform depends on: database, PostGIS, broker."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _


class ServiceUnavailable(Exception):
    """A required service is down or misconfigured; the message says what to fix."""


def first_line(error: BaseException) -> str:
    """The first line of a driver's error message (they often add hints on later lines)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
        return Check("database", False, _("geen verbinding: %(error)s") % {"error": first_line(error)})
    return Check("database", True, f"PostgreSQL {version}")


def check_postgis() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            row = cursor.fetchone()
    except Exception as error:
        return Check("postgis", False, _("opvragen mislukt: %(error)s") % {"error": first_line(error)})
    if row is None:
        return Check("postgis", False, _("extensie niet geïnstalleerd: voer CREATE EXTENSION postgis uit"))
    return Check("postgis", True, row[0])


def check_broker(timeout: float = 2.0) -> Check:
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:
        return Check(
            "broker",
            False,
            _("geen verbinding met %(url)s: %(error)s") % {"url": _without_password(url), "error": error},
        )
    return Check("broker", True, _without_password(url))


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def run_all() -> list[Check]:
    database = check_database()
    postgis = check_postgis() if database.ok else Check("postgis", False, _("database niet bereikbaar"))
    return [database, postgis, check_broker()]
