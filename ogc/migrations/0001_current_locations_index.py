"""An index for the feed: current locations by id.

Pages are cut by id among current (not withdrawn) locations, and numberMatched counts them
on every page: with this partial index both are index-only scans instead of reading the table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("locations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ogc_location_current_id ON locations_location (id) WHERE withdrawn_at IS NULL",
            "DROP INDEX IF EXISTS ogc_location_current_id",
        ),
    ]
