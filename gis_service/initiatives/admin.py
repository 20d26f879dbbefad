from django.contrib.gis import admin

from gis_service.core.admin import MapAdmin
from gis_service.initiatives.models import Initiative


@admin.register(Initiative)
class InitiativeAdmin(MapAdmin):
    list_display = ("__str__", "owner", "status", "area_m2", "created_at", "decided_at")
    list_filter = ("status", "owner")
    raw_id_fields = ("created_by", "decided_by", "location", "contract")
    filter_horizontal = ("initiators", "locations")
    readonly_fields = ("area_m2", "created_at", "decided_at")
