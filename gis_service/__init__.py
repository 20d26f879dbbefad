"""The zelfbeheer GIS service: Django project, Celery app and the domain apps."""

from gis_service.celery import app as celery_app

__all__ = ("celery_app",)
