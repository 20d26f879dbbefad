"""The language switch in every page's header (web/_language_switch.html): Django's set_language,
which keeps a visitor's choice in the language cookie, and for a logged-in user also their profile,
which wins over the cookie from then on (accounts.middleware) and decides the language of their mail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from gis_service.accounts import services
from gis_service.accounts.models import User


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    language = request.POST.get("language", "")
    if isinstance(request.user, User) and language in dict(settings.LANGUAGES):
        services.account_language_set(user=request.user, language=language)
    return response
