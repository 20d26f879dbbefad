from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from gis_service.owners.models import ValueArea
from importers.management import owner_by_slug


class Command(BaseCommand):
    help = (
        "Loads the areas of an owner's value report from a GeoPackage, GeoJSON, shapefile or zip: "
        "CBS buurten (wijk- en buurtkaart) or a corporation's complexes with their households. "
        "An area whose code is already there is updated; nothing changes when the file cannot be read."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", metavar="FILE", help="path of a file or zip")
        parser.add_argument("--owner", required=True, help="slug of the owner")
        parser.add_argument("--kind", choices=ValueArea.Kind.values, default=ValueArea.Kind.BUURT)
        parser.add_argument("--layer", default="", help="layer of the file (e.g. 'buurten' in CBS's GeoPackage)")
        parser.add_argument("--crs", default="", help="CRS when the file names none, e.g. EPSG:28992")
        parser.add_argument("--code-field", default="buurtcode", help="field with the area's code")
        parser.add_argument("--name-field", default="buurtnaam", help="field with the area's name")
        parser.add_argument("--households-field", default="", help="field with the number of households")
        parser.add_argument("--where", default="", help="OGR SQL filter, e.g. \"gemeentecode = 'GM0363'\"")
        parser.add_argument("--replace", action="store_true", help="remove the owner's areas of this kind not in FILE")

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
