from django.contrib.gis import admin

from gis_service.contracts.models import Contract, ManagerSignup, Offering, OverlapRule, TermsAcceptance, TermsVersion
from gis_service.core.admin import MapAdmin


class TermsVersionInline(admin.TabularInline):
    model = TermsVersion
    extra = 0
    fields = ("number", "text", "content_hash", "created_by", "created_at")
    readonly_fields = ("content_hash", "created_at")

    def has_change_permission(self, request, obj=None):
        return False  # a version's text never changes: publish a new one


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("location", "managers_needed", "offered_from", "offered_until", "contract_months")
    raw_id_fields = ("location", "contact_person")
    inlines = [TermsVersionInline]


class SignupInline(admin.TabularInline):
    model = ManagerSignup
    extra = 0
    readonly_fields = ("user", "plan", "created_at", "withdrawn_at")


class AcceptanceInline(admin.TabularInline):
    model = TermsAcceptance
    extra = 0
    readonly_fields = ("user", "terms_version", "content_hash", "accepted_at")

    def has_change_permission(self, request, obj=None):
        return False  # proof, append-only in the database too


@admin.register(Contract)
class ContractAdmin(MapAdmin):
    list_display = ("__str__", "status", "starts_on", "ends_on", "threshold_reached_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("location",)  # a contract names itself with its location
    raw_id_fields = ("location", "terms_version", "decided_by")
    readonly_fields = ("threshold_reached_at", "reminder_sent_at", "decided_at", "created_at", "updated_at")
    inlines = [SignupInline, AcceptanceInline]


@admin.register(OverlapRule)
class OverlapRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "tolerance_m2")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
