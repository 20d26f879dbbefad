from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "gis_service.contracts"
    label = "contracts"
    verbose_name = "Zelfbeheercontracten"

    def ready(self) -> None:
        from gis_service.contracts.selectors import locations_under_contract
        from gis_service.locations.protection import register_protector

        # Ground under an open or active contract is kept and flagged when a sync or an edit moves it.
        register_protector("contracts", locations_under_contract)
