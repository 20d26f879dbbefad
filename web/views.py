from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def map_page(request: HttpRequest) -> HttpResponse:
    """The public map of zelfbeheer locations."""
    return render(request, "web/map.html")
