"""The regisseur's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from web import selectors


@login_required
def regisseur_dashboard(request: HttpRequest) -> HttpResponse:
    """Waiting initiatives, thresholds reached and their conflicts, for the owners the user directs."""
    owner_ids = request.user.directed_owner_ids()  # type: ignore[union-attr]
    if not owner_ids:
        raise PermissionDenied("Alleen regisseurs van een eigenaar zien dit overzicht.")
    dashboard = selectors.regisseur_dashboard(owner_ids=owner_ids)
    return render(request, "web/regisseur.html", {"dashboard": dashboard, "map_data": dashboard.map_data()})
