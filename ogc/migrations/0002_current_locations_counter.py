"""numberMatched of unfiltered location pages in O(1), exactly: a counter kept by triggers.

Counting 100,000 current locations from the partial index costs ~5 ms on every page. Instead,
statement-level triggers (with transition tables, so a bulk import costs one statement, not one
per row) append the change in the number of current locations (withdrawn_at IS NULL) as a row
to `ogc_location_count`; the count is the sum of those rows. Appending instead of updating one
row means concurrent writers never wait for each other (or deadlock) on the counter. It is exact
under MVCC: a writer's delta commits or rolls back with its rows, and a reader sums the deltas
its own snapshot sees. The feed folds the deltas into one row now and then (ogc.sql.compact_counter).
The triggers' SQL is in ogc/sql/location_count.sql.
"""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file

TABLE = """
CREATE TABLE ogc_location_count (n bigint NOT NULL);
INSERT INTO ogc_location_count SELECT count(*) FROM locations_location WHERE withdrawn_at IS NULL;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ogc_location_count_insert ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_count_delete ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_count_update ON locations_location;
DROP TRIGGER IF EXISTS ogc_location_count_truncate ON locations_location;
DROP FUNCTION IF EXISTS ogc_location_count_insert();
DROP FUNCTION IF EXISTS ogc_location_count_delete();
DROP FUNCTION IF EXISTS ogc_location_count_update();
DROP FUNCTION IF EXISTS ogc_location_count_truncate();
DROP TABLE IF EXISTS ogc_location_count;
"""


class Migration(migrations.Migration):
    dependencies = [("ogc", "0001_current_locations_index"), ("locations", "0001_initial")]

    operations = [migrations.RunSQL(TABLE, BACKWARD), run_sql_file("ogc", "location_count")]
