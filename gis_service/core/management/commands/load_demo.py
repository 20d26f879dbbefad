"""Loads the demo data: Gemeente Hilversum with its regisseur and GIS admin and the real BGT
locations from fixtures/, a housing corporation with its own regisseur, residents, and the story
of gis_service/core/demo.py (offers, a managed location with its group, an initiative).
Idempotent: what exists is left as it is."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gis_service.accounts.models import Membership
from gis_service.accounts.services import membership_ensure, user_ensure
from gis_service.core.commands import TranslatedCommand
from gis_service.core.demo import demo_story_ensure
from gis_service.owners.models import Owner
from gis_service.owners.services import owner_get_or_create
from importers.sync import demo_bgt_sync

# The demo log-ins, also listed in the README. Local demo only: change them on a server.
DEMO_USERS = [
    # username, password, e-mail, first name, last name, staff
    ("admin", "zelfbeheer-admin", "admin@example.org", "Ada", "Beheer", True),
    ("regisseur", "zelfbeheer-regisseur", "regisseur@hilversum.example.org", "Rita", "Regisseur", False),
    ("gisbeheer", "zelfbeheer-gis", "gis@hilversum.example.org", "Gijs", "Geodata", False),
    ("bewoner", "zelfbeheer-bewoner", "bewoner@example.org", "Bram", "Bewoner", False),
    ("beheerder", "zelfbeheer-beheerder", "beheerder@example.org", "Bea", "Beheerder", False),
    ("vrijwilliger", "zelfbeheer-vrijwilliger", "vrijwilliger@example.org", "Vince", "Visser", False),
    ("corporatie", "zelfbeheer-corporatie", "regisseur@hilverhof.example.org", "Cora", "Corporatie", False),
    # A tenant of the corporation's complex, who manages its facade gardens.
    ("huurder", "zelfbeheer-huurder", "huurder@example.org", "Hanna", "Huurder", False),
    # Supporters in the pool (gis_service/core/demo.py makes them so).
    ("hovenier", "zelfbeheer-hovenier", "hovenier@example.org", "Henk", "Hovenier", False),
    ("buurtwerker", "zelfbeheer-buurtwerker", "buurtwerker@example.org", "Bo", "Buurtwerker", False),
    # A professional of the municipality, who offers help on its initiatives.
    ("groenadviseur", "zelfbeheer-groenadviseur", "groenadviseur@hilversum.example.org", "Gerrit", "Groen", False),
]


class Command(TranslatedCommand):
    help = gettext_lazy("Laadt de demo: eigenaren, gebruikers, BGT-locaties en hun verhaal (idempotent).")

    def handle(self, *args: Any, **options: Any) -> None:
        owner, created = owner_get_or_create(name="Gemeente Hilversum", slug="hilversum", kind=Owner.Kind.GEMEENTE)
        if created:
            owner.contact_email = "zelfbeheer@hilversum.example.org"
            owner.save(update_fields=["contact_email"])
        corporation, created = owner_get_or_create(
            name="Woonstichting Hilverhof", slug="hilverhof", kind=Owner.Kind.WONINGCORPORATIE
        )
        if created:
            corporation.contact_email = "bewonerszaken@hilverhof.example.org"
            corporation.save(update_fields=["contact_email"])
        users = {}
        for username, password, email, first, last, staff in DEMO_USERS:
            users[username], _created = user_ensure(
                username=username,
                password=password,
                email=email,
                first_name=first,
                last_name=last,
                is_staff=staff,
                is_superuser=staff,
            )
        membership_ensure(user=users["regisseur"], owner=owner, role=Membership.Role.REGISSEUR)
        membership_ensure(user=users["gisbeheer"], owner=owner, role=Membership.Role.GIS_ADMIN)
        membership_ensure(user=users["corporatie"], owner=corporation, role=Membership.Role.REGISSEUR)
        membership_ensure(user=users["groenadviseur"], owner=owner, role=Membership.Role.PROFESSIONAL)
        line = _("demogegevens: eigenaren %(owners)s; gebruikers %(users)s")
        self.stdout.write(line % {"owners": f"{owner.slug}, {corporation.slug}", "users": ", ".join(users)})
        run = demo_bgt_sync(owner=owner)
        new = ngettext("%(count)d nieuw", "%(count)d nieuw", run.created) % {"count": run.created}
        unchanged = ngettext("%(count)d ongewijzigd", "%(count)d ongewijzigd", run.unchanged) % {"count": run.unchanged}
        line = _("BGT-locaties van de demo: %(status)s, %(created)s, %(unchanged)s")
        self.stdout.write(line % {"status": run.get_status_display(), "created": new, "unchanged": unchanged})
        demo_story_ensure(municipality=owner, corporation=corporation, users=users)
        self.stdout.write(
            _(
                "verhaal van de demo: aanbod, een beheerde locatie met haar groep, een initiatief, locaties van de "
                "corporatie, ondersteuners"
            )
        )
