from django.contrib.gis import admin

from gis_service.core.admin import MapAdmin
from gis_service.owners.models import Owner, ValueArea


@admin.register(Owner)
class OwnerAdmin(MapAdmin):
    list_display = ("name", "slug", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ValueArea)
class ValueAreaAdmin(MapAdmin):
    list_display = ("name", "code", "kind", "owner", "households")
    list_filter = ("kind", "owner")
    search_fields = ("name", "code")
