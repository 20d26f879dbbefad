"""The ledger's rules in PostgreSQL: append-only, and no balance below zero (support/sql/ledger.sql)."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

REVERSE = """
DROP TRIGGER IF EXISTS support_ledger_not_overspent ON support_ledgerentry;
DROP FUNCTION IF EXISTS support_ledger_not_overspent();
DROP TRIGGER IF EXISTS support_ledger_append_only ON support_ledgerentry;
DROP FUNCTION IF EXISTS support_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [run_sql_file("gis_service.support", "ledger", reverse=REVERSE)]
