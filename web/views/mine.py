"""Mijn zelfbeheer: a resident's sign-ups, contracts, initiatives and groups on one page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from web import forms, selectors


@login_required
@require_safe
def my_zelfbeheer(request: HttpRequest) -> HttpResponse:
    """Everything the user takes part in, each with where it stands and what they can do next."""
    return render(
        request,
        "web/mine.html",
        {"mine": selectors.my_zelfbeheer(user=request.user), "end_form": forms.ContractEndForm()},
    )
