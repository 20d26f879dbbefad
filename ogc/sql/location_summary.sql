-- What ogc keeps about the current locations (withdrawn_at IS NULL, the rows the locations collection
-- publishes), kept by ONE statement-level trigger per kind of statement, reading its transition table
-- once (ogc/migrations/0007; before, three trigger sets read it three times: 200,000 locations in one
-- INSERT took 14.3 s against 7.8 s without the third, docs/benchmarks.md):
--   ogc_location_count      the feed's count, as appended deltas (ogc/migrations/0002 says why exact);
--   ogc_location_cell       counts and sums of centres per 50/200/800/3200 m cell and status
--                           (unfiltered and status-filtered tiles at national zoom, ogc/tile_sql.py);
--   ogc_location_kind_cell  the same per status, type and owner (tiles filtered on type or owner).
-- A location's centre is the middle of its bounding box. The changed rows are turned into signed
-- deltas (+1 new, -1 old) once; one aggregate per (size, cell, status, type, owner) feeds the kind
-- cells directly, the status cells as its roll-up, and the counter as the sum of its 50 m groups.
-- Rows are upserted in key order and every writer runs this same statement (so the same order of
-- tables): two writers take their cell locks in the same order and never deadlock on each other.

-- rows_moves: whether the row moves in the status cells and the counter too, not only in the kind
-- cells (false for an update that changed only type or owner: the status cells and the counter
-- write nothing for it, as a rename writes nothing anywhere).
CREATE OR REPLACE FUNCTION ogc_location_summary_add(
    rows_x float8[], rows_y float8[], rows_status text[], rows_type text[], rows_owner bigint[], rows_sign int[],
    rows_moves boolean[]
) RETURNS void LANGUAGE sql AS $$
    WITH k AS MATERIALIZED (
        SELECT s.size, floor(r.x / s.size)::int AS gx, floor(r.y / s.size)::int AS gy, r.status, r.type, r.owner_id,
               sum(r.sign) AS n, sum(r.sign * r.x) AS sx, sum(r.sign * r.y) AS sy,
               sum(r.sign) FILTER (WHERE r.moves) AS mn, sum(r.sign * r.x) FILTER (WHERE r.moves) AS msx,
               sum(r.sign * r.y) FILTER (WHERE r.moves) AS msy
        FROM unnest(rows_x, rows_y, rows_status, rows_type, rows_owner, rows_sign, rows_moves)
             AS r(x, y, status, type, owner_id, sign, moves)
        CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
        GROUP BY 1, 2, 3, 4, 5, 6
    ), kind_cells AS (
        INSERT INTO ogc_location_kind_cell AS c (size, gx, gy, status, type, owner_id, n, sx, sy)
        SELECT size, gx, gy, status, type, owner_id, n, sx, sy FROM k
        WHERE n <> 0 OR sx <> 0 OR sy <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (size, gx, gy, status, type, owner_id)
            DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy
    ), cells AS (
        INSERT INTO ogc_location_cell AS c (size, gx, gy, status, n, sx, sy)
        SELECT size, gx, gy, status, sum(mn), sum(msx), sum(msy) FROM k
        WHERE mn IS NOT NULL
        GROUP BY 1, 2, 3, 4
        HAVING sum(mn) <> 0 OR sum(msx) <> 0 OR sum(msy) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (size, gx, gy, status)
            DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy
    )
    INSERT INTO ogc_location_count (n)
    SELECT sum(mn) FROM k WHERE size = 50 HAVING sum(mn) <> 0
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
