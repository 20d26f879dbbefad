"""An index for the feed: current locations by type, then id.

Filtering on `type` is what map users and QGIS do most (queryables, `type = 'haag'`). With
this index a page of one type is an index range walked in id order (no scan past the other
types), and its exact numberMatched an index-only count of that range.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ogc", "0002_current_locations_counter")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ogc_location_current_type ON locations_location (type, id)"
            " WHERE withdrawn_at IS NULL",
            "DROP INDEX IF EXISTS ogc_location_current_type",
        ),
    ]
