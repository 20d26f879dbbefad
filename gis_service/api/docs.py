"""The OpenAPI document (/api/schema/) and its Swagger UI page (/api/docs/), in the request's language.

The language is the site's (LocaleMiddleware: profile, cookie, Accept-Language), or `lang=`, drf-spectacular's
parameter, which the page hands on to the document it fetches; a `lang` we do not offer is refused in the
site's language, as JSON by the document and as a page by the page. docs/i18n.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
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
            return self.refuse_lang(request, _("lang moet een van deze talen zijn: %(codes)s.") % {"codes": codes})
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if hasattr(response, "render"):
                response.render()  # a page's template in this language, not the middleware's
        response.headers["Content-Language"] = language
        return response

    def refuse_lang(self, request: HttpRequest, message: str) -> HttpResponseBase:
        """The 400 for a `lang` we do not offer, in the request's own language (LocaleMiddleware's): JSON,
        as the OpenAPI document is."""
        return JsonResponse({"detail": message}, status=400)


class SchemaView(LangParameterMixin, SpectacularAPIView):
    """The OpenAPI document."""


class DocsView(LangParameterMixin, SpectacularSwaggerSplitView):
    """Swagger UI over the OpenAPI document."""

    def refuse_lang(self, request: HttpRequest, message: str) -> HttpResponseBase:
        """A page asked for gets a page: the refusal was JSON, shown to a reader as raw text. Its start-up
        script (`?script`), which only the page fetches, keeps the JSON."""
        if "script" in request.GET:
            return super().refuse_lang(request, message)
        return render(request, "api/docs_refusal.html", {"message": message}, status=400)
