from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "gis_service.groups"
    label = "groups"
    verbose_name = "zelfbeheergroepen"

    def ready(self) -> None:
        from gis_service.groups import receivers  # noqa: F401  (connects the contract hook)
