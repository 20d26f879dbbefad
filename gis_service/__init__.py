"""The zelfbeheer GIS service: Django project, Celery app and the domain apps."""

from typing import Any


def __getattr__(name: str) -> Any:
    # The Celery app is imported when it is asked for (`celery -A gis_service`, a task module),
    # not with every process: importing Celery and kombu costs ~0.3 s of CPU, a quarter of the
    # start-up of a short command such as import_locations (issue 12).
    if name == "celery_app":
        from gis_service.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ("celery_app",)
