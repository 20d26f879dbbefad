"""Loads the demo data: an owner, its regisseur and GIS admin, a resident, and real BGT
locations from fixtures/. Idempotent: what exists is left as it is."""

from typing import Any

from django.core.management.base import BaseCommand

from gis_service.accounts.models import Membership
from gis_service.accounts.services import membership_ensure, user_ensure
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
]


class Command(BaseCommand):
    help = "Loads the demo owner, users and BGT locations (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        owner, created = owner_get_or_create(name="Gemeente Hilversum", slug="hilversum", kind=Owner.Kind.GEMEENTE)
        if created:
            owner.contact_email = "zelfbeheer@hilversum.example.org"
            owner.save(update_fields=["contact_email"])
        users = {}
        for username, password, email, first, last, staff in DEMO_USERS:
            users[username], _ = user_ensure(
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
        self.stdout.write(f"demo data: owner {owner.slug}, users {', '.join(users)}")
        run = demo_bgt_sync(owner=owner)
        self.stdout.write(f"demo BGT locations: {run.status}, created {run.created}, unchanged {run.unchanged}")
