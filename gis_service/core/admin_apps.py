"""django.contrib.admin with our site; in a module of its own, as INSTALLED_APPS imports it
before the models are ready (the site's module imports auth forms, hence models)."""

from django.contrib.admin.apps import AdminConfig


class ZelfbeheerAdminConfig(AdminConfig):
    """The admin, entered by role as well as by staff flag (gis_service/core/admin_site.py)."""

    default_site = "gis_service.core.admin_site.ZelfbeheerAdminSite"
