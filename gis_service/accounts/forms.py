"""Account forms: Django's, with the limits of accounts.login_limits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from gis_service.accounts import login_limits


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form that sends nothing once an address or e-mail address asked
    too often. The page after it says the same either way, so it tells a prober nothing."""

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]  # PasswordResetView passes keywords only
        if login_limits.password_reset_allowed(kwargs.get("request"), self.cleaned_data["email"]):
            super().save(**kwargs)
