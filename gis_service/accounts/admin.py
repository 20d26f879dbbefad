from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from gis_service.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class ZelfbeheerUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (_("Contact"), {"fields": ("phone", "language")}))  # type: ignore[misc]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "owner", "role", "created_at")
    list_filter = ("role", "owner")
