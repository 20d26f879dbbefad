"""The SQL of database rules lives in `.sql` files beside their app (`<app>/sql/<name>.sql`), so
a reader finds a rule without reading migration strings; migrations load them with `run_sql_file`.

The files are written to be run again (CREATE OR REPLACE, DROP ... IF EXISTS), so a later
migration that reloads a changed file brings every database to the file's rule.
"""

from __future__ import annotations

from pathlib import Path

from django.db import migrations

ROOT = Path(__file__).resolve().parent.parent


def sql_file(app: str, name: str) -> str:
    """The text of gis_service/<app>/sql/<name>.sql."""
    return (ROOT / app / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def run_sql_file(app: str, name: str, *, reverse: str | None = None) -> migrations.RunSQL:
    """A migration operation running gis_service/<app>/sql/<name>.sql."""
    return migrations.RunSQL(sql_file(app, name), reverse or migrations.RunSQL.noop)
