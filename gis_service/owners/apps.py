from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnersConfig(AppConfig):
    name = "gis_service.owners"
    label = "owners"
    verbose_name = _("Eigenaren")
