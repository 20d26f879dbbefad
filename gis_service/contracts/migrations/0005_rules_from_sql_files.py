"""The contracts' database rules now live in gis_service/contracts/sql/ (terms.sql, overlap.sql);
this reloads them from there. The overlap predicate becomes one function, contracts_active_sharing."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

REVERSE = """
DROP FUNCTION IF EXISTS contracts_conflicting_ids(geometry, date, date, bigint);
DROP FUNCTION IF EXISTS contracts_active_sharing(geometry, date, date, bigint);
DROP FUNCTION IF EXISTS contracts_overlap_tolerance_m2();
"""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_contract_end")]

    operations = [
        run_sql_file("gis_service.contracts", "terms"),
        run_sql_file("gis_service.contracts", "overlap", reverse=REVERSE),
    ]
