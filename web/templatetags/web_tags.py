from django import template

from gis_service.accounts.models import User

register = template.Library()


@register.filter
def is_regisseur(user: object) -> bool:
    """Whether the user directs for any owner (shows the dashboard link)."""
    if not isinstance(user, User):
        return False
    return bool(user.directed_owner_ids())


@register.filter
def may_use_admin(user: object) -> bool:
    """Whether the admin lets the user in (platform staff, GIS admins): shows the admin link."""
    return isinstance(user, User) and user.may_use_admin()
