from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gis_service.core.commands import TranslatedCommand, exit_without_teardown
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


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Importeert een bestand, zip, WFS of OGC API-collectie als locaties van een eigenaar, of synchroniseert "
        "die opnieuw. Stopt met een exitcode die niet 0 is als de run mislukt (en dan is er niets veranderd)."
    )

    # System checks import every URLconf and view (pygeoapi, CQL parsers: over a second); an
    # import needs none of them, and `manage.py check` runs them in the test suite anyway.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "location", metavar="SOURCE", help=_("pad van een bestand of zip, of de URL van een WFS of OGC API")
        )
        parser.add_argument("--owner", required=True, help=_("slug van de eigenaar"))
        parser.add_argument(
            "--source", required=True, help=_("naam van de opgeslagen bron (bij het eerste gebruik aangemaakt)")
        )
        parser.add_argument("--kind", choices=["file", "wfs", "oapif"], help=_("standaard: afgeleid uit SOURCE"))
        parser.add_argument("--layer", default="", help=_("laag van het bestand, typename van de WFS"))
        parser.add_argument(
            "--crs", default="", help=_("coördinatenstelsel als de bron er geen noemt, bijvoorbeeld EPSG:28992")
        )
        parser.add_argument(
            "--id-field", default="", help=_("veld met de externe id (standaard: de volgorde van de objecten)")
        )
        parser.add_argument("--name-field", default="", help=_("veld met de naam van de locatie"))
        parser.add_argument("--type-field", default="", help=_("veld met het type van de locatie"))
        parser.add_argument(
            "--where", default="", help=_("filter in OGR SQL, bijvoorbeeld \"class = 'groenvoorziening'\"")
        )
        parser.add_argument(
            "--full", action="store_true", help=_("vergelijk elk object, ook als het bestand niet is veranderd")
        )
        # The summary's keys stay English whatever the language: scripts read them.
        parser.add_argument(
            "--json", action="store_true", help=_("schrijf de samenvatting van de run als één JSON-object")
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # Only a process of its own (`manage.py import_locations`) is short-lived enough to import
        # pyogrio without pandas/geopandas (see importers.gdal) and to end without the interpreter's
        # teardown (gis_service.core.commands). call_command() runs inside a longer process (a test
        # run, a shell) that may need pandas later, and goes on: it leaves the process as it is.
        from importers.gdal import prefer_lean_import

        prefer_lean_import()
        try:
            super().run_from_argv(argv)
        except SystemExit as exit:  # a CommandError (printed by Django) or argparse's --help and usage
            exit_without_teardown(exit.code)
        exit_without_teardown(0)

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
