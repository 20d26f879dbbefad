"""Start-up guard: configuration and connection errors end in one clear line, not a traceback."""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured


def explain(error: BaseException) -> str | None:
    """One line that says what to fix for errors a deployment can cause; None for real bugs."""
    from django.db import OperationalError

    from gis_service.core.health import ServiceUnavailable, first_line

    if isinstance(error, ImproperlyConfigured):
        return f"configuration error: {error}"
    if isinstance(error, OperationalError):
        first = first_line(error)
        if "does not exist" in first and "type" in first and "geometry" in first:
            return "database error: PostGIS is not installed in this database: run CREATE EXTENSION postgis"
        return f"database error: {first} (check DATABASE_URL and that PostgreSQL is running)"
    if isinstance(error, ServiceUnavailable):
        return str(error)
    return None


def run_reporting_config_errors(argv: list[str]) -> None:
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except Exception as error:
        message = explain(error)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(2)
