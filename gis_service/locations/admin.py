from django.contrib.gis import admin

from gis_service.core.admin import MapAdmin
from gis_service.locations.models import Location


@admin.register(Location)
class LocationAdmin(MapAdmin):
    list_display = ("__str__", "owner", "type", "status", "area_m2", "source", "updated_at")
    list_filter = ("status", "owner", "type")
    search_fields = ("name", "external_id")
    readonly_fields = ("area_m2", "source", "external_id", "source_hash", "created_at", "updated_at")
    # A source names itself with its owner's slug: without source__owner, one query per row.
    list_select_related = ("owner", "source__owner")
