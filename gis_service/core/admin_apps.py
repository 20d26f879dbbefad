"""django.contrib.admin with our site; in a module of its own, as INSTALLED_APPS imports it
before the models are ready (the site's module imports auth forms, hence models).

The admin's registrations (every app's admin.py, with their forms and widgets) are loaded with the
URLconf (gis_service/urls.py), not when Django starts: commands and Celery workers never serve the
admin, and importing them cost every such process 0.115 s, a tenth of an import command's start-up.
The system checks load them first, so `manage.py check` still checks every ModelAdmin."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def check_registered_admins(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's check of every ModelAdmin, after the registrations it checks are loaded."""
    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)


class ZelfbeheerAdminConfig(SimpleAdminConfig):
    """The admin, entered by role as well as by staff flag (gis_service/core/admin_site.py)."""

    default_site = "gis_service.core.admin_site.ZelfbeheerAdminSite"

    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_registered_admins, checks.Tags.admin)
