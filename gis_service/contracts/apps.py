from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "gis_service.contracts"
    label = "contracts"
    verbose_name = _("Zelfbeheercontracten")

    def ready(self) -> None:
        from gis_service.contracts.selectors import locations_under_contract
        from gis_service.locations.protection import register_protector

        # Ground under an open or active contract is kept and flagged when a sync or an edit moves it.
        register_protector("contracts", locations_under_contract)
