"""Account forms: they parse and check input (and the limits of accounts.login_limits); the
services in accounts.services write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gis_service.accounts import login_limits, selectors
from gis_service.accounts.models import User
from gis_service.accounts.services import email_taken_message
from gis_service.core.mail import send_after_commit


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form that sends nothing once an address or e-mail address asked
    too often. The page after it says the same either way, so it tells a prober nothing.

    The mail goes the way all our mail goes: by the worker, after the request's transaction."""

    # Django's field with the site's own label: Django's English "Email" stood beside "E-mail address"
    # on every other English form.
    email = forms.EmailField(
        label=_("E-mailadres"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]  # PasswordResetView passes keywords only
        if login_limits.password_reset_allowed(kwargs.get("request"), self.cleaned_data["email"]):
            super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        context = {**context, "site_url": settings.SITE_URL}
        with translation.override(context["user"].mail_language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
            send_after_commit(to=[to_email], subject=subject, body=body)


class LoginForm(AuthenticationForm):
    """Django's log-in form taking an e-mail address (the backend looks it up) or a user name."""

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar, of je account is nog niet bevestigd. "
            "Let op hoofdletters in je wachtwoord."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.label = _("E-mailadres")
        username.max_length = 254
        username.widget.attrs.update({"maxlength": 254, "autocomplete": "username", "inputmode": "email"})
        self.fields["password"].label = _("Wachtwoord")


class AccountPasswordChangeForm(PasswordChangeForm):
    """Django's, speaking to the resident as "je" like the rest of the site."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Je huidige wachtwoord klopt niet. Probeer het nog eens."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Huidig wachtwoord")


# Who sees which name: the rule of gis_service/accounts/names.py, told where the name is typed.
NAME_HELP = _(
    "Anderen zien je voornaam en de eerste letter van je achternaam; leden van je groep en de regisseur zien je "
    "hele naam."
)


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Vul je naam in."), "max_length": _("Gebruik hoogstens 150 tekens.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres."),
            "max_length": _("Gebruik hoogstens 254 tekens."),
        },
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 8 tekens, niet te gewoon en niet te veel als je naam of e-mailadres."),
        error_messages={"required": _("Kies een wachtwoord.")},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        # A confirmed account's address is refused here; a waiting one goes on (the service resends).
        if User.objects.filter(email__iexact=email, pending_since__isnull=True).exists():
            raise ValidationError(email_taken_message(), code="taken")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(first_name=cleaned.get("name", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        if not self.errors and not login_limits.registration_allowed(self.request):
            raise ValidationError(
                _("Vanaf jouw internetadres zijn net te veel accounts aangemaakt. Probeer het over een uur opnieuw."),
                code="rate_limited",
            )
        return cleaned

    def mail_allowed(self) -> bool:
        return login_limits.confirmation_mail_allowed(self.request, self.cleaned_data["email"])


class AccountForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Vul je naam in."), "max_length": _("Gebruik hoogstens 150 tekens.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Een nieuw adres gaat pas in als je het bevestigt met de link die we ernaar sturen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres."),
            "max_length": _("Gebruik hoogstens 254 tekens."),
        },
    )
    phone = forms.RegexField(
        label=_("Telefoon"),
        required=False,
        max_length=32,
        regex=r"^\+?[0-9 ()-]{6,}$",
        help_text=_("Niet verplicht. De regisseur ziet het als je je aanmeldt als beheerder."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={
            "invalid": _("Gebruik alleen cijfers, spaties en eventueel + - ( ), bijvoorbeeld 06 12345678."),
            "max_length": _("Gebruik hoogstens 32 tekens."),
        },
    )
    share_phone = forms.BooleanField(
        label=_("Mijn telefoonnummer delen met medebeheerders"),
        required=False,
        help_text=_("Alleen als het contract is goedgekeurd. De regisseur ziet je nummer altijd."),
    )
    language = forms.ChoiceField(
        label=_("Taal"),
        choices=settings.LANGUAGES,
        required=False,  # left out (an older form, a script): the language stays as it is
        help_text=_("De taal van de site als je bent ingelogd, en van de mail die je van ons krijgt."),
        error_messages={"invalid_choice": _("Kies een van de talen van de site.")},
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        if email.lower() != self.user.email.lower() and selectors.email_taken(email, except_user_id=self.user.pk):
            raise ValidationError(email_taken_message(), code="taken")
        return email

    def mail_allowed(self) -> bool:
        """Counts a confirmation mail when the address changes (the limits of login_limits)."""
        email = self.cleaned_data["email"]
        if email.lower() == self.user.email.lower():
            return True
        return login_limits.confirmation_mail_allowed(self.request, email)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vul je wachtwoord in om te bevestigen dat jij het bent.")},
    )
