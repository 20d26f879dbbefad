from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "gis_service.initiatives"
    label = "initiatives"
    verbose_name = _("Bewonersinitiatieven")

    def ready(self) -> None:
        from gis_service.initiatives.selectors import locations_in_waiting_initiatives
        from gis_service.locations.protection import register_protector

        # Locations a waiting initiative asks for are kept and flagged when a sync or an edit moves them.
        register_protector("initiatives", locations_in_waiting_initiatives)
