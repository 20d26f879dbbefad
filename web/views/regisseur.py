"""The regisseur's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gis_service.contracts.selectors import locations_to_offer
from web import selectors

# An owner can have thousands of locations from its groenbeheer data: the search narrows them.
TO_OFFER_LIMIT = 50


@login_required
def regisseur_dashboard(request: HttpRequest) -> HttpResponse:
    """What waits for a decision (with conflicts) and the locations to offer, for the owners the user directs."""
    owner_ids = request.user.directed_owner_ids()  # type: ignore[union-attr]
    if not owner_ids:
        raise PermissionDenied("Alleen regisseurs van een eigenaar zien dit overzicht.")
    dashboard = selectors.regisseur_dashboard(owner_ids=owner_ids)
    query = request.GET.get("q", "")
    to_offer, to_offer_count = locations_to_offer(owner_ids=owner_ids, query=query, limit=TO_OFFER_LIMIT)
    return render(
        request,
        "web/regisseur.html",
        {
            "dashboard": dashboard,
            "map_data": dashboard.map_data(),
            "query": query,
            "to_offer": to_offer,
            "to_offer_count": to_offer_count,
            "several_owners": len(owner_ids) > 1,
        },
    )
