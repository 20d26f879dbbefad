"""The regisseur's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gis_service.contracts.selectors import ground_changes, locations_to_offer, offerings_waiting, owner_contracts
from gis_service.contracts.services.ground import (
    contract_end_for_changed_ground,
    contract_keep_ground,
    contract_take_new_ground,
)
from gis_service.contracts.services.rules import require_regisseur
from gis_service.core import limits
from gis_service.locations.services import location_ground_change_resolved
from gis_service.owners.models import Owner
from web import forms, selectors
from web.views.locations import location_or_404

# An owner can have thousands of locations from its groenbeheer data: the search narrows them.
TO_OFFER_LIMIT = 50
# Offered locations still waiting for managers: the first of them, by name, and how many there are.
WAITING_LIMIT = 50


@login_required
@require_safe
def regisseur_dashboard(request: HttpRequest) -> HttpResponse:
    """What waits for a decision (with conflicts) and the locations to offer, for the owners the user directs."""
    return _render_dashboard(request)


def _render_dashboard(
    request: HttpRequest, *, ground_form: forms.GroundResolveForm | None = None, ground_location_id: int = 0
) -> HttpResponse:
    """The dashboard; a refused ground resolution is shown at its location with the reason typed (400)."""
    owner_ids = request.user.directed_owner_ids()  # type: ignore[union-attr]
    if not owner_ids:
        raise PermissionDenied(_("Alleen regisseurs van een eigenaar zien dit overzicht."))
    dashboard = selectors.regisseur_dashboard(owner_ids=owner_ids)
    query = request.GET.get("q", "")
    to_offer, to_offer_count = locations_to_offer(owner_ids=owner_ids, query=query, limit=TO_OFFER_LIMIT)
    changes = ground_changes(owner_ids=owner_ids)
    waiting, waiting_count = offerings_waiting(owner_ids=owner_ids, limit=WAITING_LIMIT)
    return render(
        request,
        "web/regisseur.html",
        {
            "dashboard": dashboard,
            "map_data": dashboard.map_data(),
            "query": query,
            "to_offer": to_offer,
            "to_offer_count": to_offer_count,
            "waiting": waiting,
            "waiting_count": waiting_count,
            "several_owners": len(owner_ids) > 1,
            "directed_owners": Owner.objects.filter(id__in=owner_ids).order_by("name"),
            "contracts": owner_contracts(owner_ids=owner_ids),
            "ground_changes": [(change, selectors.ground_change_map(change)) for change in changes],
            "renew_form": forms.ContractRenewForm(),
            "end_form": forms.ContractEndForm(),
            "reason_max_length": limits.MESSAGE,
            "ground_form": ground_form,
            "ground_location_id": ground_location_id,
        },
        status=400 if ground_form is not None else 200,
    )


@require_POST
@login_required
def ground_resolve(request: HttpRequest, location_id: int) -> HttpResponse:
    """The regisseur resolves a location whose ground changed: take the new shape into its contract,
    end the contract (with a reason), or keep it as it is."""
    location = location_or_404(location_id)
    require_regisseur(request.user, location.owner_id)
    form = forms.GroundResolveForm(request.POST)
    change = next((c for c in ground_changes(owner_ids={location.owner_id}) if c.location.pk == location.pk), None)
    if change is None:
        messages.error(request, _("Hier valt niets (meer) op te lossen."))
        return redirect(reverse("web:regisseur") + "#ground-changed")
    if not form.is_valid():
        if "resolution" in form.errors:  # only a hand-made POST lacks it: no field to show it at
            messages.error(request, _("Kies wat er met het contract gebeurt."))
            return redirect(reverse("web:regisseur") + "#ground-changed")
        return _render_dashboard(request, ground_form=form, ground_location_id=location.pk)
    resolution, contract = form.cleaned_data["resolution"], change.contract
    try:
        if contract is None:
            location_ground_change_resolved(location=location, by=request.user)
            done = _("De markering van %(location)s is weggehaald.")
        elif resolution == form.TAKE:
            contract_take_new_ground(contract=contract, by=request.user)
            done = _("Het contract voor %(location)s heeft nu de nieuwe vorm.")
        elif resolution == form.END:
            contract_end_for_changed_ground(contract=contract, by=request.user, reason=form.cleaned_data["reason"])
            done = _("Het contract voor %(location)s is beëindigd; de beheerders krijgen de reden per e-mail.")
        else:
            contract_keep_ground(contract=contract, by=request.user)
            done = _("Het contract voor %(location)s blijft zoals het is.")
    except ValidationError as error:
        if resolution != form.END:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("web:regisseur") + "#ground-changed")
        # Ending needs a reason: a refusal of it goes beside the field, with the text kept.
        forms.add_service_error(form, error)
        return _render_dashboard(request, ground_form=form, ground_location_id=location.pk)
    else:
        messages.success(request, done % {"location": location})
    return redirect(reverse("web:regisseur") + "#ground-changed")
