"""GIS admin screens: sources (with upload and "sync now"), runs with live progress, the diff of
a run on a map, and the per-feature repair/reject report as CSV."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gis_service.core.csv import SafeWriter
from gis_service.core.maps import background_attribution
from importers.models import ImportChange, ImportRun, Source
from importers.readers.base import ImportFailed
from importers.readers.hosts import HostRefused, check_url
from importers.selectors import (
    owners_administered_by,
    protected_locations_of,
    run_diff_geojson,
    runs_visible_to,
    sources_visible_to,
)
from importers.uploads import UploadRefused, is_upload_of, store_upload


class SourceForm(forms.ModelForm):
    # Set per request by SourceAdmin.get_form: superusers (operators) may name any file on the
    # server; GIS admins only their owner's own uploads.
    may_read_any_file = False

    upload = forms.FileField(
        label=gettext_lazy("bestand of zip uploaden"),
        required=False,
        help_text=gettext_lazy("Shapefile (als zip), GeoPackage, GeoJSON of GML. Vervangt het pad hierboven."),
    )

    class Meta:
        model = Source
        fields = [
            "owner", "name", "kind", "location", "layer", "crs", "id_field", "name_field", "type_field",
            "keep_fields", "where", "sync_interval_minutes",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].required = False
        # An upload is a file source: asking for the kind as well sent the form back, and the
        # browser then drops the chosen file, so the GIS admin had to pick it again.
        self.fields["kind"].required = False
        self.fields["kind"].help_text = _("Bij een upload: bestand (hoeft niet gekozen te worden).")
        self.fields["layer"].help_text = _(
            "Bij een GeoPackage of GML met meer lagen: de laag; bij een WFS: de typename; bij OGC API Features: "
            "de collectie."
        )
        self.fields["crs"].help_text = _(
            "Bijvoorbeeld EPSG:28992 (RD New). Alleen gebruikt als de bron zelf geen stelsel noemt: een shapefile "
            "zonder .prj (leeg: EPSG:28992 wordt aangenomen) of GeoJSON zonder crs (leeg: WGS 84 / CRS84, zoals "
            "de GeoJSON-standaard zegt)."
        )
        self.fields["id_field"].help_text = _(
            "Het veld dat een object over syncs heen herkent (bij BGT: lokaalID). Leeg: het gml_id of id van de "
            "server, of bij een bestand het volgnummer, waardoor elke wijziging van de volgorde alles vervangt."
        )
        self.fields["keep_fields"].help_text = _(
            'Een lijst van veldnamen tussen vierkante haken, bijvoorbeeld ["beheerder", "aanlegjaar"]; leeg: [].'
        )
        self.fields["where"].help_text = _(
            "Alleen de objecten die hieraan voldoen, bijvoorbeeld beheerder = 'gemeente' (OGR SQL; bij OGC API "
            "Features CQL2-tekst)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if not upload and not data.get("kind") and "kind" not in self.errors:
            self.add_error("kind", _("Kies de soort, of upload een bestand."))
            return data
        if upload:
            try:
                data["location"] = store_upload(upload, owner_slug=data["owner"].slug if data.get("owner") else "x")
            except (UploadRefused, ImportFailed) as error:
                raise forms.ValidationError({"upload": str(error)}) from None
            data["kind"] = Source.Kind.FILE
            self.instance.location = data["location"]
        elif not data.get("location"):
            raise forms.ValidationError({"location": _("Geef een pad of URL, of upload een bestand.")})
        elif self._reads_a_file_not_theirs(data):
            raise forms.ValidationError(
                {
                    "location": _(
                        "Upload het bestand hier; een pad kan alleen naar een eerdere upload van deze eigenaar."
                    )
                }
            )
        elif data.get("kind") in (Source.Kind.WFS, Source.Kind.OAPIF):
            try:  # what the run would refuse, said when the source is saved
                check_url(data["location"])
            except HostRefused as error:
                raise forms.ValidationError({"location": str(error)}) from None
        return data

    def _reads_a_file_not_theirs(self, data: dict[str, Any]) -> bool:
        """A file path outside the owner's uploads, set by someone who may not read any file.

        GDAL reads whatever path it is given: another owner's uploads, or any dataset on the
        server. An unchanged path (set earlier by an operator) stays as it is.
        """
        if self.may_read_any_file or data.get("kind") != Source.Kind.FILE or not data.get("owner"):
            return False
        if not {"location", "kind", "owner"} & set(self.changed_data):
            return False
        return not is_upload_of(data["location"], owner_slug=data["owner"].slug)


@admin.action(description=gettext_lazy("Nu synchroniseren"), permissions=["change"])
def sync_now(modeladmin: SourceAdmin, request: HttpRequest, queryset: QuerySet[Source]) -> None:
    from importers.tasks import sync_source

    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        # Only ids of sources this user sees are kept: said so, where "0 bronnen in de wachtrij gezet"
        # was shown as a success.
        modeladmin.message_user(request, _("Geen van de gekozen bronnen kan door jou gesynchroniseerd worden; er is "
                                           "niets gestart."), messages.WARNING)  # fmt: skip
        return
    # The runs' messages are written in the language of the admin who asked for them.
    language = translation.get_language()

    def enqueue() -> None:
        for source_id in ids:
            sync_source.delay(source_id, language=language)

    transaction.on_commit(enqueue)
    # The run is created by the worker, so there is nothing to link to yet but the sources' runs,
    # newest first, where it appears within a second or so.
    runs = reverse("admin:importers_importrun_changelist")
    if len(ids) == 1:
        runs += f"?source__id__exact={ids[0]}"
    queued = ngettext("%(count)d bron in de wachtrij gezet.", "%(count)d bronnen in de wachtrij gezet.", len(ids))
    modeladmin.message_user(
        request,
        format_html('{} <a href="{}">{}</a>', queued % {"count": len(ids)}, runs, _("Volg de voortgang")),
        messages.SUCCESS,
    )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ("name", "owner", "kind", "shown_location", "sync_interval_minutes", "last_run")
    # Only the owners of the sources the user sees: a GIS admin was offered every owner's name to filter by.
    list_filter = ("kind", ("owner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "location")
    actions = [sync_now]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Before a sync: which ground of this source is under a contract (nothing to show for a new source).
        return ["protected_locations"] if obj is not None else []

    @admin.display(description=gettext_lazy("locaties met een contract of open initiatief"))
    def protected_locations(self, source: Source) -> str:
        locations = protected_locations_of(source)
        if not locations:
            return _("Geen: een sync mag alle locaties van deze bron wijzigen of intrekken.")
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> (id {}, {})</li>',
            (
                (reverse("web:location", args=[loc.pk]), str(loc), loc.pk,
                 _("extern id %(id)s") % {"id": loc.external_id})
                for loc in locations
            ),
        )  # fmt: skip
        lead = ngettext(
            "Een sync die deze locatie verwijdert of een andere vorm geeft, houdt haar grond zoals getekend, "
            "markeert haar en mailt de regisseurs van de eigenaar:",
            "Een sync die een van deze %(count)d locaties verwijdert of een andere vorm geeft, houdt hun grond "
            "zoals getekend, markeert ze en mailt de regisseurs van de eigenaar:",
            len(locations),
        ) % {"count": len(locations)}
        return format_html("{}<ul>{}</ul>", lead, items)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return sources_visible_to(request.user).select_related("owner")  # type: ignore[arg-type]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = cast(type[SourceForm], super().get_form(request, obj, change, **kwargs))  # a new class per request
        form.may_read_any_file = request.user.is_superuser
        return form

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A GIS admin adds and moves sources only among their own owners: a source of another
        # owner would put locations on that owner's map under its name.
        if db_field.name == "owner":
            kwargs["queryset"] = owners_administered_by(request.user)  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("bron"), ordering="location")
    def shown_location(self, source: Source) -> str:
        """An uploaded file by its name: its path on the server (where the service is installed)
        is nothing a GIS admin needs or should read. A URL, or a path a superuser gave, as given."""
        if is_upload_of(source.location, owner_slug=source.owner.slug):
            return _("%(file)s (geüpload)") % {"file": PurePosixPath(source.location).name}
        return source.location

    @admin.display(description=gettext_lazy("laatste run"))
    def last_run(self, source: Source) -> str:
        run = source.runs.order_by("-started_at").first()
        if run is None:
            return "—"
        url = reverse("admin:importers_importrun_change", args=[run.pk])
        # Formatted here: format_html escapes its arguments to strings before formatting (Django 6), so a
        # date format spec in the template fails on them; and shown in local time, as the admin shows times.
        started = timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M")
        return format_html('<a href="{}">{} ({})</a>', url, run.get_status_display(), started)


def _known_total(run: ImportRun) -> int | None:
    """The run's total when it can be one: a server that told fewer features than have been read
    (a WFS whose hits answer stops at its page cap) told no total, and "1000 / 500 (200%)" helps no one."""
    return run.total if run.total and run.read <= run.total else None


def _progress_text(run: ImportRun) -> str:
    """The features read so far, beside the progress bar (also sent to the page's script while it polls)."""
    if total := _known_total(run):
        return _("%(read)d / %(total)d (%(percent)d%%)") % {
            "read": run.read, "total": total, "percent": round(100 * run.read / total),
        }  # fmt: skip
    return _("%(count)d gelezen") % {"count": run.read}


ISSUES_SHOWN = 20  # on the run's page; the CSV report has them all

# What each code of the report means, for the GIS admin reading the run's page.
ISSUE_CODES = {
    "made_valid": gettext_lazy("ongeldige geometrie, hersteld (het vlakdeel is gehouden)"),
    "unrepairable": gettext_lazy("ongeldige geometrie die niet te herstellen is"),
    "not_an_area": gettext_lazy("geen vlak (een lijn of punt)"),
    "no_geometry": gettext_lazy("geen geometrie"),
    "empty": gettext_lazy("lege geometrie"),
    "no_id": gettext_lazy("geen extern id"),
    "duplicate_id": gettext_lazy("extern id komt vaker voor; het eerste object is gehouden"),
    "id_too_long": gettext_lazy("extern id te lang"),
}


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("source", "status", "started_at", "progress", "created", "updated", "unchanged", "withdrawn",
                    "repaired", "rejected")  # fmt: skip
    # Only the sources the user sees (RelatedOnly): a plain filter would list every owner's sources.
    list_filter = (
        "status",
        ("source__owner", admin.RelatedOnlyFieldListFilter),
        ("source", admin.RelatedOnlyFieldListFilter),
    )
    readonly_fields = [f.name for f in ImportRun._meta.fields] + [
        "progress", "outcome", "issues_shown", "report", "diff_map",
    ]  # fmt: skip
    # What a GIS admin came for first: the progress (visible without scrolling while the run
    # works), then the outcome with its report, then the map of the changes.
    fieldsets = [
        (None, {"fields": ["source", "status", "progress", "message", "outcome"]}),
        (gettext_lazy("Resultaat"), {"fields": [
            "created", "updated", "unchanged", "withdrawn", "repaired", "rejected", "issues_shown", "report",
        ]}),
        (gettext_lazy("Wijzigingen op de kaart"), {"fields": ["diff_map"]}),
        (gettext_lazy("Details"), {"classes": ["collapse"], "fields": [
            "started_at", "finished_at", "heartbeat_at", "total", "read", "fingerprint", "current_after",
            "created_first_id", "created_last_id",
        ]}),
    ]  # fmt: skip
    change_form_template = "admin/importers/importrun/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportRun]:
        return runs_visible_to(request.user).select_related("source__owner")  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("voortgang"))
    def progress(self, run: ImportRun) -> str:
        # A source that names no total (a GML file) leaves the bar indeterminate while it runs; once
        # the run has ended it stands at what was read (it moved on as if still at work).
        maximum = _known_total(run) or (run.read or 1 if run.status != ImportRun.Status.RUNNING else None)
        if maximum is None:
            return format_html('<progress data-run="{}"></progress> {}', run.pk, _progress_text(run))
        return format_html(
            '<progress data-run="{}" max="{}" value="{}"></progress> {}', run.pk, maximum, run.read, _progress_text(run)
        )

    @admin.display(description=gettext_lazy("gevolg"))
    def outcome(self, run: ImportRun) -> str:
        """What a run means for the locations, said in words: a failed run's counts of 0 did not say
        whether the features read before the failure had been written."""
        if run.status == ImportRun.Status.FAILED:
            return _("Niets veranderd: de run is in zijn geheel teruggedraaid; de locaties van deze bron zijn "
                     "zoals vóór deze run.")  # fmt: skip
        if run.status == ImportRun.Status.RUNNING:
            return _("De wijzigingen worden pas zichtbaar als de run in zijn geheel is geslaagd.")
        if run.current_after is None:
            return ""
        return _("%(current)d actuele locaties in deze bron na deze run.") % {"current": run.current_after}

    @admin.display(description=gettext_lazy("herstelde en geweigerde objecten"))
    def issues_shown(self, run: ImportRun) -> str:
        """The first repaired and rejected features, each with what its code means: the page showed
        only their counts, and the CSV's codes (not_an_area, ST_LineString) are the report's, not words."""
        issues = list(run.issues.order_by("feature_index")[:ISSUES_SHOWN])
        if not issues:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (issue.feature_index, issue.external_id or "—", issue.get_kind_display(),
                 f"{ISSUE_CODES.get(issue.code, issue.code)}" + (f" ({issue.detail})" if issue.detail else ""))
                for issue in issues
            ),
        )  # fmt: skip
        more = run.repaired + run.rejected - len(issues)
        tail = format_html("<p>{}</p>", _("en nog %(count)d: zie het rapport") % {"count": more}) if more > 0 else ""
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}",
            _("objectnummer"), _("extern id"), _("soort"), _("reden"), rows, tail,
        )  # fmt: skip

    @admin.display(description=gettext_lazy("rapport"))
    def report(self, run: ImportRun) -> str:
        url = reverse("admin:importers_importrun_issues", args=[run.pk])
        return format_html('<a href="{}">{}</a>', url, _("herstelde en geweigerde objecten (CSV)"))

    @admin.display(description=gettext_lazy("wijzigingen"))
    def diff_map(self, run: ImportRun) -> str:
        url = reverse("admin:importers_importrun_diff", args=[run.pk])
        # The background is the public map's (MAP_BACKGROUND_URL), the one tile host the
        # Content-Security-Policy allows; importers/static/importers/importrun.js draws it.
        # The texts the script shows come along in the reader's language (the script has no catalog).
        return format_html(
            '<div id="import-diff-map" data-url="{}" data-background="{}" data-attribution="{}" data-labels="{}"'
            ' data-empty="{}"></div>',
            url, settings.MAP_BACKGROUND_URL, background_attribution(),
            json.dumps({value: str(label) for value, label in ImportChange.Change.choices}), _("Geen wijzigingen."),
        )  # fmt: skip

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("<int:pk>/progress.json", self.admin_site.admin_view(self.progress_json),
                 name="importers_importrun_progress"),
            path("<int:pk>/issues.csv", self.admin_site.admin_view(self.issues_csv), name="importers_importrun_issues"),
            path("<int:pk>/diff.geojson", self.admin_site.admin_view(self.diff_geojson),
                 name="importers_importrun_diff"),
        ]  # fmt: skip
        return own + super().get_urls()

    def _run(self, request: HttpRequest, pk: int) -> ImportRun:
        # admin_view only asks whether the user may enter the admin; these pages are the run's.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def progress_json(self, request: HttpRequest, pk: int) -> JsonResponse:
        run = self._run(request, pk)
        total = _known_total(run)
        percent = round(100 * run.read / total) if total else None
        return JsonResponse({**run.summary(), "total": total, "percent": percent, "progress_text": _progress_text(run)})

    def issues_csv(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self._run(request, pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="importrun-{run.pk}-meldingen.csv"'
        # External ids and details come from the source's data: the shared writer keeps them text.
        writer = SafeWriter(response)
        writer.writerow(["feature_index", "external_id", "kind", "code", "detail"])
        for issue in run.issues.order_by("feature_index").iterator():
            writer.writerow([issue.feature_index, issue.external_id, issue.kind, issue.code, issue.detail])
        return response

    def diff_geojson(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = self._run(request, pk)
        return HttpResponse(json.dumps(run_diff_geojson(run)), content_type="application/geo+json")
