"""The counter's triggers fire in every session_replication_role.

The first import of a source copies its features with session_replication_role = replica, so
PostgreSQL skips the per-row foreign-key checks that the importer makes once for the whole batch
(importers/bulk.py). Triggers marked ENABLE ALWAYS still fire there, so the counter stays exact.
"""

from django.db import migrations

TRIGGERS = (
    "ogc_location_count_insert",
    "ogc_location_count_delete",
    "ogc_location_count_update",
    "ogc_location_count_truncate",
)

FORWARD = "\n".join(f"ALTER TABLE locations_location ENABLE ALWAYS TRIGGER {name};" for name in TRIGGERS)
BACKWARD = "\n".join(f"ALTER TABLE locations_location ENABLE TRIGGER {name};" for name in TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [("ogc", "0003_current_locations_type_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
