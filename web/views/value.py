"""The value report of one owner: a public summary (sums, never a person) and the regisseur's
page, which adds volunteers, hours and tasks per area; each with CSV and GeoPackage downloads."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gis_service.core.csv import SafeWriter
from gis_service.owners.models import MaintenanceCost, Owner, ValueArea
from gis_service.owners.selectors import (
    DEFAULT_COST_PER_M2,
    FALLBACK_COST_PER_M2,
    AreaFigure,
    ValueReport,
    owned_types,
    value_area_geometries,
    value_report,
)
from gis_service.owners.services import maintenance_cost_set
from web.forms import MoneyField
from web.views.access import directed_owner
from web.views.methods import require_form_page


def _year(request: HttpRequest) -> int | None:
    """The year asked for (default: this year); None when it is not a plausible year."""
    raw = request.GET.get("jaar", "")
    if not raw:
        return timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _report(request: HttpRequest, owner: Owner) -> ValueReport | None:
    """The report for the year and kind of area asked for; None when either is not valid."""
    year = _year(request)
    kind = request.GET.get("gebied") or None
    if year is None or (kind is not None and kind not in ValueArea.Kind.values):
        return None
    return value_report(owner=owner, year=year, area_kind=kind)


def _bad_request() -> HttpResponse:
    return HttpResponseBadRequest(_("Kies een jaar tussen 2000 en 2100 en een soort gebied: buurt of complex."))


def _directed_owner(request: HttpRequest, slug: str) -> Owner:
    refusal = _("Alleen een regisseur van deze eigenaar ziet het rapport per gebied.")
    return directed_owner(request, slug, refusal=refusal)


def _page(request: HttpRequest, owner: Owner, *, full: bool) -> HttpResponse:
    report = _report(request, owner)
    if report is None:
        return _bad_request()
    # The regisseur's page was reached through that check already; the public one asks it once.
    is_regisseur = full or (request.user.is_authenticated and request.user.directs(owner.pk))
    context = {
        "owner": owner,
        "report": report,
        "full": full,
        "is_regisseur": is_regisseur,
        "area_kinds": ValueArea.Kind.choices,
        "complexes": report.area_kind == ValueArea.Kind.COMPLEX,
        "chart_data": _chart_data(report),
        "chart_areas": CHART_AREAS,
    }
    return render(request, "web/value.html", context)


def _area_label(area: AreaFigure) -> str:
    return area.name or _("buiten de gebieden")


# Bars in the chart per area: a city has hundreds of buurten; the table below it lists them all.
CHART_AREAS = 15


def _chart_data(report: ValueReport) -> dict[str, Any]:
    """What value.js draws: the same numbers as the tables beside the charts."""
    top = sorted((a for a in report.by_area if a.locations), key=lambda a: -a.saving_eur)[:CHART_AREAS]
    return {
        "areas": {
            "labels": [_area_label(a) for a in top],
            "values": [float(a.saving_eur) for a in top],
            "label": _("Besparing (€)"),
        },
        "years": {
            "labels": [str(y.year) for y in report.by_year],
            "values": [float(y.saving_eur) for y in report.by_year],
            "label": _("Besparing (€)"),
        },
    }


@require_safe
def value_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public summary: per type, per year and per area, without people's figures per area."""
    return _page(request, get_object_or_404(Owner, slug=slug), full=False)


@login_required
@require_safe
def value_regisseur_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The regisseur's report: the public one plus volunteers, hours and tasks per area."""
    return _page(request, _directed_owner(request, slug), full=True)


@require_safe
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
    writer.writerow([year, _("totaal"), report.locations, report.area_m2, "", report.saving_eur])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="waarde-{owner.slug}-{year}.csv"'
    return response


# The columns of the per-area downloads: (GeoPackage field, CSV heading, value); the people's
# figures only in the regisseur's.
def _area_columns(report: ValueReport, *, full: bool) -> list[tuple[str, str, Any]]:
    columns: list[tuple[str, str, Any]] = [
        ("jaar", _("jaar"), lambda a: report.year),
        ("code", _("code"), lambda a: a.code),
        ("naam", _("naam"), lambda a: _area_label(a)),
        ("locaties", _("locaties"), lambda a: a.locations),
        ("m2", _("m²"), lambda a: a.area_m2),
        ("besparing_eur", _("besparing (€)"), lambda a: a.saving_eur),
        ("actieve_groepen", _("actieve groepen"), lambda a: a.active_groups),
    ]
    if report.area_kind == ValueArea.Kind.COMPLEX:
        columns += [
            ("huishoudens", _("huishoudens"), lambda a: a.households),
            ("besparing_per_huishouden_eur", _("besparing per huishouden (€)"), lambda a: a.saving_per_household),
        ]
    if full:
        columns += [
            ("vrijwilligers", _("vrijwilligers"), lambda a: a.volunteers),
            ("uren", _("uren"), lambda a: a.hours),
            ("taken_afgerond", _("taken afgerond"), lambda a: a.tasks_done),
        ]
    return columns


def _areas_download(request: HttpRequest, owner: Owner, *, full: bool, fmt: str) -> HttpResponse:
    report = _report(request, owner)
    if report is None:
        return _bad_request()
    columns = _area_columns(report, full=full)
    name = f"waarde-{owner.slug}-{report.area_kind}-{report.year}"
    if fmt == "csv":
        out = io.StringIO()
        writer = SafeWriter(out)
        writer.writerow([heading for _field, heading, _value in columns])
        for area in report.by_area:
            writer.writerow(["" if (v := value(area)) is None else v for _field, _heading, value in columns])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_geopackage(report, columns), content_type="application/geopackage+sqlite3")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _geopackage(report: ValueReport, columns: list[tuple[str, str, Any]]) -> bytes:
    """The areas with their figures as a GeoPackage in the storage CRS (what lies outside every
    area has no shape and is left out). Small: one row per area, written whole."""
    import numpy as np
    import pyogrio.raw
    from django.conf import settings

    shapes = value_area_geometries(area_ids=[a.area_id for a in report.by_area if a.area_id is not None])
    areas = [a for a in report.by_area if a.area_id in shapes]

    def column(value: Any) -> Any:
        values = [value(a) for a in areas]
        if any(isinstance(v, str) for v in values):
            return np.asarray([v or "" for v in values], dtype=np.object_)
        if any(isinstance(v, Decimal) for v in values):  # money and m² as REAL: what GIS tools sum
            return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        return np.array([0 if v is None else v for v in values], dtype=np.int64)  # None is NULL: see masks

    def unknown(value: Any) -> Any:
        """True where a figure is unknown (a buurt's households): written as NULL, not as a number."""
        return np.array([value(a) is None for a in areas], dtype=bool)

    with tempfile.TemporaryDirectory(prefix="zb-value-") as folder:
        path = Path(folder) / "waarde.gpkg"
        pyogrio.raw.write(
            path,
            np.asarray([shapes[a.area_id] for a in areas if a.area_id is not None], dtype=np.object_),
            [column(value) for _field, _heading, value in columns],
            fields=[field for field, _heading, _value in columns],
            field_mask=[unknown(value) for _field, _heading, value in columns],
            layer=f"waarde_{report.area_kind}",
            driver="GPKG",
            geometry_type="MultiPolygon",
            crs=f"EPSG:{settings.STORAGE_SRID}",
            dataset_options={"VERSION": "1.2"},  # as ogc/downloads.py: GDAL 3.6 and QGIS 3.22 read 1.2 quietly
        )
        return path.read_bytes()


@require_safe
def value_areas_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _areas_download(request, get_object_or_404(Owner, slug=slug), full=False, fmt="csv")


@require_safe
def value_areas_gpkg(request: HttpRequest, slug: str) -> HttpResponse:
    return _areas_download(request, get_object_or_404(Owner, slug=slug), full=False, fmt="gpkg")


@login_required
@require_safe
def value_regisseur_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _areas_download(request, _directed_owner(request, slug), full=True, fmt="csv")


@login_required
@require_safe
def value_regisseur_gpkg(request: HttpRequest, slug: str) -> HttpResponse:
    return _areas_download(request, _directed_owner(request, slug), full=True, fmt="gpkg")


class CostForm(forms.Form):
    # The owner's own types are offered as the regisseur types (value_costs.html's datalist).
    type = forms.CharField(
        label=gettext_lazy("Soort"), max_length=100, widget=forms.TextInput(attrs={"list": "owned-type-names"})
    )
    cost_per_m2 = MoneyField(label=gettext_lazy("Kosten per m² per jaar (€)"), max_digits=8, min_value=Decimal(0))


@login_required
@require_form_page
def cost_table(request: HttpRequest, slug: str) -> HttpResponse:
    """The owner's cost per m² per type; only its own regisseurs see or change it."""
    owner = directed_owner(
        request, slug, refusal=_("Alleen een regisseur van deze eigenaar mag de kostentabel wijzigen.")
    )
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
        "owned_types": owned_types(owner=owner),
        "defaults": sorted(DEFAULT_COST_PER_M2.items()),
        "fallback": FALLBACK_COST_PER_M2,
    }
    return render(request, "web/value_costs.html", context, status=status)
