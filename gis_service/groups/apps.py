from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "gis_service.groups"
    label = "groups"
    verbose_name = "zelfbeheergroepen"
