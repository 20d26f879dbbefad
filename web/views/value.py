"""The value report of one owner: public figures only (sums, never a person)."""

from __future__ import annotations

import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis_service.core.csv import SafeWriter
from gis_service.owners.models import MaintenanceCost, Owner
from gis_service.owners.selectors import DEFAULT_COST_PER_M2, FALLBACK_COST_PER_M2, value_report
from gis_service.owners.services import maintenance_cost_set


def _year(request: HttpRequest) -> int | None:
    """The year asked for (default: this year); None when it is not a plausible year."""
    raw = request.GET.get("jaar", "")
    if not raw:
        return timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def value_page(request: HttpRequest, slug: str) -> HttpResponse:
    owner = get_object_or_404(Owner, slug=slug)
    year = _year(request)
    if year is None:
        return HttpResponseBadRequest(_("Kies een jaar tussen 2000 en 2100."))
    return render(request, "web/value.html", {"owner": owner, "report": value_report(owner=owner, year=year)})


def value_csv(request: HttpRequest, slug: str) -> HttpResponse:
    owner = get_object_or_404(Owner, slug=slug)
    year = _year(request)
    if year is None:
        return HttpResponseBadRequest(_("Kies een jaar tussen 2000 en 2100."))
    report = value_report(owner=owner, year=year)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [_("jaar"), _("soort"), _("locaties"), _("m²"), _("kosten per m² per jaar (€)"), _("besparing (€)")]
    )
    for row in report.by_type:
        writer.writerow([year, row.type, row.locations, row.area_m2, row.cost_per_m2, row.saving_eur])
    writer.writerow(
        [year, _("totaal"), sum(r.locations for r in report.by_type), report.area_m2, "", report.saving_eur]
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="waarde-{owner.slug}-{year}.csv"'
    return response


class CostForm(forms.Form):
    type = forms.CharField(label=gettext_lazy("Soort"), max_length=100)
    cost_per_m2 = forms.DecimalField(
        label=gettext_lazy("Kosten per m² per jaar (€)"), max_digits=8, decimal_places=2, min_value=Decimal(0)
    )


@login_required
def cost_table(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's cost per m² per type; only its own regisseurs see or change it."""
    owner = get_object_or_404(Owner, slug=slug)
    if owner.pk not in request.user.directed_owner_ids():  # type: ignore[union-attr]
        raise PermissionDenied(_("Alleen een regisseur van deze eigenaar mag de kostentabel wijzigen."))
    form = CostForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            maintenance_cost_set(owner=owner, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("Kosten opgeslagen."))
            return redirect("web:value-costs", slug=owner.slug)
        status = 400
    context = {
        "owner": owner,
        "form": form,
        "costs": MaintenanceCost.objects.filter(owner=owner).order_by("type"),
        "defaults": sorted(DEFAULT_COST_PER_M2.items()),
        "fallback": FALLBACK_COST_PER_M2,
    }
    return render(request, "web/value_costs.html", context, status=status)
