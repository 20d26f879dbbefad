"""Platform staff see the pool and the ledger; the ledger is read-only here as in the database."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gis_service.support.models import AllowedSupporter, LedgerEntry, Supporter, SupporterApplication, SupportRequest


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "price_kind", "price_eur", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organisation"]
    raw_id_fields = ["user", "added_by"]


@admin.register(SupporterApplication)
class SupporterApplicationAdmin(admin.ModelAdmin):
    """Read-only: the owner's regisseur decides (supporter_application_decide), which makes the
    supporter and mails the applicant; a change here would do neither."""

    list_display = ["name", "owner", "kind", "status", "created_at", "decided_at"]
    list_select_related = ["owner"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "organisation"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AllowedSupporter)
class AllowedSupporterAdmin(admin.ModelAdmin):
    list_display = ["owner", "supporter", "added_by", "added_at"]
    raw_id_fields = ["supporter", "added_by"]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["group", "initiative", "supporter", "kind", "wanted_on", "status", "asked_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["group", "initiative", "supporter", "asked_by"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Rows are never changed or deleted (support/sql/ledger.sql): the admin offers neither."""

    list_display = ["group", "unit", "amount", "request", "created_by", "created_at"]
    list_filter = ["unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
