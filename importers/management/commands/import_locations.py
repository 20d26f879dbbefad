from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from importers.management import owner_by_slug
from importers.models import ImportRun


def counts(run: ImportRun) -> str:
    """What the run read and did, as a list of counts in the active language."""
    parts = [
        ngettext("%(count)d object gelezen", "%(count)d objecten gelezen", run.read),
        ngettext("%(count)d nieuw", "%(count)d nieuw", run.created),
        ngettext("%(count)d gewijzigd", "%(count)d gewijzigd", run.updated),
        ngettext("%(count)d ongewijzigd", "%(count)d ongewijzigd", run.unchanged),
        ngettext("%(count)d ingetrokken", "%(count)d ingetrokken", run.withdrawn),
        ngettext("%(count)d hersteld", "%(count)d hersteld", run.repaired),
        ngettext("%(count)d geweigerd", "%(count)d geweigerd", run.rejected),
    ]
    numbers = (run.read, run.created, run.updated, run.unchanged, run.withdrawn, run.repaired, run.rejected)
    return ", ".join(part % {"count": number} for part, number in zip(parts, numbers, strict=True))


class Command(BaseCommand):
    help = (
        "Imports a file, zip, WFS or OGC API collection as locations of an owner, or syncs it again. "
        "Exits non-zero when the run failed (and then nothing changed)."
    )

    # System checks import every URLconf and view (pygeoapi, CQL parsers: over a second); an
    # import needs none of them, and `manage.py check` runs them in the test suite anyway.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", metavar="SOURCE", help="path of a file or zip, or the URL of a WFS/OGC API")
        parser.add_argument("--owner", required=True, help="slug of the owner")
        parser.add_argument("--source", required=True, help="name of the saved source (created on first use)")
        parser.add_argument("--kind", choices=["file", "wfs", "oapif"], help="default: guessed from SOURCE")
        parser.add_argument("--layer", default="", help="layer of the file, WFS typename")
        parser.add_argument("--crs", default="", help="CRS when the source names none, e.g. EPSG:28992")
        parser.add_argument("--id-field", default="", help="field with the external id (default: feature order)")
        parser.add_argument("--name-field", default="")
        parser.add_argument("--type-field", default="")
        parser.add_argument("--where", default="", help="OGR SQL filter, e.g. \"class = 'groenvoorziening'\"")
        parser.add_argument("--full", action="store_true", help="compare every feature, even for an unchanged file")
        parser.add_argument("--json", action="store_true", help="print the run summary as one JSON object")

    def run_from_argv(self, argv: list[str]) -> None:
        # Only a process of its own (`manage.py import_locations`) is short-lived enough to import
        # pyogrio without pandas/geopandas (see importers.gdal). call_command() runs inside a longer
        # process (a test run, a shell) that may need pandas later: it leaves the process as it is.
        from importers.gdal import prefer_lean_import

        prefer_lean_import()
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        from importers.sync import SourceOptions, run_summary_json, source_ensure, source_sync

        owner = owner_by_slug(options["owner"])
        try:
            source = source_ensure(
                owner=owner,
                name=options["source"],
                options=SourceOptions(
                    location=options["location"],
                    kind=options["kind"] or "",
                    layer=options["layer"],
                    crs=options["crs"],
                    id_field=options["id_field"],
                    name_field=options["name_field"],
                    type_field=options["type_field"],
                    where=options["where"],
                ),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        run = source_sync(source=source, full=options["full"])
        if options["json"]:
            self.stdout.write(run_summary_json(run))
        else:
            line = _("%(source)s: %(status)s: %(counts)s") % {
                "source": source,
                "status": run.get_status_display(),
                "counts": counts(run),
            }
            self.stdout.write(line + (f"\n{run.message}" if run.message else ""))
        if run.status != run.Status.SUCCEEDED:
            raise CommandError(_("de import is mislukt: %(message)s") % {"message": run.message}, returncode=1)
