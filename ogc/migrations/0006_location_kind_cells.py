"""Locations counted in cells per status, type and owner, kept by triggers, so the map's national
zooms filter on type and owner without gathering the rows (ogc/sql/location_kind_cells.sql); and a
trigram index on name and type, so a search (`q`) finds its few matches without reading every row
under a national tile (ogc/tile_sql.py bounds the many)."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

TABLE = """
CREATE TABLE ogc_location_kind_cell (
    size integer NOT NULL,  -- the cell's side in metres (storage CRS units)
    gx integer NOT NULL,  -- floor(x / size) of the centres counted
    gy integer NOT NULL,
    status text NOT NULL,
    type text NOT NULL,
    owner_id bigint NOT NULL,
    n bigint NOT NULL,  -- current locations of this status, type and owner whose centre lies in the cell
    sx double precision NOT NULL,  -- the sum of their centres' x, and y: the cell's centre of mass
    sy double precision NOT NULL,
    PRIMARY KEY (size, gx, gy, status, type, owner_id)
);
-- An owner's cells are a few of many under a national tile: found by owner. A type's are a large
-- share (a handful of types), read from the key's range like the unfiltered cells; an index of
-- them measured no faster and every import's upserts would keep it.
CREATE INDEX ogc_location_kind_cell_owner ON ogc_location_kind_cell (size, owner_id, gx, gy);
INSERT INTO ogc_location_kind_cell (size, gx, gy, status, type, owner_id, n, sx, sy)
SELECT s.size, floor(x / s.size)::int, floor(y / s.size)::int, status, type, owner_id, count(*), sum(x), sum(y)
FROM (
    SELECT (ST_XMin(b) + ST_XMax(b)) / 2 AS x, (ST_YMin(b) + ST_YMax(b)) / 2 AS y, status, type, owner_id
    FROM (SELECT geometry::box2d AS b, status, type, owner_id FROM locations_location
          WHERE withdrawn_at IS NULL) AS q
) AS r
CROSS JOIN (VALUES (50), (200), (800), (3200)) AS s(size)
GROUP BY 1, 2, 3, 4, 5, 6;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ogc_location_kind_cells_insert ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_kind_cells_delete ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_kind_cells_update ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_kind_cells_truncate ON locations_location;
DROP FUNCTION IF EXISTS ogc_location_kind_cells_insert();
DROP FUNCTION IF EXISTS ogc_location_kind_cells_delete();
DROP FUNCTION IF EXISTS ogc_location_kind_cells_update();
DROP FUNCTION IF EXISTS ogc_location_kind_cells_truncate();
DROP FUNCTION IF EXISTS ogc_location_kind_cells_add(float8[], float8[], text[], text[], bigint[], int[]);
DROP TABLE IF EXISTS ogc_location_kind_cell;
"""

SEARCH = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS ogc_location_current_search ON locations_location
    USING gin (name gin_trgm_ops, type gin_trgm_ops) WHERE withdrawn_at IS NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("ogc", "0005_location_cells")]

    operations = [
        migrations.RunSQL(TABLE, BACKWARD),
        run_sql_file("ogc", "location_kind_cells"),
        migrations.RunSQL(SEARCH, "DROP INDEX IF EXISTS ogc_location_current_search;"),
    ]
