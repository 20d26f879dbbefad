from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gis_service.core"
    label = "core"
    verbose_name = "Kern"
