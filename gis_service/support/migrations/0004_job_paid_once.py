"""A request to a supporter paid per job is paid once (support/sql/ledger.sql, reloaded)."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

REVERSE = """
DROP TRIGGER IF EXISTS support_ledger_job_paid_once ON support_ledgerentry;
DROP FUNCTION IF EXISTS support_ledger_job_paid_once();
"""


class Migration(migrations.Migration):
    dependencies = [("support", "0003_initiative_requests")]

    operations = [run_sql_file("gis_service.support", "ledger", reverse=REVERSE)]
