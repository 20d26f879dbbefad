from django.apps import AppConfig


class OwnersConfig(AppConfig):
    name = "gis_service.owners"
    label = "owners"
    verbose_name = "Eigenaren"
