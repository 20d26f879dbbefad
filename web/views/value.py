"""The value report of one owner: public figures only (sums, never a person)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gis_service.core.csv import SafeWriter
from gis_service.owners.models import Owner
from gis_service.owners.selectors import value_report


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
