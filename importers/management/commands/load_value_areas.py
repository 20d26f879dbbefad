from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gis_service.core.commands import TranslatedCommand
from gis_service.owners.models import ValueArea
from importers.management import owner_by_slug


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Laadt de gebieden van het waarderapport van een eigenaar uit een GeoPackage, GeoJSON, shapefile of zip: "
        "de buurten van het CBS (wijk- en buurtkaart) of de complexen van een corporatie met hun huishoudens. "
        "Een gebied waarvan de code er al is, wordt bijgewerkt; als het bestand niet te lezen is, verandert er niets."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", metavar="FILE", help=_("pad van een bestand of zip"))
        parser.add_argument("--owner", required=True, help=_("slug van de eigenaar"))
        parser.add_argument(
            "--kind",
            choices=ValueArea.Kind.values,
            default=ValueArea.Kind.BUURT,
            help=_("soort gebied: buurten van het CBS of complexen van een corporatie (standaard: buurt)"),
        )
        parser.add_argument(
            "--layer", default="", help=_("laag van het bestand (bijvoorbeeld 'buurten' in de GeoPackage van het CBS)")
        )
        parser.add_argument(
            "--crs", default="", help=_("coördinatenstelsel als het bestand er geen noemt, bijvoorbeeld EPSG:28992")
        )
        parser.add_argument("--code-field", default="buurtcode", help=_("veld met de code van het gebied"))
        parser.add_argument("--name-field", default="buurtnaam", help=_("veld met de naam van het gebied"))
        parser.add_argument("--households-field", default="", help=_("veld met het aantal huishoudens"))
        parser.add_argument(
            "--where", default="", help=_("filter in OGR SQL, bijvoorbeeld \"gemeentecode = 'GM0363'\"")
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("verwijder de gebieden van deze soort van de eigenaar die niet in FILE staan"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from importers.readers.base import ImportFailed
        from importers.value_areas import load_value_areas

        owner = owner_by_slug(options["owner"])
        try:
            written = load_value_areas(
                owner=owner,
                path=options["location"],
                kind=options["kind"],
                code_field=options["code_field"],
                name_field=options["name_field"],
                households_field=options["households_field"],
                layer=options["layer"],
                crs=options["crs"],
                where=options["where"],
                replace=options["replace"],
            )
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        loaded = ngettext(
            "%(count)d gebied geladen voor %(owner)s (%(kind)s)",
            "%(count)d gebieden geladen voor %(owner)s (%(kind)s)",
            written,
        )
        kind = ValueArea.Kind(options["kind"]).label
        self.stdout.write(loaded % {"count": written, "owner": owner.slug, "kind": kind})
