"""Drawing an initiative."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def initiative_new(request: HttpRequest) -> HttpResponse:
    """Draw an area and describe the plan; checking needs no log-in, submitting does."""
    return render(request, "web/initiative.html", {"description": request.GET.get("description", "")})
