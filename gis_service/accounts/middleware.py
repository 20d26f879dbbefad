"""A logged-in user's own language (User.language, chosen on the account page or with the
language switch) over the cookie and Accept-Language that Django's LocaleMiddleware reads.

Runs after AuthenticationMiddleware. Requests without a session cookie (the feed's clients,
first visits) are left to LocaleMiddleware alone: asking for request.user would load the session
and add `Vary: Cookie` to every answer of the feed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ProfileLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            language = getattr(request.user, "language", "")
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
