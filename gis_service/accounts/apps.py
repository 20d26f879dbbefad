from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gis_service.accounts"
    label = "accounts"
    verbose_name = "Accounts"
