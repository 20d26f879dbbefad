"""The regisseur's side of a location: offer it, change the offer, publish new terms, stop and offer again.

Every page asks `require_regisseur` before it shows anything, and the services ask again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gis_service.contracts.models import Offering
from gis_service.contracts.selectors import current_signups, location_terms_status
from gis_service.contracts.services.offering import (
    offering_create,
    offering_resume,
    offering_stop,
    offering_update,
    terms_publish,
)
from gis_service.contracts.services.rules import require_regisseur
from gis_service.core.dates import written_date
from gis_service.locations.models import Location
from web import forms, selectors
from web.views.locations import location_or_404
from web.views.methods import require_form_page


def _directed_location(request: HttpRequest, location_id: int) -> Location:
    """The location, if the user directs for its owner (404 if it does not exist, 403 if not theirs)."""
    location = location_or_404(location_id)
    require_regisseur(request.user, location.owner_id)
    return location


def _offering_or_404(location: Location) -> Offering:
    offering = Offering.objects.filter(location=location).first()
    if offering is None:
        raise Http404(_("Deze locatie wordt niet aangeboden."))
    return offering


def _offering_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in forms.OfferingForm.base_fields}


@login_required
@require_form_page
def offering_new(request: HttpRequest, location_id: int) -> HttpResponse:
    """Offer a location: conditions, period, budget or reward, support, managers needed, terms."""
    location = _directed_location(request, location_id)
    if Offering.objects.filter(location=location).exists():
        return redirect("web:offering-edit", location_id=location.pk)
    form = forms.OfferingCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offering = offering_create(
                location=location,
                by=request.user,
                terms_text=form.cleaned_data["terms_text"],
                **_offering_fields(form.cleaned_data),
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _offered_message(offering))
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/offering_form.html", {"location": location, "form": form, "creating": True})


def _offered_message(offering: Offering) -> str:
    """What was done, as it stands today: offered now, or from a later day (not "now", seen)."""
    if offering.offered_from is not None and offering.period_on() == "not_yet":
        return _("%(location)s wordt aangeboden vanaf %(day)s; tot dan staat het op je overzicht.") % {
            "location": offering.location,
            "day": written_date(offering.offered_from),
        }
    return _("%(location)s wordt nu aangeboden.") % {"location": offering.location}


@login_required
@require_form_page
def offering_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    """Change what is offered with a location (its terms change by publishing a new version)."""
    location = _directed_location(request, location_id)
    offering = _offering_or_404(location)
    form = forms.OfferingForm(request.POST or None, initial=forms.OfferingForm.initial_for(offering))
    if request.method == "POST" and form.is_valid():
        try:
            offering_update(offering=offering, by=request.user, **_offering_fields(form.cleaned_data))
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _("Het aanbod is bijgewerkt."))
            return redirect("web:location", location_id=location.pk)
    return render(
        request, "web/offering_form.html", {"location": location, "form": form, "offering": offering, "creating": False}
    )


@login_required
@require_form_page
def offering_terms(request: HttpRequest, location_id: int) -> HttpResponse:
    """Publish a new version of the terms; per contract, which managers accepted the current one."""
    location = _directed_location(request, location_id)
    offering = _offering_or_404(location)
    current = offering.current_terms()
    form = forms.TermsPublishForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = terms_publish(offering=offering, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            if current is not None and version.pk == current.pk:
                messages.info(request, _("Dit is de tekst van de huidige versie; er is niets veranderd."))
            else:
                messages.success(
                    request,
                    _("Versie %(number)s is gepubliceerd. De beheerders krijgen een e-mail om opnieuw akkoord te gaan.")
                    % {"number": version.number},
                )
            return redirect("web:offering-terms", location_id=location.pk)
    return render(
        request,
        "web/offering_terms.html",
        {"location": location, "terms": current, "form": form, "contracts": location_terms_status(location)},
    )


@login_required
@require_form_page
def offering_stop_page(request: HttpRequest, location_id: int) -> HttpResponse:
    """Stop offering: confirm, and give the reason that residents still waiting receive."""
    location = _directed_location(request, location_id)
    offering = _offering_or_404(location)
    if offering.stopped_at is not None:
        return redirect("web:location", location_id=location.pk)
    offer = selectors.location_offer(location)
    waiting = list(current_signups(offer.open_contract)) if offer.open_contract else []
    form = forms.OfferingStopForm(request.POST or None)
    if waiting:
        form.fields["reason"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            offering_stop(offering=offering, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _("%(location)s wordt niet meer aangeboden.") % {"location": location})
            return redirect("web:location", location_id=location.pk)
    return render(
        request,
        "web/offering_stop.html",
        {"location": location, "offer": offer, "waiting": waiting, "form": form},
    )


@require_POST
@login_required
def offering_resume_view(request: HttpRequest, location_id: int) -> HttpResponse:
    """Offer a stopped location again, as it was."""
    location = _directed_location(request, location_id)
    offering = _offering_or_404(location)
    try:
        offering_resume(offering=offering, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(location)s wordt weer aangeboden.") % {"location": location})
    return redirect("web:location", location_id=location.pk)
