from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gis_service.core import health
from gis_service.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Controleert de database, PostGIS en de broker; meldt elk probleem op één regel en stopt dan met exitcode 2."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = [check for check in health.run_all() if not check.ok]
        if failed:
            # A check's name is its key in /healthz's answer (database, postgis, broker), not a word:
            # only its detail is translated (gis_service.core.health).
            raise health.ServiceUnavailable("; ".join(f"{check.name}: {check.detail}" for check in failed))
        self.stdout.write(_("database, PostGIS en broker: in orde"))
