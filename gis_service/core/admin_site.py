"""The admin site: who may enter follows from the user's roles, not only from the staff flag.

Django's admin lets in `is_staff` users only. A GIS admin's entry and permissions come from their
Membership (accounts/roles.py), so nobody has to set a flag or grant permissions by hand, and
removing the membership closes the admin again. The staff flag stays what a superuser gives
platform staff.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def may_use_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.may_use_admin())


class RoleAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in form, accepting whoever `may_use_admin` lets in."""

    def confirm_login_allowed(self, user: Any) -> None:
        # Django's form refuses non-staff here; the active check and its message stay Django's.
        if not user.is_active:
            super().confirm_login_allowed(user)
        if not may_use_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"], code="invalid_login", params={"username": self.username_field}
            )


class ZelfbeheerAdminSite(admin.AdminSite):
    login_form = RoleAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)
