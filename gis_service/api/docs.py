"""The OpenAPI document (/api/schema/) and its Swagger UI page (/api/docs/), in the request's language.

The language is the site's (LocaleMiddleware: profile, cookie, Accept-Language), or `lang=`, drf-spectacular's
parameter, which the page hands on to the document it fetches. docs/i18n.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class LangParameterMixin:
    """`lang=` names one of settings.LANGUAGES (or a variant, en-GB); any other is a 400.

    drf-spectacular would activate whatever it is given: `lang=fr` mixed Django's French into our Dutch.
    The page is rendered inside the language too, so its `lang` attribute and title follow the parameter.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        asked = request.GET.get("lang")
        if asked is None:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        try:
            language = translation.get_supported_language_variant(asked)
        except LookupError:
            codes = ", ".join(code for code, _name in settings.LANGUAGES)
            return JsonResponse(
                {"detail": _("lang moet een van deze talen zijn: %(codes)s.") % {"codes": codes}}, status=400
            )
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if hasattr(response, "render"):
                response.render()  # a page's template in this language, not the middleware's
        response.headers["Content-Language"] = language
        return response


class SchemaView(LangParameterMixin, SpectacularAPIView):
    """The OpenAPI document."""


class DocsView(LangParameterMixin, SpectacularSwaggerSplitView):
    """Swagger UI over the OpenAPI document."""
