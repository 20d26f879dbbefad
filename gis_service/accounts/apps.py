from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gis_service.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from gis_service.accounts import login_limits

        def count_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
            login_limits.login_failed(request, str(credentials.get("username") or ""))

        def end_count(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            login_limits.login_succeeded(request, user.get_username())

        user_login_failed.connect(count_failure, dispatch_uid="accounts.login_limits.failed", weak=False)
        user_logged_in.connect(end_count, dispatch_uid="accounts.login_limits.succeeded", weak=False)
