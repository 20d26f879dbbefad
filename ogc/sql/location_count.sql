-- Superseded by location_summary.sql (ogc/migrations/0007), which keeps the counter together with
-- the rest in one trigger pass per statement and drops these triggers. Kept because earlier
-- migrations load this file (and 0007 reloads it when reversed).
-- numberMatched of unfiltered location pages in O(1), exactly: statement-level triggers (with
-- transition tables, so a bulk import costs one statement, not one per row) append the change in
-- the number of current locations (withdrawn_at IS NULL) to ogc_location_count; the count is the
-- sum of its rows (ogc/migrations/0002 says why appending is exact under MVCC).
CREATE OR REPLACE FUNCTION ogc_location_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ogc_location_count (n)
        SELECT count(*) FROM ogc_new_rows WHERE withdrawn_at IS NULL HAVING count(*) <> 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ogc_location_count (n)
        SELECT -count(*) FROM ogc_old_rows WHERE withdrawn_at IS NULL HAVING count(*) <> 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    SELECT (SELECT count(*) FROM ogc_new_rows WHERE withdrawn_at IS NULL)
         - (SELECT count(*) FROM ogc_old_rows WHERE withdrawn_at IS NULL) INTO delta;
    IF delta <> 0 THEN
        INSERT INTO ogc_location_count (n) VALUES (delta);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ogc_location_count;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ogc_location_count_insert ON locations_location;
CREATE TRIGGER ogc_location_count_insert AFTER INSERT ON locations_location
    REFERENCING NEW TABLE AS ogc_new_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_count_insert();
DROP TRIGGER IF EXISTS ogc_location_count_delete ON locations_location;
CREATE TRIGGER ogc_location_count_delete AFTER DELETE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_count_delete();
DROP TRIGGER IF EXISTS ogc_location_count_update ON locations_location;
CREATE TRIGGER ogc_location_count_update AFTER UPDATE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows NEW TABLE AS ogc_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_count_update();
DROP TRIGGER IF EXISTS ogc_location_count_truncate ON locations_location;
CREATE TRIGGER ogc_location_count_truncate AFTER TRUNCATE ON locations_location
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_count_truncate();
-- The first import of a source copies with session_replication_role = replica (importers/bulk.py):
-- triggers marked ENABLE ALWAYS still fire there, so the counter stays exact.
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_count_insert;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_count_delete;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_count_update;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_count_truncate;
