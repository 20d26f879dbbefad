"""Rules PostgreSQL enforces whoever writes the rows (see docs/workflow.md).

1. Terms versions are immutable: the hash is computed from the text on insert, and an
   UPDATE that changes text, hash, offering or number is refused.
2. Terms acceptances are append-only proof: UPDATE is refused.
3. The overlap rule: two active contracts may not share more than the tolerance of ground
   in overlapping periods. A constraint trigger takes transaction-scoped advisory locks on
   the grid cells the contract's bounding box covers, then looks for a conflicting active
   contract. Two approvals of overlapping ground always share a cell, so the second waits
   for the first to commit; under READ COMMITTED its next query then sees the first
   contract and refuses. A contract too large for cell locks takes the whole grid.

The rules' SQL lives in gis_service/contracts/sql/ (terms.sql, overlap.sql); migration 0005
reloads it into databases made before it moved there.
"""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

OVERLAP_RULE_ROW = "INSERT INTO contracts_overlaprule (id, tolerance_m2) VALUES (1, 1.0)"

TERMS_REVERSE = """
DROP TRIGGER terms_acceptance_append_only ON contracts_termsacceptance;
DROP FUNCTION contracts_terms_acceptance_append_only();
DROP TRIGGER terms_version_immutable ON contracts_termsversion;
DROP FUNCTION contracts_terms_version_immutable();
"""

OVERLAP_REVERSE = """
DROP TRIGGER contract_no_shared_ground ON contracts_contract;
DROP FUNCTION contracts_enforce_no_shared_ground();
DROP FUNCTION contracts_lock_ground(geometry);
DROP FUNCTION IF EXISTS contracts_conflicting_ids(geometry, date, date, bigint);
DROP FUNCTION IF EXISTS contracts_active_sharing(geometry, date, date, bigint);
DROP FUNCTION IF EXISTS contracts_overlap_tolerance_m2();
"""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [
        run_sql_file("gis_service.contracts", "terms", reverse=TERMS_REVERSE),
        migrations.RunSQL(OVERLAP_RULE_ROW, "DELETE FROM contracts_overlaprule"),
        run_sql_file("gis_service.contracts", "overlap", reverse=OVERLAP_REVERSE),
    ]
