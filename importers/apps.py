import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "importers"
    label = "importers"
    verbose_name = _("Importeren")

    def ready(self) -> None:
        # One beat entry looks every minute for sources whose own interval has passed, so a
        # GIS admin changes a schedule in the admin without restarting beat.
        entries = {
            "importers-sync-due-sources": {"task": "importers.tasks.sync_due_sources", "schedule": 60.0},
            # A run whose heartbeat stopped (IMPORT_RUN_STALE_SECONDS, 20 s) is failed within a minute.
            "importers-fail-stale-runs": {"task": "importers.fail_stale_runs", "schedule": 30.0},
        }
        # The Celery app reads the settings when it is first configured; a process that has not
        # imported it (a management command: gis_service.__getattr__) only needs the settings changed.
        if "gis_service.celery" in sys.modules:
            from gis_service.celery import app

            app.conf.beat_schedule = {**entries, **dict(app.conf.beat_schedule or {})}
        settings.CELERY_BEAT_SCHEDULE = {**entries, **dict(getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {})}

        from gis_service.accounts.models import Membership
        from gis_service.accounts.roles import register_role_permissions

        # A GIS admin works the importer screens: their sources (add, change, upload, "sync now")
        # and runs (progress, diff, report). Not delete: a source's runs and locations hang on it.
        # Which owners' rows they see is importers.selectors' business.
        register_role_permissions(
            Membership.Role.GIS_ADMIN,
            ["importers.view_source", "importers.add_source", "importers.change_source", "importers.view_importrun"],
        )
