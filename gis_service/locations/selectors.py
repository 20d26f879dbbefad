"""Reads of locations that other apps share."""

from __future__ import annotations

from django.db import connection

from gis_service.locations.models import Location

# Where a resident can still sign up as manager: offered, or waiting for the regisseur's
# decision (more managers are welcome until then).
OPEN_FOR_SIGNUPS = (Location.Status.AVAILABLE, Location.Status.REQUESTED)


def status_today(location: Location) -> str:
    """The status the rule gives `location` right now (sql/status.sql), also on a day whose
    calendar change the daily refresh has not reached yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT location_status_of(id, withdrawn_at, geometry) FROM locations_location WHERE id = %s",
            [location.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Location.DoesNotExist(f"no location {location.pk}")
    return str(row[0])
