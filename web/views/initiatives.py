"""Drawing an initiative, and joining one by the invite link an initiator shared."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gis_service.initiatives import selectors, services
from gis_service.initiatives.models import DESCRIPTION_MAX_CHARS, Initiative
from web import og
from web import selectors as web_selectors
from web.views.locations import list_in_view


def initiative_new(request: HttpRequest) -> HttpResponse:
    """Draw an area and describe the plan; checking needs no log-in, submitting does.

    Each showing of the form gets a fresh submission key: sending it twice (a double tap, a retry)
    makes one initiative (initiatives.services.initiative_submit)."""
    return render(
        request,
        "web/initiative.html",
        {
            "description": request.GET.get("description", ""),
            "submission_key": uuid.uuid4(),
            "description_max": DESCRIPTION_MAX_CHARS,
            "og": og.for_initiative_form(),
            # Where the locations are, as on the public map: the page opens there and reads the tiles.
            "extent": web_selectors.map_extent(),
            "list_max_degrees": settings.MAP_VIEW_MAX_DEGREES,
        },
    )


@require_GET
def initiative_pick_list(request: HttpRequest) -> HttpResponse:
    """The locations in the drawing map's view as checkboxes, a page at a time: the public map's
    list in view (same parameters, same selector), for picking without a mouse."""
    return list_in_view(request, "web/_pick_list.html")


@login_required
@require_http_methods(["GET", "POST"])
def initiative_join(request: HttpRequest, initiative_id: int, token: str) -> HttpResponse:
    """The invite link: shows the plan, and on POST the resident joins as co-initiator."""
    initiative = get_object_or_404(Initiative.objects.waiting().select_related("owner"), pk=initiative_id)
    if not selectors.invite_matches(initiative=initiative, token=token):
        raise Http404  # the same answer as an unknown id: the link is the only way in
    if request.method == "POST":
        try:
            services.initiative_join(initiative=initiative, user=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Je doet mee met dit bewonersinitiatief."))
        return redirect("web:mine")
    return render(request, "web/initiative_join.html", {"initiative": initiative, "token": token})
