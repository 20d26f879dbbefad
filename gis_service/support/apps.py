from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "gis_service.support"
    label = "support"
    verbose_name = "zelfgekozen ondersteuning"
