"""Locations counted in cells of 50 m to 3.2 km, kept by triggers: the map's national zooms read
these instead of every row (ogc/sql/location_cells.sql says how; ogc/tile_sql.py reads them)."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

TABLE = """
CREATE TABLE ogc_location_cell (
    size integer NOT NULL,  -- the cell's side in metres (storage CRS units)
    gx integer NOT NULL,  -- floor(x / size) of the centres counted
    gy integer NOT NULL,
    status text NOT NULL,
    n bigint NOT NULL,  -- current locations of this status whose centre lies in the cell
    sx double precision NOT NULL,  -- the sum of their centres' x, and y: the cell's centre of mass
    sy double precision NOT NULL,
    PRIMARY KEY (size, gx, gy, status)
);
INSERT INTO ogc_location_cell (size, gx, gy, status, n, sx, sy)
SELECT s.size, floor(x / s.size)::int, floor(y / s.size)::int, status, count(*), sum(x), sum(y)
FROM (
    SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status
    FROM (SELECT geometry::box2d AS b, status FROM locations_location WHERE withdrawn_at IS NULL) AS q
) AS r
CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
GROUP BY 1, 2, 3, 4;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ogc_location_cells_insert ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_cells_delete ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_cells_update ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_cells_truncate ON locations_location;
DROP FUNCTION IF EXISTS ogc_location_cells_insert();
DROP FUNCTION IF EXISTS ogc_location_cells_delete();
DROP FUNCTION IF EXISTS ogc_location_cells_update();
DROP FUNCTION IF EXISTS ogc_location_cells_truncate();
DROP FUNCTION IF EXISTS ogc_location_cells_add(float8[], float8[], text[], int[]);
DROP TABLE IF EXISTS ogc_location_cell;
"""


class Migration(migrations.Migration):
    dependencies = [("ogc", "0004_counter_triggers_fire_always")]

    operations = [migrations.RunSQL(TABLE, BACKWARD), run_sql_file("ogc", "location_cells")]
