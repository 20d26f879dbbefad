"""A contract from the web: a resident signs up, withdraws, accepts changed terms; the contract's
page for its managers and the owner's regisseurs, where it is renewed or ended."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gis_service.contracts.models import Contract
from gis_service.contracts.selectors import ContractPage, contract_for_page
from gis_service.contracts.services.lifecycle import contract_end_early, contract_renew
from gis_service.contracts.services.rules import refuse_own_ground
from gis_service.contracts.services.signup import contract_terms_accept, manager_sign_up, manager_withdraw
from gis_service.core.dates import written_date
from gis_service.groups.selectors import group_for_contract
from web import forms, selectors
from web.views.locations import location_or_404
from web.views.methods import require_form_page

# Where a form may send the user back to after it did its work: fixed pages, never a URL from the
# request (an open redirect).
BACK = {"mine": ("web:mine", ""), "dashboard": ("web:regisseur", "#running")}


def _back(request: HttpRequest, default: str) -> str:
    name, anchor = BACK.get(request.POST.get("back", ""), (None, ""))
    return reverse(name) + anchor if name else default


@login_required
@require_form_page
def location_signup(request: HttpRequest, location_id: int) -> HttpResponse:
    """Sign up as manager of a location: read the terms, accept them explicitly, give a plan."""
    location = location_or_404(location_id)
    try:
        refuse_own_ground(request.user, location.owner_id)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect("web:location", location_id=location.pk)
    offer = selectors.location_offer(location)
    if not offer.can_sign_up or offer.terms is None:
        messages.error(request, _("Aanmelden als beheerder kan hier nu niet."))
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
            forms.add_service_error(form, error)
        else:
            messages.success(
                request, _("Je bent aangemeld als beheerder. De regisseur hoort het zodra er genoeg zijn.")
            )
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/signup.html", {"location": location, "offer": offer, "form": form})


@require_POST
@login_required
def location_withdraw(request: HttpRequest, location_id: int) -> HttpResponse:
    """A manager withdraws their sign-up before the contract starts."""
    location = location_or_404(location_id)
    signup = selectors.my_signup(location, request.user)
    if signup is None:
        raise Http404(_("Je bent hier niet aangemeld."))
    try:
        manager_withdraw(signup=signup, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je bent afgemeld als beheerder."))
    return redirect(_back(request, reverse("web:location", args=[location.pk])))


@login_required
@require_form_page
def location_terms(request: HttpRequest, location_id: int) -> HttpResponse:
    """Changed terms of a running contract: read them, accept explicitly; who has and who has not."""
    location = location_or_404(location_id)
    mine = selectors.my_contract(location, request.user)
    if mine is None:
        raise Http404(_("Je bent hier geen beheerder."))
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
            forms.add_service_error(form, error)
        else:
            messages.success(
                request, _("Je hebt versie %(number)s van de voorwaarden geaccepteerd.") % {"number": chosen.number}
            )
            return redirect("web:location", location_id=location.pk)
    return render(request, "web/terms.html", {"location": location, "mine": mine, "terms": terms, "form": form})


def _contract_page_or_404(request: HttpRequest, contract_id: int) -> ContractPage:
    """The contract, for its managers and the owner's regisseurs; 404 for everyone else."""
    try:
        return contract_for_page(contract_id=contract_id, user=request.user)
    except Contract.DoesNotExist:
        raise Http404(_("Dit contract bestaat niet, of je bent er geen beheerder of regisseur van.")) from None


def _render_contract(
    request: HttpRequest,
    page: ContractPage,
    *,
    renew_form: forms.ContractRenewForm | None = None,
    end_form: forms.ContractEndForm | None = None,
) -> HttpResponse:
    contract = page.contract
    return render(
        request,
        "web/contract.html",
        {
            "page": page,
            "contract": contract,
            "location": contract.location,
            "group": group_for_contract(contract.pk),
            "renew_form": renew_form or forms.ContractRenewForm(initial={"ends_on": contract.ends_on}),
            "end_form": end_form or forms.ContractEndForm(),
        },
    )


@login_required
@require_safe
def contract_page(request: HttpRequest, contract_id: int) -> HttpResponse:
    """One contract: to the owner's regisseur its people, contact, acceptances, period and actions;
    to a manager their own view (period, terms, co-managers, ending early)."""
    return _render_contract(request, _contract_page_or_404(request, contract_id))


@require_POST
@login_required
def contract_renew_view(request: HttpRequest, contract_id: int) -> HttpResponse:
    """The owner's regisseur extends a running contract to a chosen end date."""
    page = _contract_page_or_404(request, contract_id)
    form = forms.ContractRenewForm(request.POST)
    if form.is_valid():
        try:
            contract = contract_renew(contract=page.contract, by=request.user, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            assert contract.ends_on is not None  # contract_renew has just set it
            messages.success(
                request,
                _("Het contract voor %(location)s is verlengd tot en met %(day)s. De beheerders krijgen een e-mail.")
                % {"location": contract.location, "day": written_date(contract.ends_on)},
            )
            return redirect(_back(request, reverse("web:contract", args=[contract.pk])))
    return _render_contract(request, page, renew_form=form)


@require_POST
@login_required
def contract_end_view(request: HttpRequest, contract_id: int) -> HttpResponse:
    """A manager or the owner's regisseur ends a running contract early, with a reason."""
    page = _contract_page_or_404(request, contract_id)
    form = forms.ContractEndForm(request.POST)
    if form.is_valid():
        try:
            contract = contract_end_early(contract=page.contract, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Het contract voor %(location)s is beëindigd. Iedereen krijgt de reden per e-mail.")
                % {"location": contract.location},
            )
            return redirect(_back(request, reverse("web:contract", args=[contract.pk])))
    return _render_contract(request, page, end_form=form)
