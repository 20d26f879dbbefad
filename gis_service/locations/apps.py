from django.apps import AppConfig


class LocationsConfig(AppConfig):
    name = "gis_service.locations"
    label = "locations"
    verbose_name = "Zelfbeheerlocaties"
