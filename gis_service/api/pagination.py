"""How the JSON API pages its lists."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """Pages of 100, up to 1000 on request (`?page_size=`); `{count, next, previous, results}`.

    Every list grows with the municipality's data (contracts, initiatives, terms versions with
    their full text); unpaged, one request would read and serialise all of them.
    """

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
