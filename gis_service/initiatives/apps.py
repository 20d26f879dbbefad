from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "gis_service.initiatives"
    label = "initiatives"
    verbose_name = "Bewonersinitiatieven"
