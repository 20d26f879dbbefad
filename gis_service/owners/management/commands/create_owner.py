from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis_service.core.commands import TranslatedCommand
from gis_service.owners.models import Owner
from gis_service.owners.services import owner_get_or_create


class Command(TranslatedCommand):
    # Read when the command is loaded, before a language is active: lazy, like every class attribute.
    help = gettext_lazy(
        "Maakt een eigenaar (organisatie) aan; een eigenaar met dezelfde slug blijft zoals hij is "
        "(idempotent, exitcode 0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=_('naam van de organisatie, bijvoorbeeld "Gemeente Hilversum"'))
        parser.add_argument("--kind", required=True, choices=Owner.Kind.values, help=_("soort eigenaar"))
        parser.add_argument("--slug", help=_("standaard: de naam als slug"))

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"] or slugify(options["name"])
        if not slug:
            raise CommandError(_("van deze naam is geen slug te maken: geef --slug op"))
        owner, created = owner_get_or_create(name=options["name"], slug=slug, kind=options["kind"])
        if created:
            line = _("eigenaar aangemaakt: %(slug)s (%(name)s, %(kind)s)")
        else:
            line = _("eigenaar bestaat al, ongewijzigd gelaten: %(slug)s (%(name)s, %(kind)s)")
        self.stdout.write(line % {"slug": owner.slug, "name": owner.name, "kind": owner.get_kind_display()})
