"""A resident's side of a contract: sign up, withdraw, accept changed terms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gis_service.contracts.services.signup import contract_terms_accept, manager_sign_up, manager_withdraw
from web import forms, selectors
from web.views.locations import location_or_404


@login_required
def location_signup(request: HttpRequest, location_id: int) -> HttpResponse:
    """Sign up as manager of a location: read the terms, accept them explicitly, give a plan."""
    location = location_or_404(location_id)
    offer = selectors.location_offer(location)
    if not offer.can_sign_up or offer.terms is None:
        messages.error(request, "Aanmelden als beheerder kan hier nu niet.")
        return redirect("web:location", location_id=location.pk)
    form = forms.SignupForm(
        request.POST or None, initial={"terms_version": offer.terms.pk}, offering_id=offer.terms.offering_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            manager_sign_up(
                location=location,
                user=request.user,
                terms_version=form.cleaned_data["terms_version"],
                plan=form.cleaned_data["plan"],
                accept_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Je bent aangemeld als beheerder. De regisseur hoort het zodra er genoeg zijn.")
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/signup.html", {"location": location, "offer": offer, "form": form})


@require_POST
@login_required
def location_withdraw(request: HttpRequest, location_id: int) -> HttpResponse:
    """A manager withdraws their sign-up before the contract starts."""
    location = location_or_404(location_id)
    signup = selectors.my_signup(location, request.user)
    if signup is None:
        raise Http404("Je bent hier niet aangemeld.")
    try:
        manager_withdraw(signup=signup, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Je bent afgemeld als beheerder.")
    return redirect("web:location", location_id=location.pk)


@login_required
def location_terms(request: HttpRequest, location_id: int) -> HttpResponse:
    """Changed terms of a running contract: read them, accept explicitly; who has and who has not."""
    location = location_or_404(location_id)
    mine = selectors.my_contract(location, request.user)
    if mine is None:
        raise Http404("Je bent hier geen beheerder.")
    terms = mine.contract.terms_version
    form = forms.SignupForm(
        request.POST or None,
        initial={"terms_version": terms.pk, "plan": mine.signup.plan},
        offering_id=terms.offering_id,
    )
    form.fields["plan"].required = False
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["terms_version"]
        try:
            contract_terms_accept(contract=mine.contract, user=request.user, terms_version=chosen, accept_terms=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Je hebt versie {chosen.number} van de voorwaarden geaccepteerd.")
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/terms.html", {"location": location, "mine": mine, "terms": terms, "form": form})
