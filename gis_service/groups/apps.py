from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "gis_service.groups"
    label = "groups"
    verbose_name = _("Zelfbeheergroepen")

    def ready(self) -> None:
        from gis_service.groups import receivers  # noqa: F401  (connects the contract hook)
