from typing import Any

from django.core.management.base import BaseCommand

from gis_service.core import health


class Command(BaseCommand):
    help = "Checks database, PostGIS and broker; prints one line naming every problem and exits 2."

    def handle(self, *args: Any, **options: Any) -> None:
        failed = [check for check in health.run_all() if not check.ok]
        if failed:
            raise health.ServiceUnavailable("; ".join(f"{check.name}: {check.detail}" for check in failed))
        self.stdout.write("database, PostGIS and broker: ok")
