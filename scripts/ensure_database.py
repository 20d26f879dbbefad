"""Creates the database named in DATABASE_URL, with PostGIS, when it is missing. Idempotent."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from psycopg import sql  # noqa: E402

from gis_service.core.health import first_line  # noqa: E402
from gis_service.env import database_from_url, read_dotenv  # noqa: E402


def main() -> int:
    try:
        read_dotenv(Path(os.environ.get("ENV_FILE", Path(__file__).resolve().parent.parent / ".env")))
        db = database_from_url("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/zelfbeheer")
    except ImproperlyConfigured as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    params: dict[str, Any] = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "connect_timeout": 5,
    }
    name = str(db["NAME"])
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
        with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.OperationalError as error:
        hint = "check DATABASE_URL and that PostgreSQL is running"
        print(f"database error: {first_line(error)} ({hint})", file=sys.stderr)
        return 2
    except psycopg.Error as error:
        print(f"database error: {first_line(error)} (is PostGIS installed for this PostgreSQL?)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_service.settings")
    sys.exit(main())
