"""The status of a location follows one rule, kept by PostgreSQL (gis_service/locations/sql/status.sql)."""

from django.db import migrations, models

from gis_service.core.sqlfiles import run_sql_file

REVERSE = """
DROP TRIGGER IF EXISTS location_status_after_initiative_location ON initiatives_initiative_locations;
DROP TRIGGER IF EXISTS location_status_after_initiative ON initiatives_initiative;
DROP TRIGGER IF EXISTS location_status_after_contract ON contracts_contract;
DROP TRIGGER IF EXISTS location_status_after_offering ON contracts_offering;
DROP TRIGGER IF EXISTS location_status_on_update ON locations_location;
DROP TRIGGER IF EXISTS location_status_on_insert ON locations_location;
DROP FUNCTION IF EXISTS locations_status_after_initiative_location();
DROP FUNCTION IF EXISTS locations_status_after_initiative();
DROP FUNCTION IF EXISTS locations_status_after_contract();
DROP FUNCTION IF EXISTS locations_status_after_offering();
DROP FUNCTION IF EXISTS locations_status_follows_rule();
DROP FUNCTION IF EXISTS locations_follow_calendar();
DROP FUNCTION IF EXISTS locations_refresh_status(bigint[]);
DROP FUNCTION IF EXISTS location_status_of(bigint, timestamptz, geometry);
DROP FUNCTION IF EXISTS zelfbeheer_today();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0003_drop_type_index"),
        ("contracts", "0005_rules_from_sql_files"),
        ("initiatives", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="location",
            name="status",
            field=models.CharField(
                choices=[
                    ("beschikbaar", "beschikbaar"),
                    ("aangevraagd", "aangevraagd"),
                    ("in_beheer", "in beheer"),
                    ("niet_beschikbaar", "niet beschikbaar"),
                ],
                default="niet_beschikbaar",
                editable=False,
                max_length=20,
            ),
        ),
        run_sql_file("gis_service.locations", "status", reverse=REVERSE),
    ]
