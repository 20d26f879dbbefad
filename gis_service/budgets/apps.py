from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "gis_service.budgets"
    label = "budgets"
    verbose_name = "budgetten en verantwoording"
