from typing import Any

from django.contrib.gis import admin
from django.http import HttpRequest

from gis_service.core.admin import MapAdmin
from gis_service.locations import services
from gis_service.locations.models import Location


@admin.register(Location)
class LocationAdmin(MapAdmin):
    list_display = ("__str__", "owner", "type", "status", "area_m2", "source", "updated_at")
    list_filter = ("status", "owner", "type")
    search_fields = ("name", "external_id")
    # The status follows from offering, contracts and initiatives (sql/status.sql): shown, never edited.
    readonly_fields = ("status", "area_m2", "source", "external_id", "source_hash", "created_at", "updated_at")
    # A source names itself with its owner's slug: without source__owner, one query per row.
    list_select_related = ("owner", "source__owner")

    def save_model(self, request: HttpRequest, obj: Location, form: Any, change: bool) -> None:
        """Through the locations' services, so new ground under a contract is flagged here too."""
        if not change:
            created = services.location_create(
                owner_id=obj.owner_id, name=obj.name, type=obj.type, geometry=obj.geometry, attributes=obj.attributes
            )
            obj.pk = created.pk
            return
        before = Location.objects.get(pk=obj.pk)
        geometry = obj.geometry
        obj.geometry = before.geometry
        services.location_change(location=obj, name=obj.name, type=obj.type, geometry=geometry)
