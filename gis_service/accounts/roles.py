"""What a role at an owner grants in the admin: entry, and the model permissions of its screens.

Access to the admin follows from `Membership` rows, never from flags or permissions set by hand:
a GIS admin holds the importer screens' permissions because, and for as long as, they hold the
role (removing the membership removes the access on their next request). Which rows they see
stays with the screens (importers.selectors scopes sources and runs to their own owners).

The accounts app knows nothing of the importers: the app that owns a screen registers what a
role needs there when Django starts, in its AppConfig.ready() (importers/apps.py), as the
locations' protectors are registered. Superusers and platform staff keep Django's own
`is_staff` flag and permissions (ModelBackend, beside this backend in AUTHENTICATION_BACKENDS).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.backends import BaseBackend

_grants: dict[str, set[str]] = {}


def register_role_permissions(role: str, permissions: Iterable[str]) -> None:
    """Grants `permissions` ("app_label.codename") to every holder of `role`; called at start-up."""
    _grants.setdefault(role, set()).update(permissions)


def admin_roles() -> set[str]:
    """The roles that open the admin: those granted any permission there."""
    return {role for role, permissions in _grants.items() if permissions}


def role_permissions(roles: Iterable[str]) -> set[str]:
    return {permission for role in roles for permission in _grants.get(role, ())}


class RolePermissionBackend(BaseBackend):
    """Model permissions from the user's roles at owners. Authenticates nobody (authenticate()
    returns None); the log-in stays with LimitedModelBackend."""

    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        # Cached on the user object, as ModelBackend does: the admin index asks for every model.
        if not hasattr(user_obj, "_role_perm_cache"):
            roles = user_obj.memberships.values_list("role", flat=True).distinct()
            user_obj._role_perm_cache = role_permissions(roles)
        return set(user_obj._role_perm_cache)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(permission.split(".", 1)[0] == app_label for permission in self.get_all_permissions(user_obj))
