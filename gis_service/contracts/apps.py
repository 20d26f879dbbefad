from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "gis_service.contracts"
    label = "contracts"
    verbose_name = "Zelfbeheercontracten"
