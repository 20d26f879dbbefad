-- The overlap rule: two active contracts may not share more than the tolerance of ground in
-- overlapping periods. This file is its one home: the constraint trigger below, the overlap
-- check (contracts/overlap.py OVERLAP_SQL), the regisseur's dashboard (web/selectors.py) and the
-- location status rule (locations/sql/status.sql) all ask contracts_active_sharing().

-- The tolerance: the one row of contracts_overlaprule (1 m² unless the admin changed it).
CREATE OR REPLACE FUNCTION contracts_overlap_tolerance_m2() RETURNS float8 LANGUAGE sql STABLE AS $$
    SELECT coalesce(max(tolerance_m2), 1.0) FROM contracts_overlaprule
$$;

-- Active contracts sharing more than the tolerance of ground with `ground` in the period
-- [period_start, period_end) (an open end: from then on), other than `except_contract`. A plain
-- SQL function, so PostgreSQL inlines it and the && finds the GiST index on the contracts' ground.
CREATE OR REPLACE FUNCTION contracts_active_sharing(
    ground geometry, period_start date, period_end date, except_contract bigint
) RETURNS TABLE (contract_id bigint, location_id bigint, overlap geometry)
LANGUAGE sql STABLE AS $$
    SELECT c.id, c.location_id, ST_Intersection(c.geometry, $1)
      FROM contracts_contract c
     WHERE c.status = 'active' AND c.geometry && $1 AND ST_Intersects(c.geometry, $1)
       AND c.id IS DISTINCT FROM $4
       AND daterange(c.starts_on, c.ends_on, '[)') && daterange($2, $3, '[)')
       AND ST_Area(ST_Intersection(c.geometry, $1)) > contracts_overlap_tolerance_m2()
$$;

-- The ids of those contracts, in order: what a query asks per row (the regisseur's dashboard).
CREATE OR REPLACE FUNCTION contracts_conflicting_ids(
    ground geometry, period_start date, period_end date, except_contract bigint
) RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(s.contract_id ORDER BY s.contract_id), '{}')
      FROM contracts_active_sharing($1, $2, $3, $4) s
$$;

-- Locks the ground under `g` until the transaction ends. Cells of 1 km: every lock is an
-- exclusive lock on one cell, taken in key order so two approvals never deadlock, plus a
-- shared lock on the whole grid; a geometry spanning more than 32 cells takes the grid
-- exclusively instead (rare: a contract several km across).
CREATE OR REPLACE FUNCTION contracts_lock_ground(g geometry) RETURNS void LANGUAGE plpgsql AS $$
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

-- The constraint trigger. Two approvals of overlapping ground always share a cell lock, so the
-- second waits for the first to commit; under READ COMMITTED its next query then sees the first
-- contract and refuses.
CREATE OR REPLACE FUNCTION contracts_enforce_no_shared_ground() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
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
    SELECT s.contract_id AS id, ST_Area(s.overlap) AS m2 INTO other
      FROM contracts_active_sharing(NEW.geometry, NEW.starts_on, NEW.ends_on, NEW.id) s
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'contract % shares % m² of ground with active contract % in an overlapping period',
                NEW.id, round(other.m2::numeric, 1), other.id
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'contract_no_shared_ground',
                  DETAIL = format('conflicting_contract=%s overlap_m2=%s', other.id, round(other.m2::numeric, 3));
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS contract_no_shared_ground ON contracts_contract;
CREATE CONSTRAINT TRIGGER contract_no_shared_ground
    AFTER INSERT OR UPDATE OF status, geometry, starts_on, ends_on ON contracts_contract
    FOR EACH ROW EXECUTE FUNCTION contracts_enforce_no_shared_ground();
