from django.contrib.gis import admin

from gis_service.core.admin import MapAdmin
from gis_service.owners.models import Owner


@admin.register(Owner)
class OwnerAdmin(MapAdmin):
    list_display = ("name", "slug", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
