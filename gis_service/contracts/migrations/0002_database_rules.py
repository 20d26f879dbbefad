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
"""

from django.db import migrations

TERMS = r"""
CREATE FUNCTION contracts_terms_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.content_hash := encode(sha256(convert_to(NEW.text, 'UTF8')), 'hex');
        RETURN NEW;
    END IF;
    IF NEW.text IS DISTINCT FROM OLD.text OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
       OR NEW.offering_id IS DISTINCT FROM OLD.offering_id OR NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'terms version % is immutable: publish a new version instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'terms_version_immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER terms_version_immutable BEFORE INSERT OR UPDATE ON contracts_termsversion
    FOR EACH ROW EXECUTE FUNCTION contracts_terms_version_immutable();

CREATE FUNCTION contracts_terms_acceptance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'terms acceptance % is proof and cannot be changed', OLD.id
        USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'terms_acceptance_append_only';
END $$;
CREATE TRIGGER terms_acceptance_append_only BEFORE UPDATE ON contracts_termsacceptance
    FOR EACH ROW EXECUTE FUNCTION contracts_terms_acceptance_append_only();
"""

TERMS_REVERSE = """
DROP TRIGGER terms_acceptance_append_only ON contracts_termsacceptance;
DROP FUNCTION contracts_terms_acceptance_append_only();
DROP TRIGGER terms_version_immutable ON contracts_termsversion;
DROP FUNCTION contracts_terms_version_immutable();
"""

OVERLAP = r"""
INSERT INTO contracts_overlaprule (id, tolerance_m2) VALUES (1, 1.0);

-- Locks the ground under `g` until the transaction ends. Cells of 1 km: every lock is an
-- exclusive lock on one cell, taken in key order so two approvals never deadlock, plus a
-- shared lock on the whole grid; a geometry spanning more than 32 cells takes the grid
-- exclusively instead (rare: a contract several km across).
CREATE FUNCTION contracts_lock_ground(g geometry) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cell CONSTANT float8 := 1000;
    grid CONSTANT int := 72801;  -- advisory lock class ids of this rule: 72801 grid, 72802 cells
    x0 int := floor(ST_XMin(g) / cell); x1 int := floor(ST_XMax(g) / cell);
    y0 int := floor(ST_YMin(g) / cell); y1 int := floor(ST_YMax(g) / cell);
    key int;
BEGIN
    IF (x1 - x0 + 1)::bigint * (y1 - y0 + 1) > 32 THEN
        PERFORM pg_advisory_xact_lock(grid, 0);
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(grid, 0);
    FOR key IN
        SELECT DISTINCT hashtext(x || ':' || y) AS k
          FROM generate_series(x0, x1) x, generate_series(y0, y1) y ORDER BY k
    LOOP
        PERFORM pg_advisory_xact_lock(72802, key);
    END LOOP;
END $$;

CREATE FUNCTION contracts_enforce_no_shared_ground() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tolerance float8;
    other record;
BEGIN
    IF NEW.status <> 'active' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'active' AND ST_Equals(OLD.geometry, NEW.geometry)
       AND OLD.starts_on IS NOT DISTINCT FROM NEW.starts_on AND OLD.ends_on IS NOT DISTINCT FROM NEW.ends_on THEN
        RETURN NULL;  -- neither its ground nor its period changed
    END IF;
    -- Under REPEATABLE READ the query below would not see a contract committed while we
    -- waited for the lock; SERIALIZABLE is safe (SSI sees the conflict), READ COMMITTED too.
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
        RAISE EXCEPTION 'activating a contract needs READ COMMITTED or SERIALIZABLE isolation';
    END IF;
    PERFORM contracts_lock_ground(NEW.geometry);
    SELECT coalesce(max(tolerance_m2), 1.0) INTO tolerance FROM contracts_overlaprule;
    SELECT c.id, ST_Area(ST_Intersection(c.geometry, NEW.geometry)) AS m2 INTO other
      FROM contracts_contract c
     WHERE c.id <> NEW.id AND c.status = 'active'
       AND c.geometry && NEW.geometry AND ST_Intersects(c.geometry, NEW.geometry)
       AND daterange(c.starts_on, c.ends_on, '[)') && daterange(NEW.starts_on, NEW.ends_on, '[)')
       AND ST_Area(ST_Intersection(c.geometry, NEW.geometry)) > tolerance
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'contract % shares % m² of ground with active contract % in an overlapping period',
                NEW.id, round(other.m2::numeric, 1), other.id
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'contract_no_shared_ground',
                  DETAIL = format('conflicting_contract=%s overlap_m2=%s', other.id, round(other.m2::numeric, 3));
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER contract_no_shared_ground
    AFTER INSERT OR UPDATE OF status, geometry, starts_on, ends_on ON contracts_contract
    FOR EACH ROW EXECUTE FUNCTION contracts_enforce_no_shared_ground();
"""

OVERLAP_REVERSE = """
DROP TRIGGER contract_no_shared_ground ON contracts_contract;
DROP FUNCTION contracts_enforce_no_shared_ground();
DROP FUNCTION contracts_lock_ground(geometry);
DELETE FROM contracts_overlaprule;
"""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [
        migrations.RunSQL(TERMS, TERMS_REVERSE),
        migrations.RunSQL(OVERLAP, OVERLAP_REVERSE),
    ]
