"""How the JSON API pages its lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Pages of 100, up to 1000 on request (`?page_size=`); `{count, next, previous, results}`.

    Every list grows with the municipality's data (contracts, initiatives, terms versions with
    their full text); unpaged, one request would read and serialise all of them.
    """

    page_size = 100
    page_size_query_param = "page_size"
    # Django REST framework's own texts for the OpenAPI document have no Dutch.
    page_query_description = gettext_lazy("Een paginanummer binnen de resultaten.")  # type: ignore[assignment]
    page_size_query_description = gettext_lazy("Aantal resultaten per pagina.")  # type: ignore[assignment]
    max_page_size = 1000
