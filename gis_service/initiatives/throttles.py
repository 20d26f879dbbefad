"""The rate limit of initiatives' discussions, shared by the API and the web page."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from gis_service.core.throttles import FixedWindowThrottle


class InitiativePostThrottle(FixedWindowThrottle):
    """INITIATIVE_POST_RATE per resident over every initiative: a post mails the initiators.

    Counted per user, so the API and the web form (which asks `allow_request` with its Django
    request) draw from one counter."""

    scope = "initiative_post"

    def get_rate(self) -> str | None:
        return str(settings.INITIATIVE_POST_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        ident = f"user-{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
