from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from gis_service.owners.models import Owner
from gis_service.owners.services import owner_get_or_create


class Command(BaseCommand):
    help = "Creates an owner organisation; an existing slug is left as it is (idempotent, exit 0)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--kind", required=True, choices=Owner.Kind.values)
        parser.add_argument("--slug", help="defaults to the slugified name")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"] or slugify(options["name"])
        if not slug:
            raise CommandError("cannot make a slug from the name: give --slug")
        owner, created = owner_get_or_create(name=options["name"], slug=slug, kind=options["kind"])
        verb = "created" if created else "exists, left unchanged:"
        self.stdout.write(f"owner {verb} {owner.slug} ({owner.name}, {owner.kind})")
