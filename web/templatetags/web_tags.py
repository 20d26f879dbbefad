from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.http import HttpRequest
from django.template import Context
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from gis_service.accounts import names
from gis_service.accounts.models import User
from gis_service.locations.models import Location

register = template.Library()


@register.simple_tag
def path_after_language_switch(request: HttpRequest) -> str:
    """The page to come back to after choosing a language: this one, without a `lang` parameter,
    which would otherwise outrank the choice (the API's documentation and the feed read it)."""
    query = request.GET.copy()
    query.pop("lang", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@register.simple_tag(takes_context=True)
def name_of(context: Context, person: object) -> str:
    """The name of `person` this page's viewer sees (gis_service/accounts/names.py): the full name
    when the view set `sees_full_names` or the viewer is the person, the public one otherwise."""
    if person is None:
        return ""
    return names.name_for(person, viewer=context.get("user"), sees_full=bool(context.get("sees_full_names")))


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


@register.simple_tag
def location_list_items(locations: Iterable[Location], *, with_ids: bool = False) -> SafeString:
    """The map's lists, one <li> per location: link, type, status and area. The list in view
    (`_map_list.html`) gives its links `data-id`, by which map.js outlines the location's shape.

    Built here rather than by a {% for %} over the rows: with 500 rows the template loop (a URL
    reversed, a status label translated and a floatformat per row) made the page cost 63–72 ms of
    CPU, now 23 ms (docs/benchmarks.md); the browser waits for the page before any of the map.
    """
    page_of = reverse("web:location", args=[0]).removesuffix("0/")
    statuses = {value: str(label) for value, label in Location.Status.choices}
    no_type = gettext("locatie")
    return format_html_join(
        "\n",
        '<li><a href="{}{}/"{}>{}</a> — {}, {}, {} m²</li>',
        (
            (
                page_of,
                location.pk,
                format_html(' data-id="{}"', location.pk) if with_ids else "",
                str(location),
                location.type or no_type,
                statuses.get(location.status, location.status),
                _whole_square_metres(location.area_m2),
            )
            for location in locations
        ),
    )


def _whole_square_metres(area: float | None) -> str:
    """An area as {{ area|floatformat:0 }} shows it (half up, no grouping), at a tenth of its cost."""
    if area is None:
        return ""
    return str(Decimal(str(area)).quantize(Decimal(1), ROUND_HALF_UP) + 0)  # + 0: "0" for -0.0, as floatformat
