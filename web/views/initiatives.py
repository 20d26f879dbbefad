"""Drawing an initiative, and joining one by the invite link an initiator shared."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gis_service.initiatives import selectors, services
from gis_service.initiatives.models import DESCRIPTION_MAX_CHARS, Initiative
from web import og

# What the page's script says, translated here (the site has no JavaScript catalogue): it reads
# them from a json_script element. %(…)s marks what the script fills in.
SCRIPT_TEXTS = {
    "nothing": gettext_lazy("Nog geen gebied getekend en geen locatie gekozen."),
    "checking": gettext_lazy("Bezig met controleren…"),
    "unreachable": gettext_lazy("De controle is niet bereikbaar (%(error)s). Je kunt het later opnieuw proberen."),
    "not_available": gettext_lazy("De controle is nog niet beschikbaar op deze server."),
    "too_many_checks": gettext_lazy("Te veel controles achter elkaar; wacht even en probeer het opnieuw."),
    "check_failed": gettext_lazy("De controle gaf een fout (%(status)s)."),
    "where": gettext_lazy("Plaats: %(lat)s, %(lng)s"),
    "here": gettext_lazy("Hier gaat het mis"),
    "area": gettext_lazy("Oppervlakte: %(area)s m²"),
    "free": gettext_lazy("Vrij: dit gebied overlapt geen lopend contract."),
    "conflicts_one": gettext_lazy("Overlap met 1 lopend contract:"),
    "conflicts_other": gettext_lazy("Overlap met %(count)s lopende contracten:"),
    "conflict": gettext_lazy("%(name)s (contract %(contract)s, %(state)s): %(area)s m², %(pct)s%%"),
    "location": gettext_lazy("locatie"),
    "location_n": gettext_lazy("locatie %(id)s"),
    "active": gettext_lazy("actief"),
    "open": gettext_lazy("aanmelding open"),
    "free_hint": gettext_lazy("Het groen gestreepte deel is vrij."),
    "touches_one": gettext_lazy("Raakt 1 locatie: %(names)s."),
    "touches_other": gettext_lazy("Raakt %(count)s locaties: %(names)s."),
    "submits_drawn": gettext_lazy("Dit dien je in: het getekende gebied, %(area)s m² (de gestippelde rand)."),
    "submits_picked_one": gettext_lazy("Dit dien je in: 1 gekozen locatie, %(area)s m² (de gestippelde rand)."),
    "submits_picked_other": gettext_lazy(
        "Dit dien je in: %(count)s gekozen locaties, samen %(area)s m² (de gestippelde rand)."
    ),
    "submits_both_one": gettext_lazy(
        "Dit dien je in: het getekende gebied en 1 gekozen locatie, samen %(area)s m² (de gestippelde rand)."
    ),
    "submits_both_other": gettext_lazy(
        "Dit dien je in: het getekende gebied en %(count)s gekozen locaties, samen %(area)s m² (de gestippelde rand)."
    ),
    "picked_one": gettext_lazy("1 locatie gekozen, samen %(area)s m²."),
    "picked_other": gettext_lazy("%(count)s locaties gekozen, samen %(area)s m²."),
    "drop": gettext_lazy("weghalen"),
    "drop_label": gettext_lazy("%(name)s weghalen"),
    "tool_active": gettext_lazy(
        "Locaties kies je als de knoppen om te tekenen, te bewerken en te wissen uit staan. "
        "Er is niets gekozen of weggehaald."
    ),
    "nothing_to_submit": gettext_lazy("Teken eerst het gebied op de kaart, of kies locaties door erop te tikken."),
    "describe": gettext_lazy("Beschrijf je plan."),
    "submitting": gettext_lazy("Bezig met indienen…"),
    "done": gettext_lazy("Ingediend"),
    "not_checked": gettext_lazy("Niet ingediend: %(problem)s Je tekst staat er nog; pas de tekening aan."),
    "send_failed": gettext_lazy("Versturen lukte niet (%(error)s). Je tekst staat er nog."),
    "too_many_submissions": gettext_lazy(
        "Je hebt veel initiatieven achter elkaar ingediend; probeer het later opnieuw."
    ),
    "refused": gettext_lazy(
        "Niet ingediend: %(problem)s Je tekst staat er nog; pas de tekening aan en probeer opnieuw."
    ),
    "submitted": gettext_lazy(
        "Dank je! Je initiatief van %(area)s m² is ingediend; de regisseur neemt contact met je op."
    ),
    "follow": gettext_lazy("Volg het op Mijn zelfbeheer"),
}


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
            "script_texts": {key: str(text) for key, text in SCRIPT_TEXTS.items()},
            "description_max": DESCRIPTION_MAX_CHARS,
            "og": og.for_initiative_form(),
        },
    )


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
