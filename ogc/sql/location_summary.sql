-- What ogc keeps about the current locations (withdrawn_at IS NULL, the rows the locations collection
-- publishes), kept by ONE statement-level trigger per kind of statement, reading its transition table
-- once (ogc/migrations/0007; before, three trigger sets each read it). What a bulk write costs here is
-- grouping the deltas and upserting one row per cell and table, not reading the transition table:
-- folding measured the same backend CPU as the three sets (docs/benchmarks.md, *Keeping the counter
-- and the cells*). The tables:
--   ogc_location_count      the feed's count, as appended deltas (ogc/migrations/0002 says why exact);
--   ogc_location_cell       counts and sums of centres per 50/200/800/3200 m cell and status
--                           (unfiltered and status-filtered tiles at national zoom, ogc/tile_sql.py);
--   ogc_location_kind_cell  the same per status, type and owner (tiles filtered on type or owner).
-- A location's centre is the middle of its bounding box. The changed rows are read from the
-- transition tables, their boxes computed and turned into signed deltas (+1 new, -1 old) once, as
-- arrays; ogc_location_summary_add then aggregates them per cell for each table. (One aggregate per
-- status, type and owner rolled up into the status cells measured slower than two: the roll-up of
-- the kind cells costs what grouping the rows again does, plus keeping the kind cells in between.)
-- Rows are upserted in key order and every writer writes the tables in the same order (cells, kind
-- cells, counter): two writers take their cell locks in the same order and never deadlock.

-- work_mem: grouping a bulk statement's deltas sorts 4 rows per location (one per cell size); at the
-- default 4 MB a 50,000-row INSERT already sorted on disk (external merge, 13 and 16 MB; in memory
-- 25 and 28 MB); 64 MB keeps some 120,000 locations per statement in memory (an import's batch is
-- 5,000), and only while this function runs.
-- rows_moves: whether the row moves in the status cells and the counter too, not only in the kind
-- cells (false for an update that changed only type or owner: the status cells and the counter
-- write nothing for it, as a rename writes nothing anywhere).
CREATE OR REPLACE FUNCTION ogc_location_summary_add(
    rows_x float8[], rows_y float8[], rows_status text[], rows_type text[], rows_owner bigint[], rows_sign int[],
    rows_moves boolean[]
) RETURNS void LANGUAGE sql SET work_mem = '64MB' AS $$
    INSERT INTO ogc_location_cell AS c (size, gx, gy, status, n, sx, sy)
    SELECT s.size, floor(r.x / s.size)::int, floor(r.y / s.size)::int, r.status, sum(r.sign), sum(r.sign * r.x),
           sum(r.sign * r.y)
    FROM unnest(rows_x, rows_y, rows_status, rows_sign, rows_moves) AS r(x, y, status, sign, moves)
    CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
    WHERE r.moves
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.sign) <> 0 OR sum(r.sign * r.x) <> 0 OR sum(r.sign * r.y) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (size, gx, gy, status)
        DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy;

    INSERT INTO ogc_location_kind_cell AS c (size, gx, gy, status, type, owner_id, n, sx, sy)
    SELECT s.size, floor(r.x / s.size)::int, floor(r.y / s.size)::int, r.status, r.type, r.owner_id, sum(r.sign),
           sum(r.sign * r.x), sum(r.sign * r.y)
    FROM unnest(rows_x, rows_y, rows_status, rows_type, rows_owner, rows_sign) AS r(x, y, status, type, owner_id, sign)
    CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(r.sign) <> 0 OR sum(r.sign * r.x) <> 0 OR sum(r.sign * r.y) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (size, gx, gy, status, type, owner_id)
        DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy;

    INSERT INTO ogc_location_count (n)
    SELECT sum(r.sign) FROM unnest(rows_sign, rows_moves) AS r(sign, moves) WHERE r.moves HAVING sum(r.sign) <> 0;
$$;

CREATE OR REPLACE FUNCTION ogc_location_summary_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_summary_add(array_agg(x), array_agg(y), array_agg(status), array_agg(type),
                                     array_agg(owner_id), array_agg(1), array_agg(true))
    FROM (SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
          FROM (SELECT geometry::box2d AS b, status, type, owner_id FROM ogc_new_rows WHERE withdrawn_at IS NULL) AS q
    ) AS r
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_summary_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_summary_add(array_agg(x), array_agg(y), array_agg(status), array_agg(type),
                                     array_agg(owner_id), array_agg(-1), array_agg(true))
    FROM (SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
          FROM (SELECT geometry::box2d AS b, status, type, owner_id FROM ogc_old_rows WHERE withdrawn_at IS NULL) AS q
    ) AS r
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

-- Only rows whose centre, status, type, owner or being current changed write anything; of those,
-- only the ones whose centre, status or being current changed move in the status cells and counter.
CREATE OR REPLACE FUNCTION ogc_location_summary_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_summary_add(array_agg(x), array_agg(y), array_agg(status), array_agg(type),
                                     array_agg(owner_id), array_agg(sign), array_agg(moves))
    FROM (
        WITH o AS (
            SELECT id, (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
            FROM (SELECT id, geometry::box2d AS b, status, type, owner_id FROM ogc_old_rows
                  WHERE withdrawn_at IS NULL) AS q
        ), n AS (
            SELECT id, (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
            FROM (SELECT id, geometry::box2d AS b, status, type, owner_id FROM ogc_new_rows
                  WHERE withdrawn_at IS NULL) AS q
        )
        SELECT n.x, n.y, n.status, n.type, n.owner_id, 1 AS sign,
               o.id IS NULL OR (o.x, o.y, o.status) IS DISTINCT FROM (n.x, n.y, n.status) AS moves
        FROM n LEFT JOIN o ON o.id = n.id
        WHERE o.id IS NULL OR (o.x, o.y, o.status, o.type, o.owner_id) IS DISTINCT FROM (n.x, n.y, n.status, n.type, n.owner_id)
        UNION ALL
        SELECT o.x, o.y, o.status, o.type, o.owner_id, -1,
               n.id IS NULL OR (o.x, o.y, o.status) IS DISTINCT FROM (n.x, n.y, n.status)
        FROM o LEFT JOIN n ON n.id = o.id
        WHERE n.id IS NULL OR (o.x, o.y, o.status, o.type, o.owner_id) IS DISTINCT FROM (n.x, n.y, n.status, n.type, n.owner_id)
    ) AS d
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_summary_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ogc_location_count;
    DELETE FROM ogc_location_cell;
    DELETE FROM ogc_location_kind_cell;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ogc_location_summary_insert ON locations_location;
CREATE TRIGGER ogc_location_summary_insert AFTER INSERT ON locations_location
    REFERENCING NEW TABLE AS ogc_new_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_summary_insert();
DROP TRIGGER IF EXISTS ogc_location_summary_delete ON locations_location;
CREATE TRIGGER ogc_location_summary_delete AFTER DELETE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_summary_delete();
DROP TRIGGER IF EXISTS ogc_location_summary_update ON locations_location;
CREATE TRIGGER ogc_location_summary_update AFTER UPDATE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows NEW TABLE AS ogc_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_summary_update();
DROP TRIGGER IF EXISTS ogc_location_summary_truncate ON locations_location;
CREATE TRIGGER ogc_location_summary_truncate AFTER TRUNCATE ON locations_location
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_summary_truncate();
-- The first import of a source copies with session_replication_role = replica (importers/bulk.py):
-- triggers marked ENABLE ALWAYS still fire there, so the counter and the cells stay exact.
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_summary_insert;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_summary_delete;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_summary_update;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_summary_truncate;
