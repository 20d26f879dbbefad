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


@register.filter
def is_supporter(user: object) -> bool:
    """Whether the user is an active supporter in the pool (shows the inbox link)."""
    from gis_service.support.permissions import supporter_of

    return isinstance(user, User) and supporter_of(user) is not None


@register.filter
def sees_group_support(group: object, user: object) -> bool:
    """Whether the user opens the group's support page: its managers and the owner's regisseur."""
    from gis_service.groups.models import Group
    from gis_service.support.permissions import can_see_group_support

    return isinstance(group, Group) and isinstance(user, User) and can_see_group_support(group, user)
