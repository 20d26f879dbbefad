"""A resident's own account: register, confirm the address by link, change details and
password, delete the account. Log-in and password reset are Django's views with our forms
and templates (gis_service/urls.py, templates/registration/).

Links in mails are opened with GET, which only shows a button; the POST behind it confirms.
Mail scanners (Outlook's Safe Links, virus scanners) open every link in a mail: with a GET that
confirmed and logged in, the scanner would spend the one-time link and get the session.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_service.accounts import selectors, services, tokens
from gis_service.accounts.forms import AccountDeleteForm, AccountForm, AccountPasswordChangeForm, RegistrationForm
from gis_service.accounts.models import User
from web.forms import add_service_error
from web.views.methods import require_form_page

BACKEND = settings.AUTHENTICATION_BACKENDS[0]


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it is a page of this site (a log-in's or registration's `next`), else ''."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _bad_link_message(error: tokens.BadLink) -> str:
    return {
        "expired": _("Deze link is verlopen."),
        "used": _("Deze link is al gebruikt."),
        "invalid": _("Deze link klopt niet. Kopieer hem helemaal uit de mail, of vraag een nieuwe aan."),
    }[error.reason]


@require_form_page
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:account")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = RegistrationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_register(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                next_url=next_url,
                send_mail=form.mail_allowed(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            request.session["registered_email"] = form.cleaned_data["email"]
            return redirect("web:register-sent")
    return render(request, "registration/register.html", {"form": form, "next": next_url})


@require_safe
def register_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/register_sent.html", {"email": request.session.get("registered_email", "")})


@require_form_page
def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, next_url = (
            services.registration_confirm(token=token)
            if request.method == "POST"
            else selectors.user_for_registration(token)
        )
    except tokens.BadLink as error:
        return render(
            request,
            "registration/confirm.html",
            {"error": _bad_link_message(error), "reason": error.reason},
            status=400 if error.reason == "invalid" else 410,
        )
    if request.method != "POST":  # GET or HEAD (a mail's link checker): shown, nobody logged in
        return render(request, "registration/confirm.html", {"pending_user": user})
    login(request, user, backend=BACKEND)
    messages.success(
        request,
        _("Welkom, %(name)s! Je e-mailadres is bevestigd en je bent ingelogd.")
        % {"name": user.get_full_name() or user.email},
    )
    return redirect(_safe_next(request, next_url) or reverse("web:account"))


@login_required
@require_form_page
def account_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    initial = {
        "name": user.get_full_name(),
        "email": user.email,
        "phone": user.phone,
        "share_phone": user.share_phone,
        "language": user.language or request.LANGUAGE_CODE,
    }
    form = AccountForm(request.POST or None, initial=initial, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.account_update(
                user=user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                share_phone=form.cleaned_data["share_phone"],
                language=form.cleaned_data["language"] or None,
                send_mail=form.mail_allowed(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Je gegevens zijn opgeslagen."))
            if pending:
                messages.info(
                    request,
                    _(
                        "We hebben een link gestuurd naar %(new)s. Volg die om het adres te bevestigen; "
                        "tot dan blijft %(old)s je e-mailadres."
                    )
                    % {"new": form.cleaned_data["email"], "old": user.email},
                )
            return redirect("web:account")
    return render(request, "web/account.html", {"form": form})


@require_form_page
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            user = services.email_change_confirm(token=token)
        else:
            user, new_email = selectors.user_for_email_change(token)
            return render(request, "web/email_confirm.html", {"new_email": new_email})
    except tokens.BadLink as error:
        status = 400 if error.reason == "invalid" else 410
        return render(request, "web/email_confirm.html", {"error": _bad_link_message(error)}, status=status)
    except ValidationError as error:
        return render(request, "web/email_confirm.html", {"error": " ".join(error.messages)}, status=409)
    messages.success(request, _("Je nieuwe e-mailadres %(email)s is bevestigd.") % {"email": user.email})
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("web:account")
    return redirect(reverse("login") + "?next=" + reverse("web:account"))


class AccountPasswordChangeView(PasswordChangeView):
    """Django's, in the site's look, back to the account page with a message."""

    form_class = AccountPasswordChangeForm
    template_name = "web/account_password.html"
    success_url = reverse_lazy("web:account")
    # FormView answers PUT as if it were POST; the form is posted, nothing else is taken.
    http_method_names = ["get", "head", "post", "options"]

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Je wachtwoord is gewijzigd."))
        return response


password_change = AccountPasswordChangeView.as_view()


@login_required
@require_form_page
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Je account is verwijderd. Bedankt voor wat je hebt gedaan!"))
            response = redirect("web:map")
            # Logged out, the next page would follow the browser's language, and the goodbye above it
            # would be in the account's: the language the resident chose stays, in the cookie.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                translation.get_language(),
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "web/account_delete.html", {"form": form})
