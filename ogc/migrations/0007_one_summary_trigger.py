"""The feed's counter, the cells and the kind cells kept by one trigger pass per statement instead of
three (ogc/sql/location_summary.sql says how): each of the three sets read the transition table and
the geometries again, and a bulk INSERT paid for all three (docs/benchmarks.md). The tables and their
contents stay; only the triggers and functions that keep them change."""

from django.db import migrations

from gis_service.core.sqlfiles import run_sql_file, sql_file

OLD_SETS = ("location_count", "location_cells", "location_kind_cells")
EVENTS = ("insert", "delete", "update", "truncate")

DROP_OLD = "\n".join(
    [
        *(f"DROP TRIGGER IF EXISTS ogc_{name}_{event} ON locations_location;" for name in OLD_SETS for event in EVENTS),
        *(f"DROP FUNCTION IF EXISTS ogc_{name}_{event}();" for name in OLD_SETS for event in EVENTS),
        "DROP FUNCTION IF EXISTS ogc_location_cells_add(float8[], float8[], text[], int[]);",
        "DROP FUNCTION IF EXISTS ogc_location_kind_cells_add(float8[], float8[], text[], text[], bigint[], int[]);",
    ]
)

DROP_NEW = "\n".join(
    [
        *(f"DROP TRIGGER IF EXISTS ogc_location_summary_{event} ON locations_location;" for event in EVENTS),
        *(f"DROP FUNCTION IF EXISTS ogc_location_summary_{event}();" for event in EVENTS),
        "DROP FUNCTION IF EXISTS ogc_location_summary_add(float8[], float8[], text[], text[], bigint[], int[], "
        "boolean[]);",
    ]
)


class Migration(migrations.Migration):
    dependencies = [("ogc", "0006_location_kind_cells")]

    # Backwards: the three old sets again, from the files their migrations load.
    operations = [
        migrations.RunSQL(DROP_OLD, "\n".join(sql_file("ogc", name) for name in OLD_SETS)),
        run_sql_file("ogc", "location_summary", reverse=DROP_NEW),
    ]
