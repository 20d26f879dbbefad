"""The SQL of database rules lives in `.sql` files beside their app (`<app>/sql/<name>.sql`), so
a reader finds a rule without reading migration strings; migrations load them with `run_sql_file`.

The files are written to be run again (CREATE OR REPLACE, DROP ... IF EXISTS), so a later
migration that reloads a changed file brings every database to the file's rule.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from django.db import migrations


def sql_file(package: str, name: str) -> str:
    """The text of <package>/sql/<name>.sql, the package named by its module path
    ("gis_service.locations", "ogc")."""
    module = importlib.import_module(package)
    assert module.__file__ is not None
    return (Path(module.__file__).parent / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def run_sql_file(package: str, name: str, *, reverse: str | None = None) -> migrations.RunSQL:
    """A migration operation running <package>/sql/<name>.sql."""
    return migrations.RunSQL(sql_file(package, name), reverse or migrations.RunSQL.noop)
