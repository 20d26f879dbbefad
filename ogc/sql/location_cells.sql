-- Superseded by location_summary.sql (ogc/migrations/0007), which keeps the cells together with
-- the rest in one trigger pass per statement and drops these triggers. Kept because earlier
-- migrations load this file (and 0007 reloads it when reversed).
-- The map's national zooms in bounded time: current locations (withdrawn_at IS NULL, the rows the
-- locations collection publishes) counted in square cells of 50, 200, 800 and 3200 m per status,
-- with the sums of their centres (the middle of each bounding box), in ogc_location_cell. A tile
-- below the detail zoom reads these cells instead of the rows (ogc/tile_sql.py): at most a few
-- thousand per tile however many locations lie under it (1,000,000 rows: 9.7 s for the whole
-- country from the rows). Statement-level triggers with transition tables keep the cells: a bulk
-- import costs one aggregate per statement. Rows are upserted in key order, so two writers take
-- their cell locks in the same order and never deadlock on each other.
CREATE OR REPLACE FUNCTION ogc_location_cells_add(rows_x float8[], rows_y float8[], rows_status text[], rows_sign int[])
RETURNS void LANGUAGE sql AS $$
    INSERT INTO ogc_location_cell AS c (size, gx, gy, status, n, sx, sy)
    SELECT s.size, floor(r.x / s.size)::int, floor(r.y / s.size)::int, r.status, sum(r.sign), sum(r.sign * r.x),
           sum(r.sign * r.y)
    FROM unnest(rows_x, rows_y, rows_status, rows_sign) AS r(x, y, status, sign)
    CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
    GROUP BY 1, 2, 3, 4
    HAVING sum(r.sign) <> 0 OR sum(r.sign * r.x) <> 0 OR sum(r.sign * r.y) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (size, gx, gy, status)
        DO UPDATE SET n = c.n + EXCLUDED.n, sx = c.sx + EXCLUDED.sx, sy = c.sy + EXCLUDED.sy
$$;

CREATE OR REPLACE FUNCTION ogc_location_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_cells_add(array_agg(x), array_agg(y), array_agg(status), array_agg(1))
    FROM (SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status
          FROM (SELECT geometry::box2d AS b, status FROM ogc_new_rows WHERE withdrawn_at IS NULL) AS q) AS r
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_cells_add(array_agg(x), array_agg(y), array_agg(status), array_agg(-1))
    FROM (SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status
          FROM (SELECT geometry::box2d AS b, status FROM ogc_old_rows WHERE withdrawn_at IS NULL) AS q) AS r
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

-- Only rows whose centre, status or being current changed move between cells: a renamed location
-- writes nothing here.
CREATE OR REPLACE FUNCTION ogc_location_cells_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ogc_location_cells_add(array_agg(x), array_agg(y), array_agg(status), array_agg(sign))
    FROM (
        WITH o AS (
            SELECT id, (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status
            FROM (SELECT id, geometry::box2d AS b, status FROM ogc_old_rows WHERE withdrawn_at IS NULL) AS q
        ), n AS (
            SELECT id, (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status
            FROM (SELECT id, geometry::box2d AS b, status FROM ogc_new_rows WHERE withdrawn_at IS NULL) AS q
        )
        SELECT n.x, n.y, n.status, 1 AS sign FROM n LEFT JOIN o ON o.id = n.id
        WHERE o.id IS NULL OR (o.x, o.y, o.status) IS DISTINCT FROM (n.x, n.y, n.status)
        UNION ALL
        SELECT o.x, o.y, o.status, -1 FROM o LEFT JOIN n ON n.id = o.id
        WHERE n.id IS NULL OR (o.x, o.y, o.status) IS DISTINCT FROM (n.x, n.y, n.status)
    ) AS d
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ogc_location_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ogc_location_cell;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS ogc_location_cells_insert ON locations_location;
CREATE TRIGGER ogc_location_cells_insert AFTER INSERT ON locations_location
    REFERENCING NEW TABLE AS ogc_new_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_cells_insert();
DROP TRIGGER IF EXISTS ogc_location_cells_delete ON locations_location;
CREATE TRIGGER ogc_location_cells_delete AFTER DELETE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_cells_delete();
DROP TRIGGER IF EXISTS ogc_location_cells_update ON locations_location;
CREATE TRIGGER ogc_location_cells_update AFTER UPDATE ON locations_location
    REFERENCING OLD TABLE AS ogc_old_rows NEW TABLE AS ogc_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_cells_update();
DROP TRIGGER IF EXISTS ogc_location_cells_truncate ON locations_location;
CREATE TRIGGER ogc_location_cells_truncate AFTER TRUNCATE ON locations_location
    FOR EACH STATEMENT EXECUTE FUNCTION ogc_location_cells_truncate();
-- Also in the first import's session_replication_role = replica (as the counter's triggers).
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_cells_insert;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_cells_delete;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_cells_update;
ALTER TABLE locations_location ENABLE ALWAYS TRIGGER ogc_location_cells_truncate;
